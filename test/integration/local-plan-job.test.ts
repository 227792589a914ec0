import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { FolderBundleStore } from '../../functions/adapters/folder-bundle-store';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { injectRuntime } from '../../functions/handlers/runtime';
import { devMachines } from '../../cli/dev/dev-machines';
import type { ProjectFiles } from '../../shared/src/ports/bundle-store';
import { viewName } from '../../shared/src/snapshot/naming';
import { EmbeddedStack } from '../support/embedded-stack';
import { collectProjectBundle } from '../../cli/remote/project-bundle';

const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart');
const T = '2026-11-08T06:00:00Z';

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
  // The synthesized run-job and plan machines with every Task bound to its real handler, as `meshcron dev` runs them.
  launcher = new LocalJobLauncher(devMachines(4));
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
    await submitPlan('plan-1', await collectProjectBundle(QUICKSTART));
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
    const files = { ...(await collectProjectBundle(QUICKSTART)) };
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
