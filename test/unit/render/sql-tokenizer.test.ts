import fc from 'fast-check';
import { ProjectParseError } from '../../../shared/src/errors';
import { isTrivia, type SqlTokenKind, tokenizeSql } from '../../../shared/src/render/sql-tokenizer';

/** `[kind, text]` pairs of the significant tokens, for compact assertions. */
function significant(sql: string): [SqlTokenKind, string][] {
  return tokenizeSql(sql)
    .filter((t) => !isTrivia(t))
    .map((t) => [t.kind, t.text]);
}

describe('tokenizeSql', () => {
  it.each<[string, string, [SqlTokenKind, string][]]>([
    ['a string with a doubled quote is one token', "SELECT 'it''s; @x'", [['identifier', 'SELECT'], ['string', "'it''s; @x'"]]],
    ['an E string honours backslash escapes', "E'a\\'b'", [['string', "E'a\\'b'"]]],
    ['a quoted identifier with a doubled quote', '"a""b".c', [['quoted_identifier', '"a""b"'], ['dot', '.'], ['identifier', 'c']]],
    ['a backtick identifier', '`x y`', [['quoted_identifier', '`x y`']]],
    ['an anonymous dollar-quoted body', 'SELECT $$a;b$$', [['identifier', 'SELECT'], ['dollar_string', '$$a;b$$']]],
    ['a tagged dollar-quoted body', '$fn$ x $$ y $fn$;', [['dollar_string', '$fn$ x $$ y $fn$'], ['semicolon', ';']]],
    ['a positional parameter is not a dollar quote', '$1', [['operator', '$'], ['number', '1']]],
    ['numbers: integer, decimal, leading dot, exponent', '1 2.5 .5 1e-3', [['number', '1'], ['number', '2.5'], ['number', '.5'], ['number', '1e-3']]],
    ['multi-character operators', 'a := b :: c <> d ->> e', [
      ['identifier', 'a'], ['operator', ':='], ['identifier', 'b'], ['operator', '::'], ['identifier', 'c'],
      ['operator', '<>'], ['identifier', 'd'], ['operator', '->>'], ['identifier', 'e'],
    ]],
    ['punctuation', '(a, [b]);', [
      ['lparen', '('], ['identifier', 'a'], ['comma', ','], ['lbracket', '['], ['identifier', 'b'],
      ['rbracket', ']'], ['rparen', ')'], ['semicolon', ';'],
    ]],
    ['macro forms', "@start_ds @{tbl} @'x_@{y}' @VAR(", [
      ['macro', '@start_ds'], ['macro', '@{tbl}'], ['macro', "@'x_@{y}'"], ['macro', '@VAR'], ['lparen', '('],
    ]],
    ['a lone @ is an operator', '@ -5', [['operator', '@'], ['operator', '-'], ['number', '5']]],
    ['non-ASCII identifiers', 'SELECT prix_€, été', [['identifier', 'SELECT'], ['identifier', 'prix_€'], ['comma', ','], ['identifier', 'été']]],
  ])('%s', (_name, sql, expected) => {
    // Act
    const tokens = significant(sql);

    // Assert
    expect(tokens).toEqual(expected);
  });

  it('keeps comments whole, so a ; or @ inside them is not a token', () => {
    // Act
    const tokens = tokenizeSql("-- a; @b\nSELECT /* c; @d */ 1");

    // Assert
    expect(tokens.filter((t) => t.kind === 'line_comment').map((t) => t.text)).toEqual(['-- a; @b']);
    expect(tokens.filter((t) => t.kind === 'block_comment').map((t) => t.text)).toEqual(['/* c; @d */']);
    expect(tokens.some((t) => t.kind === 'semicolon' || t.kind === 'macro')).toBe(false);
  });

  it('counts lines from the given location, across multi-line tokens', () => {
    // Arrange
    const sql = "SELECT\n'a\nb',\n/* x\ny */ z";

    // Act
    const tokens = tokenizeSql(sql, { location: { file: 'models/m.sql', line: 10 } }).filter((t) => !isTrivia(t));

    // Assert
    expect(tokens.map((t) => [t.text, t.line])).toEqual([
      ['SELECT', 10],
      ["'a\nb'", 11],
      [',', 12],
      ['z', 14],
    ]);
  });

  it.each([
    ['string literal', "SELECT\n'abc"],
    ['quoted identifier', 'SELECT\n"abc'],
    ['block comment', 'SELECT\n/* abc'],
    ['dollar-quoted string', 'SELECT\n$$ abc'],
  ])('reports an unterminated %s with the file and the line it starts on', (what, sql) => {
    // Act
    const act = (): unknown => tokenizeSql(sql, { location: { file: 'models/m.sql', line: 3 } });

    // Assert
    expect(act).toThrow(ProjectParseError);
    expect(act).toThrow(`models/m.sql:4: unterminated ${what} starting on this line`);
  });

  it('gives back the input when the token texts are joined (any input that tokenizes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab1 .,;()[]\'"$@{}-/*\n\té=:<>_'.split('')) }), (sql) => {
        let tokens;
        try {
          tokens = tokenizeSql(sql);
        } catch (e) {
          if (e instanceof ProjectParseError) return; // unterminated input is rejected, not mangled
          throw e;
        }
        expect(tokens.map((t) => t.text).join('')).toBe(sql);
        tokens.forEach((t, i) => {
          expect(t.start).toBe(i === 0 ? 0 : tokens[i - 1]?.end);
          expect(sql.slice(t.start, t.end)).toBe(t.text);
        });
      }),
    );
  });
});
