import { readFileSync } from 'node:fs';
import path from 'node:path';
import { intervalKeyString } from '../../shared/src/ports/state-store';
import { viewName } from '../../shared/src/snapshot/naming';
import type { EmbeddedStack } from './embedded-stack';

/** One model's expectations in an example's expected.json. */
export interface ExpectedModel {
  readonly kind: string;
  readonly batches: [string, string][];
  readonly processed_intervals: [string, string][];
  readonly rows: number | null;
}

/** One run (execution time) of an example's expected.json. */
export interface ExpectedRun {
  readonly execution_time: string;
  readonly models: Record<string, ExpectedModel>;
  /** Tables written by statements rather than models (shop: raw.revenue_watermark). */
  readonly side_tables?: Record<string, { readonly rows: Record<string, unknown>[] }>;
}

export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

/** The runs of `examples/<example>/expected.json`. */
export function loadExpectedRuns(example: string): ExpectedRun[] {
  return (JSON.parse(readFileSync(path.join(EXAMPLES_DIR, example, 'expected.json'), 'utf8')) as { runs: ExpectedRun[] }).runs;
}

/** `model → batches` for the models that have batches in `run`, shaped like `batchesByModel`. */
export function expectedBatches(run: ExpectedRun): Record<string, [string, string][]> {
  return Object.fromEntries(Object.entries(run.models).filter(([, m]) => m.batches.length > 0).map(([n, m]) => [n, m.batches]));
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Asserts prod's processed intervals and row counts equal what `run` expects, model by model. */
export async function expectProdToMatch(stack: EmbeddedStack, run: ExpectedRun): Promise<void> {
  const env = await stack.state.getEnvironment('prod');
  const snapshots = await stack.state.getSnapshots(env?.snapshots ?? []);
  const intervals = await stack.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
  for (const [name, want] of Object.entries(run.models)) {
    const snap = snapshots.find((s) => s.name === name);
    expect({ name, found: snap !== undefined }).toEqual({ name, found: true });
    const got = (intervals.get(intervalKeyString({ name, version: snap?.version ?? '' })) ?? []).map(([s, e]) => [iso(s), iso(e)]);
    expect({ name, intervals: got }).toEqual({ name, intervals: want.processed_intervals });
    if (want.rows === null) continue;
    const relation = want.kind === 'EXTERNAL' ? name : viewName(name, 'prod');
    expect({ name, rows: await stack.count(relation) }).toEqual({ name, rows: want.rows });
  }
}
