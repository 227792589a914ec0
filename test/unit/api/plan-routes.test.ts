import { createApiHandler } from '../../../functions/api/create-api-handler';
import { MAX_BUNDLE_BYTES, MAX_BUNDLE_FILES, MAX_BODY_BYTES } from '../../../functions/api/constants';
import type { Clock } from '../../../shared/src/ports/clock';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { NOV } from './support/environment-fixture';
import { call, routeEvent } from './support/events';
import { MemoryBundleStore, RecordingLauncher } from './support/fakes';

const CONFIG = "model_defaults:\n  dialect: duckdb\n  start: '2026-11-01'\n";
const FILES = { 'config.yaml': CONFIG, 'models/a.sql': 'MODEL (name db.a, kind FULL);\nSELECT 1 AS x' };
/** 06:07:31.250 on 2026-11-09. */
const NOW = NOV(9, 6) + 7 * 60_000 + 31_250;

function arrange(options: { bundles?: boolean } = {}) {
  const state = new InMemoryStateStore();
  const launcher = new RecordingLauncher();
  const bundles = new MemoryBundleStore();
  const clock = { now: NOW, nowMs(): number { return this.now; } } satisfies Clock & { now: number };
  const logged: Readonly<Record<string, unknown>>[] = [];
  const handler = createApiHandler({
    deps: async () => ({ state, launcher, clock, ...(options.bundles === false ? {} : { bundles }) }),
    log: (entry) => logged.push(entry),
  });
  /** Everything a plan submission may write: run records of the environments used here, bundles, launches. */
  const written = async () => ({
    runs: [...(await state.listRuns('prod', 100)), ...(await state.listRuns('dev', 100))],
    bundles: [...bundles.bundles.keys()],
    launches: launcher.calls.length,
  });
  return { state, launcher, bundles, clock, logged, handler, written };
}

const submit = (body: unknown, options: { base64?: boolean } = {}) => routeEvent('POST /plans', {}, { body, ...options });

