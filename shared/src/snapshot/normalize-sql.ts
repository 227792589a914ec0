/**
 * Punctuation around which whitespace carries no meaning, so `f( a , b )` and `f(a, b)` hash alike.
 * Excludes `.`, `@`, `$` and letters, where a removed space could join two words into one.
 */
const TIGHT_PUNCTUATION: ReadonlySet<string> = new Set([
  ...'(),;=<>+-*/%|:[]{}',
]);

/** Quote characters whose contents are copied verbatim: strings, quoted identifiers, backtick names. */
const QUOTES: ReadonlySet<string> = new Set(["'", '"', '`']);

/**
 * Canonical text of a SQL query or statement for fingerprinting: comments removed, whitespace runs collapsed,
 * whitespace next to punctuation dropped, trailing semicolons removed. String literals and quoted identifiers
 * are kept exactly, and case is kept (macro and Jinja names may be case-sensitive). Editing only layout or
 * comments therefore keeps a model's version and its table.
 *
 * @example normalizeSqlForHash('SELECT a ,  b -- ids\nFROM t;') // 'SELECT a,b FROM t'
 */
export function normalizeSqlForHash(sql: string): string {
  let out = '';
  let pendingSpace = false;

  const emit = (text: string): void => {
    if (pendingSpace && out !== '') {
      const before = out[out.length - 1] as string;
      const after = text[0] as string;
      if (!TIGHT_PUNCTUATION.has(before) && !TIGHT_PUNCTUATION.has(after)) out += ' ';
    }
    pendingSpace = false;
    out += text;
  };

  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
      pendingSpace = true;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
      pendingSpace = true;
    } else if (/\s/.test(ch)) {
      i++;
      pendingSpace = true;
    } else if (QUOTES.has(ch)) {
      const end = endOfQuoted(sql, i, ch);
      emit(sql.slice(i, end));
      i = end;
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      const close = tag ? sql.indexOf(tag[0], i + tag[0].length) : -1;
      const end = tag ? (close === -1 ? sql.length : close + tag[0].length) : i + 1;
      emit(sql.slice(i, end));
      i = end;
    } else {
      emit(ch);
      i++;
    }
  }
  return out.replace(/;+$/, '');
}

/** Index just past the closing quote of a quoted run starting at `start`; a doubled quote is an escape. */
function endOfQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
