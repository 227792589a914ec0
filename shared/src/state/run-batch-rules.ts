import { SchedulerError } from '../errors';
import type { RunBatchState, RunBatchStatus } from '../ports/run-job-store';
import { assertValidInterval } from './interval-ranges';

/**
 * The state machine of one run batch, shared by every RunJobStore. The in-memory store applies these
 * functions directly; the DynamoDB adapter states the same guards as condition expressions (its comments
 * name the function each one mirrors), and the contract suite checks that both agree.
 *
 * ```
 *   pending ──claim──▶ running ──finish(succeeded|failed) by owner──▶ succeeded | failed
 *      ▲  │              │ ▲
 *      │  │   release    │ └─ claim by anyone once leaseUntil <= now (attempts + 1, new owner)
 *      │  │  by owner    │
 *      └──┼──────────────┘
 *         └──finish(skipped) by anyone──▶ skipped
 * ```
 */

/** What a planner stores for a batch: everything but its progress. */
export type RunBatchPlan = Omit<RunBatchState, 'status' | 'attempts' | 'owner' | 'leaseUntil' | 'reason'>;

/** The mutable part of a batch: what claims, renewals, releases and finishes change. */
export interface RunBatchProgress {
  readonly status: RunBatchStatus;
  readonly owner?: string;
  readonly leaseUntil?: number;
  readonly attempts: number;
  readonly reason?: string;
}

/** Progress of a batch nobody has touched yet. */
export const PENDING_PROGRESS: RunBatchProgress = { status: 'pending', attempts: 0 };

/** Orders batches by id (UTF-16 code units), the order listRunBatches returns in every store. */
export function compareRunBatches(a: { readonly batchId: string }, b: { readonly batchId: string }): number {
  return a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0;
}

/** Rejects a batch of another run, or one whose `[start, end)` is empty, reversed or not integer epoch ms. */
export function assertValidRunBatchPlan(runId: string, plan: RunBatchPlan): void {
  if (plan.runId !== runId) {
    throw new SchedulerError(
      `batch '${plan.batchId}' belongs to run '${plan.runId}' but was put into run '${runId}'; put each run's batches under its own id`,
    );
  }
  assertValidInterval([plan.start, plan.end], `batch '${plan.batchId}' of run '${runId}'`);
}

/** One plan per batch id, the last one given winning, as repeated puts of one key would. */
export function uniqueRunBatchPlans(plans: readonly RunBatchPlan[]): RunBatchPlan[] {
  return [...new Map(plans.map((p) => [p.batchId, p])).values()];
}

/** A whole batch state from its plan and progress; absent optional fields are left out, not undefined. */
export function toRunBatchState(runId: string, plan: RunBatchPlan, progress: RunBatchProgress): RunBatchState {
  const { status, owner, leaseUntil, attempts, reason } = progress;
  return {
    ...plan,
    runId,
    status,
    attempts,
    ...(owner !== undefined && { owner }),
    ...(leaseUntil !== undefined && { leaseUntil }),
    ...(reason !== undefined && { reason }),
  };
}

/**
 * Progress after `owner` claims the batch at `nowMs`, or `undefined` when it may not: the batch is finished,
 * or running under a lease that has not passed yet (`leaseUntil > nowMs`), whoever holds it.
 */
export function claimRunBatchProgress(
  progress: RunBatchProgress,
  owner: string,
  leaseUntilMs: number,
  nowMs: number,
): RunBatchProgress | undefined {
  const claimable =
    progress.status === 'pending' ||
    (progress.status === 'running' && progress.leaseUntil !== undefined && progress.leaseUntil <= nowMs);
  if (!claimable) return undefined;
  return { status: 'running', owner, leaseUntil: leaseUntilMs, attempts: progress.attempts + 1 };
}

/**
 * Whether `owner` holds the batch: it is running and `owner` made the latest claim. The lease is not looked
 * at: a holder whose lease passed but whom nobody replaced may still renew or finish (fencing is by owner).
 */
export function isHeldBy(progress: RunBatchProgress, owner: string): boolean {
  return progress.status === 'running' && progress.owner === owner;
}

/** Progress with the lease moved to `leaseUntilMs`, or `undefined` when `owner` does not hold the batch. */
export function renewRunBatchProgress(
  progress: RunBatchProgress,
  owner: string,
  leaseUntilMs: number,
): RunBatchProgress | undefined {
  return isHeldBy(progress, owner) ? { ...progress, leaseUntil: leaseUntilMs } : undefined;
}

/** Progress back to `pending` (attempts kept), or `undefined` when `owner` does not hold the batch. */
export function releaseRunBatchProgress(progress: RunBatchProgress, owner: string): RunBatchProgress | undefined {
  return isHeldBy(progress, owner) ? { status: 'pending', attempts: progress.attempts } : undefined;
}

/**
 * Progress of a finished batch, or `undefined` when the finish is not allowed. `succeeded`/`failed` need
 * `owner` to hold the batch and keep it as the worker that ran it (the lease ends); `skipped` needs the batch
 * `pending`, is open to anyone and records no owner.
 */
export function finishRunBatchProgress(
  progress: RunBatchProgress,
  owner: string,
  status: 'succeeded' | 'failed' | 'skipped',
  reason: string,
): RunBatchProgress | undefined {
  if (status === 'skipped') {
    return progress.status === 'pending' ? { status, attempts: progress.attempts, reason } : undefined;
  }
  return isHeldBy(progress, owner) ? { status, owner, attempts: progress.attempts, reason } : undefined;
}
