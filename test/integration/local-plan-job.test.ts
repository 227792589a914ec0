import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { FolderBundleStore } from '../../functions/adapters/folder-bundle-store';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { handler as executeBatches } from '../../functions/handlers/execute-batches.handler';
import { handler as preparePlan } from '../../functions/handlers/prepare-plan.handler';
import { handler as promotePlan } from '../../functions/handlers/promote-plan.handler';
import { injectRuntime } from '../../functions/handlers/runtime';
import { PLAN_STATES, WORKER_STATES } from '../../infra/state-machines/names';
import type { ProjectFiles } from '../../shared/src/ports/bundle-store';
import { viewName } from '../../shared/src/snapshot/naming';
import { synthesizedDefinitions } from '../../cli/local/synthesized-definitions';
import { EmbeddedStack } from '../support/embedded-stack';

const context = {} as never;
const invoke = (h: (event: unknown, ctx: never) => Promise<unknown>) => (payload: unknown) => h(payload, context);
const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart');
const T = '2026-11-08T06:00:00Z';

/** The project's files as the CLI bundles them: paths relative to the project folder. */
async function bundleOf(root: string): Promise<ProjectFiles> {
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files[path.relative(root, full).split(path.sep).join('/')] = await readFile(full, 'utf8');
    }
  };
  await walk(root);
  return files;
}

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
let launcher: LocalJobLauncher;
let bundles: FolderBundleStore;
let bundleDir: string;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, QUICKSTART);
  bundleDir = await mkdtemp(path.join(tmpdir(), 'meshcron-bundles-'));
  bundles = new FolderBundleStore(bundleDir);
  const definitions = synthesizedDefinitions(4);
  launcher = new LocalJobLauncher({
    run: { definition: definitions.run, tasks: {} },
    plan: {
      definition: definitions.plan,
      tasks: {
        [PLAN_STATES.preparePlan]: invoke(preparePlan),
        [WORKER_STATES.executeReady]: invoke(executeBatches),
        [PLAN_STATES.promotePlan]: invoke(promotePlan),
      },
    },
  });
  injectRuntime({ jobDeps: { ...stack.deps(Date.parse(T)), jobs: stack.jobs }, launcher, maxConcurrency: 4, workerPollMs: 0, bundles });
}, 120_000);

afterAll(async () => {
  injectRuntime(undefined);
  await stack.close();
  await dynamo.stop();
  await rm(bundleDir, { recursive: true, force: true });
});

async function submitPlan(planId: string, files: ProjectFiles): Promise<void> {
  await bundles.put(planId, files);
  await stack.state.putRun({ runId: planId, kind: 'plan', environment: 'prod', status: 'running', executionTs: Date.parse(T), startedTs: Date.parse(T) });
  await launcher.start('plan', planId, { planId });
}

describe('plans applied by the synthesized plan state machine, executed locally', () => {
  it('backfills from the bundle with the shared workers and promotes the environment', async () => {
    // Act
    await submitPlan('plan-1', await bundleOf(QUICKSTART));
    const execution = await launcher.wait('plan-1');

    // Assert
    expect([execution.status, execution.error]).toEqual(['SUCCEEDED', undefined]);
    expect((await stack.state.getRun('plan-1'))?.status).toBe('succeeded');
    expect((await stack.state.getEnvironment('prod'))?.planId).toBe('plan-1');
    const rows = await Promise.all(
      ['quickstart.seed_model', 'quickstart.incremental_model', 'quickstart.full_model'].map((m) => stack.count(viewName(m, 'prod'))),
    );
    expect(rows).toEqual([20, 14, 5]);
  });

  it('does not promote when a backfill batch fails, and says why', async () => {
    // Arrange: the incremental model now divides by zero.
    const files = { ...(await bundleOf(QUICKSTART)) };
    files['models/incremental_model.sql'] = (files['models/incremental_model.sql'] ?? '').replace('  item_id,', '  item_id / 0 AS item_id,').replace('SELECT\n  id,', 'SELECT\n  CAST(\'x\' AS INT) AS id,');

    // Act
    await submitPlan('plan-2', files);
    const execution = await launcher.wait('plan-2');

    // Assert: the machine ends failed (alarmed), prod still points at plan-1.
    expect(execution.status).toBe('FAILED');
    const run = await stack.state.getRun('plan-2');
    expect(run?.status).toBe('failed');
    expect(run?.reason).toMatch(/^not_promoted:error:EvaluationError:quickstart\.incremental_model/);
    expect((await stack.state.getEnvironment('prod'))?.planId).toBe('plan-1');
    expect(await stack.count(viewName('quickstart.full_model', 'prod'))).toBe(5);
  });
});
