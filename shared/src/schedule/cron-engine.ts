import { CronError } from '../errors';
import { civilFromDays, dayOfWeekFromDays, daysInMonth, floorDiv } from '../time/calendar';
import { MS_PER_DAY, MS_PER_MINUTE } from '../time/constants';
import { type WallTimeMapping, wallTimeToUtc, zoneOffsetMs } from '../time/zone';
import { CRON_MAX_WALK_DAYS } from './constants';
import { type CronSpec, cronDayMatches } from './cron-spec';

/**
 * Tick search for a {@link CronSpec}. In UTC the search walks days with O(1) time-of-day lookups (and is a
 * single division for strictly periodic crons). With a zone, ticks are found on the local wall clock and then
 * placed on UTC with these DST rules:
 * - a wall time skipped by a spring-forward fires at the first instant after the gap (once, however many
 *   ticks fell in the gap), as Vixie cron does;
 * - a wall time repeated by a fall-back fires at its first occurrence only, unless the hour field is `*`, in
 *   which case it fires in both passes so an hourly job still runs every real hour.
 */

function neverFires(spec: CronSpec): CronError {
  return new CronError(`Invalid cron '${spec.source}': it never fires`);
}

/**
 * A civil day that steps forward or backward one day at a time without re-deriving the calendar date,
 * which keeps day walks over sparse crons (`0 0 31 * *`, `0 0 29 2 *`) cheap.
 */
class DayCursor {
  year: number;
  month: number;
  day: number;
  weekday: number;
  monthLength: number;

  constructor(public dayNumber: number) {
    const civil = civilFromDays(dayNumber);
    this.year = civil.year;
    this.month = civil.month;
    this.day = civil.day;
    this.weekday = dayOfWeekFromDays(dayNumber);
    this.monthLength = daysInMonth(this.year, this.month);
  }

  forward(): void {
    this.dayNumber += 1;
    this.weekday = this.weekday === 6 ? 0 : this.weekday + 1;
    if (this.day < this.monthLength) {
      this.day += 1;
      return;
    }
    this.day = 1;
    if (this.month === 12) {
      this.month = 1;
      this.year += 1;
    } else this.month += 1;
    this.monthLength = daysInMonth(this.year, this.month);
  }

  /** Moves to the first day of the next month. */
  nextMonth(): void {
    const skip = this.monthLength - this.day + 1;
    this.day = this.monthLength;
    this.dayNumber += skip - 1;
    this.weekday = (this.weekday + skip - 1) % 7;
    this.forward();
  }

  /** Moves to the last day of the previous month. */
  previousMonth(): void {
    const skip = this.day - 1;
    this.day = 1;
    this.dayNumber -= skip;
    this.weekday = (this.weekday - (skip % 7) + 7) % 7;
    this.backward();
  }

  backward(): void {
    this.dayNumber -= 1;
    this.weekday = this.weekday === 0 ? 6 : this.weekday - 1;
    if (this.day > 1) {
      this.day -= 1;
      return;
    }
    if (this.month === 1) {
      this.month = 12;
      this.year -= 1;
    } else this.month -= 1;
    this.monthLength = daysInMonth(this.year, this.month);
    this.day = this.monthLength;
  }
}

/** Smallest tick strictly greater than `ms`, evaluating the cron on UTC wall time. */
export function utcNextTick(spec: CronSpec, ms: number): number {
  if (spec.periodMs > 0) {
    return spec.phaseMs + (floorDiv(ms - spec.phaseMs, spec.periodMs) + 1) * spec.periodMs;
  }
  // Ticks are whole minutes, so the first candidate is the minute after floor(ms).
  const start = (floorDiv(ms, MS_PER_MINUTE) + 1) * MS_PER_MINUTE;
  const cursor = new DayCursor(floorDiv(start, MS_PER_DAY));
  let minute = (start - cursor.dayNumber * MS_PER_DAY) / MS_PER_MINUTE;
  for (let walked = 0; walked < CRON_MAX_WALK_DAYS; walked += 1) {
    if (spec.months[cursor.month] !== 1) {
      cursor.nextMonth();
      minute = 0;
      continue;
    }
    if (cronDayMatches(spec, cursor.year, cursor.month, cursor.day, cursor.weekday)) {
      const time = spec.nextTimeOfDay[minute] ?? -1;
      if (time >= 0) return cursor.dayNumber * MS_PER_DAY + time * MS_PER_MINUTE;
    }
    cursor.forward();
    minute = 0;
  }
  throw neverFires(spec);
}

