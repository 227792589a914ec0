import { ProjectParseError, type SourceLocation } from '../errors';
import { DEFAULT_SCHEMA, SAFE_IDENTIFIER_RE } from './constants';

/** A table or view name split into its parts. A missing schema means `default`. */
export interface TableNameParts {
  readonly catalog?: string;
  readonly schema?: string;
  readonly table: string;
}

/** A model name split into parts, with the schema always filled in. */
export interface QualifiedName extends TableNameParts {
  readonly schema: string;
}

/**
 * Splits a model name into catalog, schema and table. Parts may be double-quoted (`"a.b".c`, with `""` for a
 * quote inside); quotes are removed and case is kept as written, since model names reach here already
 * normalised. A bare name gets schema `default`.
 *
 * @example parseModelName('shop.orders') // { schema: 'shop', table: 'orders' }
 * @example parseModelName('events') // { schema: 'default', table: 'events' }
 */
export function parseModelName(name: string, location?: SourceLocation): QualifiedName {
  const parts = splitQualifiedName(name, location);
  const fail = (problem: string): never => {
    throw new ProjectParseError(
      `invalid model name '${name}': ${problem}; expected table, schema.table or catalog.schema.table`,
      location,
    );
  };
  if (parts.length > 3) fail(`${parts.length} dot-separated parts`);
  if (parts.some((part) => part === '')) fail('empty name part');
  const [a, b, c] = parts as [string, string?, string?];
  if (c !== undefined && b !== undefined) return { catalog: a, schema: b, table: c };
  if (b !== undefined) return { schema: a, table: b };
  return { schema: DEFAULT_SCHEMA, table: a };
}

function splitQualifiedName(name: string, location: SourceLocation | undefined): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (quoted) {
      if (ch === '"' && name[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) {
    throw new ProjectParseError(
      `invalid model name '${name}': unterminated double quote; close it or remove it`,
      location,
    );
  }
  parts.push(current);
  return parts;
}

/**
 * Writes one identifier for SQL: as is when it is plain (letter or `_`, then word characters), otherwise
 * double-quoted with inner quotes doubled.
 *
 * @example quoteIdentifier('a-b') // '"a-b"'
 */
export function quoteIdentifier(identifier: string): string {
  return SAFE_IDENTIFIER_RE.test(identifier) ? identifier : `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * Joins name parts with dots, quoting each part that needs it and leaving out missing or empty ones.
 *
 * @example formatTableName(['a-b', 'c', 'd']) // '"a-b".c.d'
 */
export function formatTableName(parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined && part !== '')
    .map(quoteIdentifier)
    .join('.');
}
