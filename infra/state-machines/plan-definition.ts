import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IChainable, JsonPath, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { createJobDefinition } from './job-definition';
import { MACHINE_ERRORS, PLAN_STATES } from './names';

/** Functions and settings of the plan machine. */
export interface PlanDefinitionOptions {
  readonly preparePlan: IFunction;
  readonly executeBatches: IFunction;
  readonly promotePlan: IFunction;
  readonly maxConcurrency: number;
}

/**
 * The plan-application definition, built in a child construct `id` of `scope`. Execution input: `{planId}`.
 * The workers get `{runId: planId, workerId}`, so execute-batches serves runs and plans alike. PromotePlan
 * also receives failures (`error` set): it must then record the plan as failed and promote nothing.
 */
export function createPlanDefinition(scope: Construct, id: string, options: PlanDefinitionOptions): IChainable {
  return createJobDefinition(scope, id, {
    idField: 'planId',
    prepare: {
      stateName: PLAN_STATES.preparePlan,
      handler: 'prepare-plan',
      lambdaFunction: options.preparePlan,
      payload: TaskInput.fromObject({ planId: JsonPath.stringAt('$.planId') }),
    },
    hasBatchesState: PLAN_STATES.hasBatches,
    executeBatches: options.executeBatches,
    maxConcurrency: options.maxConcurrency,
    finish: { stateName: PLAN_STATES.promotePlan, handler: 'promote-plan', lambdaFunction: options.promotePlan },
    outcomeState: PLAN_STATES.planOutcome,
    succeededState: PLAN_STATES.planApplied,
    failedState: PLAN_STATES.planFailed,
    failedError: MACHINE_ERRORS.planFailed,
  });
}
