import type { WarehouseSession } from '../ports/warehouse';
import { STAGING_TABLE, QUERY_ALIAS } from './constants';
import type { EvaluationRequest } from './evaluation-request';
import type { SqlDialect } from './sql-dialect';
import type { TableColumn } from './table-columns';

/** What a kind strategy works with, inside the batch's transaction. */
export interface WriteContext {
  readonly tx: WarehouseSession;
  readonly dialect: SqlDialect;
  readonly request: EvaluationRequest;
  /** Quoted target relation. */
  readonly target: string;
  /** The target table's columns, in order. */
  readonly columns: readonly TableColumn[];
  /** The rendered, reference-rewritten model query. */
  readonly query: string;
}

/** `"a", "b", ...` of the target's columns (inserts go by name, never by position). */
export function columnList(ctx: WriteContext, qualifier?: string): string {
  const prefix = qualifier ? `${qualifier}.` : '';
  return ctx.columns.map((c) => `${prefix}${ctx.dialect.quoteIdentifier(c.name)}`).join(', ');
}

/**
 * The FROM item the batch's rows are read from. A model that reads its own table is staged into a
 * connection-local table first: deleting the batch's range before its query runs would change its input.
 */
export async function prepareSource(ctx: WriteContext, forceStaging = false): Promise<string> {
  if (!forceStaging && !ctx.request.model.dependsOnSelf) return `(\n${ctx.query}\n) AS ${QUERY_ALIAS}`;
  await ctx.tx.execute(ctx.dialect.createStagingTable(STAGING_TABLE, ctx.query));
  return ctx.dialect.quoteIdentifier(STAGING_TABLE);
}

/** Drops the staging table if {@link prepareSource} made one. */
export async function releaseSource(ctx: WriteContext, source: string): Promise<void> {
  if (source === ctx.dialect.quoteIdentifier(STAGING_TABLE)) {
    await ctx.tx.execute(ctx.dialect.dropStagingTable(STAGING_TABLE));
  }
}

/** `SELECT count(*)` of a relation (optionally filtered), as a number. */
export async function countRows(ctx: WriteContext, relation: string, predicate?: string): Promise<number> {
  const where = predicate ? ` WHERE ${predicate}` : '';
  const rows = await ctx.tx.query(`SELECT count(*) AS n FROM ${relation}${where}`);
  return Number(rows[0]?.n ?? 0);
}
