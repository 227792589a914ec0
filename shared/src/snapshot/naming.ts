import { SchedulerError } from '../errors';
import {
  DEFAULT_SCHEMA,
  NON_ALNUM_RE,
  NON_WORD_RE,
  PHYSICAL_PREFIX,
  PROD_ENVIRONMENT,
} from './constants';
import { md5Hex } from './md5';
import { formatTableName, parseModelName, type TableNameParts } from './qualified-name';

export { parseModelName, quoteIdentifier, formatTableName } from './qualified-name';
export type { QualifiedName, TableNameParts } from './qualified-name';

/** How the table part of a physical table name is built (SQLMesh `physical_table_naming_convention`). */
export type TableNamingConvention = 'schema_and_table' | 'table_only' | 'hash_md5';

/** Which part of a view name carries the environment (SQLMesh `environment_suffix_target`). */
export type EnvironmentSuffixTarget = 'schema' | 'table' | 'catalog';

export interface PhysicalTableNameOptions {
  /** Physical schema to use; default `sqlmesh__<schema>` (`sqlmesh__default` when the name has no schema). */
  readonly physicalSchema?: string;
  /** Appended as `__<suffix>`: `dev` for non-deployable tables, undefined for deployable ones. */
  readonly suffix?: string;
  /** Default `schema_and_table`. */
  readonly namingConvention?: TableNamingConvention;
}

export interface ViewNameOptions {
  /** Catalog from `environment_catalog_mapping`; replaces the model's catalog unless the suffix goes there. */
  readonly catalogOverride?: string;
  /** Catalog to suffix when the target is `catalog` and the model name has none. */
  readonly defaultCatalog?: string;
}

export interface DisplayNameOptions {
  /** Default `schema`. */
  readonly suffixTarget?: EnvironmentSuffixTarget;
  readonly catalogOverride?: string;
  /** The gateway's default catalog: left out of the display unless the suffix target is `catalog`. */
  readonly defaultCatalog?: string;
}

/**
 * The schema holding a model's physical tables.
 *
 * @example physicalSchemaName('shop') // 'sqlmesh__shop'
 */
export function physicalSchemaName(modelSchema: string): string {
  return `${PHYSICAL_PREFIX}__${modelSchema}`;
}

/**
 * The physical table a model version writes to: `[catalog.]sqlmesh__<schema>.<schema>__<table>__<version>`.
 * Name parts have non-alphanumeric characters replaced by `_`; any part that still is not a plain identifier
 * (the catalog or physical schema) is double-quoted. With `hash_md5`, the table part is
 * `sqlmesh_md5__<md5 of the whole schema_and_table name, suffix included>`, and the suffix is appended again
 * after the hash so dev tables stay recognisable.
 *
 * A name without a schema yields just `<table>__<version>`, as SQLMesh does for bare names; pass the output
 * of {@link parseModelName} to get the `default` schema spelled out.
 *
 * @example physicalTableName({ schema: 'shop', table: 'orders' }, '1234') // 'sqlmesh__shop.shop__orders__1234'
 */
export function physicalTableName(
  name: TableNameParts,
  version: string,
  options: PhysicalTableNameOptions = {},
): string {
  const convention = options.namingConvention ?? 'schema_and_table';
  const physicalSchema = options.physicalSchema ?? physicalSchemaName(name.schema ?? DEFAULT_SCHEMA);
  let tablePart: string;
  if (convention === 'hash_md5') {
    const readable = physicalTableName(name, version, {
      ...options,
      namingConvention: 'schema_and_table',
    });
    tablePart = `${PHYSICAL_PREFIX}_md5__${md5Hex(readable)}`;
  } else {
    const nameParts =
      convention === 'table_only' || name.schema === undefined ? [name.table] : [name.schema, name.table];
    tablePart = `${nameParts.map(sanitizeNamePart).join('__')}__${version}`;
  }
  const suffix = options.suffix ? `__${options.suffix}` : '';
  return formatTableName([name.catalog, physicalSchema, `${tablePart}${suffix}`]);
}

function sanitizeNamePart(part: string): string {
  return part.replace(NON_ALNUM_RE, '_');
}

/**
 * Normalises an environment name the way SQLMesh does before using it anywhere: non-word characters become
 * `_`, then the name is lower-cased.
 *
 * @example normalizeEnvironmentName('Feature/X-1') // 'feature_x_1'
 */
export function normalizeEnvironmentName(name: string): string {
  if (name === '') {
    throw new SchedulerError("environment name is empty; use 'prod' or a name such as 'dev'");
  }
  return name.replace(NON_WORD_RE, '_').toLowerCase();
}

/**
 * The name of the view that exposes a model in an environment. In `prod` it is the model name itself; in
 * another environment `<env>` the suffix `__<env>` goes on the schema (default), the table or the catalog.
 * Parts that are not plain identifiers are double-quoted.
 *
 * @example viewName('shop.orders', 'dev') // 'shop__dev.orders'
 * @example viewName('shop.orders', 'dev', 'table') // 'shop.orders__dev'
 */
export function viewName(
  modelName: string | TableNameParts,
  env: string,
  suffixTarget: EnvironmentSuffixTarget = 'schema',
  options: ViewNameOptions = {},
): string {
  const parts = typeof modelName === 'string' ? parseModelName(modelName) : modelName;
  const envName = normalizeEnvironmentName(env);
  const isDev = envName !== PROD_ENVIRONMENT;

  let catalog = parts.catalog;
  if (isDev && suffixTarget === 'catalog') {
    const base = parts.catalog ?? options.defaultCatalog;
    if (base === undefined) {
      throw new SchedulerError(
        `cannot name the view of '${formatTableName([parts.schema, parts.table])}' in environment ` +
          `'${envName}': environment_suffix_target 'catalog' needs a catalog; give the model a catalog ` +
          `or configure the gateway's default catalog`,
      );
    }
    catalog = `${base}__${envName}`;
  } else if (options.catalogOverride !== undefined) {
    catalog = options.catalogOverride;
  }

  let schema = parts.schema || DEFAULT_SCHEMA;
  if (isDev && suffixTarget === 'schema') schema = `${schema}__${envName}`;

  let table = parts.table;
  if (isDev && suffixTarget === 'table') table = `${table}__${envName}`;

  return formatTableName([catalog, schema, table]);
}

/**
 * The name shown to users for a model in an environment: its view name, with the default catalog left out
 * (unless the environment suffix goes on the catalog, where it is needed to tell environments apart).
 *
 * @example displayName('shop.orders', 'dev') // 'shop__dev.orders'
 */
export function displayName(
  modelName: string,
  env: string,
  options: DisplayNameOptions = {},
): string {
  const parts = parseModelName(modelName);
  const suffixTarget = options.suffixTarget ?? 'schema';
  const fullCatalog = parts.catalog ?? options.defaultCatalog;
  const catalog =
    suffixTarget !== 'catalog' && fullCatalog === options.defaultCatalog ? undefined : fullCatalog;
  return viewName({ catalog, schema: parts.schema, table: parts.table }, env, suffixTarget, {
    catalogOverride: options.catalogOverride,
    defaultCatalog: options.defaultCatalog,
  });
}
