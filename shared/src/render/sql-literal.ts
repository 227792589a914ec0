/**
 * Renders a JavaScript value (a user variable from config.yaml, a `model_defaults` property) as SQL literal
 * text: strings quoted with `'` doubled, finite numbers and bigints as digits, booleans as TRUE/FALSE,
 * null/undefined as NULL, arrays as DuckDB lists `[a, b]` and plain objects as structs `{'k': v}`.
 *
 * @throws TypeError for values with no SQL form (non-finite numbers, functions, symbols).
 * @example
 * toSqlLiteral("it's"); // "'it''s'"
 */
export function toSqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteSqlString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot render ${value} as a SQL literal`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(toSqlLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${quoteSqlString(k)}: ${toSqlLiteral(v)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot render a ${typeof value} as a SQL literal`);
}

/** `'text'` with embedded single quotes doubled. */
export function quoteSqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The text of a `'...'` literal with doubled quotes undone, or undefined when `sql` is not one string literal. */
export function unquoteSqlString(sql: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/s.exec(sql.trim());
  return m ? (m[1] as string).replace(/''/g, "'") : undefined;
}

/** Identifier text as written, quoted with `"` only when it is not a plain lower/upper-case identifier. */
export function quoteIdentifierIfNeeded(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
