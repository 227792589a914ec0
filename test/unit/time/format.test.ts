import { digestTimestamp, addMonthsClamped, civilFromDays, daysFromCivil } from '../../../shared/src/time/calendar';
import { dateDict, inclusiveEnd, makeInclusive, toDs, toIsoZ, toTs, toTstz } from '../../../shared/src/time/format';

const NOW = Date.UTC(2030, 0, 1);

describe('formatting instants', () => {
  it.each<[number, string, string, string]>([
    [Date.UTC(2020, 0, 1), '2020-01-01', '2020-01-01 00:00:00', '2020-01-01 00:00:00+00:00'],
    [Date.UTC(2024, 2, 12, 5, 17, 23, 456), '2024-03-12', '2024-03-12 05:17:23.456000', '2024-03-12 05:17:23.456000+00:00'],
    [Date.UTC(1969, 11, 31, 23, 59, 59), '1969-12-31', '1969-12-31 23:59:59', '1969-12-31 23:59:59+00:00'],
  ])('formats %d as ds %s, ts %s, tstz %s', (ms, ds, ts, tstz) => {
    expect(toDs(ms)).toBe(ds);
    expect(toTs(ms)).toBe(ts);
    expect(toTstz(ms)).toBe(tstz);
  });

  it('prints microseconds for inclusive ends and nanoseconds for T-SQL', () => {
    // Arrange
    const end = Date.UTC(2020, 0, 2);
    // Act / Assert
    expect(toTs(inclusiveEnd(end))).toBe('2020-01-01 23:59:59.999999');
    expect(toIsoZ(inclusiveEnd(end, 'tsql'))).toBe('2020-01-01T23:59:59.999999999Z');
  });

  it('makes a date end inclusive of its whole day and an instant end exclusive', () => {
    const [start, dateEnd] = makeInclusive('2020-01-01', '2020-01-01', NOW);
    const [, instantEnd] = makeInclusive('2020-01-01', '2020-01-02T00:00:00Z', NOW);
    expect(toTs(start)).toBe('2020-01-01 00:00:00');
    expect(toTs(dateEnd)).toBe('2020-01-01 23:59:59.999999');
    expect(toTs(instantEnd)).toBe('2020-01-01 23:59:59.999999');
  });
});

describe('dateDict', () => {
  it('gives every prefix every postfix, with latest_* mirroring execution_*', () => {
    // Arrange
    const [start, end] = makeInclusive('2020-01-01', '2020-01-02T00:00:00Z', NOW);
    // Act
    const vars = dateDict(Date.UTC(2020, 0, 2, 1), start, end);
    // Assert
    expect(Object.keys(vars)).toHaveLength(4 * 9);
    expect(vars).toMatchObject({
      start_ds: '2020-01-01',
      end_ds: '2020-01-01',
      end_ts: '2020-01-01 23:59:59.999999',
      end_dt: '2020-01-01 23:59:59.999999+00:00',
      end_epoch: 1577923199.999,
      end_millis: 1577923199999,
      end_hour: 23,
      execution_epoch: 1577926800,
      execution_hour: 1,
      latest_ds: '2020-01-02',
    });
  });

  it('leaves out start and end when not given', () => {
    expect(Object.keys(dateDict(0)).sort()).toEqual(
      expect.arrayContaining(['execution_ds', 'latest_ds']),
    );
    expect(dateDict(0).start_ds).toBeUndefined();
  });
});

describe('calendar arithmetic', () => {
  it('round-trips day numbers across centuries and before 1970', () => {
    for (const days of [-25567, -141427, -1, 0, 59, 10957, 11016, 47541, 2932896]) {
      const { year, month, day } = civilFromDays(days);
      expect(daysFromCivil(year, month, day)).toBe(days);
      expect(Date.UTC(year, month - 1, day)).toBe(days * 86_400_000);
    }
  });

  it('digests an instant into UTC parts', () => {
    expect(digestTimestamp(Date.UTC(2024, 1, 29, 23, 59, 58, 7))).toEqual({
      year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, millisecond: 7, dayOfWeek: 4,
    });
  });

  it('adds months with day clamping', () => {
    expect(addMonthsClamped(Date.UTC(2023, 0, 31, 6), 1)).toBe(Date.UTC(2023, 1, 28, 6));
    expect(addMonthsClamped(Date.UTC(2023, 0, 31), -2)).toBe(Date.UTC(2022, 10, 30));
  });
});
