import { ProjectParseError, type SourceLocation } from '../errors';
import { toSqlLiteral } from '../render/sql-literal';
import type { IntervalUnit } from '../schedule/interval';
import { readAuditUses } from './audit-uses';
import { MERGED_PROPERTY_MAPS, MODEL_DEFAULTS_KEYS } from './constants';
import type { AuditUse, SqlStatement } from './model';
import { type PropertyValue, parseValueText } from './property-parser';
import { checkCron, checkTimeZone, parseIntervalUnit } from './schedule-checks';
import { checkTimeLike } from './time-like';
import { isRecord, type YamlPath, type YamlSource } from './yaml-source';

/** A default value with the config location it came from, so model errors can point at it. */
export interface Sourced<T> {
  readonly value: T;
  readonly location: SourceLocation;
}

/** `model_defaults` after validation (root defaults with the active gateway's merged over them). */
export interface ModelDefaults {
  readonly dialect: string;
  readonly cron?: Sourced<string>;
  /** Already validated; undefined value = UTC. */
  readonly cronTz?: Sourced<string | undefined>;
  /** The kind as a MODEL-style value (`FULL`, `INCREMENTAL_BY_TIME_RANGE (time_column 'ds')`). */
  readonly kind?: Sourced<PropertyValue>;
  readonly start?: Sourced<string | number>;
  readonly intervalUnit?: Sourced<IntervalUnit>;
  readonly allowPartials?: boolean;
  readonly enabled?: boolean;
  readonly owner?: string;
  readonly batchConcurrency?: Sourced<number>;
  readonly audits: readonly AuditUse[];
  readonly preStatements: readonly SqlStatement[];
  readonly postStatements: readonly SqlStatement[];
  readonly onVirtualUpdate: readonly SqlStatement[];
  /** physical/virtual/session properties as `[key, SQL text]` entries, merged under the model's own. */
  readonly propertyMaps: Readonly<Record<string, readonly [string, string][]>>;
  /** Other defaults kept as SQL text for `otherProperties` (table_format, storage_format, ...). */
  readonly other: Readonly<Record<string, string>>;
  /** The merged raw values, for {@link ProjectConfig.modelDefaults}. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Validates `model_defaults` (root merged with the active gateway's, whose keys win). `dialect` is required;
 * unknown keys are errors listing the allowed ones; crons, zones, units, starts and audits are checked here so
 * a bad default is reported at its config line rather than at every model.
 *
 * @param paths YAML paths of the root and gateway `model_defaults` maps, for locations.
 */
export function parseModelDefaults(source: YamlSource, paths: readonly YamlPath[]): ModelDefaults {
  const raw: Record<string, unknown> = {};
  const where = new Map<string, YamlPath>();
  for (const path of paths) {
    const value = getIn(source.value, path);
    if (value === undefined || value === null) continue;
    if (!isRecord(value)) throw new ProjectParseError('model_defaults must be a map of key: value', source.locationOf(path));
    for (const [key, v] of Object.entries(value)) {
      const lower = key.toLowerCase();
      if (!(MODEL_DEFAULTS_KEYS as readonly string[]).includes(lower)) {
        throw new ProjectParseError(
          `unknown model_defaults key '${key}'; allowed keys: ${MODEL_DEFAULTS_KEYS.join(', ')}`,
          source.locationOf([...path, key]),
        );
      }
      raw[lower] = mergeValue(raw[lower], v, lower);
      where.set(lower, [...path, key]);
    }
  }
  const loc = (key: string): SourceLocation => source.locationOf(where.get(key) ?? paths[0] ?? []);
  const text = (key: string, expected: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new ProjectParseError(`model_defaults.${key} must be ${expected}, found ${JSON.stringify(v)}`, loc(key));
    }
    return String(v);
  };
  const bool = (key: string): boolean | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    throw new ProjectParseError(`model_defaults.${key} must be true or false, found ${JSON.stringify(v)}`, loc(key));
  };

  const dialect = text('dialect', 'a dialect name such as duckdb');
  if (dialect === undefined || dialect.trim() === '') {
    throw new ProjectParseError(
      'model_defaults.dialect is required (e.g. model_defaults: {dialect: duckdb})',
      source.locationOf(paths[0] ?? []),
    );
  }

  const cronTzText = text('cron_tz', 'an IANA time zone name');
  const cronTz = cronTzText === undefined ? undefined : { value: checkTimeZone(cronTzText, loc('cron_tz')), location: loc('cron_tz') };
  const cronText = text('cron', "a cron string such as '@daily'");
  if (cronText !== undefined) checkCron(cronText, cronTz?.value, loc('cron'));

  const startValue = raw.start;
  if (startValue !== undefined && startValue !== null) {
    if (typeof startValue !== 'string' && typeof startValue !== 'number') {
      throw new ProjectParseError(`model_defaults.start must be a date or a relative time, found ${JSON.stringify(startValue)}`, loc('start'));
    }
    checkTimeLike(startValue, 'model_defaults.start', loc('start'));
  }

  const unitText = text('interval_unit', 'an interval unit such as day');
  const batchConcurrency = raw.batch_concurrency;
  if (batchConcurrency !== undefined && !(Number.isInteger(batchConcurrency) && (batchConcurrency as number) >= 1)) {
    throw new ProjectParseError(
      `model_defaults.batch_concurrency must be a whole number >= 1, found ${JSON.stringify(batchConcurrency)}`,
      loc('batch_concurrency'),
    );
  }

  const propertyMaps: Record<string, [string, string][]> = {};
  for (const key of MERGED_PROPERTY_MAPS) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (!isRecord(v)) throw new ProjectParseError(`model_defaults.${key} must be a map of key: value`, loc(key));
    propertyMaps[key] = Object.entries(v).map(([k, x]) => [k.toLowerCase(), toSqlLiteral(x)]);
  }
  const other: Record<string, string> = {};
  for (const key of ['table_format', 'storage_format', 'on_destructive_change', 'on_additive_change', 'optimize_query', 'formatting']) {
    if (raw[key] !== undefined && raw[key] !== null) other[key] = toSqlLiteral(raw[key]);
  }

  return {
    dialect: dialect.toLowerCase(),
    ...(cronText === undefined ? {} : { cron: { value: cronText, location: loc('cron') } }),
    ...(cronTz === undefined ? {} : { cronTz }),
    ...(raw.kind === undefined || raw.kind === null ? {} : { kind: { value: kindValue(raw.kind, loc('kind')), location: loc('kind') } }),
    ...(startValue === undefined || startValue === null
      ? {}
      : { start: { value: startValue as string | number, location: loc('start') } }),
    ...(unitText === undefined
      ? {}
      : { intervalUnit: { value: parseIntervalUnit(unitText, loc('interval_unit')), location: loc('interval_unit') } }),
    ...optional('allowPartials', bool('allow_partials')),
    ...optional('enabled', bool('enabled')),
    ...optional('owner', text('owner', 'a name')),
    ...(batchConcurrency === undefined
      ? {}
      : { batchConcurrency: { value: batchConcurrency as number, location: loc('batch_concurrency') } }),
    audits: defaultAudits(raw.audits, source, where.get('audits')),
    preStatements: statementList(raw.pre_statements, 'pre_statements', source, where.get('pre_statements')),
    postStatements: statementList(raw.post_statements, 'post_statements', source, where.get('post_statements')),
    onVirtualUpdate: statementList(raw.on_virtual_update, 'on_virtual_update', source, where.get('on_virtual_update')),
    propertyMaps,
    other,
    raw,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Gateway defaults override root ones; the property maps merge key by key. */
function mergeValue(base: unknown, override: unknown, key: string): unknown {
  if ((MERGED_PROPERTY_MAPS as readonly string[]).includes(key) && isRecord(base) && isRecord(override)) {
    return { ...base, ...override };
  }
  return override;
}

/** `kind: full` or `kind: {name: incremental_by_time_range, time_column: ds}` as MODEL-style kind text. */
function kindValue(value: unknown, location: SourceLocation): PropertyValue {
  if (typeof value === 'string') return parseValueText(value, location);
  if (isRecord(value) && typeof value.name === 'string') {
    const props = Object.entries(value)
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => `${k} ${toSqlLiteral(v)}`);
    return parseValueText(props.length === 0 ? value.name : `${value.name} (${props.join(', ')})`, location);
  }
  throw new ProjectParseError(
    `model_defaults.kind must be a kind name (e.g. full) or a map with a 'name' (e.g. {name: incremental_by_time_range, time_column: ds})`,
    location,
  );
}

