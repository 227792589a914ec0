/** The production environment's name; its views carry the plain model names. */
export const PROD_ENVIRONMENT = 'prod';

/** Schema given to a model name that has none (`events` is `default.events`). */
export const DEFAULT_SCHEMA = 'default';

/** Prefix of physical schemas and of md5-hashed table names (`sqlmesh__<schema>`, `sqlmesh_md5__<hex>`). */
export const PHYSICAL_PREFIX = 'sqlmesh';

/** Suffix SQLMesh gives non-deployable (dev) tables by default: `<name>__<dev_version>__dev`. */
export const DEV_TABLE_SUFFIX = 'dev';

/**
 * An identifier that can be written without quotes: a letter or underscore, then word characters. Word
 * characters are Unicode-aware, matching Python's `\w` in SQLGlot's rule, so `café` stays unquoted.
 */
export const SAFE_IDENTIFIER_RE = /^[A-Za-z_][\p{L}\p{N}_]*$/u;

/** Characters replaced by `_` in physical table name parts (ASCII alphanumerics and `_` survive). */
export const NON_ALNUM_RE = /[^A-Za-z0-9_]/g;

/** Characters replaced by `_` in environment names: anything that is not a Unicode word character. */
export const NON_WORD_RE = /[^\p{L}\p{N}_]/gu;

/**
 * Keys of `ModelDefinition.otherProperties` that change how a model is described, exposed or scheduled but
 * never the rows it writes; they go into the metadata hash. Every other key goes into the data hash, so an
 * unknown property errs on the side of a new version.
 */
export const METADATA_PROPERTY_KEYS: ReadonlySet<string> = new Set([
  'auto_restatement_cron',
  'auto_restatement_intervals',
  'column_descriptions',
  'formatting',
  'grants',
  'grants_target_layer',
  'ignored_rules',
  'on_additive_change',
  'on_destructive_change',
  'partition_by_time_column',
  'project',
  'references',
  'retention',
  'session_properties',
  'signals',
  'virtual_properties',
]);
