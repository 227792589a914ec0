import type { Interval } from '../schedule/interval';
import { isCovered, mergeIntervals } from '../schedule/intervals';

/**
 * From each model's missing cells to the batches of one run, with the dependencies between them.
 *
 * Meshcron deliberately differs from SQLMesh here (R13, R14): a child's cell is scheduled only when every
 * time-ranged parent has processed, or will process earlier in this same run, the same range. Cells that
 * fail this check are deferred to a later run and reported with the upstream they wait for. Parents that
 * are not time-ranged (FULL, VIEW, SEED, EXTERNAL) only need to hold data at all: their table is a whole
 * snapshot, not a set of time ranges.
 */

/** Everything the batch planner needs to know about one model in the environment. */
export interface ModelWork {
  readonly name: string;
  readonly version: string;
  /** True for INCREMENTAL_BY_TIME_RANGE and INCREMENTAL_BY_UNIQUE_KEY: their data is a set of time ranges. */
  readonly timeRanged: boolean;
  /** Batches must run one after another, and stop at the first cell that cannot run. */
  readonly dependsOnPast: boolean;
  /** Unit cells per batch; undefined = one batch per contiguous run. */
  readonly batchSize?: number;
  /** Batches of this model allowed at once; undefined = unlimited. */
  readonly batchConcurrency?: number;
  /** Scheduling parents (through EMBEDDED models), restricted to models of the environment. */
  readonly parents: readonly string[];
  readonly processed: readonly Interval[];
  /** Missing unit cells, sorted (already including lookback cells). */
  readonly missing: readonly Interval[];
  /** The parent imposes no coverage requirement before this instant (cells before a parent's start). */
  readonly startMs?: number;
  /** Never gates children (EXTERNAL, or a SEED that will be loaded in this run or already is). */
  readonly alwaysReady: boolean;
}

export interface PlannedBatch {
  /** `<model>|<version>|<start>|<end>`: stable, carries IDs only. */
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly interval: Interval;
  /** 0-based position among this model's batches in this run. */
  readonly index: number;
  readonly dependsOn: readonly string[];
}

export interface DeferredRange {
  readonly model: string;
  readonly interval: Interval;
  /** The parent whose data does not cover the range yet. */
  readonly waitingFor: string;
}

export interface BatchPlan {
  readonly batches: readonly PlannedBatch[];
  readonly deferred: readonly DeferredRange[];
}

export function batchId(model: string, version: string, interval: Interval): string {
  return `${model}|${version}|${interval[0]}|${interval[1]}`;
}

/**
 * Plans the batches of one run. `order` must list the models parents-first (a topological order).
 */
export function planBatches(works: ReadonlyMap<string, ModelWork>, order: readonly string[]): BatchPlan {
  const batchesByModel = new Map<string, PlannedBatch[]>();
  const coverage = new Map<string, Interval[]>();
  const all: PlannedBatch[] = [];
  const deferred: DeferredRange[] = [];

  for (const name of order) {
    const work = works.get(name);
    if (!work) continue;
    const { ready, waiting } = readyCells(work, works, coverage);
    deferred.push(...waiting);
    const batches = toBatches(work, ready, works, batchesByModel);
    batchesByModel.set(name, batches);
    all.push(...batches);
    coverage.set(name, mergeIntervals([...work.processed, ...batches.map((b) => b.interval)]));
  }
  return { batches: all, deferred };
}

function readyCells(
  work: ModelWork,
  works: ReadonlyMap<string, ModelWork>,
  coverage: ReadonlyMap<string, Interval[]>,
): { ready: Interval[]; waiting: DeferredRange[] } {
  const ready: Interval[] = [];
  const waiting: DeferredRange[] = [];
  for (let i = 0; i < work.missing.length; i++) {
    const cell = work.missing[i] as Interval;
    const blocker = work.parents.find((p) => !parentCovers(works.get(p), coverage.get(p) ?? [], cell));
    if (blocker === undefined) {
      ready.push(cell);
      continue;
    }
    if (work.dependsOnPast) {
      // Later cells of a depends-on-past model cannot run before this one: they wait too.
      for (const later of work.missing.slice(i)) waiting.push({ model: work.name, interval: later, waitingFor: blocker });
      break;
    }
    waiting.push({ model: work.name, interval: cell, waitingFor: blocker });
  }
  return { ready, waiting: mergeWaiting(waiting) };
}

function parentCovers(parent: ModelWork | undefined, parentCoverage: readonly Interval[], cell: Interval): boolean {
  if (!parent || parent.alwaysReady) return true;
  if (!parent.timeRanged) return parentCoverage.length > 0;
  const from = Math.max(cell[0], parent.startMs ?? Number.NEGATIVE_INFINITY);
  if (from >= cell[1]) return true;
  return isCovered(parentCoverage, from, cell[1]);
}

function mergeWaiting(waiting: DeferredRange[]): DeferredRange[] {
  const out: DeferredRange[] = [];
  for (const w of waiting) {
    const last = out[out.length - 1];
    if (last && last.model === w.model && last.waitingFor === w.waitingFor && last.interval[1] === w.interval[0]) {
      out[out.length - 1] = { ...last, interval: [last.interval[0], w.interval[1]] };
    } else {
      out.push(w);
    }
  }
  return out;
}

function toBatches(
  work: ModelWork,
  cells: readonly Interval[],
  works: ReadonlyMap<string, ModelWork>,
  batchesByModel: ReadonlyMap<string, PlannedBatch[]>,
): PlannedBatch[] {
  const ranges: Interval[] = [];
  let current: [number, number] | undefined;
  let count = 0;
  for (const cell of cells) {
    const contiguous = current !== undefined && current[1] === cell[0];
    const full = work.batchSize !== undefined && count >= work.batchSize;
    if (current && contiguous && !full) {
      current[1] = cell[1];
      count += 1;
    } else {
      if (current) ranges.push([current[0], current[1]]);
      current = [cell[0], cell[1]];
      count = 1;
    }
  }
  if (current) ranges.push([current[0], current[1]]);

  const step = work.dependsOnPast ? 1 : work.batchConcurrency;
  const ids = ranges.map((r) => batchId(work.name, work.version, r));
  return ranges.map((range, index) => {
    const deps = new Set<string>();
    for (const parent of work.parents) {
      for (const pb of upstreamBatches(parent, works, batchesByModel, new Set())) {
        if (dependsOnUpstream(work, range, pb.interval)) deps.add(pb.id);
      }
    }
    if (step !== undefined && index >= step) deps.add(ids[index - step] as string);
    return {
      id: ids[index] as string,
      model: work.name,
      version: work.version,
      interval: range,
      index,
      dependsOn: [...deps].sort(),
    };
  });
}

/**
 * A child batch waits for the parent batches covering its range. A child that is not time-ranged reads the
 * parent's whole table, so it waits for every parent batch that starts before its range ends.
 */
function dependsOnUpstream(child: ModelWork, childRange: Interval, parentRange: Interval): boolean {
  if (!child.timeRanged) return parentRange[0] < childRange[1];
  return parentRange[0] < childRange[1] && childRange[0] < parentRange[1];
}

/** The parent's batches, or, when it has none in this run, its nearest ancestors' batches. */
function upstreamBatches(
  name: string,
  works: ReadonlyMap<string, ModelWork>,
  batchesByModel: ReadonlyMap<string, PlannedBatch[]>,
  seen: Set<string>,
): PlannedBatch[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const own = batchesByModel.get(name) ?? [];
  if (own.length > 0) return own;
  return (works.get(name)?.parents ?? []).flatMap((p) => upstreamBatches(p, works, batchesByModel, seen));
}
