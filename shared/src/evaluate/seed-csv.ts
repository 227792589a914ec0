import { parse } from 'csv-parse/sync';
import { ProjectParseError, type SourceLocation } from '../errors';
import { errorMessage } from './error-message';
import type { ColumnDefinition, SeedKind } from '../project/model';
import { INFERRED_SEED_TYPES } from './constants';

/** A seed CSV read into typed columns and text cells (NULL for empty cells). */
export interface SeedTable {
  readonly columns: readonly ColumnDefinition[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
}

/**
 * Parses a seed CSV with the model's `csv_settings`. With declared `columns`, those names and types are used
 * (matched to the header case-insensitively, or by position without a header); otherwise the header names
 * are kept and each column's type is inferred (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, else VARCHAR).
 * Without a header and without declared columns, columns are named `column_1`, `column_2`, ...
 *
 * @throws ProjectParseError (at the model) when the CSV is malformed or lacks a declared column.
 */
export function parseSeedCsv(
  text: string,
  kind: SeedKind,
  declared: readonly ColumnDefinition[] | undefined,
  location: SourceLocation,
): SeedTable {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: kind.csvSettings.delimiter,
      quote: kind.csvSettings.quotechar,
      bom: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (e) {
    throw new ProjectParseError(`seed '${kind.relativePath}' is not valid CSV: ${errorMessage(e)}`, location, { cause: e });
  }
  const header = kind.csvSettings.header ? (records.shift() ?? []) : undefined;
  const width = header?.length ?? records[0]?.length ?? declared?.length ?? 0;
  const names = header ?? Array.from({ length: width }, (_v, i) => declared?.[i]?.name ?? `column_${i + 1}`);
  const cells = records.map((r) => r.map((cell) => (cell === '' ? null : cell)));

  if (!declared || declared.length === 0) {
    const columns = names.map((name, i) => ({ name, type: inferType(cells.map((r) => r[i] ?? null)) }));
    return { columns, rows: cells };
  }
  const indexes = declared.map((column) => {
    const index = names.findIndex((n) => n.toLowerCase() === column.name.toLowerCase());
    if (index < 0) {
      throw new ProjectParseError(
        `seed '${kind.relativePath}' has no column '${column.name}' declared in columns (...); its columns are ${names.join(', ')}`,
        location,
      );
    }
    return index;
  });
  return { columns: declared, rows: cells.map((r) => indexes.map((i) => r[i] ?? null)) };
}

function inferType(values: ReadonlyArray<string | null>): string {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'VARCHAR';
  const match = INFERRED_SEED_TYPES.find(([pattern]) => present.every((v) => pattern.test(v)));
  return match ? match[1] : 'VARCHAR';
}
