import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { applyPlan, computePlan, type PlanPreview, type PlanResult } from '../../shared/src/plan/plan-environment';
import { seedContentHashes } from '../../shared/src/plan/seed-hashes';
import { type BatchRecord, intervalKeyString } from '../../shared/src/ports/state-store';
import type { DeferredRange } from '../../shared/src/run/plan-batches';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';

/**
 * Meshcron's deliberate difference from SQLMesh (R13, R14): a child's day runs only once its time-ranged
 * parent has processed that day. The parent here runs at noon UTC, the child at midnight.
 */

const FIXTURE = path.resolve(__dirname, '../fixtures/projects/behaviour-gating');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = (d: number): string => `2026-11-${String(d).padStart(2, '0')}T00:00:00Z`;

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
}, 30_000);
afterAll(async () => {
  await dynamo.stop();
});

/** Plans and applies, keeping the preview (the harness's plan() returns only the result). */
async function planProd(stack: EmbeddedStack, executionTime: string, planId: string): Promise<{ preview: PlanPreview; result: PlanResult }> {
  const project = await stack.load();
  const t = Date.parse(executionTime);
  const preview = await computePlan(project, await seedContentHashes(project), { environment: 'prod', planId, executionTimeMs: t }, stack.deps(t));
  return { preview, result: await applyPlan(preview, 4, stack.deps(t)) };
}

function deferredIso(deferred: readonly DeferredRange[]): { model: string; interval: [string, string]; waitingFor: string }[] {
  return deferred.map((d) => ({ model: d.model, interval: [iso(d.interval[0]), iso(d.interval[1])], waitingFor: d.waitingFor }));
}

async function intervalsOf(stack: EmbeddedStack, model: string): Promise<[string, string][]> {
  const env = await stack.state.getEnvironment('prod');
  const snapshot = (await stack.state.getSnapshots(env?.snapshots ?? [])).find((s) => s.name === model);
  const key = { name: model, version: snapshot?.version ?? '' };
  return ((await stack.state.getIntervals([key])).get(intervalKeyString(key)) ?? []).map(([s, e]) => [iso(s), iso(e)]);
}

async function processed(stack: EmbeddedStack, model: string): Promise<[number, number][]> {
  return (await intervalsOf(stack, model)).map(([s, e]) => [Date.parse(s), Date.parse(e)]);
}

async function childRows(stack: EmbeddedStack): Promise<unknown[][]> {
  return (await stack.warehouse.query('SELECT CAST(day AS VARCHAR), items, total FROM gate.child ORDER BY 1')).map((r) => Object.values(r));
}

/**
 * Days of child batches that started before the parent had them: `parentHad` holds the parent's processed
 * ranges before the run; parent batches count from the moment they appear in the finish order.
 */
function daysReadTooEarly(records: readonly BatchRecord[], parentHad: readonly [number, number][]): string[] {
  const covered = [...parentHad];
  const early: string[] = [];
  for (const r of records) {
    if (r.status !== 'succeeded') continue;
    if (r.model === 'gate.parent') covered.push([r.start, r.end]);
    if (r.model !== 'gate.child') continue;
    for (let d = r.start; d < r.end; d += DAY) {
      if (!covered.some(([s, e]) => s <= d && d + DAY <= e)) early.push(iso(d));
    }
  }
  return early;
}

