import type { ModelKindName } from './model';

/** Schema given to a table name written without one (SQLMesh's default). */
export const DEFAULT_SCHEMA = 'default';

/** Config file names, in the order SQLMesh looks for them. */
export const CONFIG_FILE_NAMES = ['config.yaml', 'config.yml', 'sqlmesh.yaml', 'sqlmesh.yml'] as const;

/** Python config files; Meshcron cannot execute them. */
export const PYTHON_CONFIG_FILE_NAMES = ['config.py', 'sqlmesh.py'] as const;

/** Files listing EXTERNAL models at the project root (`schema.yaml` is the older name). */
export const EXTERNAL_MODEL_FILE_NAMES = ['external_models.yaml', 'external_models.yml', 'schema.yaml', 'schema.yml'] as const;

/** Keys a gateway may have (§1.3). */
export const GATEWAY_KEYS = [
  'connection',
  'state_connection',
  'state_schema',
  'test_connection',
  'scheduler',
  'variables',
  'model_defaults',
] as const;

/** Keys allowed under `model_defaults` (§1.5), plus `cron_tz` so a zone can be set once for every model. */
export const MODEL_DEFAULTS_KEYS = [
  'kind',
  'dialect',
  'cron',
  'cron_tz',
  'owner',
  'start',
  'table_format',
  'storage_format',
  'on_destructive_change',
  'on_additive_change',
  'physical_properties',
  'virtual_properties',
  'session_properties',
  'audits',
  'optimize_query',
  'allow_partials',
  'interval_unit',
  'enabled',
  'formatting',
  'batch_concurrency',
  'pre_statements',
  'post_statements',
  'on_virtual_update',
] as const;

/** Scheduler types accepted in config (`builtin` is SQLMesh's; `cloud` is Tobiko Cloud's, which Meshcron replaces). */
export const SCHEDULER_TYPES = ['builtin', 'cloud'] as const;

/** Every property a `MODEL (...)` block may set (SQLMesh ModelMeta and node fields). */
export const MODEL_PROPERTY_KEYS = [
  'name',
  'kind',
  'dialect',
  'cron',
  'cron_tz',
  'interval_unit',
  'start',
  'end',
  'owner',
  'description',
  'tags',
  'stamp',
  'project',
  'table_format',
  'storage_format',
  'partitioned_by',
  'clustered_by',
  'depends_on',
  'columns',
  'column_descriptions',
  'audits',
  'grain',
  'grains',
  'references',
  'physical_properties',
  'virtual_properties',
  'session_properties',
  'allow_partials',
  'signals',
  'enabled',
  'physical_version',
  'gateway',
  'optimize_query',
  'ignored_rules',
  'formatting',
  'virtual_environment_mode',
  'grants',
  'grants_target_layer',
  'blueprints',
  'retention',
] as const;

/** Model properties that are only metadata for Meshcron; kept as source text in `otherProperties`. */
export const PASSTHROUGH_MODEL_PROPERTIES = [
  'project',
  'table_format',
  'storage_format',
  'partitioned_by',
  'clustered_by',
  'column_descriptions',
  'references',
  'physical_version',
  'optimize_query',
  'ignored_rules',
  'formatting',
  'virtual_environment_mode',
  'grants',
  'grants_target_layer',
  'retention',
] as const;

/** Property maps merged key by key with `model_defaults` (§1.5). */
export const MERGED_PROPERTY_MAPS = ['physical_properties', 'virtual_properties', 'session_properties'] as const;

/** Model kinds Meshcron evaluates. */
export const SUPPORTED_KINDS: readonly ModelKindName[] = [
  'FULL',
  'VIEW',
  'INCREMENTAL_BY_TIME_RANGE',
  'INCREMENTAL_BY_UNIQUE_KEY',
  'SEED',
  'EMBEDDED',
];

/** SQLMesh kinds that exist but that Meshcron does not evaluate yet. */
export const UNSUPPORTED_KINDS = [
  'INCREMENTAL_BY_PARTITION',
  'INCREMENTAL_UNMANAGED',
  'SCD_TYPE_2',
  'SCD_TYPE_2_BY_TIME',
  'SCD_TYPE_2_BY_COLUMN',
  'CUSTOM',
  'MANAGED',
  'DBT_TIME_RANGE',
] as const;

/** Kind properties shared by the incremental kinds that Meshcron keeps only as metadata. */
export const PASSTHROUGH_KIND_PROPERTIES = ['on_destructive_change', 'on_additive_change', 'partition_by_time_column'] as const;

