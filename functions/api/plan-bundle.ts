import { createHash } from 'node:crypto';
import { ProjectParseError, UnsupportedFeatureError } from '../../shared/src/errors';
import type { ProjectFiles } from '../../shared/src/ports/bundle-store';
import { CONFIG_FILE_NAMES, PYTHON_CONFIG_FILE_NAMES } from '../../shared/src/project/constants';
import { parseProjectConfig } from '../../shared/src/project/project-config';
import { YamlSource } from '../../shared/src/project/yaml-source';
import { ApiError } from './api-error';
import {
  EXECUTION_NAME_UNSAFE_RE,
  MAX_BUNDLE_BYTES,
  MAX_BUNDLE_FILES,
  MAX_BUNDLE_PATH_LENGTH,
  MAX_EXECUTION_NAME_LENGTH,
  MINUTE_MS,
} from './constants';

/** What is wrong with a bundle path (relative, forward slashes, no way out of the bundle), or undefined. */
export function bundlePathProblem(path: string): string | undefined {
  if (path === '') return 'empty paths are not allowed';
  if (path.length > MAX_BUNDLE_PATH_LENGTH) return `paths longer than ${MAX_BUNDLE_PATH_LENGTH} characters are not allowed`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters.
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control characters are not allowed';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute paths are not allowed';
  if (path.includes('\\')) return 'backslashes are not allowed; separate folders with /';
  const segments = path.split('/');
  if (segments.includes('..')) return "'..' segments are not allowed";
  if (segments.some((s) => s === '' || s === '.')) return "empty and '.' segments are not allowed";
  return undefined;
}

/**
 * Checks a submitted bundle before anything is stored: at most {@link MAX_BUNDLE_FILES} files and
 * {@link MAX_BUNDLE_BYTES} of contents (413), relative paths that stay inside the bundle (400 naming
 * `files.<path>`), and a readable project config at its root, so a plan is not started for a bundle that
 * cannot load. Models are parsed later by the plan job (it needs the SQL parser).
 *
 * @throws ApiError, ProjectParseError or UnsupportedFeatureError (with the config's file:line).
 */
export function checkBundle(files: ProjectFiles): void {
  const paths = Object.keys(files);
  if (paths.length > MAX_BUNDLE_FILES) {
    throw new ApiError(413, 'payload_too_large', `files: ${paths.length} files is more than the ${MAX_BUNDLE_FILES} allowed`, {
      field: 'files',
    });
  }
  for (const path of paths) {
    const problem = bundlePathProblem(path);
    if (problem) throw new ApiError(400, 'invalid_input', `files.${path}: ${problem}`, { field: `files.${path}` });
  }
  const bytes = paths.reduce((sum, path) => sum + Buffer.byteLength(files[path] ?? '', 'utf8'), 0);
  if (bytes > MAX_BUNDLE_BYTES) {
    throw new ApiError(413, 'payload_too_large', `files: ${bytes} bytes of contents is more than the ${MAX_BUNDLE_BYTES} allowed`, {
      field: 'files',
    });
  }
  checkBundleConfig(files);
}

/** The project config rules of the loader, applied to the bundle's root files. */
function checkBundleConfig(files: ProjectFiles): void {
  const python = PYTHON_CONFIG_FILE_NAMES.find((name) => Object.hasOwn(files, name));
  if (python) {
    throw new UnsupportedFeatureError(`Python config files are not supported: ${python}; write the configuration as config.yaml`, {
      file: python,
      line: 1,
    });
  }
  const found = CONFIG_FILE_NAMES.filter((name) => Object.hasOwn(files, name));
  const [config, second] = found;
  if (config === undefined) {
    throw new ApiError(400, 'invalid_project', `files: no project config at the bundle root; add one of ${CONFIG_FILE_NAMES.join(', ')}`, {
      field: 'files',
    });
  }
  if (second !== undefined) {
    throw new ProjectParseError(`several config files found (${found.join(', ')}); keep only one`, { file: second, line: 1 });
  }
  parseProjectConfig(YamlSource.parse(files[config] ?? '', config));
}

/**
 * The id of a plan (also its Step Functions execution name): environment, minute and a hash of the bundle.
 * The same bundle submitted again within the minute (a client retry) gets the same id and starts one plan.
 */
export function planIdFor(environment: string, files: ProjectFiles, nowMs: number): string {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256').update(JSON.stringify([environment, entries])).digest('hex').slice(0, 12);
  const minute = new Date(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const fixed = `plan--${minute}-${hash}`.length;
  const env = environment.replace(EXECUTION_NAME_UNSAFE_RE, '_').slice(0, MAX_EXECUTION_NAME_LENGTH - fixed);
  return `plan-${env}-${minute}-${hash}`;
}
