import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';
import type { RangeClaim } from '../../shared/src/ports/run-job-store';
import type { IntervalKey } from '../../shared/src/ports/state-store';
import type { RunBatchPlan, RunBatchProgress } from '../../shared/src/state/run-batch-rules';
import { STATE_TABLE_PARTITION_KEY as PK, STATE_TABLE_SORT_KEY as SK } from './dynamodb-state-schema';

/**
 * Maps run-job records to items of the state table and back (layout in dynamodb-state-schema.ts). Each
 * batch is two items: its plan, written once in bulk and never changed, and its progress, created by the
 * first claim or skip and changed only by conditional updates. Reads parse items with a schema, so a
 * damaged item fails loudly instead of flowing on as a wrong type.
 */

/** A DynamoDB item in wire form. */
export type Item = Record<string, AttributeValue>;

/** Sort-key prefix shared by both item kinds of a run job, so one Query reads a run's batches. */
export const RUN_JOB_SORT_PREFIX = 'JOB#';
const PLAN_SORT_PREFIX = `${RUN_JOB_SORT_PREFIX}PLAN#`;
const PROGRESS_SORT_PREFIX = `${RUN_JOB_SORT_PREFIX}PROGRESS#`;

/** Attribute names the store's update and condition expressions refer to. */
export const PROGRESS_ATTRIBUTES = {
  status: 'status',
  owner: 'owner',
  leaseUntil: 'leaseUntil',
  attempts: 'attempts',
  reason: 'reason',
  runId: 'runId',
  batchId: 'batchId',
} as const;

function key(pk: string, sk: string): Item {
  return { [PK]: { S: pk }, [SK]: { S: sk } };
}

function parseItem<T>(schema: z.ZodType<T>, item: Item, what: string): T {
  const result = schema.safeParse(unmarshall(item));
  if (result.success) return result.data;
  const where = `${item[PK]?.S ?? '?'} / ${item[SK]?.S ?? '?'}`;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
  throw new SchedulerError(`state table item ${where} is not a valid ${what}: ${problems}`);
}

const planSchema = z.object({
  runId: z.string(),
  batchId: z.string(),
  model: z.string(),
  version: z.string(),
  start: z.number(),
  end: z.number(),
  index: z.number(),
  dependsOn: z.array(z.string()),
});

const progressSchema = z.object({
  batchId: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  owner: z.string().optional(),
  leaseUntil: z.number().optional(),
  attempts: z.number(),
  reason: z.string().optional(),
});

const rangeClaimsSchema = z.object({
  claims: z.array(z.object({ owner: z.string(), start: z.number(), end: z.number(), leaseUntil: z.number() })),
  revision: z.number(),
});

// --- run batches ------------------------------------------------------------------------------------------

/** Partition of a run: the same one that holds the run record and its finished-batch records. */
export function runJobPartition(runId: string): AttributeValue {
  return { S: `RUN#${runId}` };
}

export function runBatchPlanItemKey(runId: string, batchId: string): Item {
  return key(`RUN#${runId}`, `${PLAN_SORT_PREFIX}${batchId}`);
}

export function runBatchProgressItemKey(runId: string, batchId: string): Item {
  return key(`RUN#${runId}`, `${PROGRESS_SORT_PREFIX}${batchId}`);
}

export function encodeRunBatchPlan(runId: string, plan: RunBatchPlan): Item {
  const { batchId, model, version, start, end, index, dependsOn } = plan;
  return {
    ...marshall({ runId, batchId, model, version, start, end, index, dependsOn: [...dependsOn] }),
    ...runBatchPlanItemKey(runId, batchId),
  };
}

/** One item of a run-job Query, told apart by its sort key. */
export type DecodedRunJobItem =
  | { readonly kind: 'plan'; readonly plan: RunBatchPlan }
  | { readonly kind: 'progress'; readonly batchId: string; readonly progress: RunBatchProgress };

export function decodeRunJobItem(item: Item): DecodedRunJobItem {
  const sk = item[SK]?.S ?? '';
  if (sk.startsWith(PLAN_SORT_PREFIX)) {
    return { kind: 'plan', plan: parseItem(planSchema, item, 'run batch plan') };
  }
  if (sk.startsWith(PROGRESS_SORT_PREFIX)) {
    const { batchId, ...progress } = parseItem(progressSchema, item, 'run batch progress');
    return { kind: 'progress', batchId, progress };
  }
  throw new SchedulerError(
    `state table item ${item[PK]?.S ?? '?'} / ${sk} is not a run-job item: expected a sort key starting with '${PLAN_SORT_PREFIX}' or '${PROGRESS_SORT_PREFIX}'`,
  );
}

// --- range claims -----------------------------------------------------------------------------------------

/** Range claims of one physical table as stored, with the revision guarding read-modify-write. */
export interface StoredRangeClaims {
  readonly claims: RangeClaim[];
  readonly revision: number;
}

export function rangeClaimsItemKey(k: IntervalKey): Item {
  return key(`RANGE_CLAIMS#${k.name}`, k.version);
}

export function encodeRangeClaims(k: IntervalKey, stored: StoredRangeClaims): Item {
  const claims = stored.claims.map((c) => ({
    owner: c.owner,
    start: c.interval[0],
    end: c.interval[1],
    leaseUntil: c.leaseUntil,
  }));
  return {
    ...marshall({ name: k.name, version: k.version, claims, revision: stored.revision }),
    ...rangeClaimsItemKey(k),
  };
}

export function decodeRangeClaims(item: Item): StoredRangeClaims {
  const { claims, revision } = parseItem(rangeClaimsSchema, item, 'range claim list');
  return {
    claims: claims.map((c) => ({ owner: c.owner, interval: [c.start, c.end], leaseUntil: c.leaseUntil })),
    revision,
  };
}
