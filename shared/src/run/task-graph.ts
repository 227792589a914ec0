/**
 * Executes a DAG of tasks with a concurrency cap and no wave barrier: a task starts as soon as all of its
 * own dependencies have succeeded and a slot is free, whatever else is still running. A failed or skipped
 * task makes every task that depends on it (transitively) skip, with the reason naming the upstream task
 * that failed first; unrelated branches keep going.
 */

export interface GraphTask<T> {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** Runs the work; resolving = success, throwing = failure. */
  readonly run: () => Promise<T>;
}

export type TaskOutcome<T> =
  | { readonly status: 'succeeded'; readonly value: T }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'skipped'; readonly upstream: string; readonly upstreamStatus: 'failed' | 'skipped' };

export interface TaskGraphOptions<T> {
  readonly concurrency: number;
  /** Called when a task ends (success, failure or skip), e.g. to print a line or update a progress bar. */
  readonly onSettled?: (id: string, outcome: TaskOutcome<T>) => void;
  /** Called just before a task starts. */
  readonly onStart?: (id: string) => void;
}

/**
 * Runs every task and resolves with each task's outcome; never rejects because a task failed.
 * Throws synchronously-rejected errors only for an invalid graph (unknown dependency or cycle).
 */
export async function runTaskGraph<T>(
  tasks: readonly GraphTask<T>[],
  options: TaskGraphOptions<T>,
): Promise<Map<string, TaskOutcome<T>>> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>();
  const waitingOn = new Map<string, number>();
  for (const task of tasks) {
    waitingOn.set(task.id, task.dependsOn.length);
    for (const dep of task.dependsOn) {
      if (!byId.has(dep)) throw new Error(`task '${task.id}' depends on unknown task '${dep}'`);
      const list = dependents.get(dep);
      if (list) list.push(task.id);
      else dependents.set(dep, [task.id]);
    }
  }

  assertAcyclic(tasks, dependents);

  const outcomes = new Map<string, TaskOutcome<T>>();
  // Ready tasks in insertion order, so callers control priority by the order they pass tasks in.
  const ready: string[] = tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id);
  let running = 0;

  return new Promise((resolve) => {
    const settle = (id: string, outcome: TaskOutcome<T>): void => {
      outcomes.set(id, outcome);
      options.onSettled?.(id, outcome);
      for (const child of dependents.get(id) ?? []) {
        if (outcomes.has(child)) continue;
        if (outcome.status === 'succeeded') {
          const left = (waitingOn.get(child) ?? 0) - 1;
          waitingOn.set(child, left);
          if (left === 0) ready.push(child);
        } else {
          // The root cause travels down: a grandchild names the task that actually failed.
          const upstream = outcome.status === 'skipped' ? outcome.upstream : id;
          const upstreamStatus = outcome.status === 'skipped' ? outcome.upstreamStatus : 'failed';
          settle(child, { status: 'skipped', upstream, upstreamStatus });
        }
      }
    };

    const pump = (): void => {
      while (running < options.concurrency && ready.length > 0) {
        const id = ready.shift() as string;
        if (outcomes.has(id)) continue;
        const task = byId.get(id) as GraphTask<T>;
        running += 1;
        options.onStart?.(id);
        // A task that throws synchronously must count as a failure, not crash the loop.
        Promise.resolve()
          .then(() => task.run())
          .then(
            (value) => settle(id, { status: 'succeeded', value }),
            (error: unknown) => settle(id, { status: 'failed', error }),
          )
          .finally(() => {
            running -= 1;
            pump();
          });
      }
      if (running === 0 && ready.length === 0) resolve(outcomes);
    };

    pump();
  });
}

/** Kahn's algorithm up front, so a cycle is reported before any task runs rather than hanging the graph. */
function assertAcyclic<T>(tasks: readonly GraphTask<T>[], dependents: ReadonlyMap<string, string[]>): void {
  const remaining = new Map(tasks.map((t) => [t.id, t.dependsOn.length]));
  const queue = tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id);
  let seen = 0;
  while (queue.length > 0) {
    const id = queue.pop() as string;
    seen += 1;
    for (const child of dependents.get(id) ?? []) {
      const left = (remaining.get(child) ?? 0) - 1;
      remaining.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  if (seen < tasks.length) {
    const stuck = [...remaining].filter(([, n]) => n > 0).map(([id]) => id);
    throw new Error(`task graph has a cycle through: ${stuck.join(', ')}`);
  }
}
