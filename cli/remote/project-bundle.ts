import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_BUNDLE_BYTES, MAX_BUNDLE_FILES } from '../../functions/api/constants';
import { SchedulerError } from '../../shared/src/errors';
import type { ProjectFiles } from '../../shared/src/ports/bundle-store';

/** Folders of a project whose whole tree is bundled (macros too, so the API reports them as the CLI does). */
export const BUNDLED_FOLDERS = ['models', 'seeds', 'audits', 'macros'] as const;
/** Files at the project root that are bundled. */
export const BUNDLED_ROOT_FILE_RE = /^(config\.[^/]+|sqlmesh\.(yaml|yml)|external_models[^/]*|schema\.(yaml|yml)|sqlmesh-requirements\.lock)$/;
/** Folders never bundled, wherever they are: local state and dependencies (dot-folders are skipped too). */
const SKIPPED_FOLDERS = new Set(['node_modules']);

/**
 * The files of a project as `POST /plans` takes them: path relative to the project root (forward slashes)
 * → UTF-8 contents. Only what a plan reads is sent: root config, external models and requirements lock,
 * and the `models/`, `seeds/`, `audits/` and `macros/` trees; dotfiles, `.meshcron/` and `node_modules/`
 * never are. Paths are sorted, so the same project gives the same bundle (and the same plan id).
 *
 * @throws SchedulerError when the bundle is over the API's file or size limits.
 */
export async function collectProjectBundle(root: string): Promise<ProjectFiles> {
  const relativePaths: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isFile() && BUNDLED_ROOT_FILE_RE.test(entry.name)) relativePaths.push(entry.name);
  }
  for (const folder of BUNDLED_FOLDERS) relativePaths.push(...(await listTree(root, folder)));
  relativePaths.sort();

  if (relativePaths.length > MAX_BUNDLE_FILES) {
    throw new SchedulerError(`${root}: ${relativePaths.length} project files is more than the ${MAX_BUNDLE_FILES} a plan may submit`);
  }
  const files: Record<string, string> = {};
  let bytes = 0;
  for (const relative of relativePaths) {
    const text = await readFile(path.join(root, ...relative.split('/')), 'utf8');
    bytes += Buffer.byteLength(text, 'utf8');
    files[relative] = text;
  }
  if (bytes > MAX_BUNDLE_BYTES) {
    throw new SchedulerError(`${root}: ${bytes} bytes of project files is more than the ${MAX_BUNDLE_BYTES} a plan may submit`);
  }
  return files;
}

/** Files under `root/folder`, as forward-slash paths relative to `root`; none when the folder is absent. */
async function listTree(root: string, folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(root, folder), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listTree(root, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}
