import type { BatchRecord, StateStore } from '../ports/state-store';
import { intervalKeyString } from '../ports/state-store';
import type { Interval } from '../schedule/interval';
import { cronNext } from '../schedule/cron';
import { pausedModels } from '../pause/paused-models';
import { computeWork } from './compute-work';
import { loadEnvironment } from './load-environment';

/** One model's freshness in an environment. */
export interface ModelStatus {
  readonly name: string;
  readonly kind: string;
  readonly version: string;
  /** Processed intervals, merged. */
  readonly processed: readonly Interval[];
  /** Intervals due at `asOfMs` but not processed yet. */
  readonly behind: readonly Interval[];
  /** Next cron tick after `asOfMs`; undefined for models that are never scheduled. */
  readonly nextRunMs?: number;
  readonly lastBatch?: BatchRecord;
  /** The pause holding this model back (its own, an upstream model's or the environment's); runs skip it. */
  readonly paused?: { readonly id: string; readonly reason?: string };
}

/** Each model of an environment with what it has processed, what is behind, when it runs next, and its pause. */
export async function environmentStatus(state: StateStore, environment: string, asOfMs: number): Promise<ModelStatus[]> {
  const { models } = await loadEnvironment(state, environment);
  const keys = [...models.values()].map((m) => ({ name: m.snapshot.name, version: m.snapshot.version }));
  const intervals = await state.getIntervals(keys);
  const work = computeWork(models, intervals, { executionTimeMs: asOfMs, nowMs: asOfMs });
  const last = await state.lastBatches([...models.keys()]);
  const paused = pausedModels(await state.listPauses(environment), new Map([...models].map(([n, m]) => [n, m.stored.model])));
  return work.order.map((name) => {
    const m = models.get(name)!;
    const model = m.stored.model;
    const scheduled = !['EXTERNAL', 'EMBEDDED', 'SEED'].includes(model.kind.name);
    const lastBatch = last.get(name);
    const pause = paused.get(name);
    return {
      name,
      kind: model.kind.name,
      version: m.snapshot.version,
      processed: intervals.get(intervalKeyString({ name, version: m.snapshot.version })) ?? [],
      behind: work.works.get(name)?.missing ?? [],
      ...(scheduled ? { nextRunMs: cronNext(model.cron, model.cronTz, asOfMs) } : {}),
      ...(lastBatch ? { lastBatch } : {}),
      ...(pause ? { paused: { id: pause.pauseId, ...(pause.reason === undefined ? {} : { reason: pause.reason }) } } : {}),
    };
  });
}
