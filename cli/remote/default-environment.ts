import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from '../../shared/src/project/constants';
import { parseProjectConfig } from '../../shared/src/project/project-config';
import { YamlSource } from '../../shared/src/project/yaml-source';

/** SQLMesh's target environment when a project sets none. */
const DEFAULT_ENVIRONMENT = 'prod';

/**
 * The environment a remote `run` or `status` targets by default: the project's
 * `default_target_environment` when the project folder is here, else `prod` (remote commands also work
 * from a folder without the project, e.g. a CI job that only triggers runs).
 */
export async function defaultEnvironmentOf(projectDir: string): Promise<string> {
  for (const name of CONFIG_FILE_NAMES) {
    let text: string;
    try {
      text = await readFile(path.join(projectDir, name), 'utf8');
    } catch {
      continue;
    }
    return parseProjectConfig(YamlSource.parse(text, name)).config.defaultTargetEnvironment;
  }
  return DEFAULT_ENVIRONMENT;
}
