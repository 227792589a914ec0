import {
  findTopLevelKeyword,
  readIdentifierChain,
  skipTrivia,
  splitListArgument,
  splitTopLevel,
  stripTrailingSemicolons,
  unwrapEnclosingParens,
} from '../../../shared/src/evaluate/sql-scan';
import { unqualifySetTargets } from '../../../shared/src/evaluate/strategies/unique-key';

describe('SQL scanning helpers', () => {
  it('skips whitespace and both comment styles', () => {
    const sql = '  -- line\n /* block */ x';
    expect(sql[skipTrivia(sql, 0)]).toBe('x');
  });

  it('reads identifier chains with quotes, escaped quotes and spaced dots', () => {
    expect(readIdentifierChain('"a""b" . c_1 rest', 0, 2)).toEqual({ names: ['a"b', 'c_1'], lastStart: 9, end: 12 });
    expect(readIdentifierChain('a.', 0, 2)).toBeUndefined();
    expect(readIdentifierChain('1a', 0, 1)).toBeUndefined();
  });

  it.each([
    ['a, b , c,', ['a', 'b', 'c']],
    [`f(a, b), 'x,y', "q,r", [1, 2]`, ['f(a, b)', `'x,y'`, '"q,r"', '[1, 2]']],
    ['', []],
  ])('splits %s at top-level commas', (text, expected) => {
    expect(splitTopLevel(text)).toEqual(expected);
  });

  it.each([
    ['(a, b)', ['a', 'b']],
    ['[a, b]', ['a', 'b']],
    ['a', ['a']],
    ['(a) + (b)', ['(a) + (b)']],
    [`('x', 'y')`, [`'x'`, `'y'`]],
  ])('reads the list argument %s', (text, expected) => {
    expect(splitListArgument(text)).toEqual(expected);
  });

  it('unwraps only parentheses that enclose the whole text', () => {
    expect(unwrapEnclosingParens(' (a, (b)) ')).toBe('a, (b)');
    expect(unwrapEnclosingParens('(a) AND (b)')).toBe('(a) AND (b)');
  });

  it('strips trailing semicolons and whitespace', () => {
    expect(stripTrailingSemicolons('SELECT 1 ;\n ;')).toBe('SELECT 1');
  });

  it('finds keywords only at top level, outside strings and comments', () => {
    const sql = `WHEN x THEN 'when' /* when */ (WHEN) when`;
    expect(findTopLevelKeyword(sql, 'WHEN')).toEqual([0, sql.lastIndexOf('when')]);
  });
});

describe('unqualifySetTargets', () => {
  it('drops the target qualifier on the left of each MERGE assignment only', () => {
    expect(
      unqualifySetTargets(
        'WHEN MATCHED AND source.x > 0 THEN UPDATE SET target.a = target.a + source.a, "target".b = source.b WHEN MATCHED THEN DELETE',
      ),
    ).toBe('WHEN MATCHED AND source.x > 0 THEN UPDATE SET a = target.a + source.a, b = source.b WHEN MATCHED THEN DELETE');
  });
});