/** `audits: ['not_null(columns := [id])', 'my_audit']`: each string is an audit call. */
function defaultAudits(value: unknown, source: YamlSource, path: YamlPath | undefined): AuditUse[] {
  if (value === undefined || value === null) return [];
  const location = source.locationOf(path ?? []);
  if (!Array.isArray(value)) {
    throw new ProjectParseError("model_defaults.audits must be a list of audit calls, e.g. ['not_null(columns := [id])']", location);
  }
  return value.flatMap((item, i) => {
    const itemLocation = source.locationOf([...(path ?? []), i]);
    if (typeof item !== 'string') {
      throw new ProjectParseError(`model_defaults.audits[${i}] must be a string such as 'not_null(columns := [id])'`, itemLocation);
    }
    return readAuditUses(parseValueText(item, itemLocation), itemLocation);
  });
}

function statementList(value: unknown, key: string, source: YamlSource, path: YamlPath | undefined): SqlStatement[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    throw new ProjectParseError(`model_defaults.${key} must be a list of SQL strings`, source.locationOf(path ?? []));
  }
  return (value as string[]).map((sql, i) => ({ sql: sql.trim().replace(/;\s*$/, ''), location: source.locationOf([...(path ?? []), i]) }));
}

function getIn(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current)) current = current[String(key)];
    else return undefined;
  }
  return current;
}
