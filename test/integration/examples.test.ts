import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { intervalKeyString } from '../../shared/src/ports/state-store';
import { viewName } from '../../shared/src/snapshot/naming';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';

interface ExpectedModel {
  readonly kind: string;
  readonly batches: [string, string][];
  readonly processed_intervals: [string, string][];
  readonly rows: number | null;
}
interface ExpectedRun {
  readonly execution_time: string;
  readonly models: Record<string, ExpectedModel>;
}

const EXAMPLES = path.resolve(__dirname, '../../examples');
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each(['quickstart', 'shop'])('example %s end to end on the embedded stack', (example) => {
  const expected = JSON.parse(readFileSync(path.join(EXAMPLES, example, 'expected.json'), 'utf8')) as {
    runs: ExpectedRun[];
  };
  const [first, second] = expected.runs as [ExpectedRun, ExpectedRun];
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, path.join(EXAMPLES, example));
  });
  afterAll(async () => {
    await stack.close();
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
  }

  it('plan prod backfills every model to the latest cron tick with the expected rows', async () => {
    const result = await stack.plan('prod', first.execution_time);
    expect(result.run.status).toBe('succeeded');
    expect(result.promoted).toBe(true);
    const want = Object.fromEntries(
      Object.entries(first.models).filter(([, m]) => m.batches.length > 0).map(([n, m]) => [n, m.batches]),
    );
    expect(batchesByModel(result.batches)).toEqual(want);
    await assertState(first);
  });

  it('a run right after the plan does nothing', async () => {
    const summary = await stack.run('prod', first.execution_time);
    expect(summary.batches).toEqual([]);
    expect(summary.run.status).toBe('succeeded');
  });

  it('a run one day later processes exactly the next interval of each model', async () => {
    const summary = await stack.run('prod', second.execution_time);
    expect(summary.batches.every((b) => b.status === 'succeeded')).toBe(true);
    const want = Object.fromEntries(
      Object.entries(second.models).filter(([, m]) => m.batches.length > 0).map(([n, m]) => [n, m.batches]),
    );
    expect(batchesByModel(summary.batches)).toEqual(want);
    await assertState(second);
  });
});
