import { ProjectParseError, type SourceLocation, toError } from '../errors';
import type { SqlParser, TableReference } from '../ports/sql-parser';
import { type MacroStatement, renderMacroStatements } from '../render/macros';
import { quoteSqlString } from '../render/sql-literal';
import { SqlSyntaxError } from '../render/sql-syntax-error';
import { epochMacroVariables } from '../render/temporal-variables';
import type { ModelDraft } from './build-model';
import { SYSTEM_CATALOGS, SYSTEM_SCHEMAS } from './constants';
import type { ModelDefinition } from './model';
import { normaliseTableName, quoteTableName } from './table-name';

/** What {@link resolveDependencies} needs besides the model. */
export interface DependencyContext {
  readonly parser: SqlParser;
  /** Config and gateway variables, lower-cased keys. */
  readonly userVariables: Readonly<Record<string, unknown>>;
  /** The active gateway's name, for `@gateway`. */
  readonly gateway: string;
  /** Names of every enabled model and external model. */
  readonly known: ReadonlySet<string>;
  /** Names of models switched off with `enabled false` (a reference to one gets its own message). */
  readonly disabled: ReadonlySet<string>;
}

/**
 * Completes a model with its dependencies: renders its statements with the epoch values of the temporal
 * variables (as SQLMesh does at load) so that undefined macro variables and unsupported macro functions are
 * reported now, asks the parser which tables the query reads, and adds `depends_on`. CTE names and the model
 * itself are dropped (a self-reference sets `dependsOnSelf`).
 *
 * @throws ProjectParseError naming the file and line for a query that does not parse, a reference to a table
 *   that is neither a model nor an external model, or a `depends_on` name that is not a model.
 */
export async function resolveDependencies(draft: ModelDraft, ctx: DependencyContext): Promise<ModelDefinition> {
  const { dependsOnLocation: _dependsOnLocation, ...rest } = draft;
  const parents = new Set<string>();
  let dependsOnSelf = false;
  const owner = `model '${draft.name}'`;

  const rendered = renderModelSql(draft, ctx);
  if (rendered !== undefined && draft.kind.name !== 'SEED') {
    let refs: TableReference[];
    try {
      refs = await ctx.parser.referencedTables(rendered.sql);
    } catch (e) {
      const error = toError(e);
      const line = rendered.location.line + (error instanceof SqlSyntaxError && error.sqlLine ? error.sqlLine - 1 : 0);
      throw new ProjectParseError(`the query of ${owner} does not parse: ${error.message}`, { file: rendered.location.file, line }, {
        cause: error,
      });
    }
    for (const ref of refs) {
      const name = referenceName(ref);
      if (name === undefined) continue;
      if (name === draft.name) {
        dependsOnSelf = true;
        continue;
      }
      if (!ctx.known.has(name)) {
        throw unknownTable(owner, name, ctx, lineOf(rendered.sql, ref.offset, rendered.location));
      }
      parents.add(name);
    }
  }
  for (const name of draft.explicitDependsOn) {
    if (name === draft.name) continue;
    if (!ctx.known.has(name)) throw unknownTable(owner, name, ctx, draft.dependsOnLocation ?? draft.location, true);
    parents.add(name);
  }
  return { ...rest, dependsOn: [...parents].sort(), dependsOnSelf };
}

/**
 * Renders pre-statements, the query and post-statements together (so `@DEF` locals flow into the query), with
 * the runtime variables of loading. The queries of VIEW and FULL models see only `execution_*` (§5.2).
 * Returns the rendered query, or undefined when the model has none.
 */
function renderModelSql(draft: ModelDraft, ctx: DependencyContext): { sql: string; location: SourceLocation } | undefined {
  const runtime = {
    runtime_stage: quoteSqlString('loading'),
    this_model: quoteTableName(draft.name),
    model_kind_name: quoteSqlString(draft.kind.name),
  };
  const all = { ...epochMacroVariables(), ...runtime };
  const queryOnly = draft.kind.name === 'VIEW' || draft.kind.name === 'FULL' ? { ...epochMacroVariables({ include: 'execution' }), ...runtime } : all;
  const statements: MacroStatement[] = [
    ...draft.preStatements,
    ...(draft.query === '' ? [] : [{ sql: draft.query, location: queryLocation(draft), variables: queryOnly }]),
    ...draft.postStatements,
  ];
  const queryIndex = draft.query === '' ? -1 : draft.preStatements.length;
  const userVariables = { gateway: ctx.gateway, ...ctx.userVariables };
  const rendered = renderMacroStatements(statements, { variables: all, userVariables });
  renderMacroStatements(draft.onVirtualUpdate, { variables: all, userVariables });
  const query = rendered.find((s) => s.index === queryIndex);
  return query && { sql: query.sql, location: queryLocation(draft) };
}

/** Where the query starts in the file (the MODEL block when unknown). */
function queryLocation(draft: ModelDraft): SourceLocation {
  return draft.queryLocation ?? draft.location;
}

/** The normalised model name a reference points at, or undefined for engine catalog tables. */
function referenceName(ref: TableReference): string | undefined {
  if (ref.schema !== undefined && SYSTEM_SCHEMAS.has(ref.schema.toLowerCase())) return undefined;
  if (ref.catalog !== undefined && SYSTEM_CATALOGS.has(ref.catalog.toLowerCase())) return undefined;
  const parts = [ref.catalog, ref.schema, ref.table].filter((p): p is string => p !== undefined && p !== '');
  return normaliseTableName(parts);
}

function lineOf(sql: string, offset: number, start: SourceLocation): SourceLocation {
  let line = start.line;
  for (let i = 0; i < offset && i < sql.length; i += 1) if (sql[i] === '\n') line += 1;
  return { file: start.file, line };
}

function unknownTable(
  owner: string,
  name: string,
  ctx: DependencyContext,
  location: SourceLocation,
  fromDependsOn = false,
): ProjectParseError {
  const where = fromDependsOn ? 'depends_on names' : 'references';
  if (ctx.disabled.has(name)) {
    return new ProjectParseError(`${owner} ${where} '${name}', which is disabled (enabled false)`, location);
  }
  return new ProjectParseError(
    `${owner} ${where} unknown table '${name}'; it is neither a model nor an external model (declare tables this project does not build in external_models.yaml)`,
    location,
  );
}
