import { AuditFailedError, toError } from '../errors';
import { evaluateBatch } from '../evaluate/evaluate-batch';
import type { Clock } from '../ports/clock';
import type { SqlParser } from '../ports/sql-parser';
import type { BatchRecord, StateStore } from '../ports/state-store';
import type { Warehouse } from '../ports/warehouse';
import { buildEvaluationRequest } from './build-evaluation-request';
import type { EnvironmentModel } from './environment-model';
import { recordableInterval } from './record-interval';
import type { PlannedBatch } from './plan-batches';
import type { RunReporter } from './run-reporter';
import { runTaskGraph, type TaskOutcome } from './task-graph';

export interface ExecuteBatchesOptions {
  readonly runId: string;
  readonly executionTimeMs: number;
  readonly concurrency: number;
}

export interface ExecuteBatchesDeps {
  readonly state: StateStore;
  readonly warehouse: Warehouse;
  readonly sqlParser: SqlParser;
  readonly clock: Clock;
  readonly reporter: RunReporter;
  /** Reads a seed CSV by absolute path (file access stays at the edge). */
  readonly readSeedFile: (absolutePath: string) => Promise<string>;
}

/**
 * Executes planned batches concurrently in dependency order. Each successful batch records its interval
 * (after blocking audits passed); every batch, successful or not, leaves a {@link BatchRecord} with a
 * machine-readable reason. A failure skips only the batches that depend on it.
 */
export async function executeBatches(
  batches: readonly PlannedBatch[],
  models: ReadonlyMap<string, EnvironmentModel>,
  options: ExecuteBatchesOptions,
  deps: ExecuteBatchesDeps,
): Promise<BatchRecord[]> {
  const byId = new Map(batches.map((b) => [b.id, b]));
  const startedAt = new Map<string, number>();
  const records: BatchRecord[] = [];
  const writes: Promise<void>[] = [];
  deps.reporter.started(batches.length);

  const ctx = { models, sqlParser: deps.sqlParser, executionTimeMs: options.executionTimeMs, readSeedFile: deps.readSeedFile };

  const tasks = batches.map((batch) => ({
    id: batch.id,
    dependsOn: batch.dependsOn,
    run: async () => {
      const env = models.get(batch.model);
      if (!env) throw new Error(`internal: batch for unknown model '${batch.model}'`);
      const result = await evaluateBatch(deps.warehouse, buildEvaluationRequest(env, batch.interval, batch.index === 0, ctx));
      const model = env.stored.model;
      const recordable = recordableInterval(model, batch.interval);
      if (recordable) await deps.state.addInterval({ name: batch.model, version: batch.version }, recordable);
      return result;
    },
  }));

  const finish = (record: BatchRecord): void => {
    records.push(record);
    deps.reporter.batchFinished(record);
    writes.push(deps.state.putBatch(record));
  };

  await runTaskGraph(tasks, {
    concurrency: options.concurrency,
    onStart: (id) => {
      const batch = byId.get(id) as PlannedBatch;
      startedAt.set(id, deps.clock.nowMs());
      deps.reporter.batchStarted({ model: batch.model, start: batch.interval[0], end: batch.interval[1] });
    },
    onSettled: (id, outcome) => finish(toRecord(byId.get(id) as PlannedBatch, outcome, byId, startedAt, deps.clock, options.runId)),
  });
  await Promise.all(writes);
  deps.reporter.finished();
  return records;
}

function toRecord(
  batch: PlannedBatch,
  outcome: TaskOutcome<{ rows: number; warnings: string[] }>,
  byId: ReadonlyMap<string, PlannedBatch>,
  startedAt: ReadonlyMap<string, number>,
  clock: Clock,
  runId: string,
): BatchRecord {
  const now = clock.nowMs();
  const base = {
    runId,
    batchId: batch.id,
    model: batch.model,
    version: batch.version,
    start: batch.interval[0],
    end: batch.interval[1],
    finishedTs: now,
    durationMs: startedAt.has(batch.id) ? now - (startedAt.get(batch.id) as number) : 0,
  };
  switch (outcome.status) {
    case 'succeeded':
      return {
        ...base,
        status: 'succeeded',
        reason: 'succeeded',
        rows: outcome.value.rows,
        ...(outcome.value.warnings.length > 0 ? { warnings: outcome.value.warnings } : {}),
      };
    case 'failed': {
      const error = toError(outcome.error);
      const reason = error instanceof AuditFailedError ? `audit_failed:${error.audit}` : `error:${error.name}`;
      return { ...base, status: 'failed', reason, error: error.message };
    }
    case 'skipped': {
      const upstream = byId.get(outcome.upstream)?.model ?? outcome.upstream;
      return { ...base, status: 'skipped', reason: `skipped:upstream_failed:${upstream}` };
    }
  }
}
