import { toError } from '../errors';

/**
 * The message of anything thrown. Errors from native bindings and Node's core modules can come from
 * another JS realm (jest's sandbox, worker threads) where `instanceof Error` is false, so a `message`
 * property is read directly before falling back to {@link toError}.
 */
export function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return toError(e).message;
}
