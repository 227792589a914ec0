import { createApiHandler } from '../../../functions/api/create-api-handler';
import { fixedClock } from '../../../shared/src/ports/clock';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { dailyModels, NOV, seedEnvironment } from './support/environment-fixture';
import { call, rawEvent, routeEvent } from './support/events';
import { RecordingLauncher } from './support/fakes';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * At 2026-11-09 06:00 prod's events misses 11-03 and 11-08 (seed and totals are complete); dev is still being
 * planned and its own events version has nothing processed.
 */
async function arrange(nowMs = NOV(9, 6)) {
  const state = new InMemoryStateStore();
  const launcher = new RecordingLauncher();
  const { seed, events, totals } = dailyModels();
  await seedEnvironment(state, 'prod', [seed, events, totals], {
    'db.seed': [[NOV(1), NOV(8)]],
    'db.events': [[NOV(1), NOV(3)], [NOV(4), NOV(8)]],
    'db.totals': [[NOV(1), NOV(9)]],
  });
  // dev shares prod's seed table and has its own, empty, version of events.
  await seedEnvironment(state, 'dev', [seed, dailyModels('-dev').events], {}, { finalizedTs: undefined, planId: 'plan-dev-2' });
  await state.putBatch({
    runId: 'run-1',
    batchId: 'db.events|x',
    model: 'db.events',
    version: 've',
    start: NOV(7),
    end: NOV(8),
    status: 'succeeded',
    reason: 'succeeded',
    durationMs: 12,
    rows: 3,
    finishedTs: NOV(8, 6),
  });
  const handler = createApiHandler({ deps: async () => ({ state, launcher, clock: fixedClock(nowMs) }) });
  return { state, launcher, handler };
}

describe('GET /environments', () => {
  it('lists each environment with how many models are complete and behind', async () => {
    // Arrange
    const { handler } = await arrange();

    // Act
    const res = await call(handler, routeEvent('GET /environments'));

    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json).toEqual({
      asOf: '2026-11-09T06:00:00.000Z',
      environments: [
        // dev: seed done; events has nothing processed, so all of [11-01, 11-09) is behind.
        { name: 'dev', planId: 'plan-dev-2', finalizedTs: null, updated: '2026-11-08T06:00:00.000Z', models: 2, complete: 1, behind: 1, paused: 0 },
        // prod: events has a gap on 11-03 and misses 11-08; totals and seed are complete.
        { name: 'prod', planId: 'plan-prod', finalizedTs: '2026-11-08T06:00:00.000Z', updated: '2026-11-08T06:00:00.000Z', models: 3, complete: 2, behind: 1, paused: 0 },
      ],
    });
  });

  it('reports an environment whose snapshots are missing instead of failing the whole list', async () => {
    const { state, handler } = await arrange();
    await state.putEnvironment(
      { name: 'broken', snapshots: [{ name: 'db.gone', identifier: 'x' }], planId: 'p', finalizedTs: 1, createdTs: 1, updatedTs: 1 },
      undefined,
    );

    const res = await call(handler, routeEvent('GET /environments'));

    expect(res.statusCode).toBe(200);
    expect((res.json as { environments: unknown[] }).environments[0]).toEqual({
      name: 'broken',
      planId: 'p',
      finalizedTs: '1970-01-01T00:00:00.001Z',
      updated: '1970-01-01T00:00:00.001Z',
      models: null,
      complete: null,
      behind: null,
      paused: null,
      problem: "environment 'broken' points at snapshots that are missing from state: db.gone",
    });
  });
});

describe('GET /environments/{env}', () => {
  it('shows every model with processed and behind ranges, next run and last batch', async () => {
    const { handler } = await arrange();

    const res = await call(handler, routeEvent('GET /environments/{env}', { env: 'prod' }));

    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      name: 'prod',
      planId: 'plan-prod',
      previousPlanId: null,
      finalizedTs: iso(NOV(8, 6)),
      updated: iso(NOV(8, 6)),
      asOf: iso(NOV(9, 6)),
      paused: 0,
      models: [
        { name: 'db.seed', kind: 'SEED', version: 'vs', processed: [[iso(NOV(1)), iso(NOV(8))]], behind: [], nextRun: null, lastBatch: null, paused: null },
        {
          name: 'db.events',
          kind: 'INCREMENTAL_BY_TIME_RANGE',
          version: 've',
          processed: [
            [iso(NOV(1)), iso(NOV(3))],
            [iso(NOV(4)), iso(NOV(8))],
          ],
          behind: [
            [iso(NOV(3)), iso(NOV(4))],
            [iso(NOV(8)), iso(NOV(9))],
          ],
          nextRun: iso(NOV(10)),
          lastBatch: { status: 'succeeded', reason: 'succeeded', finishedAt: iso(NOV(8, 6)) },
          paused: null,
        },
        { name: 'db.totals', kind: 'FULL', version: 'vt', processed: [[iso(NOV(1)), iso(NOV(9))]], behind: [], nextRun: iso(NOV(10)), lastBatch: null, paused: null },
      ],
    });
  });

  it('normalises the name the way plans store it', async () => {
    const { handler } = await arrange();
    const res = await call(handler, routeEvent('GET /environments/{env}', { env: 'PROD' }));
    expect(res.statusCode).toBe(200);
    expect((res.json as { name: string }).name).toBe('prod');
  });

  it('answers 404 for an unknown environment, listing the known ones', async () => {
    const { handler } = await arrange();
    const res = await call(handler, routeEvent('GET /environments/{env}', { env: 'staging' }));
    expect(res).toEqual({
      statusCode: 404,
      headers: expect.any(Object),
      json: { error: { code: 'not_found', message: "environment 'staging' does not exist; known environments: dev, prod" } },
    });
  });
});

