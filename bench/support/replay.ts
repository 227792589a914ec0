import { performance } from 'node:perf_hooks';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { RecordedCall, RecordedStatement } from './recording-warehouse';

/**
 * Replays a recording straight on DuckDB, with no Meshcron code in between: its time is the floor the
 * engine's own time is compared with. Two ways:
 * - sequential: one connection, calls one after another in the order Meshcron started them;
 * - concurrent: a pool of connections, each call waiting only for the calls that had finished before it
 *   started in the recording, so the replay gets exactly the parallelism Meshcron's batches had.
 */

export interface ReplayResult {
  /** Wall time of the statements only (opening the database is not counted). */
  readonly ms: number;
  /** Process CPU time over the same span (DuckDB's worker threads included). */
  readonly cpuMs: number;
  readonly statements: number;
  /** Statements whose outcome differed from the recording (failed here but not there, or the reverse). */
  readonly divergent: readonly string[];
}

/** The catalog lookup `relationExists` makes, with the same bound parameters. */
const RELATION_EXISTS_SQL = `SELECT 1 AS found FROM information_schema.tables
  WHERE table_catalog = current_database() AND lower(table_schema) = lower($1) AND lower(table_name) = lower($2)`;

async function runStatement(c: DuckDBConnection, s: RecordedStatement): Promise<boolean> {
  try {
    if (s.kind === 'execute') await c.run(s.sql);
    // Queries are read to the last row, as Meshcron reads them.
    else if (s.kind === 'query') await c.runAndReadAll(s.sql);
    else await c.runAndReadAll(RELATION_EXISTS_SQL, [s.schema, s.name]);
    return true;
  } catch {
    return false;
  }
}

function describe(s: RecordedStatement): string {
  const text = s.kind === 'relationExists' ? `relationExists(${s.schema}, ${s.name})` : s.sql.replace(/\s+/g, ' ');
  return `${s.failed ? 'failed when recorded, succeeded in replay' : 'succeeded when recorded, failed in replay'}: ${text.slice(0, 160)}`;
}

/** Replays one call on `c`; returns the number of statements and pushes any divergence. */
async function replayCall(c: DuckDBConnection, recorded: RecordedCall, divergent: string[]): Promise<number> {
  const check = (s: RecordedStatement, ok: boolean): void => {
    if (ok === s.failed) divergent.push(describe(s));
  };
  const call = recorded.call;
  if (call.kind !== 'transaction') {
    check(call, await runStatement(c, call));
    return 1;
  }
  await c.run('BEGIN TRANSACTION');
  for (const s of call.statements) check(s, await runStatement(c, s));
  if (call.outcome !== 'commit') {
    await c.run('ROLLBACK');
  } else {
    try {
      await c.run('COMMIT');
    } catch (e) {
      divergent.push(`COMMIT failed in replay: ${e instanceof Error ? e.message : String(e)}`);
      await c.run('ROLLBACK').catch(() => undefined);
    }
  }
  return call.statements.length;
}

/**
 * Resolves `waitFor(k)` once the first `k` calls in order of their recorded end have completed. Call j may
 * start when the calls that ended before it started have completed: a prefix of that order.
 */
function completionPrefix(calls: readonly RecordedCall[]): {
  prefixFor: (recorded: RecordedCall) => number;
  waitFor: (k: number) => Promise<void>;
  complete: (index: number) => void;
} {
  const byEnd = calls.map((_, i) => i).sort((a, b) => (calls[a] as RecordedCall).endSeq - (calls[b] as RecordedCall).endSeq);
  const endSeqs = byEnd.map((i) => (calls[i] as RecordedCall).endSeq);
  const done = new Array<boolean>(calls.length).fill(false);
  const waiters: { k: number; resolve: () => void }[] = [];
  let prefix = 0;
  return {
    prefixFor: (recorded) => {
      // Binary search: how many recorded ends come before this call's start.
      let lo = 0;
      let hi = endSeqs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((endSeqs[mid] as number) < recorded.startSeq) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    waitFor: (k) =>
      k <= prefix ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ k, resolve })),
    complete: (index) => {
      done[index] = true;
      while (prefix < byEnd.length && done[byEnd[prefix] as number]) prefix += 1;
      for (let i = waiters.length - 1; i >= 0; i -= 1) {
        const w = waiters[i] as { k: number; resolve: () => void };
        if (w.k <= prefix) {
          waiters.splice(i, 1);
          w.resolve();
        }
      }
    },
  };
}

/**
 * Replays `calls` on a new DuckDB database at `database` (a file path, like the warehouse Meshcron wrote)
 * with `connections` connections: 1 = sequential, more = concurrent as recorded. A statement that failed
 * when recorded is expected to fail again; any other difference is reported.
 */
export async function replayOnDuckDb(calls: readonly RecordedCall[], database: string, connections: number): Promise<ReplayResult> {
  const instance = await DuckDBInstance.create(database);
  const pool: DuckDBConnection[] = [];
  for (let i = 0; i < connections; i += 1) pool.push(await instance.connect());
  const all = [...pool];
  const divergent: string[] = [];
  let statements = 0;
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    if (connections === 1) {
      for (const recorded of calls) statements += await replayCall(pool[0] as DuckDBConnection, recorded, divergent);
    } else {
      const order = completionPrefix(calls);
      const idle: Array<(c: DuckDBConnection) => void> = [];
      const acquire = (): Promise<DuckDBConnection> => {
        const c = pool.pop();
        return c ? Promise.resolve(c) : new Promise((resolve) => idle.push(resolve));
      };
      const release = (c: DuckDBConnection): void => {
        const next = idle.shift();
        if (next) next(c);
        else pool.push(c);
      };
      const running: Promise<void>[] = [];
      for (let i = 0; i < calls.length; i += 1) {
        const recorded = calls[i] as RecordedCall;
        await order.waitFor(order.prefixFor(recorded));
        const c = await acquire();
        running.push(
          replayCall(c, recorded, divergent)
            .then(
              (n) => {
                statements += n;
              },
              (e: unknown) => {
                divergent.push(`call failed in replay: ${e instanceof Error ? e.message : String(e)}`);
              },
            )
            .finally(() => {
              release(c);
              order.complete(i);
            }),
        );
      }
      await Promise.all(running);
    }
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, statements, divergent };
  } finally {
    for (const c of all) c.closeSync();
    instance.closeSync();
  }
}

/** Row count of every base table, `schema.table → rows`, to check that a replay rebuilt the same data. */
export async function tableRowCounts(database: string): Promise<Map<string, number>> {
  const instance = await DuckDBInstance.create(database);
  const c = await instance.connect();
  try {
    const tables = (
      await c.runAndReadAll(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1, 2`,
      )
    ).getRowObjects();
    const counts = new Map<string, number>();
    for (const row of tables) {
      const result = await c.runAndReadAll(`SELECT COUNT(*) AS n FROM "${String(row.s)}"."${String(row.t)}"`);
      counts.set(`${String(row.s)}.${String(row.t)}`, Number(result.getRowObjects()[0]?.n));
    }
    return counts;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
