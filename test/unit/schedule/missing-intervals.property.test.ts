import fc from 'fast-check';
import { INTERVAL_UNIT_CRONS } from '../../../shared/src/schedule/constants';
import { cronFloor } from '../../../shared/src/schedule/cron';
import type { Interval, IntervalUnit } from '../../../shared/src/schedule/interval';
import { unitFloor, unitMs, unitNext } from '../../../shared/src/schedule/interval-unit';
import { mergeIntervals } from '../../../shared/src/schedule/intervals';
import { computeMissingIntervals } from '../../../shared/src/schedule/missing-intervals';
import type { SchedulingModel } from '../../../shared/src/schedule/scheduling-model';

const UNITS: IntervalUnit[] = ['five_minute', 'quarter_hour', 'hour', 'day', 'month'];
const ORIGIN = Date.UTC(2023, 10, 20, 7, 35);

interface Scenario {
  readonly unit: IntervalUnit;
  readonly tz: string | undefined;
  readonly processed: Interval[];
  readonly start: number;
  readonly end: number;
  readonly executionTimeMs: number;
}

/** The n-th unit boundary from the unit floor of ORIGIN. */
function boundary(unit: IntervalUnit, n: number): number {
  let at = unitFloor(unit, ORIGIN);
  for (let i = 0; i < n; i += 1) at = unitNext(unit, at);
  return at;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    unit: fc.constantFrom(...UNITS),
    tz: fc.constantFrom(undefined, 'America/New_York', 'Asia/Kolkata'),
    cells: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 6 })), { maxLength: 6 }),
    startUnits: fc.integer({ min: 0, max: 30 }),
    startOffset: fc.double({ min: 0, max: 0.99, noNaN: true }),
    spanUnits: fc.integer({ min: 0, max: 40 }),
    endOffset: fc.double({ min: 0, max: 0.99, noNaN: true }),
    executionUnits: fc.integer({ min: 0, max: 60 }),
    executionOffset: fc.double({ min: 0, max: 0.99, noNaN: true }),
  })
  .map(({ unit, tz, cells, startUnits, startOffset, spanUnits, endOffset, executionUnits, executionOffset }) => {
    const within = (n: number, frac: number) => {
      const lo = boundary(unit, n);
      return lo + Math.floor((unitNext(unit, lo) - lo) * frac);
    };
    const start = within(startUnits, startOffset);
    return {
      unit,
      tz,
      processed: mergeIntervals(cells.map(([a, len]) => [boundary(unit, a), boundary(unit, a + len)] as const)),
      start,
      end: Math.max(start, within(startUnits + spanUnits, endOffset)),
      executionTimeMs: within(executionUnits, executionOffset),
    };
  });

function modelFor(s: Scenario, allowPartials = false): SchedulingModel {
  return {
    name: 'db.prop',
    kind: 'INCREMENTAL_BY_TIME_RANGE',
    cron: INTERVAL_UNIT_CRONS[s.unit],
    ...(s.tz ? { cronTz: s.tz } : {}),
    intervalUnit: s.unit,
    allowPartials,
    lookback: 0,
    dependsOnSelf: false,
    hasAudits: false,
    parents: [],
    disableRestatement: false,
  };
}

const covered = (list: readonly Interval[], [a, b]: Interval) => list.some(([lo, hi]) => lo <= a && b <= hi);

describe('missing intervals: properties', () => {
  it('are sorted, disjoint, whole unit cells inside the request and the cron bound, and exactly the unprocessed ones', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        // Arrange
        const m = modelFor(s);
        // Act
        const missing = computeMissingIntervals(m, s.processed, { start: s.start, end: s.end, executionTimeMs: s.executionTimeMs }, 0);
        // Assert
        if (s.end - s.start < unitMs(s.unit)) expect(missing).toEqual([]);
        const lower = unitFloor(s.unit, s.start);
        const upper = Math.min(
          unitFloor(s.unit, cronFloor(m.cron, m.cronTz, s.executionTimeMs)),
          unitFloor(s.unit, s.end) === s.end ? s.end : unitNext(s.unit, s.end),
        );
        missing.forEach(([a, b], i) => {
          expect(unitFloor(s.unit, a)).toBe(a);
          expect(unitNext(s.unit, a)).toBe(b);
          expect(a).toBeGreaterThanOrEqual(lower);
          expect(b).toBeLessThanOrEqual(upper);
          expect(covered(s.processed, [a, b])).toBe(false);
          if (i > 0) expect(a).toBeGreaterThanOrEqual((missing[i - 1] as Interval)[1]);
        });
        // Oracle: walk every cell of the grid one by one. An instant range shorter than the unit's nominal
        // length (a month counts as 28 days) is empty by rule (§4.5 step 2).
        if (s.end - s.start >= unitMs(s.unit) && lower < upper) {
          const expected: Interval[] = [];
          for (let a = lower; a < upper; a = unitNext(s.unit, a)) {
            const cell: Interval = [a, unitNext(s.unit, a)];
            if (!covered(s.processed, cell)) expected.push(cell);
          }
          expect(missing).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leave nothing missing once they are all processed (no interval is scheduled twice)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, allowPartials) => {
        const m = modelFor(s, allowPartials);
        const request = { start: s.start, end: s.end, executionTimeMs: s.executionTimeMs, ignoreCron: allowPartials };
        const missing = computeMissingIntervals(m, s.processed, request, 0);
        const after = mergeIntervals([...s.processed, ...missing]);
        expect(computeMissingIntervals(m, after, request, 0)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never depend on how the processed list is split', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const m = modelFor(s);
        const request = { start: s.start, end: s.end, executionTimeMs: s.executionTimeMs };
        const split = s.processed.flatMap(([a, b]): Interval[] => {
          const mid = unitFloor(s.unit, a + Math.floor((b - a) / 2));
          return mid > a && mid < b ? [[mid, b], [a, mid]] : [[a, b]];
        });
        expect(computeMissingIntervals(m, split, request, 0)).toEqual(computeMissingIntervals(m, s.processed, request, 0));
      }),
      { numRuns: 100 },
    );
  });
});
