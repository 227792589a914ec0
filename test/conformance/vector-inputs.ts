import type { ReadinessCheck } from '../../shared/src/schedule/batching';
import type { Interval } from '../../shared/src/schedule/interval';
import { effectiveIntervalUnit } from '../../shared/src/schedule/interval-unit';
import type { MultiModelRequest } from '../../shared/src/schedule/missing-intervals-multi';
import {
  SCHEDULING_MODEL_DEFAULTS,
  type SchedulingKindName,
  type SchedulingModel,
} from '../../shared/src/schedule/scheduling-model';
import { checkReadyIntervals, type Signal } from '../../shared/src/schedule/signals';
import { type TimeLike, toEpochMs } from '../../shared/src/time/time-like';

/**
 * Reading vector inputs into Meshcron values. Inputs keep the SQLMesh test's literals; expected instants are
 * `...Z` ISO strings and are read with `Date.parse` (independent of the code under test).
 */

export type Inputs = Readonly<Record<string, unknown>>;

/** Fixed "now" for cases that do not pin one; no case's result depends on it. */
const DEFAULT_NOW = Date.parse('2030-01-01T00:00:00Z');

export const iso = (value: unknown): number => {
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new Error(`vector value ${JSON.stringify(value)} is not an ISO instant`);
  return ms;
};
export const isoPair = (pair: unknown): Interval => {
  const [a, b] = pair as [unknown, unknown];
  return [iso(a), iso(b)];
};
export const isoIntervals = (list: unknown): Interval[] => ((list ?? []) as unknown[]).map(isoPair);
export const asTime = (value: unknown): TimeLike => value as TimeLike;
export const record = (value: unknown): Record<string, unknown> => (value ?? {}) as Record<string, unknown>;

export function nowOf(inputs: Inputs): number {
  if (inputs.now !== undefined) return toEpochMs(asTime(inputs.now), DEFAULT_NOW);
  if (inputs.execution_time !== undefined && inputs.execution_time !== null) {
    return toEpochMs(asTime(inputs.execution_time), DEFAULT_NOW);
  }
  return DEFAULT_NOW;
}

export function executionOf(inputs: Inputs, now: number): number {
  const value = inputs.execution_time;
  return value === undefined || value === null ? now : toEpochMs(asTime(value), now);
}

/** A SchedulingModel from a vector model spec, with SQLMesh defaults (VIEW, `@daily`, unit from cron). */
export function modelFromSpec(spec: unknown): SchedulingModel {
  const s = record(spec);
  const cron = (s.cron as string | undefined) ?? SCHEDULING_MODEL_DEFAULTS.cron;
  const allowPartials = (s.allow_partials as boolean | undefined) ?? false;
  const optional = <T>(key: string, value: T | undefined): Record<string, T> =>
    value === undefined || value === null ? {} : { [key]: value };
  return {
    name: (s.name as string | undefined) ?? 'model',
    kind: ((s.kind as string | undefined) ?? SCHEDULING_MODEL_DEFAULTS.kind) as SchedulingKindName,
    cron,
    ...optional('cronTz', s.cron_tz as string | undefined),
    intervalUnit: effectiveIntervalUnit(cron, s.interval_unit as string | undefined, allowPartials),
    ...optional('start', s.start as TimeLike | undefined),
    ...optional('end', s.end as TimeLike | undefined),
    allowPartials,
    lookback: (s.lookback as number | undefined) ?? 0,
    ...optional('batchSize', s.batch_size as number | undefined),
    ...optional('batchConcurrency', s.batch_concurrency as number | undefined),
    dependsOnSelf: (s.depends_on_self as boolean | undefined) ?? false,
    hasAudits: false,
    parents: (s.parents as string[] | undefined) ?? [],
    disableRestatement: (s.disable_restatement as boolean | undefined) ?? false,
    ...optional('autoRestatementCron', s.auto_restatement_cron as string | undefined),
    ...optional('autoRestatementIntervals', s.auto_restatement_intervals as number | undefined),
  };
}

/** Models of a `models: {name: spec}` input, in `order` when given, with their processed intervals. */
export function modelsOf(inputs: Inputs): { models: SchedulingModel[]; processed: Map<string, Interval[]> } {
  const specs = record(inputs.models);
  const names = (inputs.order as string[] | undefined) ?? Object.keys(specs);
  const models = names.map((name) => modelFromSpec({ name, ...record(specs[name]) }));
  const processed = new Map(names.map((name) => [name, isoIntervals(record(specs[name]).intervals)]));
  return { models, processed };
}

export function overrides(value: unknown): Map<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  return new Map(Object.entries(record(value)).map(([k, v]) => [k, iso(v)]));
}

/** A vector signal encoding turned into a signal function. */
export function signalOf(spec: unknown): Signal {
  const s = record(spec);
  const n = (s.n as number | undefined) ?? 0;
  switch (s.type) {
    case 'all':
    case 'true':
      return () => true;
    case 'none':
    case 'false':
      return () => false;
    case 'empty_list':
      return () => [];
    case 'first_n':
      return (run) => run.slice(0, n);
    case 'last_n':
      return (run) => run.slice(Math.max(0, run.length - n));
    default:
      throw new Error(`unknown signal type ${JSON.stringify(s.type)}`);
  }
}

export function readinessOf(signals: unknown): Map<string, ReadinessCheck> {
  return new Map(
    Object.entries(record(signals)).map(([name, spec]): [string, ReadinessCheck] => {
      const signal = signalOf(spec);
      return [name, (cells) => checkReadyIntervals(cells, signal, name)];
    }),
  );
}

export function multiRequest(inputs: Inputs, now: number): MultiModelRequest {
  const start = inputs.start as TimeLike | undefined | null;
  const end = inputs.end as TimeLike | undefined | null;
  const startOverrides = overrides(inputs.start_override_per_model);
  const endOverrides = overrides(inputs.end_override_per_model);
  return {
    ...(start !== undefined && start !== null ? { start } : {}),
    ...(end !== undefined && end !== null ? { end } : {}),
    executionTimeMs: executionOf(inputs, now),
    ...(inputs.ignore_cron !== undefined ? { ignoreCron: Boolean(inputs.ignore_cron) } : {}),
    ...(inputs.end_bounded !== undefined ? { endBounded: Boolean(inputs.end_bounded) } : {}),
    ...(startOverrides ? { startOverridePerModel: startOverrides } : {}),
    ...(endOverrides ? { endOverridePerModel: endOverrides } : {}),
  };
}

