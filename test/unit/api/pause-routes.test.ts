import { createApiHandler } from '../../../functions/api/create-api-handler';
import { fixedClock } from '../../../shared/src/ports/clock';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { dailyModels, NOV, seedEnvironment } from './support/environment-fixture';
import { call, routeEvent } from './support/events';
import { RecordingLauncher } from './support/fakes';

/** Error answers' body. */
const errorOf = (r: { json: unknown }) => (r.json as { error: { message: string; field?: string } }).error;
/** Success bodies, read by the fields a test looks at. */
const bodyOf = <T>(r: { json: unknown }): T => r.json as T;
type EnvironmentJson = { paused: number; models: { name: string; paused: unknown }[] };
type PreviewJson = { batches: { model: string; start: string; releasedByResume: boolean }[] };

async function arrange() {
  const state = new InMemoryStateStore();
  const { seed, events, totals } = dailyModels();
  await seedEnvironment(state, 'prod', [seed, events, totals], {
    'db.seed': [[NOV(1), NOV(8)]],
    'db.events': [[NOV(1), NOV(8)]],
    'db.totals': [[NOV(1), NOV(8)]],
  });
  const handler = createApiHandler({ deps: async () => ({ state, launcher: new RecordingLauncher(), clock: fixedClock(NOV(9, 6)) }) });
  return { state, handler };
}

describe('pause routes', () => {
  it('pauses a model (201), refuses the duplicate (409) and lists it', async () => {
    // Arrange
    const { handler } = await arrange();
    const body = { model: 'db.events', reason: 'late feed', by: 'ana' };

    // Act
    const created = await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body }));
    const duplicate = await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body }));
    const listed = await call(handler, routeEvent('GET /environments/{env}/pauses', { env: 'prod' }));

    // Assert
    const view = { id: 'model:db.events', environment: 'prod', model: 'db.events', reason: 'late feed', createdBy: 'ana', createdAt: '2026-11-09T06:00:00.000Z' };
    expect([created.statusCode, created.json]).toEqual([201, view]);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json).toEqual({
      error: {
        code: 'pause_exists',
        message: "environment 'prod' already has pause 'model:db.events' (by ana at 2026-11-09T06:00:00.000Z); resume it first or leave it as it is",
        field: 'model',
      },
    });
    expect(listed.json).toEqual({ environment: 'prod', pauses: [view] });
  });

  it('answers 404 for an unknown environment or model and 400 for unknown fields, writing nothing', async () => {
    const { handler, state } = await arrange();
    const noEnv = await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'staging' }, { body: {} }));
    const noModel = await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body: { model: 'db.nope' } }));
    const typo = await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body: { modle: 'db.events' } }));
    expect([noEnv.statusCode, errorOf(noEnv).message]).toEqual([404, "environment 'staging' does not exist; known environments: prod"]);
    expect([noModel.statusCode, errorOf(noModel).message]).toEqual([404, "environment 'prod' has no model 'db.nope'; its models: db.events, db.seed, db.totals"]);
    expect([typo.statusCode, errorOf(typo).field]).toEqual([400, 'modle']);
    expect(await state.listPauses('prod')).toEqual([]);
  });

  it('environment status shows paused models apart from behind ones', async () => {
    const { handler } = await arrange();
    await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body: { model: 'db.events' } }));
    const res = await call(handler, routeEvent('GET /environments/{env}', { env: 'prod' }));
    const list = await call(handler, routeEvent('GET /environments'));
    expect(bodyOf<EnvironmentJson>(res).paused).toBe(2);
    expect(bodyOf<EnvironmentJson>(res).models.map((m) => [m.name, m.paused])).toEqual([
      ['db.seed', null],
      ['db.events', { id: 'model:db.events', reason: null }],
      ['db.totals', { id: 'model:db.events', reason: null }],
    ]);
    expect(bodyOf<{ environments: unknown[] }>(list).environments[0]).toMatchObject({ models: 3, complete: 1, behind: 0, paused: 2 });
  });

  it('previews a resume with the batches it releases, then resumes (DELETE) and 404s on the next DELETE', async () => {
    // Arrange
    const { handler } = await arrange();
    await call(handler, routeEvent('POST /environments/{env}/pauses', { env: 'prod' }, { body: {} }));

    // Act
    const preview = await call(handler, routeEvent('GET /environments/{env}/pauses/{pauseId}/preview', { env: 'prod', pauseId: 'env' }));
    const resumed = await call(handler, routeEvent('DELETE /environments/{env}/pauses/{pauseId}', { env: 'prod', pauseId: 'env' }));
    const again = await call(handler, routeEvent('DELETE /environments/{env}/pauses/{pauseId}', { env: 'prod', pauseId: 'env' }));

    // Assert
    expect(preview.statusCode).toBe(200);
    expect(bodyOf<PreviewJson>(preview).batches.map((b) => [b.model, b.start, b.releasedByResume])).toEqual([
      ['db.events', '2026-11-08T00:00:00.000Z', true],
      ['db.totals', '2026-11-08T00:00:00.000Z', true],
    ]);
    expect([resumed.statusCode, bodyOf<{ resumed: { id: string } }>(resumed).resumed.id]).toEqual([200, 'env']);
    expect([again.statusCode, errorOf(again).message]).toEqual([404, "environment 'prod' has no pause 'env'; it has no pauses"]);
  });
});
