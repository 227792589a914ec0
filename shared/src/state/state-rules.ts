import type { BatchRecord, RunRecord, SnapshotId } from '../ports/state-store';

/**
 * The few ordering and versioning rules every StateStore implementation must share, kept here so the
 * in-memory fake and the DynamoDB adapter cannot drift apart (the contract suite checks they do not).
 */

/** Map key of a snapshot id; JSON keeps it unambiguous whatever characters the name or identifier hold. */
export function snapshotKey(id: SnapshotId): string {
  return JSON.stringify([id.name, id.identifier]);
}

/**
 * Orders runs most recent first: by `startedTs` descending, ties broken by `runId` descending, so two
 * runs started in the same millisecond still come out in one stable order in every store.
 */
export function compareRunsNewestFirst(a: RunRecord, b: RunRecord): number {
  if (a.startedTs !== b.startedTs) return b.startedTs - a.startedTs;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/**
 * Whether `candidate` should replace `current` as a model's last batch. The later `finishedTs` wins, so a
 * slow writer reporting an older batch cannot hide a newer one; on a tie the later write wins.
 */
export function isNewerBatch(candidate: BatchRecord, current: BatchRecord): boolean {
  return candidate.finishedTs >= current.finishedTs;
}

/** Revision stored by a successful environment write: one more than expected, 1 for a new environment. */
export function nextEnvironmentRevision(expectedRevision: number | undefined): number {
  return (expectedRevision ?? 0) + 1;
}

/** The IntervalConflictError message of a failed environment write, identical in every store. */
export function environmentConflictMessage(
  name: string,
  expectedRevision: number | undefined,
  foundRevision: number | undefined,
): string {
  return `environment '${name}' was changed concurrently: expected revision ${expectedRevision ?? '(none: new environment)'}, found ${foundRevision ?? '(none: environment does not exist)'}; reload it and retry`;
}
