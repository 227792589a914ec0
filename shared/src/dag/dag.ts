import { DagCycleError, NotFoundError, type SourceLocation } from '../errors';
import { findCycle } from './find-cycle';
import { MinHeap } from './min-heap';

/** What the DAG needs of a model (a ModelDefinition fits). */
export interface DagModel {
  readonly name: string;
  /** Parent names; names not among the models given to {@link buildDag} are ignored, as is the model itself. */
  readonly dependsOn: readonly string[];
  readonly location?: SourceLocation;
}

/** The model graph: edges go from a model to the parents it depends on. */
export interface Dag {
  /** Model names, sorted. */
  readonly nodes: readonly string[];
  /** Parents of each model (sorted, restricted to the graph's models). */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  /** Children of each model (sorted). */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Every model after all of its parents; ties broken by name, so the order is deterministic. */
  readonly order: readonly string[];
}

/**
 * Builds the graph of `models` and orders it.
 *
 * @throws DagCycleError listing the cycle as `a -> b -> ... -> a`, where each model depends on the next, with
 *   the file:line of the first model in it.
 * @example
 * buildDag([{ name: 'a.x', dependsOn: [] }, { name: 'a.y', dependsOn: ['a.x'] }]).order; // ['a.x', 'a.y']
 */
export function buildDag(models: Iterable<DagModel> | ReadonlyMap<string, DagModel>): Dag {
  const list = isMap(models) ? [...models.values()] : [...models];
  const byName = new Map(list.map((m) => [m.name, m]));
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const name of byName.keys()) children.set(name, []);
  for (const model of byName.values()) {
    const own = [...new Set(model.dependsOn)].filter((p) => p !== model.name && byName.has(p)).sort();
    parents.set(model.name, own);
    for (const parent of own) (children.get(parent) as string[]).push(model.name);
  }
  for (const list_ of children.values()) list_.sort();

  const order = kahnOrder(parents, children);
  if (order.length < byName.size) {
    const placed = new Set(order);
    const cycle = findCycle(
      [...byName.keys()].filter((n) => !placed.has(n)).sort(),
      (name) => (parents.get(name) ?? []).filter((p) => !placed.has(p)),
    );
    throw new DagCycleError(cycle, byName.get(cycle[0] as string)?.location);
  }
  return { nodes: [...byName.keys()].sort(), parents, children, order };
}

/** Models in dependency order (parents first, ties by name). */
export function topologicalOrder(dag: Dag): string[] {
  return [...dag.order];
}

/**
 * Every model `name` depends on, directly or not, sorted.
 *
 * @throws NotFoundError when `name` is not in the graph.
 */
export function ancestors(dag: Dag, name: string): string[] {
  return reachable(dag, name, dag.parents);
}

/**
 * Every model that depends on `name`, directly or not, sorted.
 *
 * @throws NotFoundError when `name` is not in the graph.
 */
export function descendants(dag: Dag, name: string): string[] {
  return reachable(dag, name, dag.children);
}

function reachable(dag: Dag, name: string, edges: ReadonlyMap<string, readonly string[]>): string[] {
  if (!edges.has(name)) throw new NotFoundError(`model '${name}' is not in the graph`);
  const seen = new Set<string>();
  const stack = [...(edges.get(name) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return [...seen].sort();
}

/** Kahn's algorithm with a name-ordered ready queue: deterministic whatever the input order. */
function kahnOrder(parents: ReadonlyMap<string, readonly string[]>, children: ReadonlyMap<string, readonly string[]>): string[] {
  const waiting = new Map<string, number>();
  const ready = new MinHeap<string>((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, own] of parents) {
    waiting.set(name, own.length);
    if (own.length === 0) ready.push(name);
  }
  const order: string[] = [];
  while (ready.size > 0) {
    const name = ready.pop() as string;
    order.push(name);
    for (const child of children.get(name) ?? []) {
      const left = (waiting.get(child) as number) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return order;
}

function isMap(models: Iterable<DagModel> | ReadonlyMap<string, DagModel>): models is ReadonlyMap<string, DagModel> {
  return models instanceof Map;
}
