import { type HeldBatch, holdPausedBatches } from '../pause/hold-paused-batches';
import { pausedModels } from '../pause/paused-models';
import type { EnvironmentRecord, PauseRecord, StateStore } from '../ports/state-store';
import { computeWork } from './compute-work';
import type { EnvironmentModel } from './environment-model';
import { loadEnvironment } from './load-environment';
import { type BatchPlan, type PlannedBatch, planBatches } from './plan-batches';

export interface PlanDueRunOptions {
  readonly environment: string;
  /** Intervals up to the latest completed cron tick before this instant are due. */
  readonly executionTimeMs: number;
  readonly ignoreCron?: boolean;
  /** Plan as if this pause did not exist (what resuming it would run). */
  readonly withoutPause?: string;
}

/** What one run of an environment would do now. */
export interface DueRun {
  readonly environment: EnvironmentRecord;
  readonly models: Map<string, EnvironmentModel>;
  /** Every due batch, paused or not, with the deferred ranges. */
  readonly plan: BatchPlan;
  /** The batches the run executes. */
  readonly runnable: readonly PlannedBatch[];
  /** The batches pauses hold back: recorded as skipped, never executed. */
  readonly held: readonly HeldBatch[];
  /** The pause holding each paused model. */
  readonly paused: ReadonlyMap<string, PauseRecord>;
}

/**
 * The batches of one `run` of an environment: what is due at the execution time, split by the environment's
 * pauses. The in-process run, the run job's prepare step, the tick and the resume preview all plan through
 * this one function, so a preview lists exactly what the next run executes.
 */
export async function planDueRun(state: StateStore, options: PlanDueRunOptions): Promise<DueRun> {
  const { environment, models } = await loadEnvironment(state, options.environment);
  const keys = [...models.values()].map((m) => ({ name: m.snapshot.name, version: m.snapshot.version }));
  const [intervals, pauses] = await Promise.all([state.getIntervals(keys), state.listPauses(environment.name)]);
  // Relative starts resolve against the execution time, so `--execution-time` replays a run exactly.
  const work = computeWork(models, intervals, {
    executionTimeMs: options.executionTimeMs,
    nowMs: options.executionTimeMs,
    ...(options.ignoreCron ? { ignoreCron: true } : {}),
  });
  const plan = planBatches(work.works, work.order);
  const paused = pausedModels(
    pauses.filter((p) => p.pauseId !== options.withoutPause),
    new Map([...models].map(([name, m]) => [name, m.stored.model])),
  );
  const { runnable, held } = holdPausedBatches(plan.batches, paused);
  return { environment, models, plan, runnable, held, paused };
}
