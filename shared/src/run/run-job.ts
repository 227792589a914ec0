import { NotFoundError, toError } from '../errors';
import type { RunBatchState, RunJobStore } from '../ports/run-job-store';
import type { RunRecord } from '../ports/state-store';
import { heldBatchRecord } from '../pause/hold-paused-batches';
import { decodeStoredModel } from '../plan/stored-model';
import { type BatchOutcome, batchRecord } from './batch-outcome';
import type { EnvironmentModel } from './environment-model';
import { evaluateAndRecord } from './evaluate-and-record';
import type { ExecuteBatchesDeps } from './execute-batches';
import type { PlannedBatch } from './plan-batches';
import { planDueRun } from './plan-due-run';
import { finishRun } from './run-environment';

/**
 * Run jobs executed by several workers (Step Functions Map iterations, each a Lambda invocation): one step
 * plans the batches and stores them, workers claim and execute ready batches until none is left, and a last
 * step closes the run. The same code runs in Lambda and, through the locally executed state machine, on a
 * laptop. Payloads between the steps carry IDs only.
 */
export interface RunJobDeps extends ExecuteBatchesDeps {
  readonly jobs: RunJobStore;
}

/** How long a worker holds a batch or a range before another may take it over (R23). */
export const BATCH_LEASE_MS = 15 * 60_000;

export interface PrepareRunJobInput {
  readonly environment: string;
  readonly runId: string;
  readonly executionTimeMs: number;
}

/**
 * Plans a run job: what is due in the environment now, as batches with their dependencies, stored as
 * `pending`. The run record pins the environment's snapshots so every worker evaluates the same definitions.
 */
export async function prepareRunJob(input: PrepareRunJobInput, deps: RunJobDeps): Promise<{ runId: string; batchCount: number }> {
  const existing = await deps.state.getRun(input.runId);
  if (existing) {
    // A retried PrepareRun (Step Functions retries on Lambda errors) must not plan twice.
    return { runId: input.runId, batchCount: (await deps.jobs.listRunBatches(input.runId)).length };
  }
  const { environment, runnable, held } = await planDueRun(deps.state, input);
  // Held batches (paused models) are stored already finished as skipped: workers only claim `pending` ones,
  // and finishRunJob counts them with the rest. Nothing downstream of them is runnable (see holdPausedBatches).
  await deps.jobs.putRunBatches(input.runId, toRunBatchPlans(input.runId, [...runnable, ...held.map((h) => h.batch)]));
  const nowMs = deps.clock.nowMs();
  for (const h of held) {
    const record = heldBatchRecord(input.runId, h, nowMs);
    if (await deps.jobs.finishRunBatch(input.runId, record.batchId, '', 'skipped', record.reason)) await deps.state.putBatch(record);
  }
  await deps.state.putRun({
    runId: input.runId,
    kind: 'run',
    environment: input.environment,
    status: 'running',
    executionTs: input.executionTimeMs,
    startedTs: deps.clock.nowMs(),
    snapshots: environment.snapshots,
  });
  return { runId: input.runId, batchCount: runnable.length };
}

/** Planned batches as the run-job store keeps them (IDs and times only). */
export function toRunBatchPlans(runId: string, batches: readonly PlannedBatch[]): Parameters<RunJobStore['putRunBatches']>[1] {
  return batches.map((b) => ({
    runId,
    batchId: b.id,
    model: b.model,
    version: b.version,
    start: b.interval[0],
    end: b.interval[1],
    index: b.index,
    dependsOn: b.dependsOn,
  }));
}

export interface ExecuteReadyInput {
  readonly runId: string;
  readonly workerId: string;
  /** Stop and report `more` after this many batches, so one invocation stays well inside its timeout. */
  readonly maxBatches?: number;
  /**
   * When nothing is ready but other workers are busy, keep polling inside this invocation for up to this long
   * before answering `waiting`. Each `waiting` answer costs the state machine a Wait and a Task (about a dozen
   * history events), so waiting here keeps a long run far from Step Functions' 25,000-event limit.
   */
  readonly pollForMs?: number;
}

