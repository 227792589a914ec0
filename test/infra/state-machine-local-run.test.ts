import './support/promise-with-resolvers';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { MACHINE_ERRORS, PLAN_STATES, RUN_STATES, WORKER_STATES, type WorkerStatus } from '../../infra/state-machines/names';
import { renderPlanDefinition, renderRunJobDefinition } from '../../infra/state-machines/standalone-definitions';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A Lambda answer; an `undefined` field is what a handler returns when its input lacked that field. */
type Answer = Record<string, Json | undefined>;
type LocalHandler = (payload: Record<string, Json>) => Promise<Answer> | Answer;

/** What a bound Task state receives: the Parameters of the CDK LambdaInvoke integration. */
interface InvokeParameters {
  FunctionName: string;
  Payload: Record<string, Json>;
}

interface LocalRun {
  readonly output?: Json;
  readonly error?: { readonly name: string; readonly cause: string };
  /** Payload each task was invoked with, in order, per state name. */
  readonly payloads: Readonly<Record<string, Record<string, Json>[]>>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a rendered definition in aws-local-stepfunctions with each Task bound to a local handler by state name;
 * handlers see the Lambda payload and return the Lambda's answer, wrapped as the integration does.
 */
async function runLocally(definition: string, input: Json, handlers: Record<string, LocalHandler>): Promise<LocalRun> {
  const payloads: Record<string, Record<string, Json>[]> = {};
  const bound = Object.fromEntries(
    Object.entries(handlers).map(([stateName, handler]) => [
      stateName,
      async (parameters: unknown) => {
        const { Payload } = parameters as InvokeParameters;
        (payloads[stateName] ??= []).push(Payload);
        // Serialized like a real Lambda answer, which drops undefined fields.
        const answer = JSON.parse(JSON.stringify(await handler(Payload))) as Json;
        return { StatusCode: 200, Payload: answer };
      },
    ]),
  );
  const machine = new StateMachine(JSON.parse(definition) as StateMachineDefinition);
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: bound,
      waitTimeOverrides: { [WORKER_STATES.waitForReady]: 5 },
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((name) => [name, 0])),
    },
  });
  try {
    return { output: (await execution.result) as Json, payloads };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    const cause = error.cause as Error;
    return { error: { name: cause.name, cause: cause.message }, payloads };
  }
}

class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/**
 * A run of six batches (a → b → c, d → f, e) claimed by execute-batches workers the way the real handler
 * must: each turn claims at most two ready batches, then answers more / waiting / done.
 */
class FakeBatchQueue {
  private readonly pending = new Map<string, readonly string[]>([
    ['a', []], ['b', ['a']], ['c', ['b']], ['d', []], ['e', []], ['f', ['d']],
  ]);
  private readonly done = new Set<string>();
  readonly executed: { batch: string; worker: string; doneBefore: string[] }[] = [];
  private running = 0;
  maxConcurrentTurns = 0;

  readonly executeReady: LocalHandler = async ({ runId, workerId }) => {
    this.running++;
    this.maxConcurrentTurns = Math.max(this.maxConcurrentTurns, this.running);
    try {
      const ready = () => [...this.pending].filter(([, deps]) => deps.every((dep) => this.done.has(dep))).map(([batch]) => batch);
      const claimed = ready().slice(0, 2);
      for (const batch of claimed) this.pending.delete(batch);
      for (const batch of claimed) {
        this.executed.push({ batch, worker: String(workerId), doneBefore: [...this.done] });
        await sleep(10);
        this.done.add(batch);
      }
      const status: WorkerStatus = ready().length > 0 ? 'more' : this.pending.size > 0 ? 'waiting' : 'done';
      return { runId, workerId, status };
    } finally {
      this.running--;
    }
  };
}

const RUN_INPUT = { environment: 'prod', runId: 'run-1', executionTime: '2026-01-01T00:00:00Z' };
const prepared = (batchCount: number, workers: string[]): LocalHandler => ({ runId }) => ({ runId, batchCount, workers });
const finished = (status: string): LocalHandler => ({ runId }) => ({ runId, status });

