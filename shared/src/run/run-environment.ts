import type { BatchRecord, RunRecord } from '../ports/state-store';
import { cronNext } from '../schedule/cron';
import { heldBatchRecord } from '../pause/hold-paused-batches';
import { executeBatches, type ExecuteBatchesDeps } from './execute-batches';
import type { DeferredRange } from './plan-batches';
import { planDueRun } from './plan-due-run';

export interface RunEnvironmentOptions {
  readonly environment: string;
  readonly runId: string;
  /** Intervals up to the latest completed cron tick before this instant are due. */
  readonly executionTimeMs: number;
  /** Batches running at once. */
  readonly concurrency: number;
  readonly ignoreCron?: boolean;
}

export interface RunSummary {
  readonly run: RunRecord;
  readonly batches: readonly BatchRecord[];
  /** Ranges left for a later run because an upstream has not processed them yet. */
  readonly deferred: readonly DeferredRange[];
  /** The next instant any model's cron fires after the execution time; undefined if none can run. */
  readonly nextRunMs: number | undefined;
}

/**
 * `meshcron run`: processes every model of the environment whose cron is due and that has missing
 * intervals, in DAG order, independent batches concurrently. Batches of paused models are recorded as
 * `skipped:paused:<pauseId>`. Never changes snapshots or views.
 */
export async function runEnvironment(options: RunEnvironmentOptions, deps: ExecuteBatchesDeps): Promise<RunSummary> {
  // Pauses (issue 4): planDueRun splits the due batches; held ones are recorded as skipped, never executed.
  const { models, plan, runnable, held } = await planDueRun(deps.state, options);
  const nowMs = deps.clock.nowMs();

  const started: RunRecord = {
    runId: options.runId,
    kind: 'run',
    environment: options.environment,
    status: 'running',
    executionTs: options.executionTimeMs,
    startedTs: nowMs,
  };
  await deps.state.putRun(started);
  const heldRecords = held.map((h) => heldBatchRecord(options.runId, h, nowMs));
  await Promise.all(heldRecords.map((r) => deps.state.putBatch(r)));
  const records = [...heldRecords, ...(await executeBatches(runnable, models, options, deps))];
  const run = finishRun(started, records, deps.clock.nowMs());
  await deps.state.putRun(run);

  const nextRunMs = nextCronTick(
    [...models.values()].map((m) => m.stored.model),
    options.executionTimeMs,
  );
  return { run, batches: records, deferred: plan.deferred, nextRunMs };
}

/** Closes a run record: failed when any batch failed, with counts per outcome. */
export function finishRun(run: RunRecord, records: readonly BatchRecord[], nowMs: number): RunRecord {
  const counts = { succeeded: 0, failed: 0, skipped: 0 };
  for (const r of records) counts[r.status] += 1;
  const firstFailure = records.find((r) => r.status === 'failed');
  return {
    ...run,
    status: firstFailure ? 'failed' : 'succeeded',
    reason: firstFailure ? `${firstFailure.reason}:${firstFailure.model}` : 'succeeded',
    endedTs: nowMs,
    counts,
  };
}

function nextCronTick(
  models: readonly { kind: { name: string }; cron: string; cronTz?: string }[],
  afterMs: number,
): number | undefined {
  let next: number | undefined;
  for (const m of models) {
    if (m.kind.name === 'EXTERNAL' || m.kind.name === 'EMBEDDED' || m.kind.name === 'SEED') continue;
    const tick = cronNext(m.cron, m.cronTz, afterMs);
    if (next === undefined || tick < next) next = tick;
  }
  return next;
}
