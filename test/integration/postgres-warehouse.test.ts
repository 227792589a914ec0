import { inspect } from 'node:util';
import { Client } from 'pg';
import { openPostgresWarehouse, type PostgresWarehouse } from '../../functions/adapters/postgres-warehouse';
import { EvaluationError } from '../../shared/src/errors';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';

/** A password no message could contain by accident, so finding it anywhere means it leaked. */
const RECOGNISABLE_PASSWORD = 'Zq7-recognisable-SECRET-pw-31337';
const LOGIN_ROLE = 'meshcron_app';
const GROUP_ROLE = 'meshcron_writer';

let cluster: PostgresCluster;
let databaseCounter = 0;

/** Runs SQL as the cluster's superuser. */
async function admin(sql: string, database = cluster.database): Promise<void> {
  const client = new Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database owned by the login role, so tests never see each other's tables. */
async function freshDatabase(): Promise<string> {
  databaseCounter += 1;
  const name = `wh_${databaseCounter}`;
  await admin(`CREATE DATABASE ${name} OWNER ${LOGIN_ROLE}`);
  return name;
}

function connection(database: string): Parameters<typeof openPostgresWarehouse>[0] {
  return {
    host: cluster.host,
    port: cluster.port,
    user: LOGIN_ROLE,
    password: RECOGNISABLE_PASSWORD,
    database,
    sslmode: 'disable',
  };
}

/** Everything an error exposes to a logger: message, stack, cause chain and own properties. */
function everythingIn(e: unknown): string {
  return `${String(e)}\n${inspect(e, { depth: 10, showHidden: true })}\n${JSON.stringify(e)}`;
}

beforeAll(async () => {
  cluster = await startPostgresCluster();
  await admin(`CREATE ROLE ${LOGIN_ROLE} LOGIN PASSWORD '${RECOGNISABLE_PASSWORD}'`);
  await admin(`CREATE ROLE ${GROUP_ROLE} NOLOGIN; GRANT ${GROUP_ROLE} TO ${LOGIN_ROLE}`);
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('PostgresWarehouse', () => {
  let database: string;
  let warehouse: PostgresWarehouse;

  beforeEach(async () => {
    database = await freshDatabase();
    warehouse = await openPostgresWarehouse({ ...connection(database), poolSize: 2 });
  });
  afterEach(async () => {
    await warehouse.close();
  });

  it('converts result values to plain JS like the DuckDB adapter', async () => {
    // Act
    const rows = await warehouse.query(`
      SELECT 1::INTEGER AS i, 9007199254740991::BIGINT AS safe_big, 9007199254740993::BIGINT AS unsafe_big,
             count(*) AS counted, 12.50::NUMERIC(10, 2) AS dec, 12345678901234567.891::NUMERIC AS long_dec,
             1.5::DOUBLE PRECISION AS d, 'x' AS s, TRUE AS b, NULL::TEXT AS n,
             DATE '2024-02-29' AS day,
             TIMESTAMP '2024-01-01 01:02:03' AS ts,
             TIMESTAMP '2024-01-01 23:59:59.999999' AS ts_micro,
             TIMESTAMP '0044-03-15 12:00:00 BC' AS ts_bc,
             TIMESTAMPTZ '2024-01-01 05:00:00+05:00' AS tstz,
             TIMESTAMPTZ '2024-06-30 20:30:00.25-04:30' AS tstz_frac,
             'infinity'::TIMESTAMP AS ts_inf,
             ARRAY[1, 9007199254740993]::BIGINT[] AS big_list,
             ARRAY[TIMESTAMP '2024-01-02 03:04:05', NULL] AS ts_list,
             '{"k": 1}'::JSONB AS doc
      FROM (VALUES (1), (2)) AS t(x)`);

    // Assert
    expect(rows).toEqual([
      {
        i: 1,
        safe_big: 9007199254740991,
        unsafe_big: '9007199254740993',
        counted: 2,
        dec: 12.5,
        long_dec: '12345678901234567.891',
        d: 1.5,
        s: 'x',
        b: true,
        n: null,
        day: '2024-02-29',
        ts: '2024-01-01T01:02:03.000Z',
        ts_micro: '2024-01-01T23:59:59.999999Z',
        ts_bc: '-000043-03-15T12:00:00.000Z',
        tstz: '2024-01-01T00:00:00.000Z',
        tstz_frac: '2024-07-01T01:00:00.250Z',
        ts_inf: 'infinity',
        big_list: [1, '9007199254740993'],
        ts_list: ['2024-01-02T03:04:05.000Z', null],
        doc: { k: 1 },
      },
    ]);
  });

  it('runs several statements in one call and returns the rows of the last', async () => {
    // Act
    await warehouse.execute('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)');
    const rows = await warehouse.query('INSERT INTO t VALUES (3); SELECT sum(x) AS total FROM t');

    // Assert
    expect(rows).toEqual([{ total: 6 }]);
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
    await expect(attempt).rejects.toThrow(
      'PostgreSQL: invalid input syntax for type integer: "not a number" at character 27 [SQLSTATE 22P02]',
    );
    expect(await warehouse.query('SELECT x FROM t')).toEqual([{ x: 7 }]);
  });

  it('rolls back when the callback itself throws, and the connection stays usable', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER)');

    // Act
    const attempt = warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      throw new Error('caller gave up');
    });

    // Assert
    await expect(attempt).rejects.toThrow('caller gave up');
    const counts = await Promise.all([1, 2, 3].map(() => warehouse.query('SELECT count(*) AS n FROM t')));
    expect(counts).toEqual([[{ n: 0 }], [{ n: 0 }], [{ n: 0 }]]);
  });

  it('refuses to report success when a swallowed statement error aborted the transaction', async () => {
    // Arrange
    await warehouse.execute('CREATE TABLE t (x INTEGER)');

    // Act
    const attempt = warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      await tx.execute('SELECT * FROM missing_table').catch(() => undefined);
    });

    // Assert
    await expect(attempt).rejects.toThrow('PostgreSQL rolled the transaction back at COMMIT');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('rejects statements on a session after its transaction finished', async () => {
    // Arrange
    let leaked: Parameters<Parameters<PostgresWarehouse['transaction']>[0]>[0] | undefined;
    await warehouse.transaction(async (tx) => {
      leaked = tx;
    });

    // Act / Assert
    await expect(leaked?.query('SELECT 1')).rejects.toThrow('transaction already finished');
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

  it('runs queries on two clients in parallel', async () => {
    // Arrange: pg_sleep blocks its connection without using CPU, so timing does not depend on the machine
    const sleep = 'SELECT pg_sleep(0.3) AS s';
    await warehouse.query('SELECT 1'); // both pooled clients exist after the open check and this query

    // Act
    const t0 = performance.now();
    const backends = await Promise.all([
      warehouse.query(`${sleep}; SELECT pg_backend_pid() AS pid`),
      warehouse.query(`${sleep}; SELECT pg_backend_pid() AS pid`),
    ]);
    const elapsed = performance.now() - t0;

    // Assert: one after the other would take at least 600 ms
    expect(elapsed).toBeLessThan(550);
    expect(new Set(backends.map((r) => r[0]?.pid)).size).toBe(2);
  });

  it('queues work beyond the pool size instead of failing', async () => {
    // Arrange
    const single = await openPostgresWarehouse({ ...connection(database), poolSize: 1 });
    const sleep = 'SELECT pg_sleep(0.15) AS s';

    // Act
    const results = await Promise.all([single.query(sleep), single.query(sleep), single.query('SELECT 1 AS one')]);
    await single.close();

    // Assert
    expect(results[2]).toEqual([{ one: 1 }]);
  });

  it('reports whether a table or view exists, case-insensitively', async () => {
    // Arrange
    await warehouse.execute(
      'CREATE SCHEMA s; CREATE TABLE s.tbl (x INTEGER); CREATE VIEW s.vw AS SELECT 1 AS x; CREATE TEMP TABLE tmp (x INTEGER)',
    );

    // Act / Assert
    expect(await warehouse.relationExists('s', 'tbl')).toBe(true);
    expect(await warehouse.relationExists('S', 'VW')).toBe(true);
    expect(await warehouse.relationExists('s', 'missing')).toBe(false);
    expect(await warehouse.relationExists('other', 'tbl')).toBe(false);
    expect(await warehouse.relationExists('public', 'tmp')).toBe(false);
  });

  it('runs every session in UTC whatever the role or process zone', async () => {
    // Arrange
    await admin(`ALTER ROLE ${LOGIN_ROLE} SET TimeZone = 'Asia/Kolkata'`);
    const other = await openPostgresWarehouse(connection(database));

    // Act
    const rows = await other.query(
      `SELECT current_setting('TimeZone') AS tz, CAST(TIMESTAMPTZ '2024-01-01 00:00:00+00' AS TEXT) AS shown`,
    );
    await other.close();
    await admin(`ALTER ROLE ${LOGIN_ROLE} RESET TimeZone`);

    // Assert
    expect(rows).toEqual([{ tz: 'UTC', shown: '2024-01-01 00:00:00+00' }]);
  });

  it('sets the configured role on every connection', async () => {
    // Arrange
    const asGroup = await openPostgresWarehouse({ ...connection(database), role: GROUP_ROLE, poolSize: 2 });

    // Act
    const users = await Promise.all([1, 2].map(() => asGroup.query('SELECT current_user AS u, pg_sleep(0.05) AS s')));
    await asGroup.close();

    // Assert
    expect(users.map((r) => r[0]?.u)).toEqual([GROUP_ROLE, GROUP_ROLE]);
  });

  it('rejects work after close', async () => {
    // Act
    await warehouse.close();

    // Assert
    await expect(warehouse.query('SELECT 1')).rejects.toThrow('PostgreSQL warehouse is closed');
  });

  it('never shows the password when inspected or serialised', () => {
    // Act
    const shown = `${inspect(warehouse, { depth: 10, showHidden: true })}\n${JSON.stringify(warehouse)}`;

    // Assert
    expect(shown).toContain('postgres');
    expect(shown).not.toContain(RECOGNISABLE_PASSWORD);
  });

  it('masks the password when a statement echoes it', async () => {
    // Act
    const error = await warehouse.query(`SELECT CAST('${RECOGNISABLE_PASSWORD}' AS INTEGER)`).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(EvaluationError);
    expect((error as Error).message).toBe('PostgreSQL: invalid input syntax for type integer: "***" at character 13 [SQLSTATE 22P02]');
  });
});

describe('openPostgresWarehouse failures', () => {
  it('refuses a wrong password without revealing either password', async () => {
    // Arrange
    const database = await freshDatabase();
    const wrong = `${RECOGNISABLE_PASSWORD}-wrong`;

    // Act
    const error = await openPostgresWarehouse({ ...connection(database), password: wrong }).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(EvaluationError);
    expect((error as Error).message).toBe(
      `PostgreSQL: password authentication failed for user "${LOGIN_ROLE}" [SQLSTATE 28P01]`,
    );
    expect(everythingIn(error)).not.toContain(RECOGNISABLE_PASSWORD);
  });

  it('reports an unreachable server without its address or the password', async () => {
    // Arrange: the cluster's port + 1 on loopback has nothing listening (a refused connection, not a timeout)
    const port = cluster.port === 65_535 ? cluster.port - 1 : cluster.port + 1;

    // Act
    const error = await openPostgresWarehouse({ ...connection('any'), port, connectTimeoutSeconds: 5 }).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(EvaluationError);
    expect((error as Error).message).toBe('PostgreSQL: cannot use the server connection: connection refused (ECONNREFUSED)');
    const shown = everythingIn(error);
    expect(shown).not.toContain(RECOGNISABLE_PASSWORD);
    expect(shown).not.toContain(String(port));
  });

  it.each([
    [{ poolSize: 0 }, 'PostgreSQL pool size must be a positive integer, got 0'],
    [{ port: 70_000 }, 'PostgreSQL port must be an integer from 1 to 65535, got 70000'],
    [{ connectTimeoutSeconds: -1 }, 'PostgreSQL connectTimeoutSeconds must be a positive number, got -1'],
    [{ sslmode: 'prefer' }, "PostgreSQL sslmode 'prefer' is not supported; allowed: disable, require, verify-ca, verify-full"],
    [{ host: ' ' }, 'PostgreSQL host must not be empty'],
  ])('rejects invalid options %j', async (override, message) => {
    // Act
    const attempt = openPostgresWarehouse({ ...connection('any'), ...(override as object) });

    // Assert
    await expect(attempt).rejects.toThrow(new EvaluationError(message));
  });
});
