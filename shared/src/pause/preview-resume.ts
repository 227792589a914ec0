import type { PauseRecord, StateStore } from '../ports/state-store';
import type { PlannedBatch } from '../run/plan-batches';
import { planDueRun } from '../run/plan-due-run';
import type { HeldBatch } from './hold-paused-batches';
import { getPause } from './manage-pauses';

export interface ResumePreview {
  readonly pause: PauseRecord;
  readonly executionTimeMs: number;
  /** Exactly the batches the next run would execute once the pause is gone, in plan order. */
  readonly batches: readonly PlannedBatch[];
  /** Ids of those batches that this pause holds back today. */
  readonly releasedBatchIds: readonly string[];
  /** Batches other pauses would still hold back. */
  readonly stillHeld: readonly HeldBatch[];
}

/**
 * What resuming a pause would run now: the run's own planning ({@link planDueRun}) with that one pause
 * ignored, so the list equals what the next run executes after the pause is deleted (same batch ids).
 * Missed intervals come back in order and batched as usual: nothing special happens on resume.
 *
 * @throws NotFoundError when the environment or the pause does not exist.
 * @example
 * const { batches } = await previewResume(state, { environment: 'prod', pauseId: 'env', executionTimeMs: nowMs });
 */
export async function previewResume(
  state: StateStore,
  input: { readonly environment: string; readonly pauseId: string; readonly executionTimeMs: number },
): Promise<ResumePreview> {
  const pause = await getPause(state, input.environment, input.pauseId);
  const [withPause, without] = await Promise.all([
    planDueRun(state, { environment: input.environment, executionTimeMs: input.executionTimeMs }),
    planDueRun(state, { environment: input.environment, executionTimeMs: input.executionTimeMs, withoutPause: input.pauseId }),
  ]);
  const heldByIt = new Set(withPause.held.filter((h) => h.pause.pauseId === input.pauseId).map((h) => h.batch.id));
  return {
    pause,
    executionTimeMs: input.executionTimeMs,
    batches: without.runnable,
    releasedBatchIds: without.runnable.filter((b) => heldByIt.has(b.id)).map((b) => b.id),
    stillHeld: without.held,
  };
}
