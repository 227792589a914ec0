import path from 'node:path';
import { z } from 'zod';
import { SchedulerError, UnsupportedFeatureError } from '../../shared/src/errors';
import type { Warehouse } from '../../shared/src/ports/warehouse';
import { openDuckDbWarehouse } from './duckdb-warehouse';
import { openPostgresWarehouse } from './postgres-warehouse';

/** Connection types Meshcron can execute on. SQLMesh knows many more; those are refused by name. */
export const SUPPORTED_CONNECTION_TYPES = ['duckdb', 'postgres'] as const;

/** Fields every SQLMesh connection may carry that do not change how Meshcron connects. */
const common = {
  concurrent_tasks: z.number().int().positive().optional(),
  register_comments: z.boolean().optional(),
  pre_ping: z.boolean().optional(),
  pretty_sql: z.boolean().optional(),
};

const duckdbConnection = z.strictObject({
  type: z.literal('duckdb'),
  database: z.string().min(1).optional(),
  extensions: z.array(z.unknown()).optional(),
  connector_config: z.record(z.string(), z.unknown()).optional(),
  ...common,
});

const postgresConnection = z.strictObject({
  type: z.literal('postgres'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  password: z.string(),
  database: z.string().min(1),
  sslmode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).optional(),
  connect_timeout: z.number().int().positive().optional(),
  role: z.string().min(1).optional(),
  keepalives_idle: z.number().int().nonnegative().optional(),
  application_name: z.string().optional(),
  ...common,
});

export type DuckDbConnection = z.infer<typeof duckdbConnection>;
export type PostgresConnection = z.infer<typeof postgresConnection>;
export type WarehouseConnection = DuckDbConnection | PostgresConnection;

/** A connection configuration that does not match its type's schema; names the field, never its value. */
export class ConnectionConfigError extends SchedulerError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`connection ${field}: ${message}`);
    this.name = 'ConnectionConfigError';
    this.field = field;
  }
}

/**
 * Validates a gateway's `connection` (SQLMesh's format) against the schema of its `type`. Messages name the
 * field and what is allowed, and never include a value (a password must not end up in an error).
 */
export function parseConnection(raw: unknown, where = 'connection'): WarehouseConnection {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (type === undefined) throw new ConnectionConfigError(`${where}.type`, `is required; supported types: ${SUPPORTED_CONNECTION_TYPES.join(', ')}`);
  if (typeof type !== 'string' || !(SUPPORTED_CONNECTION_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedFeatureError(
      `${where}.type '${String(type)}' is not supported; Meshcron executes on: ${SUPPORTED_CONNECTION_TYPES.join(', ')}`,
    );
  }
  const schema = type === 'duckdb' ? duckdbConnection : postgresConnection;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = [where, ...(issue?.path ?? []).map(String)].join('.');
    const keys = issue?.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
    throw new ConnectionConfigError(field, `${describeIssue(issue)}${keys}`);
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  switch (issue.code) {
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'unrecognized_keys':
      return 'has unknown fields:';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return 'is out of range';
    default:
      return 'is invalid';
  }
}

/**
 * Opens the warehouse of a validated connection. A relative DuckDB path is relative to `root`; a DuckDB
 * connection without a file uses `defaultDuckDbFile` (a scheduler needs its data to outlive one process).
 */
export async function openWarehouse(connection: WarehouseConnection, root: string, defaultDuckDbFile: string): Promise<Warehouse> {
  if (connection.type === 'duckdb') {
    const database = connection.database === undefined || connection.database === ':memory:'
      ? defaultDuckDbFile
      : path.resolve(root, connection.database);
    return openDuckDbWarehouse({ database });
  }
  return openPostgresWarehouse({
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: connection.database,
    ...(connection.sslmode ? { sslmode: connection.sslmode } : {}),
    ...(connection.connect_timeout ? { connectTimeoutSeconds: connection.connect_timeout } : {}),
    ...(connection.role ? { role: connection.role } : {}),
  });
}
