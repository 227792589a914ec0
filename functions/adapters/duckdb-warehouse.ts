import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { EvaluationError, toError } from '../../shared/src/errors';
import type { Row, Warehouse, WarehouseSession } from '../../shared/src/ports/warehouse';

/**
 * The embedded DuckDB warehouse. One database instance, a small pool of connections (two connections on one
 * instance really run queries in parallel, so independent batches do not queue behind each other), and a
 * dedicated connection per transaction.
 */

/** Options of {@link openDuckDbWarehouse}. */
export interface DuckDbWarehouseOptions {
  /** Database file path, or `':memory:'` for a private in-memory database. */
  readonly database: string;
  /** Connections in the pool; transactions borrow one each. Default {@link DEFAULT_POOL_SIZE}. */
  readonly connections?: number;
}

/** Enough for the default `concurrent_tasks` of every engine (≤ 4) without starving a transaction. */
const DEFAULT_POOL_SIZE = 4;
/** Largest integer a JS number holds exactly, as bigint, for BIGINT/HUGEINT conversion. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * Opens (or creates) a DuckDB database and returns it as a {@link Warehouse}.
 *
 * @example
 * const warehouse = await openDuckDbWarehouse({ database: ':memory:' });
 * await warehouse.execute('CREATE SCHEMA s');
 * await warehouse.close();
 */
export async function openDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
  const size = options.connections ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new EvaluationError(`DuckDB pool size must be a positive integer, got ${String(size)}`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(options.database);
  } catch (e) {
    throw new EvaluationError(`cannot open DuckDB database: ${messageOf(e)}`, { cause: e });
  }
  const connections: DuckDBConnection[] = [];
  for (let i = 0; i < size; i += 1) connections.push(await instance.connect());
  return new DuckDbWarehouse(instance, connections);
}

/** {@link Warehouse} on DuckDB. Create it with {@link openDuckDbWarehouse}. */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb';
  private readonly idle: DuckDBConnection[];
  private readonly waiters: Array<(c: DuckDBConnection) => void> = [];
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly all: readonly DuckDBConnection[],
  ) {
    this.idle = [...all];
  }

  async execute(sql: string): Promise<void> {
    await this.withConnection((c) => run(c, sql));
  }

  async query(sql: string): Promise<Row[]> {
    return this.withConnection((c) => readRows(c, sql));
  }

  async transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    return this.withConnection(async (c) => {
      await run(c, 'BEGIN TRANSACTION');
      let open = true;
      const session: WarehouseSession = {
        execute: async (sql) => {
          if (!open) throw new EvaluationError('transaction already finished');
          await run(c, sql);
        },
        query: async (sql) => {
          if (!open) throw new EvaluationError('transaction already finished');
          return readRows(c, sql);
        },
      };
      let result: T;
      try {
        result = await fn(session);
      } catch (e) {
        open = false;
        // A failed statement leaves DuckDB's transaction aborted; ROLLBACK clears it either way. A rollback
        // error must not hide the error that caused it.
        await c.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      open = false;
      try {
        await run(c, 'COMMIT');
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      return result;
    });
  }

  async relationExists(schema: string, name: string): Promise<boolean> {
    const rows = await this.withConnection(async (c) => {
      const reader = await c
        .runAndReadAll(
          `SELECT 1 AS found FROM information_schema.tables
           WHERE table_catalog = current_database() AND lower(table_schema) = lower($1) AND lower(table_name) = lower($2)`,
          [schema, name],
        )
        .catch((e: unknown) => {
          throw wrap(e);
        });
      return reader.currentRowCount;
    });
    return rows > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.all) c.closeSync();
    this.instance.closeSync();
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
      this.release(c);
    }
  }

  private acquire(): Promise<DuckDBConnection> {
    if (this.closed) return Promise.reject(new EvaluationError('DuckDB warehouse is closed'));
    const c = this.idle.pop();
    if (c) return Promise.resolve(c);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(c: DuckDBConnection): void {
    const next = this.waiters.shift();
    if (next) next(c);
    else this.idle.push(c);
  }
}

async function run(c: DuckDBConnection, sql: string): Promise<DuckDBMaterializedResult> {
  try {
    return await c.run(sql);
  } catch (e) {
    throw wrap(e);
  }
}

async function readRows(c: DuckDBConnection, sql: string): Promise<Row[]> {
  try {
    const reader = await c.runAndReadAll(sql);
    return reader.convertRowObjects(plainValueConverter) as Row[];
  } catch (e) {
    throw wrap(e);
  }
}

/** DuckDB messages name the statement and position but never the connection settings, so they are safe to keep. */
function wrap(e: unknown): EvaluationError {
  if (e instanceof EvaluationError) return e;
  return new EvaluationError(`DuckDB: ${messageOf(e)}`, { cause: e });
}

/**
 * The native binding's errors can come from another JS realm (jest's sandbox, worker threads), where
 * `instanceof Error` is false; read their message directly rather than serialising them.
 */
function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return toError(e).message;
}

/**
 * Converts DuckDB values to plain JSON-friendly JS: integers beyond 2^53 become decimal strings, dates
 * `YYYY-MM-DD`, timestamps ISO-8601 UTC with as many fractional digits as they carry (3 or 6).
 */
const plainValueConverter: DuckDBValueConverter<JS> = (
  value: DuckDBValue,
  type: DuckDBType,
  converter: DuckDBValueConverter<JS>,
): JS | null => {
  if (value === null) return null;
  if (typeof value === 'bigint') return bigintToPlain(value);
  if (value instanceof DuckDBDateValue) return value.isFinite ? value.toString() : String(value);
  if (value instanceof DuckDBTimestampTZValue) return microsToIso(value.micros);
  if (value instanceof DuckDBTimestampValue) return microsToIso(value.micros);
  if (value instanceof DuckDBTimestampSecondsValue) return microsToIso(value.seconds * 1_000_000n);
  if (value instanceof DuckDBTimestampMillisecondsValue) return microsToIso(value.millis * 1_000n);
  if (value instanceof DuckDBTimestampNanosecondsValue) return microsToIso(value.nanos / 1_000n);
  if (type.typeId === DuckDBTypeId.TIME || type.typeId === DuckDBTypeId.TIME_TZ) return String(value);
  return JSDuckDBValueConverter(value, type, converter);
};

function bigintToPlain(v: bigint): number | string {
  return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v.toString();
}

/** Largest |epoch ms| a JS Date represents; DuckDB's infinite timestamps lie beyond it. */
const MAX_DATE_MS = 8_640_000_000_000_000n;

function microsToIso(micros: bigint): string {
  const subMillis = ((micros % 1000n) + 1000n) % 1000n;
  const millis = (micros - subMillis) / 1000n;
  if (millis > MAX_DATE_MS) return 'infinity';
  if (millis < -MAX_DATE_MS) return '-infinity';
  const iso = new Date(Number(millis)).toISOString();
  if (subMillis === 0n) return iso;
  return `${iso.slice(0, -1)}${subMillis.toString().padStart(3, '0')}Z`;
}
