import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { EvaluationError } from '../../shared/src/errors';
import { evaluateBatch } from '../../shared/src/evaluate/evaluate-batch';
import { ensurePhysicalTable } from '../../shared/src/evaluate/physical-table';
import { day, requestFor, rowsOf } from '../unit/evaluate/evaluation-fixture';
import { buildModel, columns, seedKind, timeRangeKind, uniqueKeyKind } from '../unit/evaluate/model-builder';

const RAW_EVENTS = `
  CREATE SCHEMA raw;
  CREATE TABLE raw.events (id INTEGER, ds DATE, amount INTEGER);
  INSERT INTO raw.events VALUES
    (1, DATE '2024-01-01', 10), (2, DATE '2024-01-02', 20), (3, DATE '2024-01-02', 30), (4, DATE '2024-01-03', 40);
`;

describe('evaluateBatch on DuckDB: kinds', () => {
  let warehouse: DuckDbWarehouse;

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:' });
    await warehouse.execute(RAW_EVENTS);
  });
  afterEach(async () => {
    await warehouse.close();
  });

  describe('FULL', () => {
    const model = buildModel({
      name: 'shop.totals',
      query: 'SELECT ds, sum(amount)::INTEGER AS total FROM raw.events GROUP BY ds',
    });

    it('creates the table from the query schema and writes every row', async () => {
      // Act
      const result = await evaluateBatch(warehouse, requestFor(model));

      // Assert
      expect(result).toEqual({ rows: 3, warnings: [] });
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__totals__1', 'ds')).toEqual([
        { ds: '2024-01-01', total: 10 },
        { ds: '2024-01-02', total: 50 },
        { ds: '2024-01-03', total: 40 },
      ]);
    });

    it('replaces all rows on the next evaluation', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(model));
      await warehouse.execute('DELETE FROM raw.events WHERE ds = DATE \'2024-01-01\'');

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(2);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__totals__1', 'ds')).toEqual([
        { ds: '2024-01-02', total: 50 },
        { ds: '2024-01-03', total: 40 },
      ]);
    });

    it('keeps the previous table when the new query fails', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(model));
      const broken = buildModel({
        name: 'shop.totals',
        query: `SELECT ds, CAST(CASE WHEN ds = DATE '2024-01-03' THEN 'oops' ELSE '1' END AS INTEGER) AS total FROM raw.events`,
      });

      // Act
      const attempt = evaluateBatch(warehouse, requestFor(broken));

      // Assert
      await expect(attempt).rejects.toThrow(EvaluationError);
      await expect(attempt).rejects.toThrow(
        /^models\/shop_totals\.sql:1: model 'shop\.totals': writing FULL data failed: DuckDB: Conversion Error/,
      );
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__totals__1', 'ds')).toHaveLength(3);
    });

    it('uses declared columns for the table', async () => {
      // Arrange
      const typed = buildModel({
        name: 'shop.typed',
        columns: columns(['ds', 'DATE'], ['total', 'BIGINT']),
        query: 'SELECT ds, amount AS total FROM raw.events',
      });

      // Act
      await evaluateBatch(warehouse, requestFor(typed));

      // Assert
      expect(
        await warehouse.query(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'shop__typed__1' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        { column_name: 'ds', data_type: 'DATE' },
        { column_name: 'total', data_type: 'BIGINT' },
      ]);
    });
  });

  describe('VIEW', () => {
    it('creates a view over the parent physical table', async () => {
      // Arrange
      const parent = buildModel({ name: 'shop.events', query: 'SELECT * FROM raw.events' });
      const view = buildModel({
        name: 'shop.big_events',
        kind: { name: 'VIEW', materialized: false },
        query: 'SELECT id FROM shop.events WHERE amount >= 30',
      });
      await evaluateBatch(warehouse, requestFor(parent));

      // Act
      const result = await evaluateBatch(warehouse, requestFor(view, { parents: [parent] }));

      // Assert
      expect(result.rows).toBe(0);
      expect(
        await warehouse.query(`SELECT table_type FROM information_schema.tables WHERE table_name = 'shop__big_events__1'`),
      ).toEqual([{ table_type: 'VIEW' }]);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__big_events__1', 'id')).toEqual([{ id: 3 }, { id: 4 }]);
    });

    it('materializes a materialized view as a table', async () => {
      // Arrange
      const view = buildModel({
        name: 'shop.mat',
        kind: { name: 'VIEW', materialized: true },
        query: 'SELECT id FROM raw.events',
      });

      // Act
      const result = await evaluateBatch(warehouse, requestFor(view));

      // Assert
      expect(result.rows).toBe(4);
      expect(
        await warehouse.query(`SELECT table_type FROM information_schema.tables WHERE table_name = 'shop__mat__1'`),
      ).toEqual([{ table_type: 'BASE TABLE' }]);
    });
  });

  describe('INCREMENTAL_BY_TIME_RANGE', () => {
    const model = buildModel({
      name: 'shop.daily',
      kind: timeRangeKind('ds'),
      query: 'SELECT id, ds, amount FROM raw.events WHERE ds BETWEEN @start_ds AND @end_ds',
    });

    it('writes exactly the batch range', async () => {
      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)] }));

      // Assert
      expect(result).toEqual({ rows: 2, warnings: [] });
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__daily__1', 'id')).toEqual([
        { id: 2, ds: '2024-01-02', amount: 20 },
        { id: 3, ds: '2024-01-02', amount: 30 },
      ]);
    });

    it('replaces its own range and leaves the other days alone', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(4)] }));
      await warehouse.execute(`UPDATE raw.events SET amount = amount + 1; INSERT INTO raw.events VALUES (5, DATE '2024-01-02', 50)`);

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(3);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__daily__1', 'id')).toEqual([
        { id: 1, ds: '2024-01-01', amount: 10 },
        { id: 2, ds: '2024-01-02', amount: 21 },
        { id: 3, ds: '2024-01-02', amount: 31 },
        { id: 4, ds: '2024-01-03', amount: 40 },
        { id: 5, ds: '2024-01-02', amount: 50 },
      ]);
    });

    it('drops query rows outside the batch', async () => {
      // Arrange: the query ignores the range, the output filter must not
      const sloppy = buildModel({ name: 'shop.sloppy', kind: timeRangeKind('ds'), query: 'SELECT id, ds FROM raw.events' });

      // Act
      const result = await evaluateBatch(warehouse, requestFor(sloppy, { batch: [day(3), day(4)] }));

      // Assert
      expect(result.rows).toBe(1);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__sloppy__1', 'id')).toEqual([{ id: 4, ds: '2024-01-03' }]);
    });

    it('leaves the previous rows of the range untouched when the insert fails (R15)', async () => {
      // Arrange
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(4)] }));
      const failing = buildModel({
        name: 'shop.daily',
        kind: timeRangeKind('ds'),
        query: `SELECT id, ds, CAST(CASE WHEN id = 3 THEN 'x' ELSE '0' END AS INTEGER) AS amount
                FROM raw.events WHERE ds BETWEEN @start_ds AND @end_ds`,
      });

      // Act
      const attempt = evaluateBatch(warehouse, requestFor(failing, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      await expect(attempt).rejects.toThrow(/writing INCREMENTAL_BY_TIME_RANGE data failed: DuckDB: Conversion Error/);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__daily__1', 'id')).toEqual([
        { id: 1, ds: '2024-01-01', amount: 10 },
        { id: 2, ds: '2024-01-02', amount: 20 },
        { id: 3, ds: '2024-01-02', amount: 30 },
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
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));

      // Act
      const results = await Promise.all([
        evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false })),
        evaluateBatch(warehouse, requestFor(model, { batch: [day(3), day(4)], tableMayNotExist: false })),
      ]);

      // Assert
      expect(results.map((r) => r.rows)).toEqual([2, 1]);
      expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__daily__1')).toEqual([{ n: 4 }]);
    });

    it('stages the query first when the model reads its own table', async () => {
      // Arrange: each batch re-reads the day it replaces and doubles it
      const selfReading = buildModel({
        name: 'shop.acc',
        kind: timeRangeKind('ds'),
        dependsOnSelf: true,
        columns: columns(['ds', 'DATE'], ['n', 'INTEGER']),
        query: `SELECT ds, n * 2 AS n FROM shop.acc WHERE ds BETWEEN @start_ds AND @end_ds
                UNION ALL SELECT @start_date AS ds, 1 AS n WHERE NOT EXISTS (SELECT 1 FROM shop.acc WHERE ds = @start_date)`,
      });
      await evaluateBatch(warehouse, requestFor(selfReading, { batch: [day(1), day(2)] }));

      // Act
      const result = await evaluateBatch(warehouse, requestFor(selfReading, { batch: [day(1), day(2)], tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(1);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__acc__1', 'ds')).toEqual([{ ds: '2024-01-01', n: 2 }]);
    });

    it('refuses to evaluate without a batch', async () => {
      // Act
      const attempt = evaluateBatch(warehouse, requestFor(model));

      // Assert
      await expect(attempt).rejects.toThrow(
        "models/shop_daily.sql:1: model 'shop.daily' is INCREMENTAL_BY_TIME_RANGE and needs a batch interval to evaluate",
      );
    });

    it('names the time column and the table columns when the time column is missing', async () => {
      // Arrange
      const wrong = buildModel({ name: 'shop.wrong', kind: timeRangeKind('event_day'), query: 'SELECT id, ds FROM raw.events' });

      // Act
      const attempt = evaluateBatch(warehouse, requestFor(wrong, { batch: [day(1), day(2)] }));

      // Assert
      await expect(attempt).rejects.toThrow(
        "model 'shop.wrong' time_column: column 'event_day' is not in the table; its columns are id, ds",
      );
    });
  });

  describe('INCREMENTAL_BY_UNIQUE_KEY', () => {
    it('updates matching keys and inserts new ones', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.customers (id INTEGER, region VARCHAR, name VARCHAR)`);
      await warehouse.execute(`INSERT INTO raw.customers VALUES (1, 'eu', 'Ann'), (1, 'us', 'Bob'), (2, 'eu', 'Cid')`);
      const model = buildModel({
        name: 'shop.customers',
        kind: uniqueKeyKind(['id', 'region']),
        query: 'SELECT id, region, name FROM raw.customers',
      });
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

    it('honours when_matched written against target. and source.', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.items (id INTEGER, title VARCHAR, qty INTEGER)`);
      await warehouse.execute(`INSERT INTO raw.items VALUES (1, 'pen', 1), (2, 'ink', 1)`);
      const model = buildModel({
        name: 'shop.items',
        kind: uniqueKeyKind(['id'], {
          whenMatched: '(WHEN MATCHED THEN UPDATE SET target.title = COALESCE(source.title, target.title), target.qty = target.qty + source.qty)',
        }),
        query: 'SELECT id, title, qty FROM raw.items',
      });
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));
      await warehouse.execute(`DELETE FROM raw.items; INSERT INTO raw.items VALUES (1, NULL, 5), (3, 'cap', 2)`);

      // Act
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__items__1', 'id')).toEqual([
        { id: 1, title: 'pen', qty: 6 },
        { id: 2, title: 'ink', qty: 1 },
        { id: 3, title: 'cap', qty: 2 },
      ]);
    });

    it('adds merge_filter to the match condition', async () => {
      // Arrange: only target rows with qty < 10 may be updated; others count as not matched
      await warehouse.execute(`CREATE TABLE raw.stock (id INTEGER, qty INTEGER)`);
      await warehouse.execute(`INSERT INTO raw.stock VALUES (1, 1), (2, 50)`);
      const model = buildModel({
        name: 'shop.stock',
        kind: uniqueKeyKind(['id'], { mergeFilter: 'target.qty < 10' }),
        query: 'SELECT id, qty FROM raw.stock',
      });
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(1), day(2)] }));
      await warehouse.execute(`DELETE FROM raw.stock; INSERT INTO raw.stock VALUES (1, 7), (2, 8)`);

      // Act
      await evaluateBatch(warehouse, requestFor(model, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__stock__1', 'id, qty')).toEqual([
        { id: 1, qty: 7 },
        { id: 2, qty: 8 },
        { id: 2, qty: 50 },
      ]);
    });

    it('rolls back the delete when the insert of a merge fails', async () => {
      // Arrange
      await warehouse.execute(`CREATE TABLE raw.kv (k INTEGER, v VARCHAR); INSERT INTO raw.kv VALUES (1, '10')`);
      const good = buildModel({ name: 'shop.kv', kind: uniqueKeyKind(['k']), columns: columns(['k', 'INTEGER'], ['v', 'INTEGER']), query: 'SELECT k, v FROM raw.kv' });
      await evaluateBatch(warehouse, requestFor(good, { batch: [day(1), day(2)] }));
      await warehouse.execute(`UPDATE raw.kv SET v = 'eleven'`);

      // Act
      const attempt = evaluateBatch(warehouse, requestFor(good, { batch: [day(2), day(3)], tableMayNotExist: false }));

      // Assert
      await expect(attempt).rejects.toThrow(/writing INCREMENTAL_BY_UNIQUE_KEY data failed/);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__kv__1', 'k')).toEqual([{ k: 1, v: 10 }]);
    });
  });

  describe('SEED', () => {
    const csv = 'id,name,joined\n1,Ann,2024-01-01\n2,"Bob, Jr.",2024-01-02\n3,,2024-01-03\n4,Dee,2024-01-04\n5,Eve,2024-01-05\n';

    it('loads the CSV with the declared column types, batch_size rows per insert', async () => {
      // Arrange
      const model = buildModel({
        name: 'shop.people',
        kind: seedKind('/project/seeds/people.csv', { batchSize: 2 }),
        columns: columns(['id', 'INTEGER'], ['name', 'VARCHAR'], ['joined', 'DATE']),
        query: '',
      });

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { files: { '/project/seeds/people.csv': csv } }));

      // Assert
      expect(result.rows).toBe(5);
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__people__1', 'id')).toEqual([
        { id: 1, name: 'Ann', joined: '2024-01-01' },
        { id: 2, name: 'Bob, Jr.', joined: '2024-01-02' },
        { id: 3, name: null, joined: '2024-01-03' },
        { id: 4, name: 'Dee', joined: '2024-01-04' },
        { id: 5, name: 'Eve', joined: '2024-01-05' },
      ]);
    });

    it('infers column types when none are declared and replaces rows on reload', async () => {
      // Arrange
      const model = buildModel({ name: 'shop.inferred', kind: seedKind('/p/s.csv', { delimiter: ';' }), query: '' });
      const files = { '/p/s.csv': 'n;x;flag;d;label\n1;1.5;true;2024-01-01;a\n2;2;false;2024-01-02;b\n' };
      await evaluateBatch(warehouse, requestFor(model, { files }));

      // Act
      const result = await evaluateBatch(warehouse, requestFor(model, { files, tableMayNotExist: false }));

      // Assert
      expect(result.rows).toBe(2);
      expect(
        await warehouse.query(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'shop__inferred__1' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        { column_name: 'n', data_type: 'BIGINT' },
        { column_name: 'x', data_type: 'DOUBLE' },
        { column_name: 'flag', data_type: 'BOOLEAN' },
        { column_name: 'd', data_type: 'DATE' },
        { column_name: 'label', data_type: 'VARCHAR' },
      ]);
      expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__inferred__1')).toEqual([{ n: 2 }]);
    });

    it('rejects a CSV lacking a declared column, naming the CSV columns', async () => {
      // Arrange
      const model = buildModel({
        name: 'shop.bad_seed',
        kind: seedKind('/p/bad.csv'),
        columns: columns(['id', 'INTEGER'], ['email', 'VARCHAR']),
        query: '',
      });

      // Act
      const attempt = evaluateBatch(warehouse, requestFor(model, { files: { '/p/bad.csv': 'id,name\n1,Ann\n' } }));

      // Assert
      await expect(attempt).rejects.toThrow(
        "models/shop_bad_seed.sql:1: seed '/p/bad.csv' has no column 'email' declared in columns (...); its columns are id, name",
      );
    });

    it('reports an unreadable seed file', async () => {
      // Arrange
      const model = buildModel({ name: 'shop.gone', kind: seedKind('/p/gone.csv'), query: '' });

      // Act / Assert
      await expect(evaluateBatch(warehouse, requestFor(model))).rejects.toThrow(
        "models/shop_gone.sql:1: cannot read seed '/p/gone.csv' of model 'shop.gone': ENOENT: no such file '/p/gone.csv'",
      );
    });
  });

  describe('EMBEDDED and EXTERNAL', () => {
    it('inlines an EMBEDDED parent as an aliased subquery', async () => {
      // Arrange
      const embedded = buildModel({ name: 'shop.big', kind: { name: 'EMBEDDED' }, query: 'SELECT id, amount FROM raw.events WHERE amount > 15' });
      const child = buildModel({ name: 'shop.big_total', query: 'SELECT sum(big.amount)::INTEGER AS total FROM shop.big' });

      // Act
      await evaluateBatch(warehouse, requestFor(child, { parents: [embedded] }));

      // Assert
      expect(await rowsOf(warehouse, 'sqlmesh__shop.shop__big_total__1', 'total')).toEqual([{ total: 90 }]);
      expect(await warehouse.relationExists('sqlmesh__shop', 'shop__big__1')).toBe(false);
    });

    it('never evaluates an EMBEDDED model', async () => {
      // Arrange
      const embedded = buildModel({ name: 'shop.e', kind: { name: 'EMBEDDED' } });

      // Act / Assert
      await expect(evaluateBatch(warehouse, requestFor(embedded))).rejects.toThrow(
        "models/shop_e.sql:1: model 'shop.e' is EMBEDDED: it is inlined into the models that read it and is never evaluated",
      );
    });
  });

  describe('ensurePhysicalTable', () => {
    it('creates the table once, with declared columns, and reports whether it did', async () => {
      // Arrange
      const model = buildModel({
        name: 'shop.later',
        kind: timeRangeKind('ds'),
        columns: columns(['ds', 'DATE'], ['n', 'INTEGER']),
        query: 'SELECT ds, 1 AS n FROM raw.events WHERE ds BETWEEN @start_ds AND @end_ds',
      });

      // Act
      const first = await ensurePhysicalTable(warehouse, requestFor(model));
      const second = await ensurePhysicalTable(warehouse, requestFor(model));

      // Assert
      expect([first, second]).toEqual([true, false]);
      expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__later__1')).toEqual([{ n: 0 }]);
    });

    it('creates a table from the query schema without reading any row', async () => {
      // Arrange
      const model = buildModel({ name: 'shop.shape', query: `SELECT id, ds, 'x' AS tag FROM raw.events` });

      // Act
      await ensurePhysicalTable(warehouse, requestFor(model));

      // Assert
      expect(
        await warehouse.query(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'shop__shape__1' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        { column_name: 'id', data_type: 'INTEGER' },
        { column_name: 'ds', data_type: 'DATE' },
        { column_name: 'tag', data_type: 'VARCHAR' },
      ]);
      expect(await warehouse.query('SELECT count(*) AS n FROM sqlmesh__shop.shop__shape__1')).toEqual([{ n: 0 }]);
    });
  });
});

