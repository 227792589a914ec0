import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient, type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { LocalJobLauncher } from '../../functions/adapters/local-job-launcher';
import { MAX_BUNDLE_FILES } from '../../functions/api/constants';
import { handler as api } from '../../functions/handlers/api.handler';
import { handler as executeBatches } from '../../functions/handlers/execute-batches.handler';
import { handler as finishRun } from '../../functions/handlers/finish-run.handler';
import { handler as prepareRun } from '../../functions/handlers/prepare-run.handler';
import { injectRuntime } from '../../functions/handlers/runtime';
import { RUN_STATES, WORKER_STATES } from '../../infra/state-machines/names';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import { synthesizedDefinitions } from '../../cli/local/synthesized-definitions';
import { EmbeddedStack } from '../support/embedded-stack';
import { call, rawEvent, routeEvent } from '../unit/api/support/events';
import { type LaunchCall, MemoryBundleStore } from '../unit/api/support/fakes';

const context = {} as never;
const invoke = (h: (event: unknown, ctx: never) => Promise<unknown>) => (payload: unknown) => h(payload, context);

const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart');
type Range = [string, string];
const expected = JSON.parse(readFileSync(path.join(QUICKSTART, 'expected.json'), 'utf8')) as {
  runs: { execution_time: string; models: Record<string, { kind: string; batches: Range[]; processed_intervals: Range[] }> }[];
};
const [run1, run2] = expected.runs as [(typeof expected.runs)[number], (typeof expected.runs)[number]];
/** expected.json writes `2026-11-01T00:00:00Z`; the API answers with milliseconds. */
const withMs = (ranges: Range[]): Range[] => ranges.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]);

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
let runs: LocalJobLauncher;
const planCalls: LaunchCall[] = [];
const bundles = new MemoryBundleStore();
const clock = { now: Date.parse(run1.execution_time), nowMs(): number { return this.now; } };

/** Every item of the state table (the only table of this file's DynamoDB Local), in a stable order. */
async function tableItems(): Promise<string[]> {
  const client = createLocalDynamoDbClient(dynamo.endpoint);
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    const items: string[] = [];
    for (const TableName of TableNames) {
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName, ExclusiveStartKey }));
        for (const item of page.Items ?? []) items.push(JSON.stringify(item));
        ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (ExclusiveStartKey);
    }
    return items.sort();
  } finally {
    client.destroy();
  }
}

/** The project's files as a bundle: path relative to the project root → contents (`.meshcron` left out). */
async function projectFiles(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (entry.isFile() && !relative.split('/').some((s) => s.startsWith('.'))) files[relative] = await readFile(full, 'utf8');
  }
  return files;
}

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, QUICKSTART);
  const definitions = synthesizedDefinitions(2);
  runs = new LocalJobLauncher({
    run: {
      definition: definitions.run,
      tasks: {
        [RUN_STATES.prepareRun]: invoke(prepareRun),
        [WORKER_STATES.executeReady]: invoke(executeBatches),
        [RUN_STATES.finishRun]: invoke(finishRun),
      },
    },
    // Plans are only recorded here: the plan job's handlers are not part of the API.
    plan: { definition: definitions.plan, tasks: {} },
  });
  const launcher: JobLauncher = {
    start: async (machine, name, input) => {
      if (machine === 'run') return runs.start(machine, name, input);
      planCalls.push({ machine, name, input });
      return 'started';
    },
  };
  injectRuntime({ jobDeps: { ...stack.deps(0), clock, jobs: stack.jobs }, launcher, maxConcurrency: 2, bundles });
  expect((await stack.plan('prod', run1.execution_time)).promoted).toBe(true);
}, 120_000);

afterAll(async () => {
  injectRuntime(undefined);
  await stack?.close();
  await dynamo?.stop();
});

