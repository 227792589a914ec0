import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient } from '../../functions/adapters/dynamodb-local';
import { remotePlanCommand } from '../../cli/commands/remote-plan';
import { remoteRunCommand } from '../../cli/commands/remote-run';
import { remoteStatusCommand } from '../../cli/commands/remote-status';
import { statusCommand } from '../../cli/commands/status';
import { type DevStack, startDevStack } from '../../cli/dev/dev-stack';
import { collectProjectBundle } from '../../cli/remote/project-bundle';

const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart');
type Range = [string, string];
const expected = JSON.parse(readFileSync(path.join(QUICKSTART, 'expected.json'), 'utf8')) as {
  runs: { execution_time: string; models: Record<string, { kind: string; batches: Range[]; processed_intervals: Range[] }> }[];
};
const [run1, run2] = expected.runs as [(typeof expected.runs)[number], (typeof expected.runs)[number]];
/** The day after run 2: with daily crons, each incremental and full model processes one more day. */
const RUN3_TIME = '2026-11-10T06:00:00Z';
/** Seed rows `[id, item_id, event_date]`: the source of every row count the models print. */
const seed = readFileSync(path.join(QUICKSTART, 'seeds', 'seed_data.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',') as [string, string, string]);
/** Rows of the incremental model for the days in [from, to), and of the full model (items seen before `to`). */
const incrementalRows = (from: string, to: string): number => seed.filter(([, , d]) => d >= from && d < to).length;
const fullRows = (to: string): number => new Set(seed.filter(([, , d]) => d < to).map(([, item]) => item)).size;
/** The line the CLI prints for a batch; durations are 0ms because the handlers' clock is pinned. */
const batchLine = (model: string, interval: string, rows: number): string =>
  `  ✔ ${model.padEnd(36)} ${interval.padEnd(44)} ${`${rows} rows`.padStart(10)}  ${'0ms'.padStart(7)}`;
/** expected.json writes `2026-11-01T00:00:00Z`; the API answers with milliseconds. */
const withMs = (ranges: Range[]): Range[] => ranges.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]);

let root: string;
let dev: DevStack;
const log: string[] = [];
/** The handlers' clock, moved by the tests. */
const clock = { now: Date.parse(run1.execution_time), nowMs(): number { return this.now; } };

/** A JSON answer; tests read the fields of whichever route they called and assert each one they read. */
// biome-ignore lint/suspicious/noExplicitAny: answers of eight routes; every field read is asserted.
type Json = any;

async function http(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${dev.url}${route}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, json: await res.json() };
}

/** Polls a plan or run until it is no longer running. */
async function untilEnded(route: string): Promise<Json> {
  for (let i = 0; i < 300; i += 1) {
    const { status, json } = await http('GET', route);
    if (status === 200 && json.status !== 'running') return json;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${route} still running after 30 s`);
}

function processedByModel(env: { models: { name: string; processed: Range[]; behind: Range[] }[] }): Record<string, [Range[], Range[]]> {
  return Object.fromEntries(env.models.map((m) => [m.name, [m.processed, m.behind]]));
}

/** Output of a remote command, captured line by line. */
function capture(): { lines: string[]; io: { print: (line: string) => void; pollEveryMs: number } } {
  const lines: string[] = [];
  return { lines, io: { print: (line) => lines.push(...line.split('\n')), pollEveryMs: 50 } };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-dev-'));
  await cp(QUICKSTART, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.meshcron`) });
  dev = await startDevStack({ project: root, port: 0, tick: false, clock, maxConcurrency: 2, log: (line) => log.push(line) });
}, 60_000);