/** Kind properties that change scheduling in SQLMesh but that Meshcron does not implement. */
export const UNSUPPORTED_KIND_PROPERTIES = ['auto_restatement_cron', 'auto_restatement_intervals'] as const;

/** Default `time_column` format (SQLMesh `time_column_format`). */
export const DEFAULT_TIME_COLUMN_FORMAT = '%Y-%m-%d';

/** CSV rows per INSERT when loading a seed (SQLMesh's SEED `batch_size` default). */
export const DEFAULT_SEED_BATCH_SIZE = 1000;

/** `csv_settings` Meshcron applies. */
export const CSV_SETTING_KEYS = ['delimiter', 'quotechar', 'header'] as const;

/** pandas `csv_settings` that SQLMesh accepts but Meshcron does not apply. */
export const UNSUPPORTED_CSV_SETTING_KEYS = [
  'doublequote',
  'escapechar',
  'skipinitialspace',
  'lineterminator',
  'encoding',
  'na_values',
  'keep_default_na',
  'thousands',
  'decimal',
] as const;

/** Built-in audits Meshcron evaluates; each also has a `<name>_non_blocking` twin. */
export const BUILT_IN_AUDITS = ['not_null', 'unique_values', 'accepted_values', 'number_of_rows', 'forall'] as const;

/** SQLMesh built-in audits Meshcron does not implement yet (using one is an UnsupportedFeatureError). */
export const UNSUPPORTED_BUILT_IN_AUDITS = [
  'accepted_range',
  'at_least_one',
  'not_constant',
  'not_empty_string',
  'not_null_proportion',
  'not_accepted_values',
  'sequential_values',
  'unique_combination_of_columns',
  'mutually_exclusive_ranges',
  'valid_uuid',
  'valid_url',
  'valid_http_method',
  'valid_email',
  'match_regex_pattern_list',
  'not_match_regex_pattern_list',
  'match_like_pattern_list',
  'not_match_like_pattern_list',
  'z_score',
  'string_length_between',
  'string_length_equal',
  'stddev_in_range',
  'mean_in_range',
  'kl_divergence',
  'chi_square',
] as const;

/** Suffix of the non-blocking twin of a built-in audit. */
export const NON_BLOCKING_SUFFIX = '_non_blocking';

/** Properties of an `AUDIT (...)` block Meshcron understands. */
export const AUDIT_PROPERTY_KEYS = ['name', 'dialect', 'blocking', 'skip', 'defaults', 'description', 'owner', 'tags'] as const;

/** Keys of one entry in external_models.yaml. */
export const EXTERNAL_MODEL_KEYS = ['name', 'columns', 'gateway', 'dialect', 'description', 'owner', 'tags', 'column_descriptions'] as const;

/** Statement keywords that start the model query (§2.1). */
export const QUERY_KEYWORDS = ['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'] as const;

/** Markers of Jinja sections, which Meshcron cannot render. */
export const JINJA_MARKERS = ['JINJA_QUERY_BEGIN', 'JINJA_STATEMENT_BEGIN', 'JINJA_END'] as const;

/** Cron given to EXTERNAL models; they are never evaluated, but every model carries a schedule. */
export const EXTERNAL_CRON = '@daily';

/** Schemas of the engine's own catalog tables, which are never models. */
export const SYSTEM_SCHEMAS = new Set(['information_schema', 'pg_catalog']);
/** Catalogs of the engine's own tables (DuckDB `system`, `temp`). */
export const SYSTEM_CATALOGS = new Set(['system', 'temp']);

/** Properties each kind accepts (besides the passthrough and unsupported ones of incremental kinds). */
export const KIND_PROPERTIES: Readonly<Record<ModelKindName, readonly string[]>> = {
  FULL: [],
  EMBEDDED: [],
  EXTERNAL: [],
  VIEW: ['materialized'],
  INCREMENTAL_BY_TIME_RANGE: ['time_column', 'batch_size', 'batch_concurrency', 'lookback', 'forward_only', 'disable_restatement'],
  INCREMENTAL_BY_UNIQUE_KEY: [
    'unique_key',
    'when_matched',
    'merge_filter',
    'batch_size',
    'batch_concurrency',
    'lookback',
    'forward_only',
    'disable_restatement',
  ],
  SEED: ['path', 'batch_size', 'csv_settings'],
};

/** Kinds that take the shared incremental properties (on_destructive_change, auto_restatement_*, ...). */
export const INCREMENTAL_KINDS: readonly ModelKindName[] = ['INCREMENTAL_BY_TIME_RANGE', 'INCREMENTAL_BY_UNIQUE_KEY'];

/** Marker that makes a seed path relative to the project root instead of the model file. */
export const SEED_ROOT_MARKER = '$root/';
