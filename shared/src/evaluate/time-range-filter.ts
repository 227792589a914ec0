import { EvaluationError } from '../errors';
import type { Interval } from '../schedule/interval';
import { MICROS_PER_MS, NUMERIC_TEXT } from './constants';
import type { SqlDialect } from './sql-dialect';
import type { TableColumn } from './table-columns';
import { formatStrftime, formatUtcDate, formatUtcTimestamp } from './time-format';

/**
 * The predicate selecting one batch's rows: `time_column BETWEEN start AND end - 1µs`, with both bounds
 * written for the column's type (sqlmesh-semantics §2.5). The same predicate deletes the old rows, filters
 * the query's output and scopes `@this_model` in audits, so the three always agree.
 *
 * @example
 * timeRangePredicate(duckdb, { name: 'ds', dataType: 'DATE' }, [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3)], '%Y-%m-%d');
 * // "ds" BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-01-02' AS DATE)
 */
export function timeRangePredicate(
  dialect: SqlDialect,
  column: TableColumn,
  batch: Interval,
  format: string,
): string {
  const [start, end] = batch;
  if (!(end > start)) throw new EvaluationError(`empty batch [${start}, ${end}): end must be after start`);
  const lo = formatBound(dialect, column, start * MICROS_PER_MS, format);
  const hi = formatBound(dialect, column, end * MICROS_PER_MS - 1, format);
  return `${dialect.quoteIdentifier(column.name)} BETWEEN ${lo} AND ${hi}`;
}

function formatBound(dialect: SqlDialect, column: TableColumn, micros: number, format: string): string {
  const kind = dialect.classifyTimeColumn(column.dataType);
  switch (kind) {
    case 'date':
      return dialect.typedLiteral(formatUtcDate(micros), 'DATE');
    case 'timestamp':
      return dialect.typedLiteral(formatUtcTimestamp(micros), 'TIMESTAMP');
    case 'timestamptz':
      return dialect.typedLiteral(`${formatUtcTimestamp(micros)}+00:00`, 'TIMESTAMPTZ');
    case 'text':
      return dialect.stringLiteral(formatStrftime(micros, format));
    case 'number': {
      const text = formatStrftime(micros, format);
      if (!NUMERIC_TEXT.test(text)) {
        throw new EvaluationError(
          `time column '${column.name}' is ${column.dataType} but its format '${format}' gives '${text}', not a number`,
        );
      }
      return text;
    }
    default:
      throw new EvaluationError(
        `time column '${column.name}' has type ${column.dataType}; allowed: DATE, TIMESTAMP, TIMESTAMPTZ, ` +
          'text or integer (formatted with the time_column format)',
      );
  }
}