afterAll(async () => {
  await dev?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('meshcron dev: the API on 127.0.0.1 over the local state machines', () => {
  it('POST /plans with the project bundle runs the plan job, and GET /environments/prod then shows the ranges of run 1', async () => {
    // Arrange
    const files = await collectProjectBundle(root);

    // Act
    const submitted = await http('POST', '/plans', { environment: 'prod', files });
    const planId = submitted.json.planId as string;
    const plan = await untilEnded(`/plans/${planId}`);
    const batches = await http('GET', `/runs/${planId}/batches`);
    const prod = await http('GET', '/environments/prod');

    // Assert
    expect(submitted.status).toBe(202);
    expect(submitted.json).toEqual({ planId: expect.stringMatching(/^plan-prod-20261108T0600-[0-9a-f]{12}$/), status: 'started' });
    expect(plan).toMatchObject({ kind: 'plan', environment: 'prod', status: 'succeeded', counts: { succeeded: 3, failed: 0, skipped: 0 } });
    expect(batches.json.batches.map((b: { model: string; interval: Range }) => [b.model, b.interval]).sort()).toEqual(
      Object.entries(run1.models).flatMap(([name, m]) => withMs(m.batches).map((interval) => [name, interval])).sort(),
    );
    expect(processedByModel(prod.json)).toEqual(
      Object.fromEntries(Object.entries(run1.models).map(([name, m]) => [name, [withMs(m.processed_intervals), []]])),
    );
    await dev.idle();
    expect(log).toEqual(expect.arrayContaining([`▶ plan ${planId} started`, `✔ plan ${planId}: environment 'prod' promoted (3 batches)`]));
  });

  it('POST /_dev/tick at a later time starts the run job that processes the next day, once', async () => {
    // Act: the handlers' clock stays at run 1; the tick's time is what is due.
    const tick = await http('POST', '/_dev/tick', { time: run2.execution_time });
    await dev.idle();
    const run = await http('GET', '/runs/run-prod-20261109T0600');
    const batches = await http('GET', '/runs/run-prod-20261109T0600/batches');
    clock.now = Date.parse(run2.execution_time);
    const prod = await http('GET', '/environments/prod');
    const again = await http('POST', '/_dev/tick', { time: run2.execution_time });

    // Assert
    expect([tick.status, tick.json]).toEqual([200, { results: [{ environment: 'prod', runId: 'run-prod-20261109T0600', outcome: 'started' }] }]);
    expect(run.json).toMatchObject({ kind: 'run', status: 'succeeded', executionTime: '2026-11-09T06:00:00.000Z', counts: { succeeded: 2, failed: 0, skipped: 0 } });
    expect(batches.json.batches.map((b: { model: string; interval: Range }) => [b.model, b.interval]).sort()).toEqual(
      Object.entries(run2.models).flatMap(([name, m]) => withMs(m.batches).map((interval) => [name, interval])).sort(),
    );
    expect(processedByModel(prod.json)).toEqual(
      Object.fromEntries(Object.entries(run2.models).map(([name, m]) => [name, [withMs(m.processed_intervals), []]])),
    );
    expect(again.json).toEqual({ results: [{ environment: 'prod', outcome: 'nothing_due' }] });
    expect(log).toContain("✔ run run-prod-20261109T0600 of 'prod' succeeded: 2 succeeded, 0 failed, 0 skipped");
  });

  it('refuses a bad tick body and requests addressed to another host', async () => {
    const badTime = await http('POST', '/_dev/tick', { time: 'tomorrow' });
    // fetch may not set Host, so this request goes through node:http.
    const rebinding = await new Promise<[number | undefined, unknown]>((done, fail) => {
      const url = new URL(`${dev.url}/environments`);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'attacker.example' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => done([res.statusCode, JSON.parse(text)]));
      })
        .on('error', fail)
        .end();
    });

    expect([badTime.status, badTime.json.error.code]).toEqual([400, 'invalid_input']);
    expect(rebinding).toEqual([
      403,
      { error: { code: 'forbidden', message: "meshcron dev answers only requests addressed to 127.0.0.1 or localhost, not 'attacker.example'" } },
    ]);
  });
});

