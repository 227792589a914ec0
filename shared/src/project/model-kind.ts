import { ProjectParseError, type SourceLocation, UnsupportedFeatureError } from '../errors';
import type { SqlToken } from '../render/sql-tokenizer';
import {
  CSV_SETTING_KEYS,
  DEFAULT_SEED_BATCH_SIZE,
  INCREMENTAL_KINDS,
  KIND_PROPERTIES,
  PASSTHROUGH_KIND_PROPERTIES,
  SUPPORTED_KINDS,
  UNSUPPORTED_CSV_SETTING_KEYS,
  UNSUPPORTED_KIND_PROPERTIES,
  UNSUPPORTED_KINDS,
} from './constants';
import type { CsvSettings, ModelKind, ModelKindName, SeedKind } from './model';
import { classifyValue, matchingClose, type Property, type PropertyValue, splitTopLevel } from './property-parser';
import { describe, readBoolean, readInteger, readString } from './property-values';

/** A SEED kind before its path is resolved against the file system. */
export interface SeedSpec {
  /** The path as written (relative to the model file, or starting with `$root/`). */
  readonly path: string;
  readonly pathLocation: SourceLocation;
  readonly csvSettings: CsvSettings;
  readonly batchSize: number;
}

/** The result of {@link parseModelKind}. */
export interface ParsedKind {
  /** The kind, except for SEED, whose `seed` spec still needs its file checked. */
  readonly kind?: Exclude<ModelKind, SeedKind>;
  readonly seed?: SeedSpec;
  /** Kind properties Meshcron keeps only as metadata, keyed `kind.<prop>`, as SQL text. */
  readonly extra: Readonly<Record<string, string>>;
}

/** Context for {@link parseModelKind}. */
export interface KindContext {
  /** The `kind` property's location. */
  readonly location: SourceLocation;
  /** Default `time_column` format from the config. */
  readonly timeColumnFormat: string;
  /** `model_defaults.batch_concurrency`, which reaches INCREMENTAL_BY_TIME_RANGE only. */
  readonly defaultBatchConcurrency?: number;
}

/**
 * Reads a `kind` value: `FULL`, `view (materialized true)`,
 * `INCREMENTAL_BY_TIME_RANGE (time_column (ds, '%Y%m%d'), batch_size 7)`, `SEED (path '../seeds/x.csv')`, ...
 * Kind names are case-insensitive.
 *
 * @throws UnsupportedFeatureError for SQLMesh kinds Meshcron does not evaluate (SCD_TYPE_2, ...);
 *   ProjectParseError for unknown kinds (listing the valid ones), unknown or missing kind properties and bad values.
 */
