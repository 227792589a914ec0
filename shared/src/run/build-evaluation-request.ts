import { resolveAudits } from '../audit/resolve-audits';
import type { EvaluationRequest, ParentRelation } from '../evaluate/evaluation-request';
import type { PhysicalRelation } from '../evaluate/sql-dialect';
import type { SqlParser } from '../ports/sql-parser';
import type { Interval } from '../schedule/interval';
import { parseModelName } from '../snapshot/naming';
import type { EnvironmentModel } from './environment-model';

/** Splits `schema.table` (parts may be quoted) into a relation for the evaluator. */
export function relationOf(qualified: string): PhysicalRelation {
  const parts = parseModelName(qualified);
  return { ...(parts.catalog ? { catalog: parts.catalog } : {}), schema: parts.schema, table: parts.table };
}

/**
 * Where each model of the environment is read from: its physical table, an EXTERNAL model's own name, or
 * an EMBEDDED model's query inlined.
 */
export function parentResolver(
  models: ReadonlyMap<string, EnvironmentModel>,
): (name: string) => ParentRelation | undefined {
  return (name) => {
    const parent = models.get(name);
    if (!parent) return undefined;
    const kind = parent.stored.model.kind.name;
    if (kind === 'EMBEDDED') return { type: 'embedded', model: parent.stored.model };
    if (kind === 'EXTERNAL') return { type: 'table', relation: relationOf(parent.stored.model.name) };
    return { type: 'table', relation: relationOf(parent.snapshot.physicalTable) };
  };
}

export interface RequestContext {
  readonly models: ReadonlyMap<string, EnvironmentModel>;
  readonly sqlParser: SqlParser;
  readonly executionTimeMs: number;
  readonly readSeedFile: (absolutePath: string) => Promise<string>;
}

/** The evaluator's request for one model, with an optional batch range. */
export function buildEvaluationRequest(
  env: EnvironmentModel,
  batch: Interval | undefined,
  tableMayNotExist: boolean,
  ctx: RequestContext,
): EvaluationRequest {
  const { model, audits, variables, gateway } = env.stored;
  return {
    model,
    target: relationOf(env.snapshot.physicalTable),
    resolveParent: parentResolver(ctx.models),
    ...(batch ? { batch } : {}),
    executionTimeMs: ctx.executionTimeMs,
    gateway,
    userVariables: variables,
    parser: ctx.sqlParser,
    audits: resolveAudits(model, new Map(audits.map((a) => [a.name, a]))),
    tableMayNotExist,
    readSeedFile: ctx.readSeedFile,
  };
}
