import { openPostgresWarehouse, type PostgresWarehouse } from '../../functions/adapters/postgres-warehouse';
import { resolveAudits } from '../../shared/src/audit/resolve-audits';
import { evaluateBatch } from '../../shared/src/evaluate/evaluate-batch';
import { promoteViews } from '../../shared/src/evaluate/promote';
import type { ModelDefinition } from '../../shared/src/project/model';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';
import { day, requestFor, rowsOf } from '../unit/evaluate/evaluation-fixture';
import { auditUse, buildModel, columns, seedKind, timeRangeKind, uniqueKeyKind } from '../unit/evaluate/model-builder';

/**
 * The SQL the evaluator generates through the `postgres` dialect, run on a real PostgreSQL: time-range
 * bounds for each column type, staging tables, MERGE, seeds, view replacement, promotion and audits.
 */

const RAW_EVENTS = `
  CREATE SCHEMA raw;
  CREATE TABLE raw.events (id INTEGER, ds DATE, amount INTEGER);
  INSERT INTO raw.events VALUES
    (1, DATE '2024-01-01', 10), (2, DATE '2024-01-02', 20), (3, DATE '2024-01-02', 30), (4, DATE '2024-01-03', 40);
`;

/** Every schema the tests create: the raw inputs, the models' physical schema and environment views. */
const TEST_SCHEMAS = ['raw', 'phys', 'shop', 'sqlmesh__shop'];

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('evaluateBatch on PostgreSQL', () => {
  let warehouse: PostgresWarehouse;

  beforeAll(async () => {
    warehouse = await openPostgresWarehouse({ ...cluster, sslmode: 'disable' });
  });
  afterAll(async () => {
    await warehouse?.close();
  });
  // Dropping the schemas is much cheaper than a database per test, and no test uses any other schema.
  beforeEach(async () => {
    await warehouse.execute(`DROP SCHEMA IF EXISTS ${TEST_SCHEMAS.join(', ')} CASCADE`);
    await warehouse.execute(RAW_EVENTS);
  });

  describe('INCREMENTAL_BY_TIME_RANGE', () => {
    const daily = buildModel({
      name: 'shop.daily',
      kind: timeRangeKind('ds'),
      query: 'SELECT id, ds, amount FROM raw.events WHERE ds BETWEEN @start_ds AND @end_ds',
    });

    it('replaces its own DATE range and leaves the other days alone', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(daily, { batch: [day(1), day(4)] }));
      await warehouse.execute(`UPDATE raw.events SET amount = amount + 1`);

      // Act
      const result = await evaluateBatch(warehouse, requestFor(daily, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(2);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__daily__1', 'id')).toEqual([
        { id: 1, ds: '2024-01-01', amount: 10 },
        { id: 2, ds: '2024-01-02', amount: 21 },
        { id: 3, ds: '2024-01-02', amount: 31 },
        { id: 4, ds: '2024-01-03', amount: 40 },
      ]);
    });

    it('includes the last microsecond of a TIMESTAMP batch and excludes the next instant', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.ticks AS SELECT * FROM (VALUES
        (1, TIMESTAMP '2024-01-01 23:59:59.999999'), (2, TIMESTAMP '2024-01-02 00:00:00'),
        (3, TIMESTAMP '2024-01-02 23:59:59.999999'), (4, TIMESTAMP '2024-01-03 00:00:00')) AS t(id, happened)`);
      const ticks = buildModel({ name: 'shop.ticks', kind: timeRangeKind('happened'), query: 'SELECT id, happened FROM raw.ticks' });

      // Act
      await evaluateBatch(warehouse, requestFor(ticks, { batch: [day(2), day(3)] }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__ticks__1', 'id')).toEqual([
        { id: 2, happened: '2024-01-02T00:00:00.000Z' },
        { id: 3, happened: '2024-01-02T23:59:59.999999Z' },
      ]);
    });

    it('filters a TIMESTAMPTZ column in UTC', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.tz AS SELECT * FROM (VALUES
        (1, TIMESTAMPTZ '2024-01-02 00:30:00+01:00'), (2, TIMESTAMPTZ '2024-01-02 01:30:00+01:00')) AS t(id, happened)`);
      const tz = buildModel({ name: 'shop.tz', kind: timeRangeKind('happened'), query: 'SELECT id, happened FROM raw.tz' });

      // Act
      await evaluateBatch(warehouse, requestFor(tz, { batch: [day(2), day(3)] }));

      // Assert: 00:30+01:00 is 2024-01-01 23:30 UTC, outside the batch
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__tz__1', 'id')).toEqual([{ id: 2, happened: '2024-01-02T00:30:00.000Z' }]);
    });

    it.each([
      ['VARCHAR', `'20240102'`, `'20240103'`, '20240102'],
      ['INTEGER', '20240102', '20240103', 20240102],
      ['BIGINT', '20240102', '20240103', 20240102],
    ])('formats the bounds of a %s time column with its format', async (type, inside, outside, stored) => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.keyed AS SELECT * FROM (VALUES (1, ${inside}::${type}), (2, ${outside}::${type})) AS t(id, k)`);
      const keyed = buildModel({ name: 'shop.keyed', kind: timeRangeKind('k', '%Y%m%d'), query: 'SELECT id, k FROM raw.keyed' });

      // Act
      const result = await evaluateBatch(warehouse, requestFor(keyed, { batch: [day(2), day(3)] }));

      // Assert
      expect(result.rows).toBe(1);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__keyed__1', 'id')).toEqual([{ id: 1, k: stored }]);
    });

    it('runs independent batches of one model concurrently into the same table', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(daily, { batch: [day(1), day(2)] }));

      // Act
      const results = await Promise.all([
        evaluateBatch(warehouse, requestFor(daily, { batch: [day(2), day(3)], tableMayNotExist: false })),
        evaluateBatch(warehouse, requestFor(daily, { batch: [day(3), day(4)], tableMayNotExist: false })),
      ]);

      // Assert
      expect(results.map((r) => r.rows)).toEqual([2, 1]);
      expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__daily__1')).toEqual([{ n: 4 }]);
    });

    it('stages the query in a temporary table when the model reads its own table', async () => {
      // Arrange: each batch re-reads the day it replaces and doubles it
      const selfReading = buildModel({
        name: 'shop.acc',
        kind: timeRangeKind('ds'),
        dependsOnSelf: true,
        columns: columns(['ds', 'DATE'], ['n', 'INTEGER']),
        query: `SELECT ds, n * 2 AS n FROM shop.acc WHERE ds BETWEEN @start_ds AND @end_ds
                UNION ALL SELECT CAST(@start_ds AS DATE) AS ds, 1 AS n WHERE NOT EXISTS (SELECT 1 FROM shop.acc WHERE ds = @start_ds)`,
      });
      await evaluateBatch(warehouse, requestFor(selfReading, { batch: [day(1), day(2)] }));

      // Act
      const result = await evaluateBatch(warehouse, requestFor(selfReading, { batch: [day(1), day(2)], tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(1);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__acc__1', 'ds')).toEqual([{ ds: '2024-01-01', n: 2 }]);
    });

    it('checks audits against the rows of the batch only', async () => {
      // Arrange: day 1 has a negative amount, the audited batch does not
      await warehouse.execute(`UPDATE raw.events SET amount = -1 WHERE id = 1`);
      const audited = buildModel({ ...daily, audits: [auditUse('forall', { criteria: '(amount > 0)' }, false)] });
      const audits = resolveAudits(audited, new Map());
      await evaluateBatch(warehouse, requestFor(audited, { batch: [day(1), day(2)] }));

      // Act
      const result = await evaluateBatch(warehouse, requestFor(audited, { batch: [day(2), day(4)], audits, tableMayNotExist: false }));

      // Assert
      expect(result).toEqual({ rows: 3, warnings: [] });
    });
  });

  describe('INCREMENTAL_BY_UNIQUE_KEY', () => {
    it('deletes matching keys and inserts the batch', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.customers (id INTEGER, region VARCHAR, name VARCHAR)`);
      await warehouse.execute(`INSERT INTO raw.customers VALUES (1, 'eu', 'Ann'), (1, 'us', 'Bob'), (2, 'eu', 'Cid')`);
      const model = buildModel({ name: 'shop.customers', kind: uniqueKeyKind(['id', 'region']), query: 'SELECT id, region, name FROM raw.customers' });
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));
      await warehouse.execute(`DELETE FROM raw.customers; INSERT INTO raw.customers VALUES (1, 'us', 'Bobby'), (3, 'eu', 'Dee')`);

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(2);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__customers__1', 'id, region')).toEqual([
        { id: 1, region: 'eu', name: 'Ann' },
        { id: 1, region: 'us', name: 'Bobby' },
        { id: 2, region: 'eu', name: 'Cid' },
        { id: 3, region: 'eu', name: 'Dee' },
      ]);
    });

    it('runs a MERGE with when_matched and merge_filter written against target. and source.', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.stock (id INTEGER, qty INTEGER); INSERT INTO raw.stock VALUES (1, 5), (2, 50)`);
      const model = buildModel({
        name: 'shop.stock',
        kind: uniqueKeyKind(['id'], {
          whenMatched: 'WHEN MATCHED THEN UPDATE SET target.qty = target.qty + source.qty',
          mergeFilter: 'target.qty < 10',
        }),
        query: 'SELECT id, qty FROM raw.stock',
      });
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));
      await warehouse.execute(`DELETE FROM raw.stock; INSERT INTO raw.stock VALUES (1, 1), (3, 7)`);

      // Act
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert: id 1 merged (5 + 1); id 2 untouched; id 3 inserted
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__stock__1', 'id')).toEqual([
        { id: 1, qty: 6 },
        { id: 2, qty: 50 },
        { id: 3, qty: 7 },
      ]);
    });
  });

  describe('declared columns', () => {
    it('creates DuckDB-only column types as their PostgreSQL equivalents', async () => {
      // Arrange
      const typed = buildModel({
        name: 'shop.typed',
        columns: columns(['tiny', 'TINYINT'], ['huge', 'HUGEINT'], ['ratio', 'DOUBLE'], ['label', 'STRING'], ['at', 'DATETIME']),
        query: `SELECT 1 AS tiny, 170141183460469231731687303715884105727 AS huge, 0.25 AS ratio, 'x' AS label,
                TIMESTAMP '2024-01-01 00:00:00' AS at`,
      });

      // Act
      await evaluateBatch(warehouse, requestFor(typed));

      // Assert
      expect(
        await warehouse.query(
          `SELECT column_name, data_type, numeric_precision FROM information_schema.columns
           WHERE table_name = 'shop__typed__1' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        { column_name: 'tiny', data_type: 'smallint', numeric_precision: 16 },
        { column_name: 'huge', data_type: 'numeric', numeric_precision: 39 },
        { column_name: 'ratio', data_type: 'double precision', numeric_precision: 53 },
        { column_name: 'label', data_type: 'text', numeric_precision: null },
        { column_name: 'at', data_type: 'timestamp without time zone', numeric_precision: null },
      ]);
      expect(await warehouse.query('SELECT huge FROM sqlmesh__shop.shop__typed__1')).toEqual([
        { huge: '170141183460469231731687303715884105727' },
      ]);
    });
  });

  describe('SEED', () => {
    it('loads the CSV with the declared column types', async () => {
      // Arrange
      const model = buildModel({
        name: 'shop.people',
        kind: seedKind('/p/people.csv', { batchSize: 2 }),
        columns: columns(['id', 'INT'], ['name', 'VARCHAR'], ['joined', 'DATE'], ['price', 'DECIMAL(10, 2)'], ['ok', 'BOOLEAN']),
        query: '',
      });
      const files = { '/p/people.csv': 'id,name,joined,price,ok\n1,Ann,2024-01-01,9.50,true\n2,"Bob, Jr.",2024-01-02,,false\n3,,2024-01-03,1,true\n' };

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { files }));

      // Assert
      expect(result.rows).toBe(3);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__people__1', 'id')).toEqual([
        { id: 1, name: 'Ann', joined: '2024-01-01', price: 9.5, ok: true },
        { id: 2, name: 'Bob, Jr.', joined: '2024-01-02', price: null, ok: false },
        { id: 3, name: null, joined: '2024-01-03', price: 1, ok: true },
      ]);
    });
    it('infers seed column types and writes them as PostgreSQL types', async () => {
      // Arrange
      const model = buildModel({ name: 'shop.inferred', kind: seedKind('/p/s.csv', { delimiter: ';' }), query: '' });
      const files = { '/p/s.csv': 'n;x;flag;d;label;ts\n1;1.5;true;2024-01-01;a;2024-01-01 10:00:00\n2;2;false;2024-01-02;b;2024-01-02T11:30\n' };

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { files }));

      // Assert
      expect(result.rows).toBe(2);
      expect(
        await warehouse.query(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'shop__inferred__1' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        { column_name: 'n', data_type: 'bigint' },
        { column_name: 'x', data_type: 'double precision' },
        { column_name: 'flag', data_type: 'boolean' },
        { column_name: 'd', data_type: 'date' },
        { column_name: 'label', data_type: 'character varying' },
        { column_name: 'ts', data_type: 'timestamp without time zone' },
      ]);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__inferred__1', 'n')).toEqual([
        { n: 1, x: 1.5, flag: true, d: '2024-01-01', label: 'a', ts: '2024-01-01T10:00:00.000Z' },
        { n: 2, x: 2, flag: false, d: '2024-01-02', label: 'b', ts: '2024-01-02T11:30:00.000Z' },
      ]);
    });
  });

  describe('VIEW and promotion', () => {
    const products = buildModel({
      name: 'shop.products',
      kind: { name: 'VIEW', materialized: false },
      query: 'SELECT id, amount FROM raw.events',
    });
    const top = buildModel({
      name: 'shop.top',
      kind: { name: 'VIEW', materialized: false },
      query: 'SELECT id FROM shop.products WHERE amount > 15',
    });

    it('re-evaluates a view that another view reads without dropping the reader', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(products));
      await evaluateBatch(warehouse, requestFor(top, { parents: [products] }));

      // Act
      await evaluateBatch(warehouse, requestFor(products, { tableMayNotExist: false }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__top__1', 'id')).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }]);
    });

    it('replaces a view whose columns changed when nothing reads it', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(products));
      const reshaped: ModelDefinition = { ...products, query: `SELECT CAST(id AS TEXT) AS label FROM raw.events` };

      // Act
      await evaluateBatch(warehouse, requestFor(reshaped, { tableMayNotExist: false }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__products__1', 'label')).toEqual(
        ['1', '2', '3', '4'].map((label) => ({ label })),
      );
    });

    it('keeps a view query that contains the dollar-quote tags of the replacement block verbatim', async () => {
      // Arrange
      const tricky = buildModel({
        name: 'shop.tricky',
        kind: { name: 'VIEW', materialized: false },
        query: `SELECT '$meshcron_sql$' AS a, '$meshcron_do$ $$' AS b`,
      });
      await evaluateBatch(warehouse, requestFor(tricky));

      // Act
      await evaluateBatch(warehouse, requestFor(tricky, { tableMayNotExist: false }));

      // Assert
      expect(await warehouse.query('SELECT * FROM sqlmesh__shop.shop__tricky__1')).toEqual([
        { a: '$meshcron_sql$', b: '$meshcron_do$ $$' },
      ]);
    });

    it('re-points an environment view at a table with other columns', async () => {
      // Arrange
      await warehouse.execute(`CREATE SCHEMA phys; CREATE TABLE phys.v1 (a INTEGER); CREATE TABLE phys.v2 (b TEXT, c INTEGER);
        INSERT INTO phys.v2 VALUES ('x', 1)`);
      await promoteViews(warehouse, [{ view: { schema: 'shop', table: 'orders' }, target: 'phys.v1' }]);

      // Act
      await promoteViews(warehouse, [{ view: { schema: 'shop', table: 'orders' }, target: 'phys.v2' }]);

      // Assert
      expect(await warehouse.query('SELECT * FROM shop.orders')).toEqual([{ b: 'x', c: 1 }]);
    });
  });
});