describe('the HTTP API on DynamoDB Local after planning quickstart into prod', () => {
  it('shows every model complete right after the plan, with the processed ranges of run 1', async () => {
    // Arrange
    clock.now = Date.parse(run1.execution_time);

    // Act
    const list = await call(api, routeEvent('GET /environments'));
    const prod = await call(api, routeEvent('GET /environments/{env}', { env: 'prod' }));

    // Assert
    expect(list.statusCode).toBe(200);
    expect(list.json).toEqual({
      asOf: '2026-11-08T06:00:00.000Z',
      environments: [
        {
          name: 'prod',
          planId: `plan-prod-${run1.execution_time}`,
          finalizedTs: '2026-11-08T06:00:00.000Z',
          updated: '2026-11-08T06:00:00.000Z',
          models: 3,
          complete: 3,
          behind: 0,
          paused: 0,
        },
      ],
    });
    const models = (prod.json as { models: { name: string; kind: string; processed: Range[]; behind: Range[] }[] }).models;
    expect(Object.fromEntries(models.map((m) => [m.name, { kind: m.kind, processed: m.processed, behind: m.behind }]))).toEqual(
      Object.fromEntries(
        Object.entries(run1.models).map(([name, m]) => [name, { kind: m.kind, processed: withMs(m.processed_intervals), behind: [] }]),
      ),
    );
  });

  it('a day later shows the models that are behind and what they miss', async () => {
    clock.now = Date.parse(run2.execution_time);

    const list = await call(api, routeEvent('GET /environments'));
    const models = await call(api, routeEvent('GET /environments/{env}/models', { env: 'prod' }));

    expect((list.json as { environments: unknown[] }).environments).toEqual([expect.objectContaining({ models: 3, complete: 1, behind: 2 })]);
    const behind = (models.json as { models: { name: string; behind: Range[]; nextRun: string | null }[] }).models.map((m) => [m.name, m.behind, m.nextRun]);
    // What is behind is exactly what run 2 of expected.json processes; only the SEED has no cron to run on.
    expect(Object.fromEntries(behind.map(([name, b]) => [name, b]))).toEqual(
      Object.fromEntries(Object.entries(run2.models).map(([name, m]) => [name, withMs(m.batches)])),
    );
    expect(behind.map(([name, , next]) => [name, next])).toEqual([
      ['quickstart.seed_model', null],
      ['quickstart.incremental_model', '2026-11-10T00:00:00.000Z'],
      ['quickstart.full_model', '2026-11-10T00:00:00.000Z'],
    ]);
  });

  it('POST /environments/prod/runs starts the run job of this minute, which processes run 2', async () => {
    // Arrange
    clock.now = Date.parse(run2.execution_time);

    // Act
    const res = await call(api, routeEvent('POST /environments/{env}/runs', { env: 'prod' }));
    const execution = await runs.wait('run-prod-20261109T0600');

    // Assert
    expect(res.statusCode).toBe(202);
    expect(res.json).toEqual({ runId: 'run-prod-20261109T0600', status: 'started' });
    expect(runs.started()).toEqual(['run-prod-20261109T0600']);
    expect(execution.status).toBe('SUCCEEDED');
    const run = await call(api, routeEvent('GET /runs/{runId}', { runId: 'run-prod-20261109T0600' }));
    expect(run.json).toMatchObject({
      runId: 'run-prod-20261109T0600',
      kind: 'run',
      environment: 'prod',
      status: 'succeeded',
      executionTime: '2026-11-09T06:00:00.000Z',
      counts: { succeeded: 2, failed: 0, skipped: 0 },
    });
    const batches = await call(api, routeEvent('GET /runs/{runId}/batches', { runId: 'run-prod-20261109T0600' }));
    const byModel = (batches.json as { batches: { model: string; interval: Range; status: string }[] }).batches.map((b) => [b.model, b.interval, b.status]);
    // The API lists batches by start, then model name.
    const want = Object.entries(run2.models).flatMap(([name, m]) => withMs(m.batches).map((interval) => [name, interval, 'succeeded']));
    expect(byModel).toEqual(want.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0]))));
    const prod = await call(api, routeEvent('GET /environments/{env}', { env: 'prod' }));
    const processed = (prod.json as { models: { name: string; processed: Range[]; behind: Range[] }[] }).models;
    expect(Object.fromEntries(processed.map((m) => [m.name, [m.processed, m.behind]]))).toEqual(
      Object.fromEntries(Object.entries(run2.models).map(([name, m]) => [name, [withMs(m.processed_intervals), []]])),
    );
  });

  it('refuses bad input with the field named and writes nothing to the state table', async () => {
    // Arrange
    clock.now = Date.parse(run2.execution_time) + 3_600_000;
    const files = await projectFiles(stack.root);
    const before = await tableItems();
    const started = runs.started().length;

    // Act
    const answers = [
      await call(api, routeEvent('POST /plans', {}, { body: { environment: 'prod', files: { ...files, '/etc/passwd': 'x' } } })),
      await call(api, routeEvent('POST /plans', {}, { body: { environment: 'prod', files: { ...files, 'models/../../x.sql': 'x' } } })),
      await call(
        api,
        routeEvent('POST /plans', {}, {
          body: { environment: 'prod', files: Object.fromEntries(Array.from({ length: MAX_BUNDLE_FILES + 1 }, (_, i) => [`m${i}.sql`, ''])) },
        }),
      ),
      await call(api, routeEvent('POST /plans', {}, { body: { environment: 'prod', files: { ...files, 'config.yaml': 'gateways: [\n' } } })),
      await call(api, routeEvent('POST /environments/{env}/runs', { env: 'staging' })),
      await call(api, routeEvent('POST /environments/{env}/runs', { env: 'prod' }, { body: { executionTime: '2027-01-01T00:00:00Z' } })),
      await call(api, routeEvent('POST /environments/{env}/runs', { env: 'prod' }, { body: '{"executionTime":' })),
      await call(api, rawEvent('DELETE', '/environments/prod')),
    ];

    // Assert
    expect(answers.map((a) => [a.statusCode, (a.json as { error: { code: string; field?: string } }).error])).toEqual([
      [400, { code: 'invalid_input', field: 'files./etc/passwd', message: 'files./etc/passwd: absolute paths are not allowed' }],
      [400, { code: 'invalid_input', field: 'files.models/../../x.sql', message: "files.models/../../x.sql: '..' segments are not allowed" }],
      [413, { code: 'payload_too_large', field: 'files', message: `files: ${MAX_BUNDLE_FILES + 1} files is more than the ${MAX_BUNDLE_FILES} allowed` }],
      [400, { code: 'invalid_project', field: 'files.config.yaml', message: expect.stringMatching(/^config\.yaml:\d+: invalid YAML/) }],
      [404, { code: 'not_found', message: "environment 'staging' does not exist; known environments: prod" }],
      [400, expect.objectContaining({ code: 'invalid_input', field: 'executionTime' })],
      [400, { code: 'malformed_json', field: 'body', message: 'body: not valid JSON' }],
      [405, { code: 'method_not_allowed', message: 'DELETE is not allowed on /environments/prod; allowed: GET' }],
    ]);
    expect(await tableItems()).toEqual(before);
    expect(runs.started().length).toBe(started);
    expect(planCalls).toEqual([]);
    expect(bundles.bundles.size).toBe(0);
  });

  it('POST /plans stores the quickstart bundle, records the plan in DynamoDB and starts the plan job', async () => {
    // Arrange
    clock.now = Date.parse('2026-11-09T07:15:42Z');
    const files = await projectFiles(stack.root);

    // Act
    const res = await call(api, routeEvent('POST /plans', {}, { body: { environment: 'dev', files } }));

    // Assert
    expect(res.statusCode).toBe(202);
    const { planId } = res.json as { planId: string };
    expect(planId).toMatch(/^plan-dev-20261109T0715-[0-9a-f]{12}$/);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['config.yaml', 'models/full_model.sql', 'seeds/seed_data.csv']));
    expect(await bundles.get(planId)).toEqual(files);
    expect(planCalls).toEqual([{ machine: 'plan', name: planId, input: { planId } }]);
    const plan = await call(api, routeEvent('GET /plans/{planId}', { planId }));
    expect(plan.json).toEqual({
      runId: planId,
      kind: 'plan',
      environment: 'dev',
      status: 'running',
      reason: null,
      executionTime: '2026-11-09T07:15:00.000Z',
      startedAt: '2026-11-09T07:15:42.000Z',
      endedAt: null,
      counts: null,
    });
    expect(await stack.state.getRun(planId)).toMatchObject({ kind: 'plan', environment: 'dev', status: 'running' });
  });
});
