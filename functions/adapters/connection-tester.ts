import { constants as fsConstants } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { classifyConnectionFailure, type ConnectionFailureSignal } from '../../shared/src/connections/classify-failure';
import { maskSecrets, secretValuesOf } from '../../shared/src/connections/secret-values';
import { toError } from '../../shared/src/errors';
import type { ConnectionTester, ConnectionTestResult } from '../../shared/src/ports/connection-store';
import type { Warehouse } from '../../shared/src/ports/warehouse';
import { openDuckDbWarehouse } from './duckdb-warehouse';
import { isServerReported } from './postgres-errors';
import { openWarehouse, type WarehouseConnection } from './warehouse-connection';

/** DuckDB writes its write-ahead log next to the database file. */
const DUCKDB_WAL_SUFFIX = '.wal';
/** Why a DuckDB file's folder cannot be made, by Node error code. */
const PATH_PROBLEMS: Readonly<Record<string, string>> = {
  EEXIST: 'part of the path is a file, not a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};
/** The Node error code wrapPostgresError appends to socket failures: `… (ECONNREFUSED)`. */
const TRAILING_ERROR_CODE = /\(([A-Z][A-Z0-9_]+)\)\s*$/;

/** Options of {@link WarehouseConnectionTester}. */
export interface WarehouseConnectionTesterOptions {
  /** Project folder that relative DuckDB paths are relative to. */
  readonly root: string;
}

/**
 * Tests a connection the way the executor will use it: opens it through {@link openWarehouse} (same TLS,
 * role and session settings), runs `SELECT 1`, and closes it, all within the timeout. A DuckDB file path
 * must be creatable; when the test created the file (or its folders), it removes them again, so a failed or
 * passed test leaves nothing behind. Failure messages are masked of every secret value.
 */
export class WarehouseConnectionTester implements ConnectionTester<WarehouseConnection> {
  constructor(private readonly options: WarehouseConnectionTesterOptions) {}

  async test(connection: WarehouseConnection, options: { readonly timeoutMs: number }): Promise<ConnectionTestResult> {
    const startedMs = performance.now();
    const secrets = secretValuesOf(connection);
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const opening = this.open(connection, options.timeoutMs, cleanups);
      const warehouse = await withTimeout(opening, options.timeoutMs);
      try {
        await withTimeout(warehouse.query('SELECT 1 AS ok'), options.timeoutMs);
      } finally {
        await warehouse.close().catch(() => undefined);
      }
      return { ok: true, elapsedMs: Math.round(performance.now() - startedMs) };
    } catch (e) {
      if (e instanceof TestTimeout) {
        const from = connection.type === 'postgres' ? ` from ${connection.host}:${connection.port}` : '';
        return { ok: false, reason: 'timeout', message: `no answer${from} within ${options.timeoutMs} ms` };
      }
      if (e instanceof UnusablePath) return { ok: false, reason: 'invalid_config', message: maskSecrets(e.message, secrets) };
      const error = toError(e);
      return { ok: false, reason: classifyConnectionFailure(signalOf(e)), message: maskSecrets(error.message, secrets) };
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    }
  }

  private async open(connection: WarehouseConnection, timeoutMs: number, cleanups: (() => Promise<void>)[]): Promise<Warehouse> {
    if (connection.type === 'postgres') {
      // The driver's own connect timeout, so a black-holed host is abandoned, not left connecting.
      const connectTimeout = Math.max(1, Math.ceil(timeoutMs / 1000));
      const opening = openWarehouse({ ...connection, connect_timeout: Math.min(connection.connect_timeout ?? connectTimeout, connectTimeout) }, this.options.root, '');
      // If the timeout wins the race, a late connection must still be closed, without making the caller
      // wait for the driver's own (whole-second) timeout.
      cleanups.push(async () => {
        void opening.then((late) => late.close()).catch(() => undefined);
      });
      return opening;
    }
    if (connection.database === undefined || connection.database === ':memory:') return openDuckDbWarehouse({ database: ':memory:' });
    const file = path.resolve(this.options.root, connection.database);
    await this.prepareDuckDbPath(file, connection.database, cleanups);
    return openDuckDbWarehouse({ database: file });
  }

  /** Creates the folders of a DuckDB file that does not exist yet and arranges to remove what the test made. */
  private async prepareDuckDbPath(file: string, written: string, cleanups: (() => Promise<void>)[]): Promise<void> {
    const existing = await stat(file).catch(() => undefined);
    if (existing) {
      if (!existing.isFile()) throw new UnusablePath(`database path '${written}' is not a file`);
      return;
    }
    let firstCreated: string | undefined;
    try {
      firstCreated = await mkdir(path.dirname(file), { recursive: true });
      await access(path.dirname(file), fsConstants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new UnusablePath(`database path '${written}' cannot be created: ${PATH_PROBLEMS[code] ?? 'the file system refused'} (${code})`);
    }
    cleanups.push(async () => {
      await rm(file, { force: true });
      await rm(`${file}${DUCKDB_WAL_SUFFIX}`, { force: true });
      if (firstCreated) await rm(firstCreated, { recursive: true, force: true });
    });
  }
}

/** The test ran out of time. */
class TestTimeout extends Error {}
/** A DuckDB path that can never work. */
class UnusablePath extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TestTimeout()), timeoutMs);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/**
 * What kind of failure the warehouse adapters reported: PostgreSQL errors arrive wrapped (EvaluationError)
 * with the server's DatabaseError as cause, or with the socket error's code at the end of the message.
 */
function signalOf(e: unknown): ConnectionFailureSignal {
  const error = toError(e);
  const cause = error.cause;
  if (isServerReported(cause)) return { sqlState: cause.code as string, message: error.message };
  if (isServerReported(e)) return { sqlState: e.code as string, message: error.message };
  const code = TRAILING_ERROR_CODE.exec(error.message)?.[1] ?? (e as { code?: unknown }).code;
  return { ...(typeof code === 'string' ? { errorCode: code } : {}), message: error.message };
}
