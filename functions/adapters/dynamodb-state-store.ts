import { defaultDynamoDbClient, isConditionFailure } from './dynamodb-client';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { IntervalConflictError } from '../../shared/src/errors';
import { PauseConflictError } from '../../shared/src/pause/pause-conflict-error';
import {
  type BatchRecord,
  type EnvironmentRecord,
  type IntervalKey,
  intervalKeyString,
  type PauseRecord,
  type RunRecord,
  type SnapshotId,
  type SnapshotRecord,
  type StateStore,
} from '../../shared/src/ports/state-store';
import type { Interval } from '../../shared/src/schedule/interval';
import { addInterval, removeInterval } from '../../shared/src/schedule/intervals';
import { assertValidInterval, sameIntervals } from '../../shared/src/state/interval-ranges';
import {
  environmentConflictMessage,
  nextEnvironmentRevision,
  snapshotKey,
} from '../../shared/src/state/state-rules';
import { batchGetAll, batchPutAll } from './dynamodb-batch';
import { decodePause, encodePause, pauseItemKey, pausesPartition } from './dynamodb-pause-items';
import { assertItemFits } from './dynamodb-item-size';
import { backoffMs, INTERVAL_WRITE_RETRY, type RetryPolicy, sleep } from './dynamodb-retry';
import {
  STATE_TABLE_PARTITION_KEY as PK,
  STATE_TABLE_RUNS_INDEX as RUNS_INDEX,
  STATE_TABLE_RUNS_INDEX_PARTITION_KEY as GSI1PK,
  STATE_TABLE_SORT_KEY as SK,
} from './dynamodb-state-schema';
import { ensureStateTable } from './dynamodb-state-table';
import {
  batchesOfRun,
  decodeBatch,
  decodeEnvironment,
  decodeIntervals,
  decodeRun,
  decodeSnapshot,
  encodeBatch,
  encodeEnvironment,
  encodeIntervals,
  encodeLastBatch,
  encodeRun,
  encodeSnapshot,
  environmentItemKey,
  environmentsPartition,
  intervalsItemKey,
  type Item,
  lastBatchItemKey,
  runItemKey,
  runsByEnvironmentPartition,
  type StoredIntervals,
  snapshotItemKey,
} from './dynamodb-state-items';

/** Options of {@link DynamoDbStateStore}. */
export interface DynamoDbStateStoreOptions {
  /** SDK client; omitted = one module-scope client shared by every store in the process (warm starts). */
  readonly client?: DynamoDBClient;
  readonly tableName: string;
  /** Retries of conflicting interval writes; defaults to {@link INTERVAL_WRITE_RETRY}. */
  readonly intervalWriteRetry?: RetryPolicy;
  /** Longest wait for a new table to become ACTIVE in init(). */
  readonly tableReadyTimeoutSeconds?: number;
}


/**
 * The {@link StateStore} on one DynamoDB table (layout and keys: dynamodb-state-schema.ts).
 *
 * Correctness under concurrency rests on conditional writes:
 * - Processed intervals are one item per physical table with a `revision`. add/remove read the item, compute
 *   the new ranges with the shared range rules, and put it back only if `revision` is unchanged. On
 *   ConditionalCheckFailedException the failed put returns the current item (ReturnValuesOnConditionCheck-
 *   Failure), so the retry starts from fresh state without another read. A conflict always means another
 *   writer succeeded, so no interval is ever lost; a writer that loses `maxAttempts` times in a row gives
 *   up with IntervalConflictError rather than spin.
 * - Environments are put conditionally on their revision (IntervalConflictError on mismatch).
 * - The per-model last batch is replaced only by a batch that finished at the same time or later.
 *
 * @example
 * const store = new DynamoDbStateStore({ tableName: requireEnv('STATE_TABLE') });
 * await store.addInterval({ name: 'db.events', version: '1234' }, [start, end]);
 */
