import type { AuditDefinition, ModelDefinition } from '../project/model';
import type { SnapshotRecord } from '../ports/state-store';

/**
 * What a snapshot stores about its model: the definition plus everything evaluation needs that lives
 * elsewhere in the project (audit definitions it uses, config variables, the gateway). Runs evaluate this,
 * not the files on disk, so a run always executes exactly what the last plan promoted.
 */
export interface StoredModel {
  readonly model: ModelDefinition;
  /** Definitions of the project audits the model uses (built-ins are generated, not stored). */
  readonly audits: readonly AuditDefinition[];
  /** Config variables (`variables:` plus the gateway's), for `@VAR`. Never secrets: those are injected at execution. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Lower-cased gateway the model executes on. */
  readonly gateway: string;
}

export function encodeStoredModel(stored: StoredModel): string {
  return JSON.stringify(stored);
}

/** Reads a snapshot's stored model; the JSON was written by {@link encodeStoredModel}. */
export function decodeStoredModel(snapshot: Pick<SnapshotRecord, 'modelJson'>): StoredModel {
  return JSON.parse(snapshot.modelJson) as StoredModel;
}
