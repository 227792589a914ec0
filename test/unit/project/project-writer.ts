import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The smallest valid config; cases override `config.yaml` when they test the config itself. */
export const MINIMAL_CONFIG = 'model_defaults:\n  dialect: duckdb\n  start: 2024-01-01\n';

/**
 * Writes small throwaway projects under the OS temp folder (one folder per test file) and removes them all
 * afterwards. Each project is `files`: path relative to the project root → contents.
 */
export class ProjectWriter {
  private readonly base = mkdtempSync(path.join(tmpdir(), 'meshcron-project-'));
  private count = 0;

  write(files: Readonly<Record<string, string>>): string {
    this.count += 1;
    const root = path.join(this.base, `p${this.count}`);
    const all = { 'config.yaml': MINIMAL_CONFIG, ...files };
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return root;
  }

  /** A folder next to the projects, outside all of them (for path-escape tests). */
  outside(file: string, text: string): string {
    const full = path.join(this.base, 'outside', file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