describe('GET /environments/{env}/models', () => {
  it('lists just the models', async () => {
    const { handler } = await arrange();

    const res = await call(handler, routeEvent('GET /environments/{env}/models', { env: 'dev' }));

    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      environment: 'dev',
      asOf: iso(NOV(9, 6)),
      models: [
        { name: 'db.seed', kind: 'SEED', version: 'vs', processed: [[iso(NOV(1)), iso(NOV(8))]], behind: [], nextRun: null, lastBatch: null, paused: null },
        {
          name: 'db.events',
          kind: 'INCREMENTAL_BY_TIME_RANGE',
          version: 've-dev',
          processed: [],
          behind: [[iso(NOV(1)), iso(NOV(9))]],
          nextRun: iso(NOV(10)),
          lastBatch: { status: 'succeeded', reason: 'succeeded', finishedAt: iso(NOV(8, 6)) },
          paused: null,
        },
      ],
    });
  });
});

describe('POST /environments/{env}/runs', () => {
  it('starts the run job of this minute with the execution time floored to the minute', async () => {
    // Arrange: 06:07:31.250, so the job name and execution time use 06:07.
    const { handler, launcher } = await arrange(NOV(9, 6) + 7 * 60_000 + 31_250);

    // Act
    const res = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'prod' }));

    // Assert
    expect(res).toEqual({ statusCode: 202, headers: expect.any(Object), json: { runId: 'run-prod-20261109T0607', status: 'started' } });
    expect(launcher.calls).toEqual([
      {
        machine: 'run',
        name: 'run-prod-20261109T0607',
        input: { environment: 'prod', runId: 'run-prod-20261109T0607', executionTime: '2026-11-09T06:07:00.000Z' },
      },
    ]);
  });

  it('passes a given execution time on as a UTC instant, base64 body included', async () => {
    const { handler, launcher } = await arrange();

    const res = await call(
      handler,
      routeEvent('POST /environments/{env}/runs', { env: 'prod' }, { body: { executionTime: '2026-11-09T08:30:00+05:30' }, base64: true }),
    );

    expect(res.statusCode).toBe(202);
    expect(launcher.calls).toEqual([
      {
        machine: 'run',
        name: 'run-prod-20261109T0600',
        input: { environment: 'prod', runId: 'run-prod-20261109T0600', executionTime: '2026-11-09T03:00:00.000Z' },
      },
    ]);
  });

  it('answers exists when the job of this minute was already started (by a tick or a repeat)', async () => {
    const { handler, launcher } = await arrange();
    await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'prod' }));

    const res = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'prod' }));

    expect(res.json).toEqual({ runId: 'run-prod-20261109T0600', status: 'exists' });
    expect(launcher.calls.map((c) => c.name)).toEqual(['run-prod-20261109T0600', 'run-prod-20261109T0600']);
  });

  it.each([
    ['a malformed JSON body', '{"executionTime": ', 400, { code: 'malformed_json', message: 'body: not valid JSON', field: 'body' }],
    [
      'a misspelt field',
      { execution_time: '2026-11-09T00:00:00Z' },
      400,
      { code: 'invalid_input', message: "execution_time: unknown field 'execution_time'; allowed: executionTime", field: 'execution_time' },
    ],
    [
      'an instant without a zone',
      { executionTime: '2026-11-09T00:00:00' },
      400,
      { code: 'invalid_input', message: 'executionTime: must be an ISO-8601 instant with a zone, e.g. 2026-11-08T06:00:00Z', field: 'executionTime' },
    ],
    [
      'an execution time later than now',
      { executionTime: '2026-11-09T06:00:00.001Z' },
      400,
      {
        code: 'invalid_input',
        message: 'executionTime: 2026-11-09T06:00:00.001Z is later than now (2026-11-09T06:00:00.000Z); give an instant that has passed',
        field: 'executionTime',
      },
    ],
    ['a body that is not an object', '[1]', 400, { code: 'invalid_input', message: 'body: Invalid input: expected object, received array', field: 'body' }],
  ])('refuses %s and starts nothing', async (_case, body, status, error) => {
    const { handler, launcher } = await arrange();

    const res = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'prod' }, { body }));

    expect(res.statusCode).toBe(status);
    expect(res.json).toEqual({ error });
    expect(launcher.calls).toEqual([]);
  });

  it('answers 404 for an unknown environment, listing the known ones', async () => {
    const { handler, launcher } = await arrange();
    const res = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'qa' }));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ error: { code: 'not_found', message: "environment 'qa' does not exist; known environments: dev, prod" } });
    expect(launcher.calls).toEqual([]);
  });

  it('answers 409 while the environment is still being planned', async () => {
    const { handler, launcher } = await arrange();
    const res = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'dev' }));
    expect(res.statusCode).toBe(409);
    expect(res.json).toEqual({
      error: {
        code: 'not_finalized',
        message: "environment 'dev' is still being planned (plan plan-dev-2); start a run once the plan is applied",
      },
    });
    expect(launcher.calls).toEqual([]);
  });

  it('is reachable without API Gateway route matching (path only)', async () => {
    const { handler, launcher } = await arrange();
    const res = await call(handler, rawEvent('POST', '/environments/prod/runs'));
    expect(res.statusCode).toBe(202);
    expect(launcher.calls.map((c) => c.name)).toEqual(['run-prod-20261109T0600']);
  });
});
