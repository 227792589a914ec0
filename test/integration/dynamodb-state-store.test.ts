import {
  type BatchGetItemCommandInput,
  type BatchWriteItemCommandInput,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient } from '../../functions/adapters/dynamodb-local';
import {
  createStateTableInput,
  STATE_TABLE_PARTITION_KEY,
  STATE_TABLE_RUNS_INDEX,
  STATE_TABLE_SORT_KEY,
} from '../../functions/adapters/dynamodb-state-schema';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { IntervalConflictError, SchedulerError } from '../../shared/src/errors';
import type { SnapshotRecord } from '../../shared/src/ports/state-store';
import { useDynamoDbLocal } from '../support/dynamodb-local';

/**
 * What the contract suite cannot see: the table and item layout, size limits, retries of unprocessed
 * batch items and of conflicting interval writes, and damaged items.
 */

const dynamo = useDynamoDbLocal();
const T0 = Date.UTC(2024, 0, 1);

function snapshot(name: string, identifier: string, modelJson: string): SnapshotRecord {
  return {
    name,
    identifier,
    version: 'v1',
    fingerprint: { dataHash: 'd', metadataHash: 'm', parentDataHash: 'pd', parentMetadataHash: 'pm' },
    parents: [],
    physicalTable: `sqlmesh__db.db__${identifier}`,
    modelJson,
    createdTs: T0,
  };
}

async function newStore(client: DynamoDBClient = dynamo.client(), tableName = dynamo.freshTableName()) {
  const store = new DynamoDbStateStore({
    client,
    tableName,
    intervalWriteRetry: { maxAttempts: 3, baseMs: 1, capMs: 2 },
  });
  await store.init();
  return { store, tableName };
}

type Interceptor = (commandName: string, input: unknown) => unknown;

/** A client of the same DynamoDB Local whose commands pass through `intercept` first; a non-undefined result replaces the call. */
function interceptingClient(intercept: Interceptor): DynamoDBClient {
  const client = createLocalDynamoDbClient(dynamo.endpoint());
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const replaced = intercept(context.commandName ?? '', args.input);
      if (replaced !== undefined) return { output: replaced as never, response: {} };
      return next(args);
    },
    { step: 'initialize', name: 'testInterceptor' },
  );
  return client;
}

