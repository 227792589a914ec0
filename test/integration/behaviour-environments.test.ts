import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { computePlan } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import { type EnvironmentRecord, intervalKeyString, type SnapshotRecord } from '../../shared/src/ports/state-store';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';

/**
 * Environments share what did not change: a dev plan after editing one model builds only that model and
 * its downstream models, points every other dev view at prod's tables, and leaves prod exactly as it was.
 */

const SHOP = path.resolve(__dirname, '../../examples/shop');
const PROD_TIME = '2026-11-08T06:00:00Z';
const WEEK: [string, string][] = [['2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z']];

/** shop.orders and everything downstream of it (order_facts reads it; the rest read order_facts). */
const EDITED_AND_DOWNSTREAM = [
  'shop.currency_summary',
  'shop.customer_status',
  'shop.daily_region_revenue',
  'shop.order_facts',
  'shop.orders',
  'shop.top_products',
];
/** Models with a table that the edit does not reach. */
const UNTOUCHED = [
  'raw.customers',
  'raw.products',
  'raw.store_regions',
  'shop.daily_customer_activity',
  'shop.daily_traffic',
  'shop.dim_customers',
  'shop.page_events',
  'shop.product_catalog',
];

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, SHOP);
}, 30_000);
afterAll(async () => {
  await stack.close();
  await dynamo.stop();
});

interface EnvironmentPicture {
  readonly record: EnvironmentRecord | undefined;
  readonly snapshots: Map<string, SnapshotRecord>;
  /** View name → the relation its `SELECT * FROM` reads. */
  readonly viewTargets: Map<string, string>;
  readonly counts: Map<string, number>;
  readonly intervals: Map<string, string>;
}

