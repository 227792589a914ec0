import type { SourceLocation } from '../errors';
import type { IntervalUnit } from '../schedule/interval';

/** The model kinds Meshcron evaluates. */
export type ModelKindName =
  | 'FULL'
  | 'VIEW'
  | 'INCREMENTAL_BY_TIME_RANGE'
  | 'INCREMENTAL_BY_UNIQUE_KEY'
  | 'SEED'
  | 'EMBEDDED'
  | 'EXTERNAL';

export interface FullKind {
  readonly name: 'FULL';
}
export interface ViewKind {
  readonly name: 'VIEW';
  readonly materialized: boolean;
}
export interface IncrementalByTimeRangeKind {
  readonly name: 'INCREMENTAL_BY_TIME_RANGE';
  /** Column holding each row's time; the batch range filters on it. */
  readonly timeColumn: string;
  /** strftime-style format used when the time column is text (default `%Y-%m-%d`). */
  readonly timeColumnFormat: string;
  /** Unit intervals per batch; undefined = one batch per contiguous missing range. */
  readonly batchSize?: number;
  /** Batches of this model that may run at once; undefined = unlimited. */
  readonly batchConcurrency?: number;
  /** Number of unit intervals to re-process before the first missing one. */
  readonly lookback: number;
  readonly forwardOnly: boolean;
  readonly disableRestatement: boolean;
}
export interface IncrementalByUniqueKeyKind {
  readonly name: 'INCREMENTAL_BY_UNIQUE_KEY';
  readonly uniqueKey: readonly string[];
  /** Raw SQL of the `WHEN MATCHED ...` clauses, if given. */
  readonly whenMatched?: string;
  /** Raw SQL boolean expression limiting the merge, if given. */
  readonly mergeFilter?: string;
  readonly batchSize?: number;
  readonly lookback: number;
  readonly forwardOnly: boolean;
  readonly disableRestatement: boolean;
}
export interface CsvSettings {
  readonly delimiter: string;
  readonly quotechar: string;
  readonly header: boolean;
}
export interface SeedKind {
  readonly name: 'SEED';
  /** Absolute path of the CSV file, already checked to exist inside the project folder. */
  readonly path: string;
  /** Path as written in the model file, relative to the project root, for display and fingerprints. */
  readonly relativePath: string;
  readonly csvSettings: CsvSettings;
  /** Rows per INSERT statement when loading. */
  readonly batchSize: number;
}
export interface EmbeddedKind {
  readonly name: 'EMBEDDED';
}
export interface ExternalKind {
  readonly name: 'EXTERNAL';
}

export type ModelKind =
  | FullKind
  | ViewKind
  | IncrementalByTimeRangeKind
  | IncrementalByUniqueKeyKind
  | SeedKind
  | EmbeddedKind
  | ExternalKind;

/** A column declared with `columns (...)` or in external_models.yaml. */
export interface ColumnDefinition {
  readonly name: string;
  /** SQL type as written, e.g. `INT`, `DECIMAL(10, 2)`. */
  readonly type: string;
}

/** One use of an audit on a model: `audits (not_null(columns := (id)), my_audit)`. */
export interface AuditUse {
  /** Audit name, lower-cased. A `_non_blocking` suffix of a built-in has been removed and `blocking` set false. */
  readonly name: string;
  /** Arguments as raw SQL expression text, keyed by lower-cased argument name (`blocking` removed). */
  readonly args: Readonly<Record<string, string>>;
  /** Explicit blocking flag from the use (`blocking := false`) or the `_non_blocking` twin; undefined = audit's default. */
  readonly blocking?: boolean;
  readonly location: SourceLocation;
}

/** An `AUDIT (...)` definition from audits/*.sql or inline in a model file. */
export interface AuditDefinition {
  readonly name: string;
  /** Query returning bad rows; may use `@this_model` and `@<arg>` macro variables. */
  readonly query: string;
  readonly blocking: boolean;
  readonly skip: boolean;
  readonly dialect?: string;
  /** Default argument values as raw SQL expressions. */
  readonly defaults: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
}