describe('evaluateBatch on a DuckDB file', () => {
  it('keeps a committed batch across reopen and a failed batch leaves no trace on disk', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'meshcron-eval-'));
    const database = join(dir, 'warehouse.duckdb');
    const model = buildModel({
      name: 'shop.daily',
      kind: timeRangeKind('ds'),
      query: 'SELECT id, ds, amount FROM raw.events WHERE ds BETWEEN @start_ds AND @end_ds',
    });
    const failing = buildModel({ ...model, query: `SELECT id, ds, CAST('x' AS INTEGER) AS amount FROM raw.events` });
    try {
      const first = await openDuckDbWarehouse({ database });
      await first.execute(RAW_EVENTS);
      await evaluateBatch(first, requestFor(model, { batch: [day(1), day(4)] }));
      await expect(evaluateBatch(first, requestFor(failing, { batch: [day(2), day(3)], tableMayNotExist: false }))).rejects.toThrow(
        /Conversion Error/,
      );
      await first.close();

      // Act
      const second = await openDuckDbWarehouse({ database });
      const rows = await rowsOf(second, 'sqlmesh__shop.shop__daily__1', 'id');
      await second.close();

      // Assert
      expect(rows).toEqual([
        { id: 1, ds: '2024-01-01', amount: 10 },
        { id: 2, ds: '2024-01-02', amount: 20 },
        { id: 3, ds: '2024-01-02', amount: 30 },
        { id: 4, ds: '2024-01-03', amount: 40 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
