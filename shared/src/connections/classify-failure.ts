import type { ConnectionFailureReason } from './connection-errors';

/**
 * What a failed connection attempt reported: a PostgreSQL SQLSTATE (server-reported), a Node socket or
 * TLS error code, or only a message (drivers' own fixed texts such as a connection timeout).
 */
export interface ConnectionFailureSignal {
  readonly sqlState?: string;
  readonly errorCode?: string;
  readonly message?: string;
}

/** SQLSTATEs that mean the login itself was refused: class 28 (invalid authorization) and 28P01 (bad password). */
const AUTHENTICATION_SQLSTATE_CLASS = '28';
/** `invalid_catalog_name`: the database named in the connection does not exist. */
const DATABASE_MISSING_SQLSTATE = '3D000';
/** Node error codes of a host that cannot be reached at all (DNS, routing, nothing listening, reset). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);
/** Drivers report their own connect timeouts as text only ("…due to connection timeout", "timeout exceeded…"). */
const TIMEOUT_TEXT = /\btime(d)?[ -]?out\b|\btimeout\b/i;

/**
 * Sorts a failed connection attempt into the reasons a user can act on: fix the network (`host_unreachable`,
 * `timeout`), the credentials (`authentication_failed`), the database name (`database_missing`), or anything
 * else in the settings (`invalid_config`: TLS mode, role, an unusable DuckDB path).
 *
 * @example
 * classifyConnectionFailure({ sqlState: '28P01' }); // 'authentication_failed'
 * classifyConnectionFailure({ errorCode: 'ECONNREFUSED' }); // 'host_unreachable'
 */
export function classifyConnectionFailure(signal: ConnectionFailureSignal): ConnectionFailureReason {
  const { sqlState, errorCode, message } = signal;
  if (sqlState !== undefined) {
    if (sqlState.startsWith(AUTHENTICATION_SQLSTATE_CLASS)) return 'authentication_failed';
    if (sqlState === DATABASE_MISSING_SQLSTATE) return 'database_missing';
    return 'invalid_config';
  }
  if (errorCode !== undefined) {
    if (UNREACHABLE_CODES.has(errorCode)) return 'host_unreachable';
    if (TIMEOUT_CODES.has(errorCode)) return 'timeout';
  }
  if (message !== undefined && TIMEOUT_TEXT.test(message)) return 'timeout';
  return 'invalid_config';
}
