import { ProjectParseError, type SourceLocation, UnsupportedFeatureError } from '../errors';
import type { SqlStatement } from '../project/model';
import { SUPPORTED_MACRO_FUNCTIONS } from './constants';
import { quoteIdentifierIfNeeded, quoteSqlString, toSqlLiteral, unquoteSqlString } from './sql-literal';
import { isTrivia, type SqlToken, tokenizeSql } from './sql-tokenizer';

/** What {@link renderMacros} substitutes. */
export interface MacroContext {
  /** Macro variables by lower-cased name, each already SQL literal text (`'2024-01-01'`, `0`, `"db"."t"`). */
  variables: Readonly<Record<string, string>>;
  /** User variables from config.yaml (`variables:`), looked up case-insensitively, rendered as SQL literals. */
  userVariables: Readonly<Record<string, unknown>>;
  /** Where `sql` starts; errors report this file and the line of the offending macro. */
  location: SourceLocation;
}

/**
 * Renders the SQLMesh macro forms Meshcron supports in one statement:
 *
 * - `@name`: a macro variable (`ctx.variables`), else a user variable rendered as a SQL literal;
 * - `@{name}`: the same value interpolated as an identifier (`table_@{suffix}`);
 * - `@VAR('name')` / `@VAR('name', default)`: a user variable, else the default, else `NULL`;
 * - `@'text @{name}'`: a string literal with values interpolated into it.
 *
 * Text inside strings, quoted identifiers and comments is left alone.
 *
 * @throws ProjectParseError `macro variable 'x' is undefined` (with file and line) for an unknown name.
 * @throws UnsupportedFeatureError for any other macro function call (`@EACH(...)`, `@my_macro(...)`).
 * @example
 * renderMacros("SELECT * FROM t WHERE ds >= @start_ds AND c = @VAR('country', 'DE')", {
 *   variables: { start_ds: "'2024-01-01'" },
 *   userVariables: {},
 *   location: { file: 'models/t.sql', line: 7 },
 * }); // "SELECT * FROM t WHERE ds >= '2024-01-01' AND c = 'DE'"
 */
export function renderMacros(sql: string, ctx: MacroContext): string {
  const tokens = tokenizeSql(sql, { location: ctx.location });
  const users = lowerCaseKeys(ctx.userVariables);
  const out: string[] = [];

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as SqlToken;
    if (token.kind !== 'macro') {
      out.push(token.text);
      continue;
    }
    const loc: SourceLocation = { file: ctx.location.file, line: token.line };
    if (token.text.startsWith('@{')) {
      out.push(quoteIdentifierIfNeeded(rawValue(token.text.slice(2, -1).trim(), ctx, users, loc)));
    } else if (token.text.startsWith("@'")) {
      out.push(renderMacroString(token.text.slice(1), ctx, users, loc));
    } else {
      const name = token.text.slice(1);
      const next = tokens[i + 1];
      if (next?.kind === 'lparen' && next.start === token.end) {
        const close = matchingParen(tokens, i + 1, name, loc);
        out.push(renderMacroCall(name, tokens.slice(i + 2, close), sql, ctx, users, loc));
        i = close;
      } else {
        out.push(variableSql(name, ctx, users, loc));
      }
    }
  }
  return out.join('');
}

/** A statement for {@link renderMacroStatements}; its own `variables`, if given, replace the shared ones. */
export interface MacroStatement extends SqlStatement {
  readonly variables?: Readonly<Record<string, string>>;
}

/** A rendered statement and the index of the input statement it came from. */
export interface RenderedStatement extends SqlStatement {
  readonly index: number;
}

/**
 * Renders a sequence of statements in which `@DEF(name, value);` statements define local macro variables for
 * the statements after them (locals win over `ctx.variables` and user variables). The `@DEF` statements are
 * dropped from the result; every other statement is rendered with {@link renderMacros} at its own location.
 *
 * @example
 * renderMacroStatements(
 *   [{ sql: '@DEF(n, 3)', location }, { sql: 'SELECT @n', location }],
 *   { variables: {}, userVariables: {} },
 * ).map((s) => s.sql); // ['SELECT 3']
 */
