import type { BatchRecord, RunRecord } from '../../../shared/src/ports/state-store';
import {
  compareRunsNewestFirst,
  environmentConflictMessage,
  isNewerBatch,
  nextEnvironmentRevision,
  snapshotKey,
} from '../../../shared/src/state/state-rules';

const runAt = (runId: string, startedTs: number): RunRecord => ({
  runId,
  kind: 'run',
  environment: 'prod',
  status: 'running',
  executionTs: startedTs,
  startedTs,
});

const batchAt = (finishedTs: number): BatchRecord => ({
  runId: 'r',
  batchId: 'b',
  model: 'db.m',
  version: 'v',
  start: 0,
  end: 1,
  status: 'succeeded',
  reason: 'succeeded',
  durationMs: 1,
  finishedTs,
});

describe('compareRunsNewestFirst', () => {
  it('orders by start time descending, then by run id descending', () => {
    const runs = [runAt('a', 1), runAt('c', 3), runAt('b', 3), runAt('d', 2), runAt('e', 10)];
    expect([...runs].sort(compareRunsNewestFirst).map((r) => r.runId)).toEqual(['e', 'c', 'b', 'd', 'a']);
  });
});

describe('isNewerBatch', () => {
  it.each([
    [20, 10, true],
    [10, 10, true],
    [5, 10, false],
  ])('finished %d vs stored %d -> %s', (candidate, current, expected) => {
    expect(isNewerBatch(batchAt(candidate), batchAt(current))).toBe(expected);
  });
});

describe('nextEnvironmentRevision', () => {
  it('starts new environments at 1 and increments existing ones', () => {
    expect(nextEnvironmentRevision(undefined)).toBe(1);
    expect(nextEnvironmentRevision(7)).toBe(8);
  });
});

describe('snapshotKey', () => {
  it('cannot confuse ids whose parts share a separator', () => {
    expect(snapshotKey({ name: 'a/b', identifier: 'c' })).not.toBe(snapshotKey({ name: 'a', identifier: 'b/c' }));
    expect(snapshotKey({ name: 'db.x', identifier: '1' })).toBe(snapshotKey({ name: 'db.x', identifier: '1' }));
  });
});

describe('environmentConflictMessage', () => {
  it('says what was expected and what was found', () => {
    expect(environmentConflictMessage('prod', 2, 3)).toMatchInlineSnapshot(
      `"environment 'prod' was changed concurrently: expected revision 2, found 3; reload it and retry"`,
    );
  });
});
