import type { ConnectionFields, ConnectionSummary } from '../ports/connection-store';

/**
 * What a store shows about a saved connection: its type and, when present, host, port and database. Built
 * by picking those fields, never by removing secret ones, so a field added later stays hidden by default.
 *
 * @example
 * summarizeConnection('pg', { type: 'postgres', host: 'db', port: 5432, password: 'x' }, { isDefault: true, updatedAt: 0 });
 * // { gateway: 'pg', type: 'postgres', isDefault: true, host: 'db', port: 5432, updatedAt: 0 }
 */
export function summarizeConnection(
  gateway: string,
  connection: ConnectionFields,
  meta: { readonly isDefault: boolean; readonly updatedAt: number },
): ConnectionSummary {
  const { host, port, database } = connection;
  return {
    gateway,
    type: connection.type,
    isDefault: meta.isDefault,
    ...(typeof host === 'string' ? { host } : {}),
    ...(typeof port === 'number' ? { port } : {}),
    ...(typeof database === 'string' ? { database } : {}),
    updatedAt: meta.updatedAt,
  };
}

/** `db.internal:5432/analytics`, `warehouse.duckdb`, or '' when the summary has none of the three. */
export function describeLocation(summary: Pick<ConnectionSummary, 'host' | 'port' | 'database'>): string {
  const where = [summary.host, summary.port].filter((p) => p !== undefined).join(':');
  return [where, summary.database].filter((p) => p !== undefined && p !== '').join('/');
}

/** `postgres db.internal:5432/analytics`, `duckdb warehouse.duckdb`: one line for messages and tables. */
export function describeConnection(summary: Pick<ConnectionSummary, 'type' | 'host' | 'port' | 'database'>): string {
  const location = describeLocation(summary);
  return location ? `${summary.type} ${location}` : summary.type;
}
