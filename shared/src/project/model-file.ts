import { ProjectParseError, UnsupportedFeatureError } from '../errors';
import { significantTokens, splitSqlStatements, type SplitStatement } from '../render/sql-statements';
import { JINJA_MARKERS, QUERY_KEYWORDS } from './constants';
import type { SqlStatement } from './model';
import { type PropertyBlock, parsePropertyBlock, startsWithBlock } from './property-parser';

/** An `AUDIT (...)` block followed by its query, written in a model or audit file. */
export interface AuditBlock {
  readonly block: PropertyBlock;
  readonly query: SqlStatement;
}

/** The statements of a `.sql` model file, in the roles of §2.1. */
export interface ModelFileParts {
  readonly model: PropertyBlock;
  /** Comments written directly above `MODEL (`; they describe the model when `description` is not set. */
  readonly leadingComments: readonly string[];
  readonly preStatements: readonly SqlStatement[];
  /** Undefined when the file has no query (allowed for SEED models only; the caller checks). */
  readonly query?: SqlStatement;
  readonly postStatements: readonly SqlStatement[];
  readonly onVirtualUpdate: readonly SqlStatement[];
  readonly inlineAudits: readonly AuditBlock[];
}

/**
 * Splits a model file into its MODEL block, pre-statements, the one query, post-statements, the
 * `ON_VIRTUAL_UPDATE_BEGIN; ...; ON_VIRTUAL_UPDATE_END;` statements and inline `AUDIT` blocks.
 *
 * @throws ProjectParseError when MODEL is not the first statement, a second query appears, a virtual-update
 *   section is not closed, or an AUDIT block has no query; UnsupportedFeatureError for Jinja sections.
 */
export function splitModelFile(text: string, file: string): ModelFileParts {
  const statements = splitSqlStatements(text, { file, line: 1 });
  statements.forEach(assertNoJinja);
  const first = statements[0];
  if (first === undefined) {
    throw new ProjectParseError('the file is empty; a model file starts with MODEL (name ..., kind ...);', { file, line: 1 });
  }
  if (!startsWithBlock(first, 'MODEL')) {
    throw new ProjectParseError(
      `a model file must start with a MODEL (...) block (comments may precede it), found '${firstWords(first.sql)}'`,
      first.location,
    );
  }

  const statementsInOrder: SqlStatement[] = [];
  const queryPositions: number[] = [];
  const onVirtualUpdate: SqlStatement[] = [];
  const inlineAudits: AuditBlock[] = [];

  for (let i = 1; i < statements.length; i += 1) {
    const statement = statements[i] as SplitStatement;
    const keyword = firstKeyword(statement);
    if (keyword === 'ON_VIRTUAL_UPDATE_BEGIN') {
      const end = statements.findIndex((s, j) => j > i && firstKeyword(s) === 'ON_VIRTUAL_UPDATE_END');
      if (end === -1) {
        throw new ProjectParseError('ON_VIRTUAL_UPDATE_BEGIN has no matching ON_VIRTUAL_UPDATE_END;', statement.location);
      }
      onVirtualUpdate.push(...statements.slice(i + 1, end).map(plain));
      i = end;
    } else if (keyword === 'ON_VIRTUAL_UPDATE_END') {
      throw new ProjectParseError('ON_VIRTUAL_UPDATE_END without ON_VIRTUAL_UPDATE_BEGIN', statement.location);
    } else if (startsWithBlock(statement, 'AUDIT')) {
      const query = statements[i + 1];
      if (query === undefined || !isQueryStatement(query)) {
        throw new ProjectParseError('an AUDIT (...) block must be followed by its SELECT query', statement.location);
      }
      inlineAudits.push({ block: parsePropertyBlock(statement, 'AUDIT'), query: plain(query) });
      i += 1;
    } else {
      if (isQueryStatement(statement)) queryPositions.push(statementsInOrder.length);
      statementsInOrder.push(plain(statement));
    }
  }

  if (queryPositions.length > 1) {
    const second = statementsInOrder[queryPositions[1] as number] as SqlStatement;
    const firstQuery = statementsInOrder[queryPositions[0] as number] as SqlStatement;
    throw new ProjectParseError(
      `only one SELECT query is allowed per model; the query already started on line ${firstQuery.location.line}`,
      second.location,
    );
  }
  const queryAt = queryPositions[0];
  return {
    model: parsePropertyBlock(first, 'MODEL'),
    leadingComments: first.leadingComments,
    preStatements: queryAt === undefined ? statementsInOrder : statementsInOrder.slice(0, queryAt),
    query: queryAt === undefined ? undefined : statementsInOrder[queryAt],
    postStatements: queryAt === undefined ? [] : statementsInOrder.slice(queryAt + 1),
    onVirtualUpdate,
    inlineAudits,
  };
}

/**
 * True when a statement is a query: it starts with SELECT, FROM (DuckDB's FROM-first form), VALUES, TABLE, a
 * parenthesised query, or WITH not followed by a data-changing statement.
 */
export function isQueryStatement(statement: SqlStatement): boolean {
  const tokens = significantTokens(statement.sql, statement.location);
  const lead = tokens.findIndex((t) => t.kind !== 'lparen');
  const head = tokens[lead];
  if (head?.kind !== 'identifier') return false;
  const keyword = head.text.toUpperCase();
  if (!(QUERY_KEYWORDS as readonly string[]).includes(keyword)) return false;
  if (keyword !== 'WITH') return true;
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'lparen') depth += 1;
    else if (token.kind === 'rparen') depth -= 1;
    else if (depth === 0 && token.kind === 'identifier' && /^(INSERT|UPDATE|DELETE|MERGE)$/i.test(token.text)) {
      return false;
    }
  }
  return true;
}

/** Throws UnsupportedFeatureError when the statement opens or closes a Jinja section. */
export function assertNoJinja(statement: SqlStatement): void {
  const keyword = firstKeyword(statement);
  if (keyword !== undefined && (JINJA_MARKERS as readonly string[]).includes(keyword)) {
    throw new UnsupportedFeatureError(
      `Jinja sections (${keyword}) are not supported; write the SQL with SQLMesh macros (@var, @VAR, @DEF) instead`,
      statement.location,
    );
  }
}

function firstKeyword(statement: SqlStatement): string | undefined {
  const token = significantTokens(statement.sql, statement.location)[0];
  return token?.kind === 'identifier' ? token.text.toUpperCase() : undefined;
}

function plain(statement: SqlStatement): SqlStatement {
  return { sql: statement.sql, location: statement.location };
}

function firstWords(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 40)}...` : flat;
}
