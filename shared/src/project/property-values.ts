import { ProjectParseError, type SourceLocation } from '../errors';
import type { PropertyValue } from './property-parser';

/**
 * Typed readers for property values. Each throws a ProjectParseError that names the property, the location,
 * the value found and what is allowed.
 */

function bad(what: string, value: PropertyValue, expected: string, location: SourceLocation): ProjectParseError {
  return new ProjectParseError(`${what} must be ${expected}, found ${describe(value)}`, location);
}

/** Short description of a value for error messages. */
export function describe(value: PropertyValue): string {
  const text = value.text.length > 40 ? `${value.text.slice(0, 40)}...` : value.text;
  return `${value.type === 'expression' ? 'expression' : value.type} ${text}`;
}

/** A `'string'` literal. */
export function readString(value: PropertyValue, what: string, location: SourceLocation): string {
  if (value.type !== 'string') throw bad(what, value, "a string in single quotes, e.g. 'text'", location);
  return value.value;
}

/** A string, a bare (undotted) identifier or a number, as text: `owner toby`, `dialect 'duckdb'`. */
export function readText(value: PropertyValue, what: string, location: SourceLocation): string {
  if (value.type === 'string') return value.value;
  if (value.type === 'identifier' && value.parts.length === 1) return value.parts[0] as string;
  if (value.type === 'number') return value.text;
  throw bad(what, value, 'a name or a string', location);
}

/** TRUE/FALSE (or the strings 'true'/'false'). */
export function readBoolean(value: PropertyValue, what: string, location: SourceLocation): boolean {
  if (value.type === 'boolean') return value.value;
  if (value.type === 'string' && /^(true|false)$/i.test(value.value)) return value.value.toLowerCase() === 'true';
  throw bad(what, value, 'TRUE or FALSE', location);
}

/** A whole number of at least `min`. */
export function readInteger(value: PropertyValue, what: string, location: SourceLocation, min: number): number {
  if (value.type !== 'number' || !Number.isInteger(value.value) || value.value < min) {
    throw bad(what, value, `a whole number >= ${min}`, location);
  }
  return value.value;
}

/** A time as written: a string or an epoch-ms number (validated by the caller). */
export function readTimeLike(value: PropertyValue, what: string, location: SourceLocation): string | number {
  if (value.type === 'string') return value.value;
  if (value.type === 'number' && Number.isInteger(value.value)) return value.value;
  throw bad(what, value, "a date string like '2024-01-01', a relative time like '1 year ago' or epoch milliseconds", location);
}

/** One name or a tuple/array of names (identifiers or strings), e.g. `tags [a, 'b']`. */
export function readNameList(value: PropertyValue, what: string, location: SourceLocation): string[] {
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  return items.map((item) => {
    if (item.type === 'string') return item.value;
    if (item.type === 'identifier') return item.parts.join('.');
    throw bad(what, item, 'a list of names, e.g. [a, b]', location);
  });
}

/** One item or a tuple/array of items, each kept as source text (`grain (id, ds)`, `partitioned_by ds`). */
export function readTextList(value: PropertyValue): string[] {
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  return items.map((item) => (item.type === 'string' ? item.value : item.text));
}

/** A key=value tuple `(k = v, ...)` as entries of lower-cased key to the value's source text. */
export function readKeyValues(value: PropertyValue, what: string, location: SourceLocation): [string, string][] {
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  return items.map((item) => {
    if (item.type !== 'eq') throw bad(what, item, 'a list of key = value pairs, e.g. (key = value)', location);
    return [item.key.toLowerCase(), item.value.text];
  });
}
