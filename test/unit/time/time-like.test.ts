import { isCategoricalRelative, isRelative } from '../../../shared/src/time/relative';
import {
  isDateOnly,
  resolveTimeLike,
  type TimeLike,
  toEpochMs,
  toExclusiveEndMs,
} from '../../../shared/src/time/time-like';

const NOW = Date.UTC(2023, 0, 20, 12, 30, 30, 250);

describe('resolveTimeLike', () => {
  it.each<[TimeLike, string, boolean]>([
    ['2020-01-01', '2020-01-01T00:00:00.000Z', true],
    ['2020-1-5', '2020-01-05T00:00:00.000Z', true],
    ['20200101', '2020-01-01T00:00:00.000Z', true],
    [20200101, '2020-01-01T00:00:00.000Z', true],
    ['2020-01-01 00:00:00', '2020-01-01T00:00:00.000Z', false],
    ['2020-01-01T00:00:00', '2020-01-01T00:00:00.000Z', false],
    ['2020-01-01T05:00:00+05:00', '2020-01-01T00:00:00.000Z', false],
    ['2020-01-01T05:00:00+0500', '2020-01-01T00:00:00.000Z', false],
    ['2019-12-31T19:00:00-05', '2020-01-01T00:00:00.000Z', false],
    ['2020-01-01 12:00', '2020-01-01T12:00:00.000Z', false],
    ['2020-01-01 00:00:00.1234567', '2020-01-01T00:00:00.123Z', false],
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', false],
    [1577836800000, '2020-01-01T00:00:00.000Z', false],
    ['0', '1970-01-01T00:00:00.000Z', false],
    ['31536000000', '1971-01-01T00:00:00.000Z', false],
  ])('reads %j as %s (date: %s)', (value, expected, isDate) => {
    // Act
    const resolved = resolveTimeLike(value, NOW);
    // Assert
    expect(new Date(resolved.ms).toISOString()).toBe(expected);
    expect(resolved.isDate).toBe(isDate);
  });

  it.each<[string, string]>([
    ['1 second ago', '2023-01-20T12:29:59.000Z'],
    ['3 days 2 hours ago', '2023-01-17T10:30:00.000Z'],
    ['2 years 5 second ago', '2021-01-20T12:29:55.000Z'],
    ['1 year 5 days ago', '2022-01-15T00:00:00.000Z'],
    ['today', '2023-01-20T00:00:00.000Z'],
    ['now', '2023-01-20T12:30:00.000Z'],
    ['1 week', '2023-01-13T00:00:00.000Z'],
    ['in 1 week', '2023-01-27T00:00:00.000Z'],
    ['in 2 hours', '2023-01-20T14:30:00.000Z'],
    ['2 hrs, 30 mins ago', '2023-01-20T10:00:00.000Z'],
    ['1.5 days ago', '2023-01-18T12:00:00.000Z'],
    ['3days ago', '2023-01-17T00:00:00.000Z'],
    ['  1   WEEK   AGO ', '2023-01-13T00:00:00.000Z'],
  ])('resolves the relative expression %j against now floored to the minute (or midnight)', (value, expected) => {
    expect(new Date(toEpochMs(value, NOW)).toISOString()).toBe(expected);
  });

  it('clamps the day in calendar month arithmetic', () => {
    // Arrange
    const endOfMarch = Date.UTC(2024, 2, 31, 8);
    // Act
    const oneMonthAgo = toEpochMs('1 month ago', endOfMarch);
    const oneYearAgoFromLeapDay = toEpochMs('1 year ago', Date.UTC(2024, 1, 29));
    // Assert
    expect(new Date(oneMonthAgo).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(oneYearAgoFromLeapDay).toISOString()).toBe('2023-02-28T00:00:00.000Z');
  });

  it('does not depend on the process time zone', () => {
    expect(toEpochMs('2024-03-10 02:30:00', NOW)).toBe(Date.UTC(2024, 2, 10, 2, 30));
    expect(toEpochMs('yesterday', Date.UTC(2024, 2, 10, 1))).toBe(Date.UTC(2024, 2, 9));
  });

  it('rejects garbage, naming the value and what is allowed', () => {
    expect(() => resolveTimeLike('next blue moon', NOW)).toThrowErrorMatchingInlineSnapshot(
      `"Cannot read "next blue moon" as a time: expected a date ('2024-01-01'), an instant ('2024-01-01 12:00:00', '2024-01-01T12:00:00+02:00'), epoch milliseconds, YYYYMMDD, or a relative expression ('1 week ago', 'yesterday')"`,
    );
    expect(() => resolveTimeLike('2020-13-01', NOW)).toThrowErrorMatchingInlineSnapshot(
      `"Cannot read "2020-13-01" as a time: its date is out of range"`,
    );
    expect(() => resolveTimeLike('2020-02-30 10:00:00', NOW)).toThrowErrorMatchingInlineSnapshot(
      `"Cannot read "2020-02-30 10:00:00" as a time: its date or time of day is out of range"`,
    );
    expect(() => resolveTimeLike('1.5 months ago', NOW)).toThrowErrorMatchingInlineSnapshot(
      `"Cannot read '1.5 months ago' as a time: months must be a whole number (got 1.5)"`,
    );
    expect(() => resolveTimeLike('', NOW)).toThrow(/the value is empty/);
  });

  it('names its error class so callers can route on it', () => {
    expect(() => resolveTimeLike('soon', NOW)).toThrow(expect.objectContaining({ name: 'TimeParseError' }));
  });
});

describe('isDateOnly and toExclusiveEndMs', () => {
  it.each<[TimeLike, boolean]>([
    ['2024-01-01', true],
    ['20240101', true],
    [20240101, true],
    ['2024-01-01 00:00:00', false],
    ['1 week ago', false],
    [1704067200000, false],
  ])('isDateOnly(%j) is %s', (value, expected) => {
    expect(isDateOnly(value)).toBe(expected);
  });

  it('makes a date end cover its whole day and keeps an instant end', () => {
    expect(toExclusiveEndMs('2020-01-03', NOW)).toBe(Date.UTC(2020, 0, 4));
    expect(toExclusiveEndMs('2020-01-03 00:00:00', NOW)).toBe(Date.UTC(2020, 0, 3));
  });
});

describe('isRelative and isCategoricalRelative', () => {
  it.each<[unknown, boolean, boolean]>([
    ['1 week ago', true, true],
    ['1 week', true, true],
    ['3 hours ago', true, false],
    ['1 day 5 hours ago', true, false],
    ['yesterday', true, true],
    ['now', true, false],
    ['2024-01-01', false, false],
    ['2024-01-01 01:02:03', false, false],
    [1704067200000, false, false],
  ])('%j: relative %s, categorical %s', (value, relative, categorical) => {
    expect(isRelative(value)).toBe(relative);
    expect(isCategoricalRelative(value)).toBe(categorical);
  });
});
