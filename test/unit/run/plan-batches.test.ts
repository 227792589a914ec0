import type { Interval } from '../../../shared/src/schedule/interval';
import { type ModelWork, planBatches } from '../../../shared/src/run/plan-batches';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 2, 11); // 2024-03-11T00:00Z

function work(name: string, overrides: Partial<ModelWork>): ModelWork {
  return {
    name,
    version: 'v1',
    timeRanged: true,
    dependsOnPast: false,
    parents: [],
    processed: [],
    missing: [],
    alwaysReady: false,
    ...overrides,
  };
}

function cells(start: number, end: number, size: number): Interval[] {
  const out: Interval[] = [];
  for (let t = start; t < end; t += size) out.push([t, t + size]);
  return out;
}

describe('planBatches', () => {
  it('lets a daily child run once its hourly parent covers the day in the same run, and orders it after', () => {
    // Arrange: hourly parent processed to 23:00, missing its last hour; daily child missing the day (E4).
    const parent = work('hourly', { processed: [[T0, T0 + 23 * H]], missing: [[T0 + 23 * H, T0 + D]] });
    const child = work('daily', { parents: ['hourly'], missing: [[T0, T0 + D]] });
    // Act
    const plan = planBatches(new Map([['hourly', parent], ['daily', child]]), ['hourly', 'daily']);
    // Assert
    expect(plan.batches.map((b) => [b.model, b.interval])).toEqual([
      ['hourly', [T0 + 23 * H, T0 + D]],
      ['daily', [T0, T0 + D]],
    ]);
    expect(plan.batches[1]?.dependsOn).toEqual([`hourly|v1|${T0 + 23 * H}|${T0 + D}`]);
    expect(plan.deferred).toEqual([]);
  });

  it('defers a child range its parent has not processed, naming the parent (R13)', () => {
    // Parent runs at noon and has not produced day 2 yet; child wants days 1 and 2.
    const parent = work('noon', { processed: [[T0 - D, T0 + D]], missing: [] });
    const child = work('child', { parents: ['noon'], missing: cells(T0, T0 + 2 * D, D) });
    const plan = planBatches(new Map([['noon', parent], ['child', child]]), ['noon', 'child']);
    expect(plan.batches.map((b) => b.interval)).toEqual([[T0, T0 + D]]);
    expect(plan.deferred).toEqual([{ model: 'child', interval: [T0 + D, T0 + 2 * D], waitingFor: 'noon' }]);
  });

  it('stops a depends-on-past child at its first uncovered cell', () => {
    const parent = work('p', { processed: [[T0, T0 + D], [T0 + 2 * D, T0 + 3 * D]] });
    const child = work('full', { parents: ['p'], timeRanged: false, dependsOnPast: true, missing: cells(T0, T0 + 3 * D, D) });
    const plan = planBatches(new Map([['p', parent], ['full', child]]), ['p', 'full']);
    expect(plan.batches.map((b) => b.interval)).toEqual([[T0, T0 + D]]);
    expect(plan.deferred).toEqual([{ model: 'full', interval: [T0 + D, T0 + 3 * D], waitingFor: 'p' }]);
  });

  it('needs only some data from a parent that is not time-ranged', () => {
    const dim = work('dim', { timeRanged: false, dependsOnPast: true, processed: [[T0 - D, T0]] });
    const fact = work('fact', { parents: ['dim'], missing: cells(T0, T0 + 3 * H, H) });
    const plan = planBatches(new Map([['dim', dim], ['fact', fact]]), ['dim', 'fact']);
    expect(plan.batches.map((b) => b.interval)).toEqual([[T0, T0 + 3 * H]]);
  });

  it('does not require parent coverage before the parent start', () => {
    const parent = work('p', { startMs: T0 + D, processed: [[T0 + D, T0 + 2 * D]] });
    const child = work('c', { parents: ['p'], missing: cells(T0, T0 + 2 * D, D) });
    const plan = planBatches(new Map([['p', parent], ['c', child]]), ['p', 'c']);
    expect(plan.batches.map((b) => b.interval)).toEqual([[T0, T0 + 2 * D]]);
  });

  it('splits by batch_size and chains batches by batch_concurrency', () => {
    const m = work('m', { batchSize: 2, batchConcurrency: 2, missing: cells(T0, T0 + 6 * D, D) });
    const plan = planBatches(new Map([['m', m]]), ['m']);
    expect(plan.batches.map((b) => b.interval)).toEqual([
      [T0, T0 + 2 * D],
      [T0 + 2 * D, T0 + 4 * D],
      [T0 + 4 * D, T0 + 6 * D],
    ]);
    expect(plan.batches.map((b) => b.dependsOn)).toEqual([[], [], [plan.batches[0]?.id]]);
  });

  it('makes a time-ranged child batch wait only for the parent batches overlapping its range', () => {
    const parent = work('p', { batchSize: 1, missing: cells(T0, T0 + 3 * D, D) });
    const child = work('c', { parents: ['p'], batchSize: 1, missing: cells(T0, T0 + 3 * D, D) });
    const plan = planBatches(new Map([['p', parent], ['c', child]]), ['p', 'c']);
    const childBatches = plan.batches.filter((b) => b.model === 'c');
    expect(childBatches.map((b) => b.dependsOn)).toEqual([
      [`p|v1|${T0}|${T0 + D}`],
      [`p|v1|${T0 + D}|${T0 + 2 * D}`],
      [`p|v1|${T0 + 2 * D}|${T0 + 3 * D}`],
    ]);
  });

  it('passes dependencies through a parent with nothing to do to the nearest ancestor that has work', () => {
    const g = work('g', { missing: [[T0, T0 + D]] });
    const p = work('p', { parents: ['g'], timeRanged: false, processed: [[T0 - D, T0]] });
    const c = work('c', { parents: ['p'], missing: [[T0, T0 + D]] });
    const plan = planBatches(new Map([['g', g], ['p', p], ['c', c]]), ['g', 'p', 'c']);
    expect(plan.batches.find((b) => b.model === 'c')?.dependsOn).toEqual([`g|v1|${T0}|${T0 + D}`]);
  });
});
