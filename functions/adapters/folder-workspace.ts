import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SchedulerError } from '../../shared/src/errors';
import type { BundleStore, ProjectFiles } from '../../shared/src/ports/bundle-store';
import type { ProjectWorkspace } from '../../shared/src/ports/project-workspace';
import { checkBundlePath } from './project-files';

/**
 * Lays bundles out under `<base>/<planId>/`. Reading a file of a bundle this machine has not laid out (a
 * different Lambda instance) fetches the bundle again, so seeds load wherever the batch runs.
 */
export class FolderWorkspace implements ProjectWorkspace {
  constructor(
    private readonly base: string,
    private readonly bundles: BundleStore,
  ) {}

  async materialize(planId: string, files: ProjectFiles): Promise<string> {
    const root = path.join(this.base, FolderWorkspace.checkPlanId(planId));
    for (const [relative, content] of Object.entries(files)) {
      const target = path.join(root, checkBundlePath(relative));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    return root;
  }

  async readFile(absolutePath: string): Promise<string> {
    try {
      return await readFile(absolutePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const relative = path.relative(this.base, absolutePath);
      const [planId] = relative.split(path.sep);
      if (!planId || relative.startsWith('..')) throw error;
      await this.materialize(planId, await this.bundles.get(planId));
      return readFile(absolutePath, 'utf8');
    }
  }

  /** Refuses a plan id that could leave the base folder. */
  static checkPlanId(planId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(planId)) throw new SchedulerError(`invalid plan id '${planId}'`);
    return planId;
  }
}
