import { DagCycleError } from '../errors';
import type { AuditDefinition, ModelDefinition } from '../project/model';
import { type Fingerprint, fingerprintModel } from './fingerprint';

export interface FingerprintModelsOptions {
  /** Seed CSV content hashes by model name; every SEED model needs one. */
  readonly seedContentHashes?: ReadonlyMap<string, string>;
  /** Project audits by lower-cased name. */
  readonly auditDefinitions?: ReadonlyMap<string, AuditDefinition>;
}

/**
 * Fingerprints every model, parents before children. A parent is any name in `dependsOn` that is a model
 * of `models`; names outside it (tables the project does not define) do not take part, as in SQLMesh.
 * Throws {@link DagCycleError} when models depend on each other in a loop.
 *
 * @example
 * const fingerprints = fingerprintModels(project.models, { seedContentHashes });
 * fingerprints.get('shop.orders')?.version;
 */
export function fingerprintModels(
  models: ReadonlyMap<string, ModelDefinition>,
  options: FingerprintModelsOptions = {},
): Map<string, Fingerprint> {
  const done = new Map<string, Fingerprint>();
  const visiting: string[] = [];

  const visit = (name: string, model: ModelDefinition): Fingerprint => {
    const known = done.get(name);
    if (known) return known;
    const cycleStart = visiting.indexOf(name);
    if (cycleStart !== -1) {
      throw new DagCycleError([...visiting.slice(cycleStart), name], model.location);
    }
    visiting.push(name);
    const parents: Fingerprint[] = [];
    for (const parentName of new Set(model.dependsOn)) {
      const parent = models.get(parentName);
      if (parent && parentName !== name) parents.push(visit(parentName, parent));
    }
    visiting.pop();
    const fingerprint = fingerprintModel(model, parents, {
      seedContentHash: options.seedContentHashes?.get(name),
      auditDefinitions: options.auditDefinitions,
    });
    done.set(name, fingerprint);
    return fingerprint;
  };

  for (const [name, model] of models) visit(name, model);
  return done;
}
