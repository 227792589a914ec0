import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { createPause, deletePause } from '../../shared/src/pause/manage-pauses';
import { PauseConflictError } from '../../shared/src/pause/pause-conflict-error';
import { previewResume } from '../../shared/src/pause/preview-resume';
import { computePlan } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import { environmentStatus } from '../../shared/src/run/environment-status';
import { EmbeddedStack } from '../support/embedded-stack';

const SHOP = path.resolve(__dirname, '../../examples/shop');
const DAY = 86_400_000;
const PLANNED = '2026-11-08T06:00:00Z';
const at = (days: number): string => new Date(Date.parse(PLANNED) + days * DAY).toISOString();

/** shop.orders and everything downstream of it in examples/shop (currency_summary through `depends_on`). */
const ORDERS_AND_DOWNSTREAM = ['shop.currency_summary', 'shop.customer_status', 'shop.daily_region_revenue', 'shop.order_facts', 'shop.orders', 'shop.top_products'];
/** Models with a batch in a daily run that do not read shop.orders. */
const UNRELATED = ['shop.daily_customer_activity', 'shop.daily_traffic', 'shop.dim_customers', 'shop.page_events', 'shop.product_catalog'];

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, SHOP);
  expect((await stack.plan('prod', PLANNED)).promoted).toBe(true);
}, 120_000);

afterAll(async () => {
  await stack.close();
  await dynamo.stop();
});

const modelsWith = (batches: readonly { model: string }[]): string[] => [...new Set(batches.map((b) => b.model))].sort();

