import { SchedulerError, formatLocation } from '../errors';
import type { AuditDefinition, AuditUse, ModelDefinition, ModelKind } from '../project/model';
import { METADATA_PROPERTY_KEYS } from './constants';
import { hashData } from './hash';
import { normalizeSqlForHash } from './normalize-sql';

/**
 * The four hashes that identify a model snapshot, plus the two keys derived from them. Every value is a
 * decimal CRC-32 string from {@link hashData}.
 */
export interface Fingerprint {
  /** Everything that changes the rows the model writes. */
  readonly dataHash: string;
  /** Everything else: scheduling, descriptions, audits. */
  readonly metadataHash: string;
  /** Hash of the parents' versions, so a breaking parent change gives the child a new version too. */
  readonly parentDataHash: string;
  readonly parentMetadataHash: string;
  /** `hashData([data, metadata, parentData, parentMetadata])`: the snapshot id within a model name. */
  readonly identifier: string;
  /** `hashData([data, parentData])`: the physical table key of a new or breaking change. */
  readonly version: string;
}

/** What a child needs from each parent's fingerprint; a full {@link Fingerprint} fits. */
export type ParentFingerprint = Pick<
  Fingerprint,
  'dataHash' | 'metadataHash' | 'parentDataHash' | 'parentMetadataHash'
>;

/** Inputs that affect a fingerprint but are not part of the parsed model definition. */
export interface FingerprintInputs {
  /**
   * Hash of the seed CSV's content (e.g. {@link hashSeedContent}); required for SEED models, because the
   * rows of a seed change when the file changes even though the model definition does not.
   */
  readonly seedContentHash?: string;
  /** Project audits by lower-cased name, so that editing an audit's query changes the metadata hash. */
  readonly auditDefinitions?: ReadonlyMap<string, AuditDefinition>;
}

/**
 * Fingerprints a model from its definition and its parents' fingerprints (in any order: they are sorted).
 * Only the definition as written is hashed, before any macro or variable is rendered, so secrets and
 * environment variables can never reach a fingerprint. Query and statement text is compared after
 * {@link normalizeSqlForHash}, so layout and comment edits keep the version.
 *
 * @example
 * const orders = fingerprintModel(ordersModel, []);
 * const daily = fingerprintModel(dailyModel, [orders]);
 * physicalTableName(parseModelName(dailyModel.name), daily.version);
 */
export function fingerprintModel(
  model: ModelDefinition,
  parents: readonly ParentFingerprint[],
  inputs: FingerprintInputs = {},
): Fingerprint {
  const dataHash = modelDataHash(model, inputs);
  const metadataHash = modelMetadataHash(model, inputs);
  const parentDataHash = hashData(
    sortStrings(parents.map((p) => fingerprintVersion(p.dataHash, p.parentDataHash))),
  );
  const parentMetadataHash = hashData(
    sortStrings(parents.flatMap((p) => [p.metadataHash, p.parentMetadataHash])),
  );
  return {
    dataHash,
    metadataHash,
    parentDataHash,
    parentMetadataHash,
    identifier: hashData([dataHash, metadataHash, parentDataHash, parentMetadataHash]),
    version: fingerprintVersion(dataHash, parentDataHash),
  };
}

/**
 * The version of a new or breaking change: `hashData([dataHash, parentDataHash])`.
 *
 * @example fingerprintVersion('1', '1') // '3078928823'
 */
export function fingerprintVersion(dataHash: string, parentDataHash: string): string {
  return hashData([dataHash, parentDataHash]);
}

/** A seed CSV's content hash for {@link FingerprintInputs.seedContentHash}. */
export function hashSeedContent(csvText: string): string {
  return hashData([csvText]);
}

/**
 * Hash of what affects the rows a model writes: query, kind and its data fields, lookback, the effective
 * interval unit (inferred or explicit: changing `@daily` to `@hourly` must rebuild), dialect (the raw SQL is
 * read in it), columns, pre/post statements, stamp, gateway, seed content and data-affecting properties.
 */
export function modelDataHash(model: ModelDefinition, inputs: FingerprintInputs = {}): string {
  const properties = sortedEntries(model.otherProperties).filter(
    ([key]) => !METADATA_PROPERTY_KEYS.has(key.toLowerCase()),
  );
  return hashData([
    ...kindDataItems(model, inputs),
    item('dialect', model.dialect),
    item('interval_unit', model.intervalUnit),
    item('query', normalizeSqlForHash(model.query)),
    item('pre_statements', model.preStatements.map((s) => normalizeSqlForHash(s.sql))),
    item('post_statements', model.postStatements.map((s) => normalizeSqlForHash(s.sql))),
    item('columns', model.columns?.map((c) => [c.name, normalizeSqlForHash(c.type)])),
    item('stamp', model.stamp),
    item('gateway', model.gateway),
    item('properties', properties.map(([key, value]) => [key, normalizeSqlForHash(value)])),
  ]);
}