export function parseModelKind(value: PropertyValue, ctx: KindContext): ParsedKind {
  const file = ctx.location.file;
  let rawName: string;
  let props: Property[] = [];
  if (value.type === 'identifier' && value.parts.length === 1) rawName = value.parts[0] as string;
  else if (value.type === 'string') rawName = value.value;
  else if (value.type === 'call') {
    rawName = value.name;
    props = kindProperties(value.inner, value.source, file);
  } else {
    throw new ProjectParseError(
      `kind must be a kind name, optionally with properties, e.g. INCREMENTAL_BY_TIME_RANGE (time_column ds); found ${describe(value)}`,
      ctx.location,
    );
  }
  const name = rawName.toUpperCase();
  if ((UNSUPPORTED_KINDS as readonly string[]).includes(name)) {
    throw new UnsupportedFeatureError(
      `model kind ${name} is not supported yet; supported kinds: ${SUPPORTED_KINDS.join(', ')}`,
      ctx.location,
    );
  }
  if (name === 'EXTERNAL') {
    throw new ProjectParseError('EXTERNAL models are declared in external_models.yaml, not with a MODEL block', ctx.location);
  }
  if (!(SUPPORTED_KINDS as readonly string[]).includes(name)) {
    throw new ProjectParseError(`unknown model kind '${rawName}'; valid kinds: ${SUPPORTED_KINDS.join(', ')}`, ctx.location);
  }
  const kindName = name as ModelKindName;
  const byKey = new Map<string, Property>();
  const extra: Record<string, string> = {};
  for (const prop of props) {
    const allowed = KIND_PROPERTIES[kindName];
    const incremental = INCREMENTAL_KINDS.includes(kindName);
    if (incremental && (UNSUPPORTED_KIND_PROPERTIES as readonly string[]).includes(prop.key)) {
      throw new UnsupportedFeatureError(`kind property '${prop.key}' is not supported yet`, prop.location);
    }
    if (incremental && (PASSTHROUGH_KIND_PROPERTIES as readonly string[]).includes(prop.key)) {
      extra[`kind.${prop.key}`] = prop.value.text;
      continue;
    }
    if (!allowed.includes(prop.key)) {
      const valid = incremental ? [...allowed, ...PASSTHROUGH_KIND_PROPERTIES] : allowed;
      throw new ProjectParseError(
        `unknown property '${prop.key}' for kind ${kindName}; ${valid.length === 0 ? `${kindName} takes no properties` : `valid properties: ${valid.join(', ')}`}`,
        prop.location,
      );
    }
    if (byKey.has(prop.key)) throw new ProjectParseError(`kind property '${prop.key}' is set twice`, prop.location);
    byKey.set(prop.key, prop);
  }
  const int = (key: string, min: number): number | undefined => {
    const p = byKey.get(key);
    return p && readInteger(p.value, `kind property '${key}'`, p.location, min);
  };
  const bool = (key: string): boolean => {
    const p = byKey.get(key);
    return p ? readBoolean(p.value, `kind property '${key}'`, p.location) : false;
  };
  const required = (key: string, example: string): Property => {
    const p = byKey.get(key);
    if (!p) throw new ProjectParseError(`kind ${kindName} requires '${key}', e.g. ${example}`, ctx.location);
    return p;
  };

  switch (kindName) {
    case 'FULL':
    case 'EMBEDDED':
      return { kind: { name: kindName }, extra };
    case 'EXTERNAL':
      return { kind: { name: 'EXTERNAL' }, extra };
    case 'VIEW':
      return { kind: { name: 'VIEW', materialized: bool('materialized') }, extra };
    case 'INCREMENTAL_BY_TIME_RANGE': {
      const time = readTimeColumn(required('time_column', "time_column ds or time_column (ds, '%Y-%m-%d')"), ctx.timeColumnFormat);
      const batchSize = int('batch_size', 1);
      const batchConcurrency = int('batch_concurrency', 1) ?? ctx.defaultBatchConcurrency;
      return {
        kind: {
          name: 'INCREMENTAL_BY_TIME_RANGE',
          timeColumn: time.column,
          timeColumnFormat: time.format,
          ...(batchSize === undefined ? {} : { batchSize }),
          ...(batchConcurrency === undefined ? {} : { batchConcurrency }),
          lookback: int('lookback', 0) ?? 0,
          forwardOnly: bool('forward_only'),
          disableRestatement: bool('disable_restatement'),
        },
        extra,
      };
    }
    case 'INCREMENTAL_BY_UNIQUE_KEY': {
      const uniqueKey = readUniqueKey(required('unique_key', 'unique_key (id) or unique_key [id, ds]'));
      const concurrency = byKey.get('batch_concurrency');
      if (concurrency && readInteger(concurrency.value, "kind property 'batch_concurrency'", concurrency.location, 1) !== 1) {
        throw new ProjectParseError(
          'INCREMENTAL_BY_UNIQUE_KEY runs its batches one at a time: batch_concurrency can only be 1',
          concurrency.location,
        );
      }
      const whenMatched = byKey.get('when_matched');
      const mergeFilter = byKey.get('merge_filter');
      const batchSize = int('batch_size', 1);
      return {
        kind: {
          name: 'INCREMENTAL_BY_UNIQUE_KEY',
          uniqueKey,
          ...(whenMatched ? { whenMatched: unwrapParens(whenMatched.value) } : {}),
          ...(mergeFilter ? { mergeFilter: unwrapParens(mergeFilter.value) } : {}),
          ...(batchSize === undefined ? {} : { batchSize }),
          lookback: int('lookback', 0) ?? 0,
          forwardOnly: bool('forward_only'),
          disableRestatement: bool('disable_restatement'),
        },
        extra,
      };
    }
    case 'SEED': {
      const pathProp = required('path', "path '../seeds/items.csv' or path '$root/seeds/items.csv'");
      const csv = byKey.get('csv_settings');
      return {
        seed: {
          path: readString(pathProp.value, "seed property 'path'", pathProp.location).replace(/\\/g, '/'),
          pathLocation: pathProp.location,
          csvSettings: csv ? readCsvSettings(csv) : { delimiter: ',', quotechar: '"', header: true },
          batchSize: int('batch_size', 1) ?? DEFAULT_SEED_BATCH_SIZE,
        },
        extra,
      };
    }
  }
}

/**
 * Splits the tokens inside `KIND ( ... )` into `key value` properties. `when_matched` holds MERGE clauses whose
 * `SET a = x, b = y` lists contain commas, so its value runs on until the next known kind property key.
 */
