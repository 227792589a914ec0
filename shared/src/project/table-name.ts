import { ProjectParseError, type SourceLocation } from '../errors';
import { DEFAULT_SCHEMA } from './constants';
import { parseValueText } from './property-parser';

/**
 * The normalised form of a table name: parts lower-cased and unquoted, joined by `.`, with a bare name placed
 * in schema `default` (SQLMesh's rule). Returns undefined for more than three parts.
 *
 * @example
 * normaliseTableName(['Shop', 'Orders']); // 'shop.orders'
 * normaliseTableName(['orders']); // 'default.orders'
 */
export function normaliseTableName(parts: readonly string[]): string | undefined {
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const lower = parts.map((p) => p.toLowerCase());
  return (lower.length === 1 ? [DEFAULT_SCHEMA, ...lower] : lower).join('.');
}

/**
 * Parses a table name written as text (`'"Db"."T"'` in YAML, `db.t` in a string) and normalises it.
 *
 * @throws ProjectParseError naming `what` when the text is not a dotted name of one to three parts.
 */
export function parseTableName(text: string, what: string, location: SourceLocation): string {
  const value = parseValueText(text, location);
  const name = value.type === 'identifier' ? normaliseTableName(value.parts) : undefined;
  if (name === undefined) {
    throw new ProjectParseError(
      `${what} '${text}' is not a table name; write [catalog.][schema.]table, e.g. shop.orders`,
      location,
    );
  }
  return name;
}

/** `"db"."table"`: a normalised name quoted part by part, for `@this_model` at load time. */
export function quoteTableName(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}
