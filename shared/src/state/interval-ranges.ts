import { SchedulerError } from '../errors';
import type { Interval } from '../schedule/interval';

/**
 * Checks the state stores add on top of the interval list operations in ../schedule/intervals (merge,
 * add, remove), which both stores use so their range arithmetic cannot differ.
 */

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
