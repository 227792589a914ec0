import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { synthesizedDefinitions } from '../../cli/local/synthesized-definitions';
import { DuckDbSqlParser } from '../../functions/adapters/duckdb-sql-parser';
import { openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import { createLocalDynamoDbClient, type DynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { DynamoDbRunJobStore } from '../../functions/adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { type LocalExecution, LocalJobLauncher, type LocalTaskHandler } from '../../functions/adapters/local-job-launcher';
import { handler as executeBatches } from '../../functions/handlers/execute-batches.handler';
import { handler as finishRun } from '../../functions/handlers/finish-run.handler';
import { handler as prepareRun } from '../../functions/handlers/prepare-run.handler';
import { injectRuntime } from '../../functions/handlers/runtime';
import type { HandlerName } from '../../infra/handlers';
import { RUN_STATES, WORKER_STATES } from '../../infra/state-machines/names';
import { applyPlan, computePlan, type PlanResult } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import { type Clock, fixedClock } from '../../shared/src/ports/clock';
import type { RunBatchState } from '../../shared/src/ports/run-job-store';
import type { BatchRecord } from '../../shared/src/ports/state-store';
import { loadProject } from '../../shared/src/project/load-project';
import type { ExecuteBatchesDeps } from '../../shared/src/run/execute-batches';
import { type RunReporter, silentReporter } from '../../shared/src/run/run-reporter';
import { type CommandUsage, countDynamoDbUsage, type DynamoDbUsage } from './counting-dynamodb';
import { type MethodTiming, timeMethods } from './method-timer';
import { SleepyWarehouse } from './sleepy-warehouse';

/**
 * The run-job machine of the deployed stack, executed in-process as the local CLI and the integration tests
 * do (CDK-synthesized definition, aws-local-stepfunctions, the real Lambda handlers), with everything the
 * cost bench needs to count: handler invocations and their durations, DynamoDB capacity, batch timings.
 */

/** Lambda handler behind each Task state of the run-job machine. */
export const TASK_HANDLERS: Readonly<Record<string, HandlerName>> = {
  [RUN_STATES.prepareRun]: 'prepare-run',
  [WORKER_STATES.executeReady]: 'execute-batches',
  [RUN_STATES.finishRun]: 'finish-run',
};

/** One Lambda invocation as the local runner made it. */
export interface Invocation {
  readonly state: string;
  readonly handler: HandlerName;
  readonly durationMs: number;
}

/** Everything one run job left for the bench to read. */
export interface RunJobMeasurement {
  readonly execution: LocalExecution;
  /** `Date.now()` when the execution was started, to place batch timestamps on the job's timeline. */
  readonly startedAtMs: number;
  /** Wall time from start to the execution's end. */
  readonly wallMs: number;
  readonly invocations: readonly Invocation[];
  /** DynamoDB requests and capacity of the run job alone (planning excluded). */
  readonly dynamoDb: ReadonlyMap<string, CommandUsage>;
  /** Records of the batches the workers finished, in finishing order. */
  readonly records: readonly BatchRecord[];
  /** The job's batches with their dependencies, as stored by PrepareRun. */
  readonly planned: readonly RunBatchState[];
  /** Statements the slow-model proxy delayed. */
  readonly slowedStatements: number;
  /** Time the handlers spent in each state-store (`state.`) and run-job-store (`jobs.`) method, summed over calls. */
  readonly storeCalls: ReadonlyMap<string, MethodTiming>;
}

/** Options of {@link RunJobBenchStack.open}. */
export interface RunJobBenchStackOptions {
  readonly dynamo: DynamoDbLocal;
  /** A project folder the bench owns; it is deleted on close. The DuckDB file goes inside it. */
  readonly root: string;
  /** Map MaxConcurrency of the synthesized machine and worker count of the jobs. */
  readonly maxConcurrency: number;
  /** In-invocation polling of execute-batches; undefined = the Lambda default. */
  readonly workerPollMs?: number;
  /** Statements containing `marker` sleep `delayMs` during run jobs. */
  readonly slow?: { readonly marker: string; readonly delayMs: number };
}

const definitionsByConcurrency = new Map<number, { run: string; plan: string }>();
let tableCounter = 0;

/** The Lambda context is not used by Meshcron's handlers; middy only passes it through. */
const context = {} as never;

/** Wall-clock time for run jobs: leases, batch durations and timestamps are real, as on Lambda. */
const wallClock: Clock = { nowMs: () => Date.now() };

/** The stack one bench scenario plans and runs on: its own table, DuckDB file and counters. */
export class RunJobBenchStack {
  private readonly records: BatchRecord[] = [];
  private readonly invocations: Invocation[] = [];
  private readonly reporter: RunReporter = { ...silentReporter, batchFinished: (r) => void this.records.push(r) };

  private constructor(
    private readonly options: RunJobBenchStackOptions,
    private readonly client: DynamoDBClient,
    readonly usage: DynamoDbUsage,
    private readonly state: DynamoDbStateStore,
    private readonly jobs: DynamoDbRunJobStore,
    readonly warehouse: SleepyWarehouse,
    private readonly parser: DuckDbSqlParser,
  ) {}

  static async open(options: RunJobBenchStackOptions): Promise<RunJobBenchStack> {
    const client = createLocalDynamoDbClient(options.dynamo.endpoint);
    const usage = countDynamoDbUsage(client);
    tableCounter += 1;
    const tableName = `bench-run-job-${process.pid}-${tableCounter}`;
    const state = new DynamoDbStateStore({ client, tableName });
    await state.init();
    const jobs = new DynamoDbRunJobStore({ client, tableName });
    // Twice the workers, so a worker inside a transaction never waits for a pooled connection.
    const duck = await openDuckDbWarehouse({ database: path.join(options.root, 'warehouse.duckdb'), connections: options.maxConcurrency * 2 });
    const warehouse = new SleepyWarehouse(duck, options.slow?.marker ?? '\u0000never', options.slow?.delayMs ?? 0);
    return new RunJobBenchStack(options, client, usage, state, jobs, warehouse, new DuckDbSqlParser());
  }

  private deps(clock: Clock): ExecuteBatchesDeps {
    return {
      state: this.state,
      warehouse: this.warehouse,
      sqlParser: this.parser,
      clock,
      reporter: this.reporter,
      readSeedFile: (file) => readFile(file, 'utf8'),
    };
  }

  /** Plans and applies the project in-process at `executionTimeMs`, as `meshcron plan` does. */
  async plan(executionTimeMs: number): Promise<PlanResult> {
    const project = await loadProject(this.options.root, { sqlParser: this.parser });
    const deps = this.deps(fixedClock(executionTimeMs));
    const preview = await computePlan(
      project,
      await seedContentHashes(project),
      { environment: 'prod', planId: `bench-plan-${executionTimeMs}`, executionTimeMs },
      deps,
    );
    return applyPlan(preview, this.options.maxConcurrency, deps);
  }

  /** Runs one job for `prod` at `executionTimeMs` through the locally executed run-job machine. */
  async runJob(runId: string, executionTimeMs: number): Promise<RunJobMeasurement> {
    const launcher = this.launcher();
    const storeCalls = new Map<string, MethodTiming>();
    injectRuntime({
      jobDeps: {
        ...this.deps(wallClock),
        state: timeMethods(this.state, 'state.', storeCalls),
        jobs: timeMethods(this.jobs, 'jobs.', storeCalls),
      },
      launcher,
      maxConcurrency: this.options.maxConcurrency,
      ...(this.options.workerPollMs !== undefined ? { workerPollMs: this.options.workerPollMs } : {}),
    });
    this.records.length = 0;
    this.invocations.length = 0;
    this.usage.reset();
    this.warehouse.enabled = true;
    this.warehouse.slowed = 0;
    try {
      const startedAtMs = Date.now();
      const t0 = performance.now();
      await launcher.start('run', runId, { environment: 'prod', runId, executionTime: new Date(executionTimeMs).toISOString() });
      const execution = await launcher.wait(runId);
      const wallMs = performance.now() - t0;
      const dynamoDb = this.usage.snapshot();
      const planned = await this.jobs.listRunBatches(runId);
      return { execution, startedAtMs, wallMs, invocations: [...this.invocations], dynamoDb, records: [...this.records], planned, slowedStatements: this.warehouse.slowed, storeCalls };
    } finally {
      this.warehouse.enabled = false;
      injectRuntime(undefined);
    }
  }

  async close(): Promise<void> {
    await this.warehouse.close();
    await this.parser.close();
    this.client.destroy();
    await rm(this.options.root, { recursive: true, force: true });
  }

  private launcher(): LocalJobLauncher {
    const concurrency = this.options.maxConcurrency;
    let definitions = definitionsByConcurrency.get(concurrency);
    if (!definitions) {
      definitions = synthesizedDefinitions(concurrency);
      definitionsByConcurrency.set(concurrency, definitions);
    }
    const timed = (state: string, run: (event: unknown, ctx: never) => Promise<unknown>): LocalTaskHandler => {
      const handler = TASK_HANDLERS[state] as HandlerName;
      return async (payload) => {
        const started = performance.now();
        try {
          return await run(payload, context);
        } finally {
          this.invocations.push({ state, handler, durationMs: performance.now() - started });
        }
      };
    };
    return new LocalJobLauncher({
      run: {
        definition: definitions.run,
        tasks: {
          [RUN_STATES.prepareRun]: timed(RUN_STATES.prepareRun, prepareRun),
          [WORKER_STATES.executeReady]: timed(WORKER_STATES.executeReady, executeBatches),
          [RUN_STATES.finishRun]: timed(RUN_STATES.finishRun, finishRun),
        },
      },
      plan: { definition: definitions.plan, tasks: {} },
    });
  }
}
