import { SchedulerError } from '../errors';
import type { Interval } from './interval';
import { contiguousGroups } from './intervals';

/**
 * A signal's answer for one contiguous run of unit cells: true keeps every cell, false keeps none, a list keeps
 * exactly those cells (it may leave gaps but may not invent or reshape cells).
 */
export type SignalAnswer = boolean | readonly Interval[];

/** A readiness signal, called once per contiguous run of cells (§4.9). */
export type Signal = (run: readonly Interval[]) => SignalAnswer;

/**
 * The cells a signal accepts (SQLMesh `check_ready_intervals`): the cells are split into contiguous runs, the
 * signal is asked once per run, and the accepted cells are returned in order. Throws SchedulerError when the
 * signal returns a cell that was not asked about.
 *
 * @example
 * checkReadyIntervals([[0, 1], [1, 2], [5, 6]], (run) => run.slice(0, 1)) // [[0, 1], [5, 6]]
 */
export function checkReadyIntervals(cells: readonly Interval[], signal: Signal, signalName = 'signal'): Interval[] {
  const ready: Interval[] = [];
  for (const run of contiguousGroups(cells)) {
    const answer = signal(run);
    if (answer === true) ready.push(...run);
    else if (answer === false) continue;
    else {
      for (const cell of answer) {
        if (!run.some((c) => c[0] === cell[0] && c[1] === cell[1])) {
          throw new SchedulerError(
            `Unknown interval [${cell[0]}, ${cell[1]}) returned by ${signalName}: a signal may only return intervals it was given`,
          );
        }
      }
      ready.push(...[...answer].sort((x, y) => x[0] - y[0]));
    }
  }
  return ready;
}
