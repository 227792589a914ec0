import * as path from 'node:path';
import { ProjectParseError, UnsupportedFeatureError } from '../errors';
import { CONFIG_FILE_NAMES, DEFAULT_TIME_COLUMN_FORMAT, GATEWAY_KEYS, PYTHON_CONFIG_FILE_NAMES, SCHEDULER_TYPES } from './constants';
import type { GatewayConfig, ProjectConfig } from './model';
import { type ModelDefaults, parseModelDefaults } from './model-defaults';
import type { ProjectFileSystem } from './project-file-system';
import { isRecord, type YamlPath, YamlSource } from './yaml-source';

/** The config plus what the model loader needs from it. */
export interface LoadedConfig {
  readonly config: ProjectConfig;
  /** The gateway models run on unless they set `gateway`. */
  readonly activeGateway: GatewayConfig;
  readonly modelDefaults: ModelDefaults;
  /** Config variables with the active gateway's variables merged over them, keys lower-cased. */
  readonly userVariables: Readonly<Record<string, unknown>>;
  /** Default `time_column` format (`time_column_format`). */
  readonly timeColumnFormat: string;
  /** `model_naming.infer_names`: a model without `name` is named `<folder>.<file>`. */
  readonly inferNames: boolean;
}

/**
 * Finds and reads the project config (config.yaml / config.yml / sqlmesh.yaml / sqlmesh.yml).
 *
 * @param gateway Gateway to use instead of `default_gateway` (the CLI `--gateway` option).
 * @throws UnsupportedFeatureError for config.py; ProjectParseError (with file:line) for a missing config,
 *   several configs, bad YAML, an unknown default gateway, gateway key or scheduler type, or bad model_defaults.
 */
export async function loadProjectConfig(root: string, fs: ProjectFileSystem, gateway?: string): Promise<LoadedConfig> {
  for (const name of PYTHON_CONFIG_FILE_NAMES) {
    if (await fs.exists(path.join(root, name))) {
      throw new UnsupportedFeatureError(
        `Python config files are not supported: ${name}; write the configuration as config.yaml`,
        { file: name, line: 1 },
      );
    }
  }
  const found: string[] = [];
  for (const name of CONFIG_FILE_NAMES) if (await fs.exists(path.join(root, name))) found.push(name);
  const file = found[0];
  if (file === undefined) {
    throw new ProjectParseError(`no project config found in ${root}: expected one of ${CONFIG_FILE_NAMES.join(', ')}`);
  }
  if (found.length > 1) {
    throw new ProjectParseError(`several config files found (${found.join(', ')}); keep only one`, { file: found[1] as string, line: 1 });
  }
  const source = YamlSource.parse(await fs.readFile(path.join(root, file)), file);
  return parseProjectConfig(source, gateway);
}

/** Validates a parsed config; see {@link loadProjectConfig}. */
export function parseProjectConfig(source: YamlSource, gatewayOverride?: string): LoadedConfig {
  const top = source.value ?? {};
  if (!isRecord(top)) throw new ProjectParseError('the config must be a YAML map of key: value', source.locationOf([]));

  const gateways = parseGateways(source, top);
  const names = gateways.map((g) => g.config.name);
  const requested = gatewayOverride ?? (typeof top.default_gateway === 'string' ? top.default_gateway : undefined);
  const defaultName = requested === undefined || requested === '' ? (names[0] as string) : requested.toLowerCase();
  const active = gateways.find((g) => g.config.name === defaultName);
  if (active === undefined) {
    throw new ProjectParseError(
      `gateway '${requested}' is not defined; defined gateways: ${names.join(', ') || '(none)'}`,
      source.locationOf(gatewayOverride === undefined ? ['default_gateway'] : []),
    );
  }

  const scheduler = top.scheduler ?? top.default_scheduler;
  if (scheduler !== undefined) checkScheduler(scheduler, source, [top.scheduler !== undefined ? 'scheduler' : 'default_scheduler']);

  const modelDefaults = parseModelDefaults(source, [['model_defaults'], ...active.modelDefaultsPath]);
  const variables = recordOrEmpty(top.variables, 'variables', source, ['variables']);
  const userVariables = lowerKeys({ ...lowerKeys(variables), ...lowerKeys(active.config.variables) });

  const config: ProjectConfig = {
    project: typeof top.project === 'string' ? top.project : '',
    gateways: gateways.map((g) => g.config),
    defaultGateway: active.config.name,
    defaultTargetEnvironment:
      typeof top.default_target_environment === 'string' && top.default_target_environment !== ''
        ? top.default_target_environment.toLowerCase()
        : 'prod',
    variables,
    ...(isRecord(scheduler) ? { scheduler } : {}),
    modelDefaults: modelDefaults.raw,
    file: source.file,
  };
  const naming = top.model_naming;
  return {
    config,
    activeGateway: active.config,
    modelDefaults,
    userVariables,
    timeColumnFormat: typeof top.time_column_format === 'string' ? top.time_column_format : DEFAULT_TIME_COLUMN_FORMAT,
    inferNames: isRecord(naming) && naming.infer_names === true,
  };
}

