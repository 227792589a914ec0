import { createTwoFilesPatch } from 'diff';
import type { ModelDefinition } from '../project/model';
import type { SnapshotRecord } from '../ports/state-store';
import { decodeStoredModel } from './stored-model';

/** How a model changed between an environment and the project being planned. */
export type ChangeKind = 'added' | 'removed' | 'directly_modified' | 'indirectly_modified';

export interface ModelChange {
  readonly name: string;
  readonly change: ChangeKind;
  /** For direct changes: `breaking` when data-affecting parts changed, `metadata` when only metadata did. */
  readonly category?: 'breaking' | 'metadata';
  /** Unified diff of the definition (direct changes only). */
  readonly diff?: string;
  /** For indirect changes: the directly modified upstream models that caused it. */
  readonly becauseOf?: readonly string[];
}

export interface EnvironmentDiff {
  readonly changes: readonly ModelChange[];
  readonly unchanged: readonly string[];
}

/**
 * Compares the snapshots an environment points at with the snapshots built from the project. A model whose
 * own data or metadata hash changed is directly modified; one whose own hashes are equal but whose parents'
 * changed is indirectly modified (it gets a new version only if a parent's data changed).
 */
export function diffEnvironment(
  current: readonly SnapshotRecord[],
  planned: readonly SnapshotRecord[],
): EnvironmentDiff {
  const before = new Map(current.map((s) => [s.name, s]));
  const after = new Map(planned.map((s) => [s.name, s]));
  const changes: ModelChange[] = [];
  const unchanged: string[] = [];
  const direct = new Set<string>();

  for (const snap of planned) {
    const old = before.get(snap.name);
    if (!old) {
      changes.push({ name: snap.name, change: 'added' });
    } else if (old.identifier === snap.identifier) {
      unchanged.push(snap.name);
    } else if (
      old.fingerprint.dataHash !== snap.fingerprint.dataHash ||
      old.fingerprint.metadataHash !== snap.fingerprint.metadataHash
    ) {
      direct.add(snap.name);
      changes.push({
        name: snap.name,
        change: 'directly_modified',
        category: old.fingerprint.dataHash !== snap.fingerprint.dataHash ? 'breaking' : 'metadata',
        diff: definitionDiff(snap.name, old.modelJson, snap.modelJson),
      });
    } else {
      changes.push({ name: snap.name, change: 'indirectly_modified' });
    }
  }
  for (const old of current) {
    if (!after.has(old.name)) changes.push({ name: old.name, change: 'removed' });
  }

  const withCauses = changes.map((c) =>
    c.change === 'indirectly_modified' ? { ...c, becauseOf: upstreamCauses(c.name, after, direct) } : c,
  );
  withCauses.sort((a, b) => a.name.localeCompare(b.name));
  unchanged.sort();
  return { changes: withCauses, unchanged };
}

function upstreamCauses(
  name: string,
  snapshots: ReadonlyMap<string, SnapshotRecord>,
  direct: ReadonlySet<string>,
): string[] {
  const causes = new Set<string>();
  const seen = new Set<string>();
  const stack = [...(snapshots.get(name)?.parents ?? []).map((p) => p.name)];
  while (stack.length > 0) {
    const parent = stack.pop() as string;
    if (seen.has(parent)) continue;
    seen.add(parent);
    if (direct.has(parent)) causes.add(parent);
    stack.push(...(snapshots.get(parent)?.parents ?? []).map((p) => p.name));
  }
  return [...causes].sort();
}

/** A readable text form of a definition, so the diff shows properties and SQL the way a person wrote them. */
export function describeDefinition(model: ModelDefinition): string {
  const lines = [`name ${model.name}`, `kind ${describeKind(model)}`, `cron '${model.cron}'`];
  if (model.cronTz) lines.push(`cron_tz '${model.cronTz}'`);
  if (model.start !== undefined) lines.push(`start '${model.start}'`);
  if (model.end !== undefined) lines.push(`end '${model.end}'`);
  if (model.intervalUnitExplicit) lines.push(`interval_unit ${model.intervalUnit}`);
  if (model.allowPartials) lines.push('allow_partials true');
  if (model.owner) lines.push(`owner ${model.owner}`);
  if (model.description) lines.push(`description '${model.description}'`);
  if (model.tags.length > 0) lines.push(`tags [${model.tags.join(', ')}]`);
  if (model.columns) lines.push(`columns (${model.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`);
  if (model.audits.length > 0) lines.push(`audits (${model.audits.map((a) => a.name).join(', ')})`);
  for (const [key, value] of Object.entries(model.otherProperties)) lines.push(`${key} ${value}`);
  const body = [
    ...model.preStatements.map((s) => `${s.sql};`),
    model.query ? `${model.query};` : '',
    ...model.postStatements.map((s) => `${s.sql};`),
  ].filter((s) => s !== '');
  return `${lines.join('\n')}\n\n${body.join('\n')}\n`;
}

function describeKind(model: ModelDefinition): string {
  const kind = model.kind;
  switch (kind.name) {
    case 'INCREMENTAL_BY_TIME_RANGE':
      return `${kind.name} (time_column ${kind.timeColumn}${kind.lookback ? `, lookback ${kind.lookback}` : ''}${
        kind.batchSize !== undefined ? `, batch_size ${kind.batchSize}` : ''
      })`;
    case 'INCREMENTAL_BY_UNIQUE_KEY':
      return `${kind.name} (unique_key (${kind.uniqueKey.join(', ')}))`;
    case 'SEED':
      return `${kind.name} (path '${kind.relativePath}')`;
    case 'VIEW':
      return kind.materialized ? 'VIEW (materialized true)' : 'VIEW';
    default:
      return kind.name;
  }
}

function definitionDiff(name: string, oldJson: string, newJson: string): string {
  const oldText = describeDefinition(decodeStoredModel({ modelJson: oldJson }).model);
  const newText = describeDefinition(decodeStoredModel({ modelJson: newJson }).model);
  const patch = createTwoFilesPatch(`${name} (environment)`, `${name} (project)`, oldText, newText, '', '', {
    context: 3,
  });
  // Drop the "Index"/"====" preamble lines; keep the ---/+++ header and hunks.
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('Index:') && !/^=+$/.test(line))
    .join('\n')
    .trimEnd();
}
