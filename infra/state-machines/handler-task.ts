import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { JsonPath, type TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type HandlerName, taskTimeoutSeconds } from '../handlers';
import { LAMBDA_TASK_RETRIES } from '../retry-policies';

/** JSON type of a field a task keeps from its Lambda's answer. */
export type ResultFieldType = 'string' | 'number' | 'list';

/** Options of {@link createHandlerTask}. */
export interface HandlerTaskOptions {
  /** Which handler the function runs; sets the task timeout. */
  readonly handler: HandlerName;
  readonly lambdaFunction: IFunction;
  readonly payload: TaskInput;
  /** Fields of the Lambda's answer that become the state output, with their JSON types. */
  readonly resultFields: Readonly<Record<string, ResultFieldType>>;
}

function payloadField(name: string, type: ResultFieldType): unknown {
  const path = `$.Payload.${name}`;
  if (type === 'number') return JsonPath.numberAt(path);
  if (type === 'list') return JsonPath.listAt(path);
  return JsonPath.stringAt(path);
}

/**
 * A LambdaInvoke task named `stateName` whose output is exactly `resultFields` taken from the Lambda's
 * Payload: the integration's envelope (StatusCode, headers, ...) never reaches the state, so payloads stay
 * ID-sized. Retries only Lambda-side transient errors ({@link LAMBDA_TASK_RETRIES}); CDK's built-in retry is
 * off so the policies are the named ones.
 */
export function createHandlerTask(scope: Construct, stateName: string, options: HandlerTaskOptions): LambdaInvoke {
  const resultSelector: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(options.resultFields)) resultSelector[name] = payloadField(name, type);
  const task = new LambdaInvoke(scope, stateName, {
    lambdaFunction: options.lambdaFunction,
    payload: options.payload,
    resultSelector,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(Duration.seconds(taskTimeoutSeconds(options.handler))),
  });
  for (const retry of LAMBDA_TASK_RETRIES) task.addRetry(retry);
  return task;
}