interface ParsedGateway {
  readonly config: GatewayConfig;
  readonly modelDefaultsPath: YamlPath[];
}

function parseGateways(source: YamlSource, top: Record<string, unknown>): ParsedGateway[] {
  const raw = top.gateways;
  const defaults = {
    connection: top.default_connection,
    scheduler: top.default_scheduler,
  };
  if (raw === undefined || raw === null) return [gatewayFrom('', {}, source, [], defaults)];
  if (!isRecord(raw)) throw new ProjectParseError('gateways must be a map of gateway name to settings', source.locationOf(['gateways']));
  // SQLMesh also accepts a single unnamed gateway written directly under `gateways:`.
  if (Object.keys(raw).some((k) => (GATEWAY_KEYS as readonly string[]).includes(k))) {
    return [gatewayFrom('', raw, source, ['gateways'], defaults)];
  }
  const seen = new Map<string, string>();
  return Object.entries(raw).map(([name, value]) => {
    const lower = name.toLowerCase();
    const clash = seen.get(lower);
    if (clash !== undefined) {
      throw new ProjectParseError(
        `gateway names are case-insensitive: '${name}' and '${clash}' are the same gateway`,
        source.locationOf(['gateways', name]),
      );
    }
    seen.set(lower, name);
    if (!isRecord(value)) {
      throw new ProjectParseError(`gateway '${name}' must be a map of settings`, source.locationOf(['gateways', name]));
    }
    return gatewayFrom(lower, value, source, ['gateways', name], defaults);
  });
}

function gatewayFrom(
  name: string,
  value: Record<string, unknown>,
  source: YamlSource,
  at: YamlPath,
  defaults: { connection: unknown; scheduler: unknown },
): ParsedGateway {
  for (const key of Object.keys(value)) {
    if (!(GATEWAY_KEYS as readonly string[]).includes(key)) {
      throw new ProjectParseError(
        `unknown key '${key}' in gateway '${name}'; allowed keys: ${GATEWAY_KEYS.join(', ')}`,
        source.locationOf([...at, key]),
      );
    }
  }
  const connection = value.connection ?? defaults.connection;
  const stateConnection = value.state_connection;
  const scheduler = value.scheduler ?? defaults.scheduler;
  if (value.scheduler !== undefined) checkScheduler(value.scheduler, source, [...at, 'scheduler']);
  const variables = recordOrEmpty(value.variables, `gateway '${name}' variables`, source, [...at, 'variables']);
  return {
    config: {
      name,
      ...(isRecord(connection) ? { connection } : {}),
      ...(isRecord(stateConnection) ? { stateConnection } : {}),
      ...(isRecord(scheduler) ? { scheduler } : {}),
      variables,
    },
    modelDefaultsPath: value.model_defaults === undefined ? [] : [[...at, 'model_defaults']],
  };
}

function checkScheduler(value: unknown, source: YamlSource, at: YamlPath): void {
  const type = isRecord(value) ? (value.type ?? 'builtin') : undefined;
  if (typeof type !== 'string' || !(SCHEDULER_TYPES as readonly string[]).includes(type.toLowerCase())) {
    throw new ProjectParseError(
      `unsupported scheduler ${JSON.stringify(value)}; use {type: ${SCHEDULER_TYPES.join('} or {type: ')}}`,
      source.locationOf(at),
    );
  }
}

function recordOrEmpty(value: unknown, what: string, source: YamlSource, at: YamlPath): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ProjectParseError(`${what} must be a map of name: value`, source.locationOf(at));
  return value;
}

function lowerKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
