import { buildDag } from '../dag/dag';
import { schedulingParents } from '../project/scheduling-parents';
import { intervalKeyString } from '../ports/state-store';
import type { Interval } from '../schedule/interval';
import { computeMissingIntervals } from '../schedule/missing-intervals';
import { inferModelStart } from '../schedule/missing-intervals-multi';
import {
  dependsOnPast,
  effectiveBatchConcurrency,
  type SchedulingModel,
  schedulingModelOf,
} from '../schedule/scheduling-model';
import type { EnvironmentModel } from './environment-model';
import type { ModelWork } from './plan-batches';

export interface ComputeWorkOptions {
  /** The run's execution time: intervals up to the latest completed cron tick before it are due. */
  readonly executionTimeMs: number;
  /** Instant that relative `start` values resolve against. */
  readonly nowMs: number;
  /** When set, only these models get missing intervals (the others still gate their children). */
  readonly only?: ReadonlySet<string>;
  /**
   * Plan semantics (§6.4): a model that already has processed intervals is backfilled only up to the end of
   * what it has (gaps and a moved `start` are filled; time does not advance, that is `run`'s job). Models
   * with nothing processed yet go up to the latest completed cron tick.
   */
  readonly capAtProcessedEnd?: boolean;
  /** Treat every model as due regardless of its cron (complete unit intervals only). */
  readonly ignoreCron?: boolean;
}

export interface EnvironmentWork {
  readonly works: Map<string, ModelWork>;
  /** Models parents-first (EMBEDDED models left out: they are never evaluated). */
  readonly order: string[];
}

/**
 * Works out, for every model of an environment, what is missing at the execution time (§4.5, §4.7) and
 * how the models gate each other. Pure: processed intervals come in from the state store.
 */
export function computeWork(
  models: ReadonlyMap<string, EnvironmentModel>,
  intervals: ReadonlyMap<string, Interval[]>,
  options: ComputeWorkOptions,
): EnvironmentWork {
  const definitions = new Map([...models].map(([name, m]) => [name, m.stored.model]));
  const scheduling = new Map<string, SchedulingModel>(
    [...definitions].map(([name, def]) => [name, schedulingModelOf(def)]),
  );
  const startCache = new Map<string, number>();
  const works = new Map<string, ModelWork>();

  for (const name of buildDag(definitions).order) {
    const env = models.get(name) as EnvironmentModel;
    const kind = env.stored.model.kind.name;
    if (kind === 'EMBEDDED') continue;
    const sm = scheduling.get(name) as SchedulingModel;
    const processed = intervals.get(intervalKeyString({ name, version: env.snapshot.version })) ?? [];
    const start =
      kind === 'EXTERNAL' ? undefined : inferModelStart(sm, scheduling, options.nowMs, options.nowMs, startCache);
    const wanted = kind !== 'EXTERNAL' && (options.only === undefined || options.only.has(name));
    const cap = options.capAtProcessedEnd && processed.length > 0 ? (processed[processed.length - 1] as Interval)[1] : undefined;
    const end = Math.min(options.executionTimeMs, cap ?? Number.POSITIVE_INFINITY);
    const missing =
      wanted && start !== undefined && start < end
        ? computeMissingIntervals(
            sm,
            processed,
            {
              start,
              end,
              executionTimeMs: options.executionTimeMs,
              ignoreCron: options.ignoreCron ?? false,
              ...(cap !== undefined ? { endBounded: true } : {}),
            },
            options.nowMs,
          )
        : [];
    const concurrency = effectiveBatchConcurrency(sm);
    works.set(name, {
      name,
      version: env.snapshot.version,
      // Time-ranged kinds hold a set of time ranges; the others hold one whole snapshot of their query.
      timeRanged: kind === 'INCREMENTAL_BY_TIME_RANGE' || kind === 'INCREMENTAL_BY_UNIQUE_KEY',
      dependsOnPast: dependsOnPast(sm),
      ...(sm.batchSize !== undefined ? { batchSize: sm.batchSize } : {}),
      ...(concurrency !== undefined ? { batchConcurrency: concurrency } : {}),
      parents: schedulingParents({ models: definitions }, name).filter((p) => definitions.has(p)),
      processed,
      missing,
      ...(start !== undefined ? { startMs: start } : {}),
      alwaysReady: kind === 'EXTERNAL',
    });
  }
  return { works, order: [...works.keys()] };
}
