import { SchedulerError } from '../errors';
import type { Interval } from '../schedule/interval';

/**
 * Merged-range arithmetic for processed intervals, as the state stores need it (SQLMesh §4.6): ranges are
 * half-open `[start, end)` epoch-ms pairs, kept sorted, and two ranges that touch or overlap are one range.
 *
 * These functions never mutate their input, so a store can compute the new list from a record it read and
 * still compare against the old one when it decides whether a write is needed at all.
 */

/**
 * Sorts and merges any list of intervals: `[a, b)` and `[c, d)` with `c <= b` become `[a, max(b, d))`.
 * Empty intervals (`start >= end`) carry no time and are dropped.
 *
 * @example
 * mergeIntervals([[10, 20], [0, 10], [30, 40]]); // [[0, 20], [30, 40]]
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => s < e).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

/**
 * Returns `ranges` (sorted and merged) with `interval` merged in.
 *
 * @example
 * addInterval([[0, 10]], [10, 20]); // [[0, 20]]
 */
export function addInterval(ranges: readonly Interval[], interval: Interval): Interval[] {
  return mergeIntervals([...ranges, interval]);
}

/**
 * Returns `ranges` (sorted and merged) with `interval` subtracted; a range that strictly contains the
 * removed interval splits in two.
 *
 * @example
 * removeInterval([[0, 30]], [10, 20]); // [[0, 10], [20, 30]]
 */
export function removeInterval(ranges: readonly Interval[], interval: Interval): Interval[] {
  const [rs, re] = interval;
  if (rs >= re) return ranges.map(([s, e]) => [s, e] as const);
  const out: Interval[] = [];
  for (const [a, b] of ranges) {
    // Whatever lies before the removed interval survives, and whatever lies after it; both pieces can
    // exist at once (a split), either alone, or neither (the range is dropped).
    if (a < rs) out.push([a, Math.min(rs, b)]);
    if (re < b) out.push([Math.max(re, a), b]);
  }
  return out;
}

/** True when both lists hold the same ranges in the same order. */
export function sameIntervals(x: readonly Interval[], y: readonly Interval[]): boolean {
  return x.length === y.length && x.every((r, i) => r[0] === y[i]?.[0] && r[1] === y[i]?.[1]);
}

/**
 * Rejects an interval that cannot be recorded: both ends must be safe integers (epoch ms) and
 * `start < end`. `where` names the physical table for the message (`db.events@1234`).
 */
export function assertValidInterval(interval: Interval, where: string): void {
  const [start, end] = interval;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= end) {
    throw new SchedulerError(
      `invalid interval [${start}, ${end}) for ${where}: expected integer epoch-ms bounds with start < end`,
    );
  }
}
