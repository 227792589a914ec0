import { UnsupportedFeatureError } from '../errors';

/**
 * Every place where the SQL the evaluator generates differs between warehouses. Strategies build statements
 * only through this interface, so supporting another engine means adding one object here.
 */

/** How a time column's type is compared against batch bounds (sqlmesh-semantics §2.5). */
export type TimeColumnClass = 'date' | 'timestamp' | 'timestamptz' | 'text' | 'number';

/** A relation in the warehouse: a table or view, optionally in another catalog. */
export interface PhysicalRelation {
  readonly catalog?: string;
  readonly schema: string;
  readonly table: string;
}

/** SQL shapes of one warehouse dialect. */
export interface SqlDialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  stringLiteral(value: string): string;
  /** A literal of a DATE / TIMESTAMP / TIMESTAMPTZ written as text. */
  typedLiteral(text: string, type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ'): string;
  /** Classifies an `information_schema.columns.data_type`; undefined = cannot hold a time. */
  classifyTimeColumn(dataType: string): TimeColumnClass | undefined;
  /** Statements that replace (or create) a view so it selects `query`. */
  replaceView(relation: string, query: string): string[];
  /** Creates a connection-local table holding `query`'s rows for the current transaction. */
  createStagingTable(name: string, query: string): string;
  dropStagingTable(name: string): string;
  /** What a FROM-position subquery looks like; engines that require an alias get one. */
  subqueryRelation(query: string): string;
  /**
   * A column type as this engine spells it. Project files (declared `columns`, inferred seed types) use
   * DuckDB's names, as SQLMesh projects with `dialect duckdb` do; other engines map the ones they lack.
   */
  columnType(type: string): string;
}

/** Quoted `"schema"."table"` (or three parts) of a relation. */
export function relationSql(dialect: SqlDialect, relation: PhysicalRelation): string {
  const parts = relation.catalog ? [relation.catalog, relation.schema, relation.table] : [relation.schema, relation.table];
  return parts.map((p) => dialect.quoteIdentifier(p)).join('.');
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** DuckDB type names as information_schema reports them, plus their aliases. */
function classifyDuckDbType(dataType: string): TimeColumnClass | undefined {
  const t = dataType.trim().toUpperCase();
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamptz';
  if (/^TIMESTAMP(_S|_MS|_NS)?$|^DATETIME$/.test(t)) return 'timestamp';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)(\(\d+\))?$/.test(t)) return 'text';
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) {
    return 'number';
  }
  return undefined;
}

function classifyPostgresType(dataType: string): TimeColumnClass | undefined {
  const t = dataType.trim().toLowerCase();
  if (t === 'date') return 'date';
  if (t === 'timestamp with time zone') return 'timestamptz';
  if (t === 'timestamp without time zone') return 'timestamp';
  if (t === 'text' || t === 'character varying' || t === 'character') return 'text';
  if (t === 'smallint' || t === 'integer' || t === 'bigint') return 'number';
  return undefined;
}

/**
 * DuckDB type names PostgreSQL does not know, and the PostgreSQL type holding the same values (same width
 * for floats; NUMERIC wide enough for unsigned and 128-bit integers). Matched on the whole type name.
 */
const POSTGRES_TYPE_FOR_DUCKDB: Readonly<Record<string, string>> = {
  DOUBLE: 'DOUBLE PRECISION',
  FLOAT: 'REAL',
  TINYINT: 'SMALLINT',
  INT1: 'SMALLINT',
  UTINYINT: 'SMALLINT',
  USMALLINT: 'INTEGER',
  UINTEGER: 'BIGINT',
  UBIGINT: 'NUMERIC(20, 0)',
  HUGEINT: 'NUMERIC(39, 0)',
  UHUGEINT: 'NUMERIC(39, 0)',
  STRING: 'TEXT',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP_S: 'TIMESTAMP(0)',
  TIMESTAMP_MS: 'TIMESTAMP(3)',
  TIMESTAMP_NS: 'TIMESTAMP',
  TIMESTAMP_US: 'TIMESTAMP',
  BLOB: 'BYTEA',
};

