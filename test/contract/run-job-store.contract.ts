import { performance } from 'node:perf_hooks';
import type { RangeClaim, RunBatchState, RunJobStore } from '../../shared/src/ports/run-job-store';
import type { IntervalKey } from '../../shared/src/ports/state-store';
import type { Interval } from '../../shared/src/schedule/interval';
import type { RunBatchPlan } from '../../shared/src/state/run-batch-rules';

/**
 * The behaviour every RunJobStore must show, run against InMemoryRunJobStore and DynamoDbRunJobStore (on
 * DynamoDB Local). `makeStore` must return a fresh, empty store each time. Expected states are written out
 * from the inputs, never read back from a store.
 */

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const RUN = 'run-1';
const LEASE = 15 * MINUTE;

/** A planned hourly batch `i` of `model` in `runId`, depending on nothing unless overridden. */
function plan(model: string, i: number, overrides: Partial<RunBatchPlan> = {}, runId = RUN): RunBatchPlan {
  const start = T0 + i * HOUR;
  const end = start + HOUR;
  return { runId, batchId: `${model}|v1|${start}|${end}`, model, version: 'v1', start, end, index: i, dependsOn: [], ...overrides };
}

/** What listRunBatches must return for a batch nobody has touched. */
function pending(p: RunBatchPlan): RunBatchState {
  return { ...p, status: 'pending', attempts: 0 };
}

const byBatchId = (a: { batchId: string }, b: { batchId: string }): number =>
  a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0;

/** `[T0 + a hours, T0 + b hours)` */
const h = (a: number, b: number): Interval => [T0 + a * HOUR, T0 + b * HOUR];

