import type { ConnectionOptions } from 'node:tls';
import { Pool, type PoolClient, type QueryResult } from 'pg';
import { EvaluationError } from '../../shared/src/errors';
import type { Row, Warehouse, WarehouseSession } from '../../shared/src/ports/warehouse';
import { isServerReported, wrapPostgresError } from './postgres-errors';
import { plainPostgresTypes } from './postgres-values';

/**
 * PostgreSQL as a Meshcron warehouse: a pg connection pool, one pooled client per transaction, results as
 * plain JS (see postgres-values.ts) and errors that never carry the password or the server address
 * (see postgres-errors.ts). Every session runs with `TimeZone=UTC` so time values never depend on server
 * or role settings.
 */

/** libpq `sslmode` values that node-postgres can honour. */
export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** Options of {@link openPostgresWarehouse}. */
export interface PostgresWarehouseOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Kept out of the pool's options object (read through a closure) and masked in error messages. */
  readonly password: string;
  readonly database: string;
  /**
   * TLS use, as libpq's `sslmode`. Default `disable`; use `verify-full` for a server across a network.
   * `prefer` and `allow` are refused: node-postgres cannot fall back between TLS and plain connections,
   * and silently choosing either would surprise someone.
   */
  readonly sslmode?: PostgresSslMode;
  /** Seconds to wait for a connection (TCP, TLS and authentication). Default {@link DEFAULT_CONNECT_TIMEOUT_SECONDS}. */
  readonly connectTimeoutSeconds?: number;
  /** Role to `SET ROLE` to on every new connection (the login user must be a member of it). */
  readonly role?: string;
  /** Connections in the pool; transactions hold one each. Default {@link DEFAULT_POOL_SIZE}. */
  readonly poolSize?: number;
}

/** Enough for the default `concurrent_tasks` of every engine (≤ 4) without starving a transaction. */
const DEFAULT_POOL_SIZE = 4;
/** A reachable server answers in well under a second; 10 s tolerates a cold managed instance. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** Idle connections are closed after this long, so a long-lived process does not pin server slots. */
const IDLE_TIMEOUT_MS = 30_000;
/** Shows up in `pg_stat_activity`, so a DBA can tell Meshcron's sessions apart. */
const APPLICATION_NAME = 'meshcron';
/**
 * Settings of every session: UTC for TIMESTAMPTZ text and `now()`, ISO date output so the value parsers
 * read one format whatever the server, database or role defaults say. Sent as SET after connecting rather
 * than as the `options` startup parameter, which connection poolers such as PgBouncer refuse.
 */
const SESSION_SETUP = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'";
const SSL_MODES: readonly string[] = ['disable', 'require', 'verify-ca', 'verify-full'];
const MAX_PORT = 65_535;

/**
 * Opens a pool on a PostgreSQL database and checks that one connection works (so a wrong password or an
 * unreachable server fails here, not in the first batch).
 *
 * @throws EvaluationError for invalid options or when the first connection fails; the message names
 *   neither the password nor the host.
 * @example
 * const warehouse = await openPostgresWarehouse({
 *   host: 'db.internal', port: 5432, user: 'meshcron', password, database: 'analytics', sslmode: 'verify-full',
 * });
 * await warehouse.execute('CREATE SCHEMA IF NOT EXISTS s');
 * await warehouse.close();
 */
