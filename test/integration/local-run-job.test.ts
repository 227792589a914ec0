import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { injectRuntime } from '../../functions/handlers/runtime';
import { devMachines } from '../../cli/dev/dev-machines';
import { handler as tickHandler } from '../../functions/handlers/tick.handler';
import { viewName } from '../../shared/src/snapshot/naming';
import { EmbeddedStack } from '../support/embedded-stack';
import { EXAMPLES_DIR, expectProdToMatch, loadExpectedRuns } from '../support/example-expectations';

/** The Lambda context is not used by Meshcron's handlers; middy only passes it through. */
const context = {} as never;

const SHOP = path.join(EXAMPLES_DIR, 'shop');
const expected = { runs: loadExpectedRuns('shop') };

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
let launcher: LocalJobLauncher;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, SHOP);
  // The synthesized run-job and plan machines with every Task bound to its real handler, as `meshcron dev` runs them.
  launcher = new LocalJobLauncher(devMachines(4));
  // The handlers run against the embedded stack, the clock pinned to the second example run.
  const t = Date.parse(expected.runs[1]?.execution_time ?? '');
  injectRuntime({ jobDeps: { ...stack.deps(t), jobs: stack.jobs }, launcher, maxConcurrency: 4, workerPollMs: 0 });
  const plan = await stack.plan('prod', expected.runs[0]?.execution_time ?? '');
  expect(plan.promoted).toBe(true);
}, 120_000);

afterAll(async () => {
  injectRuntime(undefined);
  await stack.close();
  await dynamo.stop();
});

describe('run jobs on the synthesized run-job state machine, executed locally', () => {
  const second = expected.runs[1] as (typeof expected.runs)[number];

  it('a tick starts one run job whose workers process exactly the next interval of each model', async () => {
    // Act
    const ticked = (await tickHandler({ time: second.execution_time }, context)) as { results: { runId?: string; outcome: string }[] };
    const runId = ticked.results[0]?.runId as string;
    const execution = await launcher.wait(runId);

    // Assert
    expect(ticked.results).toEqual([{ environment: 'prod', runId: 'run-prod-20261109T0600', outcome: 'started' }]);
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    const run = await stack.state.getRun(runId);
    expect(run?.status).toBe('succeeded');
    await expectProdToMatch(stack, second);
  });

  it('a repeated tick for the same minute starts nothing', async () => {
    const ticked = (await tickHandler({ time: second.execution_time }, context)) as { results: { outcome: string }[] };
    expect(ticked.results.map((r) => r.outcome)).toEqual(['nothing_due']);
    expect(launcher.started()).toEqual(['run-prod-20261109T0600']);
  });

  it('keeps payloads to IDs: no SQL, no rows, no connection details in any event', async () => {
    const execution = await launcher.wait('run-prod-20261109T0600');
    const taskPayloads = execution.events
      .filter((e) => e.type === 'StateEntered' || e.type === 'StateExited')
      .map((e) => JSON.stringify((e as { state?: { input?: unknown; output?: unknown } }).state ?? {}));
    expect(taskPayloads.some((p) => p.includes('run-prod-20261109T0600'))).toBe(true);
    for (const payload of taskPayloads) expect(payload).not.toMatch(/SELECT|INSERT|password|\.duckdb|rows/i);
    const types = new Set(execution.events.map((e) => e.type));
    expect(types.has('ExecutionSucceeded')).toBe(true);
  });
});

describe('two run jobs fired together at one environment', () => {
  const T3 = '2026-11-10T06:00:00Z';

  it('never execute the same batch twice and leave exactly one build of rows and intervals', async () => {
    // Arrange: a reference build of the same day by a single in-process run on a separate stack.
    const reference = await EmbeddedStack.open(dynamo, SHOP);
    try {
      await reference.plan('prod', expected.runs[0]?.execution_time ?? '');
      await reference.run('prod', expected.runs[1]?.execution_time ?? '');
      await reference.run('prod', T3);

      // Act: two jobs with different names (e.g. a tick and a manual trigger) at the same instant.
      const input = (runId: string) => ({ environment: 'prod', runId, executionTime: T3 });
      await Promise.all([launcher.start('run', 'job-a', input('job-a')), launcher.start('run', 'job-b', input('job-b'))]);
      const [a, b] = await Promise.all([launcher.wait('job-a'), launcher.wait('job-b')]);

      // Assert
      expect([a.status, a.error, b.status, b.error]).toEqual(['SUCCEEDED', undefined, 'SUCCEEDED', undefined]);
      const records = [...(await stack.state.listBatches('job-a')), ...(await stack.state.listBatches('job-b'))];
      const executed = records.filter((r) => r.reason === 'succeeded');
      const executedRanges = executed.map((r) => `${r.model}|${r.start}|${r.end}`);
      expect(new Set(executedRanges).size).toBe(executedRanges.length);
      const env = await stack.state.getEnvironment('prod');
      const snapshots = await stack.state.getSnapshots(env?.snapshots ?? []);
      for (const s of snapshots) {
        if (!s.physicalTable) continue;
        const relation = viewName(s.name, 'prod');
        expect({ model: s.name, rows: await stack.count(relation) }).toEqual({ model: s.name, rows: await reference.count(relation) });
      }
      const mine = await stack.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
      const theirs = await reference.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
      expect(mine).toEqual(theirs);
    } finally {
      await reference.close();
    }
  });
});
