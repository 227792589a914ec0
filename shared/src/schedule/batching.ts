import { SchedulerError } from '../errors';
import type { Interval, IntervalUnit } from './interval';
import { unitNext } from './interval-unit';
import { intervalDiff, mergeIntervals } from './intervals';
import { dependsOnPast, effectiveBatchConcurrency, type SchedulingModel } from './scheduling-model';

/**
 * From missing ranges to batches and the batch DAG (§4.8 steps 2-6).
 */

/** Readiness of a model's cells, e.g. its signals: returns the ready subset of the cells it is given. */
export type ReadinessCheck = (cells: readonly Interval[]) => readonly Interval[];

/** Splits ranges into unit cells; a range end that is not on a unit boundary gives a final partial cell. */
export function expandToCells(unit: IntervalUnit, ranges: readonly Interval[]): Interval[] {
  const cells: Interval[] = [];
  for (const [start, end] of ranges) {
    let a = start;
    while (a < end) {
      const b = Math.min(unitNext(unit, a), end);
      cells.push([a, b]);
      a = b;
    }
  }
  return cells;
}

/**
 * Cuts ready cells into batches: a new batch starts when the current one holds `batchSize` cells or the next
 * cell does not continue it. Without `batchSize` each contiguous run is one batch.
 */
export function cutBatches(cells: readonly Interval[], batchSize?: number): Interval[] {
  const batches: Interval[] = [];
  let first: Interval | undefined;
  let last: Interval | undefined;
  let count = 0;
  for (const cell of cells) {
    if (first && last && ((batchSize !== undefined && batchSize > 0 && count >= batchSize) || cell[0] !== last[1])) {
      batches.push([first[0], last[1]]);
      first = undefined;
      count = 0;
    }
    first ??= cell;
    last = cell;
    count += 1;
  }
  if (first && last) batches.push([first[0], last[1]]);
  return batches;
}

/** Batches per model, plus what was held back as not ready. */
export interface BatchPlan {
  /** Batches per model in this run; a model whose every cell is unready maps to []. */
  readonly batches: Map<string, Interval[]>;
  /**
   * Cells not ready per model (merged): rejected by its own readiness check or by an upstream model's.
   * Cells dropped only because a depends-on-past model stopped at its first unready cell are not included.
   */
  readonly unready: Map<string, Interval[]>;
}

function checkOrder(models: readonly SchedulingModel[]): void {
  const position = new Map(models.map((m, i) => [m.name, i]));
  models.forEach((model, index) => {
    for (const parent of model.parents) {
      if ((position.get(parent) ?? -1) > index) {
        throw new SchedulerError(`models must be in DAG order: '${parent}' comes after its child '${model.name}'`);
      }
    }
  });
}

/**
 * §4.8 steps 2-5 (SQLMesh `Scheduler.batch_intervals`). `models` must be in topological order (parents first);
 * `missing` holds each model's merged missing ranges for this run (models absent from it have nothing to do and
 * pass no unreadiness on). Each model's cells are checked for readiness, cells overlapping its own or any
 * upstream unready range are dropped (a depends-on-past model stops at the first such cell, since later
 * intervals need the earlier ones), and the rest are cut into batches of `batch_size` cells.
 *
 * @example
 * batchIntervals([orders], new Map([['db.orders', [[d1, d4]]]])) // batches: Map { 'db.orders' => [[d1, d4]] }
 */
