import type { Interval } from '../schedule/interval';

/**
 * Everything Meshcron remembers between runs. One interface, implemented in memory (tests of pure logic)
 * and on DynamoDB (local and AWS); both pass the same contract suite in test/contract.
 *
 * Processed intervals are stored as merged ranges per physical table `(model name, version)`, never one
 * record per interval, so a year of hourly history is a handful of ranges.
 */

/** Identifies a snapshot: a model name plus the fingerprint of its whole definition. */
export interface SnapshotId {
  readonly name: string;
  readonly identifier: string;
}

/** A stored snapshot: one version of one model's definition. */
export interface SnapshotRecord extends SnapshotId {
  /** Physical table key; snapshots with equal (name, version) share a table and its intervals. */
  readonly version: string;
  /** Fingerprint parts (data, metadata, parent data, parent metadata hashes). */
  readonly fingerprint: {
    readonly dataHash: string;
    readonly metadataHash: string;
    readonly parentDataHash: string;
    readonly parentMetadataHash: string;
  };
  /** Parent snapshots (models this one reads). */
  readonly parents: readonly SnapshotId[];
  /** Fully qualified physical table, e.g. `sqlmesh__shop.shop__orders__1234567`; empty for EXTERNAL/EMBEDDED. */
  readonly physicalTable: string;
  /** The model definition as JSON (ModelDefinition), so runs evaluate exactly what the plan promoted. */
  readonly modelJson: string;
  /** Change category assigned when this snapshot was planned. */
  readonly changeCategory?: 'breaking' | 'non_breaking' | 'metadata' | 'indirect_breaking' | 'indirect_non_breaking';
  readonly createdTs: number;
}

/** An environment: a named set of snapshots exposed as views. */
export interface EnvironmentRecord {
  /** Normalised environment name (`prod`, `dev`, ...). */
  readonly name: string;
  readonly snapshots: readonly SnapshotId[];
  readonly planId: string;
  readonly previousPlanId?: string;
  /** When the last promotion finished; undefined while a plan is still applying. */
  readonly finalizedTs?: number;
  readonly createdTs: number;
  readonly updatedTs: number;
  /** Optimistic-concurrency counter, incremented by every write. */
  readonly revision: number;
}

/** Key of a physical table's processed intervals. */
export interface IntervalKey {
  readonly name: string;
  readonly version: string;
}

export type RunKind = 'plan' | 'run';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One `plan` application or `run` invocation. */
export interface RunRecord {
  readonly runId: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly status: RunStatus;
  /** Machine-readable reason for the ending, e.g. `succeeded`, `error:EvaluationError`. */
  readonly reason?: string;
  readonly executionTs: number;
  readonly startedTs: number;
  readonly endedTs?: number;
  readonly counts?: { readonly succeeded: number; readonly failed: number; readonly skipped: number };
  /**
   * The snapshots a distributed job evaluates, fixed when it is prepared, so every worker evaluates the same
   * definitions even if a plan promotes new ones meanwhile.
   */
  readonly snapshots?: readonly SnapshotId[];
  /** For plan jobs: the environment's revision when the plan was computed (promotion requires it unchanged). */
  readonly baseRevision?: number;
}

export type BatchStatus = 'succeeded' | 'failed' | 'skipped';

/** The outcome of one batch `(model, [start, end))` within a run. */
export interface BatchRecord {
  readonly runId: string;
  /** Stable within a run: `<model>|<start>|<end>`. */
  readonly batchId: string;
  readonly model: string;
  readonly version: string;
  readonly start: number;
  readonly end: number;
  readonly status: BatchStatus;
  /** `succeeded`, `skipped:upstream_failed:<model>`, `skipped:upstream_not_ready:<model>`, `error:<class>`, ... */
  readonly reason: string;
  /** Error message for failed batches (never contains credentials). */
  readonly error?: string;
  readonly durationMs: number;
  readonly rows?: number;
  readonly finishedTs: number;
  /** Non-blocking audit warnings. */
  readonly warnings?: readonly string[];
}

/**
 * A pause held on an environment: `env` pauses every model, `model:<name>` pauses the model and everything
 * downstream of it. Runs record the batches it holds as skipped; plans still execute the models they change.
 */
export interface PauseRecord {
  /** Normalised environment name. */
  readonly environment: string;
  /** Stable within the environment: `env` or `model:<name>`. */
  readonly pauseId: string;
  /** The paused model; undefined for an environment pause. */
  readonly model?: string;
  readonly reason?: string;
  /** Who paused (a user or IAM identity). */
  readonly createdBy: string;
  readonly createdTs: number;
}

export interface StateStore {
  /** Creates tables if needed (idempotent). */
  init(): Promise<void>;

  putSnapshots(snapshots: readonly SnapshotRecord[]): Promise<void>;
  /** Returns the snapshots that exist, in no particular order; missing ids are left out. */
  getSnapshots(ids: readonly SnapshotId[]): Promise<SnapshotRecord[]>;

  getEnvironment(name: string): Promise<EnvironmentRecord | undefined>;
  listEnvironments(): Promise<EnvironmentRecord[]>;
  /**
   * Writes the environment if its stored revision still equals `expectedRevision` (undefined = must not
   * exist). Throws IntervalConflictError otherwise. Returns the record as stored (revision incremented).
   */
  putEnvironment(
    env: Omit<EnvironmentRecord, 'revision'>,
    expectedRevision: number | undefined,
  ): Promise<EnvironmentRecord>;

  /** Processed intervals (sorted, merged) for each key; keys with none map to []. Keyed by `name@version`. */
  getIntervals(keys: readonly IntervalKey[]): Promise<Map<string, Interval[]>>;
  /** Merges `interval` into the key's processed intervals atomically (safe under concurrent writers). */
  addInterval(key: IntervalKey, interval: Interval): Promise<void>;
  /** Subtracts `interval` from the key's processed intervals atomically. */
  removeInterval(key: IntervalKey, interval: Interval): Promise<void>;

  putRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Most recent first. */
  listRuns(environment: string, limit: number): Promise<RunRecord[]>;
  putBatch(batch: BatchRecord): Promise<void>;
  listBatches(runId: string): Promise<BatchRecord[]>;
  /** The latest batch record per model for the given models (any run), for status displays. */
  lastBatches(models: readonly string[]): Promise<Map<string, BatchRecord>>;

  /**
   * Creates a pause. Conditional: throws PauseConflictError (shared/src/pause) when the environment already
   * has a pause with this id, leaving the stored one untouched.
   */
  putPause(pause: PauseRecord): Promise<void>;
  /** The environment's pauses, sorted by pause id; [] when it has none. */
  listPauses(environment: string): Promise<PauseRecord[]>;
  /** Removes a pause and returns it; undefined (and nothing written) when there was none. */
  deletePause(environment: string, pauseId: string): Promise<PauseRecord | undefined>;
}

/** `name@version`, the map key used by {@link StateStore.getIntervals}. */
export function intervalKeyString(key: IntervalKey): string {
  return `${key.name}@${key.version}`;
}
