import { floorToDay } from '../time/calendar';
import { MS_PER_DAY } from '../time/constants';
import { instant, type ResolvedTime, resolveTimeInput, type TimeInput } from '../time/time-like';
import { cronFloor, cronPrev } from './cron';
import type { Interval } from './interval';
import { mergeContiguous, removeInterval } from './intervals';
import { computeMissingIntervals } from './missing-intervals';
import { isEvaluatable, type SchedulingModel } from './scheduling-model';

/** A run or plan over many models (§4.7). */
export interface MultiModelRequest {
  /** Run start; undefined = the earliest start of all models (each model is still raised to its own start). */
  readonly start?: TimeInput;
  /** Run end; undefined = `nowMs`. It only lowers the bound: the cron still limits what is due. */
  readonly end?: TimeInput;
  readonly executionTimeMs: number;
  readonly ignoreCron?: boolean;
  readonly endBounded?: boolean;
  /** Per-model start replacing the run start (epoch ms). */
  readonly startOverridePerModel?: ReadonlyMap<string, number>;
  /** Per-model exclusive end replacing the run end; a model whose start reaches it is skipped. */
  readonly endOverridePerModel?: ReadonlyMap<string, number>;
  /** Intervals being restated per model: processed time there is treated as missing and the range is used. */
  readonly restatements?: ReadonlyMap<string, Interval>;
}

type StartCache = Map<string, number>;

/**
 * A model's effective start (SQLMesh `start_date`): its own `start` (relative values against `nowMs`), else
 * the earliest inferred start of its parents in `models`, else the start of the last complete cron period at
 * `relativeToMs`, which makes a parentless model without `start` slide forward with time (§4.7).
 */
export function inferModelStart(
  model: SchedulingModel,
  models: ReadonlyMap<string, SchedulingModel>,
  relativeToMs: number,
  nowMs: number,
  cache: StartCache = new Map(),
  visiting: Set<string> = new Set(),
): number {
  const key = `${model.name}|${relativeToMs}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let start: number;
  if (model.start !== undefined) {
    start = resolveTimeInput(model.start, nowMs).ms;
  } else {
    visiting.add(model.name);
    const parentStarts = model.parents
      .filter((p) => !visiting.has(p))
      .map((p) => models.get(p))
      .filter((p): p is SchedulingModel => p !== undefined)
      .map((p) => inferModelStart(p, models, relativeToMs, nowMs, cache, visiting));
    visiting.delete(model.name);
    start =
      parentStarts.length > 0
        ? Math.min(...parentStarts)
        : cronPrev(model.cron, model.cronTz, cronFloor(model.cron, model.cronTz, relativeToMs));
  }
  cache.set(key, start);
  return start;
}

/**
 * The earliest effective start over all models, the default run start; "yesterday" relative to
 * `relativeToMs` when there are no models.
 */
export function earliestModelStart(
  models: readonly SchedulingModel[],
  relativeToMs: number,
  nowMs: number,
  cache: StartCache = new Map(),
): number {
  if (models.length === 0) return floorToDay(relativeToMs) - MS_PER_DAY;
  const byName = new Map(models.map((m) => [m.name, m]));
  let earliest = Infinity;
  for (const m of models) earliest = Math.min(earliest, inferModelStart(m, byName, relativeToMs, nowMs, cache));
  return earliest;
}

/**
 * Missing unit intervals of every evaluatable model for one run (SQLMesh `missing_intervals` over snapshots):
 * resolves the run's start/end, applies per-model overrides and restatements, raises each model to its own
 * (possibly inferred) start, caps it at its own end, and computes §4.5. Models with nothing missing are left
 * out of the result.
 *
 * @example
 * computeMissingIntervalsForModels(models, processedByName, { executionTimeMs: T }, T)
 * // Map { 'db.orders' => [[d1, d2], [d2, d3]], ... }
 */
export function computeMissingIntervalsForModels(
  models: readonly SchedulingModel[],
  processed: ReadonlyMap<string, readonly Interval[]>,
  request: MultiModelRequest,
  nowMs: number,
): Map<string, Interval[]> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const cache: StartCache = new Map();
  const runEnd: ResolvedTime = request.end !== undefined ? resolveTimeInput(request.end, nowMs) : instant(nowMs);
  const runStart =
    request.start !== undefined
      ? resolveTimeInput(request.start, nowMs).ms
      : earliestModelStart(models, runEnd.ms, nowMs, cache);
  const result = new Map<string, Interval[]>();

  for (const model of models) {
    if (!isEvaluatable(model)) continue;
    let modelStart = request.startOverridePerModel?.get(model.name) ?? runStart;
    let modelEnd: ResolvedTime = runEnd;
    let modelProcessed = processed.get(model.name) ?? [];

    const restated = request.restatements?.get(model.name);
    if (restated) {
      modelStart = restated[0];
      modelEnd = instant(restated[1]);
      modelProcessed = removeInterval(modelProcessed, restated);
    }
    const endOverride = request.endOverridePerModel?.get(model.name);
    if (endOverride !== undefined) {
      if (modelStart >= endOverride) continue;
      modelEnd = instant(endOverride);
    }
    modelStart = Math.max(modelStart, inferModelStart(model, byName, modelEnd.ms, nowMs, cache));
    if (modelStart > modelEnd.ms) continue;

    let missingEnd = modelEnd;
    if (model.end !== undefined) {
      const ownEnd = resolveTimeInput(model.end, nowMs);
      if (ownEnd.ms < modelEnd.ms) missingEnd = ownEnd;
    }
    const intervals = computeMissingIntervals(
      model,
      modelProcessed,
      {
        start: instant(modelStart),
        end: missingEnd,
        executionTimeMs: request.executionTimeMs,
        ...(request.ignoreCron !== undefined ? { ignoreCron: request.ignoreCron } : {}),
        ...(request.endBounded !== undefined ? { endBounded: request.endBounded } : {}),
      },
      nowMs,
    );
    if (intervals.length > 0) result.set(model.name, intervals);
  }
  return result;
}

/**
 * {@link computeMissingIntervalsForModels} with each model's missing cells merged into maximal contiguous
 * ranges (SQLMesh `compute_interval_params`, §4.8 step 1).
 */
export function computeIntervalParams(
  models: readonly SchedulingModel[],
  processed: ReadonlyMap<string, readonly Interval[]>,
  request: MultiModelRequest,
  nowMs: number,
): Map<string, Interval[]> {
  const merged = new Map<string, Interval[]>();
  for (const [name, intervals] of computeMissingIntervalsForModels(models, processed, request, nowMs)) {
    merged.set(name, mergeContiguous(intervals));
  }
  return merged;
}
