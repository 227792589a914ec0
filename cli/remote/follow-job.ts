import { SchedulerError } from '../../shared/src/errors';
import { ApiCallError } from '../../functions/adapters/api-client';
import { type BatchView, batchListSchema, readAnswer, type RunView, runViewSchema } from './api-views';
import type { RemoteSession } from './remote-session';

/** A job to follow: a plan (`GET /plans/{id}`) or a run (`GET /runs/{id}`). */
export interface JobRef {
  readonly kind: 'run' | 'plan';
  readonly id: string;
}

/**
 * How long a job may be unknown to the API after it was started: a run's record is written by its first
 * state (PrepareRun), a moment after the API answered 202.
 */
export const JOB_RECORD_GRACE_MS = 60_000;

/** Batches are keyed by model and interval: unique within one job. */
function batchKey(b: BatchView): string {
  return `${b.model}|${b.interval[0]}|${b.interval[1]}`;
}

/**
 * Polls a job until it is no longer running, reporting each batch once as it finishes, and returns the
 * final record with every batch. Stopping the CLI meanwhile leaves the job running on the API.
 */
export async function followJob(
  session: RemoteSession,
  job: JobRef,
  onBatch: (batch: BatchView) => void,
  recordGraceMs: number = JOB_RECORD_GRACE_MS,
): Promise<{ run: RunView; batches: BatchView[] }> {
  const id = encodeURIComponent(job.id);
  const recordPath = job.kind === 'plan' ? `/plans/${id}` : `/runs/${id}`;
  const batchesPath = `/runs/${id}/batches`;
  const seen = new Map<string, BatchView>();
  // Counted in polls rather than read from a clock: the grace is about the job's start, not wall time.
  let unknownPollsLeft = Math.ceil(recordGraceMs / Math.max(1, session.pollEveryMs));

  for (;;) {
    let run: RunView | undefined;
    try {
      run = readAnswer(runViewSchema, await session.client.get(recordPath), `GET ${recordPath}`);
    } catch (error) {
      if (!(error instanceof ApiCallError && error.status === 404)) throw error;
      if (unknownPollsLeft <= 0) {
        throw new SchedulerError(`${job.kind} ${job.id} was started but the API still does not know it after ${recordGraceMs / 1000} s`, {
          cause: error,
        });
      }
      unknownPollsLeft -= 1;
    }
    if (run) {
      // Read after the record: once it says the job ended, this list is complete.
      const { batches } = readAnswer(batchListSchema, await session.client.get(batchesPath), `GET ${batchesPath}`);
      for (const batch of batches) {
        if (seen.has(batchKey(batch))) continue;
        seen.set(batchKey(batch), batch);
        onBatch(batch);
      }
      if (run.status !== 'running') return { run, batches: [...seen.values()] };
    }
    await new Promise((resolve) => setTimeout(resolve, session.pollEveryMs));
  }
}
