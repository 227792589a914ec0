import { types } from 'pg';

/**
 * Text-format result parsers that turn PostgreSQL values into the same plain, JSON-friendly JS as the DuckDB
 * adapter: integers beyond 2^53 as decimal strings, dates as `YYYY-MM-DD`, timestamps as ISO-8601 UTC. The
 * driver's defaults would build `Date` objects in the PROCESS time zone for DATE and TIMESTAMP, which makes
 * results depend on where the code runs.
 */

/** Type OIDs of the built-in types converted here (`pg_type.oid`, fixed across versions). */
const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INTERVAL: 1186,
  INT8_ARRAY: 1016,
  NUMERIC_ARRAY: 1231,
  DATE_ARRAY: 1182,
  TIMESTAMP_ARRAY: 1115,
  TIMESTAMPTZ_ARRAY: 1185,
  INTERVAL_ARRAY: 1187,
  TEXT_ARRAY: 1009,
} as const;

/** Significant digits a double always reproduces exactly when printed back. */
const EXACT_DOUBLE_DIGITS = 15;
/**
 * PostgreSQL's ISO output of a TIMESTAMP or TIMESTAMPTZ: `2024-01-01 23:59:59.999999+05:30`, years of 4+
 * digits, optional fraction, optional offset (TIMESTAMPTZ only; seconds when the zone has them), ` BC`.
 */
const TIMESTAMP_TEXT = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?( BC)?$/;

type TextParser = (text: string) => unknown;

const parseText: TextParser = (text) => text;

/** BIGINT: a number when it fits a double exactly, else its decimal string. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * NUMERIC: a number when a double holds it exactly (integers up to 2^53, at most 15 significant digits),
 * else the decimal string, so a DECIMAL(38, 10) sum never loses digits silently. NaN and infinities stay text.
 */
export function parseNumeric(text: string): number | string {
  if (/^-?\d+$/.test(text)) return parseInt8(text);
  const m = /^-?(\d*)\.(\d+)$/.exec(text);
  if (!m) return text;
  const digits = `${m[1] ?? ''}${m[2] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= EXACT_DOUBLE_DIGITS ? Number(text) : text;
}

/**
 * TIMESTAMP / TIMESTAMPTZ text to ISO-8601 UTC (`2024-01-01T01:02:03.000Z`; six fraction digits when the
 * value has sub-millisecond precision), as the DuckDB adapter writes them. A TIMESTAMP (no zone) is read as
 * UTC, which is how Meshcron writes every time value. Infinite values stay `infinity` / `-infinity`.
 */
export function parseTimestamp(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, fraction = '', sign, oh = '0', om = '0', os = '0', bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const micros = Number(fraction.padEnd(6, '0'));
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Math.floor(micros / 1000));
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000 : 0;
  const iso = new Date(date.getTime() - offsetMs).toISOString();
  const subMillis = micros % 1000;
  return subMillis === 0 ? iso : `${iso.slice(0, -1)}${String(subMillis).padStart(3, '0')}Z`;
}

/** Array OIDs are missing from pg-types' TypeId enum, though getTypeParser accepts them. */
const getDriverParser = types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;
/** The driver's TEXT[] parser splits any array literal into (nested) text elements and NULLs. */
const parseTextArray = getDriverParser(OID.TEXT_ARRAY, 'text') as (text: string) => unknown;

function arrayOf(parse: TextParser): TextParser {
  const convert = (entry: unknown): unknown =>
    Array.isArray(entry) ? entry.map(convert) : typeof entry === 'string' ? parse(entry) : entry;
  return (text) => convert(parseTextArray(text));
}

/** Our parsers by type OID; DATE and INTERVAL keep PostgreSQL's text (`2024-02-29`, `1 day 02:00:00`). */
const PARSERS: ReadonlyMap<number, TextParser> = new Map<number, TextParser>([
  [OID.INT8, parseInt8],
  [OID.NUMERIC, parseNumeric],
  [OID.DATE, parseText],
  [OID.TIMESTAMP, parseTimestamp],
  [OID.TIMESTAMPTZ, parseTimestamp],
  [OID.INTERVAL, parseText],
  [OID.INT8_ARRAY, arrayOf(parseInt8)],
  [OID.NUMERIC_ARRAY, arrayOf(parseNumeric)],
  [OID.DATE_ARRAY, arrayOf(parseText)],
  [OID.TIMESTAMP_ARRAY, arrayOf(parseTimestamp)],
  [OID.TIMESTAMPTZ_ARRAY, arrayOf(parseTimestamp)],
  [OID.INTERVAL_ARRAY, arrayOf(parseText)],
]);

/**
 * The `types` option of a pg Pool: our parsers for the types above, the driver's for everything else
 * (booleans, 2- and 4-byte integers, floats, JSON, text arrays already come out as plain JS).
 *
 * @example
 * new Pool({ ...connection, types: plainPostgresTypes });
 */
export const plainPostgresTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    (format === undefined || format === 'text' ? PARSERS.get(oid) : undefined) ?? getDriverParser(oid, format),
} as const;
