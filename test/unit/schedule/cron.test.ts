import {
  cronFloor,
  cronNext,
  cronPrev,
  intervalSeconds,
  minCronGapSeconds,
  validateCron,
} from '../../../shared/src/schedule/cron';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('validateCron', () => {
  const where = { model: 'db.events', location: { file: 'models/events.sql', line: 4 } };

  it('accepts five-field crons and every SQLMesh shorthand', () => {
    for (const cron of ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually',
      '*/5 * * * *', '0 5 * * 1-5', '30 2 1,15 jan-jun *', '0 0 L * *', '0 0 * * 5L', '0 0 * * mon#2', '0 0 ? * SUN']) {
      expect(() => validateCron(cron)).not.toThrow();
    }
  });

  it('rejects a wrong number of fields', () => {
    expect(() => validateCron('* * * *', undefined, where)).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '* * * *' for model 'db.events' (models/events.sql:4): expected 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, got 4 fields"`,
    );
    expect(() => validateCron('0 0 0 * * *')).toThrow(/got 6 fields/);
    expect(() => validateCron('@fortnightly')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '@fortnightly': unknown shorthand '@fortnightly'; expected 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"`,
    );
  });

  it('names the field, the bad value and the allowed range', () => {
    expect(() => validateCron('0 25 * * *', undefined, where)).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 25 * * *' for model 'db.events' (models/events.sql:4): hour 25 outside 0-23"`,
    );
    expect(() => validateCron('60 * * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '60 * * * *': minute 60 outside 0-59"`,
    );
    expect(() => validateCron('0 0 32 * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 0 32 * *': day-of-month 32 outside 1-31"`,
    );
    expect(() => validateCron('0 0 * 13 *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 0 * 13 *': month 13 outside 1-12"`,
    );
    expect(() => validateCron('0 0 * * 8')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 0 * * 8': day-of-week 8 outside 0-7"`,
    );
    expect(() => validateCron('0 0 * * funday')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 0 * * funday': day-of-week value 'funday' is not a number in 0-7 or a name (sun, mon, tue, wed, thu, fri, sat)"`,
    );
    expect(() => validateCron('*/0 * * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '*/0 * * * *': minute step 0 must be at least 1"`,
    );
    expect(() => validateCron('0 5-1 * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 5-1 * * *': hour range 5-1 is reversed (5 > 1)"`,
    );
    expect(() => validateCron('1,,2 * * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '1,,2 * * * *': minute '1,,2' has an empty list item"`,
    );
    expect(() => validateCron('H * * * *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron 'H * * * *': minute 'H': hashed (H) values are not supported"`,
    );
  });

  it('rejects crons faster than every 5 minutes with SQLMesh\'s message', () => {
    expect(() => validateCron('* * * * *', undefined, where)).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '* * * * *' for model 'db.events' (models/events.sql:4): must run at a frequency of 5 minutes or slower."`,
    );
    // Fires at :00, :02, :30: the smallest gap (2 minutes) decides, not the average.
    expect(() => validateCron('0,2,30 * * * *')).toThrow(/must run at a frequency of 5 minutes or slower/);
    expect(() => validateCron('*/5 * * * *')).not.toThrow();
  });

  it('rejects crons that never fire', () => {
    expect(() => validateCron('0 0 30 2 *')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron '0 0 30 2 *': it never fires: no calendar day matches its day-of-month, month and day-of-week fields"`,
    );
  });

  it('rejects unknown time zones and accepts IANA names and UTC spellings', () => {
    expect(() => validateCron('@daily', 'Mars/Olympus_Mons')).toThrowErrorMatchingInlineSnapshot(
      `"Invalid cron_tz 'Mars/Olympus_Mons': unknown IANA time zone; use a name such as 'America/New_York', 'Europe/Berlin' or 'UTC'"`,
    );
    expect(() => validateCron('@daily', 'America/New_York')).not.toThrow();
    expect(() => validateCron('@daily', 'UTC')).not.toThrow();
    expect(() => validateCron('@daily', '')).not.toThrow();
  });

  it('throws CronError by name', () => {
    expect(() => validateCron('0 99 * * *')).toThrow(expect.objectContaining({ name: 'CronError' }));
  });
});

describe('cron arithmetic in UTC', () => {
  it.each<[string, string, string, string, string]>([
    // cron, at, next (strictly after), prev (strictly before), floor
    ['@daily', '2020-01-01T00:00:00Z', '2020-01-02T00:00:00.000Z', '2019-12-31T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['@daily', '2020-01-01T10:00:00Z', '2020-01-02T00:00:00.000Z', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['1 0 * * *', '2020-01-01T00:00:00Z', '2020-01-01T00:01:00.000Z', '2019-12-31T00:01:00.000Z', '2019-12-31T00:01:00.000Z'],
    ['@weekly', '2020-02-01T00:00:01Z', '2020-02-02T00:00:00.000Z', '2020-01-26T00:00:00.000Z', '2020-01-26T00:00:00.000Z'],
    ['@monthly', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['0 0 2 * *', '2020-01-17T00:00:00Z', '2020-02-02T00:00:00.000Z', '2020-01-02T00:00:00.000Z', '2020-01-02T00:00:00.000Z'],
    ['0 0 29 2 *', '2021-03-01T00:00:00Z', '2024-02-29T00:00:00.000Z', '2020-02-29T00:00:00.000Z', '2020-02-29T00:00:00.000Z'],
    ['*/43 * * * *', '2020-01-01T00:50:00Z', '2020-01-01T01:00:00.000Z', '2020-01-01T00:43:00.000Z', '2020-01-01T00:43:00.000Z'],
    ['0 9 * * 1-5', '2024-03-09T12:00:00Z', '2024-03-11T09:00:00.000Z', '2024-03-08T09:00:00.000Z', '2024-03-08T09:00:00.000Z'],
    // Both day fields restricted: a day matches if either does (the 13th, or any Friday).
    ['0 0 13 * 5', '2024-09-10T00:00:00Z', '2024-09-13T00:00:00.000Z', '2024-09-06T00:00:00.000Z', '2024-09-06T00:00:00.000Z'],
    // A whole-range day field counts as unrestricted (croniter): only Mondays.
    ['0 0 1-31 * 1', '2024-09-10T00:00:00Z', '2024-09-16T00:00:00.000Z', '2024-09-09T00:00:00.000Z', '2024-09-09T00:00:00.000Z'],
    ['0 0 L * *', '2024-02-10T00:00:00Z', '2024-02-29T00:00:00.000Z', '2024-01-31T00:00:00.000Z', '2024-01-31T00:00:00.000Z'],
    ['0 0 * * 5L', '2024-03-01T00:00:00Z', '2024-03-29T00:00:00.000Z', '2024-02-23T00:00:00.000Z', '2024-02-23T00:00:00.000Z'],
    ['0 0 * * 1#2', '2024-03-01T00:00:00Z', '2024-03-11T00:00:00.000Z', '2024-02-12T00:00:00.000Z', '2024-02-12T00:00:00.000Z'],
    ['0 0 1 1 *', '1969-06-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '1969-01-01T00:00:00.000Z', '1969-01-01T00:00:00.000Z'],
  ])('%s at %s: next %s, prev %s, floor %s', (cron, time, next, prev, floor) => {
    expect(iso(cronNext(cron, undefined, at(time)))).toBe(next);
    expect(iso(cronPrev(cron, undefined, at(time)))).toBe(prev);
    expect(iso(cronFloor(cron, undefined, at(time)))).toBe(floor);
  });

  it.each<[string, number, number]>([
    ['@daily', 86_400, 86_400],
    ['0 5 * * *', 86_400, 86_400],
    ['@hourly', 3_600, 3_600],
    ['0 */6 * * *', 21_600, 21_600],
    ['*/15 * * * *', 900, 900],
    ['@weekly', 604_800, 604_800],
    ['0 12 * * 3', 604_800, 604_800],
    ['@monthly', 0, 28 * 86_400],
    ['0 0 * * 1-5', 0, 86_400],
    ['*/7 * * * *', 0, 240],
    ['*/43 * * * *', 0, 17 * 60],
    ['0 0,12 * * *', 43_200, 43_200],
    ['0 0,13 * * *', 0, 11 * 3_600],
  ])('%s: constant period %d s, smallest gap %d s', (cron, period, gap) => {
    expect(intervalSeconds(cron)).toBe(period);
    expect(minCronGapSeconds(cron)).toBe(gap);
  });
});

describe('cron_tz (R09): 0 2 * * * in America/New_York across the 2025 DST changes', () => {
  const cron = '0 2 * * *';
  const tz = 'America/New_York';

  it('ticks at 02:00 local time, landing at 03:00 EDT on the spring-forward day', () => {
    // Arrange
    const ticks: string[] = [];
    let t = at('2025-03-07T12:00:00Z');
    // Act
    for (let i = 0; i < 4; i += 1) ticks.push(iso((t = cronNext(cron, tz, t))));
    // Assert: 02:00 EST = 07:00Z; on 03-09 02:00 does not exist and the job fires once at 03:00 EDT = 07:00Z;
    // from 03-10 02:00 EDT = 06:00Z.
    expect(ticks).toEqual([
      '2025-03-08T07:00:00.000Z',
      '2025-03-09T07:00:00.000Z',
      '2025-03-10T06:00:00.000Z',
      '2025-03-11T06:00:00.000Z',
    ]);
  });

  it('ticks once at 02:00 EST on the fall-back day', () => {
    const ticks: string[] = [];
    let t = at('2025-10-31T12:00:00Z');
    for (let i = 0; i < 4; i += 1) ticks.push(iso((t = cronNext(cron, tz, t))));
    expect(ticks).toEqual([
      '2025-11-01T06:00:00.000Z',
      '2025-11-02T07:00:00.000Z',
      '2025-11-03T07:00:00.000Z',
      '2025-11-04T07:00:00.000Z',
    ]);
  });

  it('walks backwards through the same ticks', () => {
    const back: string[] = [];
    let t = at('2025-03-11T12:00:00Z');
    for (let i = 0; i < 4; i += 1) back.push(iso((t = cronPrev(cron, tz, t))));
    expect(back).toEqual([
      '2025-03-11T06:00:00.000Z',
      '2025-03-10T06:00:00.000Z',
      '2025-03-09T07:00:00.000Z',
      '2025-03-08T07:00:00.000Z',
    ]);
    expect(iso(cronPrev(cron, tz, at('2025-11-02T07:00:00.001Z')))).toBe('2025-11-02T07:00:00.000Z');
  });

  it('fires a repeated wall time once, but an hourly cron every real hour', () => {
    const daily: string[] = [];
    let t = at('2025-11-01T12:00:00Z');
    for (let i = 0; i < 2; i += 1) daily.push(iso((t = cronNext('30 1 * * *', tz, t))));
    expect(daily).toEqual(['2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']);

    const hourly: string[] = [];
    t = at('2025-11-02T04:30:00Z');
    for (let i = 0; i < 3; i += 1) hourly.push(iso((t = cronNext('0 * * * *', tz, t))));
    expect(hourly).toEqual(['2025-11-02T05:00:00.000Z', '2025-11-02T06:00:00.000Z', '2025-11-02T07:00:00.000Z']);
  });

  it('keeps SQLMesh\'s floor shortcut: next tick minus the UTC period', () => {
    // The true last tick at 2025-03-10 05:00Z is 03-09 07:00Z; next (03-10 06:00Z) minus 24 h is 03-09 06:00Z.
    expect(iso(cronFloor(cron, tz, at('2025-03-10T05:00:00Z')))).toBe('2025-03-09T06:00:00.000Z');
    // Away from DST changes the shortcut is exact.
    expect(iso(cronFloor(cron, tz, at('2025-03-20T12:00:00Z')))).toBe('2025-03-20T06:00:00.000Z');
  });

  it('uses local wall time for zones with half-hour offsets', () => {
    expect(iso(cronNext('0 0 * * *', 'Asia/Kolkata', at('2025-01-01T00:00:00Z')))).toBe('2025-01-01T18:30:00.000Z');
  });
});