describe('pausing examples/shop (runs in process on DynamoDB Local)', () => {
  it('a model pause skips the model and its downstream as skipped:paused:<id> and runs the rest', async () => {
    // Arrange
    await createPause(stack.state, { environment: 'prod', model: 'shop.orders', reason: 'orders feed is wrong', createdBy: 'ana' }, Date.parse(at(1)));

    // Act
    const summary = await stack.run('prod', at(1));

    // Assert
    const skipped = summary.batches.filter((b) => b.status === 'skipped');
    expect(modelsWith(skipped)).toEqual(ORDERS_AND_DOWNSTREAM);
    expect(new Set(skipped.map((b) => `${b.reason}|${b.error}`))).toEqual(new Set(['skipped:paused:model:shop.orders|orders feed is wrong']));
    expect(modelsWith(summary.batches.filter((b) => b.status === 'succeeded'))).toEqual(UNRELATED);
    expect(summary.run.status).toBe('succeeded');
    expect(summary.run.counts).toEqual({ succeeded: UNRELATED.length, failed: 0, skipped: ORDERS_AND_DOWNSTREAM.length });
    expect((await stack.state.listBatches(summary.run.runId)).filter((b) => b.status === 'skipped')).toHaveLength(skipped.length);
  });

  it('refuses a second pause of the same model, and unknown environments and models, with clear errors', async () => {
    const again = createPause(stack.state, { environment: 'prod', model: 'shop.orders', createdBy: 'bo' }, 0);
    await expect(again).rejects.toThrow(PauseConflictError);
    await expect(again).rejects.toThrow("environment 'prod' already has pause 'model:shop.orders' (by ana at 2026-11-09T06:00:00.000Z)");
    await expect(createPause(stack.state, { environment: 'prod', model: 'shop.nope', createdBy: 'bo' }, 0)).rejects.toThrow(
      /^environment 'prod' has no model 'shop.nope'; its models: raw.customers, /,
    );
    await expect(createPause(stack.state, { environment: 'staging', createdBy: 'bo' }, 0)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "environment 'staging' does not exist; known environments: prod",
    });
    expect((await stack.state.listPauses('prod')).map((p) => p.pauseId)).toEqual(['model:shop.orders']);
  });

  it('status shows the paused models apart from the behind ones', async () => {
    const status = await environmentStatus(stack.state, 'prod', Date.parse(at(1)));
    const paused = status.filter((m) => m.paused);
    expect(paused.map((m) => m.name).sort()).toEqual(ORDERS_AND_DOWNSTREAM);
    expect(paused.every((m) => m.paused?.id === 'model:shop.orders' && m.paused.reason === 'orders feed is wrong')).toBe(true);
    // Held back for a day, the paused incremental model is behind by exactly that day.
    expect(status.find((m) => m.name === 'shop.orders')?.behind).toEqual([[Date.parse(at(0)) - 6 * 3_600_000, Date.parse(at(1)) - 6 * 3_600_000]]);
  });

  it('resume preview lists exactly what the next run executes, catching up the missed days in order', async () => {
    // Arrange
    const preview = await previewResume(stack.state, { environment: 'prod', pauseId: 'model:shop.orders', executionTimeMs: Date.parse(at(2)) });

    // Act
    await deletePause(stack.state, 'prod', 'model:shop.orders');
    const summary = await stack.run('prod', at(2));

    // Assert
    expect(summary.batches.every((b) => b.status === 'succeeded')).toBe(true);
    expect(summary.batches.map((b) => b.batchId).sort()).toEqual(preview.batches.map((b) => b.id).sort());
    expect(modelsWith(summary.batches)).toEqual([...ORDERS_AND_DOWNSTREAM, ...UNRELATED].sort());
    expect(preview.releasedBatchIds.map((id) => id.split('|')[0])).toEqual(expect.arrayContaining(ORDERS_AND_DOWNSTREAM));
    const orders = summary.batches.filter((b) => b.model === 'shop.orders');
    // Two missed days, one batch (shop.orders batches up to 7 days), contiguous with what was processed.
    expect(orders.map((b) => [b.start, b.end])).toEqual([[Date.parse(at(0)) - 6 * 3_600_000, Date.parse(at(2)) - 6 * 3_600_000]]);
    expect(preview.stillHeld).toEqual([]);
  });

  it('an environment pause skips every batch as skipped:paused:env; deleting an unknown pause is a NotFoundError', async () => {
    // Arrange
    await createPause(stack.state, { environment: 'prod', createdBy: 'ana' }, Date.parse(at(3)));

    // Act
    const summary = await stack.run('prod', at(3));

    // Assert
    expect(summary.batches.length).toBeGreaterThan(0);
    expect(new Set(summary.batches.map((b) => `${b.status}|${b.reason}|${b.error}`))).toEqual(new Set(['skipped|skipped:paused:env|undefined']));
    await expect(deletePause(stack.state, 'prod', 'model:shop.orders')).rejects.toThrow(
      "environment 'prod' has no pause 'model:shop.orders'; its pauses: env",
    );
  });

  it('a plan that changes a paused model executes it anyway and says so in its preview', async () => {
    // Arrange: env pause still held; a breaking change to shop.orders and a model pause on it too.
    await createPause(stack.state, { environment: 'prod', model: 'shop.orders', createdBy: 'ana' }, Date.parse(at(3)));
    const file = path.join(stack.root, 'models/shop/orders.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace('WHERE r % 37 = 0;', 'WHERE r % 37 = 0 AND customer_id > 0;'));
    const project = await stack.load();
    const t = Date.parse(at(3));

    // Act
    const preview = await computePlan(project, await seedContentHashes(project), { environment: 'prod', planId: 'plan-change', executionTimeMs: t }, stack.deps(t));
    const result = await stack.plan('prod', at(3), 'plan-change-applied');

    // Assert
    expect(preview.pausedExecuted).toEqual(expect.arrayContaining(['shop.orders', 'shop.order_facts']));
    expect(preview.pausedExecuted).not.toContain('shop.page_events');
    expect(result.promoted).toBe(true);
    expect(result.batches.filter((b) => b.model === 'shop.orders').map((b) => b.status)).toContain('succeeded');
    expect(result.batches.every((b) => b.status === 'succeeded')).toBe(true);
  });
});
