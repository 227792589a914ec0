import { SchedulerError } from '../../shared/src/errors';

/** HTTP statuses the API answers errors with. */
export type ApiErrorStatus = 400 | 404 | 405 | 409 | 413 | 500 | 501;

/** Literal name of {@link ApiError}, for routing on it without `constructor.name`. */
export const API_ERROR_NAME = 'ApiError';

/**
 * A request the API refuses, with the HTTP status, a stable machine-readable `code` and, when one input is
 * to blame, the `field` (a path parameter, `body`, or a dotted path into the body such as `files.a.sql`).
 */
export class ApiError extends SchedulerError {
  readonly status: ApiErrorStatus;
  readonly code: string;
  readonly field: string | undefined;
  /** Extra response headers (`Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ApiErrorStatus,
    code: string,
    message: string,
    options: { readonly field?: string; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message);
    this.name = API_ERROR_NAME;
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}
