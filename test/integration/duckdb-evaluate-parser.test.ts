import { DuckDbSqlParser } from '../../functions/adapters/duckdb-sql-parser';
import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { evaluateBatch } from '../../shared/src/evaluate/evaluate-batch';
import { rewriteModelReferences } from '../../shared/src/evaluate/reference-rewrite';
import { requestFor, rowsOf } from '../unit/evaluate/evaluation-fixture';
import { buildModel } from '../unit/evaluate/model-builder';

describe('evaluation with the DuckDB SQL parser', () => {
  let warehouse: DuckDbWarehouse;
  const parser = new DuckDbSqlParser();

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:' });
  });
  afterEach(async () => {
    await warehouse.close();
  });
  afterAll(async () => {
    await parser.close();
  });

  it('rewrites references at the offsets the parser reports, past multi-byte text, CTEs and comments', async () => {
    // Arrange
    const sql = `WITH orders AS (SELECT 1 AS id) -- «orders» is a CTE here
      SELECT '€ → ✓' AS label, o.id, c.name FROM orders o JOIN "Shop"."Customers" AS c ON TRUE
      WHERE c.id IN (SELECT id FROM shop.customers /* again */)`;

    // Act
    const refs = await parser.referencedTables(sql);
    const out = rewriteModelReferences(sql, refs, (n) => (n === 'shop.customers' ? '"p"."shop__customers__1"' : undefined));

    // Assert
    expect(out).toBe(`WITH orders AS (SELECT 1 AS id) -- «orders» is a CTE here
      SELECT '€ → ✓' AS label, o.id, c.name FROM orders o JOIN "p"."shop__customers__1" AS c ON TRUE
      WHERE c.id IN (SELECT id FROM "p"."shop__customers__1" AS customers /* again */)`);
  });

  it('evaluates a model whose parents are read through their physical tables', async () => {
    // Arrange
    const customers = buildModel({ name: 'shop.customers', query: `SELECT 1 AS id, 'Ann' AS name UNION ALL SELECT 2, 'Bob'` });
    const orders = buildModel({ name: 'shop.orders', query: 'SELECT 10 AS order_id, 2 AS customer_id' });
    const report = buildModel({
      name: 'shop.report',
      query: `SELECT orders.order_id, customers.name -- «names»
              FROM shop.orders JOIN shop.customers ON customers.id = orders.customer_id`,
    });
    await evaluateBatch(warehouse, { ...requestFor(customers), parser });
    await evaluateBatch(warehouse, { ...requestFor(orders), parser });

    // Act
    const result = await evaluateBatch(warehouse, { ...requestFor(report, { parents: [customers, orders] }), parser });

    // Assert
    expect(result.rows).toBe(1);
    expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__report__1', 'order_id')).toEqual([{ order_id: 10, name: 'Bob' }]);
  });
});
