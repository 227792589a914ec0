import { digestTimestamp, floorMod } from './calendar';
import { MS_PER_DAY, NANOS_PER_MS } from './constants';
import { resolveTimeLike, type TimeLike } from './time-like';

/**
 * An instant finer than a millisecond. Inclusive ends are `end - 1 µs` (or `- 1 ns` for T-SQL), which epoch
 * milliseconds cannot hold, so they carry the extra nanoseconds beside the whole milliseconds.
 */
export interface PreciseInstant {
  /** Whole UTC epoch milliseconds (floor of the instant). */
  readonly ms: number;
  /** Nanoseconds after `ms`, in `[0, 1_000_000)`. */
  readonly nanos: number;
}

/** Either plain epoch milliseconds or a {@link PreciseInstant}. */
export type InstantValue = number | PreciseInstant;

function parts(value: InstantValue): { ms: number; nanos: number } {
  return typeof value === 'number' ? { ms: value, nanos: 0 } : value;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Fractional seconds the way Python's `isoformat` prints them: nothing when zero, six digits (µs) when the
 * value is a whole number of microseconds, nine digits (ns) otherwise.
 */
function fraction(ms: number, nanos: number): string {
  const subSecondNanos = floorMod(ms, 1000) * NANOS_PER_MS + nanos;
  if (subSecondNanos === 0) return '';
  if (subSecondNanos % 1000 === 0) return `.${pad(subSecondNanos / 1000, 6)}`;
  return `.${pad(subSecondNanos, 9)}`;
}

/** `YYYY-MM-DD` of an instant, in UTC (SQLMesh `to_ds`). */
export function toDs(value: InstantValue): string {
  const d = digestTimestamp(parts(value).ms);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC without a zone suffix (SQLMesh `to_ts`). */
export function toTs(value: InstantValue): string {
  const { ms, nanos } = parts(value);
  const d = digestTimestamp(ms);
  return `${toDs(ms)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${fraction(ms, nanos)}`;
}

/** {@link toTs} followed by `+00:00` (SQLMesh `to_tstz`). */
export function toTstz(value: InstantValue): string {
  return `${toTs(value)}+00:00`;
}

/** `YYYY-MM-DDTHH:MM:SS[.fff…]Z`, the form the conformance vectors and logs use. */
export function toIsoZ(value: InstantValue): string {
  return `${toTs(value).replace(' ', 'T')}Z`;
}

/**
 * The inclusive end of an exclusive end `endMs`: one microsecond earlier, or one nanosecond for T-SQL,
 * whose DATETIME2 keeps 100 ns precision.
 */
export function inclusiveEnd(endMs: number, dialect?: string): PreciseInstant {
  return { ms: endMs - 1, nanos: dialect === 'tsql' ? NANOS_PER_MS - 1 : NANOS_PER_MS - 1000 };
}

/**
 * SQLMesh `make_inclusive`: the start as an instant and the end made inclusive. A date end covers its whole
 * day (`'2020-01-01'` gives `2020-01-01 23:59:59.999999`); an instant end is exclusive and loses 1 µs.
 *
 * @example
 * makeInclusive('2020-01-01', '2020-01-01 12:00:00', now) // [2020-01-01 00:00, 2020-01-01 11:59:59.999999]
 */
export function makeInclusive(
  start: TimeLike,
  end: TimeLike,
  nowMs: number,
  dialect?: string,
): [start: PreciseInstant, end: PreciseInstant] {
  const endTime = resolveTimeLike(end, nowMs);
  const exclusive = endTime.isDate ? endTime.ms + MS_PER_DAY : endTime.ms;
  return [{ ms: resolveTimeLike(start, nowMs).ms, nanos: 0 }, inclusiveEnd(exclusive, dialect)];
}

/** A value of {@link dateDict}: text for dates/timestamps, numbers for epoch, millis and hour. */
export type DateDictValue = string | number;

/** The postfixes every temporal macro variable prefix takes (§5.2). */
export const DATE_DICT_POSTFIXES = [
  'dt',
  'dtntz',
  'date',
  'ds',
  'ts',
  'tstz',
  'epoch',
  'millis',
  'hour',
] as const;

/** One of {@link DATE_DICT_POSTFIXES}. */
export type DateDictPostfix = (typeof DATE_DICT_POSTFIXES)[number];

function prefixValues(value: InstantValue): Record<DateDictPostfix, DateDictValue> {
  const { ms } = parts(value);
  return {
    dt: toTstz(value),
    dtntz: toTs(value),
    date: toDs(value),
    ds: toDs(value),
    ts: toTs(value),
    tstz: toTstz(value),
    // Python truncates the datetime to whole milliseconds for millis and derives epoch from millis.
    epoch: ms / 1000,
    millis: ms,
    hour: digestTimestamp(ms).hour,
  };
}

/**
 * SQLMesh `date_dict`: every temporal variable (`start_ds`, `end_ts`, `execution_epoch`, ...) for the given
 * instants, keyed by lower-case name. The values are used verbatim (apply {@link makeInclusive} to the end
 * first). `latest_*` are kept as deprecated aliases of `execution_*`. `*_dt`/`*_dtntz`/`*_date` are given as
 * their text (`'2020-01-01 00:00:00+00:00'`, `'2020-01-01 00:00:00'`, `'2020-01-01'`).
 */
export function dateDict(
  executionTime: InstantValue,
  start?: InstantValue,
  end?: InstantValue,
): Record<string, DateDictValue> {
  const out: Record<string, DateDictValue> = {};
  const prefixes: [string, InstantValue | undefined][] = [
    ['latest', executionTime],
    ['execution', executionTime],
    ['start', start],
    ['end', end],
  ];
  for (const [prefix, value] of prefixes) {
    if (value === undefined) continue;
    const values = prefixValues(value);
    for (const postfix of DATE_DICT_POSTFIXES) out[`${prefix}_${postfix}`] = values[postfix];
  }
  return out;
}
