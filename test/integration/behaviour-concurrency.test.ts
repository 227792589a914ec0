import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import type { BatchRecord } from '../../shared/src/ports/state-store';
import { runEnvironment } from '../../shared/src/run/run-environment';
import { EmbeddedStack } from '../support/embedded-stack';

/**
 * R16: independent batches run at the same time up to the concurrency limit, so a slow model holds back only
 * the models that read it. Order is read from the batch records, which are appended as batches finish (the
 * harness clock is fixed, so finishedTs cannot tell them apart); no wall-clock thresholds.
 */

const FIXTURE = path.resolve(__dirname, '../fixtures/projects/behaviour-concurrency');
/**
 * Pairs (i, j) in [0, 6000)² with 7i + 13j ≡ 0 (mod 11), i.e. j ≡ 2i (mod 11). Residues 0-4 occur 546 times
 * in [0, 6000), the others 545; pairing residue r of i with 2r mod 11 of j gives
 * 3·546² + 4·546·545 + 4·545² = 3 272 728.
 */
const SLOW_HITS = 3 * 546 * 546 + 4 * 546 * 545 + 4 * 545 * 545;

let dynamo: DynamoDbLocal;
let stack: EmbeddedStack;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  stack = await EmbeddedStack.open(dynamo, FIXTURE);
}, 30_000);
afterAll(async () => {
  await stack.close();
  await dynamo.stop();
});

const finishOrder = (records: readonly BatchRecord[]): string[] => records.map((r) => r.model);

describe('a slow model among independent ones', () => {
  it('with concurrency 4, the independent models and their children finish before the slow one', async () => {
    // Act
    const result = await stack.plan('prod', '2026-11-08T06:00:00Z');

    // Assert
    expect(result.batches.map((b) => `${b.model} ${b.status}`).sort()).toEqual([
      'conc.a_slow succeeded',
      'conc.b_fast succeeded',
      'conc.c_fast succeeded',
      'conc.d_fast succeeded',
      'conc.e_after_slow succeeded',
      'conc.f_after_fast succeeded',
    ]);
    const order = finishOrder(result.batches);
    expect(order.slice(-2)).toEqual(['conc.a_slow', 'conc.e_after_slow']);
    expect(new Set(order.slice(0, 4))).toEqual(new Set(['conc.b_fast', 'conc.c_fast', 'conc.d_fast', 'conc.f_after_fast']));
    expect(order.indexOf('conc.f_after_fast')).toBeGreaterThan(order.indexOf('conc.b_fast'));
    expect(await stack.warehouse.query('SELECT double_hits FROM conc.e_after_slow')).toEqual([{ double_hits: 2 * SLOW_HITS }]);
    expect(await stack.warehouse.query('SELECT label, next_answer FROM conc.f_after_fast')).toEqual([{ label: 'b', next_answer: 43 }]);
  });

  it('with concurrency 1, the same batches queue behind the slow one, first in DAG order', async () => {
    // Act
    const t = Date.parse('2026-11-09T06:00:00Z');
    const summary = await runEnvironment({ environment: 'prod', runId: 'run-serial', executionTimeMs: t, concurrency: 1 }, stack.deps(t));

    // Assert
    const order = finishOrder(summary.batches);
    expect(order).toHaveLength(6);
    expect(order[0]).toBe('conc.a_slow');
    expect(order.indexOf('conc.e_after_slow')).toBeGreaterThan(0);
    expect(summary.run.status).toBe('succeeded');
  });
});
