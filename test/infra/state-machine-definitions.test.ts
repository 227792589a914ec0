import { Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, Pass, type RetryProps, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { SchedulerError } from '../../shared/src/errors';
import { HANDLER_NAMES, type HandlerName, taskTimeoutSeconds } from '../../infra/handlers';
import { LAMBDA_SERVICE_RETRY, LAMBDA_TASK_RETRIES, LAMBDA_THROTTLE_RETRY } from '../../infra/retry-policies';
import { MACHINE_ERRORS, PLAN_STATES, RUN_STATES, WORKER_POLL_SECONDS, WORKER_STATES, WORKER_STATUS } from '../../infra/state-machines/names';
import { renderDefinition } from '../../infra/state-machines/render-definition';
import { renderPlanDefinition, renderRunJobDefinition } from '../../infra/state-machines/standalone-definitions';
import type { MeshcronStack } from '../../infra/stacks/meshcron-stack';
import { logicalIdOf, resourcesOfType, synthMeshcron } from './support/synth-meshcron';

type AslState = Record<string, unknown> & { Type: string };
interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

const arnOfHandler = (name: string): string => `arn:aws:lambda:eu-west-1:111122223333:function:${name}`;

/** The machine's definition with each function ARN named after its handler, so tasks can be matched to handlers. */
function definitionOf(stack: MeshcronStack, machine: StateMachine): Asl {
  const handlerOf = new Map(HANDLER_NAMES.map((name) => [logicalIdOf(stack, stack.handlers.get(name)), name]));
  return JSON.parse(renderDefinition(stack, machine, { arnOf: (id) => arnOfHandler(handlerOf.get(id) ?? `unknown-${id}`) })) as Asl;
}

function state(states: Record<string, AslState>, name: string): AslState {
  const found = states[name];
  if (!found) throw new Error(`no state ${name} in ${Object.keys(states).join(', ')}`);
  return found;
}

/** The Retry entry the named policy must produce in ASL. */
function retrier(policy: RetryProps): Record<string, unknown> {
  return {
    ErrorEquals: policy.errors,
    IntervalSeconds: policy.interval?.toSeconds(),
    MaxAttempts: policy.maxAttempts,
    BackoffRate: policy.backoffRate,
    MaxDelaySeconds: policy.maxDelay?.toSeconds(),
    JitterStrategy: policy.jitterStrategy,
  };
}

function expectHandlerTask(task: AslState, handler: HandlerName, resultFields: string[]): void {
  expect(task.Type).toBe('Task');
  expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
  expect((task.Parameters as { FunctionName: string }).FunctionName).toBe(arnOfHandler(handler));
  expect(task.TimeoutSeconds).toBe(taskTimeoutSeconds(handler));
  expect(task.Retry).toEqual(LAMBDA_TASK_RETRIES.map(retrier));
  expect(task.ResultSelector).toEqual(Object.fromEntries(resultFields.map((field) => [`${field}.$`, `$.Payload.${field}`])));
}

function expectWorkerPool(pool: AslState, runIdPath: string, maxConcurrency: number, next: string): void {
  expect(pool).toMatchObject({
    Type: 'Map',
    ItemsPath: '$.workers',
    ItemSelector: { 'runId.$': runIdPath, 'workerId.$': '$$.Map.Item.Value' },
    MaxConcurrency: maxConcurrency,
    ResultPath: null,
    Next: next,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }],
  });
  const processor = pool.ItemProcessor as Asl & { ProcessorConfig: { Mode: string } };
  expect(processor.ProcessorConfig.Mode).toBe('INLINE');
  expect(processor.StartAt).toBe(WORKER_STATES.executeReady);
  expect(Object.keys(processor.States).sort()).toEqual(Object.values(WORKER_STATES).filter((name) => name !== WORKER_STATES.workers).sort());
  const execute = state(processor.States, WORKER_STATES.executeReady);
  expectHandlerTask(execute, 'execute-batches', ['runId', 'workerId', 'status']);
  expect(execute.Parameters).toEqual({ FunctionName: arnOfHandler('execute-batches'), Payload: { 'runId.$': '$.runId', 'workerId.$': '$.workerId' } });
  expect(execute.Catch).toBeUndefined();
  expect(execute.Next).toBe(WORKER_STATES.routeWorker);
  expect(state(processor.States, WORKER_STATES.routeWorker)).toEqual({
    Type: 'Choice',
    Choices: [
      { Variable: '$.status', StringEquals: WORKER_STATUS.more, Next: WORKER_STATES.executeReady },
      { Variable: '$.status', StringEquals: WORKER_STATUS.waiting, Next: WORKER_STATES.waitForReady },
      { Variable: '$.status', StringEquals: WORKER_STATUS.done, Next: WORKER_STATES.workerDone },
    ],
    Default: WORKER_STATES.unknownWorkerStatus,
  });
  expect(state(processor.States, WORKER_STATES.waitForReady)).toEqual({ Type: 'Wait', Seconds: WORKER_POLL_SECONDS, Next: WORKER_STATES.executeReady });
  expect(state(processor.States, WORKER_STATES.unknownWorkerStatus)).toMatchObject({ Type: 'Fail', Error: MACHINE_ERRORS.unknownWorkerStatus });
}

