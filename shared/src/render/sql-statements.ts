import type { SourceLocation } from '../errors';
import type { SqlStatement } from '../project/model';
import { isTrivia, type SqlToken, tokenizeSql } from './sql-tokenizer';

/** A statement cut out of a file, plus the comments written directly before it. */
export interface SplitStatement extends SqlStatement {
  /** Comment texts (with their `--` or `/* *\/` markers) between the previous statement and this one. */
  readonly leadingComments: readonly string[];
}

/**
 * Splits a file's text into `;`-terminated statements. A `;` inside a string, quoted identifier, comment or
 * dollar-quoted body does not split. Each statement's text starts at its first significant token (leading
 * whitespace and comments are moved to `leadingComments`) and its location is the line of that token, so a line
 * inside the statement text maps back to `location.line + (n - 1)`. Statements holding only comments are dropped.
 *
 * @example
 * splitSqlStatements("MODEL (name a.b);\n\nSELECT 1;", { file: 'models/b.sql', line: 1 })
 *   .map((s) => s.location.line); // [1, 3]
 */
export function splitSqlStatements(text: string, location: SourceLocation): SplitStatement[] {
  const tokens = tokenizeSql(text, { location });
  const statements: SplitStatement[] = [];
  let comments: string[] = [];
  let body: SqlToken[] = [];

  const flush = (): void => {
    const first = body[0];
    if (first !== undefined) {
      let lastIndex = body.length - 1;
      while (lastIndex > 0 && isTrivia(body[lastIndex] as SqlToken)) lastIndex -= 1;
      const last = body[lastIndex] as SqlToken;
      statements.push({
        sql: text.slice(first.start, last.end),
        location: { file: location.file, line: first.line },
        leadingComments: comments,
      });
    }
    comments = [];
    body = [];
  };

  for (const token of tokens) {
    if (token.kind === 'semicolon') {
      flush();
    } else if (body.length === 0 && isTrivia(token)) {
      if (token.kind !== 'whitespace') comments.push(token.text);
      // A blank line separates a comment from the statement below it, so it no longer describes it.
      else if (/\n[^\S\n]*\n/.test(token.text)) comments = [];
    } else {
      body.push(token);
    }
  }
  flush();
  return statements;
}

/** The non-trivia tokens of `sql`, with lines counted from `location`. */
export function significantTokens(sql: string, location?: SourceLocation): SqlToken[] {
  return tokenizeSql(sql, { location }).filter((t) => !isTrivia(t));
}

/** Strips `--` or `/* *\/` markers from a comment token's text and trims it. */
export function commentBody(comment: string): string {
  if (comment.startsWith('--')) return comment.slice(2).trim();
  return comment.slice(2, -2).trim();
}
