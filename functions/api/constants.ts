/** Limits and fixed values of the control API. */

/** Most files a submitted project bundle may hold; larger projects are far beyond what a plan Lambda loads. */
export const MAX_BUNDLE_FILES = 2_000;
/** Most bytes (UTF-8) of file contents a bundle may hold, all files together. */
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;
/**
 * Most bytes of a request body, after base64 decoding. Lambda refuses synchronous payloads over 6 MB, so a
 * larger body cannot arrive through API Gateway; the check keeps other callers (local tools, tests) honest.
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Longest relative path accepted in a bundle. */
export const MAX_BUNDLE_PATH_LENGTH = 1_024;
/** Longest environment name accepted in a path or body. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 128;
/** Longest run or plan id accepted in a path. */
export const MAX_RUN_ID_LENGTH = 256;
/** Longest batch error message returned; the first line of a warehouse error is its summary. */
export const MAX_ERROR_MESSAGE_CHARS = 500;
/** Step Functions execution names: at most 80 characters. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
/** Characters not allowed in a Step Functions execution name (plan ids are execution names). */
export const EXECUTION_NAME_UNSAFE_RE = /[^A-Za-z0-9_-]/g;
/** Reason recorded on a plan whose job could not be started, so a retry of the same request may start it. */
export const PLAN_LAUNCH_FAILED_REASON = 'error:launch_failed';
/** Run and plan ids, and their execution times, are taken to the minute (like the tick's). */
export const MINUTE_MS = 60_000;