function postgresColumnType(type: string): string {
  return POSTGRES_TYPE_FOR_DUCKDB[type.trim().toUpperCase()] ?? type;
}

const duckdb: SqlDialect = {
  name: 'duckdb',
  quoteIdentifier,
  stringLiteral,
  typedLiteral: (text, type) => `CAST(${stringLiteral(text)} AS ${type})`,
  classifyTimeColumn: classifyDuckDbType,
  replaceView: (relation, query) => [`CREATE OR REPLACE VIEW ${relation} AS\n${query}`],
  createStagingTable: (name, query) => `CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(name)} AS\n${query}`,
  dropStagingTable: (name) => `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`,
  // DuckDB accepts an unaliased subquery in FROM, which lets `FROM @this_model AS t` stay valid.
  subqueryRelation: (query) => `(${query})`,
  columnType: (type) => type,
};

const postgres: SqlDialect = {
  name: 'postgres',
  quoteIdentifier,
  stringLiteral,
  typedLiteral: (text, type) => `CAST(${stringLiteral(text)} AS ${type})`,
  classifyTimeColumn: classifyPostgresType,
  replaceView: (relation, query) => [replacePostgresView(relation, query)],
  createStagingTable: (name, query) => `CREATE TEMP TABLE ${quoteIdentifier(name)} ON COMMIT DROP AS\n${query}`,
  dropStagingTable: (name) => `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`,
  // PostgreSQL before 16 requires an alias on a FROM subquery.
  subqueryRelation: (query) => `(${query}) AS __meshcron_this_model`,
  columnType: postgresColumnType,
};

/**
 * PostgreSQL's CREATE OR REPLACE VIEW keeps the views that depend on this one but cannot drop, rename or
 * retype columns (SQLSTATE 42P16); DROP + CREATE can, but fails while other views depend on it (a VIEW
 * model read by another VIEW model is re-evaluated on every run). So: replace in place, and only when the
 * columns changed, drop and create. A DO block is the one way to branch on that error inside the caller's
 * transaction; every statement it runs is passed as a dollar-quoted string, so the query text is untouched.
 */
function replacePostgresView(relation: string, query: string): string {
  const create = `CREATE VIEW ${relation} AS\n${query}`;
  const replace = `CREATE OR REPLACE VIEW ${relation} AS\n${query}`;
  const drop = `DROP VIEW IF EXISTS ${relation}`;
  const inner = dollarQuoteTag(`${replace}\n${drop}`, 'meshcron_sql');
  const body =
    `BEGIN\n  EXECUTE ${inner}${replace}${inner};\n` +
    `EXCEPTION WHEN invalid_table_definition THEN\n` +
    `  EXECUTE ${inner}${drop}${inner};\n  EXECUTE ${inner}${create}${inner};\nEND`;
  const outer = dollarQuoteTag(body, 'meshcron_do');
  return `DO ${outer}\n${body}\n${outer}`;
}

/** A `$tag$` that does not occur in `text`, so `text` can be dollar-quoted verbatim. */
function dollarQuoteTag(text: string, base: string): string {
  let tag = `$${base}$`;
  for (let i = 1; text.includes(tag); i += 1) tag = `$${base}_${i}$`;
  return tag;
}

const DIALECTS: Readonly<Record<string, SqlDialect>> = { duckdb, postgres };

/** The dialect object for a warehouse's `dialect` name; throws UnsupportedFeatureError for others. */
export function sqlDialectFor(name: string): SqlDialect {
  const dialect = DIALECTS[name.toLowerCase()];
  if (!dialect) {
    throw new UnsupportedFeatureError(
      `warehouse dialect '${name}' is not supported; supported: ${Object.keys(DIALECTS).join(', ')}`,
    );
  }
  return dialect;
}