describe('a daily child of a parent that runs at noon', () => {
  let stack: EmbeddedStack;
  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, FIXTURE);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('defers the child day the parent has not produced at 06:00, with no batch for it', async () => {
    // Act
    const { preview, result } = await planProd(stack, '2026-11-08T06:00:00Z', 'plan-1');

    // Assert
    expect(result.promoted).toBe(true);
    expect(batchesByModel(result.batches)).toEqual({
      'gate.parent': [
        [day(5), day(6)],
        [day(6), day(7)],
      ],
      'gate.child': [[day(5), day(7)]],
    });
    expect(deferredIso(preview.backfill.deferred)).toEqual([
      { model: 'gate.child', interval: [day(7), day(8)], waitingFor: 'gate.parent' },
    ]);
    expect(daysReadTooEarly(result.batches, [])).toEqual([]);
    expect(await intervalsOf(stack, 'gate.child')).toEqual([[day(5), day(7)]]);
  });

  it('still defers it in a run at 06:00', async () => {
    // Act
    const summary = await stack.run('prod', '2026-11-08T06:00:00Z');

    // Assert
    expect(summary.batches).toEqual([]);
    expect(deferredIso(summary.deferred)).toEqual([
      { model: 'gate.child', interval: [day(7), day(8)], waitingFor: 'gate.parent' },
    ]);
  });

  it('lets the child pick the day up once the parent has processed it', async () => {
    // Act
    const summary = await stack.run('prod', '2026-11-08T13:00:00Z');

    // Assert
    expect(batchesByModel(summary.batches)).toEqual({ 'gate.parent': [[day(7), day(8)]], 'gate.child': [[day(7), day(8)]] });
    expect(summary.batches.map((b) => `${b.model} ${b.status}`)).toEqual(['gate.parent succeeded', 'gate.child succeeded']);
    expect(summary.deferred).toEqual([]);
    expect(await childRows(stack)).toEqual([
      ['2026-11-05', 3, 6],
      ['2026-11-06', 3, 6],
      ['2026-11-07', 3, 6],
    ]);
    expect(await intervalsOf(stack, 'gate.parent')).toEqual([[day(5), day(8)]]);
    expect(await intervalsOf(stack, 'gate.child')).toEqual([[day(5), day(8)]]);
  });
});

describe('moving start earlier on parent and child (R13)', () => {
  let stack: EmbeddedStack;
  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, FIXTURE);
    const first = await planProd(stack, '2026-11-08T06:00:00Z', 'plan-1');
    expect(first.result.promoted).toBe(true);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('backfills the earlier days of both models in the re-plan, each parent day before the child reads it', async () => {
    // Arrange
    const parentBefore = await processed(stack, 'gate.parent');
    expect(parentBefore).toEqual([[Date.parse(day(5)), Date.parse(day(7))]]);
    const config = path.join(stack.root, 'config.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace("start: '2026-11-05'", "start: '2026-11-01'"));

    // Act
    const { result } = await planProd(stack, '2026-11-08T06:00:00Z', 'plan-2');

    // Assert: a prod plan backfills every model from its start (sqlmesh-semantics §6.4), also when moving
    // `start` is a metadata-only change that keeps the tables.
    expect(result.promoted).toBe(true);
    expect(daysReadTooEarly(result.batches, parentBefore)).toEqual([]);
    expect(batchesByModel(result.batches)).toEqual({
      'gate.parent': [1, 2, 3, 4].map((d) => [day(d), day(d + 1)]),
      'gate.child': [[day(1), day(5)]],
    });
    expect(await intervalsOf(stack, 'gate.parent')).toEqual([[day(1), day(7)]]);
    expect(await intervalsOf(stack, 'gate.child')).toEqual([[day(1), day(7)]]);
    expect(await childRows(stack)).toEqual([1, 2, 3, 4, 5, 6].map((d) => [`2026-11-0${d}`, 3, 6]));
  });

  it('fills every day by the next noon run without the child ever reading a parent day too early', async () => {
    // Arrange
    const parentBefore = await processed(stack, 'gate.parent');

    // Act
    const summary = await stack.run('prod', '2026-11-08T13:00:00Z');

    // Assert
    expect(summary.batches.every((b) => b.status === 'succeeded')).toBe(true);
    expect(daysReadTooEarly(summary.batches, parentBefore)).toEqual([]);
    expect(summary.deferred).toEqual([]);
    expect(await intervalsOf(stack, 'gate.parent')).toEqual([[day(1), day(8)]]);
    expect(await intervalsOf(stack, 'gate.child')).toEqual([[day(1), day(8)]]);
    expect(await childRows(stack)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [`2026-11-0${d}`, 3, 6]));
  });
});
