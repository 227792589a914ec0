import { ApiClient } from '../../../functions/adapters/api-client';
import { followJob } from '../../../cli/remote/follow-job';
import type { BatchView } from '../../../cli/remote/api-views';
import type { RemoteSession } from '../../../cli/remote/remote-session';

type Answer = readonly [status: number, body: unknown];

/** A session whose API answers each path from a script, one answer per call (the last one repeats). */
function scriptedSession(script: Record<string, Answer[]>): { session: RemoteSession; calls: string[] } {
  const calls: string[] = [];
  const fake = async (input: string | URL | Request): Promise<Response> => {
    const path = new URL(String(input)).pathname;
    calls.push(path);
    const answers = script[path];
    if (!answers) throw new Error(`test bug: no answer for ${path}`);
    const [status, body] = (answers.length > 1 ? answers.shift() : answers[0]) as Answer;
    return new Response(JSON.stringify(body), { status });
  };
  return { session: { client: new ApiClient('http://127.0.0.1:8787', { fetch: fake as typeof fetch }), print: () => undefined, pollEveryMs: 1 }, calls };
}

const run = (status: string, counts: unknown = null) => ({
  runId: 'run-1',
  kind: 'run',
  environment: 'prod',
  status,
  reason: status === 'running' ? null : status,
  executionTime: '2026-11-09T06:00:00.000Z',
  startedAt: '2026-11-09T06:00:01.000Z',
  endedAt: status === 'running' ? null : '2026-11-09T06:00:09.000Z',
  counts,
});
const batch = (model: string, day: string): BatchView => ({
  model,
  version: 'v1',
  interval: [`2026-11-${day}T00:00:00.000Z`, `2026-11-${String(Number(day) + 1).padStart(2, '0')}T00:00:00.000Z`],
  status: 'succeeded',
  reason: 'succeeded',
  durationMs: 12,
  rows: 3,
  error: null,
  finishedAt: '2026-11-09T06:00:05.000Z',
});
const NOT_FOUND: Answer = [404, { error: { code: 'not_found', message: "run 'run-1' does not exist" } }];

describe('followJob', () => {
  it('waits for a run the API does not know yet, reports each batch once, and returns when it ends', async () => {
    // Arrange
    const a = batch('db.a', '08');
    const b = batch('db.b', '08');
    const { session, calls } = scriptedSession({
      '/runs/run-1': [NOT_FOUND, NOT_FOUND, [200, run('running')], [200, run('succeeded', { succeeded: 2, failed: 0, skipped: 0 })]],
      '/runs/run-1/batches': [[200, { runId: 'run-1', batches: [a] }], [200, { runId: 'run-1', batches: [a, b] }]],
    });
    const reported: string[] = [];

    // Act
    const result = await followJob(session, { kind: 'run', id: 'run-1' }, (x) => reported.push(x.model));

    // Assert
    expect(reported).toEqual(['db.a', 'db.b']);
    expect(result.run.status).toBe('succeeded');
    expect(result.batches).toEqual([a, b]);
    expect(calls).toEqual(['/runs/run-1', '/runs/run-1', '/runs/run-1', '/runs/run-1/batches', '/runs/run-1', '/runs/run-1/batches']);
  });

  it('follows a plan through GET /plans/{id} and its batches through /runs/{id}/batches', async () => {
    const { session, calls } = scriptedSession({
      '/plans/plan%20x': [[200, { ...run('failed'), runId: 'plan x', kind: 'plan' }]],
      '/runs/plan%20x/batches': [[200, { runId: 'plan x', batches: [] }]],
    });

    const result = await followJob(session, { kind: 'plan', id: 'plan x' }, () => undefined);

    expect([result.run.status, result.batches]).toEqual(['failed', []]);
    expect(calls).toEqual(['/plans/plan%20x', '/runs/plan%20x/batches']);
  });

  it('gives up on a job the API never comes to know', async () => {
    const { session, calls } = scriptedSession({ '/runs/run-1': [NOT_FOUND] });

    await expect(followJob(session, { kind: 'run', id: 'run-1' }, () => undefined, 3)).rejects.toThrow(
      'run run-1 was started but the API still does not know it after 0.003 s',
    );
    expect(calls.length).toBe(4);
  });

  it('stops at once on any other error, and on an answer of another shape', async () => {
    const failing = scriptedSession({ '/runs/run-1': [[500, { error: { code: 'internal', message: 'boom' } }]] });
    const odd = scriptedSession({ '/runs/run-1': [[200, { runId: 'run-1', status: 'paused' }]] });

    await expect(followJob(failing.session, { kind: 'run', id: 'run-1' }, () => undefined)).rejects.toThrow('GET /runs/run-1 answered 500 internal: boom');
    await expect(followJob(odd.session, { kind: 'run', id: 'run-1' }, () => undefined)).rejects.toThrow(
      /^GET \/runs\/run-1 answered in an unexpected shape \(kind: .*status: .*\); is the API the same Meshcron version\?$/,
    );
  });
});