export class DynamoDbStateStore implements StateStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly intervalWriteRetry: RetryPolicy;
  private readonly tableReadyTimeoutSeconds: number;
  /** Processed-interval items by `name@version` as last read or written here (null: known not to exist). */
  private readonly lastSeenIntervals = new Map<string, StoredIntervals | null>();

  constructor(options: DynamoDbStateStoreOptions) {
    this.client = options.client ?? defaultDynamoDbClient();
    this.tableName = options.tableName;
    this.intervalWriteRetry = options.intervalWriteRetry ?? INTERVAL_WRITE_RETRY;
    this.tableReadyTimeoutSeconds = options.tableReadyTimeoutSeconds ?? 300;
  }

  /** Creates the table (on-demand billing) if it is missing and waits until it is ACTIVE. */
  async init(): Promise<void> {
    await ensureStateTable(this.client, this.tableName, this.tableReadyTimeoutSeconds);
  }

  async putSnapshots(snapshots: readonly SnapshotRecord[]): Promise<void> {
    // BatchWriteItem rejects a request holding one key twice; the last record of a key wins, as with puts.
    const byKey = new Map(snapshots.map((s) => [snapshotKey(s), s]));
    const items = await Promise.all(
      [...byKey.values()].map(async (snapshot) => {
        const item = await encodeSnapshot(snapshot);
        assertItemFits(
          item,
          `snapshot '${snapshot.name}' (identifier ${snapshot.identifier})`,
          'the model definition is too big even after gzip: shorten its query or split the model',
        );
        return item;
      }),
    );
    await batchPutAll(this.client, this.tableName, items);
  }

  async getSnapshots(ids: readonly SnapshotId[]): Promise<SnapshotRecord[]> {
    const byKey = new Map(ids.map((id) => [snapshotKey(id), id]));
    const items = await batchGetAll(this.client, this.tableName, [...byKey.values()].map(snapshotItemKey));
    return Promise.all(items.map(decodeSnapshot));
  }

  async getEnvironment(name: string): Promise<EnvironmentRecord | undefined> {
    const item = await this.getItem(environmentItemKey(name));
    return item && decodeEnvironment(item);
  }

  async listEnvironments(): Promise<EnvironmentRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': environmentsPartition() },
      ConsistentRead: true,
    });
    return items.map(decodeEnvironment);
  }

  async putEnvironment(
    env: Omit<EnvironmentRecord, 'revision'>,
    expectedRevision: number | undefined,
  ): Promise<EnvironmentRecord> {
    const record: EnvironmentRecord = { ...env, revision: nextEnvironmentRevision(expectedRevision) };
    const item = encodeEnvironment(record);
    assertItemFits(item, `environment '${env.name}'`, 'it lists too many snapshots');
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ...this.revisionCondition(expectedRevision),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const found = err.Item ? decodeEnvironment(err.Item).revision : undefined;
      throw new IntervalConflictError(environmentConflictMessage(env.name, expectedRevision, found), {
        cause: err,
      });
    }
    return record;
  }

  async getIntervals(keys: readonly IntervalKey[]): Promise<Map<string, Interval[]>> {
    const result = new Map<string, Interval[]>();
    const unique = new Map<string, IntervalKey>();
    for (const k of keys) {
      result.set(intervalKeyString(k), []);
      unique.set(intervalKeyString(k), k);
    }
    const items = await batchGetAll(this.client, this.tableName, [...unique.values()].map(intervalsItemKey));
    for (const item of items) {
      const name = item.name?.S;
      const version = item.version?.S;
      if (name === undefined || version === undefined) continue;
      const stored = decodeIntervals(item);
      result.set(intervalKeyString({ name, version }), stored.ranges);
      this.lastSeenIntervals.set(intervalKeyString({ name, version }), stored);
    }
    return result;
  }

  async addInterval(key: IntervalKey, interval: Interval): Promise<void> {
    assertValidInterval(interval, intervalKeyString(key));
    await this.updateIntervals(key, (ranges) => addInterval(ranges, interval));
  }

  async removeInterval(key: IntervalKey, interval: Interval): Promise<void> {
    assertValidInterval(interval, intervalKeyString(key));
    await this.updateIntervals(key, (ranges) => removeInterval(ranges, interval));
  }

  async putRun(run: RunRecord): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: encodeRun(run) }));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const item = await this.getItem(runItemKey(runId));
    return item && decodeRun(item);
  }

  async listRuns(environment: string, limit: number): Promise<RunRecord[]> {
    if (limit <= 0) return [];
    const items = await this.queryAll(
      {
        IndexName: RUNS_INDEX,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1PK },
        ExpressionAttributeValues: { ':pk': runsByEnvironmentPartition(environment) },
        ScanIndexForward: false,
        Limit: limit,
      },
      limit,
    );
    return items.map(decodeRun);
  }

  async putBatch(batch: BatchRecord): Promise<void> {
    await Promise.all([
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: encodeBatch(batch) })),
      this.putLastBatch(batch),
    ]);
  }

  async listBatches(runId: string): Promise<BatchRecord[]> {
    const { pk, skPrefix } = batchesOfRun(runId);
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
    return items.map(decodeBatch);
  }

  async lastBatches(models: readonly string[]): Promise<Map<string, BatchRecord>> {
    const keys = [...new Set(models)].map(lastBatchItemKey);
    const items = await batchGetAll(this.client, this.tableName, keys);
    const result = new Map<string, BatchRecord>();
    for (const item of items) {
      const batch = decodeBatch(item);
      result.set(batch.model, batch);
    }
    return result;
  }

  async putPause(pause: PauseRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: encodePause(pause),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      throw new PauseConflictError(pause.environment, pause.pauseId, err.Item ? decodePause(err.Item) : undefined, { cause: err });
    }
  }

  async listPauses(environment: string): Promise<PauseRecord[]> {
    // Sort keys are the pause ids, so the query already returns them in id order.
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': pausesPartition(environment) },
      ConsistentRead: true,
    });
    return items.map(decodePause);
  }

  async deletePause(environment: string, pauseId: string): Promise<PauseRecord | undefined> {
    const out = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: pauseItemKey(environment, pauseId), ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes ? decodePause(out.Attributes) : undefined;
  }

  /**
   * Read-modify-write of one interval item, conditional on its revision. Timeline of a conflict:
   * A reads rev 3, B reads rev 3, B puts rev 4, A's put (expects 3) fails and receives rev 4's ranges,
   * A re-applies its change to them and puts rev 5 (expects 4). B's interval survives in rev 5.
   */
  private async updateIntervals(key: IntervalKey, change: (ranges: readonly Interval[]) => Interval[]): Promise<void> {
    const where = intervalKeyString(key);
    // The item as this process last read or wrote it saves a read per batch in the usual case of one writer
    // per model; the conditional write below still guards against anyone else having written since.
    const cached = this.lastSeenIntervals.get(where);
    let fromCache = cached !== undefined;
    let current: StoredIntervals | undefined;
    if (cached !== undefined) current = cached ?? undefined;
    else {
      const item = await this.getItem(intervalsItemKey(key));
      current = item && decodeIntervals(item);
    }
    const policy = this.intervalWriteRetry;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const before = current?.ranges ?? [];
      const after = change(before);
      // Nothing to write: the change is already reflected in the state we last saw.
      if (sameIntervals(before, after)) return;
      const next = encodeIntervals(key, { ranges: after, revision: (current?.revision ?? 0) + 1 });
      assertItemFits(next, `processed intervals of ${where}`, 'too many disjoint ranges; fill the gaps or restate');
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: next,
            ...this.revisionCondition(current?.revision),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        this.lastSeenIntervals.set(where, { ranges: after, revision: (current?.revision ?? 0) + 1 });
        return;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        current = err.Item ? decodeIntervals(err.Item) : undefined;
        this.lastSeenIntervals.set(where, current ?? null);
        // A stale cache is not contention: retry at once with the state the failed write returned.
        if (fromCache) {
          fromCache = false;
          attempt -= 1;
          continue;
        }
        if (attempt < policy.maxAttempts) await sleep(backoffMs(policy, attempt));
      }
    }
    throw new IntervalConflictError(
      `could not update processed intervals of ${where}: ${policy.maxAttempts} conditional writes in a row lost to concurrent writers; retry the batch`,
    );
  }

  /** Condition that the item is new (`undefined`) or still at `revision`. */
  private revisionCondition(revision: number | undefined): {
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
      ExpressionAttributeValues: { ':revision': { N: String(revision) } },
    };
  }

  /** Replaces the model's last batch unless the stored one finished later (see isNewerBatch). */
  private async putLastBatch(batch: BatchRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: encodeLastBatch(batch),
          ConditionExpression: 'attribute_not_exists(#pk) OR #finishedTs <= :finishedTs',
          ExpressionAttributeNames: { '#pk': PK, '#finishedTs': 'finishedTs' },
          ExpressionAttributeValues: { ':finishedTs': { N: String(batch.finishedTs) } },
        }),
      );
    } catch (err) {
      // A newer batch of this model is already recorded; this one stays visible through listBatches.
      if (!isConditionFailure(err)) throw err;
    }
  }

  private async getItem(key: Item): Promise<Item | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  /** Runs a query to the end (or until `max` items), following LastEvaluatedKey across 1 MB pages. */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, max = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out: QueryCommandOutput = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < max);
    return items.slice(0, max);
  }
}
