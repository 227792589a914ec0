import { SchedulerError } from '../errors';
import { MS_PER_DAY } from '../time/constants';
import { toTstz } from '../time/format';
import { type ResolvedTime, resolveTimeLike, type TimeLike } from '../time/time-like';
import type { Interval, IntervalUnit } from './interval';
import { unitFloor, unitNext } from './interval-unit';
import { addInterval, mergeIntervals } from './intervals';
import type { SchedulingModel } from './scheduling-model';

/** Options of {@link inclusiveExclusive}. */
export interface InclusiveExclusiveOptions {
  /** Keep an unaligned end as is instead of flooring/expanding it (`allow_partials`). */
  readonly allowPartial?: boolean;
  /** Grow a partial range outward (true, the default) or shrink it inward (false). */
  readonly expand?: boolean;
  /** Throw when the result is empty (default true). */
  readonly strict?: boolean;
}

/**
 * §4.4 on already-resolved times: turns an inclusive request into a unit-aligned `[start, end)`. A date end
 * covers its whole day. With `expand` the range grows outward to whole units; without it (state writes) it
 * shrinks inward, and may come out empty (`start >= end`).
 */
export function inclusiveExclusiveResolved(
  start: number,
  end: ResolvedTime,
  unit: IntervalUnit,
  options: InclusiveExclusiveOptions = {},
): Interval {
  const { allowPartial = false, expand = true, strict = true } = options;
  let s = unitFloor(unit, start);
  if (!expand && !allowPartial && s < start) s = unitNext(unit, s);
  const exclusiveEnd = end.isDate ? end.ms + MS_PER_DAY : end.ms;
  let e = exclusiveEnd;
  if (!allowPartial) {
    e = unitFloor(unit, exclusiveEnd);
    if (expand && e !== exclusiveEnd) e = unitNext(unit, e);
  }
  if (strict && s >= e) {
    throw new SchedulerError(`Invalid range: end (${toTstz(e)}) must be greater than start (${toTstz(s)})`);
  }
  return [s, e];
}

/**
 * SQLMesh `inclusive_exclusive(start, end, unit, strict, allow_partial, expand)` on time values.
 *
 * @example
 * // @monthly model, request 2023-01-01 .. 2023-07-06 (date end, inclusive)
 * inclusiveExclusive('2023-01-01', '2023-07-06', 'month', {}, now) // [2023-01-01, 2023-08-01)
 */
export function inclusiveExclusive(
  start: TimeLike,
  end: TimeLike,
  unit: IntervalUnit,
  options: InclusiveExclusiveOptions,
  nowMs: number,
): Interval {
  return inclusiveExclusiveResolved(resolveTimeLike(start, nowMs).ms, resolveTimeLike(end, nowMs), unit, options);
}

/**
 * The part of `[startMs, endMs)` that may be recorded as processed for a model: shrunk inward to whole units
 * unless the model allows partials; undefined when nothing is left (a partial interval is not recorded).
 */
export function normaliseProcessedInterval(
  model: Pick<SchedulingModel, 'intervalUnit' | 'allowPartials'>,
  startMs: number,
  endMs: number,
): Interval | undefined {
  const [s, e] = inclusiveExclusiveResolved(startMs, { ms: endMs, isDate: false }, model.intervalUnit, {
    allowPartial: model.allowPartials,
    expand: false,
    strict: false,
  });
  return s < e ? [s, e] : undefined;
}

/**
 * SQLMesh `Snapshot.add_interval`: records `[start, end]` (a date end is inclusive) in the processed list of a
 * model, normalised inward to whole units, and returns the new merged list. A range shorter than a unit is
 * dropped unless the model allows partials.
 *
 * @example
 * // daily model: 15:00 on 01-01 to 01-03 00:00 records only 01-02
 * addProcessedInterval(model, [], '2023-01-01 15:00:00', '2023-01-03 00:00:00', now) // [[2023-01-02, 2023-01-03)]
 */
export function addProcessedInterval(
  model: Pick<SchedulingModel, 'name' | 'intervalUnit' | 'allowPartials'>,
  processed: readonly Interval[],
  start: TimeLike,
  end: TimeLike,
  nowMs: number,
): Interval[] {
  const s = resolveTimeLike(start, nowMs);
  const e = resolveTimeLike(end, nowMs);
  if (s.ms > e.ms) {
    throw new SchedulerError(
      `Cannot add interval (${String(start)}, ${String(end)}) to '${model.name}': start greater than end`,
    );
  }
  const [lo, hi] = inclusiveExclusiveResolved(s.ms, e, model.intervalUnit, {
    allowPartial: model.allowPartials,
    expand: false,
    strict: false,
  });
  return lo < hi ? addInterval(processed, [lo, hi]) : mergeIntervals(processed);
}

/** Options of {@link mergeSnapshotIntervals}. */
export interface MergeSnapshotIntervalsOptions {
  /**
   * Forward-only `effective_from` of the target snapshot: intervals of another snapshot at or after it are not
   * inherited (the part before it is).
   */
  readonly effectiveFromMs?: number;
}

/**
 * Inherits another snapshot's processed intervals into a model's list (SQLMesh `merge_intervals`), each one
 * re-normalised inward to the target's unit: `[00:05, 00:50)` from a 5-minute snapshot becomes
 * `[00:15, 00:45)` in a quarter-hour one.
 */
export function mergeSnapshotIntervals(
  model: Pick<SchedulingModel, 'intervalUnit' | 'allowPartials'>,
  target: readonly Interval[],
  source: readonly Interval[],
  options: MergeSnapshotIntervalsOptions = {},
): Interval[] {
  const effectiveFrom = options.effectiveFromMs ?? 0;
  const result: Interval[] = [...target];
  for (const [start, end] of source) {
    let e = end;
    if (effectiveFrom > 0 && start < effectiveFrom) e = Math.min(end, effectiveFrom);
    if (effectiveFrom > 0 && e > effectiveFrom) continue;
    const normalised = normaliseProcessedInterval(model, start, e);
    if (normalised) result.push(normalised);
  }
  return mergeIntervals(result);
}
