import type {
  AuditDefinition,
  AuditUse,
  ColumnDefinition,
  ModelDefinition,
  ModelKind,
  SqlStatement,
} from '../../../shared/src/project/model';

/**
 * Builds ModelDefinition objects by hand for evaluator tests (project loading is tested elsewhere). Every
 * field gets the loader's default; tests override what they exercise.
 */
export function buildModel(overrides: Partial<ModelDefinition> & Pick<ModelDefinition, 'name'>): ModelDefinition {
  return {
    kind: { name: 'FULL' },
    dialect: 'duckdb',
    cron: '@daily',
    intervalUnit: 'day',
    intervalUnitExplicit: false,
    allowPartials: false,
    enabled: true,
    tags: [],
    grains: [],
    query: 'SELECT 1 AS x',
    preStatements: [],
    postStatements: [],
    onVirtualUpdate: [],
    explicitDependsOn: [],
    dependsOn: [],
    dependsOnSelf: false,
    audits: [],
    inlineAudits: [],
    otherProperties: {},
    location: { file: `models/${overrides.name.replace(/\./g, '_')}.sql`, line: 1 },
    ...overrides,
  };
}

/** `INCREMENTAL_BY_TIME_RANGE (time_column <column>[, format])`. */
export function timeRangeKind(timeColumn: string, timeColumnFormat = '%Y-%m-%d'): ModelKind {
  return {
    name: 'INCREMENTAL_BY_TIME_RANGE',
    timeColumn,
    timeColumnFormat,
    lookback: 0,
    forwardOnly: false,
    disableRestatement: false,
  };
}

/** `INCREMENTAL_BY_UNIQUE_KEY (unique_key (...))`. */
export function uniqueKeyKind(
  uniqueKey: readonly string[],
  extra: { whenMatched?: string; mergeFilter?: string } = {},
): ModelKind {
  return { name: 'INCREMENTAL_BY_UNIQUE_KEY', uniqueKey, lookback: 0, forwardOnly: false, disableRestatement: false, ...extra };
}

/** `SEED (path '...')` with the default csv_settings. */
export function seedKind(path: string, options: { batchSize?: number; delimiter?: string; header?: boolean } = {}): ModelKind {
  return {
    name: 'SEED',
    path,
    relativePath: path,
    csvSettings: { delimiter: options.delimiter ?? ',', quotechar: '"', header: options.header ?? true },
    batchSize: options.batchSize ?? 1000,
  };
}

/** `columns (a INT, ...)` from `['a', 'INT']` pairs. */
export function columns(...pairs: ReadonlyArray<readonly [string, string]>): ColumnDefinition[] {
  return pairs.map(([name, type]) => ({ name, type }));
}

/** A statement at line `line` of the model file. */
export function statement(sql: string, line = 10): SqlStatement {
  return { sql, location: { file: 'models/m.sql', line } };
}

/** An audit use as the loader produces it. */
export function auditUse(name: string, args: Record<string, string> = {}, blocking?: boolean): AuditUse {
  return { name, args, ...(blocking === undefined ? {} : { blocking }), location: { file: 'models/m.sql', line: 3 } };
}

/** A custom `AUDIT (...)` definition. */
export function auditDefinition(name: string, query: string, extra: Partial<AuditDefinition> = {}): AuditDefinition {
  return {
    name,
    query,
    blocking: true,
    skip: false,
    defaults: {},
    location: { file: `audits/${name}.sql`, line: 1 },
    ...extra,
  };
}
