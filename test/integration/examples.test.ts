import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { batchesByModel, EmbeddedStack } from '../support/embedded-stack';
import { EXAMPLES_DIR, type ExpectedRun, expectedBatches, expectProdToMatch, loadExpectedRuns } from '../support/example-expectations';



let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each(['quickstart', 'shop'])('example %s end to end on the embedded stack', (example) => {
  const [first, second] = loadExpectedRuns(example) as [ExpectedRun, ExpectedRun];
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, path.join(EXAMPLES_DIR, example));
  });
  afterAll(async () => {
    await stack.close();
  });

  it('plan prod backfills every model to the latest cron tick with the expected rows', async () => {
    const result = await stack.plan('prod', first.execution_time);
    expect(result.run.status).toBe('succeeded');
    expect(result.promoted).toBe(true);
    expect(batchesByModel(result.batches)).toEqual(expectedBatches(first));
    await expectProdToMatch(stack, first);
  });

  it('a run right after the plan does nothing', async () => {
    const summary = await stack.run('prod', first.execution_time);
    expect(summary.batches).toEqual([]);
    expect(summary.run.status).toBe('succeeded');
  });

  it('a run one day later processes exactly the next interval of each model', async () => {
    const summary = await stack.run('prod', second.execution_time);
    expect(summary.batches.every((b) => b.status === 'succeeded')).toBe(true);
    expect(batchesByModel(summary.batches)).toEqual(expectedBatches(second));
    await expectProdToMatch(stack, second);
  });
});
