import { EvaluationError } from '../errors';
import type { TableReference } from '../ports/sql-parser';
import { normaliseTableName } from '../project/table-name';
import { readIdentifierChain, skipTrivia } from './sql-scan';

/**
 * Normalises a model name written as SQL text the way ModelDefinition.name is stored (same rule as the
 * project loader's normaliseTableName): parts unquoted and lower-cased, and a bare
 * name placed in schema `default`.
 *
 * @example
 * normalizeModelName('"Shop".Orders'); // 'shop.orders'
 * normalizeModelName('orders');        // 'default.orders'
 */
export function normalizeModelName(name: string): string {
  const parts = splitName(name);
  return normalizeParts(parts);
}

/** The normalised model name a parsed table reference points at (see {@link normalizeModelName}). */
export function referenceModelName(ref: TableReference): string {
  const parts = [ref.catalog, ref.schema, ref.table].filter((p): p is string => p !== undefined && p !== '');
  return normalizeParts(parts);
}

function normalizeParts(parts: readonly string[]): string {
  const name = normaliseTableName(parts);
  if (name === undefined) throw new EvaluationError(`invalid table name parts: ${JSON.stringify(parts)}`);
  return name;
}

function splitName(name: string): string[] {
  const trimmed = name.trim();
  for (let parts = 3; parts >= 1; parts -= 1) {
    const chain = readIdentifierChain(trimmed, 0, parts);
    if (chain && skipTrivia(trimmed, chain.end) === trimmed.length) return chain.names;
  }
  throw new EvaluationError(
    `invalid model name '${name}': expected [catalog.]schema.table made of identifiers or "quoted identifiers"`,
  );
}
