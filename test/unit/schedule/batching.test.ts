import {
  batchConcurrencyDependencies,
  batchIntervals,
  batchTaskId,
  buildBatchDag,
  cutBatches,
  expandToCells,
  type ReadinessCheck,
} from '../../../shared/src/schedule/batching';
import type { Interval } from '../../../shared/src/schedule/interval';
import type { SchedulingModel } from '../../../shared/src/schedule/scheduling-model';
import { checkReadyIntervals } from '../../../shared/src/schedule/signals';

const D = 86_400_000;
const d = (n: number): number => Date.UTC(2024, 0, 1) + n * D;
const days = (from: number, to: number): Interval[] =>
  Array.from({ length: to - from }, (_, i) => [d(from + i), d(from + i + 1)] as const);

function model(name: string, overrides: Partial<SchedulingModel> = {}): SchedulingModel {
  return {
    name,
    kind: 'INCREMENTAL_BY_TIME_RANGE',
    cron: '@daily',
    intervalUnit: 'day',
    allowPartials: false,
    lookback: 0,
    dependsOnSelf: false,
    hasAudits: false,
    parents: [],
    disableRestatement: false,
    ...overrides,
  };
}

describe('cells and batches', () => {
  it('expands ranges into unit cells, with a partial last cell', () => {
    expect(expandToCells('day', [[d(0), d(2)], [d(5), d(5) + 3_600_000]])).toEqual([
      [d(0), d(1)],
      [d(1), d(2)],
      [d(5), d(5) + 3_600_000],
    ]);
  });

  it('cuts batches at batch_size and at gaps', () => {
    const cells = [...days(0, 5), ...days(6, 8)];
    expect(cutBatches(cells)).toEqual([[d(0), d(5)], [d(6), d(8)]]);
    expect(cutBatches(cells, 2)).toEqual([[d(0), d(2)], [d(2), d(4)], [d(4), d(5)], [d(6), d(8)]]);
  });

  it('adds batch-concurrency dependencies, forced to 1 for depends-on-past models', () => {
    expect(batchConcurrencyDependencies(model('a', { batchConcurrency: 2 }), 5)).toEqual(
      new Map([[2, [0]], [3, [1]], [4, [2]]]),
    );
    expect(batchConcurrencyDependencies(model('a'), 5)).toEqual(new Map());
    expect(batchConcurrencyDependencies(model('a', { kind: 'FULL', batchConcurrency: 4 }), 3)).toEqual(
      new Map([[1, [0]], [2, [1]]]),
    );
    expect(batchConcurrencyDependencies(model('a', { dependsOnSelf: true }), 2)).toEqual(new Map([[1, [0]]]));
  });
});

describe('readiness and unready propagation (R14)', () => {
  const first = (n: number): ReadinessCheck => (cells) => checkReadyIntervals(cells, (run) => run.slice(0, n));

  it('skips a child\'s cells that overlap an upstream unready range, through the whole DAG', () => {
    // Arrange: a -> b -> c, a's signal accepts only its first two days.
    const a = model('a');
    const b = model('b', { parents: ['a'] });
    const c = model('c', { parents: ['b'] });
    const missing = new Map([['a', [[d(0), d(4)] as Interval]], ['b', [[d(0), d(4)] as Interval]], ['c', [[d(0), d(4)] as Interval]]]);
    // Act
    const plan = batchIntervals([a, b, c], missing, new Map([['a', first(2)]]));
    // Assert
    expect(plan.batches.get('a')).toEqual([[d(0), d(2)]]);
    expect(plan.batches.get('b')).toEqual([[d(0), d(2)]]);
    expect(plan.batches.get('c')).toEqual([[d(0), d(2)]]);
    expect(plan.unready.get('c')).toEqual([[d(2), d(4)]]);
  });

  it('stops a depends-on-past model at its first unready cell, without passing the stop on', () => {
    // Arrange: signal of a rejects day 1 only; b is FULL (depends on past); c reads b.
    const a = model('a');
    const b = model('b', { kind: 'FULL', parents: ['a'] });
    const c = model('c', { parents: ['b'] });
    const rejectDay1: ReadinessCheck = (cells) => cells.filter(([s]) => s !== d(1));
    const missing = new Map([
      ['a', [[d(0), d(4)] as Interval]],
      ['b', [[d(0), d(4)] as Interval]],
      ['c', [[d(0), d(4)] as Interval]],
    ]);
    // Act
    const plan = batchIntervals([a, b, c], missing, new Map([['a', rejectDay1]]));
    // Assert
    expect(plan.batches.get('a')).toEqual([[d(0), d(1)], [d(2), d(4)]]);
    expect(plan.batches.get('b')).toEqual([[d(0), d(1)]]);
    // c is not depends-on-past: it skips only the unready day, even though b stopped earlier.
    expect(plan.batches.get('c')).toEqual([[d(0), d(1)], [d(2), d(4)]]);
  });

  it('rejects models given out of DAG order', () => {
    const a = model('a');
    const b = model('b', { parents: ['a'] });
    expect(() => batchIntervals([b, a], new Map())).toThrowErrorMatchingInlineSnapshot(
      `"models must be in DAG order: 'a' comes after its child 'b'"`,
    );
  });

  it('rejects a signal that returns an interval it was not given', () => {
    expect(() => checkReadyIntervals(days(0, 2), () => [[d(0), d(2)]], 'freshness')).toThrow(
      /Unknown interval .* returned by freshness/,
    );
  });
});

describe('buildBatchDag (R13)', () => {
  it('makes every batch wait for all batches of each parent, passing through parents with nothing to do', () => {
    // Arrange: a (2 batches) -> b (nothing to do) -> c (1 batch); d reads a and c.
    const a = model('a', { batchSize: 1 });
    const b = model('b', { parents: ['a'] });
    const c = model('c', { parents: ['b'] });
    const dModel = model('d', { parents: ['a', 'c'] });
    const batches = new Map<string, Interval[]>([
      ['a', days(0, 2)],
      ['c', [[d(0), d(2)]]],
      ['d', [[d(0), d(2)]]],
    ]);
    // Act
    const tasks = buildBatchDag([a, b, c, dModel], batches);
    // Assert
    const byModel = (name: string) => tasks.filter((t) => t.model === name);
    const aIds = byModel('a').map((t) => t.id);
    expect(aIds).toEqual([batchTaskId('a', [d(0), d(1)]), batchTaskId('a', [d(1), d(2)])]);
    expect(byModel('b')).toEqual([]);
    expect(byModel('c')[0]?.dependsOn).toEqual(aIds);
    expect(byModel('d')[0]?.dependsOn).toEqual([...aIds, batchTaskId('c', [d(0), d(2)])]);
  });

  it('chains a model\'s own batches by its batch concurrency', () => {
    const m = model('m', { batchSize: 1, batchConcurrency: 1 });
    const tasks = buildBatchDag([m], new Map([['m', days(0, 3)]]));
    expect(tasks.map((t) => t.dependsOn)).toEqual([[], [tasks[0]?.id], [tasks[1]?.id]]);
    expect(tasks.map((t) => t.batchIndex)).toEqual([0, 1, 2]);
  });
});
