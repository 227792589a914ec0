import { columnList, countRows, prepareSource, releaseSource, type WriteContext } from '../write-context';

/**
 * FULL (and materialized VIEW): replaces every row with the query's output. It runs inside the batch's
 * transaction, so a failing query leaves the previous contents in place; the table itself is kept (not
 * dropped and re-created) so that views and grants pointing at it survive on every engine.
 */
export async function writeFull(ctx: WriteContext): Promise<number> {
  const source = await prepareSource(ctx);
  await ctx.tx.execute(`DELETE FROM ${ctx.target}`);
  await ctx.tx.execute(`INSERT INTO ${ctx.target} (${columnList(ctx)})\nSELECT ${columnList(ctx)} FROM ${source}`);
  await releaseSource(ctx, source);
  return countRows(ctx, ctx.target);
}
