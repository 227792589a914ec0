import { UnsupportedFeatureError } from '../errors';
import { DATE_DICT_POSTFIXES, type DateDictPostfix, dateDict, inclusiveEnd, type InstantValue } from '../time/format';

/** Dialects whose literal syntax {@link renderVariableLiterals} knows. */
export const LITERAL_DIALECTS = ['duckdb', 'postgres'] as const;

/**
 * Python's `repr` of a float: integral values keep a trailing `.0` (`1704067200.0`), others print their
 * shortest round-tripping form, which JavaScript's number formatting shares.
 */
export function formatPythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function literal(postfix: DateDictPostfix, value: string | number): string {
  switch (postfix) {
    case 'ds':
    case 'ts':
    case 'tstz':
      return quote(String(value));
    case 'date':
      return `CAST(${quote(String(value))} AS DATE)`;
    case 'dt':
      return `CAST(${quote(String(value))} AS TIMESTAMPTZ)`;
    case 'dtntz':
      return `CAST(${quote(String(value))} AS TIMESTAMP)`;
    case 'epoch':
      return formatPythonFloat(Number(value));
    case 'millis':
    case 'hour':
      return String(value);
  }
}

/**
 * The SQL literal text of every temporal macro variable (§5.2), keyed by lower-case name
 * (`start_ds`, `end_dt`, `execution_epoch`, `latest_millis`, ...), ready to splice into a query:
 * - `*_ds`/`*_ts`/`*_tstz`: quoted strings (`'2024-01-01'`, `'2024-01-01 00:00:00'`, `'...+00:00'`);
 * - `*_date`: `CAST('2024-01-01' AS DATE)`; `*_dt`: `CAST('2024-01-01 00:00:00+00:00' AS TIMESTAMPTZ)`;
 *   `*_dtntz`: `CAST('2024-01-01 00:00:00' AS TIMESTAMP)`;
 * - `*_epoch`: seconds as a float (`1704067200.0`); `*_millis`, `*_hour`: integers.
 *
 * The batch `[start, end)` is made inclusive first (end − 1 µs), so `col BETWEEN @start_ds AND @end_ds` covers
 * exactly the batch. Without a batch, start and end are the epoch (§5.1). `latest_*` alias `execution_*`.
 *
 * @example
 * renderVariableLiterals({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 2) }, Date.UTC(2024, 0, 2, 1), 'duckdb')
 * // { start_ds: "'2024-01-01'", end_ds: "'2024-01-01'", end_ts: "'2024-01-01 23:59:59.999999'", ... }
 */
export function renderVariableLiterals(
  batch: { start: number; end: number } | undefined,
  executionTimeMs: number,
  dialect: string,
): Record<string, string> {
  const normalisedDialect = dialect.trim().toLowerCase();
  if (!(LITERAL_DIALECTS as readonly string[]).includes(normalisedDialect)) {
    throw new UnsupportedFeatureError(
      `cannot render time literals for dialect '${dialect}'; supported dialects: ${LITERAL_DIALECTS.join(', ')}`,
    );
  }
  const start: InstantValue = batch ? batch.start : 0;
  const end: InstantValue = batch ? inclusiveEnd(batch.end, normalisedDialect) : 0;
  const values = dateDict(executionTimeMs, start, end);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    // Prefixes (start, end, execution, latest) have no underscore, so the postfix is what follows the first one.
    const postfix = DATE_DICT_POSTFIXES.find((p) => p === name.slice(name.indexOf('_') + 1));
    if (postfix) out[name] = literal(postfix, value);
  }
  return out;
}
