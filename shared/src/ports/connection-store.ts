import type { ConnectionFailureReason } from '../connections/connection-errors';

/**
 * Warehouse connections saved with Meshcron, one per gateway: tested before saving, stored encrypted, and
 * never shown again. Locally an AES-256-GCM file under `.meshcron/`; on AWS one Secrets Manager secret per
 * gateway under the stack's KMS key. Only the executor (plan and run workers) ever calls {@link resolve}.
 */

/** A connection in SQLMesh's format (`type` plus that type's fields), already validated by the adapter. */
export type ConnectionFields = Readonly<Record<string, unknown>> & { readonly type: string };

/** What may be shown about a saved connection: never a password, token or key. */
export interface ConnectionSummary {
  /** Lower-cased gateway name. */
  readonly gateway: string;
  /** Connection type (`postgres`, `duckdb`). */
  readonly type: string;
  /** True for the connection used when no gateway is named. */
  readonly isDefault: boolean;
  readonly host?: string;
  readonly port?: number;
  /** Database name, or the DuckDB file path. */
  readonly database?: string;
  /** When the connection was last saved, epoch ms (UTC). */
  readonly updatedAt: number;
}

/** Options of {@link ConnectionStore.save}. */
export interface SaveConnectionOptions {
  /** Make this the default gateway's connection. The first connection saved becomes the default anyway. */
  readonly makeDefault?: boolean;
}

/**
 * Saved connections. Gateway names are case-insensitive: every method lower-cases and validates them
 * (see normalizeGatewayName) and throws ConnectionInputError naming `gateway` for a bad one.
 */
export interface ConnectionStore<C extends ConnectionFields = ConnectionFields> {
  /** Creates or replaces the gateway's connection; returns what {@link list} will show for it. */
  save(gateway: string, connection: C, options?: SaveConnectionOptions): Promise<ConnectionSummary>;
  /** Every saved connection, by gateway name; reads no secret (no decryption, no GetSecretValue). */
  list(): Promise<ConnectionSummary[]>;
  /** Removes the gateway's connection (clearing the default if it was the default). Throws ConnectionNotFoundError. */
  delete(gateway: string): Promise<void>;
  /** Makes the gateway's saved connection the default. Throws ConnectionNotFoundError. */
  setDefault(gateway: string): Promise<ConnectionSummary>;
  /**
   * The decrypted connection of `gateway`, or of the default when omitted. For the executor only: nothing
   * that shows or logs data may call it. Throws ConnectionNotFoundError listing the saved gateways.
   */
  resolve(gateway?: string): Promise<C>;
}

/** Outcome of a connection test; a failure's message is safe to show (no password, token or key). */
export type ConnectionTestResult =
  | { readonly ok: true; readonly elapsedMs: number }
  | { readonly ok: false; readonly reason: ConnectionFailureReason; readonly message: string };

/** Connects with a connection and runs `SELECT 1`, before it is saved. */
export interface ConnectionTester<C extends ConnectionFields = ConnectionFields> {
  test(connection: C, options: { readonly timeoutMs: number }): Promise<ConnectionTestResult>;
}

/**
 * What managing saved connections takes (the API's connection routes): the store, the tester, and the
 * per-type validation of a connection in SQLMesh's format, which lives with the warehouse adapters.
 */
export interface ConnectionManager<C extends ConnectionFields = ConnectionFields> {
  readonly store: ConnectionStore<C>;
  readonly tester: ConnectionTester<C>;
  /**
   * Validates `raw` against the schema of its `type`. Throws a SchedulerError naming the bad field in a
   * `field` property (prefixed with `gateway`), and never quoting a value.
   */
  parse(raw: unknown, gateway: string): C;
}
