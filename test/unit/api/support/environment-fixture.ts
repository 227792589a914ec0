import type { EnvironmentRecord, SnapshotRecord, StateStore } from '../../../../shared/src/ports/state-store';
import type { ModelDefinition } from '../../../../shared/src/project/model';
import { encodeStoredModel } from '../../../../shared/src/plan/stored-model';
import type { Interval } from '../../../../shared/src/schedule/interval';
import { buildModel, seedKind, timeRangeKind } from '../../evaluate/model-builder';

export const DAY = 86_400_000;
export const NOV = (day: number, hour = 0): number => Date.UTC(2026, 10, day, hour);

/** A snapshot of `model` whose stored definition the run code can decode. */
export function snapshotOf(model: ModelDefinition, version: string): SnapshotRecord {
  return {
    name: model.name,
    identifier: `id-${version}`,
    version,
    fingerprint: { dataHash: version, metadataHash: version, parentDataHash: '', parentMetadataHash: '' },
    parents: [],
    physicalTable: `sqlmesh__db.${model.name.replace('.', '__')}__${version}`,
    modelJson: encodeStoredModel({ model, audits: [], variables: {}, gateway: 'local' }),
    createdTs: NOV(1),
  };
}

/**
 * Three daily models from 2026-11-01: `db.seed` (SEED), `db.events` (incremental by time) reading it, and
 * `db.totals` (FULL) reading events. `suffix` goes on every version (another environment's own tables).
 */
export function dailyModels(suffix = ''): { seed: SnapshotRecord; events: SnapshotRecord; totals: SnapshotRecord } {
  const start = '2026-11-01';
  return {
    seed: snapshotOf(buildModel({ name: 'db.seed', kind: seedKind('seeds/seed.csv'), start, query: '' }), `vs${suffix}`),
    events: snapshotOf(
      buildModel({ name: 'db.events', kind: timeRangeKind('ds'), start, dependsOn: ['db.seed'], query: 'SELECT * FROM db.seed' }),
      `ve${suffix}`,
    ),
    totals: snapshotOf(buildModel({ name: 'db.totals', start, dependsOn: ['db.events'], query: 'SELECT 1 AS n FROM db.events' }), `vt${suffix}`),
  };
}

/** Stores `snapshots` as environment `name` with the given processed intervals per snapshot name. */
export async function seedEnvironment(
  state: StateStore,
  name: string,
  snapshots: readonly SnapshotRecord[],
  processed: Readonly<Record<string, readonly Interval[]>>,
  overrides: Partial<Omit<EnvironmentRecord, 'revision' | 'name' | 'snapshots'>> = {},
): Promise<void> {
  await state.putSnapshots(snapshots);
  for (const s of snapshots) for (const interval of processed[s.name] ?? []) await state.addInterval({ name: s.name, version: s.version }, interval);
  await state.putEnvironment(
    {
      name,
      snapshots: snapshots.map((s) => ({ name: s.name, identifier: s.identifier })),
      planId: `plan-${name}`,
      finalizedTs: NOV(8, 6),
      createdTs: NOV(8, 5),
      updatedTs: NOV(8, 6),
      ...overrides,
    },
    undefined,
  );
}
