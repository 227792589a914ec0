import { ProjectParseError, type SourceLocation, UnsupportedFeatureError } from '../errors';
import { significantTokens } from '../render/sql-statements';
import { unquoteSqlString } from '../render/sql-literal';
import type { SqlToken } from '../render/sql-tokenizer';
import type { SqlStatement } from './model';

interface ValueBase {
  /** Source text of the value as written. */
  readonly text: string;
  /** Line (in the file) where the value starts. */
  readonly line: number;
  /** The value's significant tokens; their positions index into `source`. */
  readonly tokens: readonly SqlToken[];
  /** The whole text the tokens were cut from (the statement), so sub-runs can be classified again. */
  readonly source: string;
}

/**
 * A property value of a `MODEL (...)` or `AUDIT (...)` block (§2.2), classified by shape. Anything that is not
 * one of the simple shapes is an `expression` and is kept as its source text.
 */
export type PropertyValue =
  | (ValueBase & { readonly type: 'string'; readonly value: string })
  | (ValueBase & { readonly type: 'number'; readonly value: number })
  | (ValueBase & { readonly type: 'boolean'; readonly value: boolean })
  | (ValueBase & { readonly type: 'null' })
  /** A possibly dotted, possibly quoted name: `db.orders`, `"My Db"."t"`. `parts` are unquoted, case kept. */
  | (ValueBase & { readonly type: 'identifier'; readonly parts: readonly string[]; readonly quoted: boolean })
  | (ValueBase & { readonly type: 'tuple'; readonly items: readonly PropertyValue[] })
  | (ValueBase & { readonly type: 'array'; readonly items: readonly PropertyValue[] })
  /** `key = value`, inside key=value tuples such as `physical_properties (a = 1)`. */
  | (ValueBase & { readonly type: 'eq'; readonly key: string; readonly value: PropertyValue })
  /** `key := value`, a named argument of a function call. */
  | (ValueBase & { readonly type: 'named'; readonly key: string; readonly value: PropertyValue })
  /** `f(args)`; `inner` are the tokens between the parentheses (kinds re-split them, see model-kind.ts). */
  | (ValueBase & {
      readonly type: 'call';
      readonly name: string;
      readonly args: readonly PropertyValue[];
      readonly inner: readonly SqlToken[];
    })
  | (ValueBase & { readonly type: 'expression' });

/** One `key value` entry of a property block. */
export interface Property {
  /** Lower-cased key. */
  readonly key: string;
  readonly value: PropertyValue;
  readonly location: SourceLocation;
}

/** A parsed `MODEL (...)` / `AUDIT (...)` statement. */
export interface PropertyBlock {
  readonly properties: readonly Property[];
  /** Where the block keyword is. */
  readonly location: SourceLocation;
}

/** True when the statement starts with `keyword (` (case-insensitive), e.g. `MODEL (` or `AUDIT (`. */
export function startsWithBlock(statement: SqlStatement, keyword: string): boolean {
  const tokens = significantTokens(statement.sql, statement.location);
  return tokens[0]?.kind === 'identifier' && tokens[0].text.toUpperCase() === keyword && tokens[1]?.kind === 'lparen';
}

/**
 * Parses `KEYWORD ( key value, key value, ... [,] )` into properties with lower-cased keys. Values are
 * classified by {@link classifyValue}; commas inside brackets do not split.
 *
 * @throws ProjectParseError naming the line for a missing `(`, an unclosed block, text after `)`, an empty
 *   entry, a key that is not a name, a key without a value, or a key given twice.
 */
