import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Key schema of the Meshcron state table, shared by DynamoDbStateStore.init() and the CDK stack so both
 * create the same table. Type-only imports here: infra code can read the constants without the SDK.
 *
 * Single-table layout (all keys are strings):
 *
 * | entity        | pk                     | sk                  | gsi1pk               | gsi1sk                          |
 * |---------------|------------------------|---------------------|----------------------|---------------------------------|
 * | snapshot      | `SNAPSHOT#<name>`      | `<identifier>`      |                      |                                 |
 * | environment   | `ENVIRONMENTS`         | `<env name>`        |                      |                                 |
 * | intervals     | `INTERVALS#<name>`     | `<version>`         |                      |                                 |
 * | run           | `RUN#<runId>`          | `RUN`               | `RUNS#<environment>` | `<startedTs, 15 digits>#<runId>` |
 * | batch         | `RUN#<runId>`          | `BATCH#<batchId>`   |                      |                                 |
 * | last batch    | `LAST_BATCH#<model>`   | `LAST_BATCH`        |                      |                                 |
 * | job plan      | `RUN#<runId>`          | `JOB#PLAN#<batchId>` |                     |                                 |
 * | job progress  | `RUN#<runId>`          | `JOB#PROGRESS#<batchId>` |                 |                                 |
 * | range claims  | `RANGE_CLAIMS#<name>`  | `<version>`         |                      |                                 |
 *
 * Why this shape:
 * - Environments share one partition so listEnvironments is one Query; there are only a handful.
 * - A run and its batches share a partition, so listBatches is one strongly consistent Query.
 * - Runs by environment need a second access path ordered by time: GSI `gsi1` (projection ALL). Zero-padded
 *   start times sort lexically in time order; the run id suffix makes ties stable and keys unique. GSI reads
 *   are eventually consistent on AWS: a run written a moment ago may be missing from listRuns briefly.
 * - Processed intervals are ONE item per physical table holding the merged ranges and a revision, so
 *   every add/remove is a conditional read-modify-write on that item (see DynamoDbStateStore).
 * - The last batch of each model is its own item, overwritten by newer batches only, so status displays
 *   read one item per model instead of scanning runs.
 * - Run jobs (DynamoDbRunJobStore) keep each planned batch as two items in the run's partition: an
 *   immutable plan, bulk-written with BatchWriteItem (which cannot be conditional, so a retried put may only
 *   rewrite what never changes), and a progress item that only conditional UpdateItems create and change.
 *   One Query on `JOB#` reads both kinds; the `BATCH#` records of finished batches stay separate.
 * - Range claims are ONE item per physical table holding the live claims and a revision, written with the
 *   same conditional read-modify-write as processed intervals.
 */

/** Partition key attribute of the state table. */
export const STATE_TABLE_PARTITION_KEY = 'pk';
/** Sort key attribute of the state table. */
export const STATE_TABLE_SORT_KEY = 'sk';
/** Global secondary index listing runs by environment, newest last in key order. */
export const STATE_TABLE_RUNS_INDEX = 'gsi1';
/** Partition key attribute of {@link STATE_TABLE_RUNS_INDEX}. */
export const STATE_TABLE_RUNS_INDEX_PARTITION_KEY = 'gsi1pk';
/** Sort key attribute of {@link STATE_TABLE_RUNS_INDEX}. */
export const STATE_TABLE_RUNS_INDEX_SORT_KEY = 'gsi1sk';

/**
 * The CreateTable request for a state table named `tableName`: on-demand billing, the keys and the GSI
 * above. The CDK stack must declare the same keys (`AttributeType.STRING` for all four attributes).
 */
export function createStateTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: STATE_TABLE_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: STATE_TABLE_SORT_KEY, AttributeType: 'S' },
      { AttributeName: STATE_TABLE_RUNS_INDEX_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: STATE_TABLE_RUNS_INDEX_SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: STATE_TABLE_PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: STATE_TABLE_SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: STATE_TABLE_RUNS_INDEX,
        KeySchema: [
          { AttributeName: STATE_TABLE_RUNS_INDEX_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: STATE_TABLE_RUNS_INDEX_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
