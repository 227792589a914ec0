import fc from 'fast-check';
import { EvaluationError } from '../../../shared/src/errors';
import { normalizeModelName, referenceModelName } from '../../../shared/src/evaluate/model-name';
import { rewriteModelReferences } from '../../../shared/src/evaluate/reference-rewrite';
import type { TableReference } from '../../../shared/src/ports/sql-parser';

/** The reference to `written` at its first occurrence in `sql` (as the parser would report it). */
function ref(sql: string, written: string, parts: { catalog?: string; schema?: string; table: string }, from = 0): TableReference {
  const offset = sql.indexOf(written, from);
  if (offset < 0) throw new Error(`'${written}' not in test SQL`);
  return { ...parts, offset };
}

const PHYSICAL: Record<string, string> = {
  'shop.orders': '"sqlmesh__shop"."shop__orders__1"',
  'shop.customers': '"sqlmesh__shop"."shop__customers__2"',
  'default.events': '"sqlmesh__default"."default__events__3"',
  'cat.shop.items': '"cat"."sqlmesh__shop"."shop__items__4"',
};
const resolve = (name: string): string | undefined => PHYSICAL[name];

describe('rewriteModelReferences', () => {
  it.each([
    ['adds the table as alias when none is written', 'SELECT orders.id FROM shop.orders', 'SELECT orders.id FROM "sqlmesh__shop"."shop__orders__1" AS orders'],
    ['keeps an AS alias', 'SELECT o.id FROM shop.orders AS o', 'SELECT o.id FROM "sqlmesh__shop"."shop__orders__1" AS o'],
    ['keeps a bare alias', 'SELECT o.id FROM shop.orders o WHERE o.id > 1', 'SELECT o.id FROM "sqlmesh__shop"."shop__orders__1" o WHERE o.id > 1'],
    ['keeps a quoted alias', 'SELECT * FROM shop.orders "O"', 'SELECT * FROM "sqlmesh__shop"."shop__orders__1" "O"'],
    ['adds an alias before WHERE', 'SELECT * FROM shop.orders WHERE id = 1', 'SELECT * FROM "sqlmesh__shop"."shop__orders__1" AS orders WHERE id = 1'],
    ['adds an alias before a closing parenthesis', 'SELECT * FROM (SELECT * FROM shop.orders)', 'SELECT * FROM (SELECT * FROM "sqlmesh__shop"."shop__orders__1" AS orders)'],
    ['adds an alias before a comment', 'SELECT * FROM shop.orders -- all\nLIMIT 1', 'SELECT * FROM "sqlmesh__shop"."shop__orders__1" AS orders -- all\nLIMIT 1'],
    ['reads quoted parts and spaces around the dot', 'SELECT * FROM "Shop" . "Orders" WHERE TRUE', 'SELECT * FROM "sqlmesh__shop"."shop__orders__1" AS "Orders" WHERE TRUE'],
  ])('%s', (_name, sql, expected) => {
    // Arrange
    const written = sql.includes('"Shop"') ? '"Shop"' : 'shop.orders';
    const parts = sql.includes('"Shop"') ? { schema: 'Shop', table: 'Orders' } : { schema: 'shop', table: 'orders' };

    // Act
    const out = rewriteModelReferences(sql, [ref(sql, written, parts)], resolve);

    // Assert
    expect(out).toBe(expected);
  });

  it('resolves a bare name in schema default and a three-part name with its catalog', () => {
    // Arrange
    const sql = 'SELECT * FROM events JOIN cat.shop.items i ON TRUE';
    const refs = [ref(sql, 'events', { table: 'events' }), ref(sql, 'cat.shop.items', { catalog: 'cat', schema: 'shop', table: 'items' })];

    // Act
    const out = rewriteModelReferences(sql, refs, resolve);

    // Assert
    expect(out).toBe(
      'SELECT * FROM "sqlmesh__default"."default__events__3" AS events JOIN "cat"."sqlmesh__shop"."shop__items__4" i ON TRUE',
    );
  });

  it('rewrites every reference, including repeats, and leaves unknown tables as written', () => {
    // Arrange
    const sql = 'SELECT * FROM shop.orders a JOIN raw.x ON TRUE JOIN shop.orders b ON TRUE JOIN shop.customers ON TRUE';
    const refs = [
      ref(sql, 'shop.orders', { schema: 'shop', table: 'orders' }),
      ref(sql, 'raw.x', { schema: 'raw', table: 'x' }),
      ref(sql, 'shop.orders', { schema: 'shop', table: 'orders' }, 30),
      ref(sql, 'shop.customers', { schema: 'shop', table: 'customers' }),
    ];

    // Act
    const out = rewriteModelReferences(sql, refs, resolve);

    // Assert
    expect(out).toBe(
      'SELECT * FROM "sqlmesh__shop"."shop__orders__1" a JOIN raw.x ON TRUE JOIN "sqlmesh__shop"."shop__orders__1" b ON TRUE ' +
        'JOIN "sqlmesh__shop"."shop__customers__2" AS customers ON TRUE',
    );
  });

  it('inlines an embedded model as a subquery aliased with its table name', () => {
    // Arrange
    const sql = 'SELECT big.id FROM shop.big JOIN shop.big AS b2 ON TRUE';
    const refs = [ref(sql, 'shop.big', { schema: 'shop', table: 'big' }), ref(sql, 'shop.big', { schema: 'shop', table: 'big' }, 30)];

    // Act
    const out = rewriteModelReferences(sql, refs, (n) => (n === 'shop.big' ? '(SELECT 1 AS id)' : undefined));

    // Assert
    expect(out).toBe('SELECT big.id FROM (SELECT 1 AS id) AS big JOIN (SELECT 1 AS id) AS b2 ON TRUE');
  });

  it('refuses an offset that does not point at the reference', () => {
    // Arrange
    const sql = 'SELECT * FROM shop.orders';

    // Act
    const attempt = () => rewriteModelReferences(sql, [{ schema: 'shop', table: 'orders', offset: 2 }], resolve);

    // Assert
    expect(attempt).toThrow(EvaluationError);
    expect(attempt).toThrowErrorMatchingInlineSnapshot(
      `"cannot rewrite reference to 'shop.orders': the SQL at offset 2 reads 'LECT * FROM shop.orders', not a 2-part name ending in 'orders' (parser offsets and SQL text disagree) in: SELECT * FROM shop.orders"`,
    );
  });

  it('rewrites generated joins exactly (property)', () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(ident, ident, fc.boolean()), { minLength: 1, maxLength: 6 }), (tables) => {
        // Arrange: SELECT 1 FROM s0.t0 [AS x0] JOIN s1.t1 [AS x1] ON TRUE ...
        let sql = 'SELECT 1';
        let expected = 'SELECT 1';
        const refs: TableReference[] = [];
        tables.forEach(([schema, table, aliased], i) => {
          const keyword = i === 0 ? ' FROM ' : ' JOIN ';
          const alias = aliased ? ` AS x${i}` : '';
          const on = i === 0 ? '' : ' ON TRUE';
          sql += keyword;
          expected += keyword;
          refs.push({ schema, table, offset: sql.length });
          sql += `${schema}.${table}${alias}${on}`;
          expected += `"p"."${schema}__${table}"${aliased ? alias : ` AS ${table}`}${on}`;
        });

        // Act
        const out = rewriteModelReferences(sql, refs, (name) => {
          const [s, t] = name.split('.');
          return `"p"."${s}__${t}"`;
        });

        // Assert
        expect(out).toBe(expected);
      }),
    );
  });
});

describe('model name normalisation', () => {
  it.each([
    ['orders', 'default.orders'],
    ['Shop.Orders', 'shop.orders'],
    ['"Shop"."Orders"', 'shop.orders'],
    ['cat.shop.orders', 'cat.shop.orders'],
  ])('normalizeModelName(%s) is %s', (input, expected) => {
    expect(normalizeModelName(input)).toBe(expected);
  });

  it('rejects a name that is not a dotted identifier chain', () => {
    expect(() => normalizeModelName('shop.orders x')).toThrowErrorMatchingInlineSnapshot(
      `"invalid model name 'shop.orders x': expected [catalog.]schema.table made of identifiers or "quoted identifiers""`,
    );
  });

  it('normalises parsed references the same way', () => {
    expect(referenceModelName({ table: 'Events', offset: 0 })).toBe('default.events');
    expect(referenceModelName({ catalog: 'C', schema: 'S', table: 'T', offset: 0 })).toBe('c.s.t');
  });
});
