import { UnsupportedFeatureError } from '../../errors';
import type { IncrementalByUniqueKeyKind } from '../../project/model';
import { renderMacros } from '../../render/macros';
import { MERGE_SOURCE_ALIAS, MERGE_TARGET_ALIAS, PLAIN_IDENTIFIER } from '../constants';
import { modelMacroVariables } from '../render-model';
import { relationSql } from '../sql-dialect';
import {
  findTopLevelKeyword,
  readIdentifier,
  splitListArgument,
  splitTopLevel,
  stripTrailingSemicolons,
  unwrapEnclosingParens,
} from '../sql-scan';
import { findColumn } from '../table-columns';
import { columnList, countRows, prepareSource, releaseSource, type WriteContext } from '../write-context';

/**
 * INCREMENTAL_BY_UNIQUE_KEY: upserts the batch's rows by key, in the batch's transaction.
 *
 * Without `when_matched`/`merge_filter`, target rows whose key appears in the batch are deleted and every
 * batch row is inserted (portable, and what a default MERGE does). With either, a real
 * `MERGE INTO ... AS target USING ... AS source` runs, with `merge_filter` added to the ON condition and the
 * `when_matched` clauses as written (SQLMesh's `target.`/`source.` qualifiers work as is).
 *
 * Batch rows are NOT deduplicated by key, as in SQLMesh: a batch holding one key twice inserts both rows.
 * Keys compare with `=`, so a NULL key never matches and its rows accumulate. Returns the batch's row count.
 */
export async function writeUniqueKey(ctx: WriteContext, kind: IncrementalByUniqueKeyKind): Promise<number> {
  const keys = uniqueKeyColumns(ctx, kind);
  const source = await prepareSource(ctx, true);
  const q = (name: string) => ctx.dialect.quoteIdentifier(name);
  const on = keys.map((k) => `${MERGE_TARGET_ALIAS}.${q(k)} = ${MERGE_SOURCE_ALIAS}.${q(k)}`).join(' AND ');

  if (kind.whenMatched === undefined && kind.mergeFilter === undefined) {
    await ctx.tx.execute(
      `DELETE FROM ${ctx.target} AS ${MERGE_TARGET_ALIAS} WHERE EXISTS (SELECT 1 FROM ${source} AS ${MERGE_SOURCE_ALIAS} WHERE ${on})`,
    );
    await ctx.tx.execute(`INSERT INTO ${ctx.target} (${columnList(ctx)})\nSELECT ${columnList(ctx)} FROM ${source}`);
  } else {
    const filter = kind.mergeFilter === undefined ? '' : ` AND (${renderKindSql(ctx, kind.mergeFilter)})`;
    const matched =
      kind.whenMatched === undefined ? defaultWhenMatched(ctx, keys) : unqualifySetTargets(renderKindSql(ctx, kind.whenMatched));
    await ctx.tx.execute(
      `MERGE INTO ${ctx.target} AS ${MERGE_TARGET_ALIAS}\nUSING ${source} AS ${MERGE_SOURCE_ALIAS}\nON ${on}${filter}\n` +
        `${matched}\nWHEN NOT MATCHED THEN INSERT (${columnList(ctx)}) VALUES (${columnList(ctx, MERGE_SOURCE_ALIAS)})`,
    );
  }
  const rows = await countRows(ctx, source);
  await releaseSource(ctx, source);
  return rows;
}

/** The key's actual column names; expressions as keys are not supported. */
function uniqueKeyColumns(ctx: WriteContext, kind: IncrementalByUniqueKeyKind): string[] {
  const where = `model '${ctx.request.model.name}' unique_key`;
  const keys = kind.uniqueKey.flatMap((k) => splitListArgument(k));
  if (keys.length === 0) throw new UnsupportedFeatureError(`${where} is empty`, ctx.request.model.location);
  return keys.map((key) => {
    if (!PLAIN_IDENTIFIER.test(key.trim())) {
      throw new UnsupportedFeatureError(
        `${where} '${key}' is an expression; Meshcron supports column names only`,
        ctx.request.model.location,
      );
    }
    return findColumn(ctx.columns, readIdentifier(key.trim(), 0)?.name ?? key, where).name;
  });
}

/** Updates every non-key column from the source; with only key columns there is nothing to update. */
function defaultWhenMatched(ctx: WriteContext, keys: readonly string[]): string {
  const keySet = new Set(keys);
  const sets = ctx.columns
    .filter((c) => !keySet.has(c.name))
    .map((c) => `${ctx.dialect.quoteIdentifier(c.name)} = ${MERGE_SOURCE_ALIAS}.${ctx.dialect.quoteIdentifier(c.name)}`);
  return sets.length === 0 ? '' : `WHEN MATCHED THEN UPDATE SET ${sets.join(', ')}`;
}

/** Kind properties may use macro variables (`source.ds > @start_ds`); they see what the query sees. */
function renderKindSql(ctx: WriteContext, sql: string): string {
  const { request, dialect } = ctx;
  const variables = modelMacroVariables(request, request.model, 'evaluating', 'query', relationSql(dialect, request.target));
  const rendered = renderMacros(sql, { variables, userVariables: request.userVariables, location: request.model.location });
  return unwrapEnclosingParens(stripTrailingSemicolons(rendered));
}

/**
 * SQLMesh writes `UPDATE SET target.col = ...`, but DuckDB and PostgreSQL reject a qualified column on the
 * left of a MERGE assignment; the qualifier is redundant there, so it is removed.
 */
export function unqualifySetTargets(clauses: string): string {
  const sets = findTopLevelKeyword(clauses, 'set');
  const whens = findTopLevelKeyword(clauses, 'when');
  let out = clauses;
  for (const setAt of [...sets].reverse()) {
    const start = setAt + 3;
    const end = whens.find((w) => w > setAt) ?? clauses.length;
    const assignments = splitTopLevel(clauses.slice(start, end)).map((a) =>
      a.replace(/^("target"|target)\s*\.\s*/i, ''),
    );
    out = `${out.slice(0, start)} ${assignments.join(', ')}${end < clauses.length ? ' ' : ''}${out.slice(end)}`;
  }
  return out;
}
