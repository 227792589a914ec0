import type { ModelDefinition, ModelKind } from '../../shared/src/project/model';
import type { StoredModel } from '../../shared/src/plan/stored-model';
import { intervalKeyString, type SnapshotRecord } from '../../shared/src/ports/state-store';
import type { EnvironmentModel } from '../../shared/src/run/environment-model';
import { cronFloor } from '../../shared/src/schedule/cron';
import type { Interval, IntervalUnit } from '../../shared/src/schedule/interval';
import { unitFloor, unitMs } from '../../shared/src/schedule/interval-unit';
import { randomInt, seededRandom } from './measure';

/**
 * A synthetic environment for the planning-scale bench: layered DAG, mixed crons, a year of processed
 * history with a few gaps per model, built in memory exactly as `runEnvironment` would hold it after
 * loading from the state store.
 */

export interface LayeredEnvironmentOptions {
  readonly layers: number;
  readonly modelsPerLayer: number;
  /** Earliest processed instant (every model's effective start), epoch ms at a UTC midnight. */
  readonly historyStartMs: number;
  /** Execution time of the run being planned, epoch ms. */
  readonly executionTimeMs: number;
  readonly seed: number;
}

export interface LayeredEnvironment {
  readonly models: Map<string, EnvironmentModel>;
  /** Processed intervals keyed by `name@version`, as `StateStore.getIntervals` returns them. */
  readonly intervals: Map<string, Interval[]>;
  /** Number of merged processed ranges over all models. */
  readonly processedRanges: number;
  /** Unit cells left unprocessed on purpose (gaps plus the cell due at the execution time). */
  readonly constructedMissingCells: number;
  /** Models per cron label, for the printout. */
  readonly cronMix: ReadonlyMap<string, number>;
  /** Models per kind name, for the printout. */
  readonly kindMix: ReadonlyMap<string, number>;
}

interface CronChoice {
  readonly label: string;
  readonly cron: string;
  readonly cronTz?: string;
  readonly unit: IntervalUnit;
  /** Cumulative probability bound. */
  readonly upTo: number;
}

/** Roughly half hourly, half daily; a sixth of the daily ones on a local wall clock. */
const CRONS: readonly CronChoice[] = [
  { label: '@hourly', cron: '@hourly', unit: 'hour', upTo: 0.45 },
  { label: '@daily', cron: '@daily', unit: 'day', upTo: 0.85 },
  { label: "'0 2 * * *' America/New_York", cron: '0 2 * * *', cronTz: 'America/New_York', unit: 'day', upTo: 0.95 },
  { label: "'30 5 * * *' Asia/Kolkata", cron: '30 5 * * *', cronTz: 'Asia/Kolkata', unit: 'day', upTo: 1 },
];

/** The fields every generated model shares, with the loader's defaults. */
function baseModel(name: string, location: number): Omit<ModelDefinition, 'kind' | 'cron' | 'intervalUnit' | 'dependsOn'> {
  return {
    name,
    dialect: 'duckdb',
    intervalUnitExplicit: false,
    allowPartials: false,
    enabled: true,
    tags: [],
    grains: [],
    query: '',
    preStatements: [],
    postStatements: [],
    onVirtualUpdate: [],
    explicitDependsOn: [],
    dependsOnSelf: false,
    audits: [],
    inlineAudits: [],
    otherProperties: {},
    location: { file: `models/${name.replace('.', '/')}.sql`, line: location },
  };
}

function pickKind(random: () => number, unit: IntervalUnit): ModelKind {
  const r = random();
  if (r < 0.05) return { name: 'FULL' };
  if (r < 0.08) {
    return { name: 'INCREMENTAL_BY_UNIQUE_KEY', uniqueKey: ['id'], lookback: 0, forwardOnly: false, disableRestatement: false };
  }
  const batched = r < 0.13;
  return {
    name: 'INCREMENTAL_BY_TIME_RANGE',
    timeColumn: 'ts',
    timeColumnFormat: '%Y-%m-%d',
    lookback: 0,
    forwardOnly: false,
    disableRestatement: false,
    ...(batched ? { batchSize: unit === 'hour' ? 24 : 7 } : {}),
  };
}

/**
 * Processed ranges `[start, historyEnd)` with 1–3 gaps of 1–3 unit cells cut out. Returns the merged ranges
 * and how many distinct cells the gaps removed.
 */
