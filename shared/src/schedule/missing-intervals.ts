import { SchedulerError } from '../errors';
import { MS_PER_DAY } from '../time/constants';
import { toIsoZ } from '../time/format';
import { type ResolvedTime, resolveTimeInput, type TimeInput } from '../time/time-like';
import { cronFloor } from './cron';
import type { Interval, IntervalUnit } from './interval';
import { inclusiveExclusiveResolved } from './interval-normalise';
import { unitFloor, unitMs, unitNext, unitPrevEstimate } from './interval-unit';
import { asMerged, uncoveredRanges } from './intervals';
import { isEvaluatable, type SchedulingModel } from './scheduling-model';

/** The range and clock of a missing-interval computation (§4.5). */
export interface MissingIntervalsRequest {
  /** Inclusive start (raised to the model's start). */
  readonly start: TimeInput;
  /** End: a date end is inclusive (covers its day), an instant end is exclusive. */
  readonly end: TimeInput;
  /** The execution time `T`: intervals are due only up to the cron tick at or before it. */
  readonly executionTimeMs: number;
  /** Bound by `T` itself instead of the latest cron tick (`--ignore-cron`). */
  readonly ignoreCron?: boolean;
  /** Also bound by the request end before unit flooring (plan does this; run never does). */
  readonly endBounded?: boolean;
}

function resolved(value: TimeInput, nowMs: number): ResolvedTime {
  return resolveTimeInput(value, nowMs);
}

function describe(value: TimeInput): string {
  return typeof value === 'object' ? toIsoZ(value.ms) : String(value);
}

/**
 * Unit cells of `[s, e)` that overlap the complement of `processed`, in order: the cells not fully covered by
 * one processed range. Works gap by gap, so a long, mostly processed history costs only its gaps.
 */
function uncoveredCells(unit: IntervalUnit, processed: readonly Interval[], s: number, e: number): Interval[] {
  const cells: Interval[] = [];
  for (const [gapStart, gapEnd] of uncoveredRanges(processed, s, e)) {
    let a = Math.max(s, unitFloor(unit, gapStart));
    const last = cells[cells.length - 1];
    if (last && last[0] >= a) a = unitNext(unit, last[0]);
    while (a < gapEnd && a < e) {
      const b = Math.min(unitNext(unit, a), e);
      cells.push([a, b]);
      a = b;
    }
  }
  return cells;
}

/** The cell that starts `steps` cells before the cell starting at `cellStart` (aligned grids only). */
function cellsBack(unit: IntervalUnit, cellStart: number, steps: number): number {
  if (unit !== 'month' && unit !== 'year') return cellStart - steps * unitMs(unit);
  let at = cellStart;
  for (let i = 0; i < steps; i += 1) at = unitPrevEstimate(unit, at);
  return at;
}

/** The start of the last grid cell of `[s, e)`, which may be a partial cell ending at `e`. */
function lastCellStart(unit: IntervalUnit, s: number, e: number): number {
  return Math.max(s, unitFloor(unit, e - 1));
}

/**
 * Step 8 of §4.5: with lookback L, cell i is also missing when cell i+L is missing or lies past the grid, so
 * every originally missing cell pulls in the cell L before it, and the last L cells are always included.
 * A model end shortens L by the units between the grid end and that model end.
 */
function applyLookback(
  unit: IntervalUnit,
  missing: readonly Interval[],
  s: number,
  e: number,
  lookback: number,
  modelEndMs: number | undefined,
): Interval[] {
  let l = lookback;
  if (modelEndMs !== undefined) {
    let x = unitPrevEstimate(unit, e);
    while (modelEndMs < x) {
      x = unitPrevEstimate(unit, x);
      l -= 1;
    }
    l = Math.max(l, 0);
  }
  if (l === 0) return [...missing];
  const byStart = new Map<number, Interval>();
  const cellAt = (a: number): Interval => [a, Math.min(unitNext(unit, a), e)];
  for (const cell of missing) {
    byStart.set(cell[0], cell);
    const earlier = cellsBack(unit, cell[0], l);
    if (earlier >= s) byStart.set(earlier, cellAt(earlier));
  }
  let tail = lastCellStart(unit, s, e);
  for (let i = 0; i < l && tail >= s; i += 1) {
    byStart.set(tail, cellAt(tail));
    if (tail === s) break;
    tail = cellsBack(unit, tail, 1);
  }
  return [...byStart.values()].sort((x, y) => x[0] - y[0]);
}

