import * as path from 'node:path';
import { ProjectParseError } from '../errors';
import { EXTERNAL_CRON, EXTERNAL_MODEL_FILE_NAMES, EXTERNAL_MODEL_KEYS } from './constants';
import type { ColumnDefinition, ModelDefinition } from './model';
import type { LoadedConfig } from './project-config';
import { type ProjectFileSystem, relativeToRoot } from './project-file-system';
import { resolveIntervalUnit } from './schedule-checks';
import { parseTableName } from './table-name';
import { isRecord, YamlSource } from './yaml-source';

/**
 * Reads EXTERNAL models from external_models.yaml (or the older schema.yaml) and external_models/*.yaml: a list
 * of `{name, columns: {col: type}, gateway?, description?, ...}`. An entry with a `gateway` other than the
 * active one is skipped, as in SQLMesh.
 *
 * @throws ProjectParseError (file:line) for a file that is not a list, an entry without a name, unknown keys
 *   (listing the valid ones), bad columns, or the same name declared twice.
 */
export async function loadExternalModels(root: string, fs: ProjectFileSystem, loaded: LoadedConfig): Promise<ModelDefinition[]> {
  const files: string[] = [];
  for (const name of EXTERNAL_MODEL_FILE_NAMES) {
    const full = path.join(root, name);
    if (await fs.exists(full)) files.push(full);
  }
  const folder = await fs.listFiles(path.join(root, 'external_models'), true);
  files.push(...folder.filter((f) => /\.ya?ml$/i.test(f)));

  const models: ModelDefinition[] = [];
  for (const absolute of files) {
    const file = relativeToRoot(root, absolute);
    const source = YamlSource.parse(await fs.readFile(absolute), file);
    const entries = source.value ?? [];
    if (!Array.isArray(entries)) {
      throw new ProjectParseError('an external models file must be a YAML list of {name, columns} entries', source.locationOf([]));
    }
    entries.forEach((entry, i) => {
      const model = parseEntry(entry, source, i, loaded);
      if (model === undefined) return;
      const clash = models.find((m) => m.name === model.name);
      if (clash) {
        throw new ProjectParseError(
          `external model '${model.name}' is declared twice (also at ${clash.location.file}:${clash.location.line})`,
          model.location,
        );
      }
      models.push(model);
    });
  }
  return models;
}

function parseEntry(entry: unknown, source: YamlSource, index: number, loaded: LoadedConfig): ModelDefinition | undefined {
  const location = source.locationOf([index]);
  if (!isRecord(entry) || typeof entry.name !== 'string') {
    throw new ProjectParseError("each external model needs a name: - name: schema.table", location);
  }
  for (const key of Object.keys(entry)) {
    if (!(EXTERNAL_MODEL_KEYS as readonly string[]).includes(key)) {
      throw new ProjectParseError(
        `unknown external model key '${key}'; valid keys: ${EXTERNAL_MODEL_KEYS.join(', ')}`,
        source.locationOf([index, key]),
      );
    }
  }
  const gateway = typeof entry.gateway === 'string' ? entry.gateway.toLowerCase() : undefined;
  if (gateway !== undefined && gateway !== loaded.activeGateway.name) return undefined;

  const name = parseTableName(entry.name, 'external model name', source.locationOf([index, 'name']));
  const columns = readColumns(entry.columns, source, index);
  const dialect = typeof entry.dialect === 'string' ? entry.dialect.toLowerCase() : loaded.modelDefaults.dialect;
  return {
    name,
    kind: { name: 'EXTERNAL' },
    dialect,
    cron: EXTERNAL_CRON,
    intervalUnit: resolveIntervalUnit(EXTERNAL_CRON, undefined, false, `external model '${name}'`, location),
    intervalUnitExplicit: false,
    allowPartials: false,
    enabled: true,
    ...(typeof entry.owner === 'string' ? { owner: entry.owner } : {}),
    ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
    tags: Array.isArray(entry.tags) ? entry.tags.map(String) : [],
    grains: [],
    ...(gateway === undefined ? {} : { gateway }),
    ...(columns === undefined ? {} : { columns }),
    query: '',
    preStatements: [],
    postStatements: [],
    onVirtualUpdate: [],
    explicitDependsOn: [],
    dependsOn: [],
    dependsOnSelf: false,
    audits: [],
    inlineAudits: [],
    otherProperties: {},
    location,
  };
}

function readColumns(value: unknown, source: YamlSource, index: number): ColumnDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    throw new ProjectParseError('external model columns must be a map of column: type', source.locationOf([index, 'columns']));
  }
  return Object.entries(value).map(([name, type]) => {
    if (typeof type !== 'string' || type.trim() === '') {
      throw new ProjectParseError(
        `external model column '${name}' must have a SQL type such as INT or VARCHAR`,
        source.locationOf([index, 'columns', name]),
      );
    }
    return { name: name.toLowerCase(), type: type.trim() };
  });
}