export function batchIntervals(
  models: readonly SchedulingModel[],
  missing: ReadonlyMap<string, readonly Interval[]>,
  readiness: ReadonlyMap<string, ReadinessCheck> = new Map(),
): BatchPlan {
  checkOrder(models);
  const batches = new Map<string, Interval[]>();
  const unreadyByModel = new Map<string, Interval[]>();
  for (const model of models) {
    const ranges = missing.get(model.name);
    if (!ranges) continue;
    const cells = expandToCells(model.intervalUnit, ranges);
    const check = readiness.get(model.name);
    const ready = check ? [...check(cells)].sort((x, y) => x[0] - y[0]) : cells;
    const readyStarts = new Set(ready.map((c) => `${c[0]}|${c[1]}`));
    const unready: Interval[] = cells.filter((c) => !readyStarts.has(`${c[0]}|${c[1]}`));
    for (const parent of model.parents) unready.push(...(unreadyByModel.get(parent) ?? []));
    const mergedUnready = mergeIntervals(unready);
    unreadyByModel.set(model.name, mergedUnready);
    const runnable = intervalDiff(ready, mergedUnready, dependsOnPast(model));
    batches.set(model.name, cutBatches(runnable, model.batchSize));
  }
  return { batches, unready: unreadyByModel };
}

/**
 * Extra dependencies between a model's own batches: with an effective batch concurrency k (1 for
 * depends-on-past models), batch i waits for batch i-k. Unlimited concurrency gives none.
 *
 * @example batchConcurrencyDependencies({ ...m, batchConcurrency: 2 }, 3) // Map { 2 => [0] }
 */
export function batchConcurrencyDependencies(
  model: Pick<SchedulingModel, 'kind' | 'dependsOnSelf' | 'batchConcurrency'>,
  batchCount: number,
): Map<number, number[]> {
  const k = effectiveBatchConcurrency(model);
  const deps = new Map<number, number[]>();
  if (k === undefined || k <= 0) return deps;
  for (let i = k; i < batchCount; i += 1) deps.set(i, [i - k]);
  return deps;
}

/** One evaluation task of the run: a batch of one model. */
export interface BatchTask {
  /** `<model>|<start>|<end>`, stable within a run (the BatchRecord `batchId`). */
  readonly id: string;
  readonly model: string;
  readonly batchIndex: number;
  readonly interval: Interval;
  /** Ids of the tasks that must succeed first. */
  readonly dependsOn: readonly string[];
}

/** The id of a batch task. */
export function batchTaskId(model: string, interval: Interval): string {
  return `${model}|${interval[0]}|${interval[1]}`;
}

/**
 * The task DAG of a run (§4.8 step 6). Every batch of a model waits for all batches of each parent; a parent
 * with nothing to do passes the edge on to its nearest ancestors that have batches. Within a model, batch i
 * also waits for batch i-k (batch concurrency k). `models` must be in topological order.
 */
export function buildBatchDag(
  models: readonly SchedulingModel[],
  batches: ReadonlyMap<string, readonly Interval[]>,
): BatchTask[] {
  checkOrder(models);
  const byName = new Map(models.map((m) => [m.name, m]));
  const upstream = new Map<string, string[]>();
  const upstreamTasks = (name: string, seen: Set<string>): string[] => {
    const cached = upstream.get(name);
    if (cached) return cached;
    const model = byName.get(name);
    if (!model || seen.has(name)) return [];
    seen.add(name);
    const own = batches.get(name) ?? [];
    const ids =
      own.length > 0
        ? own.map((b) => batchTaskId(name, b))
        : [...new Set(model.parents.flatMap((p) => upstreamTasks(p, seen)))];
    upstream.set(name, ids);
    return ids;
  };

  const tasks: BatchTask[] = [];
  for (const model of models) {
    const own = batches.get(model.name) ?? [];
    if (own.length === 0) continue;
    const parentTasks = [...new Set(model.parents.flatMap((p) => upstreamTasks(p, new Set())))];
    const extra = batchConcurrencyDependencies(model, own.length);
    own.forEach((interval, index) => {
      const siblings = (extra.get(index) ?? []).map((j) => batchTaskId(model.name, own[j] as Interval));
      tasks.push({
        id: batchTaskId(model.name, interval),
        model: model.name,
        batchIndex: index,
        interval,
        dependsOn: [...parentTasks, ...siblings],
      });
    });
  }
  return tasks;
}
