import type { RangeClaim, RunBatchState, RunJobStore } from '../ports/run-job-store';
import { type IntervalKey, intervalKeyString } from '../ports/state-store';
import type { Interval } from '../schedule/interval';
import { assertValidInterval } from './interval-ranges';
import { addRangeClaim, compareRangeClaims, isLiveRangeClaim, removeRangeClaim } from './range-claim-rules';
import {
  assertValidRunBatchPlan,
  claimRunBatchProgress,
  compareRunBatches,
  finishRunBatchProgress,
  PENDING_PROGRESS,
  type RunBatchPlan,
  type RunBatchProgress,
  releaseRunBatchProgress,
  renewRunBatchProgress,
  toRunBatchState,
  uniqueRunBatchPlans,
} from './run-batch-rules';

interface StoredBatch {
  plan: RunBatchPlan;
  progress: RunBatchProgress;
}

/**
 * A {@link RunJobStore} held in process memory, for tests of the orchestration logic and local runs in one
 * process. Every method runs to completion without awaiting, so each is atomic just as one conditional
 * write is on DynamoDB; the transitions themselves are the shared rules of run-batch-rules.ts and
 * range-claim-rules.ts. Trusted as a fake only because it passes the same contract suite as
 * DynamoDbRunJobStore. Records are copied in and out, so callers cannot change stored state by mutation.
 *
 * @example
 * const jobs = new InMemoryRunJobStore();
 * await jobs.putRunBatches('run-1', batches);
 * if (await jobs.claimRunBatch('run-1', batches[0].batchId, 'worker-a', nowMs + 60_000, nowMs)) { ... }
 */
export class InMemoryRunJobStore implements RunJobStore {
  /** Batches by run id, then by batch id. */
  private readonly runs = new Map<string, Map<string, StoredBatch>>();
  /** Range claims by `name@version`. */
  private readonly ranges = new Map<string, RangeClaim[]>();

  async putRunBatches(runId: string, batches: readonly RunBatchPlan[]): Promise<void> {
    for (const plan of batches) assertValidRunBatchPlan(runId, plan);
    let run = this.runs.get(runId);
    if (!run) {
      run = new Map();
      this.runs.set(runId, run);
    }
    for (const plan of uniqueRunBatchPlans(batches)) {
      // A retried put refreshes the plan but never the progress, like the DynamoDB store's plan items.
      const stored = run.get(plan.batchId);
      run.set(plan.batchId, { plan: structuredClone(plan), progress: stored?.progress ?? PENDING_PROGRESS });
    }
  }

  async listRunBatches(runId: string): Promise<RunBatchState[]> {
    const run = this.runs.get(runId);
    if (!run) return [];
    return [...run.values()]
      .map(({ plan, progress }) => structuredClone(toRunBatchState(runId, plan, progress)))
      .sort(compareRunBatches);
  }

  async claimRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean> {
    return this.transition(runId, batchId, (p) => claimRunBatchProgress(p, owner, leaseUntilMs, nowMs));
  }

  async renewRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number): Promise<boolean> {
    return this.transition(runId, batchId, (p) => renewRunBatchProgress(p, owner, leaseUntilMs));
  }

  async releaseRunBatch(runId: string, batchId: string, owner: string): Promise<boolean> {
    return this.transition(runId, batchId, (p) => releaseRunBatchProgress(p, owner));
  }

  async finishRunBatch(
    runId: string,
    batchId: string,
    owner: string,
    status: 'succeeded' | 'failed' | 'skipped',
    reason: string,
  ): Promise<boolean> {
    return this.transition(runId, batchId, (p) => finishRunBatchProgress(p, owner, status, reason));
  }

  async claimRange(key: IntervalKey, interval: Interval, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean> {
    const where = intervalKeyString(key);
    assertValidInterval(interval, where);
    const claim: RangeClaim = { owner, interval: [interval[0], interval[1]], leaseUntil: leaseUntilMs };
    const next = addRangeClaim(this.ranges.get(where) ?? [], claim, nowMs);
    if (!next) return false;
    this.ranges.set(where, next);
    return true;
  }

  async releaseRange(key: IntervalKey, interval: Interval, owner: string): Promise<void> {
    const where = intervalKeyString(key);
    assertValidInterval(interval, where);
    const next = removeRangeClaim(this.ranges.get(where) ?? [], interval, owner);
    if (next) this.ranges.set(where, next);
  }

  async listRangeClaims(key: IntervalKey, nowMs: number): Promise<RangeClaim[]> {
    return (this.ranges.get(intervalKeyString(key)) ?? [])
      .filter((c) => isLiveRangeClaim(c, nowMs))
      .sort(compareRangeClaims)
      .map((c) => structuredClone(c));
  }

  /** Applies `change` to a batch's progress; false when the batch does not exist or the change is refused. */
  private transition(
    runId: string,
    batchId: string,
    change: (progress: RunBatchProgress) => RunBatchProgress | undefined,
  ): boolean {
    const stored = this.runs.get(runId)?.get(batchId);
    const next = stored && change(stored.progress);
    if (!stored || !next) return false;
    stored.progress = next;
    return true;
  }
}
