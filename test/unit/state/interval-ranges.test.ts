import fc from 'fast-check';
import type { Interval } from '../../../shared/src/schedule/interval';
import { addInterval, removeInterval } from '../../../shared/src/schedule/intervals';
import { assertValidInterval, sameIntervals } from '../../../shared/src/state/interval-ranges';

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

// The stores delegate range arithmetic to schedule/intervals (tested there); these properties pin the
// behaviour the stores promise on top of it: any add/remove sequence leaves exactly the covered time.
describe('interval list operations as the stores use them (properties)', () => {
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
