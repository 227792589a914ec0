import type { BatchRecord } from '../ports/state-store';

/**
 * Receives progress from plan application and runs, so the CLI can print per-batch lines and a progress
 * bar while a Lambda handler logs JSON instead. All methods are optional to implement meaningfully.
 */
export interface RunReporter {
  /** The batches about to execute, once, before the first starts. */
  started(total: number): void;
  batchStarted(batch: { readonly model: string; readonly start: number; readonly end: number }): void;
  batchFinished(record: BatchRecord): void;
  /** Free-form progress notes (table creation, promotion). */
  note(message: string): void;
  finished(): void;
}

/** A reporter that ignores everything (tests, JSON output). */
export const silentReporter: RunReporter = {
  started: () => undefined,
  batchStarted: () => undefined,
  batchFinished: () => undefined,
  note: () => undefined,
  finished: () => undefined,
};
