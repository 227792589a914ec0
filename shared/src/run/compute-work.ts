import type { ModelDefinition } from '../project/model';
import type { Interval } from '../schedule/interval';
import { computeMissingIntervals, schedulingModelOf } from '../schedule/missing-intervals';
import { cronFloor, cronPrev } from '../schedule/cron';
import { toEpochMs } from '../time/time-like';
import { intervalKeyString } from '../ports/state-store';
import type { EnvironmentModel } from './environment-model';
import type { ModelWork } from './plan-batches';

export interface ComputeWorkOptions {
  /** The run's execution time: intervals up to the latest completed cron tick before it are due. */
  readonly executionTimeMs: number;
  /** Wall-clock now, for relative `start` values. */
  readonly nowMs: number;
  /** When set, only these models get missing intervals (the others still gate their children). */
  readonly only?: ReadonlySet<string>;
  /** Treat every model as due regardless of its cron (complete unit intervals only). */
  readonly ignoreCron?: boolean;
}

export interface EnvironmentWork {
  readonly works: Map<string, ModelWork>;
  /** Models parents-first. */
  readonly order: string[];
  /** Resolved start of each model (explicit, inherited from parents, or the sliding default). */
  readonly starts: Map<string, number>;
}

/** Kinds whose table is a set of time ranges rather than one whole snapshot. */
function isTimeRanged(model: ModelDefinition): boolean {
  return model.kind.name === 'INCREMENTAL_BY_TIME_RANGE' || model.kind.name === 'INCREMENTAL_BY_UNIQUE_KEY';
}

/** SQLMesh's depends-on-past set (§2.4): batches strictly in order, stop at the first gap. */
function isDependsOnPast(model: ModelDefinition): boolean {
  return model.kind.name !== 'INCREMENTAL_BY_TIME_RANGE' || model.dependsOnSelf;
}

/**
 * Works out, for every model of an environment, what is missing at the execution time, and how the
 * models gate each other. Pure: intervals come in from the state store.
 */
export function computeWork(
  models: ReadonlyMap<string, EnvironmentModel>,
  intervals: ReadonlyMap<string, Interval[]>,
  options: ComputeWorkOptions,
): EnvironmentWork {
  const order = topologicalOrder(models);
  const parentsOf = (name: string): string[] => schedulingParents(name, models);
  const starts = resolveStarts(models, order, options.nowMs);
  const works = new Map<string, ModelWork>();

  for (const name of order) {
    const env = models.get(name) as EnvironmentModel;
    const model = env.stored.model;
    const kind = model.kind;
    if (kind.name === 'EMBEDDED') continue;
    const processed = intervals.get(intervalKeyString({ name, version: env.snapshot.version })) ?? [];
    const start = starts.get(name);
    const wanted = kind.name !== 'EXTERNAL' && (options.only === undefined || options.only.has(name));
    const missing =
      wanted && start !== undefined && start < options.executionTimeMs
        ? computeMissingIntervals(schedulingModelOf(model), processed, {
            start,
            end: options.executionTimeMs,
            executionTimeMs: options.executionTimeMs,
            ignoreCron: options.ignoreCron ?? false,
          }, options.nowMs)
        : [];
    const batchSize = kind.name === 'INCREMENTAL_BY_TIME_RANGE' || kind.name === 'INCREMENTAL_BY_UNIQUE_KEY' ? kind.batchSize : undefined;
    works.set(name, {
      name,
      version: env.snapshot.version,
      timeRanged: isTimeRanged(model),
      dependsOnPast: isDependsOnPast(model),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(kind.name === 'INCREMENTAL_BY_TIME_RANGE' && kind.batchConcurrency !== undefined
        ? { batchConcurrency: kind.batchConcurrency }
        : {}),
      parents: parentsOf(name),
      processed,
      missing,
      ...(start !== undefined ? { startMs: start } : {}),
      alwaysReady: kind.name === 'EXTERNAL',
    });
  }
  return { works, order: order.filter((n) => works.has(n)), starts };
}

/**
 * A model's start: its own `start`, else the earliest start of its parents, else (no parents either) the
 * start of the last complete cron period — SQLMesh's sliding default (§4.7).
 */
function resolveStarts(
  models: ReadonlyMap<string, EnvironmentModel>,
  order: readonly string[],
  nowMs: number,
): Map<string, number> {
  const starts = new Map<string, number>();
  for (const name of order) {
    const model = (models.get(name) as EnvironmentModel).stored.model;
    if (model.start !== undefined) {
      starts.set(name, toEpochMs(model.start, nowMs));
      continue;
    }
    const parentStarts = model.dependsOn
      .map((p) => starts.get(p))
      .filter((s): s is number => s !== undefined);
    if (parentStarts.length > 0) starts.set(name, Math.min(...parentStarts));
    else if (model.kind.name !== 'EXTERNAL') {
      starts.set(name, cronPrev(model.cron, model.cronTz, cronFloor(model.cron, model.cronTz, nowMs)));
    }
  }
  return starts;
}

/** Parents for scheduling: EMBEDDED models are inlined, so their own parents stand in for them. */
export function schedulingParents(name: string, models: ReadonlyMap<string, EnvironmentModel>): string[] {
  const out = new Set<string>();
  const visit = (parent: string, seen: Set<string>): void => {
    if (seen.has(parent)) return;
    seen.add(parent);
    const env = models.get(parent);
    if (!env) return;
    if (env.stored.model.kind.name === 'EMBEDDED') {
      for (const p of env.stored.model.dependsOn) visit(p, seen);
    } else {
      out.add(parent);
    }
  };
  const model = models.get(name)?.stored.model;
  for (const p of model?.dependsOn ?? []) if (p !== name) visit(p, new Set([name]));
  return [...out].sort();
}

/** Parents before children; ties broken by name so runs are reproducible. */
export function topologicalOrder(models: ReadonlyMap<string, EnvironmentModel>): string[] {
  const indegree = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [name, env] of models) {
    const parents = [...new Set(env.stored.model.dependsOn)].filter((p) => p !== name && models.has(p));
    indegree.set(name, parents.length);
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), name]);
  }
  const ready = [...indegree].filter(([, n]) => n === 0).map(([n]) => n).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const child of children.get(name) ?? []) {
      const left = (indegree.get(child) as number) - 1;
      indegree.set(child, left);
      if (left === 0) {
        ready.push(child);
        ready.sort();
      }
    }
  }
  if (order.length !== models.size) throw new Error('internal: environment models form a cycle');
  return order;
}
