import { CronExpressionParser } from 'cron-parser';
import fc from 'fast-check';
import { cronNext, cronPrev } from '../../../shared/src/schedule/cron';
import { parseCronSpec } from '../../../shared/src/schedule/cron-spec';

/**
 * Differential check of the arithmetic tick search against cron-parser (a widely used implementation) on
 * random crons. Restricted day fields never cover their whole range, where the two libraries are known to
 * differ on purpose (croniter, which SQLMesh uses, treats `1-31` like `*`).
 */

function restrictedField(min: number, max: number): fc.Arbitrary<string> {
  const size = max - min + 1;
  const value = fc.integer({ min, max });
  return fc.oneof(
    fc.uniqueArray(value, { minLength: 1, maxLength: Math.min(4, size - 1) }).map((vs) => vs.sort((a, b) => a - b).join(',')),
    fc
      .tuple(value, fc.integer({ min: 1, max: size - 2 }))
      .filter(([a, len]) => a + len <= max)
      .map(([a, len]) => `${a}-${a + len}`),
    fc.integer({ min: 2, max: Math.max(2, Math.floor(size / 2)) }).map((step) => `${min}-${max}/${step}`),
  );
}

const field = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant('*') }, { weight: 3, arbitrary: restrictedField(min, max) });

const cronArb = fc
  .tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 6))
  .map((parts) => parts.join(' '))
  .filter((expr) => {
    try {
      parseCronSpec(expr);
      return true;
    } catch {
      return false; // never fires (e.g. 30 February)
    }
  });

const instantArb = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) });

function reference(expr: string, tz: string, ms: number, direction: 'next' | 'prev'): number {
  const it = CronExpressionParser.parse(expr, { currentDate: new Date(ms), tz });
  return (direction === 'next' ? it.next() : it.prev()).getTime();
}

describe('cron tick search agrees with cron-parser', () => {
  it('in UTC, next and prev', () => {
    fc.assert(
      fc.property(cronArb, instantArb, (expr, ms) => {
        expect(cronNext(expr, undefined, ms)).toBe(reference(expr, 'UTC', ms, 'next'));
        expect(cronPrev(expr, undefined, ms)).toBe(reference(expr, 'UTC', ms, 'prev'));
      }),
      { numRuns: 250 },
    );
  });

  it('in a zone without DST (Asia/Kolkata, UTC+05:30)', () => {
    fc.assert(
      fc.property(cronArb, instantArb, (expr, ms) => {
        expect(cronNext(expr, 'Asia/Kolkata', ms)).toBe(reference(expr, 'Asia/Kolkata', ms, 'next'));
        expect(cronPrev(expr, 'Asia/Kolkata', ms)).toBe(reference(expr, 'Asia/Kolkata', ms, 'prev'));
      }),
      { numRuns: 150 },
    );
  });

  it('next is strictly after, prev strictly before, and they invert each other', () => {
    fc.assert(
      fc.property(cronArb, instantArb, fc.constantFrom(undefined, 'America/New_York', 'Europe/Berlin'), (expr, ms, tz) => {
        const next = cronNext(expr, tz, ms);
        const prev = cronPrev(expr, tz, ms);
        expect(next).toBeGreaterThan(ms);
        expect(prev).toBeLessThan(ms);
        expect(cronPrev(expr, tz, next)).toBeLessThanOrEqual(ms);
        expect(cronNext(expr, tz, prev)).toBeGreaterThanOrEqual(ms);
      }),
      { numRuns: 200 },
    );
  });
});
