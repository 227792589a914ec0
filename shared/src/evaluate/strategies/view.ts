import type { WriteContext } from '../write-context';

/** VIEW (not materialized): (re)points the view at the current query. Writes no rows. */
export async function writeView(ctx: WriteContext): Promise<number> {
  for (const statement of ctx.dialect.replaceView(ctx.target, ctx.query)) await ctx.tx.execute(statement);
  return 0;
}