describe('DynamoDbStateStore on DynamoDB Local', () => {
  it('creates the table with the exported key schema and on-demand billing, once', async () => {
    // Arrange
    const tableName = dynamo.freshTableName();
    const store = new DynamoDbStateStore({ client: dynamo.client(), tableName });

    // Act
    await store.init();
    await store.init();
    const { Table } = await dynamo.client().send(new DescribeTableCommand({ TableName: tableName }));

    // Assert
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: STATE_TABLE_PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: STATE_TABLE_SORT_KEY, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType])).toEqual(
      createStateTableInput(tableName).GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, 'ALL']),
    );
  });

  it('refuses an existing table with other keys', async () => {
    const tableName = dynamo.freshTableName('foreign');
    await dynamo.client().send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const store = new DynamoDbStateStore({ client: dynamo.client(), tableName });
    await expect(store.init()).rejects.toThrow(
      `DynamoDB table '${tableName}' exists but is not a Meshcron state table: expected key pk:HASH,sk:RANGE and index '${STATE_TABLE_RUNS_INDEX}' (gsi1pk:HASH,gsi1sk:RANGE), found key id:HASH and indexes (none)`,
    );
  });

  it('stores modelJson gzipped, so a 1 MB model definition fits in one item', async () => {
    // Arrange: repetitive SQL, as generated models are.
    const modelJson = JSON.stringify({ query: `SELECT ${'col_a + col_b AS total, '.repeat(45_000)}1` });
    const { store, tableName } = await newStore();

    // Act
    await store.putSnapshots([snapshot('db.wide', '1', modelJson)]);
    const raw = await dynamo.client().send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'SNAPSHOT#db.wide' }, sk: { S: '1' } } }),
    );
    const [got] = await store.getSnapshots([{ name: 'db.wide', identifier: '1' }]);

    // Assert
    expect(modelJson.length).toBeGreaterThan(1_000_000);
    expect(raw.Item?.modelJson).toBeUndefined();
    expect(raw.Item?.modelJsonGzip?.B?.byteLength).toBeLessThan(50_000);
    expect(got?.modelJson).toBe(modelJson);
  });

  it('rejects a snapshot over the 400 KB item limit with a clear error and writes none of the batch', async () => {
    // Arrange: random base64 barely compresses, so 800 KB of it stays ~600 KB after gzip.
    const incompressible = Buffer.from(Array.from({ length: 600_000 }, () => Math.floor(Math.random() * 256))).toString('base64');
    const { store } = await newStore();

    // Act
    const put = store.putSnapshots([snapshot('db.ok', '1', '{}'), snapshot('db.huge', '2', incompressible)]);

    // Assert
    await expect(put).rejects.toThrow(SchedulerError);
    await expect(put).rejects.toThrow(
      /^snapshot 'db\.huge' \(identifier 2\) is too large to store in DynamoDB: \d+ bytes, the item limit is 409600 bytes \(400 KB\); the model definition is too big even after gzip: shorten its query or split the model$/,
    );
    expect(await store.getSnapshots([{ name: 'db.ok', identifier: '1' }])).toEqual([]);
  });

  it('keeps one item per physical table holding the merged ranges and a revision', async () => {
    // Arrange
    const { store, tableName } = await newStore();
    const key = { name: 'db.events', version: 'v1' };

    // Act
    await store.addInterval(key, [0, 10]);
    await store.addInterval(key, [10, 20]);
    await store.addInterval(key, [30, 40]);
    await store.addInterval(key, [5, 15]); // already covered: no write
    await store.removeInterval(key, [50, 60]); // nothing to remove: no write
    const raw = await dynamo.client().send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'INTERVALS#db.events' }, sk: { S: 'v1' } } }),
    );

    // Assert
    expect(raw.Item?.ranges).toEqual({
      L: [{ L: [{ N: '0' }, { N: '20' }] }, { L: [{ N: '30' }, { N: '40' }] }],
    });
    expect(raw.Item?.revision).toEqual({ N: '3' });
  });

  it('re-sends items and keys that DynamoDB left unprocessed', async () => {
    // Arrange: the first BatchWriteItem and the first BatchGetItem "process" nothing.
    const calls: string[] = [];
    const seen = new Set<string>();
    const client = interceptingClient((name, input) => {
      if (name !== 'BatchWriteItemCommand' && name !== 'BatchGetItemCommand') return undefined;
      calls.push(name);
      if (seen.has(name)) return undefined;
      seen.add(name);
      if (name === 'BatchWriteItemCommand') {
        return { $metadata: {}, UnprocessedItems: (input as BatchWriteItemCommandInput).RequestItems };
      }
      return { $metadata: {}, Responses: {}, UnprocessedKeys: (input as BatchGetItemCommandInput).RequestItems };
    });
    const { store } = await newStore(client);

    // Act
    await store.putSnapshots([snapshot('db.a', '1', '{"a":1}'), snapshot('db.b', '2', '{"b":2}')]);
    const got = await store.getSnapshots([
      { name: 'db.a', identifier: '1' },
      { name: 'db.b', identifier: '2' },
    ]);
    client.destroy();

    // Assert
    expect(calls).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(got.map((s) => s.modelJson).sort()).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('gives up on an interval write after the configured attempts with IntervalConflictError', async () => {
    // Arrange: every conditional put of the interval item loses to an imagined concurrent writer.
    let attempts = 0;
    const client = interceptingClient((name, input) => {
      const item = name === 'PutItemCommand' ? (input as { Item?: Record<string, { S?: string }> }).Item : undefined;
      if (!item?.pk?.S?.startsWith('INTERVALS#')) return undefined;
      attempts++;
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    });
    const { store } = await newStore(client);

    // Act
    const add = store.addInterval({ name: 'db.events', version: 'v1' }, [0, 10]);

    // Assert
    await expect(add).rejects.toThrow(IntervalConflictError);
    await expect(add).rejects.toThrow(
      'could not update processed intervals of db.events@v1: 3 conditional writes in a row lost to concurrent writers; retry the batch',
    );
    expect(attempts).toBe(3);
    client.destroy();
  });

  it('names the item and the bad field when a stored item is damaged', async () => {
    const { store, tableName } = await newStore();
    await dynamo.client().send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'ENVIRONMENTS' },
          sk: { S: 'prod' },
          name: { S: 'prod' },
          snapshots: { L: [] },
          planId: { S: 'p1' },
          createdTs: { N: '1' },
          updatedTs: { N: '1' },
          revision: { S: 'one' },
        },
      }),
    );
    await expect(store.getEnvironment('prod')).rejects.toThrow(
      /^state table item ENVIRONMENTS \/ prod is not a valid environment: revision: Invalid input: expected number, received string$/,
    );
  });

  it('rejects a run whose start time cannot be ordered', async () => {
    const { store } = await newStore();
    await expect(
      store.putRun({ runId: 'r1', kind: 'run', environment: 'prod', status: 'running', executionTs: 0, startedTs: -5 }),
    ).rejects.toThrow(
      "run 'r1' has startedTs -5; expected a non-negative integer epoch-ms time of at most 15 digits",
    );
  });

  it('uses a shared default client when none is given, without needing AWS settings to construct', () => {
    expect(() => new DynamoDbStateStore({ tableName: 'any' })).not.toThrow();
  });
});
