import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { injectRuntime } from '../../functions/handlers/runtime';
import { devMachines } from '../../cli/dev/dev-machines';
import { handler as tickHandler } from '../../functions/handlers/tick.handler';
import { createPause } from '../../shared/src/pause/manage-pauses';
import { planDueRun } from '../../shared/src/run/plan-due-run';
import { EmbeddedStack } from '../support/embedded-stack';

/** The Lambda context is not used by Meshcron's handlers; middy only passes it through. */
const context = {} as never;

const SHOP = path.resolve(__dirname, '../../examples/shop');
const PLANNED = '2026-11-08T06:00:00Z';
const NEXT_DAY = '2026-11-09T06:00:00Z';
const PAUSED = ['shop.currency_summary', 'shop.customer_status', 'shop.daily_region_revenue', 'shop.order_facts', 'shop.orders', 'shop.top_products'];

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
let launcher: LocalJobLauncher;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, SHOP);
  // The synthesized run-job and plan machines with every Task bound to its real handler, as `meshcron dev` runs them.
  launcher = new LocalJobLauncher(devMachines(4));
  injectRuntime({ jobDeps: { ...stack.deps(Date.parse(NEXT_DAY)), jobs: stack.jobs }, launcher, maxConcurrency: 4, workerPollMs: 0 });
  expect((await stack.plan('prod', PLANNED)).promoted).toBe(true);
}, 120_000);

afterAll(async () => {
  injectRuntime(undefined);
  await stack.close();
  await dynamo.stop();
});

describe('run jobs on the synthesized run-job state machine honour pauses', () => {
  it('records paused batches as skipped at prepare time, never claims them, and runs the rest', async () => {
    // Arrange
    await createPause(stack.state, { environment: 'prod', model: 'shop.orders', reason: 'late feed', createdBy: 'ana' }, Date.parse(PLANNED));

    // Act
    const ticked = (await tickHandler({ time: NEXT_DAY }, context)) as { results: { runId?: string; outcome: string }[] };
    const runId = ticked.results[0]?.runId as string;
    const execution = await launcher.wait(runId);

    // Assert
    expect(execution.status).toBe('SUCCEEDED');
    const records = await stack.state.listBatches(runId);
    const skipped = records.filter((b) => b.status === 'skipped');
    expect([...new Set(skipped.map((b) => b.model))].sort()).toEqual(PAUSED);
    expect(new Set(skipped.map((b) => `${b.reason}|${b.error}`))).toEqual(new Set(['skipped:paused:model:shop.orders|late feed']));
    expect(records.filter((b) => b.status === 'succeeded').some((b) => PAUSED.includes(b.model))).toBe(false);
    expect(records.filter((b) => b.status === 'succeeded').length).toBeGreaterThan(0);
    // Never claimed: no attempts on the held batches in the job's bookkeeping.
    const jobBatches = await stack.jobs.listRunBatches(runId);
    expect(jobBatches.filter((b) => PAUSED.includes(b.model)).map((b) => [b.status, b.attempts])).toEqual(
      skipped.map(() => ['skipped', 0]),
    );
    const run = await stack.state.getRun(runId);
    expect(run?.status).toBe('succeeded');
    expect(run?.counts?.skipped).toBe(skipped.length);
  });

  it('a tick starts nothing when only paused models are due', async () => {
    await createPause(stack.state, { environment: 'prod', createdBy: 'ana' }, Date.parse(NEXT_DAY));
    const ticked = (await tickHandler({ time: '2026-11-10T06:00:00Z' }, context)) as { results: { outcome: string }[] };
    expect(ticked.results.map((r) => r.outcome)).toEqual(['nothing_due']);
    // Something was due: only the pause kept the tick from starting a job.
    const due = await planDueRun(stack.state, { environment: 'prod', executionTimeMs: Date.parse('2026-11-10T06:00:00Z') });
    expect(due.plan.batches.length).toBeGreaterThan(0);
    expect(due.runnable).toEqual([]);
  });
});
