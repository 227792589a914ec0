/**
 * State names, worker statuses and error names of the run-job and plan state machines. Pure constants (no
 * CDK import): the local runner binds Lambda handlers to Task states by these names
 * (`taskResourceLocalHandlers`), handlers return {@link WORKER_STATUS} values, and tests parse definitions.
 */

/**
 * States of the worker pool shared by both machines. Each machine has its own copy; names only need to be
 * unique within one definition.
 */
export const WORKER_STATES = {
  /** Inline Map over `$.workers`, MaxConcurrency = configured max concurrency. */
  workers: 'Workers',
  /** Task: execute-batches `{runId, workerId}` → `{runId, workerId, status}`. */
  executeReady: 'ExecuteReady',
  /** Choice on the worker status. */
  routeWorker: 'RouteWorker',
  /** Wait before polling again when no batch is ready yet. */
  waitForReady: 'WaitForReady',
  /** Succeed: this worker found nothing left to claim. */
  workerDone: 'WorkerDone',
  /** Fail: execute-batches returned a status the machine does not know. */
  unknownWorkerStatus: 'UnknownWorkerStatus',
} as const;

/** States of the run-job machine (besides {@link WORKER_STATES}). */
export const RUN_STATES = {
  /** Task: prepare-run `{environment, runId, executionTime}` → `{runId, batchCount, workers}`. */
  prepareRun: 'PrepareRun',
  /** Choice: no batches → FinishRun, otherwise the worker pool. */
  hasBatches: 'HasBatches',
  /** Task: finish-run `{runId, ..., error?}` → `{runId, status}`. */
  finishRun: 'FinishRun',
  /** Choice on the run status finish-run returned. */
  runOutcome: 'RunOutcome',
  /** Succeed. */
  runFinished: 'RunFinished',
  /** Fail with {@link MACHINE_ERRORS.runFailed}, so failed runs count as failed executions (alarmed). */
  runFailed: 'RunFailed',
} as const;

/** States of the plan machine (besides {@link WORKER_STATES}). */
export const PLAN_STATES = {
  /** Task: prepare-plan `{planId}` → `{planId, batchCount, workers}`. */
  preparePlan: 'PreparePlan',
  /** Choice: no batches → PromotePlan, otherwise the worker pool. */
  hasBatches: 'HasBatches',
  /** Task: promote-plan `{planId, ..., error?}` → `{planId, status}`. */
  promotePlan: 'PromotePlan',
  /** Choice on the plan status promote-plan returned. */
  planOutcome: 'PlanOutcome',
  /** Succeed. */
  planApplied: 'PlanApplied',
  /** Fail with {@link MACHINE_ERRORS.planFailed}. */
  planFailed: 'PlanFailed',
} as const;

/** What execute-batches tells its worker loop to do next. */
export const WORKER_STATUS = {
  /** It stopped with ready batches left (time or batch budget used up): invoke again at once. */
  more: 'more',
  /** Nothing is ready yet but batches are still pending or running elsewhere: wait, then invoke again. */
  waiting: 'waiting',
  /** Nothing is left to claim for this run: the worker ends. */
  done: 'done',
} as const;

/** One of {@link WORKER_STATUS}. */
export type WorkerStatus = (typeof WORKER_STATUS)[keyof typeof WORKER_STATUS];

/** Seconds a worker waits after a `waiting` status before it polls again. */
export const WORKER_POLL_SECONDS = 5;

/**
 * Execution timeout of both machines, in hours: a run or plan still going after this long has a stuck worker
 * (e.g. `waiting` forever); Step Functions then ends it as TimedOut, which is alarmed.
 */
export const JOB_TIMEOUT_HOURS = 24;

/** The run/plan status value that makes the machine end in its Fail state; any other status succeeds. */
export const FAILED_STATUS = 'failed';

/** Error names raised by the machines' own Fail states. */
export const MACHINE_ERRORS = {
  runFailed: 'Meshcron.RunFailed',
  planFailed: 'Meshcron.PlanFailed',
  unknownWorkerStatus: 'Meshcron.UnknownWorkerStatus',
} as const;

/**
 * Lambda invoke errors that are the service's fault and safe to retry: the function did not run, or its
 * result was lost in transit (handlers are idempotent per batch claim, so a rerun is harmless).
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** Lambda invoke errors raised when the account or function concurrency is exhausted. */
export const LAMBDA_THROTTLE_ERRORS = ['Lambda.TooManyRequestsException'] as const;

/** Step Functions' wildcard error name, used by the Catch clauses that route failures to the final task. */
export const ALL_ERRORS = 'States.ALL';

/** Where a Catch puts the `{Error, Cause}` of a failure in the state, read by finish-run and promote-plan. */
export const ERROR_RESULT_PATH = '$.error';
