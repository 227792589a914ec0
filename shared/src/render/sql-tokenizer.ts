import { ProjectParseError, type SourceLocation } from '../errors';
import { DOLLAR_TAG, MULTI_CHAR_OPERATORS } from './constants';

/**
 * Token kinds of {@link tokenizeSql}. `macro` covers the SQLMesh macro forms `@name`, `@{name}` and `@'text'`;
 * a lone `@` (DuckDB's absolute-value operator) is an `operator`.
 */
export type SqlTokenKind =
  | 'whitespace'
  | 'line_comment'
  | 'block_comment'
  | 'string'
  | 'dollar_string'
  | 'quoted_identifier'
  | 'number'
  | 'identifier'
  | 'macro'
  | 'operator'
  | 'comma'
  | 'dot'
  | 'semicolon'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket';

/** One token; `start`/`end` are string indexes into the tokenized text, `line` is the line it starts on. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** Options of {@link tokenizeSql}. */
export interface TokenizeOptions {
  /** Where the text starts in its file: token lines are offset from `location.line` and errors name the file. */
  readonly location?: SourceLocation;
}

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_]/.test(ch) || ch.charCodeAt(0) > 127;
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) > 127;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** True for tokens that carry no meaning: whitespace and comments. */
export function isTrivia(token: SqlToken): boolean {
  return token.kind === 'whitespace' || token.kind === 'line_comment' || token.kind === 'block_comment';
}

/**
 * Splits SQL into tokens, keeping every character (concatenating the token texts gives the input back).
 * Strings (`'it''s'`, `E'it\'s'`), quoted identifiers (`"a""b"`, `` `a` ``), comments and dollar-quoted bodies
 * are single tokens, so nothing inside them is ever mistaken for a `;` or a macro.
 *
 * @throws ProjectParseError for an unterminated string, identifier, comment or dollar-quoted body.
 * @example
 * tokenizeSql("SELECT 'a;b'; -- c").filter((t) => t.kind === 'semicolon').length; // 1
 */
export function tokenizeSql(sql: string, options: TokenizeOptions = {}): SqlToken[] {
  const firstLine = options.location?.line ?? 1;
  const file = options.location?.file ?? '<sql>';
  const tokens: SqlToken[] = [];
  let pos = 0;
  let line = firstLine;

  const fail = (what: string, startLine: number): never => {
    throw new ProjectParseError(`unterminated ${what} starting on this line`, { file, line: startLine });
  };
  const push = (kind: SqlTokenKind, end: number): void => {
    const text = sql.slice(pos, end);
    tokens.push({ kind, text, start: pos, end, line });
    for (const ch of text) if (ch === '\n') line += 1;
    pos = end;
  };
  /** End index of a quoted run starting at `open` whose quote is doubled to escape it. */
  const quotedEnd = (open: number, quote: string, backslashEscapes: boolean): number | undefined => {
    let i = open + 1;
    while (i < sql.length) {
      const ch = sql[i];
      if (backslashEscapes && ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === quote) {
        if (sql[i + 1] === quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i += 1;
    }
    return undefined;
  };

  while (pos < sql.length) {
    const ch = sql[pos] as string;
    const next = sql[pos + 1];

    if (/\s/.test(ch)) {
      let end = pos + 1;
      while (end < sql.length && /\s/.test(sql[end] as string)) end += 1;
      push('whitespace', end);
    } else if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', pos);
      push('line_comment', nl === -1 ? sql.length : nl);
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', pos + 2);
      if (close === -1) fail('block comment', line);
      push('block_comment', close + 2);
    } else if (ch === "'") {
      const end = quotedEnd(pos, "'", false) ?? fail('string literal', line);
      push('string', end);
    } else if ((ch === 'E' || ch === 'e') && next === "'") {
      const end = quotedEnd(pos + 1, "'", true) ?? fail('string literal', line);
      push('string', end);
    } else if (ch === '"' || ch === '`') {
      const end = quotedEnd(pos, ch, false) ?? fail('quoted identifier', line);
      push('quoted_identifier', end);
    } else if (ch === '$' && DOLLAR_TAG.test(sql.slice(pos, pos + 200))) {
      const tag = (DOLLAR_TAG.exec(sql.slice(pos, pos + 200)) as RegExpExecArray)[0];
      const close = sql.indexOf(tag, pos + tag.length);
      if (close === -1) fail('dollar-quoted string', line);
      push('dollar_string', close + tag.length);
    } else if (ch === '@') {
      const end = macroEnd(sql, pos, line, file);
      if (end === undefined) push('operator', pos + 1);
      else push('macro', end);
    } else if (isDigit(ch) || (ch === '.' && isDigit(next))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(pos)) as RegExpExecArray;
      push('number', pos + m[0].length);
    } else if (isIdentStart(ch)) {
      let end = pos + 1;
      while (end < sql.length && isIdentPart(sql[end] as string)) end += 1;
      push('identifier', end);
    } else if (ch === ',') push('comma', pos + 1);
    else if (ch === ';') push('semicolon', pos + 1);
    else if (ch === '(') push('lparen', pos + 1);
    else if (ch === ')') push('rparen', pos + 1);
    else if (ch === '[') push('lbracket', pos + 1);
    else if (ch === ']') push('rbracket', pos + 1);
    else if (ch === '.') push('dot', pos + 1);
    else {
      const op = MULTI_CHAR_OPERATORS.find((o) => sql.startsWith(o, pos));
      push('operator', pos + (op?.length ?? 1));
    }
  }
  return tokens;
}

/** End of a macro token at `at` (which holds `@`), or undefined when the `@` starts no macro. */
function macroEnd(sql: string, at: number, line: number, file: string): number | undefined {
  const next = sql[at + 1];
  if (next === '{') {
    const close = sql.indexOf('}', at + 2);
    if (close === -1 || sql.slice(at + 2, close).includes('\n')) {
      throw new ProjectParseError("unterminated '@{' macro interpolation", { file, line });
    }
    return close + 1;
  }
  if (next === "'") {
    let i = at + 2;
    while (i < sql.length) {
      if (sql[i] === "'") {
        if (sql[i + 1] === "'") {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i += 1;
    }
    throw new ProjectParseError('unterminated macro string literal starting on this line', { file, line });
  }
  if (next !== undefined && isIdentStart(next)) {
    let end = at + 2;
    while (end < sql.length && isIdentPart(sql[end] as string)) end += 1;
    return end;
  }
  return undefined;
}