describe('POST /plans', () => {
  it('stores the bundle, records the plan as running and starts the plan job', async () => {
    // Arrange
    const { handler, state, launcher, bundles } = arrange();

    // Act
    const res = await call(handler, submit({ environment: 'Dev', files: FILES }));

    // Assert
    expect(res.statusCode).toBe(202);
    const { planId, status } = res.json as { planId: string; status: string };
    expect(status).toBe('started');
    expect(planId).toMatch(/^plan-dev-20261109T0607-[0-9a-f]{12}$/);
    expect(await bundles.get(planId)).toEqual(FILES);
    expect(await state.getRun(planId)).toEqual({
      runId: planId,
      kind: 'plan',
      environment: 'dev',
      status: 'running',
      executionTs: NOV(9, 6) + 7 * 60_000,
      startedTs: NOW,
    });
    expect(launcher.calls).toEqual([{ machine: 'plan', name: planId, input: { planId } }]);
  });

  it('answers a retry of the same bundle within the minute with the same plan, writing nothing again', async () => {
    const { handler, state, launcher, clock } = arrange();
    const first = (await call(handler, submit({ environment: 'dev', files: FILES }))).json as { planId: string };
    clock.now += 20_000;

    const res = await call(handler, submit({ environment: 'dev', files: FILES }, { base64: true }));

    expect(res.json).toEqual({ planId: first.planId, status: 'exists' });
    expect((await state.getRun(first.planId))?.startedTs).toBe(NOW);
    expect(launcher.calls.map((c) => c.name)).toEqual([first.planId, first.planId]);
  });

  it('gives another bundle or another minute another plan id', async () => {
    const { handler, clock } = arrange();
    const ids = [];
    ids.push(((await call(handler, submit({ environment: 'dev', files: FILES }))).json as { planId: string }).planId);
    ids.push(((await call(handler, submit({ environment: 'dev', files: { ...FILES, 'models/b.sql': 'x' } }))).json as { planId: string }).planId);
    clock.now += 60_000;
    ids.push(((await call(handler, submit({ environment: 'dev', files: FILES }))).json as { planId: string }).planId);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers 500 with only the request id when the job cannot start, marks the plan failed, and a retry starts it', async () => {
    // Arrange
    const { handler, state, launcher, logged } = arrange();
    launcher.failNext(new Error('AccessDenied: not authorized to perform states:StartExecution on arn:aws:states:eu-west-1:123'));

    // Act
    const failed = await call(handler, routeEvent('POST /plans', {}, { body: { environment: 'dev', files: FILES }, requestId: 'req-77' }));

    // Assert
    expect(failed.statusCode).toBe(500);
    expect(failed.json).toEqual({ error: { code: 'internal', message: 'internal error; quote request id req-77 when reporting it' } });
    expect(logged).toEqual([
      expect.objectContaining({ level: 'error', requestId: 'req-77', error: 'Error', message: expect.stringContaining('AccessDenied') }),
    ]);
    const [run] = await state.listRuns('dev', 10);
    expect(run).toMatchObject({ kind: 'plan', status: 'failed', reason: 'error:launch_failed', endedTs: NOW });

    const retried = await call(handler, submit({ environment: 'dev', files: FILES }));
    expect(retried.json).toEqual({ planId: run?.runId, status: 'started' });
    expect(await state.getRun(run?.runId ?? '')).toMatchObject({ status: 'running' });
    expect(await state.getRun(run?.runId ?? '')).not.toHaveProperty('reason');
  });

  it('answers 501 when no bundle store is configured, writing nothing', async () => {
    const { handler, written } = arrange({ bundles: false });
    const res = await call(handler, submit({ environment: 'dev', files: FILES }));
    expect(res.statusCode).toBe(501);
    expect(res.json).toEqual({
      error: { code: 'not_implemented', message: 'this deployment has no project bundle store configured, so plans cannot be submitted' },
    });
    expect(await written()).toEqual({ runs: [], bundles: [], launches: 0 });
  });

  const manyFiles = Object.fromEntries(Array.from({ length: MAX_BUNDLE_FILES + 1 }, (_, i) => [`models/m${i}.sql`, '']));
  const half = 'x'.repeat(MAX_BUNDLE_BYTES / 2);

  it.each([
    ['an absolute path', { environment: 'dev', files: { ...FILES, '/etc/passwd': '' } }, 400, 'invalid_input', 'files./etc/passwd', 'files./etc/passwd: absolute paths are not allowed'],
    ['a Windows drive path', { environment: 'dev', files: { ...FILES, 'C:/x.sql': '' } }, 400, 'invalid_input', 'files.C:/x.sql', 'files.C:/x.sql: absolute paths are not allowed'],
    ['a .. segment', { environment: 'dev', files: { ...FILES, 'models/../../x.sql': '' } }, 400, 'invalid_input', 'files.models/../../x.sql', "files.models/../../x.sql: '..' segments are not allowed"],
    ['a backslash', { environment: 'dev', files: { ...FILES, 'models\\a.sql': '' } }, 400, 'invalid_input', 'files.models\\a.sql', 'files.models\\a.sql: backslashes are not allowed; separate folders with /'],
    ['file contents that are not text', { environment: 'dev', files: { ...FILES, 'models/b.sql': 42 } }, 400, 'invalid_input', 'files.models/b.sql', 'files.models/b.sql: file contents must be a string'],
    ['a missing environment', { files: FILES }, 400, 'invalid_input', 'environment', 'environment: must be a string'],
    ['an empty environment', { environment: '', files: FILES }, 400, 'invalid_input', 'environment', 'environment: must not be empty'],
    ['files that are not an object', { environment: 'dev', files: ['config.yaml'] }, 400, 'invalid_input', 'files', 'files: must be an object of relative path to file contents'],
    ['an unknown field', { environment: 'dev', files: FILES, gateway: 'x' }, 400, 'invalid_input', 'gateway', "gateway: unknown field 'gateway'; allowed: environment, files"],
    ['an empty body', '', 400, 'invalid_input', 'body', 'body: a JSON object is required'],
    ['malformed JSON', '{"environment": "dev", "files": {', 400, 'malformed_json', 'body', 'body: not valid JSON'],
    ['too many files', { environment: 'dev', files: { ...manyFiles, ...FILES } }, 413, 'payload_too_large', 'files', `files: ${MAX_BUNDLE_FILES + 3} files is more than the ${MAX_BUNDLE_FILES} allowed`],
    ['too many bytes', { environment: 'dev', files: { ...FILES, 'seeds/a.csv': half, 'seeds/b.csv': `${half}é` } }, 413, 'payload_too_large', 'files', `files: ${MAX_BUNDLE_BYTES + 2 + CONFIG.length + FILES['models/a.sql'].length} bytes of contents is more than the ${MAX_BUNDLE_BYTES} allowed`],
    ['no project config', { environment: 'dev', files: { 'models/a.sql': '' } }, 400, 'invalid_project', 'files', 'files: no project config at the bundle root; add one of config.yaml, config.yml, sqlmesh.yaml, sqlmesh.yml'],
    ['a Python config', { environment: 'dev', files: { ...FILES, 'config.py': '' } }, 400, 'unsupported_feature', 'files.config.py', 'config.py:1: Python config files are not supported: config.py; write the configuration as config.yaml'],
    ['two configs', { environment: 'dev', files: { ...FILES, 'sqlmesh.yml': CONFIG } }, 400, 'invalid_project', 'files.sqlmesh.yml', 'sqlmesh.yml:1: several config files found (config.yaml, sqlmesh.yml); keep only one'],
    ['a config that is not YAML', { environment: 'dev', files: { ...FILES, 'config.yaml': 'model_defaults:\n  start: [2026\n' } }, 400, 'invalid_project', 'files.config.yaml', expect.stringMatching(/^config\.yaml:3: invalid YAML: /)],
    ['a config with a bad cron', { environment: 'dev', files: { ...FILES, 'config.yaml': "model_defaults:\n  dialect: duckdb\n  cron: '0 25 * * *'\n" } }, 400, 'invalid_project', 'files.config.yaml', expect.stringMatching(/^config\.yaml:3: .*hour/)],
  ])('refuses %s with the field named, writing nothing', async (_case, body, status, code, field, message) => {
    const { handler, written } = arrange();

    const res = await call(handler, submit(body));

    expect(res.statusCode).toBe(status);
    expect(res.json).toEqual({ error: { code, message, field } });
    expect(await written()).toEqual({ runs: [], bundles: [], launches: 0 });
  });

  it('refuses a body larger than Lambda accepts with 413 before reading it', async () => {
    const { handler, written } = arrange();
    const res = await call(handler, submit('x'.repeat(MAX_BODY_BYTES + 1)));
    expect(res.statusCode).toBe(413);
    expect(res.json).toEqual({
      error: { code: 'payload_too_large', message: `body: ${MAX_BODY_BYTES + 1} bytes is more than the ${MAX_BODY_BYTES} allowed`, field: 'body' },
    });
    expect(await written()).toEqual({ runs: [], bundles: [], launches: 0 });
  });
});

describe('GET /plans/{planId}', () => {
  it('shows the plan record', async () => {
    const { handler } = arrange();
    const { planId } = (await call(handler, submit({ environment: 'dev', files: FILES }))).json as { planId: string };

    const res = await call(handler, routeEvent('GET /plans/{planId}', { planId }));

    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      runId: planId,
      kind: 'plan',
      environment: 'dev',
      status: 'running',
      reason: null,
      executionTime: '2026-11-09T06:07:00.000Z',
      startedAt: '2026-11-09T06:07:31.250Z',
      endedAt: null,
      counts: null,
    });
  });

  it('answers 404 for an unknown id and for the id of a run', async () => {
    const { handler, state } = arrange();
    await state.putRun({ runId: 'run-prod-1', kind: 'run', environment: 'prod', status: 'succeeded', executionTs: 0, startedTs: 0 });

    for (const planId of ['plan-nope', 'run-prod-1']) {
      const res = await call(handler, routeEvent('GET /plans/{planId}', { planId }));
      expect({ planId, status: res.statusCode, json: res.json }).toEqual({
        planId,
        status: 404,
        json: { error: { code: 'not_found', message: `plan '${planId}' does not exist` } },
      });
    }
  });
});
