import type { Interval } from './interval';

/**
 * Pure operations on lists of half-open `[start, end)` intervals (epoch ms or any integers). None mutates
 * its input.
 */

/**
 * Sorts and merges intervals: `[a, b)` and `[c, d)` join when `c <= b`, so touching intervals become one.
 *
 * @example mergeIntervals([[3, 4], [1, 2], [2, 3]]) // [[1, 4]]
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  if (intervals.length === 0) return [];
  const sorted = [...intervals].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** True when the list is sorted with no two intervals touching or overlapping (the stored shape). */
export function isMerged(intervals: readonly Interval[]): boolean {
  for (let i = 1; i < intervals.length; i += 1) {
    if ((intervals[i] as Interval)[0] <= (intervals[i - 1] as Interval)[1]) return false;
  }
  return true;
}

/** The list itself when already merged (no copy, for read-only use), else its merged copy. */
export function asMerged(intervals: readonly Interval[]): readonly Interval[] {
  return isMerged(intervals) ? intervals : mergeIntervals(intervals);
}

/** Adds one interval to a list and returns the merged result. */
export function addInterval(intervals: readonly Interval[], interval: Interval): Interval[] {
  return mergeIntervals([...intervals, interval]);
}

/**
 * Removes `[removeStart, removeEnd)` from every interval (§4.6): an interval strictly containing it is split
 * in two; one overlapping an edge is trimmed; one inside it is dropped.
 */
export function removeInterval(intervals: readonly Interval[], removal: Interval): Interval[] {
  const [removeStart, removeEnd] = removal;
  const kept: Interval[] = [];
  for (const [start, end] of intervals) {
    if (removeStart > start && removeEnd < end) {
      kept.push([start, removeStart], [removeEnd, end]);
    } else if (removeStart > start) {
      kept.push([start, Math.min(removeStart, end)]);
    } else if (removeEnd < end) {
      kept.push([Math.max(removeEnd, start), end]);
    }
  }
  return kept;
}

/**
 * The intervals of `a` that overlap nothing in `b`, in order. With `uninterrupted` (depends-on-past models),
 * stops at the first interval of `a` that overlaps `b`, so only the prefix before it survives.
 * `b` must be sorted and merged; `a` sorted.
 *
 * @example intervalDiff([[1, 2], [2, 3], [3, 4]], [[2, 3]]) // [[1, 2], [3, 4]]
 * @example intervalDiff([[1, 2], [2, 3], [3, 4]], [[2, 3]], true) // [[1, 2]]
 */
export function intervalDiff(a: readonly Interval[], b: readonly Interval[], uninterrupted = false): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const interval of a) {
    while (j < b.length && (b[j]?.[1] ?? 0) <= interval[0]) j += 1;
    const blocker = b[j];
    if (blocker && blocker[0] < interval[1]) {
      if (uninterrupted) return out;
      continue;
    }
    out.push(interval);
  }
  return out;
}

/**
 * Splits a sorted list into runs where each interval starts where the previous one ended.
 *
 * @example contiguousGroups([[0, 1], [1, 2], [3, 4]]) // [[[0, 1], [1, 2]], [[3, 4]]]
 */
export function contiguousGroups(intervals: readonly Interval[]): Interval[][] {
  const groups: Interval[][] = [];
  let current: Interval[] = [];
  for (const interval of intervals) {
    const last = current[current.length - 1];
    if (last && interval[0] !== last[1]) {
      groups.push(current);
      current = [];
    }
    current.push(interval);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Joins each contiguous run of a sorted list into one interval (`compute_interval_params`). */
export function mergeContiguous(intervals: readonly Interval[]): Interval[] {
  return contiguousGroups(intervals).map((g) => [g[0]?.[0] ?? 0, g[g.length - 1]?.[1] ?? 0] as const);
}

/** True when some interval of the sorted, merged list fully contains `[start, end)`. */
export function isCovered(merged: readonly Interval[], start: number, end: number): boolean {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = merged[mid] as Interval;
    if (candidate[1] <= start) lo = mid + 1;
    else if (candidate[0] > start) hi = mid - 1;
    else return end <= candidate[1];
  }
  return false;
}

/** The parts of `[start, end)` not covered by a sorted, merged list. */
export function uncoveredRanges(merged: readonly Interval[], start: number, end: number): Interval[] {
  const gaps: Interval[] = [];
  let cursor = start;
  for (const [lo, hi] of merged) {
    if (hi <= cursor) continue;
    if (lo >= end) break;
    if (lo > cursor) gaps.push([cursor, lo]);
    cursor = Math.max(cursor, hi);
    if (cursor >= end) break;
  }
  if (cursor < end) gaps.push([cursor, end]);
  return gaps;
}