export function describeRunJobStoreContract(name: string, makeStore: () => Promise<RunJobStore>): void {
  describe(`RunJobStore contract: ${name}`, () => {
    let store: RunJobStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    /** The one stored state of `batchId` in RUN. */
    async function stateOf(batchId: string): Promise<RunBatchState | undefined> {
      return (await store.listRunBatches(RUN)).find((b) => b.batchId === batchId);
    }

    describe('run batches', () => {
      it('lists nothing for a run that was never put, and accepts an empty put', async () => {
        await store.putRunBatches(RUN, []);
        expect(await store.listRunBatches(RUN)).toEqual([]);
        expect(await store.listRunBatches('never')).toEqual([]);
      });

      it('does not reset batches that moved on when the same batches are put again', async () => {
        // Arrange
        const [a, b, c, d] = [plan('db.a', 0), plan('db.a', 1), plan('db.a', 2), plan('db.a', 3)] as const;
        await store.putRunBatches(RUN, [a, b, c]);
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        await store.finishRunBatch(RUN, b.batchId, 'planner', 'skipped', 'skipped:upstream_failed:db.x');
        await store.claimRunBatch(RUN, c.batchId, 'w2', T0 + LEASE, T0);
        await store.finishRunBatch(RUN, c.batchId, 'w2', 'succeeded', 'succeeded');

        // Act: a retried PrepareRun puts the same batches, plus one it had not reached the first time.
        await store.putRunBatches(RUN, [a, b, c, d]);

        // Assert
        expect(await store.listRunBatches(RUN)).toEqual([
          { ...a, status: 'running', owner: 'w1', leaseUntil: T0 + LEASE, attempts: 1 },
          { ...b, status: 'skipped', attempts: 0, reason: 'skipped:upstream_failed:db.x' },
          { ...c, status: 'succeeded', owner: 'w2', attempts: 1, reason: 'succeeded' },
          pending(d),
        ]);
      });

      it('stores a batch given twice in one put once, the last one winning', async () => {
        const first = plan('db.a', 0);
        const second = plan('db.a', 0, { dependsOn: ['db.parent|v1|0|1'] });
        await store.putRunBatches(RUN, [first, second]);
        expect(await store.listRunBatches(RUN)).toEqual([pending(second)]);
      });

      it('rejects a batch of another run or with an empty interval, storing nothing', async () => {
        await expect(store.putRunBatches(RUN, [plan('db.a', 0, {}, 'run-9')])).rejects.toThrow(
          `batch 'db.a|v1|${T0}|${T0 + HOUR}' belongs to run 'run-9' but was put into run '${RUN}'; put each run's batches under its own id`,
        );
        await expect(store.putRunBatches(RUN, [plan('db.a', 1), plan('db.a', 0, { end: T0 })])).rejects.toThrow(
          `invalid interval [${T0}, ${T0}) for batch 'db.a|v1|${T0}|${T0 + HOUR}' of run '${RUN}': expected integer epoch-ms bounds with start < end`,
        );
        expect(await store.listRunBatches(RUN)).toEqual([]);
      });

      it('keeps runs apart: the same batch id in two runs has two states', async () => {
        const mine = plan('db.a', 0);
        const theirs = plan('db.a', 0, {}, 'run-2');
        await store.putRunBatches(RUN, [mine]);
        await store.putRunBatches('run-2', [theirs]);

        expect(await store.claimRunBatch(RUN, mine.batchId, 'w1', T0 + LEASE, T0)).toBe(true);

        expect(await store.listRunBatches('run-2')).toEqual([pending(theirs)]);
        expect(await store.claimRunBatch('run-2', theirs.batchId, 'w2', T0 + LEASE, T0)).toBe(true);
      });
    });

    describe('batch claims', () => {
      const a = plan('db.a', 0);

      beforeEach(async () => {
        await store.putRunBatches(RUN, [a, plan('db.a', 1)]);
      });

      it('claims a pending batch: running, with owner, lease and one attempt', async () => {
        expect(await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0)).toBe(true);
        expect(await store.listRunBatches(RUN)).toEqual([
          { ...a, status: 'running', owner: 'w1', leaseUntil: T0 + LEASE, attempts: 1 },
          pending(plan('db.a', 1)),
        ]);
      });

      it('lets exactly one of 20 concurrent claimers win', async () => {
        // Act
        const owners = Array.from({ length: 20 }, (_, i) => `w${i}`);
        const won = await Promise.all(owners.map((o) => store.claimRunBatch(RUN, a.batchId, o, T0 + LEASE, T0)));

        // Assert
        expect(won.filter(Boolean)).toHaveLength(1);
        const winner = owners[won.indexOf(true)];
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'running', owner: winner, leaseUntil: T0 + LEASE, attempts: 1 });
      });

      it('refuses a claim while the lease holds, even to the holder', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 2 * LEASE, T0 + LEASE - 1)).toBe(false);
        expect(await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + 2 * LEASE, T0 + LEASE - 1)).toBe(false);
        expect(await stateOf(a.batchId)).toMatchObject({ owner: 'w1', leaseUntil: T0 + LEASE, attempts: 1 });
      });

      it('re-claims a batch once its lease has passed, counting the attempt', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);

        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 3 * LEASE, T0 + LEASE)).toBe(true);

        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'running', owner: 'w2', leaseUntil: T0 + 3 * LEASE, attempts: 2 });
      });

      it('lets exactly one of 20 concurrent re-claimers of a lapsed lease win', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'crashed', T0 + LEASE, T0);
        const now = T0 + 2 * LEASE;

        const won = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.claimRunBatch(RUN, a.batchId, `w${i}`, now + LEASE, now)),
        );

        expect(won.filter(Boolean)).toHaveLength(1);
        expect(await stateOf(a.batchId)).toMatchObject({ owner: `w${won.indexOf(true)}`, attempts: 2 });
      });

      it('fences a stale owner after a re-claim: it can no longer renew, release or finish', async () => {
        // Arrange: w1's lease passes while it is paused; w2 takes over.
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 3 * LEASE, T0 + 2 * LEASE);
        const taken: RunBatchState = { ...a, status: 'running', owner: 'w2', leaseUntil: T0 + 3 * LEASE, attempts: 2 };

        // Act + Assert: w1 wakes up.
        expect(await store.renewRunBatch(RUN, a.batchId, 'w1', T0 + 9 * LEASE)).toBe(false);
        expect(await store.finishRunBatch(RUN, a.batchId, 'w1', 'succeeded', 'succeeded')).toBe(false);
        expect(await store.finishRunBatch(RUN, a.batchId, 'w1', 'failed', 'error:EvaluationError')).toBe(false);
        expect(await store.releaseRunBatch(RUN, a.batchId, 'w1')).toBe(false);
        expect(await stateOf(a.batchId)).toEqual(taken);

        // The new holder is unaffected.
        expect(await store.finishRunBatch(RUN, a.batchId, 'w2', 'succeeded', 'succeeded')).toBe(true);
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'succeeded', owner: 'w2', attempts: 2, reason: 'succeeded' });
      });

      it('renews the lease for the holder only, pushing back when others may re-claim', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);

        expect(await store.renewRunBatch(RUN, a.batchId, 'w2', T0 + 9 * LEASE)).toBe(false);
        expect(await store.renewRunBatch(RUN, a.batchId, 'w1', T0 + 2 * LEASE)).toBe(true);

        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 3 * LEASE, T0 + LEASE)).toBe(false);
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'running', owner: 'w1', leaseUntil: T0 + 2 * LEASE, attempts: 1 });
      });

      it('lets a holder whose lease passed unnoticed still renew, since nobody replaced it', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        expect(await store.renewRunBatch(RUN, a.batchId, 'w1', T0 + 3 * LEASE)).toBe(true);
        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 4 * LEASE, T0 + 2 * LEASE)).toBe(false);
      });

      it('releases a batch back to pending for the holder only, keeping its attempts', async () => {
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);

        expect(await store.releaseRunBatch(RUN, a.batchId, 'w2')).toBe(false);
        expect(await store.releaseRunBatch(RUN, a.batchId, 'w1')).toBe(true);
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'pending', attempts: 1 });
        expect(await store.releaseRunBatch(RUN, a.batchId, 'w1')).toBe(false);

        // Claimable again at once, well before the old lease would have passed.
        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + LEASE + 1, T0 + 1)).toBe(true);
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'running', owner: 'w2', leaseUntil: T0 + LEASE + 1, attempts: 2 });
      });

      it.each(['succeeded', 'failed'] as const)('finishes as %s for the holder only, after which nothing changes it', async (status) => {
        // Arrange
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        const reason = status === 'failed' ? 'error:EvaluationError' : 'succeeded';
        const finished: RunBatchState = { ...a, status, owner: 'w1', attempts: 1, reason };

        // Act
        expect(await store.finishRunBatch(RUN, a.batchId, 'w2', status, reason)).toBe(false);
        expect(await store.finishRunBatch(RUN, a.batchId, 'w1', status, reason)).toBe(true);

        // Assert: a finished batch is final, even long after the lease.
        expect(await stateOf(a.batchId)).toEqual(finished);
        expect(await store.finishRunBatch(RUN, a.batchId, 'w1', 'succeeded', 'again')).toBe(false);
        expect(await store.claimRunBatch(RUN, a.batchId, 'w2', T0 + 9 * LEASE, T0 + 8 * LEASE)).toBe(false);
        expect(await store.renewRunBatch(RUN, a.batchId, 'w1', T0 + 9 * LEASE)).toBe(false);
        expect(await store.releaseRunBatch(RUN, a.batchId, 'w1')).toBe(false);
        expect(await store.finishRunBatch(RUN, a.batchId, 'x', 'skipped', 'skipped:upstream_failed:db.x')).toBe(false);
        expect(await stateOf(a.batchId)).toEqual(finished);
      });

      it('skips a pending batch, by anyone, and never one that is running or finished', async () => {
        // Arrange
        const b = plan('db.a', 1);
        const reason = 'skipped:upstream_failed:db.raw';

        // Act + Assert: pending (never touched) -> skipped.
        expect(await store.finishRunBatch(RUN, b.batchId, 'anyone', 'skipped', reason)).toBe(true);
        expect(await stateOf(b.batchId)).toEqual({ ...b, status: 'skipped', attempts: 0, reason });
        expect(await store.finishRunBatch(RUN, b.batchId, 'anyone', 'skipped', 'again')).toBe(false);
        expect(await store.claimRunBatch(RUN, b.batchId, 'w1', T0 + LEASE, T0)).toBe(false);

        // Running -> refused, even to the holder.
        await store.claimRunBatch(RUN, a.batchId, 'w1', T0 + LEASE, T0);
        expect(await store.finishRunBatch(RUN, a.batchId, 'w1', 'skipped', reason)).toBe(false);
        expect(await stateOf(a.batchId)).toMatchObject({ status: 'running', owner: 'w1' });

        // Released to pending -> skippable again, its attempt kept.
        await store.releaseRunBatch(RUN, a.batchId, 'w1');
        expect(await store.finishRunBatch(RUN, a.batchId, 'anyone', 'skipped', reason)).toBe(true);
        expect(await stateOf(a.batchId)).toEqual({ ...a, status: 'skipped', attempts: 1, reason });
      });

      it('refuses every change to a batch that was never planned, and invents none', async () => {
        const ghost = plan('db.ghost', 0).batchId;
        for (const runId of [RUN, 'never']) {
          expect(await store.claimRunBatch(runId, ghost, 'w1', T0 + LEASE, T0)).toBe(false);
          expect(await store.renewRunBatch(runId, ghost, 'w1', T0 + LEASE)).toBe(false);
          expect(await store.releaseRunBatch(runId, ghost, 'w1')).toBe(false);
          expect(await store.finishRunBatch(runId, ghost, 'w1', 'succeeded', 'succeeded')).toBe(false);
          expect(await store.finishRunBatch(runId, ghost, 'w1', 'skipped', 'skipped:x')).toBe(false);
        }
        expect(await store.listRunBatches(RUN)).toEqual([pending(a), pending(plan('db.a', 1))]);
        expect(await store.listRunBatches('never')).toEqual([]);
      });
    });

    describe('range claims', () => {
      const key: IntervalKey = { name: 'db.events', version: 'v1' };
      const until = T0 + LEASE;
      const claim = (owner: string, interval: Interval, leaseUntil = until): RangeClaim => ({ owner, interval, leaseUntil });

      it('claims a free range and lists it until its lease passes', async () => {
        expect(await store.listRangeClaims(key, T0)).toEqual([]);
        expect(await store.claimRange(key, h(0, 10), 'job-a', until, T0)).toBe(true);
        expect(await store.listRangeClaims(key, until - 1)).toEqual([claim('job-a', h(0, 10))]);
        expect(await store.listRangeClaims(key, until)).toEqual([]);
      });

      it.each([
        ['the same range', h(0, 10)],
        ['a range inside it', h(3, 4)],
        ['a range around it', h(-5, 20)],
        ['its first hour', h(-1, 1)],
        ['its last hour', h(9, 11)],
      ])("refuses another owner's claim on %s while the lease holds", async (_what, interval) => {
        await store.claimRange(key, h(0, 10), 'job-a', until, T0);
        expect(await store.claimRange(key, interval, 'job-b', until, until - 1)).toBe(false);
        expect(await store.listRangeClaims(key, T0)).toEqual([claim('job-a', h(0, 10))]);
      });

      it('allows adjacent ranges of other owners on both sides', async () => {
        await store.claimRange(key, h(5, 10), 'job-a', until, T0);
        expect(await store.claimRange(key, h(10, 12), 'job-b', until, T0)).toBe(true);
        expect(await store.claimRange(key, h(0, 5), 'job-c', until, T0)).toBe(true);
        expect(await store.listRangeClaims(key, T0)).toEqual([
          claim('job-c', h(0, 5)),
          claim('job-a', h(5, 10)),
          claim('job-b', h(10, 12)),
        ]);
      });

      it('lets an owner re-claim its own range, moving the lease, and overlap its own claims', async () => {
        await store.claimRange(key, h(0, 10), 'job-a', until, T0);

        expect(await store.claimRange(key, h(0, 10), 'job-a', until + LEASE, T0 + 1)).toBe(true);
        expect(await store.claimRange(key, h(5, 15), 'job-a', until, T0 + 1)).toBe(true);

        expect(await store.listRangeClaims(key, T0 + 1)).toEqual([
          claim('job-a', h(0, 10), until + LEASE),
          claim('job-a', h(5, 15)),
        ]);
      });

      it("ignores other owners' lapsed claims and drops them", async () => {
        await store.claimRange(key, h(0, 10), 'crashed', until, T0);
        await store.claimRange(key, h(20, 30), 'alive', until + 2 * LEASE, T0);

        expect(await store.claimRange(key, h(5, 15), 'job-b', until + LEASE, until)).toBe(true);

        // Even with the clock turned back, the lapsed claim is gone for good.
        expect(await store.listRangeClaims(key, T0)).toEqual([
          claim('job-b', h(5, 15), until + LEASE),
          claim('alive', h(20, 30), until + 2 * LEASE),
        ]);
      });

      it('lets exactly one of 20 concurrent overlapping claims win', async () => {
        // Each claim overlaps every other one: [i, i + 20) all contain hour 19.
        const won = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.claimRange(key, h(i, i + 20), `job-${i}`, until, T0)),
        );

        expect(won.filter(Boolean)).toHaveLength(1);
        const i = won.indexOf(true);
        expect(await store.listRangeClaims(key, T0)).toEqual([claim(`job-${i}`, h(i, i + 20))]);
      });

      it('loses none of 10 concurrent disjoint claims', async () => {
        const claims = Array.from({ length: 10 }, (_, i) => claim(`job-${i}`, h(i, i + 1)));
        const won = await Promise.all(claims.map((c) => store.claimRange(key, c.interval, c.owner, c.leaseUntil, T0)));
        expect(won).toEqual(claims.map(() => true));
        expect(await store.listRangeClaims(key, T0)).toEqual(claims);
      });

      it("releases exactly the owner's claim on exactly that range", async () => {
        // Arrange
        await store.claimRange(key, h(0, 10), 'job-a', until, T0);
        await store.claimRange(key, h(10, 20), 'job-a', until, T0);
        await store.claimRange(key, h(20, 30), 'job-b', until, T0);

        // Act: no-ops first (wrong owner, wrong range, nothing stored), then the real release.
        await store.releaseRange(key, h(0, 10), 'job-b');
        await store.releaseRange(key, h(0, 5), 'job-a');
        await store.releaseRange({ name: 'db.other', version: 'v1' }, h(0, 10), 'job-a');
        await store.releaseRange(key, h(0, 10), 'job-a');

        // Assert
        expect(await store.listRangeClaims(key, T0)).toEqual([claim('job-a', h(10, 20)), claim('job-b', h(20, 30))]);
        expect(await store.claimRange(key, h(0, 10), 'job-c', until, T0)).toBe(true);
        expect(await store.claimRange(key, h(15, 16), 'job-c', until, T0)).toBe(false);
      });

      it('keeps physical tables apart by name and version', async () => {
        const v2: IntervalKey = { name: 'db.events', version: 'v2' };
        const other: IntervalKey = { name: 'db.orders', version: 'v1' };
        await store.claimRange(key, h(0, 10), 'job-a', until, T0);

        expect(await store.claimRange(v2, h(0, 10), 'job-b', until, T0)).toBe(true);
        expect(await store.claimRange(other, h(0, 10), 'job-c', until, T0)).toBe(true);

        expect(await store.listRangeClaims(key, T0)).toEqual([claim('job-a', h(0, 10))]);
        expect(await store.listRangeClaims(v2, T0)).toEqual([claim('job-b', h(0, 10))]);
      });

      it('rejects an empty or reversed range', async () => {
        await expect(store.claimRange(key, h(2, 2), 'job-a', until, T0)).rejects.toThrow(
          `invalid interval [${T0 + 2 * HOUR}, ${T0 + 2 * HOUR}) for db.events@v1: expected integer epoch-ms bounds with start < end`,
        );
        await expect(store.releaseRange(key, h(3, 1), 'job-a')).rejects.toThrow(/^invalid interval/);
        expect(await store.listRangeClaims(key, T0)).toEqual([]);
      });
    });

    // Last, so that on DynamoDB Local the timing reflects a warmed-up JVM rather than its first requests.
    describe('at scale', () => {
      it('round-trips 5,000 batches as pending, ordered by batch id, in reasonable time', async () => {
        // Arrange: 50 models x 100 hours; each batch waits for its model's previous hour and for the same hour
        // of the model before it, so the plan items (~1.3 MB in all) span more than one 1 MB Query page.
        const models = Array.from({ length: 50 }, (_, m) => `db.model_${String(m).padStart(2, '0')}`);
        const plans = models.flatMap((model, m) =>
          Array.from({ length: 100 }, (_, i) => {
            const dependsOn = [
              ...(i > 0 ? [plan(model, i - 1).batchId] : []),
              ...(m > 0 ? [plan(models[m - 1] ?? '', i).batchId] : []),
            ];
            return plan(model, i, { dependsOn });
          }),
        );
        const other = plan('db.model_00', 0, {}, 'run-2');

        // Act
        await store.putRunBatches(RUN, plans);
        const listed = await store.listRunBatches(RUN);
        await store.putRunBatches('run-2', [other]);

        // Assert
        expect(listed).toHaveLength(5_000);
        expect(listed).toEqual(plans.map(pending).sort(byBatchId));
        expect(await store.listRunBatches('run-2')).toEqual([pending(other)]);
      }, 60_000);
    });
  });
}