function kindProperties(inner: readonly SqlToken[], source: string, file: string): Property[] {
  const knownKeys = new Set<string>([
    ...Object.values(KIND_PROPERTIES).flat(),
    ...PASSTHROUGH_KIND_PROPERTIES,
    ...UNSUPPORTED_KIND_PROPERTIES,
  ]);
  const items = splitTopLevel(inner).filter((item, i, all) => item.length > 0 || i !== all.length - 1);
  const merged: SqlToken[][] = [];
  for (const item of items) {
    const previous = merged[merged.length - 1];
    const head = item[0];
    const continuesWhenMatched =
      previous?.[0]?.text.toLowerCase() === 'when_matched' && !(head?.kind === 'identifier' && knownKeys.has(head.text.toLowerCase()));
    if (continuesWhenMatched) previous?.push(...item);
    else merged.push([...item]);
  }
  return merged.map((item) => {
    const key = item[0];
    const line = key?.line ?? 1;
    if (key?.kind !== 'identifier') {
      throw new ProjectParseError(`expected a kind property name, found '${key?.text ?? ','}'`, { file, line });
    }
    if (item.length === 1) throw new ProjectParseError(`kind property '${key.text.toLowerCase()}' has no value`, { file, line });
    return { key: key.text.toLowerCase(), value: classifyValue(item.slice(1), source, file), location: { file, line } };
  });
}

/** `ds`, `"Ds"`, `'ds'` or `(ds, '%Y%m%d')`. Unquoted names are lower-cased like every identifier. */
function readTimeColumn(prop: Property, defaultFormat: string): { column: string; format: string } {
  const value = prop.value;
  const column = (v: PropertyValue): string | undefined => {
    if (v.type === 'identifier' && v.parts.length === 1) return v.quoted ? (v.parts[0] as string) : (v.parts[0] as string).toLowerCase();
    if (v.type === 'string') return v.value;
    return undefined;
  };
  if (value.type === 'tuple' && value.items.length === 2) {
    const col = column(value.items[0] as PropertyValue);
    const fmt = value.items[1] as PropertyValue;
    if (col !== undefined && fmt.type === 'string') return { column: col, format: fmt.value };
  }
  const col = column(value);
  if (col === undefined) {
    throw new ProjectParseError(
      `time_column must be a column name or (column, 'format'), e.g. time_column (ds, '%Y-%m-%d'); found ${describe(value)}`,
      prop.location,
    );
  }
  return { column: col, format: defaultFormat };
}

function readUniqueKey(prop: Property): string[] {
  const value = prop.value;
  const items = value.type === 'tuple' || value.type === 'array' ? value.items : [value];
  if (items.length === 0) throw new ProjectParseError('unique_key must name at least one column', prop.location);
  return items.map((item) => {
    if (item.type === 'identifier' && item.parts.length === 1) {
      return item.quoted ? (item.parts[0] as string) : (item.parts[0] as string).toLowerCase();
    }
    if (item.type === 'string') return item.value;
    return item.text;
  });
}

function readCsvSettings(prop: Property): CsvSettings {
  const value = prop.value;
  const items = value.type === 'tuple' ? value.items : [value];
  const settings = { delimiter: ',', quotechar: '"', header: true };
  for (const item of items) {
    if (item.type !== 'eq') {
      throw new ProjectParseError(`csv_settings must be key = value pairs, e.g. csv_settings (delimiter = '|'); found ${describe(item)}`, prop.location);
    }
    const key = item.key.toLowerCase();
    const at = { file: prop.location.file, line: item.line };
    if ((UNSUPPORTED_CSV_SETTING_KEYS as readonly string[]).includes(key)) {
      throw new UnsupportedFeatureError(`csv_settings '${key}' is not supported; supported: ${CSV_SETTING_KEYS.join(', ')}`, at);
    }
    if (key === 'delimiter' || key === 'quotechar') {
      const text = readString(item.value, `csv_settings '${key}'`, at);
      if (text.length !== 1) throw new ProjectParseError(`csv_settings '${key}' must be one character, found '${text}'`, at);
      settings[key] = text;
    } else if (key === 'header') {
      settings.header = readBoolean(item.value, "csv_settings 'header'", at);
    } else {
      throw new ProjectParseError(`unknown csv_settings key '${item.key}'; valid keys: ${CSV_SETTING_KEYS.join(', ')}`, at);
    }
  }
  return settings;
}

/** An expression's text without one pair of enclosing parentheses. */
function unwrapParens(value: PropertyValue): string {
  const tokens = value.tokens;
  if (tokens[0]?.kind === 'lparen' && matchingClose(tokens, 0) === tokens.length - 1 && tokens.length > 2) {
    const first = tokens[1] as SqlToken;
    const last = tokens[tokens.length - 2] as SqlToken;
    return value.source.slice(first.start, last.end);
  }
  return value.text;
}
