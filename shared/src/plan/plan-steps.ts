import { ensurePhysicalTable } from '../evaluate/physical-table';
import { promoteViews, type ViewChange } from '../evaluate/promote';
import { IntervalConflictError } from '../errors';
import type { EnvironmentRecord, SnapshotRecord } from '../ports/state-store';
import { viewName } from '../snapshot/naming';
import { buildEvaluationRequest, relationOf, type RequestContext } from '../run/build-evaluation-request';
import type { EnvironmentModel } from '../run/environment-model';
import type { ExecuteBatchesDeps } from '../run/execute-batches';
import { hasPhysicalTable } from './build-snapshots';

/**
 * Creates the physical tables of the model versions a plan introduces, parents first, so concurrent first
 * batches never race to create a table and every view about to be promoted has a target.
 */
export async function createPhysicalTables(
  newVersions: readonly string[],
  ctx: RequestContext,
  deps: Pick<ExecuteBatchesDeps, 'warehouse' | 'reporter'>,
): Promise<void> {
  for (const name of newVersions) {
    const env = ctx.models.get(name) as EnvironmentModel;
    if (!hasPhysicalTable(env.stored.model.kind.name)) continue;
    if (await ensurePhysicalTable(deps.warehouse, buildEvaluationRequest(env, undefined, true, ctx))) {
      deps.reporter.note(`created ${env.snapshot.physicalTable}`);
    }
  }
}

export interface PromotionInput {
  readonly environment: string;
  readonly planId: string;
  readonly snapshots: readonly SnapshotRecord[];
  /** The environment as it was when the plan was computed; its revision guards the write. */
  readonly current: EnvironmentRecord | undefined;
}

/**
 * Swaps every view of the environment to the plan's tables in one transaction (views of models the plan
 * removes are dropped), then records the environment, conditional on it not having changed since the plan
 * was computed.
 */
export async function promoteEnvironment(input: PromotionInput, deps: Pick<ExecuteBatchesDeps, 'warehouse' | 'state' | 'clock'>): Promise<EnvironmentRecord> {
  await promoteViews(deps.warehouse, viewChanges(input));
  const now = deps.clock.nowMs();
  const record: Omit<EnvironmentRecord, 'revision'> = {
    name: input.environment,
    snapshots: input.snapshots.map((s) => ({ name: s.name, identifier: s.identifier })),
    planId: input.planId,
    ...(input.current ? { previousPlanId: input.current.planId } : {}),
    finalizedTs: now,
    createdTs: input.current?.createdTs ?? now,
    updatedTs: now,
  };
  try {
    return await deps.state.putEnvironment(record, input.current?.revision);
  } catch (error) {
    if (error instanceof IntervalConflictError) {
      throw new IntervalConflictError(
        `environment '${input.environment}' changed while plan ${input.planId} was applying; plan again`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Every view of the environment pointed at its snapshot's table, and views of removed models dropped. */
function viewChanges(input: PromotionInput): ViewChange[] {
  const changes: ViewChange[] = [];
  const kept = new Set(input.snapshots.map((s) => s.name));
  for (const s of input.snapshots) {
    if (!s.physicalTable) continue;
    changes.push({ view: relationOf(viewName(s.name, input.environment)), target: s.physicalTable });
  }
  for (const old of input.current?.snapshots ?? []) {
    if (!kept.has(old.name)) changes.push({ view: relationOf(viewName(old.name, input.environment)), target: null });
  }
  return changes;
}
