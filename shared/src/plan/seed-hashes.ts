import { readFile } from 'node:fs/promises';
import type { Project } from '../project/model';
import { hashSeedContent } from '../snapshot/fingerprint';

/** Hashes every SEED model's CSV, so editing a seed file gives the model a new version. */
export async function seedContentHashes(project: Project): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const [name, model] of project.models) {
    if (model.kind.name === 'SEED') hashes.set(name, hashSeedContent(await readFile(model.kind.path, 'utf8')));
  }
  return hashes;
}