async function picture(environment: string): Promise<EnvironmentPicture> {
  const record = await stack.state.getEnvironment(environment);
  const snapshots = new Map((await stack.state.getSnapshots(record?.snapshots ?? [])).map((s) => [s.name, s]));
  const intervals = await stack.state.getIntervals([...snapshots.values()].map((s) => ({ name: s.name, version: s.version })));
  const schemaSuffix = environment === 'prod' ? '' : `__${environment}`;
  const views = await stack.warehouse.query(
    `SELECT schema_name, view_name, sql FROM duckdb_views() WHERE schema_name IN ('raw${schemaSuffix}', 'shop${schemaSuffix}')`,
  );
  const viewTargets = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const v of views) {
    const view = `${String(v.schema_name)}.${String(v.view_name)}`;
    const target = /FROM\s+(\S+?);?\s*$/i.exec(String(v.sql))?.[1] ?? '';
    viewTargets.set(view, target.replace(/"/g, ''));
    counts.set(view, await stack.count(view));
  }
  return {
    record,
    snapshots,
    viewTargets,
    counts,
    intervals: new Map([...snapshots.values()].map((s) => [s.name, JSON.stringify(intervals.get(intervalKeyString(s)) ?? [])])),
  };
}

async function scalar(sql: string): Promise<number> {
  return Number(Object.values((await stack.warehouse.query(sql))[0] ?? {})[0]);
}

describe('a dev environment after editing one model', () => {
  let prodBefore: EnvironmentPicture;

  beforeAll(async () => {
    const prod = await stack.plan('prod', PROD_TIME);
    expect(prod.promoted).toBe(true);
    prodBefore = await picture('prod');
    const file = path.join(stack.root, 'models/shop/orders.sql');
    const source = await readFile(file, 'utf8');
    const edited = source.replace('1 + r % 3 AS quantity', '2 + r % 3 AS quantity');
    expect(edited).not.toBe(source);
    await writeFile(file, edited);
  });

  it('builds only the edited model and its downstream models, over their whole range', async () => {
    // Act
    const result = await stack.plan('dev', PROD_TIME);

    // Assert
    expect(result.promoted).toBe(true);
    expect(result.batches.every((b) => b.status === 'succeeded')).toBe(true);
    expect(batchesByModel(result.batches)).toEqual(Object.fromEntries(EDITED_AND_DOWNSTREAM.map((m) => [m, WEEK])));
  });

  it('shares the tables of unchanged models with prod and gives the changed ones their own', async () => {
    // Act
    const dev = await picture('dev');

    // Assert
    for (const name of UNTOUCHED) {
      const [schema, table] = name.split('.') as [string, string];
      expect({ name, identifier: dev.snapshots.get(name)?.identifier }).toEqual({ name, identifier: prodBefore.snapshots.get(name)?.identifier });
      expect({ name, target: dev.viewTargets.get(`${schema}__dev.${table}`) }).toEqual({ name, target: prodBefore.viewTargets.get(name) });
    }
    for (const name of EDITED_AND_DOWNSTREAM) {
      const [schema, table] = name.split('.') as [string, string];
      const devSnapshot = dev.snapshots.get(name);
      expect({ name, versionChanged: devSnapshot?.version !== prodBefore.snapshots.get(name)?.version }).toEqual({ name, versionChanged: true });
      expect({ name, target: dev.viewTargets.get(`${schema}__dev.${table}`) }).toEqual({ name, target: devSnapshot?.physicalTable });
      expect(dev.viewTargets.get(`${schema}__dev.${table}`)).not.toBe(prodBefore.viewTargets.get(name));
    }
    expect(prodBefore.viewTargets.get('shop.page_events')).toBe(prodBefore.snapshots.get('shop.page_events')?.physicalTable);
    expect(prodBefore.viewTargets.get('shop.page_events')).toMatch(/^sqlmesh__shop\.shop__page_events__\d+$/);
    expect(dev.viewTargets.size).toBe(UNTOUCHED.length + EDITED_AND_DOWNSTREAM.length);
    expect(dev.intervals.get('shop.orders')).toBe(JSON.stringify([[Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 8)]]));
  });

  it('leaves prod exactly as it was', async () => {
    // Act
    const prodAfter = await picture('prod');

    // Assert
    expect(prodAfter.record).toEqual(prodBefore.record);
    expect(prodAfter.viewTargets).toEqual(prodBefore.viewTargets);
    expect(prodAfter.counts).toEqual(prodBefore.counts);
    expect(prodAfter.intervals).toEqual(prodBefore.intervals);
    expect(await scalar('SELECT MIN(quantity) FROM shop.orders')).toBe(1);
    expect(prodBefore.counts.get('shop.orders')).toBe(171);
  });

  it('shows the edit through the dev views only', async () => {
    // Arrange
    const prodUnits = await scalar('SELECT SUM(quantity) FROM shop.orders');
    const orderCount = await scalar('SELECT COUNT(*) FROM shop.orders');

    // Assert: every order has one more unit in dev, and the downstream view sees it.
    expect(await scalar('SELECT COUNT(*) FROM shop__dev.orders')).toBe(orderCount);
    expect(await scalar('SELECT MIN(quantity) FROM shop__dev.orders')).toBe(2);
    expect(await scalar('SELECT SUM(quantity) FROM shop__dev.orders')).toBe(prodUnits + orderCount);
    expect(await scalar('SELECT SUM(units) FROM shop__dev.top_products')).toBe(prodUnits + orderCount);
    expect(await scalar('SELECT SUM(units) FROM shop.top_products')).toBe(prodUnits);
    expect(
      await scalar(
        'SELECT COUNT(*) FROM shop__dev.order_facts AS d JOIN shop.order_facts AS p USING (order_id) WHERE d.quantity = p.quantity + 1',
      ),
    ).toBe(orderCount);
  });

  it('finds nothing to do when dev is planned again without changes', async () => {
    // Arrange
    const project = await stack.load();
    const t = Date.parse(PROD_TIME);

    // Act
    const preview = await computePlan(
      project,
      await seedContentHashes(project),
      { environment: 'dev', planId: 'plan-dev-again', executionTimeMs: t },
      stack.deps(t),
    );

    // Assert
    expect(preview.diff.changes).toEqual([]);
    expect(preview.newVersions).toEqual([]);
    expect(preview.backfill.batches).toEqual([]);
    expect(preview.backfill.deferred).toEqual([]);
  });
});
