import type { BatchRecord, RunRecord } from '../../shared/src/ports/state-store';
import { MAX_ERROR_MESSAGE_CHARS } from './constants';
import { isoRange, isoTime, isoTimeOrNull } from './present-time';

/** A run or plan record as the API shows it. */
export interface RunView {
  readonly runId: string;
  readonly kind: RunRecord['kind'];
  readonly environment: string;
  readonly status: RunRecord['status'];
  readonly reason: string | null;
  readonly executionTime: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly counts: RunRecord['counts'] | null;
}

/** A finished batch as the API shows it. */
export interface BatchView {
  readonly model: string;
  readonly version: string;
  /** `[start, end)` as ISO instants. */
  readonly interval: [string, string];
  readonly status: BatchRecord['status'];
  readonly reason: string;
  readonly durationMs: number;
  readonly rows: number | null;
  readonly error: string | null;
  readonly finishedAt: string;
}

export function presentRun(run: RunRecord): RunView {
  return {
    runId: run.runId,
    kind: run.kind,
    environment: run.environment,
    status: run.status,
    reason: run.reason ?? null,
    executionTime: isoTime(run.executionTs),
    startedAt: isoTime(run.startedTs),
    endedAt: isoTimeOrNull(run.endedTs),
    counts: run.counts ? { ...run.counts } : null,
  };
}

export function presentBatch(batch: BatchRecord): BatchView {
  return {
    model: batch.model,
    version: batch.version,
    interval: isoRange([batch.start, batch.end]),
    status: batch.status,
    reason: batch.reason,
    durationMs: batch.durationMs,
    rows: batch.rows ?? null,
    error: batch.error === undefined ? null : errorSummary(batch.error),
    finishedAt: isoTime(batch.finishedTs),
  };
}

/**
 * The first line of a failure message, capped. Warehouse errors go on to quote the failing SQL (DuckDB's
 * `LINE 1: SELECT ...` excerpt), and responses never carry SQL.
 */
export function errorSummary(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length <= MAX_ERROR_MESSAGE_CHARS ? first : `${first.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…`;
}
