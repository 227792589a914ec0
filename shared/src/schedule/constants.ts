import type { IntervalUnit } from './interval';

/** Cron shorthands SQLMesh (croniter) accepts, with their five-field meaning. */
export const CRON_ALIASES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The five cron fields in order, with their allowed ranges (day-of-week 7 is another Sunday). */
export const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

/** Month names usable in the month field (`jan` = 1). */
export const CRON_MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Weekday names usable in the day-of-week field (`sun` = 0). */
export const CRON_DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** SQLMesh rejects crons that fire more often than this (the smallest interval unit). */
export const MIN_CRON_PERIOD_SECONDS = 300;

/**
 * Nominal length of each interval unit in seconds. Used for ordering, validation and fixed-length
 * arithmetic (a month counts as 28 days there), never for calendar boundaries.
 */
export const INTERVAL_UNIT_SECONDS: Readonly<Record<IntervalUnit, number>> = {
  year: 365 * 86_400,
  month: 28 * 86_400,
  day: 86_400,
  hour: 3_600,
  half_hour: 1_800,
  quarter_hour: 900,
  five_minute: 300,
};

/** The cron whose ticks are each unit's boundaries (UTC). */
export const INTERVAL_UNIT_CRONS: Readonly<Record<IntervalUnit, string>> = {
  year: '0 0 1 1 *',
  month: '0 0 1 * *',
  day: '0 0 * * *',
  hour: '0 * * * *',
  half_hour: '*/30 * * * *',
  quarter_hour: '*/15 * * * *',
  five_minute: '*/5 * * * *',
};

/**
 * Window scanned day by day to learn a cron's day pattern (whether it ever fires, its smallest gap between
 * firing days). 28 years from 2000-01-01 contain every weekday/leap-year combination of the Gregorian
 * calendar between 1901 and 2099.
 */
export const CRON_SCAN_START_DAY = 10_957; // 2000-01-01
/** Length of the scan window in days (see {@link CRON_SCAN_START_DAY}). */
export const CRON_SCAN_DAYS = 28 * 366;

/** Upper bound on days walked while looking for a next/previous tick (400 years: one Gregorian cycle). */
export const CRON_MAX_WALK_DAYS = 146_097;

/** Kinds that are never evaluated (symbolic); they only have intervals when they carry audits. */
export const SYMBOLIC_KINDS: ReadonlySet<string> = new Set(['EMBEDDED', 'EXTERNAL']);

/**
 * Kinds that can only be restated as a whole history; with self-referencing models they form the
 * depends-on-past set, whose batches run one after another and stop at the first unready interval.
 */
export const FULL_HISTORY_RESTATEMENT_KINDS: ReadonlySet<string> = new Set([
  'FULL',
  'VIEW',
  'INCREMENTAL_BY_UNIQUE_KEY',
  'INCREMENTAL_BY_PARTITION',
  'INCREMENTAL_UNMANAGED',
  'SCD_TYPE_2',
  'SCD_TYPE_2_BY_TIME',
  'SCD_TYPE_2_BY_COLUMN',
  'MANAGED',
]);

/** A plain unsigned number in a cron field. */
export const CRON_NUMBER_RE = /^\d+$/;

/** A hashed (`H`) cron token, which Meshcron rejects: it makes ticks depend on a random seed. */
export const CRON_HASH_RE = /^h/i;

/** A nearest-weekday (`15W`) cron token, which Meshcron rejects (croniter does not support it either). */
export const CRON_WEEKDAY_NEAREST_RE = /w$/i;

/** `L` alone in day-of-month: the last day of the month. */
export const CRON_LAST_DAY_RE = /^l$/i;

/** `<weekday>L` in day-of-week: the last such weekday of the month (`5L`, `friL`). */
export const CRON_LAST_WEEKDAY_RE = /^(\w+)l$/i;

/** `<weekday>#<n>` in day-of-week: the n-th such weekday of the month (`1#2`). */
export const CRON_NTH_WEEKDAY_RE = /^(\w+)#(\d+)$/;
