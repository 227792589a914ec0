import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, Fail, JsonPath, Map as MapState, Succeed, TaskInput, Wait, WaitTime } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { createHandlerTask } from './handler-task';
import { MACHINE_ERRORS, WORKER_POLL_SECONDS, WORKER_STATES, WORKER_STATUS } from './names';

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  readonly executeBatches: IFunction;
  /** Map MaxConcurrency: how many workers (and so batches) run at once. */
  readonly maxConcurrency: number;
  /** JSONPath of the ID the workers execute batches of: `$.runId` for runs, `$.planId` for plans. */
  readonly runIdPath: string;
}

/**
 * The worker pool: an inline Map over `$.workers` (opaque worker IDs from the prepare step, e.g. `w1`..`wN`,
 * at most MaxConcurrency of them), each iteration a loop
 * ExecuteReady → RouteWorker → (more: again | waiting: wait, again | done: end).
 *
 * Why a pool of loops and no wave barrier: execute-batches claims any batch whose upstream intervals are done,
 * so a slow model only holds back its own descendants. Each invocation runs several batches, so the
 * history grows by a handful of events per invocation, not per batch.
 *
 * History budget (25,000 events per execution): one loop turn costs about 7 events (task scheduled, started,
 * succeeded, choice entered/exited, wait entered/exited). N workers polling every
 * {@link WORKER_POLL_SECONDS} s spend ~84·N events per minute while waiting, so execute-batches should
 * itself wait a while for work (long-poll) before it answers `waiting`.
 *
 * The Map's result is discarded: the state after it is the prepare step's `{runId|planId, batchCount, workers}`.
 */
export function createWorkerPool(scope: Construct, options: WorkerPoolOptions): MapState {
  const pool = new MapState(scope, WORKER_STATES.workers, {
    itemsPath: '$.workers',
    itemSelector: {
      runId: JsonPath.stringAt(options.runIdPath),
      workerId: JsonPath.stringAt('$$.Map.Item.Value'),
    },
    maxConcurrency: options.maxConcurrency,
    resultPath: JsonPath.DISCARD,
  });

  const executeReady = createHandlerTask(scope, WORKER_STATES.executeReady, {
    handler: 'execute-batches',
    lambdaFunction: options.executeBatches,
    payload: TaskInput.fromObject({
      runId: JsonPath.stringAt('$.runId'),
      workerId: JsonPath.stringAt('$.workerId'),
    }),
    resultFields: { runId: 'string', workerId: 'string', status: 'string' },
  });
  const waitForReady = new Wait(scope, WORKER_STATES.waitForReady, {
    time: WaitTime.duration(Duration.seconds(WORKER_POLL_SECONDS)),
  });
  const routeWorker = new Choice(scope, WORKER_STATES.routeWorker)
    .when(Condition.stringEquals('$.status', WORKER_STATUS.more), executeReady)
    .when(Condition.stringEquals('$.status', WORKER_STATUS.waiting), waitForReady.next(executeReady))
    .when(Condition.stringEquals('$.status', WORKER_STATUS.done), new Succeed(scope, WORKER_STATES.workerDone))
    .otherwise(
      new Fail(scope, WORKER_STATES.unknownWorkerStatus, {
        error: MACHINE_ERRORS.unknownWorkerStatus,
        cause: `execute-batches returned a status other than ${Object.values(WORKER_STATUS).join(', ')}`,
      }),
    );
  pool.itemProcessor(executeReady.next(routeWorker));
  return pool;
}
