import type { BatchRecord, PauseRecord } from '../ports/state-store';
import { batchRecord } from '../run/batch-outcome';
import type { PlannedBatch } from '../run/plan-batches';
import { pausedReason } from './pause-id';

/** A batch a pause keeps out of a run. */
export interface HeldBatch {
  readonly batch: PlannedBatch;
  readonly pause: PauseRecord;
}

/** A run's batches split into those that run and those paused. */
export interface HeldBatches {
  readonly runnable: PlannedBatch[];
  readonly held: HeldBatch[];
}

/**
 * Splits planned batches by the pauses holding their models ({@link pausedModels}). Because a model pause
 * also holds everything downstream, no runnable batch ever depends on a held one: the run's task graph
 * stays closed without rewriting any `dependsOn`.
 *
 * @example
 * const { runnable, held } = holdPausedBatches(plan.batches, pausedModels(pauses, definitions));
 */
export function holdPausedBatches(
  batches: readonly PlannedBatch[],
  paused: ReadonlyMap<string, PauseRecord>,
): HeldBatches {
  const runnable: PlannedBatch[] = [];
  const held: HeldBatch[] = [];
  for (const batch of batches) {
    const pause = paused.get(batch.model);
    if (pause) held.push({ batch, pause });
    else runnable.push(batch);
  }
  return { runnable, held };
}

/**
 * The record of a held batch: `skipped` with reason `skipped:paused:<pauseId>`, and the pause's own reason
 * (when it has one) as the record's detail in `error`.
 */
export function heldBatchRecord(runId: string, held: HeldBatch, nowMs: number): BatchRecord {
  const { batch, pause } = held;
  const record = batchRecord(
    { runId, batchId: batch.id, model: batch.model, version: batch.version, start: batch.interval[0], end: batch.interval[1] },
    { status: 'skipped', reason: pausedReason(pause.pauseId) },
    undefined,
    nowMs,
  );
  return pause.reason === undefined ? record : { ...record, error: pause.reason };
}
