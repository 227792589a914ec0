import type { Project } from '../project/model';
import type { SnapshotRecord } from '../ports/state-store';
import { fingerprintModels } from '../snapshot/fingerprint-models';
import { parseModelName, physicalTableName } from '../snapshot/naming';
import { encodeStoredModel } from './stored-model';

/** Kinds that have no table of their own: EXTERNAL tables are used as named, EMBEDDED ones are inlined. */
export function hasPhysicalTable(kindName: string): boolean {
  return kindName !== 'EXTERNAL' && kindName !== 'EMBEDDED';
}

/**
 * Turns a loaded project into snapshots: one per model, fingerprinted parents first, each with its
 * physical table and a stored copy of everything evaluation needs.
 *
 * @param seedContentHashes hash of each SEED model's CSV content (see `hashSeedContent`), by model name
 */
export function buildSnapshots(
  project: Project,
  seedContentHashes: ReadonlyMap<string, string>,
  nowMs: number,
): SnapshotRecord[] {
  const fingerprints = fingerprintModels(project.models, {
    seedContentHashes,
    auditDefinitions: project.audits,
  });
  const gatewayVariables = (gateway: string): Readonly<Record<string, unknown>> => {
    const gw = project.config.gateways.find((g) => g.name === gateway);
    return { ...project.config.variables, ...(gw?.variables ?? {}), gateway };
  };

  const snapshots: SnapshotRecord[] = [];
  for (const [name, model] of project.models) {
    const fp = fingerprints.get(name);
    if (!fp) throw new Error(`internal: no fingerprint for model '${name}'`);
    const gateway = (model.gateway ?? project.config.defaultGateway).toLowerCase();
    const audits = model.audits
      .map((use) => project.audits.get(use.name))
      .filter((a): a is NonNullable<typeof a> => a !== undefined);
    snapshots.push({
      name,
      identifier: fp.identifier,
      version: fp.version,
      fingerprint: {
        dataHash: fp.dataHash,
        metadataHash: fp.metadataHash,
        parentDataHash: fp.parentDataHash,
        parentMetadataHash: fp.parentMetadataHash,
      },
      parents: [...new Set(model.dependsOn)]
        .filter((p) => p !== name && project.models.has(p))
        .sort()
        .map((p) => ({ name: p, identifier: (fingerprints.get(p) as { identifier: string }).identifier })),
      physicalTable: hasPhysicalTable(model.kind.name) ? physicalTableName(parseModelName(name), fp.version) : '',
      modelJson: encodeStoredModel({ model, audits, variables: gatewayVariables(gateway), gateway }),
      createdTs: nowMs,
    });
  }
  snapshots.sort((a, b) => a.name.localeCompare(b.name));
  return snapshots;
}
