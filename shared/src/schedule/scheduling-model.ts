import type { ModelDefinition } from '../project/model';
import type { TimeLike } from '../time/time-like';
import { FULL_HISTORY_RESTATEMENT_KINDS, SYMBOLIC_KINDS } from './constants';
import type { IntervalUnit } from './interval';

/**
 * Model kind names the scheduler reasons about. It covers every SQLMesh kind (not only those Meshcron
 * evaluates today) so that scheduling rules such as "depends on past" are stated once, completely.
 */
export type SchedulingKindName =
  | 'FULL'
  | 'VIEW'
  | 'INCREMENTAL_BY_TIME_RANGE'
  | 'INCREMENTAL_BY_UNIQUE_KEY'
  | 'INCREMENTAL_BY_PARTITION'
  | 'INCREMENTAL_UNMANAGED'
  | 'SCD_TYPE_2'
  | 'SCD_TYPE_2_BY_TIME'
  | 'SCD_TYPE_2_BY_COLUMN'
  | 'SEED'
  | 'EMBEDDED'
  | 'EXTERNAL'
  | 'MANAGED'
  | 'CUSTOM';

/** The scheduling-relevant view of a model: everything the interval and batch computations need. */
export interface SchedulingModel {
  /** Normalised model name (`schema.table`). */
  readonly name: string;
  readonly kind: SchedulingKindName;
  readonly cron: string;
  /** IANA zone of the cron; undefined = UTC. */
  readonly cronTz?: string;
  readonly intervalUnit: IntervalUnit;
  /** Start as written (absolute or relative); undefined = inferred from parents or the cron (§4.7). */
  readonly start?: TimeLike;
  /** End as written; a date-only end is inclusive. */
  readonly end?: TimeLike;
  readonly allowPartials: boolean;
  /** Unit intervals re-processed before the first missing one. */
  readonly lookback: number;
  /** Unit intervals per batch; undefined = one batch per contiguous range. */
  readonly batchSize?: number;
  /** Batches that may run at once; undefined = unlimited. */
  readonly batchConcurrency?: number;
  /** True when the query reads the model's own table. */
  readonly dependsOnSelf: boolean;
  /** True when audits are attached (makes EXTERNAL/EMBEDDED models evaluatable). */
  readonly hasAudits: boolean;
  /** Names of the parent models. */
  readonly parents: readonly string[];
  readonly disableRestatement: boolean;
  /** Cron on which recent intervals are restated automatically (prod `run` only). */
  readonly autoRestatementCron?: string;
  /** How many unit intervals an auto restatement covers; undefined = all history. */
  readonly autoRestatementIntervals?: number;
}

/** The values a {@link SchedulingModel} gets when a field is not given, as SQLMesh defaults them. */
export const SCHEDULING_MODEL_DEFAULTS = {
  kind: 'VIEW',
  cron: '@daily',
  allowPartials: false,
  lookback: 0,
  dependsOnSelf: false,
  hasAudits: false,
  parents: [],
  disableRestatement: false,
} as const satisfies Partial<SchedulingModel>;

/** True for kinds that are never evaluated themselves (EMBEDDED, EXTERNAL). */
export function isSymbolic(model: Pick<SchedulingModel, 'kind'>): boolean {
  return SYMBOLIC_KINDS.has(model.kind);
}

/** True when the model is evaluated and has intervals: every non-symbolic kind, and symbolic ones with audits. */
export function isEvaluatable(model: Pick<SchedulingModel, 'kind' | 'hasAudits'>): boolean {
  return !isSymbolic(model) || model.hasAudits;
}

/** True for kinds that can only be restated from the beginning of history. */
export function isFullHistoryRestatementOnly(model: Pick<SchedulingModel, 'kind'>): boolean {
  return FULL_HISTORY_RESTATEMENT_KINDS.has(model.kind);
}

/**
 * True when a batch needs the previous one to be done first: self-referencing models and the kinds that
 * only restate whole history. Such models run batches one at a time and stop at the first unready interval.
 */
export function dependsOnPast(model: Pick<SchedulingModel, 'kind' | 'dependsOnSelf'>): boolean {
  return model.dependsOnSelf || isFullHistoryRestatementOnly(model);
}

/**
 * How many batches of the model may run at once: 1 for depends-on-past models, else its
 * `batch_concurrency` (undefined = unlimited).
 */
export function effectiveBatchConcurrency(
  model: Pick<SchedulingModel, 'kind' | 'dependsOnSelf' | 'batchConcurrency'>,
): number | undefined {
  return dependsOnPast(model) ? 1 : model.batchConcurrency;
}

/**
 * The scheduling view of a loaded model. `batch_size` and `lookback` come from the incremental kinds
 * (a SEED's `batch_size` counts CSV rows, not intervals, so it is not used); INCREMENTAL_BY_UNIQUE_KEY
 * always runs one batch at a time.
 */
export function schedulingModelOf(def: ModelDefinition): SchedulingModel {
  const kind = def.kind;
  const incremental =
    kind.name === 'INCREMENTAL_BY_TIME_RANGE' || kind.name === 'INCREMENTAL_BY_UNIQUE_KEY' ? kind : undefined;
  return {
    name: def.name,
    kind: kind.name,
    cron: def.cron,
    ...(def.cronTz !== undefined ? { cronTz: def.cronTz } : {}),
    intervalUnit: def.intervalUnit,
    ...(def.start !== undefined ? { start: def.start } : {}),
    ...(def.end !== undefined ? { end: def.end } : {}),
    allowPartials: def.allowPartials,
    lookback: incremental?.lookback ?? 0,
    ...(incremental?.batchSize !== undefined ? { batchSize: incremental.batchSize } : {}),
    ...(kind.name === 'INCREMENTAL_BY_TIME_RANGE' && kind.batchConcurrency !== undefined
      ? { batchConcurrency: kind.batchConcurrency }
      : {}),
    ...(kind.name === 'INCREMENTAL_BY_UNIQUE_KEY' ? { batchConcurrency: 1 } : {}),
    dependsOnSelf: def.dependsOnSelf,
    hasAudits: def.audits.length > 0,
    parents: def.dependsOn,
    disableRestatement: incremental?.disableRestatement ?? false,
  };
}
