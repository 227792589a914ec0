import type { EventLog } from '../../functions/adapters/local-job-launcher';

/**
 * What one locally executed state machine did, counted from its event log the way Step Functions bills and
 * limits it: every state entered is a state transition (billed), and every event counts toward the
 * 25,000-event history limit of a Standard execution.
 */

/** Counts from one execution's events. */
export interface ExecutionCounts {
  /** `StateEntered` events: Step Functions' billed state transitions (retries would add more). */
  readonly transitions: number;
  /** Entries per state name, Task and other states alike. */
  readonly enteredByState: ReadonlyMap<string, number>;
  /** Entries of Task states only (each is one Lambda invocation). */
  readonly taskEntries: number;
  readonly mapIterations: number;
  /** Every event the local runner logged. */
  readonly localEvents: number;
  /** The history AWS would record, estimated by {@link estimateAwsHistoryEvents}. */
  readonly awsHistoryEvents: number;
}

/**
 * History events per item on AWS. A Task writes TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded
 * and TaskStateExited; any other state writes its Entered and Exited; a Map iteration writes
 * MapIterationStarted and MapIterationSucceeded; the execution adds ExecutionStarted and ExecutionSucceeded.
 */
export const AWS_HISTORY_EVENTS = { perTask: 5, perOtherState: 2, perMapIteration: 2, perExecution: 2 } as const;

/** Step Functions' limit on the events of one Standard execution's history. */
export const AWS_HISTORY_EVENT_LIMIT = 25_000;

/** The AWS history size of an execution with these counts. */
export function estimateAwsHistoryEvents(counts: { taskEntries: number; otherEntries: number; mapIterations: number }): number {
  return (
    counts.taskEntries * AWS_HISTORY_EVENTS.perTask +
    counts.otherEntries * AWS_HISTORY_EVENTS.perOtherState +
    counts.mapIterations * AWS_HISTORY_EVENTS.perMapIteration +
    AWS_HISTORY_EVENTS.perExecution
  );
}

function stateOf(event: EventLog): { name: string; type: string } | undefined {
  const state = event.state as { name?: unknown; type?: unknown } | undefined;
  return typeof state?.name === 'string' && typeof state.type === 'string' ? { name: state.name, type: state.type } : undefined;
}

/** Counts the events of one execution. */
export function countExecutionEvents(events: readonly EventLog[]): ExecutionCounts {
  const enteredByState = new Map<string, number>();
  let transitions = 0;
  let taskEntries = 0;
  let mapIterations = 0;
  for (const event of events) {
    if (event.type === 'MapIterationStarted') mapIterations += 1;
    if (event.type !== 'StateEntered') continue;
    const state = stateOf(event);
    if (!state) continue;
    transitions += 1;
    if (state.type === 'Task') taskEntries += 1;
    enteredByState.set(state.name, (enteredByState.get(state.name) ?? 0) + 1);
  }
  return {
    transitions,
    enteredByState,
    taskEntries,
    mapIterations,
    localEvents: events.length,
    awsHistoryEvents: estimateAwsHistoryEvents({ taskEntries, otherEntries: transitions - taskEntries, mapIterations }),
  };
}

/**
 * Least-squares line `a + b·n` through `(n, value)` points, for extrapolating per-job counts to a larger job.
 * With one point the line goes through the origin.
 */
export function fitLine(points: ReadonlyArray<readonly [number, number]>): { intercept: number; slope: number } {
  if (points.length === 0) throw new RangeError('fitLine needs at least one point');
  if (points.length === 1) {
    const [n, v] = points[0] as readonly [number, number];
    return { intercept: 0, slope: v / n };
  }
  const meanN = points.reduce((s, [n]) => s + n, 0) / points.length;
  const meanV = points.reduce((s, [, v]) => s + v, 0) / points.length;
  const sxx = points.reduce((s, [n]) => s + (n - meanN) ** 2, 0);
  const sxy = points.reduce((s, [n, v]) => s + (n - meanN) * (v - meanV), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: meanV - slope * meanN, slope };
}
