import type { SnapshotRecord } from '../ports/state-store';
import type { StoredModel } from '../plan/stored-model';

/** A model of the environment being executed: its snapshot and the decoded stored definition. */
export interface EnvironmentModel {
  readonly snapshot: SnapshotRecord;
  readonly stored: StoredModel;
}
