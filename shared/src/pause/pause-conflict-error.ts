import { SchedulerError } from '../errors';
import type { PauseRecord } from '../ports/state-store';

/**
 * A pause with this id already exists in the environment (HTTP 409). Carries the stored pause, so the
 * caller can say who paused and when.
 */
export class PauseConflictError extends SchedulerError {
  readonly existing: PauseRecord | undefined;
  constructor(environment: string, pauseId: string, existing: PauseRecord | undefined, options?: ErrorOptions) {
    const since = existing ? ` (by ${existing.createdBy} at ${new Date(existing.createdTs).toISOString()})` : '';
    super(
      `environment '${environment}' already has pause '${pauseId}'${since}; resume it first or leave it as it is`,
      options,
    );
    this.name = 'PauseConflictError';
    this.existing = existing;
  }
}