describe('the remote CLI against meshcron dev', () => {
  it('run starts a run job, prints its batches as the embedded run does, and the next run', async () => {
    // Arrange
    clock.now = Date.parse(RUN3_TIME);
    const out = capture();

    // Act
    const code = await remoteRunCommand(undefined, { api: dev.url, project: root }, out.io);

    // Assert
    expect(code).toBe(0);
    const [first, second, ...rest] = out.lines;
    // Both batches may finish between two polls; the API lists them by start, then model name.
    expect([first, second].sort()).toEqual([
      batchLine('quickstart.full_model', '[2026-11-09, 2026-11-10)', fullRows('2026-11-10')),
      batchLine('quickstart.incremental_model', '[2026-11-09, 2026-11-10)', incrementalRows('2026-11-09', '2026-11-10')),
    ]);
    expect(rest).toEqual([
      '✔ Run run-prod-20261110T0600 succeeded: 2 succeeded, 0 failed, 0 skipped.',
      '  Next run will be ready at 2026-11-11 UTC.',
    ]);
  });

  it('plan bundles the changed project, follows the plan job and reports the promotion', async () => {
    // Arrange: a directly modified full model needs its own table, backfilled over everything up to now.
    const model = path.join(root, 'models', 'full_model.sql');
    await writeFile(model, (await readFile(model, 'utf8')).replace('AS num_events', 'AS num_events,\n  MAX(event_date) AS last_event_date'));
    const out = capture();

    // Act
    const code = await remotePlanCommand('dev', { api: dev.url, project: root, autoApply: true }, out.io);

    // Assert
    expect(code).toBe(0);
    expect(out.lines).toEqual([
      `Submitted 6 project files to ${dev.url}.`,
      '',
      expect.stringMatching(/^Applying plan plan-dev-20261110T0600-[0-9a-f]{12} to 'dev'…$/),
      batchLine('quickstart.full_model', '[2026-11-01, 2026-11-10)', fullRows('2026-11-10')),
      '',
      "✔ Environment 'dev' promoted (1 batch).",
    ]);
    const devEnv = await http('GET', '/environments/dev');
    expect(processedByModel(devEnv.json)['quickstart.full_model']).toEqual([[['2026-11-01T00:00:00.000Z', '2026-11-10T00:00:00.000Z']], []]);
  });

  it('plan without --auto-apply is refused before anything is sent', async () => {
    const out = capture();

    await expect(remotePlanCommand('dev', { api: dev.url, project: root }, out.io)).rejects.toThrow(
      'plan --api submits the plan to the API, which applies it without showing a preview first; pass --auto-apply',
    );
    expect(out.lines).toEqual([]);
  });

  it("status prints exactly what the embedded status prints from the same state once the dev stack has stopped", async () => {
    // Arrange
    const asOf = '2026-11-10T07:30:00Z';
    clock.now = Date.parse(asOf);
    const remote = capture();
    const json = capture();
    await remoteStatusCommand(undefined, { api: dev.url, project: root }, remote.io);
    await remoteStatusCommand('prod', { api: dev.url, project: root, json: true }, json.io);

    // Act: stop the dev stack; the embedded CLI opens the same DynamoDB Local data and warehouse.
    const endpoint = dev.stateEndpoint;
    await dev.stop();
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(...args.map(String).join(' ').split('\n'));
    });
    try {
      await statusCommand(undefined, { project: root, executionTime: asOf });
    } finally {
      spy.mockRestore();
    }

    // Assert
    expect(remote.lines).toEqual(printed);
    expect(remote.lines[0]).toBe("Environment 'prod' as of 2026-11-10 07:30 UTC");
    expect(remote.lines).toContain(`  ${'quickstart.full_model'.padEnd(36)} ${'FULL'.padEnd(26)} [2026-11-01, 2026-11-10)`);
    const parsed = JSON.parse(json.lines.join('\n')) as { environment: string; asOf: string; models: { name: string }[] };
    expect([parsed.environment, parsed.asOf, parsed.models.map((m) => m.name)]).toEqual([
      'prod',
      '2026-11-10T07:30:00.000Z',
      ['quickstart.seed_model', 'quickstart.incremental_model', 'quickstart.full_model'],
    ]);
    await expect(fetch(`${dev.url}/environments`)).rejects.toThrow();
    const client = createLocalDynamoDbClient(endpoint);
    try {
      await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    } finally {
      client.destroy();
    }
  });
});
