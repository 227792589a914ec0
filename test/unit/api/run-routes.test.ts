import { createApiHandler } from '../../../functions/api/create-api-handler';
import { fixedClock } from '../../../shared/src/ports/clock';
import type { BatchRecord } from '../../../shared/src/ports/state-store';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { NOV } from './support/environment-fixture';
import { call, routeEvent } from './support/events';
import { RecordingLauncher } from './support/fakes';

function batch(model: string, day: number, overrides: Partial<BatchRecord> = {}): BatchRecord {
  return {
    runId: 'run-prod-20261109T0600',
    batchId: `${model}|${NOV(day)}|${NOV(day + 1)}`,
    model,
    version: 'v1',
    start: NOV(day),
    end: NOV(day + 1),
    status: 'succeeded',
    reason: 'succeeded',
    durationMs: 40,
    rows: 7,
    finishedTs: NOV(9, 6) + 1_000,
    ...overrides,
  };
}

async function arrange() {
  const state = new InMemoryStateStore();
  await state.putRun({
    runId: 'run-prod-20261109T0600',
    kind: 'run',
    environment: 'prod',
    status: 'failed',
    reason: 'batches_failed',
    executionTs: NOV(9, 6),
    startedTs: NOV(9, 6) + 500,
    endedTs: NOV(9, 6) + 9_000,
    counts: { succeeded: 1, failed: 1, skipped: 1 },
    snapshots: [{ name: 'db.events', identifier: 'abc' }],
  });
  await state.putBatch(batch('db.totals', 8, { status: 'skipped', reason: 'skipped:upstream_failed:db.events', rows: undefined, durationMs: 0 }));
  await state.putBatch(batch('db.seed', 7));
  await state.putBatch(
    batch('db.events', 8, {
      status: 'failed',
      reason: 'error:EvaluationError',
      rows: undefined,
      error: 'Binder Error: Referenced column "qty" not found in FROM clause!\nLINE 1: SELECT qty FROM sqlmesh__db.db__raw__123',
    }),
  );
  const handler = createApiHandler({ deps: async () => ({ state, launcher: new RecordingLauncher(), clock: fixedClock(NOV(9, 7)) }) });
  return { handler };
}

describe('GET /runs/{runId}', () => {
  it('shows the run record with ISO times, counts and reason (no snapshot list)', async () => {
    const { handler } = await arrange();

    const res = await call(handler, routeEvent('GET /runs/{runId}', { runId: 'run-prod-20261109T0600' }));

    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      runId: 'run-prod-20261109T0600',
      kind: 'run',
      environment: 'prod',
      status: 'failed',
      reason: 'batches_failed',
      executionTime: '2026-11-09T06:00:00.000Z',
      startedAt: '2026-11-09T06:00:00.500Z',
      endedAt: '2026-11-09T06:00:09.000Z',
      counts: { succeeded: 1, failed: 1, skipped: 1 },
    });
  });

  it('answers 404 naming an unknown run', async () => {
    const { handler } = await arrange();
    const res = await call(handler, routeEvent('GET /runs/{runId}', { runId: 'run-nope' }));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ error: { code: 'not_found', message: "run 'run-nope' does not exist" } });
  });

  it('refuses a run id with control characters, naming the parameter', async () => {
    const { handler } = await arrange();
    const res = await call(handler, routeEvent('GET /runs/{runId}', { runId: 'run\n1' }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ error: { code: 'invalid_input', message: 'runId: control characters are not allowed', field: 'runId' } });
  });
});

describe('GET /runs/{runId}/batches', () => {
  it('lists the batches by start then model, with only the first line of an error', async () => {
    const { handler } = await arrange();

    const res = await call(handler, routeEvent('GET /runs/{runId}/batches', { runId: 'run-prod-20261109T0600' }));

    expect(res.statusCode).toBe(200);
    const finishedAt = '2026-11-09T06:00:01.000Z';
    expect(res.json).toEqual({
      runId: 'run-prod-20261109T0600',
      batches: [
        {
          model: 'db.seed',
          version: 'v1',
          interval: ['2026-11-07T00:00:00.000Z', '2026-11-08T00:00:00.000Z'],
          status: 'succeeded',
          reason: 'succeeded',
          durationMs: 40,
          rows: 7,
          error: null,
          finishedAt,
        },
        {
          model: 'db.events',
          version: 'v1',
          interval: ['2026-11-08T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
          status: 'failed',
          reason: 'error:EvaluationError',
          durationMs: 40,
          rows: null,
          error: 'Binder Error: Referenced column "qty" not found in FROM clause!',
          finishedAt,
        },
        {
          model: 'db.totals',
          version: 'v1',
          interval: ['2026-11-08T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
          status: 'skipped',
          reason: 'skipped:upstream_failed:db.events',
          durationMs: 0,
          rows: null,
          error: null,
          finishedAt,
        },
      ],
    });
    expect(JSON.stringify(res.json)).not.toMatch(/SELECT|sqlmesh__/);
  });

  it('answers 404 for the batches of an unknown run', async () => {
    const { handler } = await arrange();
    const res = await call(handler, routeEvent('GET /runs/{runId}/batches', { runId: 'run-x' }));
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ error: { code: 'not_found', message: "run 'run-x' does not exist" } });
  });
});
