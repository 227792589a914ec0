import { EvaluationError, formatLocation, SchedulerError, type SourceLocation } from '../errors';
import { errorMessage } from './error-message';
import type { SqlStatement } from '../project/model';
import type { Warehouse, WarehouseSession } from '../ports/warehouse';
import { QUERY_ALIAS } from './constants';
import type { EvaluationRequest } from './evaluation-request';
import { renderModelQuery, renderModelStatements } from './render-model';
import type { SeedTable } from './seed-csv';
import { parseSeedCsv } from './seed-csv';
import { type SqlDialect, relationSql, sqlDialectFor } from './sql-dialect';

/**
 * Creates the schema of a relation if it is missing. Runs outside any transaction: two batches creating
 * the same schema inside transactions conflict on DuckDB's catalog even with IF NOT EXISTS, and losing
 * that race here only means someone else created it.
 */
export async function ensureSchema(
  warehouse: Warehouse,
  dialect: SqlDialect,
  schema: string,
  catalog?: string,
): Promise<void> {
  const name = catalog ? `${dialect.quoteIdentifier(catalog)}.${dialect.quoteIdentifier(schema)}` : dialect.quoteIdentifier(schema);
  try {
    await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS ${name}`);
  } catch (e) {
    const rows = await warehouse.query(
      `SELECT 1 AS found FROM information_schema.schemata WHERE lower(schema_name) = lower(${dialect.stringLiteral(schema)})`,
    );
    if (rows.length === 0) throw e;
  }
}

/**
 * Creates the model's relation inside `tx`: a view for non-materialized VIEW models; otherwise a table with
 * the declared `columns`, the seed's columns, or the query's output schema (`... LIMIT 0`).
 */
export async function createRelation(
  tx: WarehouseSession,
  dialect: SqlDialect,
  request: EvaluationRequest,
  query: string,
  seed: SeedTable | undefined,
): Promise<void> {
  const { model } = request;
  const target = relationSql(dialect, request.target);
  if (model.kind.name === 'VIEW' && !model.kind.materialized) {
    for (const statement of dialect.replaceView(target, query)) await tx.execute(statement);
    return;
  }
  const columns = seed?.columns ?? (model.columns && model.columns.length > 0 ? model.columns : undefined);
  if (columns) {
    const list = columns.map((c) => `${dialect.quoteIdentifier(c.name)} ${dialect.columnType(c.type)}`).join(', ');
    await tx.execute(`CREATE TABLE IF NOT EXISTS ${target} (${list})`);
    return;
  }
  await tx.execute(`CREATE TABLE IF NOT EXISTS ${target} AS\nSELECT * FROM (\n${query}\n) AS ${QUERY_ALIAS} LIMIT 0`);
}

/** Reads and parses a SEED model's CSV through the request's file reader. */
export async function loadSeed(request: EvaluationRequest): Promise<SeedTable | undefined> {
  const { model } = request;
  if (model.kind.name !== 'SEED') return undefined;
  if (!request.readSeedFile) {
    throw new EvaluationError(
      `${formatLocation(model.location)}: SEED model '${model.name}' cannot be loaded: no readSeedFile was given to the evaluator`,
    );
  }
  let text: string;
  try {
    text = await request.readSeedFile(model.kind.path);
  } catch (e) {
    throw new EvaluationError(
      `${formatLocation(model.location)}: cannot read seed '${model.kind.relativePath}' of model '${model.name}': ${errorMessage(e)}`,
      { cause: e },
    );
  }
  return parseSeedCsv(text, model.kind, model.columns, model.location);
}

/** Runs rendered statements in order, naming the failing one's file and line. */
export async function runStatements(
  tx: WarehouseSession,
  statements: readonly SqlStatement[],
  model: string,
  label: string,
): Promise<void> {
  for (const statement of statements) {
    await inStep(statement.location, model, label, () => tx.execute(statement.sql));
  }
}

/**
 * Runs one evaluation step, re-throwing warehouse failures as an EvaluationError that says which model,
 * where and which step. Errors that already describe a project problem pass through unchanged.
 */
export async function inStep<T>(
  location: SourceLocation,
  model: string,
  label: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof SchedulerError && !(e instanceof EvaluationError)) throw e;
    throw new EvaluationError(`${formatLocation(location)}: model '${model}': ${label} failed: ${errorMessage(e)}`, {
      cause: e,
    });
  }
}

/**
 * Creates the model's physical table (or view) if it does not exist, running the pre- and post-statements
 * around it with `@runtime_stage = 'creating'`, all in one transaction. EMBEDDED and EXTERNAL models have
 * no table. Returns true when it created the relation.
 *
 * @example
 * const created = await ensurePhysicalTable(warehouse, request); // before a plan's backfill
 */
export async function ensurePhysicalTable(warehouse: Warehouse, request: EvaluationRequest): Promise<boolean> {
  const { model } = request;
  if (model.kind.name === 'EMBEDDED' || model.kind.name === 'EXTERNAL') return false;
  if (await warehouse.relationExists(request.target.schema, request.target.table)) return false;
  const dialect = sqlDialectFor(warehouse.dialect);
  await ensureSchema(warehouse, dialect, request.target.schema, request.target.catalog);
  const seed = await loadSeed(request);
  const query = seed ? '' : await renderModelQuery(request, dialect, 'creating');
  const { pre, post } = renderModelStatements(request, dialect, 'creating');
  await warehouse.transaction(async (tx) => {
    await runStatements(tx, pre, model.name, 'pre-statement');
    await inStep(model.location, model.name, 'creating the table', () => createRelation(tx, dialect, request, query, seed));
    await runStatements(tx, post, model.name, 'post-statement');
  });
  return true;
}
