import { EvaluationError, formatLocation } from '../../errors';
import type { IncrementalByTimeRangeKind } from '../../project/model';
import type { Interval } from '../../schedule/interval';
import { findColumn } from '../table-columns';
import { timeRangePredicate } from '../time-range-filter';
import { columnList, countRows, prepareSource, releaseSource, type WriteContext } from '../write-context';

/**
 * The batch predicate of a time-range model against its table (the column type decides how bounds are
 * written). Shared with the audits so they check exactly the rows this batch wrote.
 */
export function batchPredicate(ctx: Pick<WriteContext, 'dialect' | 'columns' | 'request'>, kind: IncrementalByTimeRangeKind): string {
  const batch = requireBatch(ctx.request.batch, ctx.request.model.name, formatLocation(ctx.request.model.location));
  const column = findColumn(ctx.columns, kind.timeColumn, `model '${ctx.request.model.name}' time_column`);
  return timeRangePredicate(ctx.dialect, column, batch, kind.timeColumnFormat);
}

/**
 * INCREMENTAL_BY_TIME_RANGE: deletes the batch's range and inserts the query's rows that fall inside it
 * (rows outside are dropped, sqlmesh-semantics §2.5). Both happen in the batch's transaction, so a failing
 * insert leaves the range's previous rows untouched (regression R15).
 */
export async function writeTimeRange(ctx: WriteContext, kind: IncrementalByTimeRangeKind): Promise<number> {
  const predicate = batchPredicate(ctx, kind);
  const source = await prepareSource(ctx);
  await ctx.tx.execute(`DELETE FROM ${ctx.target} WHERE ${predicate}`);
  await ctx.tx.execute(
    `INSERT INTO ${ctx.target} (${columnList(ctx)})\nSELECT ${columnList(ctx)} FROM ${source} WHERE ${predicate}`,
  );
  await releaseSource(ctx, source);
  return countRows(ctx, ctx.target, predicate);
}

function requireBatch(batch: Interval | undefined, model: string, where: string): Interval {
  if (!batch) {
    throw new EvaluationError(`${where}: model '${model}' is INCREMENTAL_BY_TIME_RANGE and needs a batch interval to evaluate`);
  }
  return batch;
}
