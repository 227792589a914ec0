import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { openPostgresWarehouse } from '../../functions/adapters/postgres-warehouse';
import { intervalKeyString } from '../../shared/src/ports/state-store';
import { viewName } from '../../shared/src/snapshot/naming';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';

/**
 * The checks of examples.test.ts (plan prod at the first execution time, a run right after does nothing,
 * a run a day later) with PostgreSQL as the warehouse instead of DuckDB, against the same expected.json.
 * Each example gets its own database on one private cluster; state lives in DynamoDB Local as there.
 */

interface ExpectedModel {
  readonly kind: string;
  readonly batches: [string, string][];
  readonly processed_intervals: [string, string][];
  readonly rows: number | null;
}
interface ExpectedRun {
  readonly execution_time: string;
  readonly models: Record<string, ExpectedModel>;
  /** Tables written by statements rather than models (shop: raw.revenue_watermark). */
  readonly side_tables?: Record<string, { readonly rows: Record<string, unknown>[] }>;
}

const EXAMPLES = path.resolve(__dirname, '../../examples');
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

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
  const expected = JSON.parse(readFileSync(path.join(EXAMPLES, example, 'expected.json'), 'utf8')) as {
    runs: ExpectedRun[];
  };
  const [first, second] = expected.runs as [ExpectedRun, ExpectedRun];
  let stack: EmbeddedStack;

  beforeAll(async () => {
    const database = `example_${example}`;
    await createDatabase(database);
    stack = await EmbeddedStack.open(dynamo, path.join(EXAMPLES, example), () =>
      openPostgresWarehouse({ ...cluster, database, sslmode: 'disable' }),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function assertState(run: ExpectedRun): Promise<void> {
    const env = await stack.state.getEnvironment('prod');
    const snapshots = await stack.state.getSnapshots(env?.snapshots ?? []);
    const intervals = await stack.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
    for (const [name, want] of Object.entries(run.models)) {
      const snap = snapshots.find((s) => s.name === name);
      expect({ name, found: snap !== undefined }).toEqual({ name, found: true });
      const got = (intervals.get(intervalKeyString({ name, version: snap?.version ?? '' })) ?? []).map(([s, e]) => [iso(s), iso(e)]);
      expect({ name, intervals: got }).toEqual({ name, intervals: want.processed_intervals });
      if (want.rows === null) continue;
      const relation = want.kind === 'EXTERNAL' ? name : viewName(name, 'prod');
      expect({ name, rows: await stack.count(relation) }).toEqual({ name, rows: want.rows });
    }
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
    const want = Object.fromEntries(
      Object.entries(first.models).filter(([, m]) => m.batches.length > 0).map(([n, m]) => [n, m.batches]),
    );
    expect(batchesByModel(result.batches)).toEqual(want);
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
    const want = Object.fromEntries(
      Object.entries(second.models).filter(([, m]) => m.batches.length > 0).map(([n, m]) => [n, m.batches]),
    );
    expect(batchesByModel(summary.batches)).toEqual(want);
    await assertState(second);
  });
});
