import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../../shared/src/errors';
import type { BundleStore, ProjectFiles } from '../../shared/src/ports/bundle-store';
import { checkBundlePath } from './project-files';

/** Project bundles as JSON files in a folder (the local stack's stand-in for the S3 bucket). */
export class FolderBundleStore implements BundleStore {
  constructor(private readonly folder: string) {}

  async put(planId: string, files: ProjectFiles): Promise<void> {
    for (const file of Object.keys(files)) checkBundlePath(file);
    await mkdir(this.folder, { recursive: true });
    const target = this.fileOf(planId);
    // Write then rename, so a reader never sees half a bundle.
    await writeFile(`${target}.tmp`, JSON.stringify(files));
    await rename(`${target}.tmp`, target);
  }

  async get(planId: string): Promise<ProjectFiles> {
    try {
      return JSON.parse(await readFile(this.fileOf(planId), 'utf8')) as ProjectFiles;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no project bundle for plan '${planId}'`);
      throw error;
    }
  }

  private fileOf(planId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(planId)) throw new NotFoundError(`invalid plan id '${planId}'`);
    return path.join(this.folder, `${planId}.json`);
  }
}
