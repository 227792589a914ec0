import type { EvaluationResult } from '../evaluate/evaluation-request';
import type { Clock } from '../ports/clock';
import type { SqlParser } from '../ports/sql-parser';
import type { BatchRecord, StateStore } from '../ports/state-store';
import type { Warehouse } from '../ports/warehouse';
import { batchRecord, type BatchOutcome } from './batch-outcome';
import type { EnvironmentModel } from './environment-model';
import { evaluateAndRecord } from './evaluate-and-record';
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

  const ctx = {
    models,
    sqlParser: deps.sqlParser,
    executionTimeMs: options.executionTimeMs,
    readSeedFile: deps.readSeedFile,
    warehouse: deps.warehouse,
    state: deps.state,
  };

  const tasks = batches.map((batch) => ({
    id: batch.id,
    dependsOn: batch.dependsOn,
    run: async () => {
      const env = models.get(batch.model);
      if (!env) throw new Error(`internal: batch for unknown model '${batch.model}'`);
      return evaluateAndRecord(env, batch.interval, batch.index === 0, ctx);
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
    onSettled: (id, outcome) => {
      const batch = byId.get(id) as PlannedBatch;
      const identity = { runId: options.runId, batchId: batch.id, model: batch.model, version: batch.version, start: batch.interval[0], end: batch.interval[1] };
      finish(batchRecord(identity, toOutcome(outcome, byId), startedAt.get(id), deps.clock.nowMs()));
    },
  });
  await Promise.all(writes);
  deps.reporter.finished();
  return records;
}

function toOutcome(outcome: TaskOutcome<EvaluationResult>, byId: ReadonlyMap<string, PlannedBatch>): BatchOutcome {
  switch (outcome.status) {
    case 'succeeded':
      return { status: 'succeeded', rows: outcome.value.rows, warnings: outcome.value.warnings };
    case 'failed':
      return { status: 'failed', error: outcome.error };
    case 'skipped':
      return { status: 'skipped', reason: `skipped:upstream_failed:${byId.get(outcome.upstream)?.model ?? outcome.upstream}` };
  }
}
