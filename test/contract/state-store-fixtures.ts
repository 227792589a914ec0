import type { BatchRecord, EnvironmentRecord, RunRecord, SnapshotRecord } from '../../shared/src/ports/state-store';

/** Record builders for the state store contract suite: plausible records with one field overridden at a time. */

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

export function snapshot(name: string, identifier: string, overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    name,
    identifier,
    version: `v-${identifier}`,
    fingerprint: {
      dataHash: `d${identifier}`,
      metadataHash: `m${identifier}`,
      parentDataHash: `pd${identifier}`,
      parentMetadataHash: `pm${identifier}`,
    },
    parents: [{ name: 'db.raw', identifier: '111' }],
    physicalTable: `sqlmesh__db.db__${name.split('.')[1] ?? name}__${identifier}`,
    modelJson: JSON.stringify({ name, kind: { name: 'FULL' }, query: 'SELECT 1 AS x' }),
    changeCategory: 'breaking',
    createdTs: T0,
    ...overrides,
  };
}

export function environment(
  name: string,
  overrides: Partial<Omit<EnvironmentRecord, 'revision'>> = {},
): Omit<EnvironmentRecord, 'revision'> {
  return {
    name,
    snapshots: [{ name: 'db.orders', identifier: '123' }],
    planId: 'plan-1',
    createdTs: T0,
    updatedTs: T0,
    ...overrides,
  };
}

export function run(runId: string, environmentName: string, startedTs: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId,
    kind: 'run',
    environment: environmentName,
    status: 'running',
    executionTs: startedTs,
    startedTs,
    ...overrides,
  };
}

export function batch(runId: string, model: string, start: number, finishedTs: number, overrides: Partial<BatchRecord> = {}): BatchRecord {
  const end = start + HOUR;
  return {
    runId,
    batchId: `${model}|${start}|${end}`,
    model,
    version: 'v1',
    start,
    end,
    status: 'succeeded',
    reason: 'succeeded',
    durationMs: 1200,
    rows: 42,
    finishedTs,
    ...overrides,
  };
}

/** A model definition of about `bytes` characters, shaped like real model JSON (repetitive SQL). */
export function largeModelJson(bytes: number): string {
  const columns: string[] = [];
  for (let i = 0, length = 0; length < bytes; i++) {
    const column = `CASE WHEN amount_${i} > ${i} THEN 'größer_${i}' ELSE 'kleiner_${i}' END AS bucket_${i}`;
    columns.push(column);
    length += column.length + 2;
  }
  return JSON.stringify({ name: 'db.wide', query: `SELECT ${columns.join(', ')} FROM db.raw` });
}