export function parsePropertyBlock(statement: SqlStatement, keyword: string): PropertyBlock {
  const { sql, location } = statement;
  const tokens = significantTokens(sql, location);
  const head = tokens[0];
  const at = (token: SqlToken | undefined): SourceLocation => ({
    file: location.file,
    line: token?.line ?? location.line,
  });
  if (head?.kind !== 'identifier' || head.text.toUpperCase() !== keyword) {
    throw new ProjectParseError(`expected ${keyword} (...), found '${preview(sql)}'`, at(head));
  }
  if (tokens[1]?.kind !== 'lparen') {
    throw new ProjectParseError(`${keyword} must be followed by '(' with its properties, found '${preview(sql)}'`, at(head));
  }
  const close = matchingClose(tokens, 1);
  if (close === undefined) {
    throw new ProjectParseError(`the '(' of ${keyword} is never closed; check for a missing ')'`, at(tokens[1]));
  }
  if (close !== tokens.length - 1) {
    const extra = tokens[close + 1];
    throw new ProjectParseError(
      `unexpected '${extra?.text}' after the closing ')' of ${keyword} (...); end the block with ');'`,
      at(extra),
    );
  }

  const properties: Property[] = [];
  const entries = splitTopLevel(tokens.slice(2, close));
  entries.forEach((entry, index) => {
    const keyToken = entry[0];
    if (keyToken === undefined) {
      if (index === entries.length - 1 && index > 0) return; // a trailing comma is allowed
      throw new ProjectParseError(`empty property in ${keyword} (...): remove the extra ','`, at(tokens[1]));
    }
    if (keyToken.kind === 'macro') {
      throw new UnsupportedFeatureError(`properties produced by macros (${keyToken.text}) are not supported`, at(keyToken));
    }
    if (keyToken.kind !== 'identifier') {
      throw new ProjectParseError(`expected a property name in ${keyword} (...), found '${keyToken.text}'`, at(keyToken));
    }
    const key = keyToken.text.toLowerCase();
    if (entry.length === 1) {
      throw new ProjectParseError(`property '${key}' has no value`, at(keyToken));
    }
    const previous = properties.find((p) => p.key === key);
    if (previous) {
      throw new ProjectParseError(`property '${key}' is set twice (first on line ${previous.location.line})`, at(keyToken));
    }
    properties.push({ key, value: classifyValue(entry.slice(1), sql, location.file), location: at(keyToken) });
  });
  return { properties, location: at(head) };
}

/**
 * Classifies a token run as a {@link PropertyValue}. `sql` is the text the token positions refer to.
 *
 * @example
 * classifyValue(significantTokens("(a = 1, b = 'x')"), "(a = 1, b = 'x')", 'f').type; // 'tuple' of two 'eq'
 */
export function classifyValue(tokens: readonly SqlToken[], sql: string, file: string): PropertyValue {
  const first = tokens[0] as SqlToken;
  const last = tokens[tokens.length - 1] as SqlToken;
  const base: ValueBase = { text: sql.slice(first.start, last.end), line: first.line, tokens, source: sql };

  if (tokens.length === 1) {
    if (first.kind === 'string') {
      const value = unquoteSqlString(first.text);
      if (value !== undefined) return { ...base, type: 'string', value };
    }
    if (first.kind === 'number') return { ...base, type: 'number', value: Number(first.text) };
    if (first.kind === 'identifier') {
      const upper = first.text.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE') return { ...base, type: 'boolean', value: upper === 'TRUE' };
      if (upper === 'NULL') return { ...base, type: 'null' };
    }
  }
  if (tokens.length === 2 && first.text === '-' && last.kind === 'number') {
    return { ...base, type: 'number', value: -Number(last.text) };
  }
  const chain = identifierChain(tokens);
  if (chain && chain.length === tokens.length) {
    return {
      ...base,
      type: 'identifier',
      parts: chain.parts,
      quoted: tokens.some((t) => t.kind === 'quoted_identifier'),
    };
  }
  if ((first.kind === 'lparen' || first.kind === 'lbracket') && matchingClose(tokens, 0) === tokens.length - 1) {
    const items = splitTopLevel(tokens.slice(1, -1));
    const values = items.length === 1 && items[0]?.length === 0 ? [] : items.map((item) => classifyItem(item, sql, file, base));
    return { ...base, type: first.kind === 'lparen' ? 'tuple' : 'array', items: values };
  }
  const second = tokens[1];
  if ((first.kind === 'identifier' || first.kind === 'quoted_identifier' || first.kind === 'string') && second?.kind === 'operator') {
    const key = unquoteName(first);
    if ((second.text === '=' || second.text === ':=') && tokens.length > 2) {
      const value = classifyValue(tokens.slice(2), sql, file);
      return second.text === '=' ? { ...base, type: 'eq', key, value } : { ...base, type: 'named', key, value };
    }
  }
  if (chain && tokens[chain.length]?.kind === 'lparen' && matchingClose(tokens, chain.length) === tokens.length - 1) {
    const inner = tokens.slice(chain.length + 1, -1);
    const items = splitTopLevel(inner);
    const args = items.length === 1 && items[0]?.length === 0 ? [] : items.map((item) => classifyItem(item, sql, file, base));
    return { ...base, type: 'call', name: chain.parts.join('.'), args, inner };
  }
  return { ...base, type: 'expression' };
}