describe('run-job definition executed locally', () => {
  const definition = renderRunJobDefinition({ maxConcurrency: 2 });

  test('workers claim every batch once, after its upstream, at most MaxConcurrency at a time, then FinishRun closes the run', async () => {
    // Arrange
    const queue = new FakeBatchQueue();

    // Act
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: prepared(6, ['w1', 'w2', 'w3']),
      [WORKER_STATES.executeReady]: queue.executeReady,
      [RUN_STATES.finishRun]: finished('succeeded'),
    });

    // Assert
    expect(run.error).toBeUndefined();
    expect(run.output).toEqual({ runId: 'run-1', status: 'succeeded' });
    expect(queue.executed.map((e) => e.batch).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const upstream: Record<string, string[]> = { b: ['a'], c: ['b'], f: ['d'] };
    for (const { batch, doneBefore } of queue.executed) expect(doneBefore).toEqual(expect.arrayContaining(upstream[batch] ?? []));
    expect(queue.maxConcurrentTurns).toBe(2);
    expect(new Set(run.payloads[WORKER_STATES.executeReady]?.map((p) => p.workerId))).toEqual(new Set(['w1', 'w2', 'w3']));
    expect(run.payloads[RUN_STATES.prepareRun]).toEqual([RUN_INPUT]);
    expect(run.payloads[RUN_STATES.finishRun]).toEqual([{ runId: 'run-1', batchCount: 6, workers: ['w1', 'w2', 'w3'] }]);
  });

  test('a run without batches goes straight to FinishRun', async () => {
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: prepared(0, []),
      [WORKER_STATES.executeReady]: () => {
        throw new Error('must not run');
      },
      [RUN_STATES.finishRun]: finished('succeeded'),
    });
    expect(run.output).toEqual({ runId: 'run-1', status: 'succeeded' });
    expect(run.payloads[WORKER_STATES.executeReady]).toBeUndefined();
    expect(run.payloads[RUN_STATES.finishRun]).toEqual([{ runId: 'run-1', batchCount: 0, workers: [] }]);
  });

  test('a handler error stops the workers without retry, reaches FinishRun as $.error and fails the execution', async () => {
    // Arrange
    let turns = 0;

    // Act
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: prepared(3, ['w1']),
      [WORKER_STATES.executeReady]: () => {
        turns++;
        throw new EvaluationError("Binder Error: column 'x' not found");
      },
      [RUN_STATES.finishRun]: ({ runId, error }) => ({ runId, status: error ? 'failed' : 'succeeded' }),
    });

    // Assert
    expect(turns).toBe(1);
    expect(run.payloads[RUN_STATES.finishRun]).toEqual([
      { runId: 'run-1', batchCount: 3, workers: ['w1'], error: { Error: 'EvaluationError', Cause: "Binder Error: column 'x' not found" } },
    ]);
    expect(run.error).toEqual({ name: MACHINE_ERRORS.runFailed, cause: "FinishRun reported status 'failed'" });
  });

  test('Lambda service errors and throttling are retried, then the worker carries on', async () => {
    // Arrange
    const failures = ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'];
    const queue = new FakeBatchQueue();

    // Act
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: prepared(6, ['w1']),
      [WORKER_STATES.executeReady]: (payload) => {
        const name = failures.shift();
        if (name) {
          const error = new Error('transient');
          error.name = name;
          throw error;
        }
        return queue.executeReady(payload);
      },
      [RUN_STATES.finishRun]: finished('succeeded'),
    });

    // Assert
    expect(run.output).toEqual({ runId: 'run-1', status: 'succeeded' });
    expect(queue.executed).toHaveLength(6);
    expect(run.payloads[RUN_STATES.finishRun]?.[0]).not.toHaveProperty('error');
  });

  test('an unknown worker status fails the pool with its own error name', async () => {
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: prepared(1, ['w1']),
      [WORKER_STATES.executeReady]: ({ runId, workerId }) => ({ runId, workerId, status: 'paused' }),
      [RUN_STATES.finishRun]: finished('failed'),
    });
    expect(run.payloads[RUN_STATES.finishRun]?.[0]?.error).toMatchObject({ Error: MACHINE_ERRORS.unknownWorkerStatus });
    expect(run.error?.name).toBe(MACHINE_ERRORS.runFailed);
  });

  test('a failing PrepareRun still reaches FinishRun with the run ID and the error', async () => {
    const run = await runLocally(definition, RUN_INPUT, {
      [RUN_STATES.prepareRun]: () => {
        throw new EvaluationError('cannot plan');
      },
      [WORKER_STATES.executeReady]: () => {
        throw new Error('must not run');
      },
      [RUN_STATES.finishRun]: finished('failed'),
    });
    expect(run.payloads[RUN_STATES.finishRun]).toEqual([{ ...RUN_INPUT, error: { Error: 'EvaluationError', Cause: 'cannot plan' } }]);
    expect(run.error?.name).toBe(MACHINE_ERRORS.runFailed);
  });
});

describe('plan definition executed locally', () => {
  test('workers execute the plan ID as their run ID, then PromotePlan promotes it', async () => {
    // Arrange
    const queue = new FakeBatchQueue();

    // Act
    const run = await runLocally(renderPlanDefinition({ maxConcurrency: 3 }), { planId: 'plan-7' }, {
      [PLAN_STATES.preparePlan]: ({ planId }) => ({ planId, batchCount: 6, workers: ['w1', 'w2'] }),
      [WORKER_STATES.executeReady]: queue.executeReady,
      [PLAN_STATES.promotePlan]: ({ planId }) => ({ planId, status: 'succeeded' }),
    });

    // Assert
    expect(run.output).toEqual({ planId: 'plan-7', status: 'succeeded' });
    expect(queue.executed).toHaveLength(6);
    for (const payload of run.payloads[WORKER_STATES.executeReady] ?? []) expect(payload.runId).toBe('plan-7');
    expect(run.payloads[PLAN_STATES.promotePlan]).toEqual([{ planId: 'plan-7', batchCount: 6, workers: ['w1', 'w2'] }]);
  });
});
