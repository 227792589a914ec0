import type { SeedKind } from '../../project/model';
import type { SeedTable } from '../seed-csv';
import type { WriteContext } from '../write-context';

/**
 * SEED: replaces the table's rows with the CSV's, `batch_size` rows per INSERT, all in the batch's
 * transaction so readers never see a half-loaded seed. Cells are cast to the declared column types.
 */
export async function writeSeed(ctx: WriteContext, kind: SeedKind, seed: SeedTable): Promise<number> {
  const { dialect } = ctx;
  const names = seed.columns.map((c) => dialect.quoteIdentifier(c.name)).join(', ');
  await ctx.tx.execute(`DELETE FROM ${ctx.target}`);
  const batchSize = Math.max(1, Math.floor(kind.batchSize));
  for (let offset = 0; offset < seed.rows.length; offset += batchSize) {
    const values = seed.rows.slice(offset, offset + batchSize).map(
      (row) =>
        `(${seed.columns
          .map((c, i) => {
            const cell = row[i] ?? null;
            return cell === null ? 'NULL' : `CAST(${dialect.stringLiteral(cell)} AS ${dialect.columnType(c.type)})`;
          })
          .join(', ')})`,
    );
    await ctx.tx.execute(`INSERT INTO ${ctx.target} (${names}) VALUES\n${values.join(',\n')}`);
  }
  return seed.rows.length;
}
