import { DynamoDbRunJobStore } from '../../functions/adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import type { RunBatchPlan } from '../../shared/src/state/run-batch-rules';
import { useDynamoDbLocal } from '../support/dynamodb-local';
import { describeRunJobStoreContract } from './run-job-store.contract';

const dynamo = useDynamoDbLocal();

/** A state table made the way deployments make it, and both stores on it. */
async function makeStores(): Promise<{ state: DynamoDbStateStore; jobs: DynamoDbRunJobStore }> {
  const tableName = dynamo.freshTableName();
  const state = new DynamoDbStateStore({ client: dynamo.client(), tableName });
  await state.init();
  return { state, jobs: new DynamoDbRunJobStore({ client: dynamo.client(), tableName }) };
}

describeRunJobStoreContract('DynamoDbRunJobStore on DynamoDB Local', async () => (await makeStores()).jobs);

describe('DynamoDbRunJobStore on the state table', () => {
  const T0 = Date.UTC(2024, 0, 1);
  const HOUR = 3_600_000;
  const planned: RunBatchPlan = {
    runId: 'r1',
    batchId: `db.events|v1|${T0}|${T0 + HOUR}`,
    model: 'db.events',
    version: 'v1',
    start: T0,
    end: T0 + HOUR,
    index: 0,
    dependsOn: [],
  };

  it("shares a run's partition with the state store without either seeing the other's items", async () => {
    // Arrange
    const { state, jobs } = await makeStores();
    const run = { runId: 'r1', kind: 'run', environment: 'prod', status: 'running', executionTs: T0, startedTs: T0 } as const;
    const finished = {
      runId: 'r1',
      batchId: planned.batchId,
      model: 'db.events',
      version: 'v1',
      start: T0,
      end: T0 + HOUR,
      status: 'succeeded',
      reason: 'succeeded',
      durationMs: 5,
      finishedTs: T0 + 1,
    } as const;

    // Act
    await state.putRun(run);
    await jobs.putRunBatches('r1', [planned]);
    await jobs.claimRunBatch('r1', planned.batchId, 'w1', T0 + HOUR, T0);
    await state.putBatch(finished);
    await jobs.finishRunBatch('r1', planned.batchId, 'w1', 'succeeded', 'succeeded');

    // Assert
    expect(await state.getRun('r1')).toEqual(run);
    expect(await state.listBatches('r1')).toEqual([finished]);
    expect(await jobs.listRunBatches('r1')).toEqual([
      { ...planned, status: 'succeeded', owner: 'w1', attempts: 1, reason: 'succeeded' },
    ]);
  });

  it('rethrows errors other than a failed condition', async () => {
    const jobs = new DynamoDbRunJobStore({ client: dynamo.client(), tableName: dynamo.freshTableName('missing') });
    await expect(jobs.renewRunBatch('r1', planned.batchId, 'w1', T0)).rejects.toThrow(/non-existent table|not found/i);
    await expect(jobs.claimRunBatch('r1', planned.batchId, 'w1', T0, T0)).rejects.toThrow(/non-existent table|not found/i);
    await expect(jobs.claimRange({ name: 'db.events', version: 'v1' }, [T0, T0 + HOUR], 'w1', T0, T0)).rejects.toThrow(
      /non-existent table|not found/i,
    );
  });
});
