import { IntervalConflictError, NotFoundError, ProjectParseError, UnsupportedFeatureError, toError } from '../../shared/src/errors';
import { ApiError } from './api-error';
import { type ApiResponse, jsonResponse } from './api-response';

/** Where server faults are written: one structured entry per fault. */
export type ApiLogger = (entry: Readonly<Record<string, unknown>>) => void;

/** One JSON line on stderr, which Lambda sends to CloudWatch Logs. */
export const consoleLogger: ApiLogger = (entry) => console.error(JSON.stringify(entry));

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

/**
 * Maps anything thrown while answering a request to its response. Refusals ({@link ApiError}) and the
 * domain errors a caller can cause keep their message; anything else is a server fault: logged in full with
 * the request id and answered 500 with only that id, so internals (table names, SDK messages) never leave.
 */
export function errorResponse(thrown: unknown, requestId: string, log: ApiLogger): ApiResponse {
  if (thrown instanceof ApiError) return jsonResponse(thrown.status, errorBody(thrown.code, thrown.message, thrown.field), thrown.headers);
  if (thrown instanceof NotFoundError) return jsonResponse(404, errorBody('not_found', thrown.message));
  // Project errors come from a submitted bundle; their location names the file in `files`.
  if (thrown instanceof ProjectParseError) return jsonResponse(400, errorBody('invalid_project', thrown.message, bundleField(thrown)));
  if (thrown instanceof UnsupportedFeatureError) {
    return jsonResponse(400, errorBody('unsupported_feature', thrown.message, bundleField(thrown)));
  }
  if (thrown instanceof IntervalConflictError) return jsonResponse(409, errorBody('conflict', thrown.message));
  const error = toError(thrown);
  log({ level: 'error', requestId, error: error.name, message: error.message, stack: error.stack });
  return jsonResponse(500, errorBody('internal', `internal error; quote request id ${requestId} when reporting it`));
}

function bundleField(error: ProjectParseError | UnsupportedFeatureError): string | undefined {
  return error.location ? `files.${error.location.file}` : undefined;
}