/**
 * The unit intervals of `model` that are missing for a request (§4.5, SQLMesh `Snapshot.missing_intervals`):
 * unprocessed cells of the requested range up to the latest cron tick (floored to the unit unless the model
 * allows partials), widened by the model's lookback and cut at its end. `processed` is the model's processed
 * list (it is sorted and merged first). Relative times resolve against `nowMs`.
 *
 * Differences from SQLMesh, on purpose: a range that is empty, or whose upper bound falls before its start,
 * returns [] (SQLMesh raises, or returns a reversed interval); touching processed intervals count as one.
 *
 * @example
 * // @daily model processed to 2024-03-10, run at 2024-03-12 05:17 UTC
 * computeMissingIntervals(model, [[jan1, mar10]], { start: '2024-01-01', end: T, executionTimeMs: T }, T)
 * // → [[2024-03-10, 2024-03-11), [2024-03-11, 2024-03-12)]
 */
export function computeMissingIntervals(
  model: SchedulingModel,
  processed: readonly Interval[],
  request: MissingIntervalsRequest,
  nowMs: number,
): Interval[] {
  const unit = model.intervalUnit;
  const modelStart = model.start !== undefined ? resolved(model.start, nowMs) : undefined;
  const modelEnd = model.end !== undefined ? resolved(model.end, nowMs) : undefined;
  let start = resolved(request.start, nowMs).ms;
  const end = resolved(request.end, nowMs);

  // Step 0: outside the model's own range there is nothing to do; a date model end counts as its midnight here.
  if (modelEnd && start > modelEnd.ms) return [];
  if (modelStart && modelStart.ms > end.ms) return [];
  if (modelStart && start < modelStart.ms) start = modelStart.ms;
  // Step 1.
  if (start > end.ms) {
    throw new SchedulerError(
      `Invalid range for '${model.name}': start (${describe(request.start)}) is after end (${describe(request.end)})`,
    );
  }
  // Step 2: an instant range shorter than one unit cannot hold a complete interval.
  if (!end.isDate && !model.allowPartials && end.ms - start < unitMs(unit)) return [];
  // Step 3.
  const merged = asMerged(processed);
  if (!isEvaluatable(model) || (model.kind === 'SEED' && merged.length > 0)) return [];
  // Step 4. An empty range yields nothing rather than an error (SQLMesh raises for it with allow_partials).
  const [s, requestEnd] = inclusiveExclusiveResolved(start, end, unit, {
    allowPartial: model.allowPartials,
    strict: false,
  });
  // Step 5: the latest completed cron tick bounds what is due.
  let upper = request.ignoreCron ? request.executionTimeMs : cronFloor(model.cron, model.cronTz, request.executionTimeMs);
  if (request.endBounded) upper = Math.min(upper, requestEnd);
  if (!model.allowPartials) upper = unitFloor(unit, upper);
  const e = Math.min(requestEnd, upper);
  // Step 6.
  if (s >= e) return [];
  // Step 7.
  const missing = uncoveredCells(unit, merged, s, e);
  if (missing.length === 0) return [];
  const modelEndExclusive = modelEnd ? modelEnd.ms + (modelEnd.isDate ? MS_PER_DAY : 0) : undefined;
  // Step 8.
  const withLookback = model.lookback > 0 ? applyLookback(unit, missing, s, e, model.lookback, modelEndExclusive) : missing;
  // Step 9.
  return modelEndExclusive === undefined ? withLookback : withLookback.filter(([a]) => a < modelEndExclusive);
}

/** Re-exported so callers computing missing intervals find the model type and its conversion here. */
export { type SchedulingModel, schedulingModelOf } from './scheduling-model';
