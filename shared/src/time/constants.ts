/** Milliseconds in one second. */
export const MS_PER_SECOND = 1_000;
/** Milliseconds in one minute. */
export const MS_PER_MINUTE = 60_000;
/** Milliseconds in one hour. */
export const MS_PER_HOUR = 3_600_000;
/** Milliseconds in one UTC day (UTC has no DST, so every day has this length). */
export const MS_PER_DAY = 86_400_000;
/** Nanoseconds in one millisecond, for the sub-millisecond part of a {@link PreciseInstant}. */
export const NANOS_PER_MS = 1_000_000;

/** Day of the week of 1970-01-01 (a Thursday), with Sunday = 0. */
export const EPOCH_DAY_OF_WEEK = 4;

/** `YYYY-MM-DD` (month and day may have one digit, as `is_date` accepts `2020-1-1`). */
export const DATE_ONLY_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** Eight digits read as `YYYYMMDD` before falling back to epoch milliseconds. */
export const DATE_INT_RE = /^(\d{4})(\d{2})(\d{2})$/;

/** A plain number (optionally signed, optionally fractional): epoch milliseconds unless it is a YYYYMMDD date. */
export const NUMERIC_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * An ISO-like instant: date, `T` or space, `HH:MM[:SS[.fraction]]`, then an optional zone (`Z`, `UTC`,
 * `+05:00`, `+0500`, `+05`). No zone means UTC.
 */
export const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Zone suffixes meaning UTC in an instant (`Z`, `UTC`, `GMT`). */
export const UTC_SUFFIX_RE = /^(z|utc|gmt)$/i;

/** A numeric zone offset suffix: `+05:00`, `+0500`, `-05`. */
export const OFFSET_SUFFIX_RE = /^([+-])(\d{2})(?::?(\d{2}))?$/;

/** A bare count in a relative expression (`3` in `3 days`). */
export const RELATIVE_COUNT_RE = /^\d+(?:\.\d+)?$/;

/** Separators between the words of a relative expression. */
export const RELATIVE_SEPARATOR_RE = /[\s,]+/;

/** One `<number> <unit>` pair of a relative expression, e.g. `3 days`, `2hrs`, `1.5 hours`. */
export const RELATIVE_PART_RE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

/** Words of a relative expression that name a day without a count. */
export const DAY_SHORTCUTS: Readonly<Record<string, number>> = { today: 0, yesterday: -1, tomorrow: 1 };

/** Units accepted in relative expressions, mapped to their canonical name. */
export const RELATIVE_UNIT_ALIASES: Readonly<Record<string, RelativeUnit>> = {
  decade: 'decade',
  decades: 'decade',
  year: 'year',
  years: 'year',
  yr: 'year',
  yrs: 'year',
  month: 'month',
  months: 'month',
  week: 'week',
  weeks: 'week',
  wk: 'week',
  wks: 'week',
  day: 'day',
  days: 'day',
  hour: 'hour',
  hours: 'hour',
  hr: 'hour',
  hrs: 'hour',
  minute: 'minute',
  minutes: 'minute',
  min: 'minute',
  mins: 'minute',
  second: 'second',
  seconds: 'second',
  sec: 'second',
  secs: 'second',
};

/** Canonical units of a relative expression. */
export type RelativeUnit = 'decade' | 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

/** Relative units that make an expression non-categorical (its base is not floored to midnight). */
export const TIME_OF_DAY_UNITS: ReadonlySet<RelativeUnit> = new Set<RelativeUnit>(['hour', 'minute', 'second']);
