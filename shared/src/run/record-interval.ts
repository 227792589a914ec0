import type { ModelDefinition } from '../project/model';
import type { Interval } from '../schedule/interval';
import { unitFloor, unitNext } from '../schedule/interval-unit';

/**
 * The part of an evaluated batch that may be recorded as processed: shrunk inward to whole interval units
 * unless the model allows partial intervals (§4.4, expand=false). Undefined when nothing whole remains.
 */
export function recordableInterval(model: Pick<ModelDefinition, 'intervalUnit' | 'allowPartials'>, batch: Interval): Interval | undefined {
  if (model.allowPartials) return batch[0] < batch[1] ? batch : undefined;
  let start = unitFloor(model.intervalUnit, batch[0]);
  if (start < batch[0]) start = unitNext(model.intervalUnit, start);
  const end = unitFloor(model.intervalUnit, batch[1]);
  return start < end ? [start, end] : undefined;
}