export function renderMacroStatements(
  statements: readonly MacroStatement[],
  ctx: Omit<MacroContext, 'location'>,
): RenderedStatement[] {
  const locals: Record<string, string> = {};
  const rendered: RenderedStatement[] = [];
  statements.forEach((statement, index) => {
    const scope: MacroContext = {
      variables: { ...(statement.variables ?? ctx.variables), ...locals },
      userVariables: ctx.userVariables,
      location: statement.location,
    };
    const def = parseDefStatement(statement);
    if (def) {
      locals[def.name] = renderMacros(def.valueSql, { ...scope, location: def.valueLocation });
    } else {
      rendered.push({ sql: renderMacros(statement.sql, scope), location: statement.location, index });
    }
  });
  return rendered;
}

/**
 * Throws UnsupportedFeatureError for the first macro function call in `sql` other than `@VAR`/`@DEF`, without
 * rendering anything. Used on audit queries, whose arguments are only known when an audit is used.
 */
export function assertSupportedMacroFunctions(sql: string, location: SourceLocation): void {
  const tokens = tokenizeSql(sql, { location });
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === 'macro' && next?.kind === 'lparen' && next.start === token.end) {
      const name = token.text.slice(1);
      if (!isSupportedFunction(name)) throw unsupportedCall(name, { file: location.file, line: token.line });
    }
  });
}

/** True when the statement is exactly `@DEF(...)`; such statements only define locals. */
export function isDefStatement(sql: string): boolean {
  return parseDefStatement({ sql, location: { file: '<sql>', line: 1 } }) !== undefined;
}

interface DefStatement {
  readonly name: string;
  readonly valueSql: string;
  readonly valueLocation: SourceLocation;
}

function parseDefStatement(statement: SqlStatement): DefStatement | undefined {
  const tokens = tokenizeSql(statement.sql, { location: statement.location });
  const significant = tokens.filter((t) => !isTrivia(t));
  const head = significant[0];
  const open = significant[1];
  if (head?.kind !== 'macro' || head.text.toUpperCase() !== '@DEF' || open?.kind !== 'lparen') return undefined;
  const loc = { file: statement.location.file, line: head.line };
  const openIndex = tokens.indexOf(open);
  const close = matchingParen(tokens, openIndex, 'DEF', loc);
  if (tokens.slice(close + 1).some((t) => !isTrivia(t))) return undefined;
  const args = splitArguments(tokens.slice(openIndex + 1, close));
  const nameTokens = (args[0] ?? []).filter((t) => !isTrivia(t));
  const valueTokens = args.slice(1).flat();
  const nameToken = nameTokens[0];
  const name =
    nameTokens.length === 1 && nameToken?.kind === 'identifier'
      ? nameToken.text
      : nameTokens.length === 1 && nameToken?.kind === 'string'
        ? unquoteSqlString(nameToken.text)
        : undefined;
  if (args.length !== 2 || name === undefined || !valueTokens.some((t) => !isTrivia(t))) {
    throw new ProjectParseError('@DEF expects a name and a value: @DEF(name, value)', loc);
  }
  const firstValue = valueTokens.find((t) => !isTrivia(t)) as SqlToken;
  return {
    name: name.toLowerCase(),
    valueSql: statement.sql.slice(firstValue.start, (valueTokens[valueTokens.length - 1] as SqlToken).end).trim(),
    valueLocation: { file: statement.location.file, line: firstValue.line },
  };
}