/** Parses standalone value text (a `model_defaults` audit string, a YAML value rendered as SQL) as a value. */
export function parseValueText(text: string, location: SourceLocation): PropertyValue {
  const tokens = significantTokens(text, location);
  if (tokens.length === 0) throw new ProjectParseError('expected a value, found nothing', location);
  return classifyValue(tokens, text, location.file);
}

/** Splits tokens at commas that are not nested in (), [] or {}. */
export function splitTopLevel(tokens: readonly SqlToken[]): SqlToken[][] {
  const parts: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isOpen(token)) depth += 1;
    else if (isClose(token)) depth -= 1;
    if (token.kind === 'comma' && depth === 0) parts.push([]);
    else (parts[parts.length - 1] as SqlToken[]).push(token);
  }
  return parts;
}

/** Index of the bracket closing the one at `open`, or undefined. */
export function matchingClose(tokens: readonly SqlToken[], open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const token = tokens[i] as SqlToken;
    if (isOpen(token)) depth += 1;
    else if (isClose(token)) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return undefined;
}

/** A name token's text without quotes (`"a""b"` → `a"b`, `'x'` → `x`). */
export function unquoteName(token: SqlToken): string {
  if (token.kind === 'quoted_identifier') {
    const q = token.text[0] as string;
    return token.text.slice(1, -1).split(q + q).join(q);
  }
  if (token.kind === 'string') return unquoteSqlString(token.text) ?? token.text;
  return token.text;
}

function classifyItem(item: readonly SqlToken[], sql: string, file: string, parent: ValueBase): PropertyValue {
  if (item.length === 0) {
    throw new ProjectParseError(`empty item in '${preview(parent.text)}'`, { file, line: parent.line });
  }
  return classifyValue(item, sql, file);
}

/** The leading `name(.name)*` chain of tokens, if the run starts with one. */
function identifierChain(tokens: readonly SqlToken[]): { parts: string[]; length: number } | undefined {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const token = tokens[i];
    if (token?.kind !== 'identifier' && token?.kind !== 'quoted_identifier') break;
    parts.push(unquoteName(token));
    i += 1;
    if (tokens[i]?.kind !== 'dot') break;
    i += 1;
  }
  if (parts.length === 0 || tokens[i - 1]?.kind === 'dot') return undefined;
  return { parts, length: i };
}

function isOpen(token: SqlToken): boolean {
  return token.kind === 'lparen' || token.kind === 'lbracket' || (token.kind === 'operator' && token.text === '{');
}

function isClose(token: SqlToken): boolean {
  return token.kind === 'rparen' || token.kind === 'rbracket' || (token.kind === 'operator' && token.text === '}');
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 40 ? `${flat.slice(0, 40)}...` : flat;
}
