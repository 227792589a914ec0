import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The file access the project loader needs; swap it to load a project from somewhere other than local disk. */
export interface ProjectFileSystem {
  readFile(absolutePath: string): Promise<string>;
  /** True when a file or folder exists at the path. */
  exists(absolutePath: string): Promise<boolean>;
  /**
   * Absolute paths of the files in `dir` (and its subfolders when `recursive`), sorted; entries whose name
   * starts with `.` are skipped; a missing folder gives [].
   */
  listFiles(dir: string, recursive: boolean): Promise<string[]>;
  /** The path with `..` and symlinks resolved. */
  realpath(absolutePath: string): Promise<string>;
}

/** {@link ProjectFileSystem} on the local disk through node:fs. */
export const nodeProjectFileSystem: ProjectFileSystem = {
  readFile: (p) => fs.readFile(p, 'utf8'),
  exists: async (p) => {
    try {
      await fs.stat(p);
      return true;
    } catch {
      return false;
    }
  },
  listFiles: async (dir, recursive) => {
    const out: string[] = [];
    const walk = async (current: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(current, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          if (recursive) await walk(full);
        } else {
          out.push(full);
        }
      }
    };
    await walk(dir);
    return out.sort();
  },
  realpath: (p) => fs.realpath(p),
};

/** `absolutePath` relative to `root`, with forward slashes, for messages and SourceLocation.file. */
export function relativeToRoot(root: string, absolutePath: string): string {
  return path.relative(root, absolutePath).split(path.sep).join('/');
}
