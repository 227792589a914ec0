import { ProjectParseError, type SourceLocation, UnsupportedFeatureError } from '../errors';
import { commentBody } from '../render/sql-statements';
import type { IntervalUnit } from '../schedule/interval';
import { buildAuditDefinition } from './audit-file';
import { readAuditUses } from './audit-uses';
import { MERGED_PROPERTY_MAPS, MODEL_PROPERTY_KEYS, PASSTHROUGH_MODEL_PROPERTIES } from './constants';
import type { ColumnDefinition, ModelDefinition, ModelKind } from './model';
import type { ModelFileParts } from './model-file';
import { parseModelKind } from './model-kind';
import type { LoadedConfig } from './project-config';
import { type ProjectFileSystem, relativeToRoot } from './project-file-system';
import { type Property, type PropertyValue, parseValueText } from './property-parser';
import {
  describe,
  readBoolean,
  readKeyValues,
  readNameList,
  readString,
  readText,
  readTextList,
  readTimeLike,
} from './property-values';
import { checkCron, checkTimeZone, parseIntervalUnit, resolveIntervalUnit } from './schedule-checks';
import { resolveSeedPath } from './seed-path';
import { normaliseTableName, parseTableName } from './table-name';
import { checkTimeLike } from './time-like';

/** What {@link buildModelDraft} needs besides the file. */
export interface ModelBuildContext {
  /** Absolute project folder. */
  readonly root: string;
  readonly fs: ProjectFileSystem;
  readonly loaded: LoadedConfig;
}

/** A model with everything but its dependencies, which need every model's name first. */
export type ModelDraft = Omit<ModelDefinition, 'dependsOn' | 'dependsOnSelf'> & {
  /** Where `depends_on` is written, for errors about its names. */
  readonly dependsOnLocation?: SourceLocation;
};

/**
 * Builds a model from a parsed `.sql` file: validates every property against SQLMesh's grammar, applies
 * `model_defaults`, checks cron/zone/unit/start/end, resolves the seed file and reads audits.
 *
 * @param absoluteFile The model file's absolute path (seed paths are relative to it).
 * @throws ProjectParseError / UnsupportedFeatureError naming the file and line of the offending property.
 */
