import { NotFoundError, SchedulerError } from '../errors';

/** Why a connection test failed, in words a caller can branch on. */
export type ConnectionFailureReason =
  | 'host_unreachable'
  | 'authentication_failed'
  | 'database_missing'
  | 'timeout'
  | 'invalid_config';

/** Literal name of {@link ConnectionInputError}. */
export const CONNECTION_INPUT_ERROR_NAME = 'ConnectionInputError';
/** Literal name of {@link ConnectionTestError}. */
export const CONNECTION_TEST_ERROR_NAME = 'ConnectionTestError';
/** Literal name of {@link ConnectionNotFoundError}. */
export const CONNECTION_NOT_FOUND_ERROR_NAME = 'ConnectionNotFoundError';

/**
 * Something submitted as a connection (the gateway name, the YAML text) is unusable. `field` names what is
 * wrong (`gateway`, `yaml`); the message never holds a connection value, which could be a password.
 */
export class ConnectionInputError extends SchedulerError {
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.name = CONNECTION_INPUT_ERROR_NAME;
    this.field = field;
  }
}

/** A connection was tested before saving and did not work; nothing was saved. */
export class ConnectionTestError extends SchedulerError {
  readonly gateway: string;
  readonly reason: ConnectionFailureReason;
  constructor(gateway: string, reason: ConnectionFailureReason, detail: string) {
    super(`connection test of gateway '${gateway}' failed (${reason}): ${detail}; nothing was saved`);
    this.name = CONNECTION_TEST_ERROR_NAME;
    this.gateway = gateway;
    this.reason = reason;
  }
}

/**
 * No connection is saved for a gateway (or no default is set). The message lists the saved gateways so the
 * user sees what exists; it is a NotFoundError, so the API answers 404.
 */
export class ConnectionNotFoundError extends NotFoundError {
  readonly gateway: string | undefined;
  readonly saved: readonly string[];
  constructor(gateway: string | undefined, saved: readonly string[], hint = '') {
    const what = gateway === undefined ? 'no default gateway connection is set' : `no connection is saved for gateway '${gateway}'`;
    super(`${what}; saved gateways: ${saved.join(', ') || '(none)'}${hint ? `; ${hint}` : ''}`);
    this.name = CONNECTION_NOT_FOUND_ERROR_NAME;
    this.gateway = gateway;
    this.saved = saved;
  }
}
