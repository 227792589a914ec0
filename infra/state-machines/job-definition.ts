import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, type IChainable, Fail, Succeed, type TaskInput, TaskInput as Input } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { HandlerName } from '../handlers';
import { createHandlerTask } from './handler-task';
import { ALL_ERRORS, ERROR_RESULT_PATH, FAILED_STATUS } from './names';
import { createWorkerPool } from './worker-pool';

/** A Lambda step of a job: its state name, handler and function. */
export interface JobStep {
  readonly stateName: string;
  readonly handler: HandlerName;
  readonly lambdaFunction: IFunction;
}

/** Options of {@link createJobDefinition}: the shape shared by run jobs and plan applications. */
export interface JobDefinitionOptions {
  /** Name of the ID field carried through the job (`runId` or `planId`). */
  readonly idField: string;
  /** First step; its payload is built from the execution input, its answer is `{<idField>, batchCount, workers}`. */
  readonly prepare: JobStep & { readonly payload: TaskInput };
  readonly hasBatchesState: string;
  readonly executeBatches: IFunction;
  readonly maxConcurrency: number;
  /** Last step; gets the whole state (IDs only, plus `error` after a failure), answers `{<idField>, status}`. */
  readonly finish: JobStep;
  readonly outcomeState: string;
  readonly succeededState: string;
  readonly failedState: string;
  readonly failedError: string;
}

/**
 * prepare → (batchCount = 0 ? finish : worker pool → finish) → outcome (status `failed` ? Fail : Succeed).
 *
 * A Catch on prepare and on the pool sends any error to the finish step with `{Error, Cause}` at
 * `$.error`, so the job is always closed in the state store. The finish step gets the whole state rather
 * than a fixed Parameters object because `error` exists on the failure paths only and JSONPath has no
 * optional reference; the state holds only IDs and counts at that point, so it stays small.
 */
export function createJobDefinition(scope: Construct, id: string, options: JobDefinitionOptions): IChainable {
  const definition = new Construct(scope, id);
  const idFields = { [options.idField]: 'string' } as const;

  const prepare = createHandlerTask(definition, options.prepare.stateName, {
    handler: options.prepare.handler,
    lambdaFunction: options.prepare.lambdaFunction,
    payload: options.prepare.payload,
    resultFields: { ...idFields, batchCount: 'number', workers: 'list' },
  });
  const finish = createHandlerTask(definition, options.finish.stateName, {
    handler: options.finish.handler,
    lambdaFunction: options.finish.lambdaFunction,
    payload: Input.fromJsonPathAt('$'),
    resultFields: { ...idFields, status: 'string' },
  });
  const pool = createWorkerPool(definition, {
    executeBatches: options.executeBatches,
    maxConcurrency: options.maxConcurrency,
    runIdPath: `$.${options.idField}`,
  });
  const catchAll = { errors: [ALL_ERRORS], resultPath: ERROR_RESULT_PATH };
  prepare.addCatch(finish, catchAll);
  pool.addCatch(finish, catchAll);

  const outcome = new Choice(definition, options.outcomeState)
    .when(
      Condition.stringEquals('$.status', FAILED_STATUS),
      new Fail(definition, options.failedState, {
        error: options.failedError,
        cause: `${options.finish.stateName} reported status '${FAILED_STATUS}'`,
      }),
    )
    .otherwise(new Succeed(definition, options.succeededState));
  finish.next(outcome);

  const hasBatches = new Choice(definition, options.hasBatchesState)
    .when(Condition.numberEquals('$.batchCount', 0), finish)
    .otherwise(pool.next(finish));
  return prepare.next(hasBatches);
}
