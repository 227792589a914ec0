import type { EnvironmentRecord } from '../../shared/src/ports/state-store';
import type { ModelStatus } from '../../shared/src/run/environment-status';
import { mergeIntervals } from '../../shared/src/schedule/intervals';
import { isoRange, isoTime, isoTimeOrNull } from './present-time';

/** One model of an environment as the API shows it. */
export interface ModelView {
  readonly name: string;
  readonly kind: string;
  readonly version: string;
  /** Processed `[start, end)` ranges, merged, as ISO instants. */
  readonly processed: [string, string][];
  /** Due but unprocessed ranges, merged. */
  readonly behind: [string, string][];
  /** Next cron tick; null for models that never run on a cron (SEED, EXTERNAL, EMBEDDED). */
  readonly nextRun: string | null;
  readonly lastBatch: { readonly status: string; readonly reason: string; readonly finishedAt: string } | null;
  /** The pause holding the model back; null when it runs normally. */
  readonly paused: { readonly id: string; readonly reason: string | null } | null;
}

/** An environment in the list, with how many of its models are up to date. */
export interface EnvironmentSummaryView {
  readonly name: string;
  readonly planId: string;
  /** When the last promotion finished; null while a plan is still applying. */
  readonly finalizedTs: string | null;
  readonly updated: string;
  /** Model counts; null when the environment's models could not be read (see `problem`). */
  readonly models: number | null;
  /** Models with nothing due and unprocessed. */
  readonly complete: number | null;
  /** Models with due intervals missing that are not paused. */
  readonly behind: number | null;
  /** Models a pause holds back, behind or not (counted apart from `complete` and `behind`). */
  readonly paused: number | null;
  readonly problem?: string;
}

export function presentModel(status: ModelStatus): ModelView {
  return {
    name: status.name,
    kind: status.kind,
    version: status.version,
    processed: status.processed.map(isoRange),
    behind: mergeIntervals(status.behind).map(isoRange),
    nextRun: isoTimeOrNull(status.nextRunMs),
    lastBatch: status.lastBatch
      ? { status: status.lastBatch.status, reason: status.lastBatch.reason, finishedAt: isoTime(status.lastBatch.finishedTs) }
      : null,
    paused: status.paused ? { id: status.paused.id, reason: status.paused.reason ?? null } : null,
  };
}

function environmentFields(env: EnvironmentRecord): Pick<EnvironmentSummaryView, 'name' | 'planId' | 'finalizedTs' | 'updated'> {
  return { name: env.name, planId: env.planId, finalizedTs: isoTimeOrNull(env.finalizedTs), updated: isoTime(env.updatedTs) };
}

/**
 * An environment with its freshness counts, or with `problem` when its models could not be read, so one
 * damaged environment does not hide the others from the list.
 */
export function presentEnvironmentSummary(
  env: EnvironmentRecord,
  models: readonly ModelStatus[] | { readonly problem: string },
): EnvironmentSummaryView {
  if ('problem' in models) {
    return { ...environmentFields(env), models: null, complete: null, behind: null, paused: null, problem: models.problem };
  }
  // Paused models are their own category: a pause is a decision, not a model falling behind.
  const paused = models.filter((m) => m.paused !== undefined).length;
  const behind = models.filter((m) => m.paused === undefined && m.behind.length > 0).length;
  return { ...environmentFields(env), models: models.length, complete: models.length - behind - paused, behind, paused };
}

/** An environment with every model's status. */
export interface EnvironmentView extends Pick<EnvironmentSummaryView, 'name' | 'planId' | 'finalizedTs' | 'updated'> {
  readonly previousPlanId: string | null;
  /** The instant the statuses were computed for. */
  readonly asOf: string;
  /** How many models a pause holds back. */
  readonly paused: number;
  readonly models: ModelView[];
}

/** An environment with every model's status, as of `asOfMs`. */
export function presentEnvironment(env: EnvironmentRecord, models: readonly ModelStatus[], asOfMs: number): EnvironmentView {
  return {
    ...environmentFields(env),
    previousPlanId: env.previousPlanId ?? null,
    asOf: isoTime(asOfMs),
    paused: models.filter((m) => m.paused !== undefined).length,
    models: models.map(presentModel),
  };
}
