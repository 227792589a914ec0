import { EvaluationError, formatLocation, type SourceLocation } from '../errors';
import { errorMessage } from './error-message';
import type { TableReference } from '../ports/sql-parser';
import type { ModelDefinition, SqlStatement } from '../project/model';
import { isDefStatement, renderMacroStatements } from '../render/macros';
import { temporalMacroVariables } from '../render/temporal-variables';
import { EPOCH_DAY, MAX_EMBED_DEPTH } from './constants';
import type { EvaluationRequest } from './evaluation-request';
import { referenceModelName } from './model-name';
import { rewriteModelReferences } from './reference-rewrite';
import { type SqlDialect, relationSql } from './sql-dialect';
import { stripTrailingSemicolons } from './sql-scan';

/** `@runtime_stage` values the evaluator uses (sqlmesh-semantics §5.3). */
export type RuntimeStage = 'creating' | 'evaluating' | 'auditing';

/** Which temporal variables a piece of SQL sees. */
type VariableScope = 'query' | 'statements';


/** Kinds whose query (and audits) see only `execution_*`: they have no interval of their own (§5.2). */
function hasIntervalVariables(model: ModelDefinition, scope: VariableScope): boolean {
  return scope === 'statements' || (model.kind.name !== 'FULL' && model.kind.name !== 'VIEW');
}

/**
 * The macro variables of one piece of a model's SQL: temporal variables for the batch, `@runtime_stage`,
 * `@gateway`, `@model_kind_name` and `@this_model` (as given: a relation or a filtered subquery).
 */
export function modelMacroVariables(
  request: EvaluationRequest,
  model: ModelDefinition,
  stage: RuntimeStage,
  scope: VariableScope,
  thisModel: string,
): Record<string, string> {
  const temporal = temporalMacroVariables(request.batch ?? EPOCH_DAY, request.executionTimeMs, {
    include: hasIntervalVariables(model, scope) ? 'all' : 'execution',
  });
  return {
    ...temporal,
    runtime_stage: `'${stage}'`,
    gateway: `'${request.gateway.replace(/'/g, "''")}'`,
    model_kind_name: `'${model.kind.name}'`,
    this_model: thisModel,
  };
}

/**
 * Renders the model's query for execution: macros substituted, trailing `;` removed, and every reference to
 * a model replaced by the relation holding its data (EMBEDDED parents inlined).
 */
export async function renderModelQuery(
  request: EvaluationRequest,
  dialect: SqlDialect,
  stage: RuntimeStage,
): Promise<string> {
  return renderQueryOf(request.model, request, dialect, stage, 0);
}

/**
 * Renders the pre- and post-statements; they see every temporal variable whatever the kind. `@DEF` locals
 * of earlier statements apply to later ones (post-statements included). Model references in statements are
 * left as written: the parser port reads SELECTs only.
 */
export function renderModelStatements(
  request: EvaluationRequest,
  dialect: SqlDialect,
  stage: RuntimeStage,
): { readonly pre: SqlStatement[]; readonly post: SqlStatement[] } {
  const { model } = request;
  const variables = modelMacroVariables(request, model, stage, 'statements', relationSql(dialect, request.target));
  const rendered = renderMacroStatements([...model.preStatements, ...model.postStatements], {
    variables,
    userVariables: request.userVariables,
  }).map((s) => ({ sql: stripTrailingSemicolons(s.sql), location: s.location }));
  const preCount = model.preStatements.filter((s) => !isDefStatement(s.sql)).length;
  const keep = (s: SqlStatement) => s.sql.trim().length > 0;
  return { pre: rendered.slice(0, preCount).filter(keep), post: rendered.slice(preCount).filter(keep) };
}

/**
 * Rewrites model references in already-rendered SQL (a query or an audit), inlining EMBEDDED parents.
 * `location` is used in error messages only.
 */
export async function rewriteReferencesIn(
  sql: string,
  request: EvaluationRequest,
  dialect: SqlDialect,
  location: SourceLocation,
  depth = 0,
): Promise<string> {
  let refs: TableReference[];
  try {
    refs = await request.parser.referencedTables(sql);
  } catch (e) {
    throw new EvaluationError(
      `${formatLocation(location)}: model '${request.model.name}': cannot parse rendered SQL: ${errorMessage(e)}`,
      { cause: e },
    );
  }
  const resolved = new Map<string, string>();
  for (const ref of refs) {
    const name = referenceModelName(ref);
    if (resolved.has(name)) continue;
    const text = await resolveRelation(name, request, dialect, depth);
    if (text !== undefined) resolved.set(name, text);
  }
  return rewriteModelReferences(sql, refs, (name) => resolved.get(name));
}

async function resolveRelation(
  name: string,
  request: EvaluationRequest,
  dialect: SqlDialect,
  depth: number,
): Promise<string | undefined> {
  if (name === request.model.name) return relationSql(dialect, request.target);
  const parent = request.resolveParent(name);
  if (!parent) return undefined;
  if (parent.type === 'table') return relationSql(dialect, parent.relation);
  if (depth >= MAX_EMBED_DEPTH) {
    throw new EvaluationError(
      `model '${request.model.name}': EMBEDDED models nest deeper than ${MAX_EMBED_DEPTH} levels at '${name}' (a cycle?)`,
    );
  }
  const inner = await renderQueryOf(parent.model, request, dialect, 'evaluating', depth + 1);
  return `(${inner})`;
}

async function renderQueryOf(
  model: ModelDefinition,
  request: EvaluationRequest,
  dialect: SqlDialect,
  stage: RuntimeStage,
  depth: number,
): Promise<string> {
  const thisModel = model === request.model ? relationSql(dialect, request.target) : model.name;
  const variables = modelMacroVariables(request, model, stage, 'query', thisModel);
  // `@DEF(name, value);` pre-statements define locals for the query too (SQLMesh's usual way to name a value).
  const defs = model.preStatements.filter((s) => isDefStatement(s.sql));
  const statements = renderMacroStatements([...defs, { sql: model.query, location: model.location }], {
    variables,
    userVariables: request.userVariables,
  });
  const rendered = stripTrailingSemicolons(statements[statements.length - 1]?.sql ?? '');
  if (rendered.trim().length === 0) {
    throw new EvaluationError(`${formatLocation(model.location)}: model '${model.name}' has an empty query`);
  }
  return rewriteReferencesIn(rendered, request, dialect, model.location, depth);
}
