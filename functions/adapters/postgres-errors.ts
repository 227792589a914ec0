import { DatabaseError } from 'pg';
import { EvaluationError } from '../../shared/src/errors';

/**
 * Turns whatever the pg driver throws into an EvaluationError whose message is safe to log: it never holds
 * the password, and connection failures name neither host nor port (a caller knows where it connected; a
 * log reader does not need to).
 */

/** Shortest password that is masked inside messages; masking shorter ones would mangle ordinary words. */
const MIN_MASKED_SECRET_CHARS = 4;
const MASK = '***';
/** A five-character SQLSTATE, which only server-reported errors carry. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Network-level failures by Node error code, described without the address they carry. */
const CONNECTION_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
};

/**
 * Wraps a driver error. Server-reported errors (SQL, permissions, authentication) keep their message,
 * SQLSTATE and, as `cause`, the driver's DatabaseError, which carries no connection settings. Anything else
 * (sockets, TLS, timeouts) becomes a short description with its code and no cause, since Node's socket and
 * TLS errors carry the address and certificate host names.
 */
export function wrapPostgresError(e: unknown, secrets: readonly string[]): EvaluationError {
  if (e instanceof EvaluationError) return e;
  if (isServerReported(e)) {
    const where = e.position ? ` at character ${e.position}` : '';
    const detail = e.detail ? `; ${e.detail}` : '';
    const hint = e.hint ? ` (hint: ${e.hint})` : '';
    const text = `PostgreSQL: ${e.message}${where}${detail}${hint} [SQLSTATE ${e.code ?? 'unknown'}]`;
    return new EvaluationError(mask(text, secrets), { cause: e });
  }
  const code = errorCode(e);
  if (code !== undefined) {
    const described = CONNECTION_CODES[code] ?? (code.startsWith('ERR_TLS') || code.includes('CERT') ? 'TLS handshake failed' : 'connection failed');
    return new EvaluationError(`PostgreSQL: cannot use the server connection: ${described} (${code})`);
  }
  // The driver's own messages ("Connection terminated unexpectedly", "timeout exceeded when trying to
  // connect") are fixed texts; masking still guards against anything that echoes a setting.
  return new EvaluationError(mask(`PostgreSQL: ${messageOf(e)}`, secrets));
}

/**
 * True for errors the server reported (the connection is still usable), false for socket, TLS and protocol
 * failures. Also recognises a DatabaseError from another module instance (jest registries, bundles).
 */
export function isServerReported(e: unknown): e is DatabaseError {
  if (e instanceof DatabaseError) return true;
  if (typeof e !== 'object' || e === null || !('severity' in e) || !('code' in e)) return false;
  return typeof e.code === 'string' && SQLSTATE.test(e.code);
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return typeof e === 'string' ? e : 'unknown error';
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_MASKED_SECRET_CHARS) out = out.split(secret).join(MASK);
  }
  return out;
}
