import { EvaluationError } from '../errors';
import type { WarehouseSession } from '../ports/warehouse';
import { type PhysicalRelation, type SqlDialect, relationSql } from './sql-dialect';

/** A column of an existing table as the warehouse reports it. */
export interface TableColumn {
  readonly name: string;
  /** `information_schema.columns.data_type`, e.g. `TIMESTAMP`, `character varying`. */
  readonly dataType: string;
}

/**
 * Lists a relation's columns in order through information_schema, which DuckDB and PostgreSQL both provide
 * and which sees tables created earlier in the same transaction.
 */
export async function describeColumns(
  session: Pick<WarehouseSession, 'query'>,
  dialect: SqlDialect,
  relation: PhysicalRelation,
): Promise<TableColumn[]> {
  const catalog = relation.catalog ? dialect.stringLiteral(relation.catalog) : 'current_database()';
  const rows = await session.query(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_catalog = ${catalog}
       AND lower(table_schema) = lower(${dialect.stringLiteral(relation.schema)})
       AND lower(table_name) = lower(${dialect.stringLiteral(relation.table)})
     ORDER BY ordinal_position`,
  );
  const columns = rows.map((r) => ({ name: String(r.column_name), dataType: String(r.data_type) }));
  if (columns.length === 0) {
    throw new EvaluationError(`relation ${relationSql(dialect, relation)} does not exist or has no columns`);
  }
  return columns;
}

/**
 * Finds a column by name, case-insensitively (DuckDB keeps the case it was created with; PostgreSQL folds
 * unquoted names to lower case), so model properties written in any case match the table.
 */
export function findColumn(columns: readonly TableColumn[], name: string, context: string): TableColumn {
  const wanted = name.replace(/^"(.*)"$/s, '$1').toLowerCase();
  const found = columns.find((c) => c.name.toLowerCase() === wanted);
  if (!found) {
    throw new EvaluationError(
      `${context}: column '${name}' is not in the table; its columns are ${columns.map((c) => c.name).join(', ')}`,
    );
  }
  return found;
}
