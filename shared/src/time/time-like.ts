import { TimeParseError } from '../errors';
import { daysInMonth, utcMs } from './calendar';
import {
  DATE_INT_RE,
  DATE_ONLY_RE,
  INSTANT_RE,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  NUMERIC_RE,
  OFFSET_SUFFIX_RE,
  UTC_SUFFIX_RE,
} from './constants';
import { parseRelativeExpression, resolveRelativeExpression } from './relative';

/**
 * A value that can be read as a time, as written in a project file or on the command line:
 * - `'2024-01-01'` or `20240101` / `'20240101'`: a date (midnight UTC; inclusive when used as an end);
 * - `'2024-01-01 12:00:00'`, `'2024-01-01T12:00:00+02:00'`: an instant (no zone means UTC);
 * - any other number or numeric string: epoch milliseconds;
 * - `'1 week ago'`, `'yesterday'`, `'in 2 hours'`: relative to a passed-in now.
 */
export type TimeLike = string | number;

/** A time value read into an instant, remembering whether it was written as a date. */
export interface ResolvedTime {
  /** UTC epoch milliseconds. */
  readonly ms: number;
  /** True for date-only values, which count as the whole day when used as an end. */
  readonly isDate: boolean;
}

const ALLOWED =
  "expected a date ('2024-01-01'), an instant ('2024-01-01 12:00:00', '2024-01-01T12:00:00+02:00'), " +
  "epoch milliseconds, YYYYMMDD, or a relative expression ('1 week ago', 'yesterday')";

function fail(value: unknown, why?: string): never {
  throw new TimeParseError(`Cannot read ${JSON.stringify(value)} as a time: ${why ?? ALLOWED}`);
}

/** Midnight UTC of a calendar date, or undefined when the parts are not a real date. */
function dateMs(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return utcMs(year, month, day);
}

function dateFromInt(text: string): number | undefined {
  const m = DATE_INT_RE.exec(text);
  return m ? dateMs(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

function dateFromDashed(text: string): number | undefined {
  const m = DATE_ONLY_RE.exec(text);
  return m ? dateMs(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

function offsetMs(zone: string | undefined, value: unknown): number {
  if (!zone || UTC_SUFFIX_RE.test(zone)) return 0;
  const m = OFFSET_SUFFIX_RE.exec(zone);
  if (!m) fail(value, `unknown zone '${zone}'`);
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) fail(value, `zone offset '${zone}' is out of range`);
  return (m[1] === '-' ? -1 : 1) * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE);
}

function instantFromIso(text: string, value: unknown): number | undefined {
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? '0');
  const date = dateMs(year ?? 0, month ?? 0, day ?? 0);
  if (date === undefined || (hour ?? 0) > 23 || (minute ?? 0) > 59 || second > 59) {
    fail(value, 'its date or time of day is out of range');
  }
  // Sub-millisecond digits are truncated: state and intervals keep whole milliseconds.
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  return (
    date + (hour ?? 0) * MS_PER_HOUR + (minute ?? 0) * MS_PER_MINUTE + second * 1000 + millis -
    offsetMs(m[8], value)
  );
}

/**
 * Reads a time value (SQLMesh `to_datetime`) into an instant plus its date-ness. Relative expressions use
 * `nowMs`, floored to the minute, or to midnight for categorical ones.
 *
 * @example
 * resolveTimeLike('2024-01-01', now)          // { ms: 1704067200000, isDate: true }
 * resolveTimeLike('1 day ago', Date.UTC(2023, 0, 20, 12, 30)) // 2023-01-19T00:00Z, isDate: false
 */
export function resolveTimeLike(value: TimeLike, nowMs: number): ResolvedTime {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(value);
    const date = Number.isInteger(value) ? dateFromInt(String(value)) : undefined;
    return date !== undefined ? { ms: date, isDate: true } : { ms: Math.trunc(value), isDate: false };
  }
  if (typeof value !== 'string') fail(value);
  const cached = absoluteCache.get(value);
  if (cached) return cached;
  const result = resolveText(value, nowMs);
  if (!result.relative) {
    // Absolute values do not depend on now: remember them, since every run re-reads the same model starts.
    if (absoluteCache.size >= ABSOLUTE_CACHE_SIZE) absoluteCache.clear();
    absoluteCache.set(value, result.time);
  }
  return result.time;
}

const ABSOLUTE_CACHE_SIZE = 10_000;
const absoluteCache = new Map<string, ResolvedTime>();

function resolveText(value: string, nowMs: number): { time: ResolvedTime; relative: boolean } {
  const absolute = (time: ResolvedTime) => ({ time, relative: false });
  const text = value.trim();
  if (text === '') fail(value, `the value is empty; ${ALLOWED}`);
  if (NUMERIC_RE.test(text)) {
    const date = dateFromInt(text);
    return absolute(date !== undefined ? { ms: date, isDate: true } : { ms: Math.trunc(Number(text)), isDate: false });
  }
  const date = dateFromDashed(text);
  if (date !== undefined) return absolute({ ms: date, isDate: true });
  if (DATE_ONLY_RE.test(text)) fail(value, 'its date is out of range');
  const instant = instantFromIso(text, value);
  if (instant !== undefined) return absolute({ ms: instant, isDate: false });
  const relative = parseRelativeExpression(text);
  if (relative) return { time: { ms: resolveRelativeExpression(relative, nowMs), isDate: false }, relative: true };
  return fail(value);
}

/** Reads a time value into epoch milliseconds (SQLMesh `to_timestamp`). */
export function toEpochMs(value: TimeLike, nowMs: number): number {
  return resolveTimeLike(value, nowMs).ms;
}

/**
 * True when the value is written as a date (`'2024-01-01'`, `20240101`), i.e. it covers the whole day when
 * used as an end. Instants, epoch milliseconds and relative expressions are never dates.
 */
export function isDateOnly(value: TimeLike): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && dateFromInt(String(value)) !== undefined;
  const text = value.trim();
  return dateFromInt(text) !== undefined || dateFromDashed(text) !== undefined;
}

/**
 * The exclusive end of a range whose end was written as `value`: a date end covers its whole day, so it
 * becomes the next midnight; an instant is already exclusive (SQLMesh `make_exclusive`).
 */
export function toExclusiveEndMs(value: TimeLike, nowMs: number): number {
  const { ms, isDate } = resolveTimeLike(value, nowMs);
  return isDate ? ms + MS_PER_DAY : ms;
}

/** A time value as written, or one already resolved (e.g. an interval bound, which is always an instant). */
export type TimeInput = TimeLike | ResolvedTime;

/** Resolves a {@link TimeInput}; resolved values pass through unchanged. */
export function resolveTimeInput(value: TimeInput, nowMs: number): ResolvedTime {
  return typeof value === 'object' ? value : resolveTimeLike(value, nowMs);
}

/** An epoch-ms instant as a {@link ResolvedTime} (never a date, whatever its digits look like). */
export function instant(ms: number): ResolvedTime {
  return { ms, isDate: false };
}