/**
 * Hash of what does not change the rows: cron, cron_tz, start, end, owner, description, tags, grains,
 * batching, allow_partials, forward-only flags, depends_on, on-virtual-update statements, audits and
 * metadata properties. A change here alone keeps the version (and the table with its intervals).
 */
export function modelMetadataHash(model: ModelDefinition, inputs: FingerprintInputs = {}): string {
  const properties = sortedEntries(model.otherProperties).filter(([key]) =>
    METADATA_PROPERTY_KEYS.has(key.toLowerCase()),
  );
  return hashData([
    item('cron', model.cron),
    item('cron_tz', model.cronTz),
    item('start', model.start),
    item('end', model.end),
    item('owner', model.owner),
    item('description', model.description),
    item('tags', sortStrings(model.tags)),
    item('grains', sortStrings(model.grains)),
    item('allow_partials', model.allowPartials),
    ...kindMetadataItems(model.kind),
    item('depends_on', sortStrings(model.explicitDependsOn)),
    item('on_virtual_update', model.onVirtualUpdate.map((s) => normalizeSqlForHash(s.sql))),
    item('audits', sortStrings(model.audits.map((use) => auditItem(use, model, inputs)))),
    item('properties', properties.map(([key, value]) => [key, normalizeSqlForHash(value)])),
  ]);
}

function kindDataItems(model: ModelDefinition, inputs: FingerprintInputs): string[] {
  const kind = model.kind;
  const items = [item('kind', kind.name)];
  switch (kind.name) {
    case 'VIEW':
      items.push(item('materialized', kind.materialized));
      break;
    case 'INCREMENTAL_BY_TIME_RANGE':
      items.push(
        item('time_column', kind.timeColumn),
        item('time_column_format', kind.timeColumnFormat),
        item('lookback', kind.lookback),
      );
      break;
    case 'INCREMENTAL_BY_UNIQUE_KEY':
      items.push(
        item('unique_key', kind.uniqueKey),
        item('when_matched', optionalSql(kind.whenMatched)),
        item('merge_filter', optionalSql(kind.mergeFilter)),
        item('lookback', kind.lookback),
      );
      break;
    case 'SEED': {
      if (inputs.seedContentHash === undefined) {
        throw new SchedulerError(
          `seed model '${model.name}' (${formatLocation(model.location)}) cannot be fingerprinted without ` +
            `the content hash of '${kind.relativePath}': pass seedContentHash so that editing the CSV ` +
            `creates a new version`,
        );
      }
      const csv = kind.csvSettings;
      // The relative path, not the absolute one: the same project checked out elsewhere keeps its versions.
      items.push(
        item('path', kind.relativePath),
        item('csv_settings', [csv.delimiter, csv.quotechar, csv.header]),
        item('seed_content', inputs.seedContentHash),
      );
      break;
    }
    case 'FULL':
    case 'EMBEDDED':
    case 'EXTERNAL':
      break;
  }
  return items;
}

function kindMetadataItems(kind: ModelKind): string[] {
  switch (kind.name) {
    case 'INCREMENTAL_BY_TIME_RANGE':
      return [
        item('batch_size', kind.batchSize),
        item('batch_concurrency', kind.batchConcurrency),
        item('forward_only', kind.forwardOnly),
        item('disable_restatement', kind.disableRestatement),
      ];
    case 'INCREMENTAL_BY_UNIQUE_KEY':
      return [
        item('batch_size', kind.batchSize),
        item('forward_only', kind.forwardOnly),
        item('disable_restatement', kind.disableRestatement),
      ];
    case 'SEED':
      return [item('batch_size', kind.batchSize)];
    default:
      return [];
  }
}

function auditItem(use: AuditUse, model: ModelDefinition, inputs: FingerprintInputs): string {
  const definition =
    model.inlineAudits.find((audit) => audit.name.toLowerCase() === use.name) ??
    inputs.auditDefinitions?.get(use.name);
  return item('audit', [
    use.name,
    sortedEntries(use.args).map(([key, value]) => [key, normalizeSqlForHash(value)]),
    use.blocking ?? null,
    definition
      ? [
          normalizeSqlForHash(definition.query),
          definition.blocking,
          definition.skip,
          definition.dialect ?? null,
          sortedEntries(definition.defaults).map(([key, value]) => [key, normalizeSqlForHash(value)]),
        ]
      : null,
  ]);
}

/**
 * One hash item: `key=<JSON>`. Keys keep fields from sliding into each other's positions, and a JSON value
 * always ends where it started, so the `;`-joined list read back is unambiguous even when values hold `;`.
 */
function item(key: string, value: unknown): string {
  return `${key}=${JSON.stringify(value ?? null)}`;
}

function optionalSql(sql: string | undefined): string | undefined {
  return sql === undefined ? undefined : normalizeSqlForHash(sql);
}

/** Code-unit order, independent of locale, so hashes match on every machine. */
function sortStrings(values: readonly string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return sortStrings(Object.keys(record)).map((key) => [key, record[key] as string]);
}
