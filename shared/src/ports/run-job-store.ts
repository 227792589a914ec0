import type { Interval } from '../schedule/interval';
import type { IntervalKey } from './state-store';

/**
 * The shared bookkeeping of run jobs that execute on several workers (Step Functions Map iterations, Lambda
 * invocations, or two overlapping jobs on one environment). Every state change is a conditional write, and
 * every hold is a lease that expires, so a crashed worker never blocks anyone for longer than its lease
 * (R23), and a stale worker that wakes up cannot overwrite what a newer holder did (fencing by owner).
 *
 * Implemented in memory (shared/src/state) and on DynamoDB (functions/adapters); both pass one contract suite.
 */

export type RunBatchStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** One planned batch of a run job and where it stands. Carries IDs and times only, never SQL or data. */
export interface RunBatchState {
  readonly runId: string;
  /** `<model>|<version>|<start>|<end>` (see plan-batches). */
  readonly batchId: string;
  readonly model: string;
  readonly version: string;
  readonly start: number;
  readonly end: number;
  /** 0-based position among the model's batches in this run. */
  readonly index: number;
  /** Batch ids of this run that must have succeeded first. */
  readonly dependsOn: readonly string[];
  readonly status: RunBatchStatus;
  /** Worker holding a running batch. */
  readonly owner?: string;
  /** A running batch whose lease has passed may be claimed again. */
  readonly leaseUntil?: number;
  /** How many times the batch was claimed (re-claims after expired leases count). */
  readonly attempts: number;
  /** Machine-readable outcome reason once finished. */
  readonly reason?: string;
}

/** A hold on a time range of one physical table, so two jobs never write the same range at once (R01). */
export interface RangeClaim {
  readonly owner: string;
  readonly interval: Interval;
  readonly leaseUntil: number;
}

export interface RunJobStore {
  /** Stores a run's planned batches, all `pending`. Idempotent for the same batches (a retried PrepareRun). */
  putRunBatches(runId: string, batches: readonly Omit<RunBatchState, 'status' | 'attempts' | 'owner' | 'leaseUntil' | 'reason'>[]): Promise<void>;
  listRunBatches(runId: string): Promise<RunBatchState[]>;
  /**
   * Takes a batch for `owner`: `pending` → `running`, or `running` with `leaseUntil <= nowMs` → `running` with a
   * new owner. Returns false when another worker holds it or it is finished.
   */
  claimRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean>;
  /** Extends a lease; false when `owner` no longer holds the batch (it must stop and not record anything). */
  renewRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number): Promise<boolean>;
  /** Gives a claimed batch back as `pending` (e.g. its range is held by another job); false if not the holder. */
  releaseRunBatch(runId: string, batchId: string, owner: string): Promise<boolean>;
  /**
   * Finishes a batch. For `succeeded`/`failed` only the holder may do it (false otherwise: a stale worker).
   * `skipped` may be set by anyone on a `pending` batch (dependents of a failure).
   */
  finishRunBatch(runId: string, batchId: string, owner: string, status: 'succeeded' | 'failed' | 'skipped', reason: string): Promise<boolean>;

  /**
   * Claims `interval` of a physical table for `owner` unless an unexpired claim of someone else overlaps it.
   * Re-claiming an own range extends it.
   */
  claimRange(key: IntervalKey, interval: Interval, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean>;
  /** Drops `owner`'s claim on exactly `interval` (no-op when it holds none). */
  releaseRange(key: IntervalKey, interval: Interval, owner: string): Promise<void>;
  /** Unexpired claims on a physical table (for status displays and tests). */
  listRangeClaims(key: IntervalKey, nowMs: number): Promise<RangeClaim[]>;
}