/** How often a worker looks again for ready batches while it polls. */
export const WORKER_POLL_EVERY_MS = 1_000;

/** `more`: call again now; `waiting`: nothing ready, others are running, call again later; `done`: all finished. */
export type WorkerStatus = 'more' | 'waiting' | 'done';

const TERMINAL = new Set(['succeeded', 'failed', 'skipped']);

/**
 * One worker turn: claims ready batches (all dependencies succeeded) one at a time and executes them,
 * skipping the dependents of failures, until nothing is ready or `maxBatches` have run. Claims are leases:
 * a batch whose worker died is taken over once its lease has passed. A range of a physical table that
 * another job holds is left for later, so two jobs never write the same range at once (R01).
 */
export async function executeReadyBatches(input: ExecuteReadyInput, deps: RunJobDeps): Promise<{ runId: string; workerId: string; status: WorkerStatus }> {
  const run = await deps.state.getRun(input.runId);
  if (!run) throw new NotFoundError(`run '${input.runId}' does not exist`);
  const models = await jobModels(run, deps);
  const owner = `${input.runId}/${input.workerId}`;
  const maxBatches = input.maxBatches ?? 25;
  // Counted in polls rather than read from the clock, so a fixed test clock cannot make it loop forever.
  let pollsLeft = Math.floor((input.pollForMs ?? 0) / WORKER_POLL_EVERY_MS);
  let executed = 0;

  // The run's batches as this worker last saw them. Re-listed only when nothing here looks ready, so a worker
  // executing a chain of batches does not read the whole run between each (O(N) per batch otherwise).
  let states = await skipDependentsOfFailures(await deps.jobs.listRunBatches(input.runId), run, deps);
  let fresh = true;
  for (;;) {
    const current = [...states.values()];
    if (current.every((b) => TERMINAL.has(b.status))) return { runId: input.runId, workerId: input.workerId, status: 'done' };

    const now = deps.clock.nowMs();
    const ready = prioritise(
      current.filter(
        (b) =>
          (b.status === 'pending' || (b.status === 'running' && (b.leaseUntil ?? 0) <= now)) &&
          b.dependsOn.every((d) => states.get(d)?.status === 'succeeded'),
      ),
      states,
      input.workerId,
    );
    let ran = false;
    for (const batch of ready) {
      if (!(await deps.jobs.claimRunBatch(input.runId, batch.batchId, owner, now + BATCH_LEASE_MS, now))) {
        // Another worker has it: do not try it again until the next listing says otherwise.
        states.set(batch.batchId, { ...batch, status: 'running', leaseUntil: now + BATCH_LEASE_MS });
        continue;
      }
      const key = { name: batch.model, version: batch.version };
      const interval = [batch.start, batch.end] as const;
      if (!(await deps.jobs.claimRange(key, interval, owner, now + BATCH_LEASE_MS, now))) {
        // Another job is writing this range: give the batch back and leave it for a later listing.
        await deps.jobs.releaseRunBatch(input.runId, batch.batchId, owner);
        states.set(batch.batchId, { ...batch, status: 'running', leaseUntil: now + BATCH_LEASE_MS });
        continue;
      }
      let finished: RunBatchState['status'] | undefined;
      try {
        finished = await runOneBatch(batch, models, run, owner, deps);
      } finally {
        await deps.jobs.releaseRange(key, interval, owner);
      }
      if (finished) states.set(batch.batchId, { ...batch, status: finished });
      executed += 1;
      ran = true;
      break;
    }
    if (ran) {
      fresh = false;
      if (executed >= maxBatches) return { runId: input.runId, workerId: input.workerId, status: 'more' };
      continue;
    }
    if (fresh) {
      if (pollsLeft <= 0) return { runId: input.runId, workerId: input.workerId, status: 'waiting' };
      pollsLeft -= 1;
      await new Promise((resolve) => setTimeout(resolve, WORKER_POLL_EVERY_MS));
    }
    states = await skipDependentsOfFailures(await deps.jobs.listRunBatches(input.runId), run, deps);
    fresh = true;
  }
}

