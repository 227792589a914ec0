import { EPOCH_DAY_OF_WEEK, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from './constants';

/**
 * Pure proleptic-Gregorian calendar arithmetic on UTC epoch milliseconds. Nothing here reads the process
 * time zone, so results are the same under any `TZ`.
 */

/** A UTC instant split into its calendar parts. */
export interface TimestampDigest {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** 0 = Sunday ... 6 = Saturday. */
  readonly dayOfWeek: number;
}

/** Floor division that is correct for negative numerators (instants before 1970). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** `a mod b` in `[0, b)`, also for negative `a`. */
export function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * Days since 1970-01-01 of a civil date (month 1-12). The era-based formulation keeps it exact for every
 * year, including negative ones.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = floorDiv(153 * shiftedMonth + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The civil date of a day number (days since 1970-01-01); inverse of {@link daysFromCivil}. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = floorDiv(
    dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36524) - floorDiv(dayOfEra, 146096),
    365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const shiftedMonth = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * shiftedMonth + 2, 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day of the week (0 = Sunday) of a day number. */
export function dayOfWeekFromDays(days: number): number {
  return floorMod(days + EPOCH_DAY_OF_WEEK, 7);
}

/** True for Gregorian leap years (divisible by 4, except centuries not divisible by 400). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch ms of a UTC wall time; the month is 1-12 and must already be in range. */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    millisecond
  );
}

/** Splits an instant into UTC calendar parts (graphile-worker's `digestTimestamp` idea). */
export function digestTimestamp(ms: number): TimestampDigest {
  const days = floorDiv(ms, MS_PER_DAY);
  const { year, month, day } = civilFromDays(days);
  let rest = ms - days * MS_PER_DAY;
  const hour = floorDiv(rest, MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = floorDiv(rest, MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = floorDiv(rest, MS_PER_SECOND);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond: rest - second * MS_PER_SECOND,
    dayOfWeek: dayOfWeekFromDays(days),
  };
}

/** Floors an instant to the whole minute. */
export function floorToMinute(ms: number): number {
  return floorDiv(ms, MS_PER_MINUTE) * MS_PER_MINUTE;
}

/** Floors an instant to UTC midnight. */
export function floorToDay(ms: number): number {
  return floorDiv(ms, MS_PER_DAY) * MS_PER_DAY;
}

/**
 * Adds calendar months, keeping the time of day and clamping the day to the target month's length
 * (Jan 31 + 1 month = Feb 28/29), the way `dateutil.relativedelta` does.
 */
export function addMonthsClamped(ms: number, months: number): number {
  const days = floorDiv(ms, MS_PER_DAY);
  const timeOfDay = ms - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = floorDiv(monthIndex, 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return daysFromCivil(targetYear, targetMonth, targetDay) * MS_PER_DAY + timeOfDay;
}