describe('state machines of the stack', () => {
  const { stack, resources } = synthMeshcron();
  const runJob = definitionOf(stack, stack.orchestration.runJob);
  const plan = definitionOf(stack, stack.orchestration.planApplication);

  test('both are Standard, traced, named after the prefix and time out after a day', () => {
    const machines = resourcesOfType(resources, 'AWS::StepFunctions::StateMachine').map(([, machine]) => machine.Properties ?? {});
    expect(machines.map((machine) => machine.StateMachineName).sort()).toEqual(['meshcron-plan', 'meshcron-run-job']);
    for (const machine of machines) {
      expect(machine.StateMachineType).toBe('STANDARD');
      expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    }
    expect(runJob.TimeoutSeconds).toBe(24 * 3600);
    expect(plan.TimeoutSeconds).toBe(24 * 3600);
  });

  test('run job: PrepareRun → HasBatches → Workers → FinishRun → RunOutcome, with the exported state names', () => {
    expect(runJob.StartAt).toBe(RUN_STATES.prepareRun);
    expect(Object.keys(runJob.States).sort()).toEqual([...Object.values(RUN_STATES), WORKER_STATES.workers].sort());

    const prepare = state(runJob.States, RUN_STATES.prepareRun);
    expectHandlerTask(prepare, 'prepare-run', ['runId', 'batchCount', 'workers']);
    expect(prepare.Parameters).toEqual({
      FunctionName: arnOfHandler('prepare-run'),
      Payload: { 'environment.$': '$.environment', 'runId.$': '$.runId', 'executionTime.$': '$.executionTime' },
    });
    expect(prepare.Next).toBe(RUN_STATES.hasBatches);
    expect(prepare.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: RUN_STATES.finishRun }]);

    expect(state(runJob.States, RUN_STATES.hasBatches)).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.batchCount', NumericEquals: 0, Next: RUN_STATES.finishRun }],
      Default: WORKER_STATES.workers,
    });
    expectWorkerPool(state(runJob.States, WORKER_STATES.workers), '$.runId', 4, RUN_STATES.finishRun);

    const finish = state(runJob.States, RUN_STATES.finishRun);
    expectHandlerTask(finish, 'finish-run', ['runId', 'status']);
    expect(finish.Parameters).toEqual({ FunctionName: arnOfHandler('finish-run'), 'Payload.$': '$' });
    expect(finish.Next).toBe(RUN_STATES.runOutcome);
    expect(state(runJob.States, RUN_STATES.runOutcome)).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.status', StringEquals: 'failed', Next: RUN_STATES.runFailed }],
      Default: RUN_STATES.runFinished,
    });
    expect(state(runJob.States, RUN_STATES.runFailed)).toMatchObject({ Type: 'Fail', Error: MACHINE_ERRORS.runFailed });
    expect(state(runJob.States, RUN_STATES.runFinished)).toEqual({ Type: 'Succeed' });
  });

  test('plan: PreparePlan → HasBatches → Workers (runId = planId) → PromotePlan → PlanOutcome', () => {
    expect(plan.StartAt).toBe(PLAN_STATES.preparePlan);
    expect(Object.keys(plan.States).sort()).toEqual([...Object.values(PLAN_STATES), WORKER_STATES.workers].sort());
    const prepare = state(plan.States, PLAN_STATES.preparePlan);
    expectHandlerTask(prepare, 'prepare-plan', ['planId', 'batchCount', 'workers']);
    expect(prepare.Parameters).toEqual({ FunctionName: arnOfHandler('prepare-plan'), Payload: { 'planId.$': '$.planId' } });
    expect(prepare.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: PLAN_STATES.promotePlan }]);
    expectWorkerPool(state(plan.States, WORKER_STATES.workers), '$.planId', 4, PLAN_STATES.promotePlan);
    const promote = state(plan.States, PLAN_STATES.promotePlan);
    expectHandlerTask(promote, 'promote-plan', ['planId', 'status']);
    expect(promote.Next).toBe(PLAN_STATES.planOutcome);
    expect(state(plan.States, PLAN_STATES.planFailed)).toMatchObject({ Type: 'Fail', Error: MACHINE_ERRORS.planFailed });
  });

  test('the standalone definitions equal the synthesized ones', () => {
    const functionArns = Object.fromEntries(HANDLER_NAMES.map((name) => [name, arnOfHandler(name)]));
    expect(JSON.parse(renderRunJobDefinition({ maxConcurrency: 4, functionArns }))).toEqual(runJob);
    expect(JSON.parse(renderPlanDefinition({ maxConcurrency: 4, functionArns }))).toEqual(plan);
  });
});