/** A SQL statement with the line it starts on, so evaluation errors can point back into the file. */
export interface SqlStatement {
  readonly sql: string;
  readonly location: SourceLocation;
}

/**
 * A model as loaded from the project: everything the scheduler and the evaluator need. Names are
 * normalised: lower-cased, unquoted, `schema.table` or `catalog.schema.table` (a bare name gets schema
 * `default`).
 */
export interface ModelDefinition {
  readonly name: string;
  readonly kind: ModelKind;
  readonly dialect: string;
  readonly cron: string;
  /** IANA zone the cron is evaluated in; undefined = UTC. */
  readonly cronTz?: string;
  /** The effective interval unit (explicit `interval_unit`, or inferred from the cron). */
  readonly intervalUnit: IntervalUnit;
  /** True when `interval_unit` was written explicitly (it is part of the data hash either way). */
  readonly intervalUnitExplicit: boolean;
  /** Start as written (`'2024-01-01'`, `'1 year ago'`, epoch ms); undefined = inferred. */
  readonly start?: string | number;
  /** End as written; a date-only end is inclusive. */
  readonly end?: string | number;
  readonly allowPartials: boolean;
  readonly enabled: boolean;
  readonly owner?: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly grains: readonly string[];
  readonly stamp?: string;
  readonly gateway?: string;
  readonly columns?: readonly ColumnDefinition[];
  /** The model query with macros unrendered; empty for SEED and EXTERNAL. */
  readonly query: string;
  /** Where the query starts in the model file (undefined when there is no query), for error lines. */
  readonly queryLocation?: SourceLocation;
  readonly preStatements: readonly SqlStatement[];
  readonly postStatements: readonly SqlStatement[];
  readonly onVirtualUpdate: readonly SqlStatement[];
  /** Names given in `depends_on`. */
  readonly explicitDependsOn: readonly string[];
  /** All parent model names: tables referenced by the query plus `depends_on`, self and CTE names excluded. */
  readonly dependsOn: readonly string[];
  /** True when the query reads the model's own table (the model is then depends-on-past). */
  readonly dependsOnSelf: boolean;
  readonly audits: readonly AuditUse[];
  /** `AUDIT (...)` blocks written inline in the model file. */
  readonly inlineAudits: readonly AuditDefinition[];
  /** Non-scheduling properties kept as raw text (physical_properties, partitioned_by, ...), for the fingerprint. */
  readonly otherProperties: Readonly<Record<string, string>>;
  /** Where `MODEL (` starts. */
  readonly location: SourceLocation;
}

/** A gateway from config.yaml. The connection is kept as parsed YAML (it may hold secrets: never log it). */
export interface GatewayConfig {
  readonly name: string;
  readonly connection?: Readonly<Record<string, unknown>>;
  readonly stateConnection?: Readonly<Record<string, unknown>>;
  readonly scheduler?: Readonly<Record<string, unknown>>;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The parts of config.yaml the scheduler uses. */
export interface ProjectConfig {
  readonly project: string;
  readonly gateways: readonly GatewayConfig[];
  /** Lower-cased name of the default gateway. */
  readonly defaultGateway: string;
  readonly defaultTargetEnvironment: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly scheduler?: Readonly<Record<string, unknown>>;
  readonly modelDefaults: Readonly<Record<string, unknown>>;
  /** Config file path relative to the project root. */
  readonly file: string;
}

/** A fully loaded and validated project. */
export interface Project {
  /** Absolute path of the project folder. */
  readonly root: string;
  readonly config: ProjectConfig;
  /** Models by normalised name, including EXTERNAL models; disabled models are left out. */
  readonly models: ReadonlyMap<string, ModelDefinition>;
  /** Audit definitions from audits/ by lower-cased name. */
  readonly audits: ReadonlyMap<string, AuditDefinition>;
}
