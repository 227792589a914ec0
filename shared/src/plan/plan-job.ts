import { NotFoundError, SchedulerError, toError } from '../errors';
import type { BundleStore } from '../ports/bundle-store';
import type { ProjectWorkspace } from '../ports/project-workspace';
import type { RunRecord } from '../ports/state-store';
import { loadProject } from '../project/load-project';
import { finishRun } from '../run/run-environment';
import { type RunJobDeps, toRunBatchPlans } from '../run/run-job';
import { decodeStoredModel } from './stored-model';
import { computePlan } from './plan-environment';
import { createPhysicalTables, promoteEnvironment } from './plan-steps';
import { seedContentHashes } from './seed-hashes';

/**
 * Plans applied by the plan state machine: PreparePlan lays the submitted bundle out, computes the plan
 * exactly as `meshcron plan` does, creates the new tables and stores the backfill batches; the same workers
 * as run jobs execute them; PromotePlan swaps the views only if every batch succeeded.
 */
export interface PlanJobDeps extends RunJobDeps {
  readonly bundles: BundleStore;
  readonly workspace: ProjectWorkspace;
}

async function planRecord(planId: string, deps: PlanJobDeps): Promise<RunRecord> {
  const run = await deps.state.getRun(planId);
  if (!run || run.kind !== 'plan') throw new NotFoundError(`plan '${planId}' does not exist`);
  return run;
}

/**
 * PreparePlan: `{planId}` of a plan whose RunRecord (environment, execution time) and bundle were stored
 * when it was submitted. Retried invocations do not plan twice.
 */
export async function preparePlanJob(input: { planId: string }, deps: PlanJobDeps): Promise<{ planId: string; batchCount: number }> {
  const run = await planRecord(input.planId, deps);
  if (run.snapshots) return { planId: input.planId, batchCount: (await deps.jobs.listRunBatches(input.planId)).length };

  const root = await deps.workspace.materialize(input.planId, await deps.bundles.get(input.planId));
  const project = await loadProject(root, { sqlParser: deps.sqlParser });
  const preview = await computePlan(
    project,
    await seedContentHashes(project),
    { environment: run.environment, planId: input.planId, executionTimeMs: run.executionTs },
    deps,
  );
  await deps.state.putSnapshots(preview.snapshots);
  await createPhysicalTables(
    preview.newVersions,
    { models: preview.models, sqlParser: deps.sqlParser, executionTimeMs: run.executionTs, readSeedFile: deps.readSeedFile },
    deps,
  );
  await deps.jobs.putRunBatches(input.planId, toRunBatchPlans(input.planId, preview.backfill.batches));
  await deps.state.putRun({
    ...run,
    snapshots: preview.snapshots.map((s) => ({ name: s.name, identifier: s.identifier })),
    ...(preview.current ? { baseRevision: preview.current.revision } : {}),
  });
  return { planId: input.planId, batchCount: preview.backfill.batches.length };
}

/**
 * PromotePlan: if every backfill batch succeeded (and no error stopped the workers), swaps the environment's
 * views and records it; otherwise the plan ends failed and the environment stays as it was.
 */
export async function promotePlanJob(input: { planId: string; error?: string }, deps: PlanJobDeps): Promise<RunRecord> {
  const run = await planRecord(input.planId, deps);
  const batches = await deps.jobs.listRunBatches(input.planId);
  const records = await deps.state.listBatches(input.planId);
  let finished = finishRun(run, records, deps.clock.nowMs());
  const unfinished = batches.filter((b) => b.status === 'pending' || b.status === 'running').length;
  if (input.error || unfinished > 0 || finished.status === 'failed' || !run.snapshots) {
    const why = input.error
      ? `error:${toError(input.error).message}`
      : unfinished > 0
        ? `interrupted:${unfinished}_batches_unfinished`
        : !run.snapshots
          ? 'error:not_prepared'
          : (finished.reason ?? 'failed');
    finished = { ...finished, status: 'failed', reason: `not_promoted:${why}` };
    await deps.state.putRun(finished);
    return finished;
  }
  const current = await deps.state.getEnvironment(run.environment);
  if ((current?.revision ?? undefined) !== run.baseRevision) {
    finished = { ...finished, status: 'failed', reason: 'not_promoted:environment_changed' };
    await deps.state.putRun(finished);
    return finished;
  }
  const snapshots = await deps.state.getSnapshots(run.snapshots);
  if (snapshots.length !== run.snapshots.length) throw new SchedulerError(`plan ${input.planId}: some snapshots are missing from state`);
  // Decoding checks every stored definition is readable before any view changes.
  for (const s of snapshots) decodeStoredModel(s);
  await promoteEnvironment({ environment: run.environment, planId: input.planId, snapshots, current }, deps);
  await deps.state.putRun(finished);
  return finished;
}