test('maxConcurrency from context sets MaxConcurrency of both worker pools', () => {
  // Arrange / Act
  const { stack } = synthMeshcron({ maxConcurrency: '7' });

  // Assert
  for (const machine of [stack.orchestration.runJob, stack.orchestration.planApplication]) {
    expect(state(definitionOf(stack, machine).States, WORKER_STATES.workers).MaxConcurrency).toBe(7);
  }
});

test('renderDefinition names a reference it cannot replace', () => {
  // Arrange: a definition that embeds a bucket name, which only CloudFormation knows.
  const stack = new Stack(undefined, 'Other');
  const bucket = new Bucket(stack, 'Data');
  const machine = new StateMachine(stack, 'Machine', {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Remember', { parameters: { bucket: bucket.bucketName } })),
  });

  // Act / Assert
  expect(() => renderDefinition(stack, machine)).toThrow(SchedulerError);
  expect(() => renderDefinition(stack, machine)).toThrow(/cannot render the definition of Other\/Machine: unsupported reference \{"Ref":"Data[0-9A-F]+"\}/);
});

describe('retry policies', () => {
  /** Upper bound of the total wait: retry n waits min(interval · rate^(n-1), maxDelay). */
  const totalWaitSeconds = (policy: RetryProps): number => {
    let total = 0;
    for (let n = 1; n <= (policy.maxAttempts ?? 3); n++) {
      const wait = (policy.interval?.toSeconds() ?? 1) * (policy.backoffRate ?? 2) ** (n - 1);
      total += Math.min(wait, policy.maxDelay?.toSeconds() ?? Number.POSITIVE_INFINITY);
    }
    return total;
  };

  test('service errors are retried for at most 60 s, throttling for at most 315 s, as documented', () => {
    expect(totalWaitSeconds(LAMBDA_SERVICE_RETRY)).toBe(60);
    expect(totalWaitSeconds(LAMBDA_THROTTLE_RETRY)).toBe(315);
  });

  test('no policy retries errors the handlers raise or the catch-all', () => {
    for (const policy of LAMBDA_TASK_RETRIES) {
      for (const error of policy.errors ?? []) expect(error).toMatch(/^Lambda\.[A-Za-z]+Exception$/);
    }
  });
});
