import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { SchedulerError } from '../../shared/src/errors';
import { createStateTableInput, STATE_TABLE_RUNS_INDEX } from './dynamodb-state-schema';

/**
 * Makes sure the state table exists with the expected keys and is ACTIVE: creates it (on-demand billing)
 * when missing, waits while it is being created, and refuses a table of the same name with other keys.
 * Safe to call from several processes at once.
 */
export async function ensureStateTable(
  client: DynamoDBClient,
  tableName: string,
  readyTimeoutSeconds: number,
): Promise<void> {
  const existing = await describeTable(client, tableName);
  if (existing) {
    assertTableShape(existing, tableName);
    if (existing.TableStatus === 'ACTIVE') return;
  } else {
    try {
      await client.send(new CreateTableCommand(createStateTableInput(tableName)));
    } catch (err) {
      // Another process created it between our describe and create: just wait for it below.
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
  // Short delays: DynamoDB Local is ACTIVE at once, AWS takes a few seconds (the SDK default is 20 s).
  await waitUntilTableExists(
    { client, maxWaitTime: readyTimeoutSeconds, minDelay: 1, maxDelay: 5 },
    { TableName: tableName },
  );
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

const describeKeys = (schema: readonly KeySchemaElement[] | undefined): string =>
  (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');

/** Writing our items into a table with other keys would fail or corrupt it, so refuse it up front. */
function assertTableShape(table: TableDescription, tableName: string): void {
  const want = createStateTableInput(tableName);
  const wantKeys = describeKeys(want.KeySchema);
  const wantIndexKeys = describeKeys(want.GlobalSecondaryIndexes?.[0]?.KeySchema);
  const indexes = table.GlobalSecondaryIndexes ?? [];
  const hasIndex = indexes.some(
    (i) => i.IndexName === STATE_TABLE_RUNS_INDEX && describeKeys(i.KeySchema) === wantIndexKeys,
  );
  if (describeKeys(table.KeySchema) !== wantKeys || !hasIndex) {
    throw new SchedulerError(
      `DynamoDB table '${tableName}' exists but is not a Meshcron state table: expected key ${wantKeys} and index '${STATE_TABLE_RUNS_INDEX}' (${wantIndexKeys}), found key ${describeKeys(table.KeySchema) || '(none)'} and indexes ${indexes.map((i) => i.IndexName).join(', ') || '(none)'}`,
    );
  }
}