export async function buildModelDraft(
  parts: ModelFileParts,
  absoluteFile: string,
  ctx: ModelBuildContext,
): Promise<ModelDraft> {
  const file = relativeToRoot(ctx.root, absoluteFile);
  const defaults = ctx.loaded.modelDefaults;
  const props = new Map<string, Property>();
  for (const prop of parts.model.properties) {
    if (!(MODEL_PROPERTY_KEYS as readonly string[]).includes(prop.key)) {
      throw new ProjectParseError(
        `unknown model property '${prop.key}'; valid properties: ${[...MODEL_PROPERTY_KEYS].sort().join(', ')}`,
        prop.location,
      );
    }
    props.set(prop.key, prop);
  }
  const get = <T>(key: string, read: (value: PropertyValue, what: string, loc: SourceLocation) => T): T | undefined => {
    const p = props.get(key);
    return p && read(p.value, `property '${key}'`, p.location);
  };
  const locOf = (key: string): SourceLocation => props.get(key)?.location ?? parts.model.location;

  for (const key of ['blueprints', 'signals'] as const) {
    const p = props.get(key);
    if (p === undefined) continue;
    const empty = (p.value.type === 'tuple' || p.value.type === 'array') && p.value.items.length === 0;
    if (!empty) throw new UnsupportedFeatureError(`model property '${key}' is not supported yet`, p.location);
  }

  const name = readModelName(props.get('name'), file, ctx, parts.model.location);
  const owner = `model '${name}'`;

  const kindProp = props.get('kind');
  const kindValue = kindProp?.value ?? defaults.kind?.value ?? parseValueText('VIEW', parts.model.location);
  const parsedKind = parseModelKind(kindValue, {
    location: kindProp?.location ?? defaults.kind?.location ?? parts.model.location,
    timeColumnFormat: ctx.loaded.timeColumnFormat,
    ...(defaults.batchConcurrency ? { defaultBatchConcurrency: defaults.batchConcurrency.value } : {}),
  });
  let kind: ModelKind;
  if (parsedKind.seed) {
    const seed = await resolveSeedPath(parsedKind.seed, absoluteFile, ctx.root, ctx.fs);
    kind = {
      name: 'SEED',
      path: seed.path,
      relativePath: seed.relativePath,
      csvSettings: parsedKind.seed.csvSettings,
      batchSize: parsedKind.seed.batchSize,
    };
  } else {
    kind = parsedKind.kind as ModelKind;
  }
  if (kind.name === 'SEED' && parts.query) {
    throw new ProjectParseError(`${owner} is a SEED model: its rows come from the CSV file, so it takes no query`, parts.query.location);
  }
  if (kind.name !== 'SEED' && !parts.query) {
    throw new ProjectParseError(`${owner} has no query; add a SELECT statement after the MODEL block`, parts.model.location);
  }

  const cronTzProp = props.get('cron_tz');
  const cronTz = cronTzProp
    ? checkTimeZone(readText(cronTzProp.value, "property 'cron_tz'", cronTzProp.location), cronTzProp.location)
    : defaults.cronTz?.value;
  const cronProp = props.get('cron');
  const cron = cronProp ? readString(cronProp.value, "property 'cron'", cronProp.location) : (defaults.cron?.value ?? '@daily');
  const cronLocation = cronProp?.location ?? defaults.cron?.location ?? parts.model.location;
  checkCron(cron, cronTz, cronLocation, name);

  const unitProp = props.get('interval_unit');
  const explicitUnit: IntervalUnit | undefined = unitProp
    ? parseIntervalUnit(readText(unitProp.value, "property 'interval_unit'", unitProp.location), unitProp.location)
    : defaults.intervalUnit?.value;
  const allowPartials = get('allow_partials', readBoolean) ?? defaults.allowPartials ?? false;
  const intervalUnit = resolveIntervalUnit(
    cron,
    explicitUnit,
    allowPartials,
    owner,
    unitProp?.location ?? defaults.intervalUnit?.location ?? cronLocation,
  );

  const start = get('start', readTimeLike) ?? defaults.start?.value;
  const end = get('end', readTimeLike);
  const startLocation = props.has('start') ? locOf('start') : (defaults.start?.location ?? locOf('start'));
  const startMs = start === undefined ? undefined : checkTimeLike(start, `start of ${owner}`, startLocation);
  const endMs = end === undefined ? undefined : checkTimeLike(end, `end of ${owner}`, locOf('end'));
  if (end !== undefined && start === undefined) {
    throw new ProjectParseError(`${owner} sets end but no start; an end requires a start`, locOf('end'));
  }
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new ProjectParseError(`${owner} has start '${start}' after end '${end}'`, locOf('end'));
  }

  const gatewayName = get('gateway', readText)?.toLowerCase();
  if (gatewayName !== undefined && !ctx.loaded.config.gateways.some((g) => g.name === gatewayName)) {
    throw new ProjectParseError(
      `${owner} uses gateway '${gatewayName}', which is not defined; defined gateways: ${ctx.loaded.config.gateways.map((g) => g.name).join(', ')}`,
      locOf('gateway'),
    );
  }
  if (props.has('grain') && props.has('grains')) {
    throw new ProjectParseError(`${owner} sets both grain and grains; use one of them`, locOf('grains'));
  }
  const grainsProp = props.get('grains') ?? props.get('grain');

  const explicitDependsOn = readDependsOn(props.get('depends_on'));
  const description = get('description', readString) ?? leadingDescription(parts.leadingComments);
  const owner_ = get('owner', readText) ?? defaults.owner;
  const stamp = get('stamp', readText);
  const columns = props.has('columns') ? readColumns(props.get('columns') as Property) : undefined;
  const audits = [...defaults.audits, ...(props.has('audits') ? readAuditUses(locValue(props, 'audits'), locOf('audits')) : [])];

  return {
    name,
    kind,
    dialect: (get('dialect', readText) ?? defaults.dialect).toLowerCase(),
    cron,
    ...(cronTz === undefined ? {} : { cronTz }),
    intervalUnit,
    intervalUnitExplicit: explicitUnit !== undefined,
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    allowPartials,
    enabled: get('enabled', readBoolean) ?? defaults.enabled ?? true,
    ...(owner_ === undefined ? {} : { owner: owner_ }),
    ...(description === undefined ? {} : { description }),
    tags: get('tags', readNameList) ?? [],
    grains: grainsProp ? readTextList(grainsProp.value) : [],
    ...(stamp === undefined ? {} : { stamp }),
    ...(gatewayName === undefined ? {} : { gateway: gatewayName }),
    ...(columns === undefined ? {} : { columns }),
    query: parts.query?.sql ?? '',
    preStatements: [...defaults.preStatements, ...parts.preStatements],
    postStatements: [...defaults.postStatements, ...parts.postStatements],
    onVirtualUpdate: [...defaults.onVirtualUpdate, ...parts.onVirtualUpdate],
    explicitDependsOn,
    audits,
    inlineAudits: parts.inlineAudits.map(buildAuditDefinition),
    otherProperties: { ...otherProperties(props, ctx), ...parsedKind.extra },
    location: parts.model.location,
    ...(props.has('depends_on') ? { dependsOnLocation: locOf('depends_on') } : {}),
    ...(parts.query ? { queryLocation: parts.query.location } : {}),
  };
}

