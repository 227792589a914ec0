import * as path from 'node:path';
import { ProjectParseError } from '../errors';
import { SEED_ROOT_MARKER } from './constants';
import type { SeedSpec } from './model-kind';
import { type ProjectFileSystem, relativeToRoot } from './project-file-system';

/** A seed file that exists inside the project folder. */
export interface ResolvedSeedPath {
  /** Absolute path (symlinks not resolved, so it stays under the root as the user sees it). */
  readonly path: string;
  /** Path relative to the project root, with forward slashes. */
  readonly relativePath: string;
}

/**
 * Resolves a SEED `path` (relative to the model file, or to the project root with `$root/`), then checks that
 * the file exists and stays inside the project folder, both as written (`..`) and after following symlinks,
 * so a project cannot make the scheduler read files it does not own.
 *
 * @throws ProjectParseError at the `path` property for a path outside the project or a missing file.
 */
export async function resolveSeedPath(
  spec: SeedSpec,
  modelFile: string,
  root: string,
  fs: ProjectFileSystem,
): Promise<ResolvedSeedPath> {
  const absolute = spec.path.startsWith(SEED_ROOT_MARKER)
    ? path.resolve(root, spec.path.slice(SEED_ROOT_MARKER.length))
    : path.resolve(path.dirname(modelFile), spec.path);
  const relativePath = relativeToRoot(root, absolute);
  if (isOutside(relativePath)) {
    throw new ProjectParseError(
      `seed path '${spec.path}' resolves to ${absolute}, outside the project folder; seed files must live inside the project (e.g. seeds/)`,
      spec.pathLocation,
    );
  }
  if (!(await fs.exists(absolute))) {
    throw new ProjectParseError(
      `seed file '${relativePath}' does not exist (path '${spec.path}' is relative to ${relativeToRoot(root, modelFile)}; start it with '$root/' to make it relative to the project root)`,
      spec.pathLocation,
    );
  }
  const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(absolute)]);
  if (isOutside(relativeToRoot(realRoot, realFile))) {
    throw new ProjectParseError(
      `seed path '${spec.path}' is a symlink to ${realFile}, outside the project folder; copy the file into the project instead`,
      spec.pathLocation,
    );
  }
  return { path: absolute, relativePath };
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative) || relative === '';
}
