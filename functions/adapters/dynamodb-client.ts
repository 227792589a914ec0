import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';

let defaultClient: DynamoDBClient | undefined;

/**
 * The module-scope client every DynamoDB adapter shares when none is passed in, created on first use, so
 * importing an adapter has no side effects and a warm Lambda reuses one connection pool.
 */
export function defaultDynamoDbClient(): DynamoDBClient {
  defaultClient ??= new DynamoDBClient({});
  return defaultClient;
}

/** True for a failed condition, also when the error crossed a realm boundary and lost its class. */
export const isConditionFailure = (err: unknown): err is ConditionalCheckFailedException =>
  err instanceof ConditionalCheckFailedException ||
  (err instanceof Error && err.name === 'ConditionalCheckFailedException');