export async function openPostgresWarehouse(options: PostgresWarehouseOptions): Promise<PostgresWarehouse> {
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const timeout = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
  validateOptions(options, poolSize, timeout);
  const { password, role } = options;
  const pool = new Pool({
    host: options.host,
    port: options.port,
    user: options.user,
    password: () => password,
    database: options.database,
    ssl: sslOptions(options.sslmode ?? 'disable'),
    connectionTimeoutMillis: timeout * 1000,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    max: poolSize,
    application_name: APPLICATION_NAME,
    types: plainPostgresTypes,
    // pg-pool awaits this before handing a new client out, so these apply before any caller's SQL.
    onConnect: async (client) => {
      await client.query(role === undefined ? SESSION_SETUP : `${SESSION_SETUP}; SET ROLE ${quoteIdentifier(role)}`);
    },
  });
  // An idle client whose server goes away emits 'error' on the pool; unhandled, that would crash the
  // process. The pool drops the client itself, and the next checkout reports the problem.
  pool.on('error', () => undefined);
  const warehouse = new PostgresWarehouse(pool, [password]);
  try {
    await warehouse.query('SELECT 1 AS ok');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return warehouse;
}

/** {@link Warehouse} on PostgreSQL. Create it with {@link openPostgresWarehouse}. */
export class PostgresWarehouse implements Warehouse {
  readonly dialect = 'postgres';
  // Private fields (not TS `private`) keep the pool, whose options hold the password closure, out of
  // util.inspect and JSON output of the warehouse.
  readonly #pool: Pool;
  readonly #secrets: readonly string[];
  readonly #broken = new WeakSet<PoolClient>();
  #closed = false;

  constructor(pool: Pool, secrets: readonly string[]) {
    this.#pool = pool;
    this.#secrets = secrets;
  }

  async execute(sql: string): Promise<void> {
    await this.#withClient((c) => this.#run(c, sql));
  }

  async query(sql: string): Promise<Row[]> {
    return this.#withClient(async (c) => rowsOf(await this.#run(c, sql)));
  }

  async transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    return this.#withClient(async (c) => {
      await this.#run(c, 'BEGIN');
      let open = true;
      const session: WarehouseSession = {
        execute: async (sql) => {
          if (!open) throw new EvaluationError('transaction already finished');
          await this.#run(c, sql);
        },
        query: async (sql) => {
          if (!open) throw new EvaluationError('transaction already finished');
          return rowsOf(await this.#run(c, sql));
        },
      };
      let result: T;
      try {
        result = await fn(session);
      } catch (e) {
        open = false;
        // After a failed statement PostgreSQL refuses everything but ROLLBACK; a rollback error (say, a lost
        // connection) must not hide the error that caused it, and #withClient discards a broken client.
        await c.query('ROLLBACK').catch(() => this.#broken.add(c));
        throw e;
      }
      open = false;
      // COMMIT of an aborted transaction "succeeds" as a ROLLBACK; it only happens when fn swallowed a
      // statement error, and then nothing was committed, which the caller must hear about.
      const status = await this.#run(c, 'COMMIT');
      if (!Array.isArray(status) && status.command === 'ROLLBACK') {
        throw new EvaluationError('PostgreSQL rolled the transaction back at COMMIT: a statement inside it had failed');
      }
      return result;
    });
  }

  async relationExists(schema: string, name: string): Promise<boolean> {
    // pg_catalog rather than information_schema: the latter hides relations the role has no privilege on,
    // and creating one that exists would then fail.
    const result = await this.#withClient((c) =>
      this.#run(
        c,
        `SELECT 1 AS found FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE lower(n.nspname) = lower($1) AND lower(c.relname) = lower($2) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         LIMIT 1`,
        [schema, name],
      ),
    );
    return rowsOf(result).length > 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new EvaluationError('PostgreSQL warehouse is closed');
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (e) {
      throw wrapPostgresError(e, this.#secrets);
    }
    try {
      return await fn(client);
    } finally {
      // A client that failed below the SQL level (socket, protocol) is destroyed rather than reused.
      client.release(this.#broken.has(client) ? new Error('connection failed') : undefined);
    }
  }

  async #run(c: PoolClient, sql: string, values?: readonly unknown[]): Promise<QueryResult | QueryResult[]> {
    try {
      // Several `;`-separated statements are allowed without values (simple protocol): the result is then
      // one QueryResult per statement, which pg's types do not express.
      return (await c.query(sql, values === undefined ? undefined : [...values])) as QueryResult | QueryResult[];
    } catch (e) {
      if (!isServerReported(e)) this.#broken.add(c);
      throw wrapPostgresError(e, this.#secrets);
    }
  }
}

/** Rows of the last statement that returned any (a multi-statement query reports each statement). */
function rowsOf(result: QueryResult | QueryResult[]): Row[] {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return (last?.rows ?? []) as Row[];
}

function validateOptions(options: PostgresWarehouseOptions, poolSize: number, timeout: number): void {
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new EvaluationError(`PostgreSQL pool size must be a positive integer, got ${String(poolSize)}`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > MAX_PORT) {
    throw new EvaluationError(`PostgreSQL port must be an integer from 1 to ${MAX_PORT}, got ${String(options.port)}`);
  }
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new EvaluationError(`PostgreSQL connectTimeoutSeconds must be a positive number, got ${String(timeout)}`);
  }
  if (options.sslmode !== undefined && !SSL_MODES.includes(options.sslmode)) {
    throw new EvaluationError(
      `PostgreSQL sslmode '${String(options.sslmode)}' is not supported; allowed: ${SSL_MODES.join(', ')}`,
    );
  }
  for (const key of ['host', 'user', 'database'] as const) {
    if (options[key].trim() === '') throw new EvaluationError(`PostgreSQL ${key} must not be empty`);
  }
}

/** `require` encrypts without checking the certificate, as libpq does; `verify-ca` skips the host name check. */
function sslOptions(mode: PostgresSslMode): false | ConnectionOptions {
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