/** Largest tick strictly less than `ms`, evaluating the cron on UTC wall time. */
export function utcPrevTick(spec: CronSpec, ms: number): number {
  if (spec.periodMs > 0) {
    return spec.phaseMs + (Math.ceil((ms - spec.phaseMs) / spec.periodMs) - 1) * spec.periodMs;
  }
  // The largest whole minute strictly below ms.
  const start = (Math.ceil(ms / MS_PER_MINUTE) - 1) * MS_PER_MINUTE;
  const cursor = new DayCursor(floorDiv(start, MS_PER_DAY));
  let minute = (start - cursor.dayNumber * MS_PER_DAY) / MS_PER_MINUTE;
  for (let walked = 0; walked < CRON_MAX_WALK_DAYS; walked += 1) {
    if (spec.months[cursor.month] !== 1) {
      cursor.previousMonth();
      minute = 1439;
      continue;
    }
    if (cronDayMatches(spec, cursor.year, cursor.month, cursor.day, cursor.weekday)) {
      const time = spec.prevTimeOfDay[minute] ?? -1;
      if (time >= 0) return cursor.dayNumber * MS_PER_DAY + time * MS_PER_MINUTE;
    }
    cursor.backward();
    minute = 1439;
  }
  throw neverFires(spec);
}

/** The UTC instants at which one local wall tick fires, in increasing order. */
function firings(spec: CronSpec, mapping: WallTimeMapping): number[] {
  if (mapping.kind === 'repeated') return spec.everyHour ? [mapping.first, mapping.second] : [mapping.first];
  return [mapping.instant];
}

/** Offsets in force within a day either side of `ms` (a zone changes offset at most once in that span). */
function offsetsAround(tz: string, ms: number): { min: number; max: number } {
  const a = zoneOffsetMs(tz, ms - MS_PER_DAY);
  const b = zoneOffsetMs(tz, ms);
  const c = zoneOffsetMs(tz, ms + MS_PER_DAY);
  return { min: Math.min(a, b, c), max: Math.max(a, b, c) };
}

/** Smallest tick strictly greater than `ms` for a cron evaluated on the wall clock of zone `tz`. */
export function zonedNextTick(spec: CronSpec, tz: string, ms: number): number {
  const { min } = offsetsAround(tz, ms);
  // Any instant after ms shows a wall time above ms + min, so wall ticks at or below it cannot fire later.
  let wall = ms + min - 1;
  let best = Infinity;
  for (;;) {
    wall = utcNextTick(spec, wall);
    // Every firing of this and later wall ticks is at or after wall - maxOffset.
    if (wall - offsetsAround(tz, wall).max > best) return best;
    for (const instant of firings(spec, wallTimeToUtc(tz, wall))) {
      if (instant > ms && instant < best) best = instant;
    }
  }
}

/** Largest tick strictly less than `ms` for a cron evaluated on the wall clock of zone `tz`. */
export function zonedPrevTick(spec: CronSpec, tz: string, ms: number): number {
  const { max } = offsetsAround(tz, ms);
  // Any instant before ms shows a wall time below ms + max.
  let wall = ms + max + 1;
  let best = -Infinity;
  for (;;) {
    wall = utcPrevTick(spec, wall);
    if (wall - offsetsAround(tz, wall).min < best) return best;
    for (const instant of firings(spec, wallTimeToUtc(tz, wall))) {
      if (instant < ms && instant > best) best = instant;
    }
  }
}
