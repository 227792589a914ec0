import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { SchedulerError } from '../../shared/src/errors';
import { BATCH_RETRY, backoffMs, type RetryPolicy, sleep } from './dynamodb-retry';

/** BatchGetItem accepts at most 100 keys per request. */
export const BATCH_GET_MAX_KEYS = 100;
/** BatchWriteItem accepts at most 25 puts or deletes per request. */
export const BATCH_WRITE_MAX_ITEMS = 25;

type Item = Record<string, AttributeValue>;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Reads every key with BatchGetItem, in chunks of 100, re-requesting unprocessed keys with backoff.
 * Keys must be distinct (DynamoDB rejects a request with duplicates). Returns the items that exist.
 */
export async function batchGetAll(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Item[],
  policy: RetryPolicy = BATCH_RETRY,
): Promise<Item[]> {
  const found: Item[] = [];
  for (const keysChunk of chunk(keys, BATCH_GET_MAX_KEYS)) {
    let pending: KeysAndAttributes | undefined = { Keys: keysChunk, ConsistentRead: true };
    for (let attempt = 1; pending?.Keys?.length; attempt++) {
      if (attempt > policy.maxAttempts) {
        throw new SchedulerError(
          `DynamoDB table '${tableName}' left ${pending.Keys.length} key(s) unprocessed after ${policy.maxAttempts} BatchGetItem attempts; the table is throttled, retry later`,
        );
      }
      if (attempt > 1) await sleep(backoffMs(policy, attempt - 1));
      const out: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }));
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName];
    }
  }
  return found;
}

/**
 * Writes every item with BatchWriteItem, in chunks of 25, re-sending unprocessed items with backoff.
 * Items must have distinct keys. Batch writes are not conditional: use them only for idempotent upserts.
 */
export async function batchPutAll(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
  policy: RetryPolicy = BATCH_RETRY,
): Promise<void> {
  for (const itemsChunk of chunk(items, BATCH_WRITE_MAX_ITEMS)) {
    let pending: WriteRequest[] | undefined = itemsChunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending?.length; attempt++) {
      if (attempt > policy.maxAttempts) {
        throw new SchedulerError(
          `DynamoDB table '${tableName}' left ${pending.length} item(s) unwritten after ${policy.maxAttempts} BatchWriteItem attempts; the table is throttled, retry later`,
        );
      }
      if (attempt > 1) await sleep(backoffMs(policy, attempt - 1));
      const out: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName];
    }
  }
}
