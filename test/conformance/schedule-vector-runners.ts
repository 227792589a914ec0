import type { Interval } from '../../shared/src/schedule/interval';
import { batchConcurrencyDependencies, batchIntervals } from '../../shared/src/schedule/batching';
import { cronFloor, cronNext, cronPrev } from '../../shared/src/schedule/cron';
import {
  addProcessedInterval,
  inclusiveExclusive,
  mergeSnapshotIntervals,
} from '../../shared/src/schedule/interval-normalise';
import {
  effectiveIntervalUnit,
  intervalUnitFromCron,
  parseIntervalUnit,
  unitFloor,
  unitNext,
  unitPrev,
} from '../../shared/src/schedule/interval-unit';
import { contiguousGroups, intervalDiff } from '../../shared/src/schedule/intervals';
import { computeMissingIntervals } from '../../shared/src/schedule/missing-intervals';
import {
  computeIntervalParams,
  computeMissingIntervalsForModels,
} from '../../shared/src/schedule/missing-intervals-multi';
import { nextModelIntervalStart } from '../../shared/src/schedule/next-run';
import {
  applyAutoRestatements,
  type AutoRestatementState,
  nextAutoRestatementInterval,
  removalInterval,
  restateIntervals,
} from '../../shared/src/schedule/restatement';
import { checkReadyIntervals } from '../../shared/src/schedule/signals';
import { dateDict, makeInclusive, toIsoZ, toTs, toTstz } from '../../shared/src/time/format';
import { isCategoricalRelative, isRelative } from '../../shared/src/time/relative';
import { type TimeLike, toEpochMs } from '../../shared/src/time/time-like';
import {
  asTime,
  executionOf,
  type Inputs,
  iso,
  isoIntervals,
  isoPair,
  modelFromSpec,
  modelsOf,
  multiRequest,
  nowOf,
  readinessOf,
  record,
  signalOf,
} from './vector-inputs';

/** How each vector `fn` is run against Meshcron, asserting with jest's `expect`. */
export type VectorRunner = (inputs: Inputs, expected: unknown) => void;

function expectIntervalsByModel(actual: Map<string, Interval[]>, expected: unknown): void {
  const want = Object.fromEntries(Object.entries(record(expected)).map(([k, v]) => [k, isoIntervals(v)]));
  expect(Object.fromEntries(actual)).toEqual(want);
}

function expectOrError(expected: unknown, run: () => unknown, compare: (actual: unknown) => void): void {
  const error = (expected as { error?: string } | null)?.error;
  if (typeof error === 'string') {
    expect(run).toThrow(error);
    return;
  }
  compare(run());
}

const cronCase =
  (op: typeof cronNext): VectorRunner =>
  (inputs, expected) => {
    const now = nowOf(inputs);
    const value = toEpochMs(asTime(inputs.value), now);
    expect(op(String(inputs.cron), inputs.cron_tz as string | undefined, value)).toBe(iso(expected));
  };

const unitCase =
  (op: typeof unitNext): VectorRunner =>
  (inputs, expected) => {
    const value = toEpochMs(asTime(inputs.value), nowOf(inputs));
    expect(op(parseIntervalUnit(String(inputs.interval_unit)), value)).toBe(iso(expected));
  };

const multiCase =
  (compute: typeof computeIntervalParams): VectorRunner =>
  (inputs, expected) => {
    const now = nowOf(inputs);
    const { models, processed } = modelsOf(inputs);
    expectIntervalsByModel(compute(models, processed, multiRequest(inputs, now), now), expected);
  };

function renderVars(inputs: Inputs): Record<string, string | number> {
  const now = nowOf(inputs);
  const execution = inputs.execution_time === null ? 0 : executionOf(inputs, now);
  if (inputs.start === null || inputs.end === null || inputs.start === undefined || inputs.end === undefined) {
    return dateDict(execution, 0, 0);
  }
  const [start, end] = makeInclusive(asTime(inputs.start), asTime(inputs.end), now);
  return dateDict(execution, start, end);
}

