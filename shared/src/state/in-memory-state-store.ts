import { IntervalConflictError } from '../errors';
import { PauseConflictError } from '../pause/pause-conflict-error';
import type {
  BatchRecord,
  EnvironmentRecord,
  IntervalKey,
  PauseRecord,
  RunRecord,
  SnapshotId,
  SnapshotRecord,
  StateStore,
} from '../ports/state-store';
import { intervalKeyString } from '../ports/state-store';
import type { Interval } from '../schedule/interval';
import { addInterval, removeInterval } from '../schedule/intervals';
import { assertValidInterval } from './interval-ranges';
import {
  compareRunsNewestFirst,
  environmentConflictMessage,
  isNewerBatch,
  nextEnvironmentRevision,
  snapshotKey,
} from './state-rules';

/**
 * A {@link StateStore} held in process memory, for tests of pure logic and for local dry runs.
 *
 * It is trusted as a fake only because it passes the same contract suite as the DynamoDB store
 * (test/contract). Records are copied on the way in and out, so callers can never change stored state by
 * mutating an object they passed or received, just as with a real database.
 *
 * @example
 * const store = new InMemoryStateStore();
 * await store.init();
 * await store.addInterval({ name: 'db.events', version: 'v1' }, [0, 3_600_000]);
 */
export class InMemoryStateStore implements StateStore {
  private readonly snapshots = new Map<string, SnapshotRecord>();
  private readonly environments = new Map<string, EnvironmentRecord>();
  private readonly intervals = new Map<string, Interval[]>();
  private readonly runs = new Map<string, RunRecord>();
  /** Batches by run id, then by batch id. */
  private readonly batches = new Map<string, Map<string, BatchRecord>>();
  private readonly lastBatchByModel = new Map<string, BatchRecord>();
  /** Pauses by environment, then by pause id. */
  private readonly pauses = new Map<string, Map<string, PauseRecord>>();

  async init(): Promise<void> {}

  async putSnapshots(snapshots: readonly SnapshotRecord[]): Promise<void> {
    for (const snapshot of snapshots) this.snapshots.set(snapshotKey(snapshot), structuredClone(snapshot));
  }

  async getSnapshots(ids: readonly SnapshotId[]): Promise<SnapshotRecord[]> {
    const keys = new Set(ids.map(snapshotKey));
    const found: SnapshotRecord[] = [];
    for (const key of keys) {
      const snapshot = this.snapshots.get(key);
      if (snapshot) found.push(structuredClone(snapshot));
    }
    return found;
  }

  async getEnvironment(name: string): Promise<EnvironmentRecord | undefined> {
    const env = this.environments.get(name);
    return env && structuredClone(env);
  }

  async listEnvironments(): Promise<EnvironmentRecord[]> {
    return [...this.environments.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((env) => structuredClone(env));
  }

  async putEnvironment(
    env: Omit<EnvironmentRecord, 'revision'>,
    expectedRevision: number | undefined,
  ): Promise<EnvironmentRecord> {
    const stored = this.environments.get(env.name)?.revision;
    if (stored !== expectedRevision) {
      throw new IntervalConflictError(environmentConflictMessage(env.name, expectedRevision, stored));
    }
    const record: EnvironmentRecord = { ...structuredClone(env), revision: nextEnvironmentRevision(expectedRevision) };
    this.environments.set(env.name, record);
    return structuredClone(record);
  }

  async getIntervals(keys: readonly IntervalKey[]): Promise<Map<string, Interval[]>> {
    const result = new Map<string, Interval[]>();
    for (const key of keys) {
      const k = intervalKeyString(key);
      result.set(k, (this.intervals.get(k) ?? []).map(([s, e]) => [s, e] as const));
    }
    return result;
  }

  async addInterval(key: IntervalKey, interval: Interval): Promise<void> {
    const k = intervalKeyString(key);
    assertValidInterval(interval, k);
    this.intervals.set(k, addInterval(this.intervals.get(k) ?? [], interval));
  }

  async removeInterval(key: IntervalKey, interval: Interval): Promise<void> {
    const k = intervalKeyString(key);
    assertValidInterval(interval, k);
    const current = this.intervals.get(k);
    if (current) this.intervals.set(k, removeInterval(current, interval));
  }

  async putRun(run: RunRecord): Promise<void> {
    this.runs.set(run.runId, structuredClone(run));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(runId);
    return run && structuredClone(run);
  }

  async listRuns(environment: string, limit: number): Promise<RunRecord[]> {
    if (limit <= 0) return [];
    return [...this.runs.values()]
      .filter((run) => run.environment === environment)
      .sort(compareRunsNewestFirst)
      .slice(0, limit)
      .map((run) => structuredClone(run));
  }

  async putBatch(batch: BatchRecord): Promise<void> {
    let byId = this.batches.get(batch.runId);
    if (!byId) {
      byId = new Map();
      this.batches.set(batch.runId, byId);
    }
    byId.set(batch.batchId, structuredClone(batch));
    const last = this.lastBatchByModel.get(batch.model);
    if (!last || isNewerBatch(batch, last)) this.lastBatchByModel.set(batch.model, structuredClone(batch));
  }

  async listBatches(runId: string): Promise<BatchRecord[]> {
    const byId = this.batches.get(runId);
    if (!byId) return [];
    return [...byId.values()]
      .sort((a, b) => (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0))
      .map((batch) => structuredClone(batch));
  }

  async lastBatches(models: readonly string[]): Promise<Map<string, BatchRecord>> {
    const result = new Map<string, BatchRecord>();
    for (const model of models) {
      const last = this.lastBatchByModel.get(model);
      if (last) result.set(model, structuredClone(last));
    }
    return result;
  }

  async putPause(pause: PauseRecord): Promise<void> {
    let byId = this.pauses.get(pause.environment);
    if (!byId) {
      byId = new Map();
      this.pauses.set(pause.environment, byId);
    }
    const existing = byId.get(pause.pauseId);
    if (existing) throw new PauseConflictError(pause.environment, pause.pauseId, structuredClone(existing));
    byId.set(pause.pauseId, structuredClone(pause));
  }

  async listPauses(environment: string): Promise<PauseRecord[]> {
    return [...(this.pauses.get(environment)?.values() ?? [])]
      .sort((a, b) => (a.pauseId < b.pauseId ? -1 : a.pauseId > b.pauseId ? 1 : 0))
      .map((pause) => structuredClone(pause));
  }

  async deletePause(environment: string, pauseId: string): Promise<PauseRecord | undefined> {
    const byId = this.pauses.get(environment);
    const existing = byId?.get(pauseId);
    byId?.delete(pauseId);
    return existing && structuredClone(existing);
  }
}
