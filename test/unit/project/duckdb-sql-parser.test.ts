import { DuckDbSqlParser } from '../../../functions/adapters/duckdb-sql-parser';
import type { TableReference } from '../../../shared/src/ports/sql-parser';
import { SqlSyntaxError } from '../../../shared/src/render/sql-syntax-error';

const parser = new DuckDbSqlParser();
afterAll(() => parser.close());

/** Dotted names of the references, in order of appearance. */
const names = (refs: TableReference[]): string[] =>
  refs.map((r) => [r.catalog, r.schema, r.table].filter((p) => p !== undefined).join('.'));

describe('DuckDbSqlParser.referencedTables', () => {
  it.each([
    ['finds a plain table', 'SELECT * FROM shop.orders', ['shop.orders']],
    ['keeps catalog, schema and quoted names as written', 'SELECT * FROM cat."Shop"."Orders"', ['cat.Shop.Orders']],
    ['finds every side of joins', 'SELECT * FROM a.x JOIN a.y ON x.id = y.id LEFT JOIN z USING (id)', ['a.x', 'a.y', 'z']],
    ['finds both sides of set operations', 'SELECT id FROM a.x UNION ALL SELECT id FROM a.y EXCEPT SELECT id FROM a.z', ['a.x', 'a.y', 'a.z']],
    ['finds tables in subqueries in FROM, WHERE and SELECT', 'SELECT (SELECT max(v) FROM a.m) FROM (SELECT * FROM a.x) s WHERE id IN (SELECT id FROM a.y)', ['a.m', 'a.x', 'a.y']],
    ['drops CTE names', 'WITH c AS (SELECT * FROM a.x), d AS (SELECT * FROM c) SELECT * FROM d JOIN a.y ON TRUE', ['a.x', 'a.y']],
    ['keeps a table named like a CTE defined only in a subquery', 'SELECT * FROM (WITH t AS (SELECT 1 AS v) SELECT * FROM t) s JOIN t ON TRUE', ['t']],
    ['keeps a schema-qualified name even when a CTE has its table name', 'WITH orders AS (SELECT 1) SELECT * FROM orders JOIN shop.orders ON TRUE', ['shop.orders']],
    ['ignores table functions and file scans', "SELECT * FROM read_csv('a.csv') JOIN 'b.parquet' ON TRUE JOIN range(3) r ON TRUE", []],
    ['reads DuckDB FROM-first syntax', 'FROM a.x SELECT *', ['a.x']],
  ])('%s', async (_name, sql, expected) => {
    // Act
    const refs = await parser.referencedTables(sql);

    // Assert
    expect(names(refs)).toEqual(expected);
  });

  it('gives JS string offsets of each name chain, also after multi-byte characters', async () => {
    // Arrange
    const sql = "SELECT 'été €' AS x, * FROM  shop.orders JOIN \"Ünïcode\".t ON TRUE";

    // Act
    const refs = await parser.referencedTables(sql);

    // Assert
    expect(refs.map((r) => sql.slice(r.offset, r.offset + 11))).toEqual(['shop.orders', '"Ünïcode".t']);
  });

  it('throws SqlSyntaxError with the line of the error inside the SQL', async () => {
    // Act
    const error = await parser.referencedTables('SELECT a,\n  b\nFROM FROM t').catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).sqlLine).toBe(3);
    expect((error as SqlSyntaxError).message).toMatch(/syntax error at or near "FROM" \(line 3 of the query\)/);
  });

  it('rejects statements that are not queries', async () => {
    await expect(parser.referencedTables('INSERT INTO t VALUES (1)')).rejects.toThrow(/expected a SELECT query/);
  });

  it('serves concurrent calls on its one connection', async () => {
    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => parser.referencedTables(`SELECT * FROM s.t${i}`)),
    );

    // Assert
    expect(results.map(names)).toEqual(Array.from({ length: 20 }, (_, i) => [`s.t${i}`]));
  });
});