/** The runner for every fn of SCHEDULE_VECTOR_FNS. */
export const SCHEDULE_VECTOR_RUNNERS: Readonly<Record<string, VectorRunner>> = {
  to_datetime: (inputs, expected) => {
    expect(toEpochMs(asTime(inputs.value), nowOf(inputs))).toBe(iso(expected));
  },
  to_timestamp: (inputs, expected) => {
    expect(toEpochMs(asTime(inputs.value), nowOf(inputs))).toBe(expected);
  },
  is_categorical_relative_expression: (inputs, expected) => {
    expect(isCategoricalRelative(inputs.expression)).toBe(expected);
  },
  is_relative: (inputs, expected) => {
    expect(isRelative(inputs.value)).toBe(expected);
  },
  to_ts: (inputs, expected) => {
    expect(toTs(toEpochMs(asTime(inputs.value), nowOf(inputs)))).toBe(expected);
  },
  to_tstz: (inputs, expected) => {
    expect(toTstz(toEpochMs(asTime(inputs.value), nowOf(inputs)))).toBe(expected);
  },
  make_inclusive: (inputs, expected) => {
    const [start, end] = makeInclusive(
      asTime(inputs.start),
      asTime(inputs.end),
      nowOf(inputs),
      inputs.dialect as string | undefined,
    );
    expect([toIsoZ(start), toIsoZ(end)]).toEqual(expected);
  },
  date_dict: (inputs, expected) => {
    const now = nowOf(inputs);
    const actual = dateDict(
      toEpochMs(asTime(inputs.execution_time), now),
      toEpochMs(asTime(inputs.start), now),
      toEpochMs(asTime(inputs.end), now),
    );
    expect(actual).toMatchObject(record(expected));
    for (const [key, value] of Object.entries(actual)) {
      if (key.startsWith('latest_')) expect(value).toBe(actual[key.replace('latest_', 'execution_')]);
    }
  },
  cron_next: cronCase(cronNext),
  cron_prev: cronCase(cronPrev),
  cron_floor: cronCase(cronFloor),
  unit_next: unitCase(unitNext),
  unit_prev: unitCase(unitPrev),
  unit_floor: unitCase(unitFloor),
  interval_unit_from_cron: (inputs, expected) => {
    expect(intervalUnitFromCron(String(inputs.cron))).toBe(expected);
  },
  effective_interval_unit: (inputs, expected) => {
    const cron = (inputs.cron as string | undefined) ?? '@daily';
    expectOrError(
      expected,
      () => effectiveIntervalUnit(cron, inputs.interval_unit as string | undefined, Boolean(inputs.allow_partials)),
      (actual) => expect(actual).toBe(expected),
    );
  },
  lookback_start: (inputs, expected) => {
    const unit = parseIntervalUnit(String(inputs.interval_unit));
    let at = toEpochMs(asTime(inputs.start), nowOf(inputs));
    for (let i = 0; i < Number(inputs.lookback); i += 1) at = unitPrev(unit, at);
    expect(at).toBe(iso(expected));
  },
  inclusive_exclusive: (inputs, expected) => {
    const model = modelFromSpec(inputs.model);
    const actual = inclusiveExclusive(
      asTime(inputs.start),
      asTime(inputs.end),
      model.intervalUnit,
      { allowPartial: model.allowPartials },
      nowOf(inputs),
    );
    expect(actual).toEqual(isoPair(expected));
  },
  add_interval: (inputs, expected) => {
    const model = modelFromSpec(inputs.model);
    const [start, end] = inputs.add as [TimeLike, TimeLike];
    expectOrError(
      expected,
      () => addProcessedInterval(model, isoIntervals(inputs.intervals), start, end, nowOf(inputs)),
      (actual) => expect(actual).toEqual(isoIntervals(expected)),
    );
  },
  merge_snapshot_intervals: (inputs, expected) => {
    const model = modelFromSpec(inputs.model);
    const actual = mergeSnapshotIntervals(model, isoIntervals(inputs.intervals), isoIntervals(inputs.source_intervals));
    expect(actual).toEqual(isoIntervals(expected));
  },
  missing_intervals: (inputs, expected) => {
    const now = nowOf(inputs);
    const actual = computeMissingIntervals(
      modelFromSpec(inputs.model),
      isoIntervals(inputs.intervals),
      {
        start: asTime(inputs.start),
        end: asTime(inputs.end),
        executionTimeMs: executionOf(inputs, now),
        ignoreCron: Boolean(inputs.ignore_cron),
        endBounded: Boolean(inputs.end_bounded),
      },
      now,
    );
    expect(actual).toEqual(isoIntervals(expected));
  },
  missing_intervals_multi: multiCase(computeMissingIntervalsForModels),
  compute_interval_params: multiCase(computeIntervalParams),
  restate: (inputs, expected) => {
    const now = nowOf(inputs);
    const actual = restateIntervals(
      modelFromSpec(inputs.model),
      isoIntervals(inputs.intervals),
      asTime(inputs.start),
      asTime(inputs.end),
      executionOf(inputs, now),
      now,
    );
    expect(actual).toEqual(isoIntervals(expected));
  },
  get_removal_interval: (inputs, expected) => {
    const now = nowOf(inputs);
    const actual = removalInterval(
      modelFromSpec(inputs.model),
      isoIntervals(inputs.intervals),
      asTime(inputs.start),
      asTime(inputs.end),
      executionOf(inputs, now),
      now,
    );
    expect(actual).toEqual(isoPair(expected));
  },
  interval_diff: (inputs, expected) => {
    expect(
      intervalDiff(inputs.a as Interval[], inputs.b as Interval[], Boolean(inputs.uninterrupted)),
    ).toEqual(expected);
  },
  contiguous_groups: (inputs, expected) => {
    expect(contiguousGroups(inputs.intervals as Interval[])).toEqual(expected);
  },
  check_ready_intervals: (inputs, expected) => {
    expect(checkReadyIntervals(inputs.intervals as Interval[], signalOf(inputs.signal))).toEqual(expected);
  },
  batch_intervals: (inputs, expected) => {
    const now = nowOf(inputs);
    const { models, processed } = modelsOf(inputs);
    const params = computeIntervalParams(models, processed, multiRequest(inputs, now), now);
    const { batches } = batchIntervals(models, params, readinessOf(inputs.signals));
    const want = record(expected);
    for (const name of batches.keys()) expect(Object.keys(want)).toContain(name);
    for (const [name, intervals] of Object.entries(want)) {
      expect([name, batches.get(name) ?? []]).toEqual([name, isoIntervals(intervals)]);
    }
  },
  batch_dag: (inputs, expected) => {
    const now = nowOf(inputs);
    const model = modelFromSpec(inputs.model);
    const processed = new Map([[model.name, isoIntervals(record(inputs.model).intervals)]]);
    const params = computeIntervalParams([model], processed, multiRequest(inputs, now), now);
    const want = record(expected);
    if (!params.has(model.name)) {
      expect(want.batches).toBeNull();
      return;
    }
    const batches = batchIntervals([model], params).batches.get(model.name) ?? [];
    expect(batches).toEqual(isoIntervals(want.batches));
    if (want.extra_deps !== undefined) {
      const deps = Object.fromEntries(
        [...batchConcurrencyDependencies(model, batches.length)].map(([i, d]) => [String(i), d]),
      );
      expect(deps).toEqual(want.extra_deps);
    }
  },
  next_model_interval_start: (inputs, expected) => {
    const models = (inputs.models as Record<string, unknown>[])
      // Standalone audits are not models.
      .filter((m) => m.kind !== 'AUDIT')
      .map(modelFromSpec);
    const actual = nextModelIntervalStart(models, nowOf(inputs));
    expect(actual === undefined ? null : toIsoZ(actual)).toBe(expected === null ? null : toIsoZ(iso(expected)));
  },
  next_auto_restatement_interval: (inputs, expected) => {
    const now = nowOf(inputs);
    const state: AutoRestatementState =
      inputs.next_auto_restatement_ts !== undefined
        ? { nextAutoRestatementTs: iso(inputs.next_auto_restatement_ts) }
        : {};
    const actual = nextAutoRestatementInterval(
      modelFromSpec(inputs.model),
      isoIntervals(inputs.intervals),
      state,
      executionOf(inputs, now),
    );
    expect(actual ?? null).toEqual(expected === null ? null : isoPair(expected));
  },
  apply_auto_restatements: (inputs, expected) => {
    const now = nowOf(inputs);
    const { models, processed } = modelsOf(inputs);
    const specs = record(inputs.models);
    const state = new Map<string, AutoRestatementState>(
      models.map((m) => {
        const ts = record(specs[m.name]).next_auto_restatement_ts;
        return [m.name, ts === undefined || ts === null ? {} : { nextAutoRestatementTs: iso(ts) }];
      }),
    );
    const result = applyAutoRestatements(models, processed, state, executionOf(inputs, now), now);
    const want = record(expected);
    expect(Object.fromEntries(result.pendingRestatements)).toEqual(
      Object.fromEntries(Object.entries(record(want.pending_restatement)).map(([k, v]) => [k, isoPair(v)])),
    );
    expectIntervalsByModel(result.intervalsAfter, want.intervals_after);
    expect(Object.fromEntries(result.nextAutoRestatementTs)).toEqual(
      Object.fromEntries(
        Object.entries(record(want.next_auto_restatement_ts)).map(([k, v]) => [k, v === null ? undefined : iso(v)]),
      ),
    );
  },
  render_vars: (inputs, expected) => {
    expect(renderVars(inputs)).toMatchObject(record(expected));
  },
};