function locValue(props: Map<string, Property>, key: string): PropertyValue {
  return (props.get(key) as Property).value;
}

/** `name db.orders` (an identifier, never a string), or `<folder>.<file>` with `model_naming.infer_names`. */
function readModelName(
  prop: Property | undefined,
  file: string,
  ctx: ModelBuildContext,
  blockLocation: SourceLocation,
): string {
  if (prop === undefined) {
    if (ctx.loaded.inferNames) {
      const parts = file.replace(/\.sql$/i, '').split('/').slice(1);
      const inferred = normaliseTableName(parts.slice(-2));
      if (inferred !== undefined) return inferred;
    }
    throw new ProjectParseError('MODEL (...) has no name; add name <schema>.<table>', blockLocation);
  }
  const value = prop.value;
  if (value.type === 'string') {
    throw new ProjectParseError(
      `model name must be written as an identifier, not a string: name ${value.value} (without quotes)`,
      prop.location,
    );
  }
  const name = value.type === 'identifier' ? normaliseTableName(value.parts) : undefined;
  if (name === undefined) {
    throw new ProjectParseError(`model name must be [catalog.][schema.]table, found ${describe(value)}`, prop.location);
  }
  return name;
}

function readDependsOn(prop: Property | undefined): string[] {
  if (prop === undefined) return [];
  const value = prop.value;
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  return items.map((item) => {
    const at = { file: prop.location.file, line: item.line };
    if (item.type === 'string') return parseTableName(item.value, 'depends_on entry', at);
    const name = item.type === 'identifier' ? normaliseTableName(item.parts) : undefined;
    if (name === undefined) throw new ProjectParseError(`depends_on entries must be table names, found ${describe(item)}`, at);
    return name;
  });
}

/** `columns (id INT, amount DECIMAL(10, 2))`. */
function readColumns(prop: Property): ColumnDefinition[] {
  const value = prop.value;
  const items = value.type === 'tuple' ? value.items : [];
  if (value.type !== 'tuple' || items.length === 0) {
    throw new ProjectParseError('columns must be a list of column types, e.g. columns (id INT, ds DATE)', prop.location);
  }
  return items.map((item) => {
    const [nameToken, ...typeTokens] = item.tokens;
    const at = { file: prop.location.file, line: item.line };
    const first = typeTokens[0];
    const last = typeTokens[typeTokens.length - 1];
    if ((nameToken?.kind !== 'identifier' && nameToken?.kind !== 'quoted_identifier') || !first || !last) {
      throw new ProjectParseError(`column definition '${item.text}' must be a name and a type, e.g. id INT`, at);
    }
    const name = nameToken.kind === 'quoted_identifier' ? nameToken.text.slice(1, -1) : nameToken.text.toLowerCase();
    return { name, type: item.source.slice(first.start, last.end) };
  });
}

/** Non-scheduling properties as SQL text, with property maps merged over model_defaults (a NULL removes a key). */
function otherProperties(props: Map<string, Property>, ctx: ModelBuildContext): Record<string, string> {
  const defaults = ctx.loaded.modelDefaults;
  const out: Record<string, string> = { ...defaults.other };
  for (const key of PASSTHROUGH_MODEL_PROPERTIES) {
    const p = props.get(key);
    if (p) out[key] = p.value.text;
  }
  for (const key of MERGED_PROPERTY_MAPS) {
    const merged = new Map<string, string>(defaults.propertyMaps[key] ?? []);
    const p = props.get(key);
    if (p) {
      for (const [k, v] of readKeyValues(p.value, `property '${key}'`, p.location)) {
        if (v.toUpperCase() === 'NULL') merged.delete(k);
        else merged.set(k, v);
      }
    }
    if (merged.size > 0) out[key] = `(${[...merged].map(([k, v]) => `${k} = ${v}`).join(', ')})`;
  }
  return out;
}

/** A comment directly above `MODEL (` describes the model (SQLMesh's rule). */
function leadingDescription(comments: readonly string[]): string | undefined {
  const text = comments.map(commentBody).join('\n').trim();
  return text === '' ? undefined : text;
}
