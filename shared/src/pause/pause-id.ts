import { ENVIRONMENT_PAUSE_ID, MODEL_PAUSE_PREFIX, PAUSED_REASON_PREFIX } from './constants';

/**
 * The stable id of a pause: `env` for the whole environment, `model:<name>` for a model and its downstream.
 *
 * @example
 * pauseIdOf(undefined); // 'env'
 * pauseIdOf('shop.orders'); // 'model:shop.orders'
 */
export function pauseIdOf(model: string | undefined): string {
  return model === undefined ? ENVIRONMENT_PAUSE_ID : `${MODEL_PAUSE_PREFIX}${model}`;
}

/** The batch reason of a batch held back by pause `pauseId`: `skipped:paused:<pauseId>`. */
export function pausedReason(pauseId: string): string {
  return `${PAUSED_REASON_PREFIX}${pauseId}`;
}
