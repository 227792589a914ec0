import type { ResolvedAudit } from '../../../shared/src/audit/resolve-audits';
import type { EvaluationRequest, ParentRelation } from '../../../shared/src/evaluate/evaluation-request';
import type { ModelDefinition } from '../../../shared/src/project/model';
import type { Warehouse } from '../../../shared/src/ports/warehouse';
import { regexSqlParser } from './regex-sql-parser';

/** 2024-01-01T00:00:00Z and friends, for readable batches. */
export const day = (d: number): number => Date.UTC(2024, 0, d);
export const EXECUTION_MS = Date.UTC(2024, 0, 10, 1, 0, 0);

/** The physical table tests give a model: `sqlmesh__<schema>.<schema>__<table>__1`. */
export function physicalOf(model: ModelDefinition): { schema: string; table: string } {
  const [schema, table] = model.name.split('.') as [string, string];
  return { schema: `sqlmesh__${schema}`, table: `${schema}__${table}__1` };
}

/**
 * An EvaluationRequest for `model` whose parents are the given models (resolved to their test physical
 * tables, EMBEDDED ones inlined) plus the raw tables listed by name (read as written).
 */
export function requestFor(
  model: ModelDefinition,
  options: {
    parents?: readonly ModelDefinition[];
    batch?: readonly [number, number];
    audits?: readonly ResolvedAudit[];
    tableMayNotExist?: boolean;
    files?: Readonly<Record<string, string>>;
    userVariables?: Readonly<Record<string, unknown>>;
  } = {},
): EvaluationRequest {
  const parents = new Map((options.parents ?? []).map((p) => [p.name, p]));
  const resolveParent = (name: string): ParentRelation | undefined => {
    const parent = parents.get(name);
    if (!parent) return undefined;
    if (parent.kind.name === 'EMBEDDED') return { type: 'embedded', model: parent };
    return { type: 'table', relation: physicalOf(parent) };
  };
  const files = options.files ?? {};
  return {
    model,
    target: physicalOf(model),
    resolveParent,
    ...(options.batch ? { batch: options.batch } : {}),
    executionTimeMs: EXECUTION_MS,
    gateway: 'local',
    userVariables: options.userVariables ?? {},
    parser: regexSqlParser,
    audits: options.audits ?? [],
    tableMayNotExist: options.tableMayNotExist ?? true,
    readSeedFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      return text;
    },
  };
}

/** All rows of a relation ordered by the given columns. */
export async function rowsOf(warehouse: Warehouse, relation: string, orderBy: string): Promise<unknown[]> {
  return warehouse.query(`SELECT * FROM ${relation} ORDER BY ${orderBy}`);
}
