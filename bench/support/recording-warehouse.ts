import type { Row, Warehouse, WarehouseSession } from '../../shared/src/ports/warehouse';
import { BusyTimer } from './measure';

/**
 * A {@link Warehouse} proxy that records every statement Meshcron sends, with transaction boundaries and
 * the order in which calls started and finished, so the same work can be replayed straight on DuckDB and
 * the engine's overhead measured against it.
 */

/** One statement as Meshcron sent it. `failed` says whether the warehouse rejected it. */
export type RecordedStatement =
  | { readonly kind: 'execute'; readonly sql: string; failed: boolean }
  | { readonly kind: 'query'; readonly sql: string; failed: boolean }
  /** `relationExists` is a catalog lookup with bound parameters rather than a SQL string from the core. */
  | { readonly kind: 'relationExists'; readonly schema: string; readonly name: string; failed: boolean };

export interface RecordedTransaction {
  readonly kind: 'transaction';
  readonly statements: RecordedStatement[];
  outcome: 'commit' | 'rollback' | 'open';
}

/**
 * One warehouse call: a statement outside any transaction, or a whole transaction. `startSeq`/`endSeq` are
 * positions on one counter of call starts and ends: call B started after call A finished exactly when
 * `A.endSeq < B.startSeq`, which is all a replay needs to keep every dependency Meshcron respected.
 */
export interface RecordedCall {
  readonly call: RecordedStatement | RecordedTransaction;
  readonly startSeq: number;
  endSeq: number;
}

/** Counts of a recording, for the printout. */
export interface RecordingSummary {
  readonly statements: number;
  readonly transactions: number;
  readonly queries: number;
  readonly failed: number;
}

export function summarizeRecording(calls: readonly RecordedCall[]): RecordingSummary {
  let statements = 0;
  let transactions = 0;
  let queries = 0;
  let failed = 0;
  const count = (s: RecordedStatement): void => {
    statements += 1;
    if (s.kind !== 'execute') queries += 1;
    if (s.failed) failed += 1;
  };
  for (const { call } of calls) {
    if (call.kind === 'transaction') {
      transactions += 1;
      call.statements.forEach(count);
    } else {
      count(call);
    }
  }
  return { statements, transactions, queries, failed };
}

/** Records calls in the order Meshcron starts them. */
export class RecordingWarehouse implements Warehouse {
  readonly calls: RecordedCall[] = [];
  /** Wall time during which at least one warehouse call was in progress (pool waits included). */
  readonly timer = new BusyTimer();
  private seq = 0;

  constructor(private readonly inner: Warehouse) {}

  get dialect(): string {
    return this.inner.dialect;
  }

  async execute(sql: string): Promise<void> {
    const statement: RecordedStatement = { kind: 'execute', sql, failed: false };
    await this.track(statement, () => this.inner.execute(sql));
  }

  async query(sql: string): Promise<Row[]> {
    const statement: RecordedStatement = { kind: 'query', sql, failed: false };
    return this.track(statement, () => this.inner.query(sql));
  }

  async relationExists(schema: string, name: string): Promise<boolean> {
    const statement: RecordedStatement = { kind: 'relationExists', schema, name, failed: false };
    return this.track(statement, () => this.inner.relationExists(schema, name));
  }

  async transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    const transaction: RecordedTransaction = { kind: 'transaction', statements: [], outcome: 'open' };
    const record = <R>(statement: RecordedStatement, run: () => Promise<R>): Promise<R> => {
      transaction.statements.push(statement);
      return run().catch((e: unknown) => {
        statement.failed = true;
        throw e;
      });
    };
    return this.track(transaction, async () => {
      try {
        const result = await this.inner.transaction((tx) =>
          fn({
            execute: (sql) => record({ kind: 'execute', sql, failed: false }, () => tx.execute(sql)),
            query: (sql) => record({ kind: 'query', sql, failed: false }, () => tx.query(sql)),
          }),
        );
        transaction.outcome = 'commit';
        return result;
      } catch (e) {
        transaction.outcome = 'rollback';
        throw e;
      }
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private track<R>(call: RecordedStatement | RecordedTransaction, run: () => Promise<R>): Promise<R> {
    const recorded: RecordedCall = { call, startSeq: this.seq++, endSeq: -1 };
    this.calls.push(recorded);
    return this.timer.around(async () => {
      try {
        return await run();
      } catch (e) {
        if (call.kind !== 'transaction') call.failed = true;
        throw e;
      } finally {
        recorded.endSeq = this.seq++;
      }
    });
  }
}
