import { ConnectionInputError } from './connection-errors';
import { GATEWAY_NAME_PATTERN, MAX_GATEWAY_NAME_CHARS } from './constants';

/** How much of a rejected name is quoted back; the rest is cut so an error line stays readable. */
const QUOTED_NAME_CHARS = 80;

/**
 * Lower-cases a gateway name (SQLMesh gateway names are case-insensitive) and checks it against
 * {@link GATEWAY_NAME_PATTERN}, so it is safe in a file key, a secret name and a URL path.
 *
 * @param field What to call the value in the error (`gateway`, `body.gateway`, a path parameter).
 * @throws ConnectionInputError naming `field`, the bad value and what is allowed.
 * @example
 * normalizeGatewayName('Warehouse_PG'); // 'warehouse_pg'
 */
export function normalizeGatewayName(raw: unknown, field = 'gateway'): string {
  if (typeof raw !== 'string') {
    throw new ConnectionInputError(field, `must be a string, got ${raw === null ? 'null' : typeof raw}`);
  }
  const name = raw.toLowerCase();
  if (!GATEWAY_NAME_PATTERN.test(name)) {
    const quoted = raw.length > QUOTED_NAME_CHARS ? `${raw.slice(0, QUOTED_NAME_CHARS)}…` : raw;
    throw new ConnectionInputError(
      field,
      `${JSON.stringify(quoted)} is not a valid gateway name; use 1-${MAX_GATEWAY_NAME_CHARS} letters, digits, '_' or '-', not starting with '-'`,
    );
  }
  return name;
}
