import fc from 'fast-check';
import { normalizeSqlForHash } from '../../../shared/src/snapshot/normalize-sql';

describe('normalizeSqlForHash', () => {
  it.each([
    ['collapses whitespace runs', 'SELECT\n  a\n\n  FROM   t', 'SELECT a FROM t'],
    ['drops whitespace next to punctuation', 'SELECT f( a , b ) FROM t WHERE x = 1', 'SELECT f(a,b)FROM t WHERE x=1'],
    ['removes line comments', 'SELECT a -- the id\nFROM t', 'SELECT a FROM t'],
    ['removes block comments', 'SELECT /* all\ncols */ a FROM t', 'SELECT a FROM t'],
    ['keeps a separator where a comment stood between words', 'SELECT a/*x*/b', 'SELECT a b'],
    ['removes trailing semicolons', 'SELECT 1 ;; ', 'SELECT 1'],
    ['keeps string literals exactly', "SELECT 'a  --b', 'it''s  /*x*/'", "SELECT 'a  --b','it''s  /*x*/'"],
    ['keeps quoted identifiers exactly', 'SELECT "my  col" FROM t', 'SELECT "my  col" FROM t'],
    ['keeps dollar-quoted strings exactly', 'SELECT $$ a  -- b $$', 'SELECT $$ a  -- b $$'],
    ['keeps case', 'select A from T', 'select A from T'],
    ['keeps macro calls intact', '@IF(@x , a , b)', '@IF(@x,a,b)'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeSqlForHash(input)).toBe(expected);
  });

  it('distinguishes queries that differ in more than layout', () => {
    expect(normalizeSqlForHash('SELECT a b')).not.toBe(normalizeSqlForHash('SELECT ab'));
    expect(normalizeSqlForHash("SELECT 'a b'")).not.toBe(normalizeSqlForHash("SELECT 'a  b'"));
  });

  it('gives the same text for any re-layout of the same tokens', () => {
    const tokens = ['SELECT', 'a', ',', 'SUM', '(', 'b', ')', 'FROM', 't', 'WHERE', 'x', '=', "'v  w'", 'GROUP', 'BY', 'a'];
    const separator = fc.constantFrom(' ', '\n', '\t  ', ' -- note\n', ' /* c */ ', '\r\n');
    fc.assert(
      fc.property(fc.array(separator, { minLength: tokens.length, maxLength: tokens.length }), (seps) => {
        const sql = tokens.map((token, i) => `${token}${seps[i]}`).join('');
        expect(normalizeSqlForHash(sql)).toBe("SELECT a,SUM(b)FROM t WHERE x='v  w' GROUP BY a");
      }),
    );
  });
});
