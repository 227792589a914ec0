import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbWarehouse, openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { EvaluationError } from '../../shared/src/errors';

describe('DuckDbWarehouse', () => {
  let warehouse: DuckDbWarehouse;

  beforeEach(async () => {
    warehouse = await openDuckDbWarehouse({ database: ':memory:', connections: 2 });
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('converts result values to plain JS', async () => {
    // Act
    const rows = await warehouse.query(`
      SELECT 1::INTEGER AS i, 9007199254740991::BIGINT AS safe_big, 9007199254740993::BIGINT AS unsafe_big,
             12::HUGEINT AS huge, 1.5::DOUBLE AS d, 'x' AS s, TRUE AS b, NULL AS n,
             DATE '2024-02-29' AS day,
             TIMESTAMP '2024-01-01 01:02:03' AS ts,
             TIMESTAMP '2024-01-01 23:59:59.999999' AS ts_micro,
             TIMESTAMPTZ '2024-01-01 05:00:00+05:00' AS tstz,
             [1, 2] AS list, {'k': 9007199254740993::BIGINT} AS struct`);

    // Assert
    expect(rows).toEqual([
      {
        i: 1,
        safe_big: 9007199254740991,
        unsafe_big: '9007199254740993',
        huge: 12,
        d: 1.5,
        s: 'x',
        b: true,
        n: null,
        day: '2024-02-29',
        ts: '2024-01-01T01:02:03.000Z',
        ts_micro: '2024-01-01T23:59:59.999999Z',
        tstz: '2024-01-01T00:00:00.000Z',
        list: [1, 2],
        struct: { k: '9007199254740993' },
      },
    ]);
  });

  it('commits a transaction that resolves', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER)');

    // Act
    const result = await warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1), (2)');
      return (await tx.query('SELECT count(*) AS n FROM t'))[0]?.n;
    });

    // Assert
    expect(result).toBe(2);
    expect(await warehouse.query('SELECT sum(x) AS s FROM t')).toEqual([{ s: 3 }]);
  });

  it('rolls back a transaction whose statement fails and rethrows as EvaluationError', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)');

    // Act
    const attempt = warehouse.transaction(async (tx) => {
      await tx.execute('DELETE FROM t');
      await tx.execute(`INSERT INTO t SELECT CAST('not a number' AS INTEGER)`);
    });

    // Assert
    await expect(attempt).rejects.toThrow(EvaluationError);
    await expect(attempt).rejects.toThrow(/^DuckDB: Conversion Error: Could not convert string 'not a number'/);
    expect(await warehouse.query('SELECT x FROM t')).toEqual([{ x: 7 }]);
  });

  it('rolls back when the callback itself throws', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER)');

    // Act
    const attempt = warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      throw new Error('caller gave up');
    });

    // Assert
    await expect(attempt).rejects.toThrow('caller gave up');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('keeps other connections usable while a transaction holds one', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');

    // Act: an uncommitted insert is invisible to a query on another pooled connection
    const seenOutside = await warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (2)');
      return warehouse.query('SELECT count(*) AS n FROM t');
    });

    // Assert
    expect(seenOutside).toEqual([{ n: 1 }]);
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('runs queries on two connections in parallel', async () => {
    // Arrange: each query notes when DuckDB started it, then blocks its connection for 300 ms. Run one after the
    // other, the second cannot start before the first has slept: its start would be >= 300 ms later.
    const sleep = 'SELECT epoch_ms(get_current_timestamp()) AS started, sleep_ms(300) AS s';

    // Act
    const [a, b] = await Promise.all([warehouse.query(sleep), warehouse.query(sleep)]);

    // Assert: both started before either could have finished
    expect(Math.abs(Number(a?.[0]?.started) - Number(b?.[0]?.started))).toBeLessThan(300);
  });

  it('queues work beyond the pool size instead of failing', async () => {
    // Arrange
    const single = await openDuckDbWarehouse({ database: ':memory:', connections: 1 });
    const sleep = 'SELECT sleep_ms(150) AS s';

    // Act
    const results = await Promise.all([single.query(sleep), single.query(sleep), single.query('SELECT 1 AS one')]);
    await single.close();

    // Assert
    expect(results[2]).toEqual([{ one: 1 }]);
  });

  it('reports whether a table or view exists, case-insensitively', async () => {
    // Arrange
    await warehouse.execute('CREATE SCHEMA s; CREATE TABLE s.tbl (x INTEGER); CREATE VIEW s.vw AS SELECT 1 AS x');

    // Act / Assert
    expect(await warehouse.relationExists('s', 'tbl')).toBe(true);
    expect(await warehouse.relationExists('S', 'VW')).toBe(true);
    expect(await warehouse.relationExists('s', 'missing')).toBe(false);
    expect(await warehouse.relationExists('other', 'tbl')).toBe(false);
  });

  it('rejects work after close', async () => {
    // Act
    await warehouse.close();

    // Assert
    await expect(warehouse.query('SELECT 1')).rejects.toThrow('DuckDB warehouse is closed');
  });
});

describe('DuckDbWarehouse on a file', () => {
  it('persists committed data across reopen', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'meshcron-duckdb-'));
    const database = join(dir, 'warehouse.duckdb');
    try {
      const first = await openDuckDbWarehouse({ database });
      await first.execute('CREATE SCHEMA s; CREATE TABLE s.t (x INTEGER); INSERT INTO s.t VALUES (42)');
      await first.close();

      // Act
      const second = await openDuckDbWarehouse({ database });
      const rows = await second.query('SELECT x FROM s.t');
      await second.close();

      // Assert
      expect(rows).toEqual([{ x: 42 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad pool size', async () => {
    await expect(openDuckDbWarehouse({ database: ':memory:', connections: 0 })).rejects.toThrow(
      'DuckDB pool size must be a positive integer, got 0',
    );
  });
});