function historyWithGaps(
  random: () => number,
  unit: IntervalUnit,
  start: number,
  historyEnd: number,
): { ranges: Interval[]; gapCells: number } {
  const step = unitMs(unit);
  const cells = Math.floor((historyEnd - start) / step);
  const removed = new Set<number>();
  const gaps = randomInt(random, 1, 3);
  for (let g = 0; g < gaps; g += 1) {
    const at = randomInt(random, 0, cells - 1);
    const length = randomInt(random, 1, 3);
    for (let c = at; c < Math.min(at + length, cells); c += 1) removed.add(c);
  }
  const ranges: Interval[] = [];
  let runStart: number | undefined;
  for (let c = 0; c <= cells; c += 1) {
    const kept = c < cells && !removed.has(c);
    if (kept && runStart === undefined) runStart = c;
    if (!kept && runStart !== undefined) {
      ranges.push([start + runStart * step, start + c * step]);
      runStart = undefined;
    }
  }
  return { ranges, gapCells: removed.size };
}

function snapshotOf(def: ModelDefinition, index: number, parents: readonly string[]): EnvironmentModel {
  const stored: StoredModel = { model: def, audits: [], variables: {}, gateway: 'local' };
  const [schema, table] = def.name.split('.') as [string, string];
  const version = `v${index.toString(16).padStart(8, '0')}`;
  const snapshot: SnapshotRecord = {
    name: def.name,
    identifier: `id${index.toString(16).padStart(8, '0')}`,
    version,
    fingerprint: { dataHash: `d${index}`, metadataHash: `m${index}`, parentDataHash: 'p', parentMetadataHash: 'q' },
    parents: parents.map((p) => ({ name: p, identifier: 'parent' })),
    physicalTable: `sqlmesh__${schema}.${schema}__${table}__${version}`,
    // Kept as JSON, as loaded from the state store, so the memory figures include it.
    modelJson: JSON.stringify(stored),
    createdTs: 0,
  };
  return { snapshot, stored };
}

/**
 * Builds the environment: `layers × modelsPerLayer` models, each model of layer L > 0 reading 1–3 random
 * models of layer L-1. Every model (effective start = history start, explicit on layer 0 and a third of the
 * others, inferred from parents elsewhere) is processed up to one cell before what is due at the execution
 * time, minus its gaps, so each has 2–10 missing cells.
 */
export function buildLayeredEnvironment(options: LayeredEnvironmentOptions): LayeredEnvironment {
  const random = seededRandom(options.seed);
  const models = new Map<string, EnvironmentModel>();
  const intervals = new Map<string, Interval[]>();
  const cronMix = new Map<string, number>();
  const kindMix = new Map<string, number>();
  let processedRanges = 0;
  let constructedMissingCells = 0;
  let previousLayer: string[] = [];
  let index = 0;
  // A date-only start, as model files write it; it resolves to the history start's UTC midnight.
  const dateStart = new Date(options.historyStartMs).toISOString().slice(0, 10);

  for (let layer = 0; layer < options.layers; layer += 1) {
    const current: string[] = [];
    for (let m = 0; m < options.modelsPerLayer; m += 1) {
      const name = `l${String(layer).padStart(2, '0')}.m${String(m).padStart(4, '0')}`;
      const r = random();
      const cron = CRONS.find((c) => r < c.upTo) ?? (CRONS[0] as CronChoice);
      const kind = pickKind(random, cron.unit);
      const parents = new Set<string>();
      if (previousLayer.length > 0) {
        const wanted = randomInt(random, 1, 3);
        while (parents.size < wanted) parents.add(previousLayer[randomInt(random, 0, previousLayer.length - 1)] as string);
      }
      const explicitStart = layer === 0 || random() < 1 / 3;
      const def: ModelDefinition = {
        ...baseModel(name, index + 1),
        kind,
        cron: cron.cron,
        ...(cron.cronTz !== undefined ? { cronTz: cron.cronTz } : {}),
        intervalUnit: cron.unit,
        ...(explicitStart ? { start: dateStart } : {}),
        dependsOn: [...parents].sort(),
      };
      const env = snapshotOf(def, index, def.dependsOn);
      models.set(name, env);

      // What is due at the execution time: cells up to the latest cron tick, floored to the unit (§4.5).
      const dueEnd = unitFloor(cron.unit, cronFloor(cron.cron, cron.cronTz, options.executionTimeMs));
      const history = historyWithGaps(random, cron.unit, options.historyStartMs, dueEnd - unitMs(cron.unit));
      intervals.set(intervalKeyString({ name, version: env.snapshot.version }), history.ranges);
      processedRanges += history.ranges.length;
      constructedMissingCells += history.gapCells + 1;
      cronMix.set(cron.label, (cronMix.get(cron.label) ?? 0) + 1);
      kindMix.set(kind.name, (kindMix.get(kind.name) ?? 0) + 1);
      current.push(name);
      index += 1;
    }
    previousLayer = current;
  }
  return { models, intervals, processedRanges, constructedMissingCells, cronMix, kindMix };
}
