import path from 'node:path';
import { Client } from 'pg';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { openPostgresWarehouse } from '../../functions/adapters/postgres-warehouse';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';
import { EXAMPLES_DIR, type ExpectedRun, expectedBatches, expectProdToMatch, loadExpectedRuns } from '../support/example-expectations';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';

/**
 * The checks of examples.test.ts (plan prod at the first execution time, a run right after does nothing,
 * a run a day later) with PostgreSQL as the warehouse instead of DuckDB, against the same expected.json.
 * Each example gets its own database on one private cluster; state lives in DynamoDB Local as there.
 */



let dynamo: DynamoDbLocal;
let cluster: PostgresCluster;
beforeAll(async () => {
  [dynamo, cluster] = await Promise.all([startDynamoDbLocal({}), startPostgresCluster()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([dynamo?.stop(), cluster?.stop()]);
});

/** A fresh database on the cluster, so the two examples cannot see each other's schemas. */
async function createDatabase(name: string): Promise<void> {
  const admin = new Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

describe.each(['quickstart', 'shop'])('example %s end to end on PostgreSQL', (example) => {
  const [first, second] = loadExpectedRuns(example) as [ExpectedRun, ExpectedRun];
  let stack: EmbeddedStack;

  beforeAll(async () => {
    const database = `example_${example}`;
    await createDatabase(database);
    stack = await EmbeddedStack.open(dynamo, path.join(EXAMPLES_DIR, example), () =>
      openPostgresWarehouse({ ...cluster, database, sslmode: 'disable' }),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function assertState(run: ExpectedRun): Promise<void> {
    await expectProdToMatch(stack, run);
    // Not checked on DuckDB by examples.test.ts; here it also proves the value conversion (DATE as text,
    // COUNT as a number) end to end.
    for (const [table, want] of Object.entries(run.side_tables ?? {})) {
      expect({ table, rows: await stack.warehouse.query(`SELECT * FROM ${table}`) }).toEqual({ table, rows: want.rows });
    }
  }

  it('plan prod backfills every model to the latest cron tick with the expected rows', async () => {
    // Act
    const result = await stack.plan('prod', first.execution_time);

    // Assert
    const failed = result.batches.filter((b) => b.status !== 'succeeded').map((b) => `${b.model}: ${b.reason} ${b.error ?? ''}`);
    expect(failed).toEqual([]);
    expect(result.run.status).toBe('succeeded');
    expect(result.promoted).toBe(true);
    expect(batchesByModel(result.batches)).toEqual(expectedBatches(first));
    await assertState(first);
  });

  it('a run right after the plan does nothing', async () => {
    // Act
    const summary = await stack.run('prod', first.execution_time);

    // Assert
    expect(summary.batches).toEqual([]);
    expect(summary.run.status).toBe('succeeded');
  });

  it('a run one day later processes exactly the next interval of each model', async () => {
    // Act
    const summary = await stack.run('prod', second.execution_time);

    // Assert
    const failed = summary.batches.filter((b) => b.status !== 'succeeded').map((b) => `${b.model}: ${b.reason} ${b.error ?? ''}`);
    expect(failed).toEqual([]);
    expect(batchesByModel(summary.batches)).toEqual(expectedBatches(second));
    await assertState(second);
  });
});
