import { defaultDynamoDbClient, isConditionFailure } from './dynamodb-client';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IntervalConflictError } from '../../shared/src/errors';
import type { RangeClaim, RunBatchState, RunJobStore } from '../../shared/src/ports/run-job-store';
import { type IntervalKey, intervalKeyString } from '../../shared/src/ports/state-store';
import type { Interval } from '../../shared/src/schedule/interval';
import { assertValidInterval } from '../../shared/src/state/interval-ranges';
import {
  addRangeClaim,
  compareRangeClaims,
  isLiveRangeClaim,
  removeRangeClaim,
} from '../../shared/src/state/range-claim-rules';
import {
  assertValidRunBatchPlan,
  compareRunBatches,
  PENDING_PROGRESS,
  type RunBatchPlan,
  type RunBatchProgress,
  toRunBatchState,
  uniqueRunBatchPlans,
} from '../../shared/src/state/run-batch-rules';
import { BATCH_WRITE_MAX_ITEMS, batchPutAll } from './dynamodb-batch';
import { assertItemFits } from './dynamodb-item-size';
import { backoffMs, INTERVAL_WRITE_RETRY, type RetryPolicy, sleep } from './dynamodb-retry';
import {
  decodeRangeClaims,
  decodeRunJobItem,
  encodeRangeClaims,
  encodeRunBatchPlan,
  type Item,
  PROGRESS_ATTRIBUTES as A,
  RUN_JOB_SORT_PREFIX,
  rangeClaimsItemKey,
  runBatchPlanItemKey,
  runBatchProgressItemKey,
  runJobPartition,
  type StoredRangeClaims,
} from './dynamodb-run-job-items';
import { STATE_TABLE_PARTITION_KEY as PK, STATE_TABLE_SORT_KEY as SK } from './dynamodb-state-schema';

/** Options of {@link DynamoDbRunJobStore}. */
export interface DynamoDbRunJobStoreOptions {
  /** SDK client; omitted = one module-scope client shared by every store in the process (warm starts). */
  readonly client?: DynamoDBClient;
  /** A table created by DynamoDbStateStore.init() (or the CDK stack with the same keys). */
  readonly tableName: string;
  /** Retries of conflicting range-claim writes; defaults to {@link INTERVAL_WRITE_RETRY}. */
  readonly rangeWriteRetry?: RetryPolicy;
}


/** One conditional UpdateItem on a progress item; names and values hold exactly what the expressions use. */
interface ProgressUpdate {
  readonly update: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Item;
}

/**
 * BatchWriteItem requests of one putRunBatches in flight at once. Sequential requests would make 5,000
 * batches (200 requests) take 200 round trips; 8 lanes cut that to 25 while keeping at most 200 items in
 * flight, well within what an on-demand table absorbs (unprocessed items are retried per lane anyway).
 */
const BATCH_WRITE_LANES = 8;

/**
 * Deals `items` out to `lanes` lists, whole requests of `requestSize` at a time (request k goes to lane
 * k mod lanes), so every lane sends full requests and no two lanes hold the same item.
 */
function spreadOverLanes<T>(items: readonly T[], requestSize: number, lanes: number): T[][] {
  const out: T[][] = Array.from({ length: Math.min(lanes, Math.ceil(items.length / requestSize)) }, () => []);
  items.forEach((item, i) => out[Math.floor(i / requestSize) % out.length]?.push(item));
  return out;
}

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: String(value) });

/**
 * The {@link RunJobStore} on the state table (layout: dynamodb-state-schema.ts). Works on any table that
 * DynamoDbStateStore.init() created; it adds item types, never tables or indexes.
 *
 * Why each batch is two items: BatchWriteItem, the only way to store 5,000 batches in ~200 requests, cannot
 * be conditional, so a retried put would overwrite anything it touches. The put therefore writes only
 * immutable plan items (rewriting one is harmless), and all progress lives in a separate item that only
 * conditional UpdateItems create and change. Every claim, renewal, release and finish is ONE such update
 * whose condition is the guard of the matching function in run-batch-rules.ts; a claim or skip first checks
 * with a consistent read that the batch was planned, which cannot go stale because plans never disappear.
 *
 * Range claims are one item per physical table with a claim list and a revision: read, apply
 * range-claim-rules.ts, put conditionally on the revision. The failed put returns the current item, so a
 * retry starts from fresh state; a conflict always means another writer succeeded, so N racing writers
 * settle within N attempts, and the losers of an overlapping race see the winner and return false.
 *
 * @example
 * const jobs = new DynamoDbRunJobStore({ tableName: requireEnv('STATE_TABLE') });
 * const mine = await jobs.claimRunBatch(runId, batchId, workerId, nowMs + 15 * 60_000, nowMs);
 */
