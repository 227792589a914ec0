import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createLocalDynamoDbClient,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../functions/adapters/dynamodb-local';

/** Handle on the DynamoDB Local of one test file. */
export interface DynamoDbLocalFixture {
  /** A client of the running instance (valid between beforeAll and afterAll). */
  client(): DynamoDBClient;
  endpoint(): string;
  /** A table name no other test in this run uses. */
  freshTableName(prefix?: string): string;
}

/**
 * Starts one in-memory DynamoDB Local for the calling test file (beforeAll) and stops it, with its JVM,
 * afterwards (afterAll). Tests isolate themselves by using a fresh table each.
 */
export function useDynamoDbLocal(): DynamoDbLocalFixture {
  let local: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;

  beforeAll(async () => {
    local = await startDynamoDbLocal({});
    client = createLocalDynamoDbClient(local.endpoint);
  }, 30_000);

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  return {
    client: () => {
      if (!client) throw new Error('DynamoDB Local is not running: call client() inside a test or hook');
      return client;
    },
    endpoint: () => {
      if (!local) throw new Error('DynamoDB Local is not running: call endpoint() inside a test or hook');
      return local.endpoint;
    },
    freshTableName: (prefix = 'state') => `${prefix}-${randomUUID()}`,
  };
}