/**
 * Ready batches in the order to try them: longest chain of dependent batches first (the critical path
 * decides the makespan), then an order that differs per worker, so workers do not all race for the same
 * batch and lose claims to each other.
 */
function prioritise(ready: readonly RunBatchState[], states: ReadonlyMap<string, RunBatchState>, workerId: string): RunBatchState[] {
  const height = chainHeights(states);
  const spread = (id: string): number => stringHash(`${workerId}|${id}`);
  return [...ready].sort((a, b) => (height.get(b.batchId) ?? 1) - (height.get(a.batchId) ?? 1) || spread(a.batchId) - spread(b.batchId));
}

/** Heights depend only on the run's batch graph, which never changes: computed once per listing. */
const heightsByListing = new WeakMap<ReadonlyMap<string, RunBatchState>, Map<string, number>>();

/** For each batch, the number of batches on the longest chain that starts with it (itself included). */
function chainHeights(states: ReadonlyMap<string, RunBatchState>): Map<string, number> {
  const cached = heightsByListing.get(states);
  if (cached) return cached;
  const children = new Map<string, string[]>();
  for (const b of states.values()) for (const d of b.dependsOn) children.set(d, [...(children.get(d) ?? []), b.batchId]);
  const height = new Map<string, number>();
  const visit = (id: string, path: Set<string>): number => {
    const known = height.get(id);
    if (known !== undefined) return known;
    if (path.has(id)) return 0;
    path.add(id);
    const h = 1 + Math.max(0, ...(children.get(id) ?? []).map((c) => visit(c, path)));
    path.delete(id);
    height.set(id, h);
    return h;
  };
  for (const id of states.keys()) visit(id, new Set());
  heightsByListing.set(states, height);
  return height;
}

/** A small, stable string hash (FNV-1a), used only to give each worker its own tie-break order. */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

async function runOneBatch(
  batch: RunBatchState,
  models: ReadonlyMap<string, EnvironmentModel>,
  run: RunRecord,
  owner: string,
  deps: RunJobDeps,
): Promise<RunBatchState['status'] | undefined> {
  const startedMs = deps.clock.nowMs();
  const env = models.get(batch.model);
  let outcome: BatchOutcome;
  if (!env) {
    outcome = { status: 'failed', error: new NotFoundError(`model '${batch.model}' is not in run ${run.runId}'s snapshots`) };
  } else {
    const processed = (await deps.state.getIntervals([{ name: batch.model, version: batch.version }])).values().next().value ?? [];
    if (processed.some(([s, e]) => s <= batch.start && batch.end <= e)) {
      // Another job processed this range meanwhile: nothing to write twice.
      outcome = { status: 'succeeded', rows: 0, warnings: [], reason: 'succeeded:already_processed' };
    } else {
      try {
        const ctx = {
          models,
          sqlParser: deps.sqlParser,
          executionTimeMs: run.executionTs,
          readSeedFile: deps.readSeedFile,
          warehouse: deps.warehouse,
          state: deps.state,
        };
        const result = await evaluateAndRecord(env, [batch.start, batch.end], true, ctx, async () => {
          // Fencing: record only while this worker still holds the batch. Within the first half of the lease
          // nobody can have taken it over, so the check (a write) is only needed for long batches.
          if (deps.clock.nowMs() - startedMs < BATCH_LEASE_MS / 2) return;
          const leaseUntil = deps.clock.nowMs() + BATCH_LEASE_MS;
          if (!(await deps.jobs.renewRunBatch(run.runId, batch.batchId, owner, leaseUntil))) {
            throw new LeaseLostError(batch.batchId);
          }
        });
        outcome = { status: 'succeeded', rows: result.rows, warnings: result.warnings };
      } catch (error) {
        if (error instanceof LeaseLostError) return undefined;
        outcome = { status: 'failed', error };
      }
    }
  }
  const record = batchRecord({ ...batch }, outcome, startedMs, deps.clock.nowMs());
  if (!(await deps.jobs.finishRunBatch(run.runId, batch.batchId, owner, record.status, record.reason))) return undefined;
  deps.reporter.batchFinished(record);
  await deps.state.putBatch(record);
  return record.status;
}

