import { handler } from '../../../functions/handlers/api.handler';
import { injectRuntime } from '../../../functions/handlers/runtime';
import { fixedClock } from '../../../shared/src/ports/clock';
import type { RunJobDeps } from '../../../shared/src/run/run-job';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { dailyModels, NOV, seedEnvironment } from './support/environment-fixture';
import { call, rawEvent, routeEvent } from './support/events';
import { MemoryBundleStore, RecordingLauncher } from './support/fakes';

const state = new InMemoryStateStore();
const launcher = new RecordingLauncher();
const bundles = new MemoryBundleStore();

beforeAll(async () => {
  const { seed, events, totals } = dailyModels();
  // Nothing processed yet: all three models are behind.
  await seedEnvironment(state, 'prod', [seed, events, totals], {});
});

afterEach(() => injectRuntime(undefined));

/** Only the parts the API reads; the rest of the run-job deps would throw if touched. */
function runtime(withBundles: boolean) {
  const jobDeps = new Proxy({ state, clock: fixedClock(NOV(9, 6)) } as unknown as RunJobDeps, {
    get(target, key) {
      if (key in target) return target[key as keyof RunJobDeps];
      throw new Error(`the api handler touched jobDeps.${String(key)}`);
    },
  });
  return { jobDeps, launcher, maxConcurrency: 2, ...(withBundles ? { bundles } : {}) };
}

describe('api.handler', () => {
  it('serves the routes from the injected runtime: state, launcher, clock and bundles', async () => {
    injectRuntime(runtime(true));

    const list = await call(handler, routeEvent('GET /environments'));
    const started = await call(handler, routeEvent('POST /environments/{env}/runs', { env: 'prod' }));
    const plan = await call(handler, routeEvent('POST /plans', {}, { body: { environment: 'prod', files: { 'config.yaml': 'model_defaults:\n  dialect: duckdb\n' } } }));

    expect(list.json).toMatchObject({ asOf: '2026-11-09T06:00:00.000Z', environments: [{ name: 'prod', models: 3, complete: 0, behind: 3 }] });
    expect(started.json).toEqual({ runId: 'run-prod-20261109T0600', status: 'started' });
    expect(plan.statusCode).toBe(202);
    expect(launcher.calls.map((c) => c.machine)).toEqual(['run', 'plan']);
    expect([...bundles.bundles.keys()]).toEqual([(plan.json as { planId: string }).planId]);
  });

  it('answers 501 for plans when the runtime has no bundle store', async () => {
    injectRuntime(runtime(false));
    const res = await call(handler, routeEvent('POST /plans', {}, { body: { environment: 'prod', files: {} } }));
    expect(res.statusCode).toBe(501);
  });

  it('answers unknown routes with a JSON 404', async () => {
    injectRuntime(runtime(true));
    const res = await call(handler, rawEvent('GET', '/'));
    expect(res.statusCode).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'not_found' } });
  });
});
