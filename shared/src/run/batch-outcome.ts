import { AuditFailedError, toError } from '../errors';
import type { BatchRecord } from '../ports/state-store';

/** The identity of a batch, as both the in-process graph and the distributed workers know it. */
export interface BatchIdentity {
  readonly runId: string;
  readonly batchId: string;
  readonly model: string;
  readonly version: string;
  readonly start: number;
  readonly end: number;
}

/** What happened to one batch, before it is turned into a record. */
export type BatchOutcome =
  | { readonly status: 'succeeded'; readonly rows: number; readonly warnings: readonly string[]; readonly reason?: string }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'skipped'; readonly reason: string };

/** Machine-readable reason of a failure: `audit_failed:<audit>` or `error:<ErrorName>`. */
export function failureReason(error: Error): string {
  return error instanceof AuditFailedError ? `audit_failed:${error.audit}` : `error:${error.name}`;
}

/** Turns an outcome into the {@link BatchRecord} stored in state and shown to people. */
export function batchRecord(batch: BatchIdentity, outcome: BatchOutcome, startedMs: number | undefined, nowMs: number): BatchRecord {
  const base = {
    runId: batch.runId,
    batchId: batch.batchId,
    model: batch.model,
    version: batch.version,
    start: batch.start,
    end: batch.end,
    finishedTs: nowMs,
    durationMs: startedMs === undefined ? 0 : nowMs - startedMs,
  };
  switch (outcome.status) {
    case 'succeeded':
      return {
        ...base,
        status: 'succeeded',
        reason: outcome.reason ?? 'succeeded',
        rows: outcome.rows,
        ...(outcome.warnings.length > 0 ? { warnings: [...outcome.warnings] } : {}),
      };
    case 'failed': {
      const error = toError(outcome.error);
      return { ...base, status: 'failed', reason: failureReason(error), error: error.message };
    }
    case 'skipped':
      return { ...base, status: 'skipped', reason: outcome.reason };
  }
}