/** A worker found that its lease had been taken over; it stops without recording anything. */
class LeaseLostError extends Error {
  constructor(batchId: string) {
    super(`lease on batch ${batchId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Pending batches whose dependency failed or was skipped are skipped, naming the model that failed first.
 * Returns the batches by id as they stand afterwards.
 */
async function skipDependentsOfFailures(
  batches: readonly RunBatchState[],
  run: RunRecord,
  deps: RunJobDeps,
): Promise<Map<string, RunBatchState>> {
  const rootCause = new Map<string, string>();
  const causeOf = (b: RunBatchState): string | undefined => {
    if (b.status === 'failed') return b.model;
    if (b.status === 'skipped') return rootCause.get(b.batchId) ?? b.reason?.replace(/^skipped:upstream_failed:/, '');
    return undefined;
  };
  let changed = true;
  const state = new Map(batches.map((b) => [b.batchId, b]));
  while (changed) {
    changed = false;
    for (const b of state.values()) {
      if (b.status !== 'pending') continue;
      const failedDep = b.dependsOn.map((d) => state.get(d)).find((d) => d && (d.status === 'failed' || d.status === 'skipped'));
      if (!failedDep) continue;
      const cause = causeOf(failedDep) ?? failedDep.model;
      const reason = `skipped:upstream_failed:${cause}`;
      rootCause.set(b.batchId, cause);
      state.set(b.batchId, { ...b, status: 'skipped', reason });
      changed = true;
      if (await deps.jobs.finishRunBatch(run.runId, b.batchId, '', 'skipped', reason)) {
        const record = batchRecord(b, { status: 'skipped', reason }, undefined, deps.clock.nowMs());
        deps.reporter.batchFinished(record);
        await deps.state.putBatch(record);
      }
    }
  }
  return state;
}

/** The models a job evaluates: the snapshots pinned on its run record. */
async function jobModels(run: RunRecord, deps: RunJobDeps): Promise<Map<string, EnvironmentModel>> {
  if (!run.snapshots) throw new NotFoundError(`run '${run.runId}' has no pinned snapshots; it was not prepared as a job`);
  const snapshots = await deps.state.getSnapshots(run.snapshots);
  return new Map(snapshots.map((s) => [s.name, { snapshot: s, stored: decodeStoredModel(s) }]));
}

/**
 * Closes a run job: every batch's outcome counted, the run marked succeeded or failed with its reason. A batch
 * still unfinished (the job was cut short) is reported as `interrupted`.
 */
export async function finishRunJob(input: { runId: string; error?: string }, deps: RunJobDeps): Promise<RunRecord> {
  const run = await deps.state.getRun(input.runId);
  if (!run) throw new NotFoundError(`run '${input.runId}' does not exist`);
  const batches = await deps.jobs.listRunBatches(input.runId);
  const records = (await deps.state.listBatches(input.runId)).filter((r) => batches.some((b) => b.batchId === r.batchId));
  const unfinished = batches.filter((b) => !TERMINAL.has(b.status));
  let finished = finishRun(run, records, deps.clock.nowMs());
  if (unfinished.length > 0 || input.error) {
    finished = {
      ...finished,
      status: 'failed',
      reason: input.error ? `error:${toError(input.error).message}` : `interrupted:${unfinished.length}_batches_unfinished`,
    };
  }
  await deps.state.putRun(finished);
  return finished;
}
