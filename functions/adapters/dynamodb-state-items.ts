import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';
import type {
  BatchRecord,
  EnvironmentRecord,
  IntervalKey,
  RunRecord,
  SnapshotId,
  SnapshotRecord,
} from '../../shared/src/ports/state-store';
import type { Interval } from '../../shared/src/schedule/interval';
import {
  STATE_TABLE_PARTITION_KEY as PK,
  STATE_TABLE_RUNS_INDEX_PARTITION_KEY as GSI1PK,
  STATE_TABLE_RUNS_INDEX_SORT_KEY as GSI1SK,
  STATE_TABLE_SORT_KEY as SK,
} from './dynamodb-state-schema';

/**
 * Maps state records to DynamoDB items and back (layout in dynamodb-state-schema.ts). Record fields are
 * stored as native attributes next to the keys, so items stay readable in the console; reading parses them
 * with a schema, so a damaged or foreign item fails loudly instead of flowing on as a wrong type.
 */

/** A DynamoDB item in wire form. */
export type Item = Record<string, AttributeValue>;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Zero-padded width of start times in run sort keys: 15 digits reach the year 33658. */
const RUN_TS_DIGITS = 15;
const ENVIRONMENTS_PARTITION = 'ENVIRONMENTS';
const RUN_SORT_KEY = 'RUN';
const BATCH_SORT_PREFIX = 'BATCH#';
const LAST_BATCH_SORT_KEY = 'LAST_BATCH';

function key(pk: string, sk: string): Item {
  return { [PK]: { S: pk }, [SK]: { S: sk } };
}

function toAttributes(record: object): Item {
  return marshall(record, { removeUndefinedValues: true });
}

function parseItem<T>(schema: z.ZodType<T>, item: Item, what: string): T {
  const result = schema.safeParse(unmarshall(item));
  if (result.success) return result.data;
  const where = `${item[PK]?.S ?? '?'} / ${item[SK]?.S ?? '?'}`;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
  throw new SchedulerError(`state table item ${where} is not a valid ${what}: ${problems}`);
}

const snapshotIdSchema = z.object({ name: z.string(), identifier: z.string() });

const changeCategorySchema = z.enum([
  'breaking',
  'non_breaking',
  'metadata',
  'indirect_breaking',
  'indirect_non_breaking',
]);

/** Stored snapshot: the record with `modelJson` replaced by its gzip (model JSON shrinks ~5-10x). */
const snapshotItemSchema = z.object({
  name: z.string(),
  identifier: z.string(),
  version: z.string(),
  fingerprint: z.object({
    dataHash: z.string(),
    metadataHash: z.string(),
    parentDataHash: z.string(),
    parentMetadataHash: z.string(),
  }),
  parents: z.array(snapshotIdSchema),
  physicalTable: z.string(),
  // Accept any typed-array view: unmarshall may build it in another realm (e.g. a test sandbox).
  modelJsonGzip: z.custom<Uint8Array>((v) => ArrayBuffer.isView(v), 'expected binary'),
  changeCategory: changeCategorySchema.optional(),
  createdTs: z.number(),
});

const environmentSchema: z.ZodType<EnvironmentRecord> = z.object({
  name: z.string(),
  snapshots: z.array(snapshotIdSchema),
  planId: z.string(),
  previousPlanId: z.string().optional(),
  finalizedTs: z.number().optional(),
  createdTs: z.number(),
  updatedTs: z.number(),
  revision: z.number(),
});

const intervalsSchema = z.object({
  ranges: z.array(z.tuple([z.number(), z.number()])),
  revision: z.number(),
});

const runSchema: z.ZodType<RunRecord> = z.object({
  runId: z.string(),
  kind: z.enum(['plan', 'run']),
  environment: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  reason: z.string().optional(),
  executionTs: z.number(),
  startedTs: z.number(),
  endedTs: z.number().optional(),
  counts: z.object({ succeeded: z.number(), failed: z.number(), skipped: z.number() }).optional(),
  snapshots: z.array(snapshotIdSchema).optional(),
  baseRevision: z.number().optional(),
});

const batchSchema: z.ZodType<BatchRecord> = z.object({
  runId: z.string(),
  batchId: z.string(),
  model: z.string(),
  version: z.string(),
  start: z.number(),
  end: z.number(),
  status: z.enum(['succeeded', 'failed', 'skipped']),
  reason: z.string(),
  error: z.string().optional(),
  durationMs: z.number(),
  rows: z.number().optional(),
  finishedTs: z.number(),
  warnings: z.array(z.string()).optional(),
});

// --- snapshots --------------------------------------------------------------------------------------------

