import { heldBatchRecord, holdPausedBatches } from '../../../shared/src/pause/hold-paused-batches';
import { pauseIdOf, pausedReason } from '../../../shared/src/pause/pause-id';
import { pausedModels } from '../../../shared/src/pause/paused-models';
import type { PauseRecord } from '../../../shared/src/ports/state-store';
import type { PlannedBatch } from '../../../shared/src/run/plan-batches';

// raw.a -> mid.b -> out.c ; raw.a -> side.d ; mid.b + side.d -> out.e
const MODELS = new Map(
  [
    { name: 'raw.a', dependsOn: [] },
    { name: 'mid.b', dependsOn: ['raw.a'] },
    { name: 'out.c', dependsOn: ['mid.b'] },
    { name: 'side.d', dependsOn: ['raw.a'] },
    { name: 'out.e', dependsOn: ['mid.b', 'side.d'] },
  ].map((m) => [m.name, m]),
);

const pause = (model?: string, reason?: string): PauseRecord => ({
  environment: 'prod',
  pauseId: pauseIdOf(model),
  ...(model === undefined ? {} : { model }),
  ...(reason === undefined ? {} : { reason }),
  createdBy: 'ana',
  createdTs: 0,
});

const heldBy = (pauses: PauseRecord[]): Record<string, string> =>
  Object.fromEntries([...pausedModels(pauses, MODELS)].map(([m, p]) => [m, p.pauseId]).sort());

describe('pausedModels', () => {
  it.each([
    ['no pauses hold nothing', [], {}],
    ['a model pause holds the model and everything downstream', [pause('mid.b')], { 'mid.b': 'model:mid.b', 'out.c': 'model:mid.b', 'out.e': 'model:mid.b' }],
    ['a leaf pause holds the leaf alone', [pause('side.d')], { 'side.d': 'model:side.d', 'out.e': 'model:side.d' }],
    [
      'a model keeps its own pause when an upstream pause covers it too',
      [pause('side.d'), pause('raw.a')],
      { 'mid.b': 'model:raw.a', 'out.c': 'model:raw.a', 'out.e': 'model:raw.a', 'raw.a': 'model:raw.a', 'side.d': 'model:side.d' },
    ],
    [
      'the environment pause wins over model pauses',
      [pause('mid.b'), pause()],
      { 'mid.b': 'env', 'out.c': 'env', 'out.e': 'env', 'raw.a': 'env', 'side.d': 'env' },
    ],
    ['a pause of a model the environment no longer has holds nothing', [pause('gone.x')], {}],
  ])('%s', (_name, pauses, want) => {
    expect(heldBy(pauses)).toEqual(want);
  });

  it('names a model held by two upstream pauses with the first by id, whatever the listing order', () => {
    const one = heldBy([pause('side.d'), pause('mid.b')]);
    const other = heldBy([pause('mid.b'), pause('side.d')]);
    expect(one['out.e']).toBe('model:mid.b');
    expect(other).toEqual(one);
  });
});

describe('holdPausedBatches and heldBatchRecord', () => {
  const batch = (model: string, start: number, dependsOn: string[] = []): PlannedBatch => ({
    id: `${model}|v|${start}|${start + 10}`,
    model,
    version: 'v',
    interval: [start, start + 10],
    index: 0,
    dependsOn,
  });

  it('splits batches by model and keeps the plan order within each side', () => {
    // Arrange
    const batches = [batch('raw.a', 0), batch('mid.b', 0, ['raw.a|v|0|10']), batch('side.d', 0, ['raw.a|v|0|10']), batch('out.c', 0, ['mid.b|v|0|10'])];

    // Act
    const { runnable, held } = holdPausedBatches(batches, pausedModels([pause('mid.b', 'bad data')], MODELS));

    // Assert
    expect(runnable.map((b) => b.model)).toEqual(['raw.a', 'side.d']);
    expect(held.map((h) => [h.batch.model, h.pause.pauseId])).toEqual([
      ['mid.b', 'model:mid.b'],
      ['out.c', 'model:mid.b'],
    ]);
    const runnableIds = new Set(runnable.map((b) => b.id));
    expect(runnable.every((b) => b.dependsOn.every((d) => runnableIds.has(d)))).toBe(true);
  });

  it('records a held batch as skipped:paused:<id> with the pause reason as its detail', () => {
    const [withReason, without] = [pause('mid.b', 'bad data'), pause()].map((p) =>
      heldBatchRecord('run-1', { batch: batch('mid.b', 100), pause: p }, 5_000),
    );
    expect(withReason).toEqual({
      runId: 'run-1',
      batchId: 'mid.b|v|100|110',
      model: 'mid.b',
      version: 'v',
      start: 100,
      end: 110,
      status: 'skipped',
      reason: 'skipped:paused:model:mid.b',
      error: 'bad data',
      durationMs: 0,
      finishedTs: 5_000,
    });
    expect(without?.reason).toBe(pausedReason('env'));
    expect(without).not.toHaveProperty('error');
  });
});
