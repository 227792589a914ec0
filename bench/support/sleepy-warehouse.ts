import type { Row, Warehouse, WarehouseSession } from '../../shared/src/ports/warehouse';

/**
 * A {@link Warehouse} proxy that makes chosen statements slow: any statement containing `marker` waits
 * `delayMs` before it runs, while `enabled` is true. It stands in for one heavy model query without taking
 * CPU from the other batches, so the makespan bench isolates the scheduler (DuckDB has no sleep function).
 */
export class SleepyWarehouse implements Warehouse {
  enabled = false;
  /** Statements slowed down so far. */
  slowed = 0;

  constructor(
    private readonly inner: Warehouse,
    private readonly marker: string,
    private readonly delayMs: number,
  ) {}

  get dialect(): string {
    return this.inner.dialect;
  }

  async execute(sql: string): Promise<void> {
    await this.maybeSleep(sql);
    return this.inner.execute(sql);
  }

  async query(sql: string): Promise<Row[]> {
    await this.maybeSleep(sql);
    return this.inner.query(sql);
  }

  relationExists(schema: string, name: string): Promise<boolean> {
    return this.inner.relationExists(schema, name);
  }

  transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      fn({
        execute: async (sql) => {
          await this.maybeSleep(sql);
          return tx.execute(sql);
        },
        query: async (sql) => {
          await this.maybeSleep(sql);
          return tx.query(sql);
        },
      }),
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async maybeSleep(sql: string): Promise<void> {
    if (!this.enabled || !sql.includes(this.marker)) return;
    this.slowed += 1;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}
