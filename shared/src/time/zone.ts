import { floorDiv, utcMs } from './calendar';
import { MS_PER_DAY, MS_PER_MINUTE } from './constants';

/**
 * IANA time-zone offsets, read from the platform's `Intl` data and cached per UTC day. Used only to place
 * `cron_tz` ticks; all intervals stay UTC.
 */

/** Zone names that mean plain UTC (no DST, offset 0), so cron work can take the UTC fast path. */
const UTC_ALIASES = new Set(
  ['utc', 'etc/utc', 'gmt', 'etc/gmt', 'uct', 'etc/uct', 'zulu', 'etc/zulu', 'universal', 'etc/universal', 'z'],
);

/** True for an empty zone or a name meaning UTC. */
export function isUtcZone(tz: string | undefined): boolean {
  return tz === undefined || tz.trim() === '' || UTC_ALIASES.has(tz.trim().toLowerCase());
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the platform knows the IANA zone `tz`. */
export function isKnownTimeZone(tz: string): boolean {
  if (isUtcZone(tz)) return true;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset (wall time minus UTC) at `ms`, computed from `Intl` without any cache. */
function intlOffsetMs(tz: string, ms: number): number {
  const wholeSecond = floorDiv(ms, 1000) * 1000;
  const fields: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(wholeSecond))) fields[p.type] = p.value;
  const yearOfEra = Number(fields.year);
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const wall = utcMs(
    year,
    Number(fields.month),
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  );
  return wall - wholeSecond;
}

/** Offsets during one UTC day: constant, or one transition at `at` (a whole minute). */
interface DayOffsets {
  readonly before: number;
  readonly after: number;
  readonly at: number;
}

const MAX_CACHED_DAYS = 200_000;
const dayCache = new Map<string, Map<number, DayOffsets>>();
let cachedDays = 0;

function dayOffsets(tz: string, day: number): DayOffsets {
  let days = dayCache.get(tz);
  if (!days) {
    days = new Map();
    dayCache.set(tz, days);
  }
  const hit = days.get(day);
  if (hit) return hit;
  if (cachedDays >= MAX_CACHED_DAYS) {
    for (const m of dayCache.values()) m.clear();
    cachedDays = 0;
  }
  const start = day * MS_PER_DAY;
  const before = intlOffsetMs(tz, start);
  const after = intlOffsetMs(tz, start + MS_PER_DAY - MS_PER_MINUTE);
  let at = start + MS_PER_DAY;
  if (before !== after) {
    // Zones change offset at most once a day, always on a whole minute: bisect for that minute.
    let lo = 0;
    let hi = MS_PER_DAY / MS_PER_MINUTE - 1;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >> 1;
      if (intlOffsetMs(tz, start + mid * MS_PER_MINUTE) === before) lo = mid;
      else hi = mid;
    }
    at = start + hi * MS_PER_MINUTE;
  }
  const info = { before, after, at };
  days.set(day, info);
  cachedDays += 1;
  return info;
}

/** Offset of zone `tz` at UTC instant `ms`, in milliseconds (wall time minus UTC; New York in winter: -5 h). */
export function zoneOffsetMs(tz: string, ms: number): number {
  if (isUtcZone(tz)) return 0;
  const info = dayOffsets(tz, floorDiv(ms, MS_PER_DAY));
  return ms < info.at ? info.before : info.after;
}

/** How a local wall time maps onto UTC. */
export type WallTimeMapping =
  | { readonly kind: 'unique'; readonly instant: number }
  /** The wall time happens twice (clocks went back): first and second occurrence. */
  | { readonly kind: 'repeated'; readonly first: number; readonly second: number }
  /** The wall time never happens (clocks went forward): `instant` is the first instant after the gap. */
  | { readonly kind: 'skipped'; readonly instant: number };

/**
 * Maps a wall-clock time of zone `tz` (encoded as if it were a UTC epoch ms) to the UTC instant(s) showing
 * that time. Assumes at most one offset change within a day either side, which holds for every IANA zone.
 */
export function wallTimeToUtc(tz: string, wallMs: number): WallTimeMapping {
  const earlier = zoneOffsetMs(tz, wallMs - MS_PER_DAY);
  const later = zoneOffsetMs(tz, wallMs + MS_PER_DAY);
  if (earlier === later && zoneOffsetMs(tz, wallMs - earlier) === earlier) {
    return { kind: 'unique', instant: wallMs - earlier };
  }
  const valid = [earlier, later]
    .filter((offset, i, all) => all.indexOf(offset) === i)
    .map((offset) => wallMs - offset)
    .filter((instant) => wallMs - zoneOffsetMs(tz, instant) === instant)
    .sort((a, b) => a - b);
  const [first, second] = valid;
  if (first !== undefined && second !== undefined) return { kind: 'repeated', first, second };
  if (first !== undefined) return { kind: 'unique', instant: first };
  // In a gap, `wall - later` lies after the transition and `wall - earlier` before it; the transition
  // is the first minute whose offset is the later one.
  let lo = floorDiv(Math.min(wallMs - earlier, wallMs - later), MS_PER_MINUTE);
  let hi = floorDiv(Math.max(wallMs - earlier, wallMs - later), MS_PER_MINUTE);
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(tz, mid * MS_PER_MINUTE) === earlier) lo = mid;
    else hi = mid;
  }
  return { kind: 'skipped', instant: hi * MS_PER_MINUTE };
}
