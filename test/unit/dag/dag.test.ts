import fc from 'fast-check';
import { ancestors, buildDag, type DagModel, descendants, topologicalOrder } from '../../../shared/src/dag/dag';
import { DagCycleError, NotFoundError } from '../../../shared/src/errors';

const model = (name: string, dependsOn: string[] = [], line = 1): DagModel => ({
  name,
  dependsOn,
  location: { file: `models/${name}.sql`, line },
});

describe('buildDag', () => {
  it('orders parents before children, breaking ties by name whatever the input order', () => {
    // Arrange: d <- b, c <- a ; e independent
    const models = [model('s.a', ['s.b', 's.c']), model('s.e'), model('s.c', ['s.d']), model('s.b', ['s.d']), model('s.d')];

    // Act
    const order = topologicalOrder(buildDag(models));
    const reversed = topologicalOrder(buildDag([...models].reverse()));

    // Assert
    expect(order).toEqual(['s.d', 's.b', 's.c', 's.a', 's.e']);
    expect(reversed).toEqual(order);
  });

  it('ignores parents outside the graph and self-references', () => {
    // Act
    const dag = buildDag(new Map([['s.a', model('s.a', ['s.a', 'ext.raw'])]]));

    // Assert
    expect(dag.parents.get('s.a')).toEqual([]);
    expect(topologicalOrder(dag)).toEqual(['s.a']);
  });

  it('lists ancestors and descendants transitively, sorted', () => {
    // Arrange
    const dag = buildDag([model('s.a', ['s.b']), model('s.b', ['s.c']), model('s.c'), model('s.x', ['s.c'])]);

    // Act / Assert
    expect(ancestors(dag, 's.a')).toEqual(['s.b', 's.c']);
    expect(descendants(dag, 's.c')).toEqual(['s.a', 's.b', 's.x']);
    expect(descendants(dag, 's.a')).toEqual([]);
    expect(() => ancestors(dag, 's.nope')).toThrow(NotFoundError);
  });

  it('names a cycle in order, starting at its smallest model, with that model’s file and line', () => {
    // Arrange: s.b -> s.c -> s.d -> s.b (each depends on the next), plus s.a depending on the cycle
    const models = [model('s.a', ['s.b']), model('s.c', ['s.d'], 3), model('s.b', ['s.c'], 2), model('s.d', ['s.b'], 4)];

    // Act
    let error: unknown;
    try {
      buildDag(models);
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(DagCycleError);
    expect((error as DagCycleError).cycle).toEqual(['s.b', 's.c', 's.d', 's.b']);
    expect((error as DagCycleError).message).toBe('models/s.b.sql:2: dependency cycle: s.b -> s.c -> s.d -> s.b');
  });

  it('reports a two-model cycle', () => {
    expect(() => buildDag([model('x.one', ['x.two']), model('x.two', ['x.one'])])).toThrow(
      'dependency cycle: x.one -> x.two -> x.one',
    );
  });

  it('orders any acyclic graph so that every edge points backwards (property)', () => {
    // Random DAGs: node i may only depend on nodes with a smaller index, so there is never a cycle.
    const dagArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
        fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(dagArb, ([n, edges, permutation]) => {
        const name = (i: number): string => `m.n${String(permutation[i]).padStart(2, '0')}`;
        const deps = new Map<number, number[]>([...Array(n).keys()].map((i) => [i, []]));
        for (const [a, b] of edges) if (a !== b) deps.get(Math.max(a, b))?.push(Math.min(a, b));
        const models = [...deps].map(([i, ps]) => model(name(i), ps.map(name)));

        const order = topologicalOrder(buildDag(models));

        expect([...order].sort()).toEqual(models.map((m) => m.name).sort());
        const position = new Map(order.map((m, i) => [m, i]));
        for (const m of models) {
          for (const p of m.dependsOn) expect(position.get(p)).toBeLessThan(position.get(m.name) as number);
        }
      }),
    );
  });
});