export function snapshotItemKey(id: SnapshotId): Item {
  return key(`SNAPSHOT#${id.name}`, id.identifier);
}

export async function encodeSnapshot(snapshot: SnapshotRecord): Promise<Item> {
  const { modelJson, ...rest } = snapshot;
  const modelJsonGzip = new Uint8Array(await gzipAsync(Buffer.from(modelJson, 'utf8')));
  return { ...toAttributes({ ...rest, modelJsonGzip }), ...snapshotItemKey(snapshot) };
}

export async function decodeSnapshot(item: Item): Promise<SnapshotRecord> {
  const { modelJsonGzip, ...rest } = parseItem(snapshotItemSchema, item, 'snapshot');
  const bytes = Buffer.from(modelJsonGzip.buffer, modelJsonGzip.byteOffset, modelJsonGzip.byteLength);
  return { ...rest, modelJson: (await gunzipAsync(bytes)).toString('utf8') };
}

// --- environments -----------------------------------------------------------------------------------------

export function environmentItemKey(name: string): Item {
  return key(ENVIRONMENTS_PARTITION, name);
}

/** Partition holding every environment, for listEnvironments. */
export function environmentsPartition(): AttributeValue {
  return { S: ENVIRONMENTS_PARTITION };
}

export function encodeEnvironment(env: EnvironmentRecord): Item {
  return { ...toAttributes(env), ...environmentItemKey(env.name) };
}

export function decodeEnvironment(item: Item): EnvironmentRecord {
  return parseItem(environmentSchema, item, 'environment');
}

// --- processed intervals ----------------------------------------------------------------------------------

/** Merged ranges of one physical table as stored, with the revision guarding read-modify-write. */
export interface StoredIntervals {
  readonly ranges: Interval[];
  readonly revision: number;
}

export function intervalsItemKey(k: IntervalKey): Item {
  return key(`INTERVALS#${k.name}`, k.version);
}

export function encodeIntervals(k: IntervalKey, stored: StoredIntervals): Item {
  const ranges = stored.ranges.map(([s, e]) => [s, e]);
  return {
    ...toAttributes({ name: k.name, version: k.version, ranges, revision: stored.revision }),
    ...intervalsItemKey(k),
  };
}

export function decodeIntervals(item: Item): StoredIntervals {
  return parseItem(intervalsSchema, item, 'interval list');
}

// --- runs and batches -------------------------------------------------------------------------------------

export function runItemKey(runId: string): Item {
  return key(`RUN#${runId}`, RUN_SORT_KEY);
}

/** GSI partition listing an environment's runs. */
export function runsByEnvironmentPartition(environment: string): AttributeValue {
  return { S: `RUNS#${environment}` };
}

export function encodeRun(run: RunRecord): Item {
  if (!Number.isSafeInteger(run.startedTs) || run.startedTs < 0 || String(run.startedTs).length > RUN_TS_DIGITS) {
    throw new SchedulerError(
      `run '${run.runId}' has startedTs ${run.startedTs}; expected a non-negative integer epoch-ms time of at most ${RUN_TS_DIGITS} digits`,
    );
  }
  return {
    ...toAttributes(run),
    ...runItemKey(run.runId),
    ...runsIndexKey(run),
  };
}

function runsIndexKey(run: RunRecord): Item {
  return {
    [GSI1PK]: runsByEnvironmentPartition(run.environment),
    [GSI1SK]: { S: `${String(run.startedTs).padStart(RUN_TS_DIGITS, '0')}#${run.runId}` },
  };
}

export function decodeRun(item: Item): RunRecord {
  return parseItem(runSchema, item, 'run');
}

/** Partition and sort-key prefix of a run's batches. */
export function batchesOfRun(runId: string): { readonly pk: AttributeValue; readonly skPrefix: AttributeValue } {
  return { pk: { S: `RUN#${runId}` }, skPrefix: { S: BATCH_SORT_PREFIX } };
}

export function encodeBatch(batch: BatchRecord): Item {
  return { ...toAttributes(batch), ...key(`RUN#${batch.runId}`, `${BATCH_SORT_PREFIX}${batch.batchId}`) };
}

export function lastBatchItemKey(model: string): Item {
  return key(`LAST_BATCH#${model}`, LAST_BATCH_SORT_KEY);
}

/** The per-model "last batch" item: the same record under the model's key. */
export function encodeLastBatch(batch: BatchRecord): Item {
  return { ...toAttributes(batch), ...lastBatchItemKey(batch.model) };
}

export function decodeBatch(item: Item): BatchRecord {
  return parseItem(batchSchema, item, 'batch');
}
