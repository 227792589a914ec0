import type { Project } from '../project/model';
import type { BatchRecord, EnvironmentRecord, RunRecord, SnapshotRecord } from '../ports/state-store';
import { normalizeEnvironmentName } from '../snapshot/naming';
import { computeWork } from '../run/compute-work';
import type { EnvironmentModel } from '../run/environment-model';
import { executeBatches, type ExecuteBatchesDeps } from '../run/execute-batches';
import { type BatchPlan, planBatches } from '../run/plan-batches';
import { finishRun } from '../run/run-environment';
import { pausedModels } from '../pause/paused-models';
import { buildSnapshots } from './build-snapshots';
import { createPhysicalTables, promoteEnvironment } from './plan-steps';
import { diffEnvironment, type EnvironmentDiff } from './environment-diff';
import { decodeStoredModel } from './stored-model';

export interface PlanOptions {
  readonly environment: string;
  readonly planId: string;
  /** Backfill up to the latest completed cron tick before this instant. */
  readonly executionTimeMs: number;
}

/** What a plan will do, computed without changing anything; shown to the user before applying. */
export interface PlanPreview {
  readonly environment: string;
  readonly planId: string;
  readonly executionTimeMs: number;
  readonly current: EnvironmentRecord | undefined;
  readonly diff: EnvironmentDiff;
  /** Every snapshot of the environment after the plan. */
  readonly snapshots: readonly SnapshotRecord[];
  /** Models whose version the environment does not have yet, parents first: created and backfilled by this plan. */
  readonly newVersions: readonly string[];
  readonly backfill: BatchPlan;
  readonly models: ReadonlyMap<string, EnvironmentModel>;
  /**
   * Paused models (issue 4) this plan backfills anyway, parents first: a plan executes what it changes, pauses
   * only hold back scheduled and manual runs. Shown to the user before applying.
   */
  readonly pausedExecuted: readonly string[];
}

export interface PlanResult {
  readonly run: RunRecord;
  readonly batches: readonly BatchRecord[];
  /** True when the environment now points at the plan's snapshots. */
  readonly promoted: boolean;
}

/**
 * Computes the plan for `project` against an environment: the model changes (a new environment starts from
 * prod) and the backfill: new model versions up to the latest completed cron tick, and the gaps of versions
 * that already have data up to where their data ends (moving `start` earlier backfills the new days).
 * Unchanged models keep their tables and processed intervals.
 */
export async function computePlan(
  project: Project,
  seedContentHashes: ReadonlyMap<string, string>,
  options: PlanOptions,
  deps: Pick<ExecuteBatchesDeps, 'state' | 'clock'>,
): Promise<PlanPreview> {
  const environment = normalizeEnvironmentName(options.environment);
  const nowMs = deps.clock.nowMs();
  const current = await deps.state.getEnvironment(environment);
  const base = current ?? (await deps.state.getEnvironment('prod'));
  const baseSnapshots = base ? await deps.state.getSnapshots(base.snapshots) : [];
  const snapshots = buildSnapshots(project, seedContentHashes, nowMs);
  const diff = diffEnvironment(baseSnapshots, snapshots);

  const models = new Map<string, EnvironmentModel>(
    snapshots.map((s) => [s.name, { snapshot: s, stored: decodeStoredModel(s) }]),
  );
  const haveVersion = new Set((current ? baseSnapshots : []).map((s) => `${s.name}@${s.version}`));
  const newVersions = snapshots.filter((s) => !haveVersion.has(`${s.name}@${s.version}`)).map((s) => s.name);

  const intervals = await deps.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
  const work = computeWork(models, intervals, {
    executionTimeMs: options.executionTimeMs,
    nowMs: options.executionTimeMs,
    capAtProcessedEnd: true,
  });
  const backfill = planBatches(work.works, work.order);
  const paused = pausedModels(
    current ? await deps.state.listPauses(environment) : [],
    new Map(snapshots.map((s) => [s.name, decodeStoredModel(s).model])),
  );
  const backfilled = new Set(backfill.batches.map((b) => b.model));
  const pausedExecuted = work.order.filter((name) => paused.has(name) && backfilled.has(name));
  const order = new Map(work.order.map((name, i) => [name, i]));
  newVersions.sort((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
  return {
    environment,
    planId: options.planId,
    executionTimeMs: options.executionTimeMs,
    current,
    diff,
    snapshots,
    newVersions,
    backfill,
    models,
    pausedExecuted,
  };
}

/**
 * Applies a computed plan: stores the snapshots, creates the new physical tables, backfills, and — only if
 * every batch succeeded — swaps all of the environment's views in one transaction and records the
 * environment. A failed backfill leaves the environment exactly as it was.
 */
export async function applyPlan(preview: PlanPreview, concurrency: number, deps: ExecuteBatchesDeps): Promise<PlanResult> {
  const startedTs = deps.clock.nowMs();
  const started: RunRecord = {
    runId: preview.planId,
    kind: 'plan',
    environment: preview.environment,
    status: 'running',
    executionTs: preview.executionTimeMs,
    startedTs,
  };
  await deps.state.putRun(started);
  await deps.state.putSnapshots(preview.snapshots);

  await createPhysicalTables(
    preview.newVersions,
    { models: preview.models, sqlParser: deps.sqlParser, executionTimeMs: preview.executionTimeMs, readSeedFile: deps.readSeedFile },
    deps,
  );

  const records = await executeBatches(preview.backfill.batches, preview.models, {
    runId: preview.planId,
    executionTimeMs: preview.executionTimeMs,
    concurrency,
  }, deps);
  const run = finishRun(started, records, deps.clock.nowMs());
  if (run.status === 'failed') {
    const failedRun = { ...run, reason: `not_promoted:${run.reason ?? 'failed'}` };
    await deps.state.putRun(failedRun);
    return { run: failedRun, batches: records, promoted: false };
  }

  await promoteEnvironment(
    { environment: preview.environment, planId: preview.planId, snapshots: preview.snapshots, current: preview.current },
    deps,
  );
  await deps.state.putRun(run);
  return { run, batches: records, promoted: true };
}
