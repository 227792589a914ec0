import { IDENT_PART, IDENT_START } from './constants';

/**
 * Small lexical helpers over SQL text. They never parse structure (that is the SqlParser port's job); they
 * only step over whitespace, comments, quoted strings and identifiers so that text can be spliced safely.
 */

/** One identifier read from SQL text. */
export interface ScannedIdentifier {
  /** The identifier's value: unquoted, `""` collapsed to `"`. */
  readonly name: string;
  readonly quoted: boolean;
  /** Index just after the identifier. */
  readonly end: number;
}

/** Index of the first character at or after `i` that is not whitespace or a comment. */
export function skipTrivia(sql: string, i: number): number {
  let pos = i;
  while (pos < sql.length) {
    const ch = sql[pos] ?? '';
    if (/\s/.test(ch)) {
      pos += 1;
    } else if (sql.startsWith('--', pos)) {
      const nl = sql.indexOf('\n', pos);
      pos = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', pos)) {
      const close = sql.indexOf('*/', pos + 2);
      pos = close < 0 ? sql.length : close + 2;
    } else {
      break;
    }
  }
  return pos;
}

/** Reads a bare or double-quoted identifier starting exactly at `i`; undefined when there is none. */
export function readIdentifier(sql: string, i: number): ScannedIdentifier | undefined {
  const first = sql[i];
  if (first === undefined) return undefined;
  if (first === '"') {
    let pos = i + 1;
    let name = '';
    while (pos < sql.length) {
      const ch = sql[pos];
      if (ch === '"') {
        if (sql[pos + 1] === '"') {
          name += '"';
          pos += 2;
          continue;
        }
        return { name, quoted: true, end: pos + 1 };
      }
      name += ch;
      pos += 1;
    }
    return undefined;
  }
  if (!IDENT_START.test(first)) return undefined;
  let pos = i + 1;
  while (pos < sql.length && IDENT_PART.test(sql[pos] ?? '')) pos += 1;
  return { name: sql.slice(i, pos), quoted: false, end: pos };
}

/**
 * Reads a dotted chain of exactly `parts` identifiers starting at `i` (`a.b`, `"A" . b`). Returns the
 * identifiers, where the last one starts, and the index just after it; undefined when the text there is not
 * such a chain.
 */
export function readIdentifierChain(
  sql: string,
  i: number,
  parts: number,
): { readonly names: string[]; readonly lastStart: number; readonly end: number } | undefined {
  const names: string[] = [];
  let pos = i;
  let lastStart = i;
  for (let k = 0; k < parts; k += 1) {
    if (k > 0) {
      const dot = skipTrivia(sql, pos);
      if (sql[dot] !== '.') return undefined;
      pos = skipTrivia(sql, dot + 1);
    }
    const ident = readIdentifier(sql, pos);
    if (!ident) return undefined;
    names.push(ident.name);
    lastStart = pos;
    pos = ident.end;
  }
  return { names, lastStart, end: pos };
}

/**
 * Splits `text` on `separator` characters that are outside quotes, parentheses and brackets, trimming each
 * part and dropping empty ones (a trailing comma is allowed).
 */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (text.startsWith('--', i) || text.startsWith('/*', i)) {
      i = skipTrivia(text, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * Reads a list argument as written in a model (`(a, b)`, `[a, b]` or a single `a`) into its items.
 */
export function splitListArgument(text: string): string[] {
  const trimmed = text.trim();
  const open = trimmed[0];
  const close = open === '(' ? ')' : open === '[' ? ']' : undefined;
  if (close !== undefined && trimmed.endsWith(close) && enclosesWhole(trimmed)) {
    return splitTopLevel(trimmed.slice(1, -1));
  }
  return splitTopLevel(trimmed);
}

/** `text` without one pair of parentheses enclosing all of it (`(a, b)` → `a, b`); otherwise unchanged. */
export function unwrapEnclosingParens(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('(') && trimmed.endsWith(')') && enclosesWhole(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

/** Removes trailing whitespace and `;` so the statement can be wrapped in a subquery. */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/u, '');
}

/**
 * Finds top-level occurrences of a keyword (case-insensitive, whole word, outside quotes, comments and
 * parentheses) and returns their indexes.
 */
export function findTopLevelKeyword(sql: string, keyword: string): number[] {
  const hits: number[] = [];
  const lower = keyword.toLowerCase();
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i);
      continue;
    }
    if (sql.startsWith('--', i) || sql.startsWith('/*', i)) {
      i = skipTrivia(sql, i);
      continue;
    }
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (depth === 0 && IDENT_START.test(ch) && !IDENT_PART.test(sql[i - 1] ?? ' ')) {
      const word = readIdentifier(sql, i);
      if (word) {
        if (word.name.toLowerCase() === lower) hits.push(i);
        i = word.end;
        continue;
      }
    }
    i += 1;
  }
  return hits;
}

/** True when the bracket opening `text` closes at its last character. */
function enclosesWhole(text: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (ch === '(' || ch === '[') depth += 1;
    else if (ch === ')' || ch === ']') {
      depth -= 1;
      if (depth === 0 && i < text.length - 1) return false;
    }
    i += 1;
  }
  return depth === 0;
}

/** Index after the quoted string or identifier starting at `i` (doubled quotes are escapes). */
function skipQuoted(text: string, i: number): number {
  const quote = text[i];
  let pos = i + 1;
  while (pos < text.length) {
    if (text[pos] === quote) {
      if (text[pos + 1] === quote) {
        pos += 2;
        continue;
      }
      return pos + 1;
    }
    pos += 1;
  }
  return text.length;
}
