/** A result row from the warehouse: column name to JS value (bigint for BIGINT/HUGEINT counts). */
export type Row = Readonly<Record<string, unknown>>;

/**
 * The warehouse as the evaluator sees it: run SQL, read rows, and group statements atomically.
 * Implemented by DuckDB (embedded default) and, later, PostgreSQL. Credentials never leave the adapter.
 */
export interface Warehouse {
  /** SQL dialect name used to render literals and pick statement shapes: `duckdb` or `postgres`. */
  readonly dialect: string;
  /** Runs one or more statements that return nothing the caller needs. */
  execute(sql: string): Promise<void>;
  /** Runs a query and returns all rows. */
  query(sql: string): Promise<Row[]>;
  /**
   * Runs `fn` inside a transaction on a dedicated connection: commits if it resolves, rolls back if it
   * throws. Used so that a batch's delete-and-insert is atomic.
   */
  transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T>;
  /** True when `schema.table` exists as a table or view. */
  relationExists(schema: string, name: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A connection inside a transaction. */
export interface WarehouseSession {
  execute(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
}