function renderMacroCall(
  name: string,
  argTokens: readonly SqlToken[],
  sql: string,
  ctx: MacroContext,
  users: ReadonlyMap<string, unknown>,
  loc: SourceLocation,
): string {
  const upper = name.toUpperCase();
  if (upper === 'DEF') {
    throw new ProjectParseError('@DEF(name, value) must be a statement of its own, ended by ;', loc);
  }
  if (upper !== 'VAR') throw unsupportedCall(name, loc);

  const args = splitArguments(argTokens).map((arg) => arg.filter((t) => !isTrivia(t)));
  const nameArg = args[0];
  const varName = nameArg?.length === 1 && nameArg[0]?.kind === 'string' ? unquoteSqlString(nameArg[0].text) : undefined;
  if (varName === undefined || args.length > 2) {
    throw new ProjectParseError(
      "@VAR expects a variable name string and an optional default: @VAR('name') or @VAR('name', default)",
      loc,
    );
  }
  const key = varName.toLowerCase();
  if (users.has(key)) return toSqlLiteral(users.get(key));
  const defaultArg = args[1];
  const first = defaultArg?.[0];
  const last = defaultArg?.[defaultArg.length - 1];
  if (first === undefined || last === undefined) return 'NULL';
  return renderMacros(sql.slice(first.start, last.end), {
    ...ctx,
    location: { file: ctx.location.file, line: first.line },
  });
}

function variableSql(name: string, ctx: MacroContext, users: ReadonlyMap<string, unknown>, loc: SourceLocation): string {
  const key = name.toLowerCase();
  const value = ctx.variables[key];
  if (value !== undefined) return value;
  if (users.has(key)) return toSqlLiteral(users.get(key));
  throw new ProjectParseError(
    `macro variable '${name}' is undefined (define it under 'variables:' in the config, with @DEF, or use @VAR('${name}', default))`,
    loc,
  );
}

/** A value's text without SQL quoting, for identifier and string interpolation. */
function rawValue(name: string, ctx: MacroContext, users: ReadonlyMap<string, unknown>, loc: SourceLocation): string {
  const key = name.toLowerCase();
  const value = ctx.variables[key];
  if (value !== undefined) return unquoteSqlString(value) ?? value;
  if (users.has(key)) {
    const user = users.get(key);
    return typeof user === 'string' ? user : toSqlLiteral(user);
  }
  throw new ProjectParseError(`macro variable '${name}' is undefined`, loc);
}

function renderMacroString(
  literal: string,
  ctx: MacroContext,
  users: ReadonlyMap<string, unknown>,
  loc: SourceLocation,
): string {
  const text = unquoteSqlString(literal) ?? '';
  const interpolated = text.replace(/@\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}|@([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a, b) =>
    rawValue((a ?? b) as string, ctx, users, loc),
  );
  return quoteSqlString(interpolated);
}

function isSupportedFunction(name: string): boolean {
  return (SUPPORTED_MACRO_FUNCTIONS as readonly string[]).includes(name.toUpperCase());
}

function unsupportedCall(name: string, loc: SourceLocation): UnsupportedFeatureError {
  return new UnsupportedFeatureError(
    `macro function @${name}(...) is not supported; Meshcron renders only macro variables, @VAR(...) and @DEF(...)`,
    loc,
  );
}

/** Index of the `)` matching the `(` at `open`. */
function matchingParen(tokens: readonly SqlToken[], open: number, name: string, loc: SourceLocation): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const kind = (tokens[i] as SqlToken).kind;
    if (kind === 'lparen') depth += 1;
    else if (kind === 'rparen') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new ProjectParseError(`'(' after @${name} is never closed`, loc);
}

/** Splits argument tokens at commas outside nested brackets. */
function splitArguments(tokens: readonly SqlToken[]): SqlToken[][] {
  const args: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'lparen' || token.kind === 'lbracket') depth += 1;
    if (token.kind === 'rparen' || token.kind === 'rbracket') depth -= 1;
    if (token.kind === 'comma' && depth === 0) args.push([]);
    else (args[args.length - 1] as SqlToken[]).push(token);
  }
  if (args.length === 1 && !(args[0] as SqlToken[]).some((t) => !isTrivia(t))) return [];
  return args;
}

function lowerCaseKeys(record: Readonly<Record<string, unknown>>): Map<string, unknown> {
  return new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
