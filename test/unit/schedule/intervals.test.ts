import fc from 'fast-check';
import type { Interval } from '../../../shared/src/schedule/interval';
import {
  addInterval,
  contiguousGroups,
  intervalDiff,
  isCovered,
  mergeContiguous,
  mergeIntervals,
  removeInterval,
  uncoveredRanges,
} from '../../../shared/src/schedule/intervals';

describe('interval list operations', () => {
  it('merges overlapping and touching intervals and sorts them', () => {
    expect(mergeIntervals([[5, 6], [1, 2], [2, 3], [2, 4]])).toEqual([[1, 4], [5, 6]]);
    expect(addInterval([[1, 2]], [3, 4])).toEqual([[1, 2], [3, 4]]);
  });

  it.each<[Interval[], Interval, Interval[]]>([
    [[[1, 10]], [3, 5], [[1, 3], [5, 10]]],
    [[[1, 10]], [0, 5], [[5, 10]]],
    [[[1, 10]], [5, 20], [[1, 5]]],
    [[[1, 10]], [0, 20], []],
    [[[1, 3], [5, 6], [8, 10]], [6, 21], [[1, 3], [5, 6]]],
  ])('removes from %j the range %j', (list, removal, expected) => {
    expect(removeInterval(list, removal)).toEqual(expected);
  });

  it('diffs cells against unready ranges, stopping at the first one when uninterrupted', () => {
    const cells: Interval[] = [[1, 2], [2, 3], [3, 4], [4, 5]];
    expect(intervalDiff(cells, [[2, 3]])).toEqual([[1, 2], [3, 4], [4, 5]]);
    expect(intervalDiff(cells, [[2, 3]], true)).toEqual([[1, 2]]);
    // An unready range starting inside a cell still blocks that cell, and only that one.
    expect(intervalDiff([[0, 10], [10, 20], [20, 30]], [[15, 16]])).toEqual([[0, 10], [20, 30]]);
  });

  it('groups contiguous runs and merges each into one range', () => {
    const cells: Interval[] = [[0, 1], [1, 2], [4, 5]];
    expect(contiguousGroups(cells)).toEqual([[[0, 1], [1, 2]], [[4, 5]]]);
    expect(mergeContiguous(cells)).toEqual([[0, 2], [4, 5]]);
  });

  it('finds covered cells and uncovered ranges', () => {
    const merged: Interval[] = [[0, 10], [20, 30]];
    expect(isCovered(merged, 20, 30)).toBe(true);
    expect(isCovered(merged, 5, 15)).toBe(false);
    expect(uncoveredRanges(merged, 5, 35)).toEqual([[10, 20], [30, 35]]);
  });
});

const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 30 }))
  .map(([s, len]): Interval => [s, s + len]);

describe('interval list properties', () => {
  it('merge is sorted, disjoint, idempotent and covers exactly the same points', () => {
    fc.assert(
      fc.property(fc.array(intervalArb, { maxLength: 12 }), fc.integer({ min: 0, max: 240 }), (list, point) => {
        const merged = mergeIntervals(list);
        for (let i = 1; i < merged.length; i += 1) expect((merged[i] as Interval)[0]).toBeGreaterThan((merged[i - 1] as Interval)[1]);
        expect(mergeIntervals(merged)).toEqual(merged);
        const inList = list.some(([a, b]) => a <= point && point < b);
        expect(merged.some(([a, b]) => a <= point && point < b)).toBe(inList);
      }),
    );
  });

  it('after removing a range no point of it is covered and every other point is unchanged', () => {
    fc.assert(
      fc.property(fc.array(intervalArb, { maxLength: 12 }), intervalArb, fc.integer({ min: 0, max: 240 }), (list, removal, point) => {
        const merged = mergeIntervals(list);
        const after = removeInterval(merged, removal);
        const covered = (l: readonly Interval[]) => l.some(([a, b]) => a <= point && point < b);
        const inRemoval = removal[0] <= point && point < removal[1];
        expect(covered(after)).toBe(inRemoval ? false : covered(merged));
      }),
    );
  });
});
