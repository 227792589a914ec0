import { floorToMinute } from '../time/calendar';
import { cronNext } from './cron';
import { isSymbolic, type SchedulingModel } from './scheduling-model';

/**
 * When the next model becomes due (SQLMesh `get_next_model_interval_start`, the "Next run will be ready at"
 * hint): the earliest next cron tick after `nowMs` (floored to the minute) over models that are evaluated on
 * a schedule, i.e. not EMBEDDED/EXTERNAL and not SEED. Undefined when there is none.
 */
export function nextModelIntervalStart(
  models: Iterable<Pick<SchedulingModel, 'kind' | 'cron' | 'cronTz'>>,
  nowMs: number,
): number | undefined {
  const now = floorToMinute(nowMs);
  let earliest: number | undefined;
  for (const model of models) {
    if (isSymbolic(model) || model.kind === 'SEED') continue;
    const next = cronNext(model.cron, model.cronTz, now);
    if (earliest === undefined || next < earliest) earliest = next;
  }
  return earliest;
}
