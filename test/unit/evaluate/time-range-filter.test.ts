import { UnsupportedFeatureError } from '../../../shared/src/errors';
import { sqlDialectFor } from '../../../shared/src/evaluate/sql-dialect';
import { formatStrftime, formatUtcDate, formatUtcTimestamp } from '../../../shared/src/evaluate/time-format';
import { timeRangePredicate } from '../../../shared/src/evaluate/time-range-filter';

const duckdb = sqlDialectFor('duckdb');
const postgres = sqlDialectFor('postgres');
const JAN1 = Date.UTC(2020, 0, 1);
const JAN3 = Date.UTC(2020, 0, 3);
const us = (ms: number): number => ms * 1000;

describe('time formatting in UTC', () => {
  it.each([
    [us(JAN1), '2020-01-01', '2020-01-01 00:00:00'],
    [us(JAN3) - 1, '2020-01-02', '2020-01-02 23:59:59.999999'],
    [us(Date.UTC(2024, 1, 29, 13, 4, 5, 120)), '2024-02-29', '2024-02-29 13:04:05.120000'],
    [us(Date.UTC(1969, 11, 31, 23, 59, 59)) + 1, '1969-12-31', '1969-12-31 23:59:59.000001'],
  ])('formats %d µs as %s / %s', (micros, date, timestamp) => {
    expect(formatUtcDate(micros)).toBe(date);
    expect(formatUtcTimestamp(micros)).toBe(timestamp);
  });

  it.each([
    ['%Y%m%d', '20200102'],
    ['%Y-%m-%d %H:%M:%S.%f', '2020-01-02 23:59:59.999999'],
    ['%y/%j %%', '20/002 %'],
  ])('strftime %s', (pattern, expected) => {
    expect(formatStrftime(us(JAN3) - 1, pattern)).toBe(expected);
  });

  it('rejects a directive it cannot honour, listing the supported ones', () => {
    const attempt = () => formatStrftime(0, '%Y-%b');
    expect(attempt).toThrow(UnsupportedFeatureError);
    expect(attempt).toThrowErrorMatchingInlineSnapshot(
      `"time column format '%Y-%b' uses '%b'; supported directives: %Y %y %m %d %H %M %S %f %j %%"`,
    );
  });
});

describe('timeRangePredicate', () => {
  it.each([
    ['DATE', `"ds" BETWEEN CAST('2020-01-01' AS DATE) AND CAST('2020-01-02' AS DATE)`],
    ['TIMESTAMP', `"ds" BETWEEN CAST('2020-01-01 00:00:00' AS TIMESTAMP) AND CAST('2020-01-02 23:59:59.999999' AS TIMESTAMP)`],
    ['TIMESTAMP_NS', `"ds" BETWEEN CAST('2020-01-01 00:00:00' AS TIMESTAMP) AND CAST('2020-01-02 23:59:59.999999' AS TIMESTAMP)`],
    [
      'TIMESTAMP WITH TIME ZONE',
      `"ds" BETWEEN CAST('2020-01-01 00:00:00+00:00' AS TIMESTAMPTZ) AND CAST('2020-01-02 23:59:59.999999+00:00' AS TIMESTAMPTZ)`,
    ],
    ['VARCHAR', `"ds" BETWEEN '2020-01-01' AND '2020-01-02'`],
  ])('writes DuckDB %s bounds for [2020-01-01, 2020-01-03)', (dataType, expected) => {
    expect(timeRangePredicate(duckdb, { name: 'ds', dataType }, [JAN1, JAN3], '%Y-%m-%d')).toBe(expected);
  });

  it('writes PostgreSQL type names the same way', () => {
    expect(timeRangePredicate(postgres, { name: 'ts', dataType: 'timestamp without time zone' }, [JAN1, JAN3], '%Y-%m-%d')).toBe(
      `"ts" BETWEEN CAST('2020-01-01 00:00:00' AS TIMESTAMP) AND CAST('2020-01-02 23:59:59.999999' AS TIMESTAMP)`,
    );
  });

  it('writes an integer column formatted with its format as bare numbers', () => {
    expect(timeRangePredicate(duckdb, { name: 'day_key', dataType: 'INTEGER' }, [JAN1, JAN3], '%Y%m%d')).toBe(
      '"day_key" BETWEEN 20200101 AND 20200102',
    );
  });

  it('rejects an integer column whose format is not numeric', () => {
    expect(() => timeRangePredicate(duckdb, { name: 'k', dataType: 'BIGINT' }, [JAN1, JAN3], '%Y-%m-%d')).toThrow(
      "time column 'k' is BIGINT but its format '%Y-%m-%d' gives '2020-01-01', not a number",
    );
  });

  it('rejects a column type that cannot hold a time', () => {
    expect(() => timeRangePredicate(duckdb, { name: 'k', dataType: 'DOUBLE' }, [JAN1, JAN3], '%Y')).toThrowErrorMatchingInlineSnapshot(
      `"time column 'k' has type DOUBLE; allowed: DATE, TIMESTAMP, TIMESTAMPTZ, text or integer (formatted with the time_column format)"`,
    );
  });

  it('rejects an empty batch', () => {
    expect(() => timeRangePredicate(duckdb, { name: 'ds', dataType: 'DATE' }, [JAN3, JAN3], '%Y')).toThrow(
      `empty batch [${JAN3}, ${JAN3}): end must be after start`,
    );
  });
});

describe('sqlDialectFor', () => {
  it('lists the supported dialects for an unknown one', () => {
    expect(() => sqlDialectFor('snowflake')).toThrow("warehouse dialect 'snowflake' is not supported; supported: duckdb, postgres");
  });
});
