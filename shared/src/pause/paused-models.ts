import { buildDag, type DagModel, descendants } from '../dag/dag';
import type { PauseRecord } from '../ports/state-store';
import { ENVIRONMENT_PAUSE_ID } from './constants';

/**
 * Which pause holds each model of an environment. An environment pause holds every model; a model pause holds
 * the model and everything downstream of it. When several pauses cover a model, the environment pause wins,
 * then the model's own pause, then the first upstream pause by id, so the reported pause is deterministic.
 * Pauses of models the environment no longer has hold nothing.
 *
 * @example
 * // raw.orders <- shop.orders <- shop.daily; pause 'model:shop.orders'
 * pausedModels([pause], models); // Map { 'shop.orders' => pause, 'shop.daily' => pause }
 */
export function pausedModels(
  pauses: readonly PauseRecord[],
  models: ReadonlyMap<string, DagModel>,
): Map<string, PauseRecord> {
  const held = new Map<string, PauseRecord>();
  if (pauses.length === 0) return held;
  const whole = pauses.find((p) => p.pauseId === ENVIRONMENT_PAUSE_ID);
  if (whole) {
    for (const name of models.keys()) held.set(name, whole);
    return held;
  }
  const dag = buildDag(models);
  const byModel = pauses.filter((p) => p.model !== undefined && models.has(p.model));
  for (const pause of byModel) held.set(pause.model as string, pause);
  for (const pause of [...byModel].sort((a, b) => (a.pauseId < b.pauseId ? -1 : a.pauseId > b.pauseId ? 1 : 0))) {
    for (const child of descendants(dag, pause.model as string)) if (!held.has(child)) held.set(child, pause);
  }
  return held;
}
