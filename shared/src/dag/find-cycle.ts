/**
 * Finds one cycle among `nodes` (each of which is known to be on or behind a cycle), following `next` edges.
 * The cycle is rotated to start at its smallest name and closed by repeating it: `['a', 'b', 'a']`. Starting
 * from the smallest node and rotating keeps the reported cycle the same whatever order models were read in.
 */
export function findCycle(nodes: readonly string[], next: (node: string) => readonly string[]): string[] {
  const done = new Set<string>();
  for (const start of nodes) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    // Iterative DFS: each frame is a node and the index of the next edge to try.
    const frames: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    onPath.set(start, 0);
    path.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { node: string; edge: number };
      const edges = next(frame.node);
      if (frame.edge >= edges.length) {
        frames.pop();
        path.pop();
        onPath.delete(frame.node);
        done.add(frame.node);
        continue;
      }
      const target = edges[frame.edge] as string;
      frame.edge += 1;
      const at = onPath.get(target);
      if (at !== undefined) return closeCycle(path.slice(at));
      if (done.has(target)) continue;
      onPath.set(target, path.length);
      path.push(target);
      frames.push({ node: target, edge: 0 });
    }
  }
  return [];
}

function closeCycle(cycle: string[]): string[] {
  const smallest = cycle.reduce((min, n, i) => ((n < (cycle[min] as string) ? i : min)), 0);
  const rotated = [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
  return [...rotated, rotated[0] as string];
}
