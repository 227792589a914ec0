import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IChainable, JsonPath, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { createJobDefinition } from './job-definition';
import { MACHINE_ERRORS, RUN_STATES } from './names';

/** Functions and settings of the run-job machine. */
export interface RunJobDefinitionOptions {
  readonly prepareRun: IFunction;
  readonly executeBatches: IFunction;
  readonly finishRun: IFunction;
  readonly maxConcurrency: number;
}

/**
 * The run-job definition, built in a child construct `id` of `scope`. Execution input:
 * `{environment, runId, executionTime}`; the Task states are named by {@link RUN_STATES} and `WORKER_STATES`.
 *
 * @example
 * const definition = createRunJobDefinition(this, 'RunJobDefinition', { prepareRun, executeBatches, finishRun, maxConcurrency: 4 });
 * new StateMachine(this, 'RunJob', { definitionBody: DefinitionBody.fromChainable(definition) });
 */
export function createRunJobDefinition(scope: Construct, id: string, options: RunJobDefinitionOptions): IChainable {
  return createJobDefinition(scope, id, {
    idField: 'runId',
    prepare: {
      stateName: RUN_STATES.prepareRun,
      handler: 'prepare-run',
      lambdaFunction: options.prepareRun,
      payload: TaskInput.fromObject({
        environment: JsonPath.stringAt('$.environment'),
        runId: JsonPath.stringAt('$.runId'),
        executionTime: JsonPath.stringAt('$.executionTime'),
      }),
    },
    hasBatchesState: RUN_STATES.hasBatches,
    executeBatches: options.executeBatches,
    maxConcurrency: options.maxConcurrency,
    finish: { stateName: RUN_STATES.finishRun, handler: 'finish-run', lambdaFunction: options.finishRun },
    outcomeState: RUN_STATES.runOutcome,
    succeededState: RUN_STATES.runFinished,
    failedState: RUN_STATES.runFailed,
    failedError: MACHINE_ERRORS.runFailed,
  });
}
