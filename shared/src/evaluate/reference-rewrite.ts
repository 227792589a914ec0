import { EvaluationError } from '../errors';
import type { TableReference } from '../ports/sql-parser';
import { MAX_SQL_PREVIEW_CHARS, NON_ALIAS_KEYWORDS } from './constants';
import { referenceModelName } from './model-name';
import { readIdentifier, readIdentifierChain, skipTrivia } from './sql-scan';

/**
 * Replaces each model reference in `sql` with the relation that holds the model's data.
 *
 * `refs` come from the SqlParser port run on this exact `sql` (their offsets index into it). For each one,
 * `resolve` receives the normalised model name (`shop.orders`, see normalizeModelName) and returns either
 * the physical relation text (`"sqlmesh__shop"."shop__orders__123"`), an inlined subquery starting with `(`
 * (EMBEDDED models), or undefined to leave the reference as written (CTEs, tables Meshcron does not manage).
 *
 * The original name stays usable as a column qualifier: when the reference has no alias, `AS <table>` is
 * added, with the table identifier exactly as it was written.
 *
 * @example
 * rewriteModelReferences('SELECT o.id FROM shop.orders o', [{ schema: 'shop', table: 'orders', offset: 17 }],
 *   (n) => (n === 'shop.orders' ? '"sqlmesh__shop"."shop__orders__1"' : undefined));
 * // 'SELECT o.id FROM "sqlmesh__shop"."shop__orders__1" o'
 */
export function rewriteModelReferences(
  sql: string,
  refs: readonly TableReference[],
  resolve: (name: string) => string | undefined,
): string {
  const byOffset = new Map<number, TableReference>();
  for (const ref of refs) byOffset.set(ref.offset, ref);
  // Right to left, so each splice leaves the offsets of the references still to do unchanged.
  const ordered = [...byOffset.values()].sort((a, b) => b.offset - a.offset);
  let out = sql;
  for (const ref of ordered) {
    const name = referenceModelName(ref);
    const replacement = resolve(name);
    if (replacement === undefined) continue;
    const partCount = (ref.catalog ? 1 : 0) + (ref.schema ? 1 : 0) + 1;
    const chain = readIdentifierChain(sql, ref.offset, partCount);
    const last = chain?.names[chain.names.length - 1];
    if (!chain || last === undefined || last.toLowerCase() !== ref.table.toLowerCase()) {
      const found = sql.slice(ref.offset, ref.offset + 60);
      throw new EvaluationError(
        `cannot rewrite reference to '${name}': the SQL at offset ${ref.offset} reads '${found}', not a ` +
          `${partCount}-part name ending in '${ref.table}' (parser offsets and SQL text disagree) in: ` +
          sql.slice(0, MAX_SQL_PREVIEW_CHARS),
      );
    }
    const alias = sql.slice(chain.lastStart, chain.end);
    const text = aliasFollows(sql, chain.end) ? replacement : `${replacement} AS ${alias}`;
    out = out.slice(0, ref.offset) + text + out.slice(chain.end);
  }
  return out;
}

/** True when an alias (`AS x`, `x`, `"x"`) follows a table reference ending at `end`. */
function aliasFollows(sql: string, end: number): boolean {
  const ident = readIdentifier(sql, skipTrivia(sql, end));
  if (!ident) return false;
  if (ident.quoted) return true;
  const word = ident.name.toLowerCase();
  return word === 'as' || !NON_ALIAS_KEYWORDS.has(word);
}