export class DynamoDbRunJobStore implements RunJobStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly rangeWriteRetry: RetryPolicy;

  constructor(options: DynamoDbRunJobStoreOptions) {
    this.client = options.client ?? defaultDynamoDbClient();
    this.tableName = options.tableName;
    this.rangeWriteRetry = options.rangeWriteRetry ?? INTERVAL_WRITE_RETRY;
  }

  async putRunBatches(runId: string, batches: readonly RunBatchPlan[]): Promise<void> {
    for (const plan of batches) assertValidRunBatchPlan(runId, plan);
    const items = uniqueRunBatchPlans(batches).map((plan) => {
      const item = encodeRunBatchPlan(runId, plan);
      const what = `batch '${plan.batchId}' of run '${runId}'`;
      assertItemFits(item, what, 'it depends on too many batches; plan coarser batches');
      return item;
    });
    await Promise.all(
      spreadOverLanes(items, BATCH_WRITE_MAX_ITEMS, BATCH_WRITE_LANES).map((lane) =>
        batchPutAll(this.client, this.tableName, lane),
      ),
    );
  }

  async listRunBatches(runId: string): Promise<RunBatchState[]> {
    const plans: RunBatchPlan[] = [];
    const progress = new Map<string, RunBatchProgress>();
    for (const item of await this.queryRunJobItems(runId)) {
      const decoded = decodeRunJobItem(item);
      if (decoded.kind === 'plan') plans.push(decoded.plan);
      else progress.set(decoded.batchId, decoded.progress);
    }
    return plans
      .map((plan) => toRunBatchState(runId, plan, progress.get(plan.batchId) ?? PENDING_PROGRESS))
      .sort(compareRunBatches);
  }

  async claimRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean> {
    if (!(await this.isPlanned(runId, batchId))) return false;
    // Mirrors claimRunBatchProgress: no progress item yet (never touched) counts as pending.
    return this.updateProgress(runId, batchId, {
      update:
        'SET #status = :running, #owner = :owner, #leaseUntil = :lease, #runId = :runId, #batchId = :batchId, ' +
        '#attempts = if_not_exists(#attempts, :zero) + :one',
      condition: 'attribute_not_exists(#pk) OR #status = :pending OR (#status = :running AND #leaseUntil <= :now)',
      names: {
        '#pk': PK,
        '#status': A.status,
        '#owner': A.owner,
        '#leaseUntil': A.leaseUntil,
        '#runId': A.runId,
        '#batchId': A.batchId,
        '#attempts': A.attempts,
      },
      values: {
        ':running': S('running'),
        ':pending': S('pending'),
        ':owner': S(owner),
        ':lease': N(leaseUntilMs),
        ':now': N(nowMs),
        ':runId': S(runId),
        ':batchId': S(batchId),
        ':zero': N(0),
        ':one': N(1),
      },
    });
  }

  async renewRunBatch(runId: string, batchId: string, owner: string, leaseUntilMs: number): Promise<boolean> {
    return this.updateProgress(
      runId,
      batchId,
      whileHeldBy(owner, 'SET #leaseUntil = :lease', { '#leaseUntil': A.leaseUntil }, { ':lease': N(leaseUntilMs) }),
    );
  }

  async releaseRunBatch(runId: string, batchId: string, owner: string): Promise<boolean> {
    return this.updateProgress(
      runId,
      batchId,
      whileHeldBy(
        owner,
        'SET #status = :pending REMOVE #owner, #leaseUntil',
        { '#leaseUntil': A.leaseUntil },
        { ':pending': S('pending') },
      ),
    );
  }

  async finishRunBatch(
    runId: string,
    batchId: string,
    owner: string,
    status: 'succeeded' | 'failed' | 'skipped',
    reason: string,
  ): Promise<boolean> {
    if (status !== 'skipped') {
      // The owner stays on the item as the worker that ran the batch; only the lease ends.
      return this.updateProgress(
        runId,
        batchId,
        whileHeldBy(
          owner,
          'SET #status = :finished, #reason = :reason REMOVE #leaseUntil',
          { '#reason': A.reason, '#leaseUntil': A.leaseUntil },
          { ':finished': S(status), ':reason': S(reason) },
        ),
      );
    }
    if (!(await this.isPlanned(runId, batchId))) return false;
    // Mirrors finishRunBatchProgress for `skipped`: only from pending (or never touched), by anyone.
    return this.updateProgress(runId, batchId, {
      update:
        'SET #status = :skipped, #reason = :reason, #runId = :runId, #batchId = :batchId, ' +
        '#attempts = if_not_exists(#attempts, :zero)',
      condition: 'attribute_not_exists(#pk) OR #status = :pending',
      names: {
        '#pk': PK,
        '#status': A.status,
        '#reason': A.reason,
        '#runId': A.runId,
        '#batchId': A.batchId,
        '#attempts': A.attempts,
      },
      values: {
        ':skipped': S('skipped'),
        ':pending': S('pending'),
        ':reason': S(reason),
        ':runId': S(runId),
        ':batchId': S(batchId),
        ':zero': N(0),
      },
    });
  }

  async claimRange(key: IntervalKey, interval: Interval, owner: string, leaseUntilMs: number, nowMs: number): Promise<boolean> {
    assertValidInterval(interval, intervalKeyString(key));
    const claim: RangeClaim = { owner, interval: [interval[0], interval[1]], leaseUntil: leaseUntilMs };
    return this.updateRangeClaims(key, (claims) => addRangeClaim(claims, claim, nowMs));
  }

  async releaseRange(key: IntervalKey, interval: Interval, owner: string): Promise<void> {
    assertValidInterval(interval, intervalKeyString(key));
    await this.updateRangeClaims(key, (claims) => removeRangeClaim(claims, interval, owner));
  }

  async listRangeClaims(key: IntervalKey, nowMs: number): Promise<RangeClaim[]> {
    const item = await this.getItem(rangeClaimsItemKey(key));
    const claims = item ? decodeRangeClaims(item).claims : [];
    return claims.filter((c) => isLiveRangeClaim(c, nowMs)).sort(compareRangeClaims);
  }

  /** Runs one conditional UpdateItem; false when its condition fails, any other error propagates. */
  private async updateProgress(runId: string, batchId: string, change: ProgressUpdate): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: runBatchProgressItemKey(runId, batchId),
          UpdateExpression: change.update,
          ConditionExpression: change.condition,
          ExpressionAttributeNames: change.names,
          ExpressionAttributeValues: change.values,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Read-modify-write of one range-claim item, conditional on its revision. `change` returns the new claim
   * list, or undefined to write nothing (claim refused, or nothing to release); the result says whether a
   * write happened. Timeline of a race: A and B read rev 3; B puts rev 4; A's put fails and receives rev 4,
   * so A re-applies its change to B's claims: an overlapping A now gets undefined and returns false.
   */
  private async updateRangeClaims(
    key: IntervalKey,
    change: (claims: readonly RangeClaim[]) => RangeClaim[] | undefined,
  ): Promise<boolean> {
    const item = await this.getItem(rangeClaimsItemKey(key));
    let current: StoredRangeClaims | undefined = item && decodeRangeClaims(item);
    const policy = this.rangeWriteRetry;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const claims = change(current?.claims ?? []);
      if (!claims) return false;
      const next = encodeRangeClaims(key, { claims, revision: (current?.revision ?? 0) + 1 });
      assertItemFits(next, `range claims of ${intervalKeyString(key)}`, 'too many live claims; release finished ranges');
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: next,
            ...revisionCondition(current?.revision),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return true;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        current = err.Item ? decodeRangeClaims(err.Item) : undefined;
        if (attempt < policy.maxAttempts) await sleep(backoffMs(policy, attempt));
      }
    }
    throw new IntervalConflictError(
      `could not update range claims of ${intervalKeyString(key)}: ${policy.maxAttempts} conditional writes in a row lost to concurrent writers; retry the claim`,
    );
  }

  private async isPlanned(runId: string, batchId: string): Promise<boolean> {
    return (await this.getItem(runBatchPlanItemKey(runId, batchId), PK)) !== undefined;
  }

  private async getItem(key: Item, projection?: string): Promise<Item | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: true,
        ...(projection && { ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': projection } }),
      }),
    );
    return out.Item;
  }

  /** Both item kinds of a run's batches, following LastEvaluatedKey across 1 MB pages. */
  private async queryRunJobItems(runId: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': runJobPartition(runId), ':prefix': S(RUN_JOB_SORT_PREFIX) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

/**
 * `update` guarded like isHeldBy in run-batch-rules.ts: the batch is running and `owner` made the latest
 * claim. A missing progress item fails the condition too, so no item is ever created here. `update` may use
 * `#status` and `#owner`; `names`/`values` add whatever else it refers to.
 */
function whileHeldBy(owner: string, update: string, names: Record<string, string>, values: Item): ProgressUpdate {
  return {
    update,
    condition: '#status = :running AND #owner = :owner',
    names: { ...names, '#status': A.status, '#owner': A.owner },
    values: { ...values, ':running': S('running'), ':owner': S(owner) },
  };
}

/** Condition that the item is new (`undefined`) or still at `revision`. */
function revisionCondition(revision: number | undefined): {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Item;
} {
  if (revision === undefined) {
    return { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
  }
  return {
    ConditionExpression: '#revision = :revision',
    ExpressionAttributeNames: { '#revision': 'revision' },
    ExpressionAttributeValues: { ':revision': N(revision) },
  };
}
