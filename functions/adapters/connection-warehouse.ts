import { createHash } from 'node:crypto';
import { SchedulerError } from '../../shared/src/errors';
import type { Row, Warehouse, WarehouseSession } from '../../shared/src/ports/warehouse';
import type { WarehouseConnection } from './warehouse-connection';

/** Options of {@link SavedConnectionWarehouse}. */
export interface SavedConnectionWarehouseOptions {
  /** Fetches and decrypts the gateway's saved connection (ConnectionStore.resolve). */
  readonly resolve: () => Promise<WarehouseConnection>;
  /** Opens a warehouse on a connection (openWarehouse with the runtime's folders). */
  readonly open: (connection: WarehouseConnection) => Promise<Warehouse>;
}

/**
 * The warehouse of the Lambda executors: nothing is fetched when the function starts; each invocation of an
 * executor handler calls {@link refresh}, which fetches and decrypts the saved connection then and keeps the
 * decrypted value only inside the opened driver. A warm function reuses its open warehouse while the saved
 * connection is unchanged and reopens it as soon as someone saves a new one (compared by a hash held in
 * memory, never stored or logged).
 */
export class SavedConnectionWarehouse implements Warehouse {
  #open: { warehouse: Warehouse; fingerprint: string } | undefined;
  readonly #options: SavedConnectionWarehouseOptions;

  constructor(options: SavedConnectionWarehouseOptions) {
    this.#options = options;
  }

  /** Fetches the saved connection and (re)opens the warehouse if it changed. Throws ConnectionNotFoundError when none is saved. */
  async refresh(): Promise<void> {
    const connection = await this.#options.resolve();
    const fingerprint = createHash('sha256').update(JSON.stringify(connection)).digest('hex');
    if (this.#open?.fingerprint === fingerprint) return;
    const previous = this.#open;
    this.#open = undefined;
    await previous?.warehouse.close().catch(() => undefined);
    this.#open = { warehouse: await this.#options.open(connection), fingerprint };
  }

  get dialect(): string {
    return this.current().dialect;
  }

  async execute(sql: string): Promise<void> {
    return this.current().execute(sql);
  }

  async query(sql: string): Promise<Row[]> {
    return this.current().query(sql);
  }

  async transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    return this.current().transaction(fn);
  }

  async relationExists(schema: string, name: string): Promise<boolean> {
    return this.current().relationExists(schema, name);
  }

  async close(): Promise<void> {
    const open = this.#open;
    this.#open = undefined;
    await open?.warehouse.close();
  }

  private current(): Warehouse {
    if (!this.#open) {
      throw new SchedulerError('the warehouse is opened from the saved connection at execution time; an executor handler must call refresh() first');
    }
    return this.#open.warehouse;
  }
}
