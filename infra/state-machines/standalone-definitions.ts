import { App, Duration, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DefinitionBody, type IChainable, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { HandlerName } from '../handlers';
import { JOB_TIMEOUT_HOURS } from './names';
import { createPlanDefinition } from './plan-definition';
import { renderDefinition } from './render-definition';
import { createRunJobDefinition } from './run-job-definition';

/** Options of {@link renderRunJobDefinition} and {@link renderPlanDefinition}. */
export interface StandaloneDefinitionOptions {
  readonly maxConcurrency: number;
  /** ARN per handler; a placeholder ARN named after the handler when absent. */
  readonly functionArns?: Partial<Readonly<Record<HandlerName, string>>>;
}

const PLACEHOLDER_ARN_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:meshcron-';

function render(
  options: StandaloneDefinitionOptions,
  build: (scope: Construct, fn: (name: HandlerName) => IFunction) => IChainable,
): string {
  // A throwaway app: the definition builders need a construct scope, the caller does not need a stack.
  const stack = new Stack(new App(), 'Definition');
  const fn = (name: HandlerName): IFunction =>
    LambdaFunction.fromFunctionArn(stack, name, options.functionArns?.[name] ?? `${PLACEHOLDER_ARN_PREFIX}${name}`);
  const machine = new StateMachine(stack, 'Machine', {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(build(stack, fn)),
    timeout: Duration.hours(JOB_TIMEOUT_HOURS),
  });
  return renderDefinition(stack, machine);
}

/**
 * The run-job definition as JSON text, built without a deployed stack (for the local runner). Same builder
 * as the stack uses, so it equals `renderDefinition(stack, runJob)` up to function ARNs.
 */
export function renderRunJobDefinition(options: StandaloneDefinitionOptions): string {
  return render(options, (scope, fn) =>
    createRunJobDefinition(scope, 'RunJobDefinition', {
      prepareRun: fn('prepare-run'),
      executeBatches: fn('execute-batches'),
      finishRun: fn('finish-run'),
      maxConcurrency: options.maxConcurrency,
    }),
  );
}

/** The plan definition as JSON text, built without a deployed stack (for the local runner). */
export function renderPlanDefinition(options: StandaloneDefinitionOptions): string {
  return render(options, (scope, fn) =>
    createPlanDefinition(scope, 'PlanDefinition', {
      preparePlan: fn('prepare-plan'),
      executeBatches: fn('execute-batches'),
      promotePlan: fn('promote-plan'),
      maxConcurrency: options.maxConcurrency,
    }),
  );
}
