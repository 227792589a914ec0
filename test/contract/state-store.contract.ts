import { IntervalConflictError } from '../../shared/src/errors';
import type { BatchRecord, IntervalKey, SnapshotRecord, StateStore } from '../../shared/src/ports/state-store';
import type { Interval } from '../../shared/src/schedule/interval';
import { describePauseContract } from './state-store-pauses.contract';
import { batch, environment, HOUR, largeModelJson, run, snapshot, T0 } from './state-store-fixtures';

/**
 * The behaviour every StateStore must show. Run against InMemoryStateStore and DynamoDbStateStore (on
 * DynamoDB Local): the in-memory fake is trusted in other tests only because it passes this same suite.
 * `makeStore` must return a fresh, empty, initialised store each time.
 */

const byBatchId = (a: BatchRecord, b: BatchRecord): number => (a.batchId < b.batchId ? -1 : 1);
const sortSnapshots = (xs: SnapshotRecord[]): SnapshotRecord[] =>
  [...xs].sort((a, b) => `${a.name}/${a.identifier}`.localeCompare(`${b.name}/${b.identifier}`));

export function describeStateStoreContract(name: string, makeStore: () => Promise<StateStore>): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    it('init is idempotent', async () => {
      await store.init();
      await store.init();
      expect(await store.listEnvironments()).toEqual([]);
    });

    describe('snapshots', () => {
      it('round-trips every field and leaves out missing ids', async () => {
        // Arrange
        const a = snapshot('db.orders', '123');
        const b = snapshot('db.customers', '456', { changeCategory: undefined, parents: [], physicalTable: '' });

        // Act
        await store.putSnapshots([a, b]);
        const got = await store.getSnapshots([
          { name: 'db.orders', identifier: '123' },
          { name: 'db.customers', identifier: '456' },
          { name: 'db.orders', identifier: '999' },
        ]);

        // Assert
        expect(sortSnapshots(got)).toEqual(sortSnapshots([a, b]));
      });

      it('returns nothing for no ids and for an empty store', async () => {
        expect(await store.getSnapshots([])).toEqual([]);
        expect(await store.getSnapshots([{ name: 'db.orders', identifier: '123' }])).toEqual([]);
        await expect(store.putSnapshots([])).resolves.toBeUndefined();
      });

      it('returns a snapshot asked for twice once', async () => {
        await store.putSnapshots([snapshot('db.orders', '123')]);
        const id = { name: 'db.orders', identifier: '123' };
        expect(await store.getSnapshots([id, id])).toHaveLength(1);
      });

      it('overwrites a snapshot put again with the same id', async () => {
        await store.putSnapshots([snapshot('db.orders', '123', { createdTs: T0 })]);
        await store.putSnapshots([snapshot('db.orders', '123', { createdTs: T0 + 1 })]);
        const [got] = await store.getSnapshots([{ name: 'db.orders', identifier: '123' }]);
        expect(got?.createdTs).toBe(T0 + 1);
      });

      it('keeps a large model definition (350 KB, non-ASCII) intact', async () => {
        // Arrange
        const modelJson = largeModelJson(350_000);
        const big = snapshot('db.wide', '777', { modelJson });

        // Act
        await store.putSnapshots([big]);
        const [got] = await store.getSnapshots([{ name: 'db.wide', identifier: '777' }]);

        // Assert
        expect(modelJson.length).toBeGreaterThan(350_000);
        expect(got?.modelJson).toBe(modelJson);
      });

      it('stores and reads back more snapshots than one batch request holds', async () => {
        // 130 > 100 keys per BatchGetItem and > 25 items per BatchWriteItem.
        const many = Array.from({ length: 130 }, (_, i) => snapshot(`db.m${i}`, String(1000 + i)));
        await store.putSnapshots(many);
        const got = await store.getSnapshots(many.map(({ name: n, identifier }) => ({ name: n, identifier })));
        expect(sortSnapshots(got)).toEqual(sortSnapshots(many));
      });

      it('is not affected by mutating records passed in or returned', async () => {
        const a = { ...snapshot('db.orders', '123'), parents: [{ name: 'db.raw', identifier: '1' }] };
        await store.putSnapshots([a]);
        a.parents.push({ name: 'db.other', identifier: '2' });
        const [got] = await store.getSnapshots([{ name: 'db.orders', identifier: '123' }]);
        Object.assign(got ?? {}, { version: 'mutated' });
        const [again] = await store.getSnapshots([{ name: 'db.orders', identifier: '123' }]);
        expect(got?.parents).toEqual([{ name: 'db.raw', identifier: '1' }]);
        expect(again?.version).toBe('v-123');
      });
    });

    describe('environments', () => {
      it('creates a new environment at revision 1 and reads it back', async () => {
        const stored = await store.putEnvironment(environment('dev', { previousPlanId: 'plan-0', finalizedTs: T0 + 5 }), undefined);
        expect(stored).toEqual({ ...environment('dev', { previousPlanId: 'plan-0', finalizedTs: T0 + 5 }), revision: 1 });
        expect(await store.getEnvironment('dev')).toEqual(stored);
        expect(await store.getEnvironment('prod')).toBeUndefined();
      });

      it('updates when the expected revision matches, incrementing it', async () => {
        await store.putEnvironment(environment('prod'), undefined);
        const second = await store.putEnvironment(environment('prod', { planId: 'plan-2' }), 1);
        const third = await store.putEnvironment(environment('prod', { planId: 'plan-3' }), 2);
        expect([second.revision, third.revision]).toEqual([2, 3]);
        expect(await store.getEnvironment('prod')).toEqual({ ...environment('prod', { planId: 'plan-3' }), revision: 3 });
      });

      it('rejects a stale revision with IntervalConflictError and keeps the stored record', async () => {
        // Arrange
        await store.putEnvironment(environment('prod'), undefined);
        await store.putEnvironment(environment('prod', { planId: 'plan-2' }), 1);

        // Act
        const stale = store.putEnvironment(environment('prod', { planId: 'plan-stale' }), 1);

        // Assert
        await expect(stale).rejects.toThrow(IntervalConflictError);
        await expect(stale).rejects.toThrow(
          "environment 'prod' was changed concurrently: expected revision 1, found 2; reload it and retry",
        );
        expect((await store.getEnvironment('prod'))?.planId).toBe('plan-2');
      });

      it('rejects creating an environment that exists, and updating one that does not', async () => {
        await store.putEnvironment(environment('prod'), undefined);
        await expect(store.putEnvironment(environment('prod'), undefined)).rejects.toThrow(
          "environment 'prod' was changed concurrently: expected revision (none: new environment), found 1; reload it and retry",
        );
        await expect(store.putEnvironment(environment('dev'), 1)).rejects.toThrow(
          "environment 'dev' was changed concurrently: expected revision 1, found (none: environment does not exist); reload it and retry",
        );
        expect(await store.getEnvironment('dev')).toBeUndefined();
      });

      it('lets exactly one of several concurrent writers at the same revision win', async () => {
        await store.putEnvironment(environment('prod'), undefined);
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.putEnvironment(environment('prod', { planId: `plan-${i}` }), 1)),
        );
        const winners = results.filter((r) => r.status === 'fulfilled');
        const losers = results.filter((r) => r.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers.every((r) => r.reason instanceof IntervalConflictError)).toBe(true);
        const winner = winners[0]?.status === 'fulfilled' ? winners[0].value : undefined;
        expect(await store.getEnvironment('prod')).toEqual(winner);
        expect(winner?.revision).toBe(2);
      });

      it('lists every environment', async () => {
        await store.putEnvironment(environment('prod'), undefined);
        await store.putEnvironment(environment('dev'), undefined);
        await store.putEnvironment(environment('dev', { planId: 'plan-2' }), 1);
        const names = (await store.listEnvironments()).map((e) => `${e.name}:${e.revision}:${e.planId}`).sort();
        expect(names).toEqual(['dev:2:plan-2', 'prod:1:plan-1']);
      });
    });

    describe('processed intervals', () => {
      const key: IntervalKey = { name: 'db.events', version: 'v1' };
      const h = (a: number, b: number): Interval => [T0 + a * HOUR, T0 + b * HOUR];
      const read = async (k: IntervalKey = key): Promise<Interval[] | undefined> =>
        (await store.getIntervals([k])).get(`${k.name}@${k.version}`);

      it('maps every requested key, with [] for keys that have none', async () => {
        await store.addInterval(key, h(0, 1));
        const got = await store.getIntervals([key, { name: 'db.other', version: 'v9' }]);
        expect([...got.entries()]).toEqual([
          ['db.events@v1', [h(0, 1)]],
          ['db.other@v9', []],
        ]);
        expect((await store.getIntervals([])).size).toBe(0);
      });

      it('merges adjacent and overlapping intervals and keeps gaps', async () => {
        await store.addInterval(key, h(0, 1));
        await store.addInterval(key, h(1, 2)); // adjacent
        await store.addInterval(key, h(5, 7));
        await store.addInterval(key, h(6, 9)); // overlapping
        await store.addInterval(key, h(3, 4)); // disjoint, earlier than the last one
        expect(await read()).toEqual([h(0, 2), h(3, 4), h(5, 9)]);
      });

      it('bridges a gap and ignores an interval already covered', async () => {
        await store.addInterval(key, h(0, 2));
        await store.addInterval(key, h(4, 6));
        await store.addInterval(key, h(2, 4));
        await store.addInterval(key, h(1, 5));
        expect(await read()).toEqual([h(0, 6)]);
      });

      it('removes by splitting, trimming and dropping ranges', async () => {
        await store.addInterval(key, h(0, 10));
        await store.addInterval(key, h(20, 30));
        await store.addInterval(key, h(40, 50));

        await store.removeInterval(key, h(3, 5)); // split
        expect(await read()).toEqual([h(0, 3), h(5, 10), h(20, 30), h(40, 50)]);

        await store.removeInterval(key, h(8, 25)); // trims two ranges
        expect(await read()).toEqual([h(0, 3), h(5, 8), h(25, 30), h(40, 50)]);

        await store.removeInterval(key, h(35, 60)); // drops a whole range
        expect(await read()).toEqual([h(0, 3), h(5, 8), h(25, 30)]);

        await store.removeInterval(key, h(0, 100)); // everything
        expect(await read()).toEqual([]);
      });

      it('treats removing from a table with no intervals as a no-op', async () => {
        await store.removeInterval(key, h(0, 1));
        expect(await read()).toEqual([]);
      });

      it('keeps versions and models apart', async () => {
        const v2: IntervalKey = { name: 'db.events', version: 'v2' };
        const other: IntervalKey = { name: 'db.orders', version: 'v1' };
        await store.addInterval(key, h(0, 1));
        await store.addInterval(v2, h(1, 2));
        await store.addInterval(other, h(2, 3));
        await store.removeInterval(v2, h(0, 10));
        expect(await read()).toEqual([h(0, 1)]);
        expect(await read(v2)).toEqual([]);
        expect(await read(other)).toEqual([h(2, 3)]);
      });

      it('rejects an empty or reversed interval', async () => {
        await expect(store.addInterval(key, h(2, 2))).rejects.toThrow(
          `invalid interval [${T0 + 2 * HOUR}, ${T0 + 2 * HOUR}) for db.events@v1: expected integer epoch-ms bounds with start < end`,
        );
        await expect(store.removeInterval(key, h(3, 1))).rejects.toThrow(/^invalid interval/);
        expect(await read()).toEqual([]);
      });

      it('loses no interval when 20 writers add at once', async () => {
        // Arrange: every other hour, so no two intervals merge and each one must survive on its own.
        const intervals = Array.from({ length: 20 }, (_, i) => h(2 * i, 2 * i + 1));

        // Act
        await Promise.all(intervals.map((interval) => store.addInterval(key, interval)));

        // Assert
        expect(await read()).toEqual(intervals);
      });

      it('merges 20 concurrent adjacent adds into one range', async () => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => store.addInterval(key, h(i, i + 1))));
        expect(await read()).toEqual([h(0, 20)]);
      });

      it('applies concurrent adds and removes of disjoint intervals without losing either', async () => {
        // Arrange
        await store.addInterval(key, h(0, 10));

        // Act: remove the even hours while adding hours 20-29, all at once.
        await Promise.all([
          ...[0, 2, 4, 6, 8].map((i) => store.removeInterval(key, h(i, i + 1))),
          ...Array.from({ length: 10 }, (_, i) => store.addInterval(key, h(20 + i, 21 + i))),
        ]);

        // Assert
        expect(await read()).toEqual([h(1, 2), h(3, 4), h(5, 6), h(7, 8), h(9, 10), h(20, 30)]);
      });
    });

    describe('runs', () => {
      it('round-trips a run and updates it in place', async () => {
        const started = run('r1', 'prod', T0);
        await store.putRun(started);
        expect(await store.getRun('r1')).toEqual(started);

        const ended = run('r1', 'prod', T0, {
          status: 'failed',
          reason: 'error:EvaluationError',
          endedTs: T0 + 60_000,
          counts: { succeeded: 3, failed: 1, skipped: 2 },
        });
        await store.putRun(ended);
        expect(await store.getRun('r1')).toEqual(ended);
        expect(await store.listRuns('prod', 10)).toEqual([ended]);
        expect(await store.getRun('nope')).toBeUndefined();
      });

      it('lists one environment, most recent first, up to the limit', async () => {
        // Arrange: written out of order; r3 and r4 start in the same millisecond.
        await store.putRun(run('r2', 'prod', T0 + 2 * HOUR));
        await store.putRun(run('r1', 'prod', T0 + HOUR));
        await store.putRun(run('r4', 'prod', T0 + 3 * HOUR));
        await store.putRun(run('r3', 'prod', T0 + 3 * HOUR));
        await store.putRun(run('d1', 'dev', T0 + 9 * HOUR));
        // 10 ms before 2001-09-09 has one digit fewer: ordering must be numeric, not textual.
        await store.putRun(run('r0', 'prod', 999_999_999_990));

        // Act
        const all = await store.listRuns('prod', 100);
        const top2 = await store.listRuns('prod', 2);

        // Assert
        expect(all.map((r) => r.runId)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
        expect(top2.map((r) => r.runId)).toEqual(['r4', 'r3']);
        expect((await store.listRuns('dev', 5)).map((r) => r.runId)).toEqual(['d1']);
        expect(await store.listRuns('staging', 5)).toEqual([]);
        expect(await store.listRuns('prod', 0)).toEqual([]);
      });
    });

    describe('batches', () => {
      it('lists the batches of one run only, with every field', async () => {
        // Arrange
        const a = batch('r1', 'db.events', T0, T0 + 10, { warnings: ['audit x: 2 rows'] });
        const b = batch('r1', 'db.orders', T0, T0 + 20, {
          status: 'failed',
          reason: 'error:EvaluationError',
          error: 'Binder Error: column x not found',
          rows: undefined,
        });
        const other = batch('r2', 'db.events', T0 + HOUR, T0 + 30);

        // Act
        await Promise.all([store.putBatch(a), store.putBatch(b), store.putBatch(other)]);

        // Assert
        expect((await store.listBatches('r1')).sort(byBatchId)).toEqual([a, b].sort(byBatchId));
        expect(await store.listBatches('r2')).toEqual([other]);
        expect(await store.listBatches('r3')).toEqual([]);
      });

      it('replaces a batch put again with the same batch id', async () => {
        await store.putBatch(batch('r1', 'db.events', T0, T0 + 10, { status: 'failed', reason: 'error:X' }));
        const retried = batch('r1', 'db.events', T0, T0 + 20);
        await store.putBatch(retried);
        expect(await store.listBatches('r1')).toEqual([retried]);
      });

      it('reports the latest finished batch per model across runs', async () => {
        // Arrange
        const eventsOld = batch('r1', 'db.events', T0, T0 + 10);
        const eventsNew = batch('r2', 'db.events', T0 + HOUR, T0 + 50);
        const ordersOnly = batch('r1', 'db.orders', T0, T0 + 20, { status: 'skipped', reason: 'skipped:upstream_failed:db.raw' });

        // Act: the older events batch is reported last, as a slow worker would.
        await store.putBatch(eventsNew);
        await store.putBatch(ordersOnly);
        await store.putBatch(eventsOld);
        const last = await store.lastBatches(['db.events', 'db.orders', 'db.never_ran']);

        // Assert
        expect([...last.entries()].sort(([x], [y]) => x.localeCompare(y))).toEqual([
          ['db.events', eventsNew],
          ['db.orders', ordersOnly],
        ]);
        expect((await store.lastBatches([])).size).toBe(0);
      });

      it('lets the later write win when two batches of a model finish in the same millisecond', async () => {
        await store.putBatch(batch('r1', 'db.events', T0, T0 + 10));
        const second = batch('r2', 'db.events', T0 + HOUR, T0 + 10);
        await store.putBatch(second);
        expect((await store.lastBatches(['db.events'])).get('db.events')).toEqual(second);
      });
    });

    describePauseContract(() => store);
  });
}
