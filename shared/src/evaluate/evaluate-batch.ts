import { judgeAudits, runAudits } from '../audit/run-audits';
import { EvaluationError, formatLocation } from '../errors';
import type { Warehouse } from '../ports/warehouse';
import type { EvaluationRequest, EvaluationResult } from './evaluation-request';
import { createRelation, ensureSchema, inStep, loadSeed, runStatements } from './physical-table';
import { type RuntimeStage, renderModelQuery, renderModelStatements } from './render-model';
import type { SeedTable } from './seed-csv';
import { relationSql, sqlDialectFor } from './sql-dialect';
import { writeFull } from './strategies/full';
import { writeSeed } from './strategies/seed';
import { batchPredicate, writeTimeRange } from './strategies/time-range';
import { writeUniqueKey } from './strategies/unique-key';
import { writeView } from './strategies/view';
import { describeColumns } from './table-columns';
import type { WriteContext } from './write-context';

/**
 * Evaluates one batch of one model (sqlmesh-semantics §6.6):
 *
 * 1. renders the query (macros, then model references → physical relations) and the pre/post-statements;
 * 2. in ONE transaction: pre-statements, the table's creation if it is missing, the kind's write, and the
 *    post-statements, so any failure leaves the table exactly as it was (R15);
 * 3. runs the audits (time-range models: only this batch's rows).
 *
 * A failing blocking audit throws AuditFailedError after the data is committed, as in SQLMesh: the caller
 * must then not record the interval. Failing non-blocking audits come back as warnings. EXTERNAL models are
 * never written; their audits still run. EMBEDDED models cannot be evaluated.
 *
 * Statements run inside the transaction, so ones a warehouse forbids there (DuckDB `VACUUM`, `CHECKPOINT`)
 * fail the batch.
 *
 * @example
 * const { rows, warnings } = await evaluateBatch(warehouse, {
 *   model, target: { schema: 'sqlmesh__shop', table: 'shop__orders__123' }, resolveParent,
 *   batch: [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)], executionTimeMs, gateway: 'local',
 *   userVariables: {}, parser, audits: resolveAudits(model, project.audits), tableMayNotExist: true,
 * });
 */
export async function evaluateBatch(warehouse: Warehouse, request: EvaluationRequest): Promise<EvaluationResult> {
  const { model } = request;
  const { kind } = model;
  const dialect = sqlDialectFor(warehouse.dialect);
  const target = relationSql(dialect, request.target);

  if (kind.name === 'EMBEDDED') {
    throw new EvaluationError(
      `${formatLocation(model.location)}: model '${model.name}' is EMBEDDED: it is inlined into the models that read it and is never evaluated`,
    );
  }
  if (kind.name === 'EXTERNAL') {
    const outcomes = await runAudits(warehouse, request, dialect, { relation: target });
    return { rows: 0, warnings: judgeAudits(outcomes, model.name) };
  }

  const exists = request.tableMayNotExist
    ? await warehouse.relationExists(request.target.schema, request.target.table)
    : true;
  const stage: RuntimeStage = exists ? 'evaluating' : 'creating';
  if (!exists) await ensureSchema(warehouse, dialect, request.target.schema, request.target.catalog);

  const seed = await loadSeed(request);
  const query = seed ? '' : await renderModelQuery(request, dialect, stage);
  const { pre, post } = renderModelStatements(request, dialect, stage);
  const isPlainView = kind.name === 'VIEW' && !kind.materialized;

  const written = await warehouse.transaction(async (tx) => {
    await runStatements(tx, pre, model.name, 'pre-statement');
    if (!exists && !isPlainView) {
      await inStep(model.location, model.name, 'creating the table', () =>
        createRelation(tx, dialect, request, query, seed),
      );
    }
    const columns = isPlainView
      ? []
      : await inStep(model.location, model.name, 'reading the table columns', () =>
          describeColumns(tx, dialect, request.target),
        );
    const ctx: WriteContext = { tx, dialect, request, target, columns, query };
    const rows = await inStep(model.location, model.name, `writing ${kind.name} data`, () => write(ctx, seed));
    const predicate = kind.name === 'INCREMENTAL_BY_TIME_RANGE' ? batchPredicate(ctx, kind) : undefined;
    await runStatements(tx, post, model.name, 'post-statement');
    return { rows, predicate };
  });

  const outcomes = await runAudits(warehouse, request, dialect, {
    relation: target,
    batchPredicate: written.predicate,
  });
  return { rows: written.rows, warnings: judgeAudits(outcomes, model.name) };
}

async function write(ctx: WriteContext, seed: SeedTable | undefined): Promise<number> {
  const { kind } = ctx.request.model;
  switch (kind.name) {
    case 'FULL':
      return writeFull(ctx);
    case 'VIEW':
      return kind.materialized ? writeFull(ctx) : writeView(ctx);
    case 'INCREMENTAL_BY_TIME_RANGE':
      return writeTimeRange(ctx, kind);
    case 'INCREMENTAL_BY_UNIQUE_KEY':
      return writeUniqueKey(ctx, kind);
    case 'SEED':
      if (!seed) throw new EvaluationError(`model '${ctx.request.model.name}': seed was not loaded`);
      return writeSeed(ctx, kind, seed);
    default:
      throw new EvaluationError(`model '${ctx.request.model.name}': kind ${kind.name} is never written`);
  }
}
