import { isKnownTimeZone, isUtcZone, wallTimeToUtc, zoneOffsetMs } from '../../../shared/src/time/zone';

const H = 3_600_000;

describe('zone offsets', () => {
  it.each<[string, number, number]>([
    ['America/New_York', Date.UTC(2025, 0, 15), -5 * H],
    ['America/New_York', Date.UTC(2025, 6, 15), -4 * H],
    ['America/New_York', Date.UTC(2025, 2, 9, 6, 59), -5 * H],
    ['America/New_York', Date.UTC(2025, 2, 9, 7, 0), -4 * H],
    ['America/New_York', Date.UTC(2025, 10, 2, 5, 59), -4 * H],
    ['America/New_York', Date.UTC(2025, 10, 2, 6, 0), -5 * H],
    ['Asia/Kolkata', Date.UTC(2025, 2, 9), 5.5 * H],
    ['UTC', Date.UTC(2025, 2, 9), 0],
  ])('%s at %d is %d ms', (tz, ms, offset) => {
    expect(zoneOffsetMs(tz, ms)).toBe(offset);
  });

  it('maps wall times onto UTC, including the skipped and the repeated hour', () => {
    // 2025-03-09 02:30 does not exist in New York; 2025-11-02 01:30 happens twice.
    expect(wallTimeToUtc('America/New_York', Date.UTC(2025, 2, 9, 2, 30))).toEqual({
      kind: 'skipped',
      instant: Date.UTC(2025, 2, 9, 7),
    });
    expect(wallTimeToUtc('America/New_York', Date.UTC(2025, 10, 2, 1, 30))).toEqual({
      kind: 'repeated',
      first: Date.UTC(2025, 10, 2, 5, 30),
      second: Date.UTC(2025, 10, 2, 6, 30),
    });
    expect(wallTimeToUtc('America/New_York', Date.UTC(2025, 10, 2, 2, 0))).toEqual({
      kind: 'unique',
      instant: Date.UTC(2025, 10, 2, 7),
    });
  });

  it('knows IANA names and treats UTC spellings as UTC', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Base')).toBe(false);
    expect(isUtcZone(undefined)).toBe(true);
    expect(isUtcZone('')).toBe(true);
    expect(isUtcZone('Etc/UTC')).toBe(true);
    expect(isUtcZone('Europe/London')).toBe(false);
  });
});
