import type { IntervalUnit } from '../../../shared/src/schedule/interval';
import {
  effectiveIntervalUnit,
  intervalUnitFromCron,
  parseIntervalUnit,
  unitFloor,
  unitNext,
  unitPrev,
  unitSeconds,
} from '../../../shared/src/schedule/interval-unit';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('unit boundaries', () => {
  it.each<[IntervalUnit, string, string, string, string]>([
    // unit, at, floor, next, prev
    ['year', '2020-06-15T10:00:00Z', '2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['year', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z', '2019-01-01T00:00:00.000Z'],
    ['month', '2020-01-17T00:00:00Z', '2020-01-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['month', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
    ['day', '2020-01-01T10:00:00Z', '2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['hour', '2020-01-01T10:01:00Z', '2020-01-01T10:00:00.000Z', '2020-01-01T11:00:00.000Z', '2020-01-01T10:00:00.000Z'],
    ['half_hour', '2020-01-01T10:31:00Z', '2020-01-01T10:30:00.000Z', '2020-01-01T11:00:00.000Z', '2020-01-01T10:30:00.000Z'],
    ['quarter_hour', '2020-01-01T10:15:00Z', '2020-01-01T10:15:00.000Z', '2020-01-01T10:30:00.000Z', '2020-01-01T10:00:00.000Z'],
    ['five_minute', '2020-01-01T10:07:59Z', '2020-01-01T10:05:00.000Z', '2020-01-01T10:10:00.000Z', '2020-01-01T10:05:00.000Z'],
    ['day', '1969-12-31T23:00:00Z', '1969-12-31T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '1969-12-31T00:00:00.000Z'],
  ])('%s at %s: floor %s, next %s, prev %s', (unit, time, floor, next, prev) => {
    expect(iso(unitFloor(unit, at(time)))).toBe(floor);
    expect(iso(unitNext(unit, at(time)))).toBe(next);
    expect(iso(unitPrev(unit, at(time)))).toBe(prev);
  });

  it('gives fixed nominal lengths, a month counting as 28 days', () => {
    expect(unitSeconds('month')).toBe(28 * 86_400);
    expect(unitSeconds('year')).toBe(365 * 86_400);
    expect(unitSeconds('five_minute')).toBe(300);
  });
});

describe('intervalUnitFromCron (§4.3)', () => {
  it.each<[string, IntervalUnit]>([
    ['@daily', 'day'],
    ['0 5 * * *', 'day'],
    ['1 0 * * *', 'day'],
    ['@weekly', 'day'],
    ['@hourly', 'hour'],
    ['1 * * * *', 'hour'],
    ['0 */6 * * *', 'hour'],
    ['@monthly', 'month'],
    ['0 0 2 * *', 'month'],
    ['0 0 1 2 *', 'year'],
    ['@yearly', 'year'],
    ['*/43 * * * *', 'quarter_hour'],
    ['*/30 * * * *', 'half_hour'],
    ['*/5 * * * *', 'five_minute'],
    ['0 9 * * 1-5', 'day'],
  ])('%s → %s', (cron, unit) => {
    expect(intervalUnitFromCron(cron)).toBe(unit);
  });

  it('rejects crons faster than five minutes', () => {
    expect(() => intervalUnitFromCron('*/2 * * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '*/2 * * * *': must run at a frequency of 5 minutes or slower."`,
    );
  });
});

describe('effectiveIntervalUnit', () => {
  it('infers the unit from the cron when none is given', () => {
    expect(effectiveIntervalUnit('@hourly', undefined, false)).toBe('hour');
  });

  it('accepts a finer explicit unit, case-insensitively', () => {
    expect(effectiveIntervalUnit('@daily', 'FIVE_MINUTE', false)).toBe('five_minute');
    expect(effectiveIntervalUnit('0 5 * * *', 'quarter_hour', false)).toBe('quarter_hour');
  });

  it('rejects a unit coarser than the cron unless partials are allowed', () => {
    expect(() => effectiveIntervalUnit('@daily', 'month', false)).toThrowErrorMatchingInlineSnapshot(
      `"Cron '@daily' cannot be more frequent than interval unit 'month'. If this is intentional, set allow_partials to True."`,
    );
    expect(effectiveIntervalUnit('@hourly', 'day', true)).toBe('day');
  });

  it('lists the valid units for an unknown one', () => {
    expect(() => parseIntervalUnit('fortnight')).toThrowErrorMatchingInlineSnapshot(
      `"unknown interval_unit 'fortnight'; expected one of year, month, day, hour, half_hour, quarter_hour, five_minute"`,
    );
  });
});
