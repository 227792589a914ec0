import { SchedulerError } from '../errors';
import { instant, resolveTimeInput, type TimeInput } from '../time/time-like';
import { cronNext } from './cron';
import type { Interval } from './interval';
import { inclusiveExclusiveResolved } from './interval-normalise';
import { unitFloor, unitMs, unitNext } from './interval-unit';
import { mergeIntervals, removeInterval } from './intervals';
import { dependsOnPast, isFullHistoryRestatementOnly, type SchedulingModel } from './scheduling-model';

/** Options of {@link removalInterval}. */
export interface RemovalIntervalOptions {
  /** Throw when the range normalises to nothing (default true). */
  readonly strict?: boolean;
  /**
   * True when the removal only triggers a dev preview of a forward-only change; such a removal is never
   * widened to the whole history.
   */
  readonly isPreview?: boolean;
}

/**
 * The processed range to clear when restating `[start, end]` of a model (SQLMesh `get_removal_interval`, §4.6):
 * - a depends-on-past model is cleared up to the execution time, since every later interval built on the
 *   restated ones;
 * - a kind that can only restate whole history is widened back to its first processed interval;
 * - the range is then aligned outward to whole units.
 */
export function removalInterval(
  model: SchedulingModel,
  processed: readonly Interval[],
  start: TimeInput,
  end: TimeInput,
  executionTimeMs: number,
  nowMs: number,
  options: RemovalIntervalOptions = {},
): Interval {
  const { strict = true, isPreview = false } = options;
  const effectiveEnd = dependsOnPast(model) ? instant(executionTimeMs) : resolveTimeInput(end, nowMs);
  const normalise = (from: number): Interval =>
    inclusiveExclusiveResolved(from, effectiveEnd, model.intervalUnit, { allowPartial: model.allowPartials, strict });
  const requested = normalise(resolveTimeInput(start, nowMs).ms);
  const first = mergeIntervals(processed)[0];
  if (!isPreview && isFullHistoryRestatementOnly(model) && first) return normalise(first[0]);
  return requested;
}

/** Removes the {@link removalInterval} of `[start, end]` from a model's processed intervals. */
export function restateIntervals(
  model: SchedulingModel,
  processed: readonly Interval[],
  start: TimeInput,
  end: TimeInput,
  executionTimeMs: number,
  nowMs: number,
): Interval[] {
  return removeInterval(
    mergeIntervals(processed),
    removalInterval(model, processed, start, end, executionTimeMs, nowMs),
  );
}

/** What the state remembers about a model's auto restatements. */
export interface AutoRestatementState {
  /** When the next auto restatement is due (epoch ms); undefined = never scheduled yet. */
  readonly nextAutoRestatementTs?: number;
  /** When the snapshot was created; the first auto-restatement tick is the one after it. */
  readonly createdTs?: number;
}

/**
 * The range an auto restatement should clear now, or undefined when none is due (SQLMesh
 * `get_next_auto_restatement_interval`): due once the execution time reaches the next auto-restatement tick;
 * the last `auto_restatement_intervals` unit intervals before `unit_floor(T)` (a month counts as 28 days there),
 * or the whole processed history when that count is unset.
 */
export function nextAutoRestatementInterval(
  model: SchedulingModel,
  processed: readonly Interval[],
  state: AutoRestatementState,
  executionTimeMs: number,
): Interval | undefined {
  const merged = mergeIntervals(processed);
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (!first || !last || model.autoRestatementCron === undefined || model.disableRestatement) return undefined;
  const dueAt =
    state.nextAutoRestatementTs ??
    cronNext(model.autoRestatementCron, undefined, state.createdTs ?? executionTimeMs);
  if (executionTimeMs < dueAt) return undefined;
  if (model.autoRestatementIntervals === undefined) return [first[0], last[1]];
  const end = unitFloor(model.intervalUnit, executionTimeMs);
  return [end - model.autoRestatementIntervals * unitMs(model.intervalUnit), end];
}

/** The next auto-restatement tick after the execution time, or undefined when the model has none. */
export function nextAutoRestatementTs(model: SchedulingModel, executionTimeMs: number): number | undefined {
  if (model.autoRestatementCron === undefined || model.disableRestatement) return undefined;
  return cronNext(model.autoRestatementCron, undefined, executionTimeMs);
}

/** Result of {@link applyAutoRestatements}, keyed by model name. */
export interface AutoRestatementResult {
  /** The range each affected model must clear and re-process (its own tick or an upstream one). */
  readonly pendingRestatements: Map<string, Interval>;
  /** Processed intervals after removing the pending restatements (only for models that were considered). */
  readonly intervalsAfter: Map<string, Interval[]>;
  /** The next auto-restatement tick per considered model (undefined when it has no auto restatement). */
  readonly nextAutoRestatementTs: Map<string, number | undefined>;
  /** For each affected model, the auto-restating models that caused it (itself when its own tick fired). */
  readonly triggers: Map<string, string[]>;
}

/**
 * Applies due auto restatements across a run (SQLMesh `apply_auto_restatements`, §6.5 step 4). `models` must
 * be in topological order (parents first). Each model clears the union of its own due range and its parents'
 * cleared ranges, widened outward to its own unit and through {@link removalInterval}; models with
 * `disable_restatement` are left untouched and do not pass ranges on.
 */
export function applyAutoRestatements(
  models: readonly SchedulingModel[],
  processed: ReadonlyMap<string, readonly Interval[]>,
  state: ReadonlyMap<string, AutoRestatementState>,
  executionTimeMs: number,
  nowMs: number,
): AutoRestatementResult {
  const position = new Map(models.map((m, i) => [m.name, i]));
  const pendingRestatements = new Map<string, Interval>();
  const intervalsAfter = new Map<string, Interval[]>();
  const nextTs = new Map<string, number | undefined>();
  const triggers = new Map<string, string[]>();

  models.forEach((model, index) => {
    for (const parent of model.parents) {
      if ((position.get(parent) ?? -1) > index) {
        throw new SchedulerError(`applyAutoRestatements: '${parent}' must come before its child '${model.name}'`);
      }
    }
    if (model.disableRestatement) return;
    const own = processed.get(model.name) ?? [];
    const ranges = model.parents
      .map((p) => pendingRestatements.get(p))
      .filter((r): r is Interval => r !== undefined);
    const due = nextAutoRestatementInterval(model, own, state.get(model.name) ?? {}, executionTimeMs);
    let modelTriggers: string[];
    if (due) {
      ranges.push(due);
      modelTriggers = [model.name];
    } else {
      modelTriggers = [...new Set(model.parents.flatMap((p) => triggers.get(p) ?? []))];
    }
    if (modelTriggers.length > 0) triggers.set(model.name, modelTriggers);

    let after = mergeIntervals(own);
    if (ranges.length > 0) {
      const lo = Math.min(...ranges.map((r) => r[0]));
      const hi = Math.max(...ranges.map((r) => r[1]));
      const unit = model.intervalUnit;
      const removeStart = unitFloor(unit, lo);
      let removeEnd = unitFloor(unit, hi);
      if (hi > removeEnd) removeEnd = unitNext(unit, removeEnd);
      const removal = removalInterval(model, own, instant(removeStart), instant(removeEnd), executionTimeMs, nowMs);
      pendingRestatements.set(model.name, removal);
      after = removeInterval(after, removal);
    }
    intervalsAfter.set(model.name, after);
    nextTs.set(model.name, nextAutoRestatementTs(model, executionTimeMs));
  });
  return { pendingRestatements, intervalsAfter, nextAutoRestatementTs: nextTs, triggers };
}
