import fc from 'fast-check';
import type { Interval } from '../../../shared/src/schedule/interval';
import {
  addInterval,
  assertValidInterval,
  mergeIntervals,
  removeInterval,
  sameIntervals,
} from '../../../shared/src/state/interval-ranges';

/** Reference model: the set of covered unit cells of a small grid, turned back into maximal ranges. */
function toRanges(cells: readonly boolean[]): Interval[] {
  const ranges: Interval[] = [];
  let start: number | undefined;
  cells.forEach((covered, i) => {
    if (covered && start === undefined) start = i;
    if (!covered && start !== undefined) {
      ranges.push([start, i]);
      start = undefined;
    }
  });
  if (start !== undefined) ranges.push([start, cells.length]);
  return ranges;
}

const GRID = 40;
const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: GRID }), fc.integer({ min: 0, max: GRID }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]): Interval => [Math.min(a, b), Math.max(a, b)]);
const opArb = fc.record({ remove: fc.boolean(), interval: intervalArb });

function isNormalised(ranges: readonly Interval[]): boolean {
  return ranges.every(([s, e], i) => s < e && (i === 0 || (ranges[i - 1]?.[1] ?? Number.NaN) < s));
}

describe('mergeIntervals', () => {
  it.each<[string, Interval[], Interval[]]>([
    ['joins adjacent ranges', [[0, 10], [10, 20]], [[0, 20]]],
    ['joins overlapping ranges', [[0, 15], [10, 20]], [[0, 20]]],
    ['sorts disjoint ranges', [[30, 40], [0, 10]], [[0, 10], [30, 40]]],
    ['absorbs a contained range', [[0, 40], [10, 20]], [[0, 40]]],
    ['drops empty ranges', [[5, 5], [7, 3]], []],
    ['keeps a gap of one millisecond', [[0, 10], [11, 20]], [[0, 10], [11, 20]]],
  ])('%s', (_name, input, expected) => {
    expect(mergeIntervals(input)).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const input: Interval[] = [[10, 20], [0, 10]];
    mergeIntervals(input);
    expect(input).toEqual([[10, 20], [0, 10]]);
  });
});

describe('removeInterval', () => {
  it.each<[string, Interval[], Interval, Interval[]]>([
    ['splits a range that strictly contains the removed interval', [[0, 30]], [10, 20], [[0, 10], [20, 30]]],
    ['trims the end of a range', [[0, 30]], [20, 40], [[0, 20]]],
    ['trims the start of a range', [[0, 30]], [-10, 10], [[10, 30]]],
    ['drops a range that is covered', [[10, 20]], [0, 30], []],
    ['drops a range removed exactly', [[10, 20]], [10, 20], []],
    ['leaves ranges that only touch the removed interval', [[0, 10], [20, 30]], [10, 20], [[0, 10], [20, 30]]],
    ['spans several ranges', [[0, 10], [20, 30], [40, 50]], [5, 45], [[0, 5], [45, 50]]],
    ['does nothing to an empty list', [], [0, 10], []],
  ])('%s', (_name, ranges, removed, expected) => {
    expect(removeInterval(ranges, removed)).toEqual(expected);
  });
});

describe('interval list operations (properties)', () => {
  it('add and remove sequences match a cell-by-cell reference and stay sorted and merged', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        // Arrange
        const cells = new Array<boolean>(GRID).fill(false);
        let ranges: Interval[] = [];

        // Act
        for (const { remove, interval } of ops) {
          ranges = remove ? removeInterval(ranges, interval) : addInterval(ranges, interval);
          for (let i = interval[0]; i < interval[1]; i++) cells[i] = !remove;
        }

        // Assert
        expect(ranges).toEqual(toRanges(cells));
        expect(isNormalised(ranges)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('adding is independent of order', () => {
    fc.assert(
      fc.property(fc.array(intervalArb, { maxLength: 15 }), (intervals) => {
        const forward = intervals.reduce<Interval[]>((acc, i) => addInterval(acc, i), []);
        const backward = [...intervals].reverse().reduce<Interval[]>((acc, i) => addInterval(acc, i), []);
        expect(forward).toEqual(backward);
      }),
    );
  });
});

describe('sameIntervals', () => {
  it('compares range by range', () => {
    expect(sameIntervals([[0, 1], [2, 3]], [[0, 1], [2, 3]])).toBe(true);
    expect(sameIntervals([[0, 1]], [[0, 2]])).toBe(false);
    expect(sameIntervals([[0, 1]], [[0, 1], [2, 3]])).toBe(false);
    expect(sameIntervals([], [])).toBe(true);
  });
});

describe('assertValidInterval', () => {
  it('accepts integer bounds with start < end', () => {
    expect(() => assertValidInterval([0, 1], 'db.a@v1')).not.toThrow();
  });

  it.each<[Interval]>([[[10, 10]], [[20, 10]], [[0.5, 10]], [[0, Number.POSITIVE_INFINITY]], [[Number.NaN, 1]]])(
    'rejects %j',
    (interval) => {
      expect(() => assertValidInterval(interval, 'db.a@v1')).toThrow(
        /^invalid interval \[.*\) for db\.a@v1: expected integer epoch-ms bounds with start < end$/,
      );
    },
  );

  it('names the interval and the table in the message', () => {
    expect(() => assertValidInterval([20, 10], 'db.events@123')).toThrowErrorMatchingInlineSnapshot(
      `"invalid interval [20, 10) for db.events@123: expected integer epoch-ms bounds with start < end"`,
    );
  });
});
