/**
 * The lower bound on the makespan of a DAG of batches on `workers` identical workers: no schedule can finish
 * before its longest dependency chain, nor before the total work divided among the workers.
 */

/** A batch with its measured duration and the batches it waited for. */
export interface TimedBatch {
  readonly id: string;
  readonly durationMs: number;
  readonly dependsOn: readonly string[];
}

/** The bound and its two terms. */
export interface MakespanBound {
  /** Longest path through the DAG, summing durations. */
  readonly criticalPathMs: number;
  /** Batch ids on that path, first to last. */
  readonly criticalPath: readonly string[];
  readonly totalWorkMs: number;
  /** `max(criticalPathMs, totalWorkMs / workers)`. */
  readonly boundMs: number;
}

/**
 * Computes {@link MakespanBound}. Dependencies on ids outside `batches` are ignored (they were done before the
 * job started). Throws a RangeError naming a batch on a cycle.
 */
export function makespanBound(batches: readonly TimedBatch[], workers: number): MakespanBound {
  const byId = new Map(batches.map((b) => [b.id, b]));
  // Longest finish time of each batch if it started the moment its last dependency finished.
  const finish = new Map<string, { ms: number; previous?: string }>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = finish.get(id);
    if (known) return known.ms;
    const batch = byId.get(id);
    if (!batch) return 0;
    if (visiting.has(id)) throw new RangeError(`batch '${id}' depends on itself through its dependencies`);
    visiting.add(id);
    let best = 0;
    let previous: string | undefined;
    for (const d of batch.dependsOn) {
      if (!byId.has(d)) continue;
      const ms = visit(d);
      if (previous === undefined || ms > best) {
        best = ms;
        previous = d;
      }
    }
    visiting.delete(id);
    const entry = { ms: best + batch.durationMs, ...(previous !== undefined ? { previous } : {}) };
    finish.set(id, entry);
    return entry.ms;
  };
  let last: string | undefined;
  let criticalPathMs = 0;
  for (const b of batches) {
    const ms = visit(b.id);
    if (last === undefined || ms > criticalPathMs) {
      criticalPathMs = ms;
      last = b.id;
    }
  }
  const criticalPath: string[] = [];
  for (let at = last; at !== undefined; at = finish.get(at)?.previous) criticalPath.unshift(at);
  const totalWorkMs = batches.reduce((s, b) => s + b.durationMs, 0);
  return { criticalPathMs, criticalPath, totalWorkMs, boundMs: Math.max(criticalPathMs, totalWorkMs / workers) };
}

/** Ids of every batch that depends, directly or through others, on `root`. */
export function descendantsOf(batches: readonly TimedBatch[], root: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const b of batches) for (const d of b.dependsOn) children.set(d, [...(children.get(d) ?? []), b.id]);
  const out = new Set<string>();
  const stack = [...(children.get(root) ?? [])];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}
