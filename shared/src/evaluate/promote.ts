import { EvaluationError, NotFoundError } from '../errors';
import type { Warehouse, WarehouseSession } from '../ports/warehouse';
import { ensureSchema } from './physical-table';
import { type PhysicalRelation, type SqlDialect, relationSql, sqlDialectFor } from './sql-dialect';
import { readIdentifierChain, skipTrivia } from './sql-scan';

/** One environment view to point somewhere else. */
export interface ViewChange {
  /** The environment view, e.g. `{ schema: 'shop__dev', table: 'orders' }`. */
  readonly view: PhysicalRelation;
  /** Relation the view selects from, `schema.table` (parts may be quoted); null drops the view. */
  readonly target: string | null;
}

/**
 * Points environment views at their physical tables (the virtual-layer update, sqlmesh-semantics §6.3):
 * `CREATE OR REPLACE VIEW view AS SELECT * FROM target`, or a drop for a null target. Every view changes in
 * ONE transaction, so readers see the old environment or the new one, never a mix. Every target is checked
 * first, inside that transaction: if any is missing nothing changes and NotFoundError lists them all.
 * Missing view schemas are created beforehand (harmless if the promotion then fails).
 *
 * @example
 * await promoteViews(warehouse, [
 *   { view: { schema: 'shop', table: 'orders' }, target: 'sqlmesh__shop.shop__orders__123' },
 *   { view: { schema: 'shop', table: 'old_model' }, target: null },
 * ]);
 */
export async function promoteViews(warehouse: Warehouse, changes: readonly ViewChange[]): Promise<void> {
  if (changes.length === 0) return;
  const dialect = sqlDialectFor(warehouse.dialect);
  const targets = changes.map((c) => (c.target === null ? null : parseRelationName(c.target)));
  const schemas = new Map<string, PhysicalRelation>();
  for (const c of changes) if (c.target !== null) schemas.set(`${c.view.catalog ?? ''}.${c.view.schema}`, c.view);
  for (const v of schemas.values()) await ensureSchema(warehouse, dialect, v.schema, v.catalog);

  await warehouse.transaction(async (tx) => {
    const missing: string[] = [];
    for (const target of targets) {
      if (target && !(await relationExistsIn(tx, dialect, target))) missing.push(relationSql(dialect, target));
    }
    if (missing.length > 0) {
      throw new NotFoundError(
        `cannot promote: target relation(s) ${missing.join(', ')} do not exist; no view was changed`,
      );
    }
    for (const [i, change] of changes.entries()) {
      const view = relationSql(dialect, change.view);
      const target = targets[i];
      if (!target) {
        await tx.execute(`DROP VIEW IF EXISTS ${view}`);
        continue;
      }
      for (const statement of dialect.replaceView(view, `SELECT * FROM ${relationSql(dialect, target)}`)) {
        await tx.execute(statement);
      }
    }
  });
}

/** Reads `schema.table` or `catalog.schema.table`, parts bare or double-quoted. */
function parseRelationName(text: string): PhysicalRelation {
  const trimmed = text.trim();
  for (const parts of [2, 3]) {
    const chain = readIdentifierChain(trimmed, 0, parts);
    if (chain && skipTrivia(trimmed, chain.end) === trimmed.length) {
      const [a, b, c] = chain.names as [string, string, string?];
      return c === undefined ? { schema: a, table: b } : { catalog: a, schema: b, table: c };
    }
  }
  throw new EvaluationError(`invalid promotion target '${text}': expected schema.table or catalog.schema.table`);
}

async function relationExistsIn(tx: WarehouseSession, dialect: SqlDialect, relation: PhysicalRelation): Promise<boolean> {
  const catalog = relation.catalog ? dialect.stringLiteral(relation.catalog) : 'current_database()';
  const rows = await tx.query(
    `SELECT 1 AS found FROM information_schema.tables WHERE table_catalog = ${catalog}
       AND lower(table_schema) = lower(${dialect.stringLiteral(relation.schema)})
       AND lower(table_name) = lower(${dialect.stringLiteral(relation.table)})`,
  );
  return rows.length > 0;
}
