import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { useDynamoDbLocal } from '../support/dynamodb-local';
import { describeStateStoreContract } from './state-store.contract';

const dynamo = useDynamoDbLocal();

describeStateStoreContract('DynamoDbStateStore on DynamoDB Local', async () => {
  const store = new DynamoDbStateStore({ client: dynamo.client(), tableName: dynamo.freshTableName() });
  await store.init();
  return store;
});
