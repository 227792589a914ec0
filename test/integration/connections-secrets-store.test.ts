import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { CONNECTIONS_PARTITION, SecretsManagerConnectionStore } from '../../functions/adapters/connection-secrets-store';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { useDynamoDbLocal } from '../support/dynamodb-local';
import {
  describeConnectionStoreContract,
  DUCKDB,
  ManualClock,
  PASSWORD,
  POSTGRES,
  T0,
} from '../unit/connections/support/connection-store.contract';
import { FakeSecretsManager } from '../unit/connections/support/fake-secrets-manager';

/**
 * The AWS connection store: secrets in Secrets Manager (a stateful fake recording every command) and the
 * public fields in the state table on DynamoDB Local. It passes the ConnectionStore contract, and its
 * Secrets Manager calls are exactly: CreateSecret under the stack key, PutSecretValue on update, DeleteSecret
 * with a recovery window, and GetSecretValue only in resolve().
 */

const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NAME = 'meshcron/connections/pg';
const dynamo = useDynamoDbLocal();

async function openStore(clock: ManualClock): Promise<{ store: SecretsManagerConnectionStore; fake: FakeSecretsManager; tableName: string }> {
  const tableName = dynamo.freshTableName('connections');
  await new DynamoDbStateStore({ client: dynamo.client(), tableName }).init();
  const fake = new FakeSecretsManager();
  const store = new SecretsManagerConnectionStore({
    namePrefix: 'meshcron',
    kmsKeyId: KMS_KEY,
    tableName,
    secretsClient: fake.client,
    dynamoClient: dynamo.client(),
    clock,
  });
  return { store, fake, tableName };
}

describeConnectionStoreContract('Secrets Manager + state table', async (clock) => {
  const { store, fake } = await openStore(clock);
  return { store, cleanup: async () => fake.restore() };
});

describe('SecretsManagerConnectionStore commands', () => {
  let fake: FakeSecretsManager;
  let clock: ManualClock;
  let store: SecretsManagerConnectionStore;
  let tableName: string;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    ({ store, fake, tableName } = await openStore(clock));
  });
  afterEach(() => fake.restore());

  const item = async (gateway: string): Promise<Record<string, unknown> | undefined> => {
    const { Item } = await dynamo.client().send(
      new GetItemCommand({ TableName: tableName, Key: marshall({ pk: CONNECTIONS_PARTITION, sk: gateway }), ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  };

  it('creates a new gateway as one secret under the stack key, and its public fields as a state item', async () => {
    // Act
    await store.save('PG', POSTGRES);
    // Assert
    expect(fake.commandNames()).toEqual(['CreateSecretCommand']);
    expect(fake.inputsOf(CreateSecretCommand)).toEqual([
      { Name: NAME, Description: "Meshcron warehouse connection of gateway 'pg'", KmsKeyId: KMS_KEY, SecretString: JSON.stringify(POSTGRES) },
    ]);
    expect(await item('pg')).toEqual({
      pk: 'CONNECTIONS',
      sk: 'pg',
      type: 'postgres',
      host: 'db.internal',
      port: 5432,
      database: 'analytics',
      updatedAt: T0,
      defaultSince: T0,
    });
  });

  it('lists without any Secrets Manager call', async () => {
    // Arrange
    for (const gateway of ['a', 'b', 'c']) await store.save(gateway, DUCKDB);
    fake.mock.resetHistory();
    // Act
    const listed = await store.list();
    // Assert
    expect(listed.map((s) => [s.gateway, s.isDefault])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(fake.commandNames()).toEqual([]);
  });

  it('updates an existing gateway with PutSecretValue, creating nothing', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    clock.ms = T0 + 5_000;
    // Act
    await store.save('pg', { ...POSTGRES, database: 'sales' });
    // Assert
    expect(fake.commandNames()).toEqual(['PutSecretValueCommand']);
    expect(fake.inputsOf(PutSecretValueCommand)).toEqual([{ SecretId: NAME, SecretString: JSON.stringify({ ...POSTGRES, database: 'sales' }) }]);
    expect(await item('pg')).toMatchObject({ database: 'sales', updatedAt: T0 + 5_000 });
    expect(fake.secrets.get(NAME)?.kmsKeyId).toBe(KMS_KEY);
  });

  it('deletes the item and the secret with a recovery window, without reading the secret', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    // Act
    await store.delete('pg');
    // Assert
    expect(fake.commandNames()).toEqual(['DeleteSecretCommand']);
    expect(fake.inputsOf(DeleteSecretCommand)).toEqual([{ SecretId: NAME, RecoveryWindowInDays: 7 }]);
    expect(await item('pg')).toBeUndefined();
  });

  it('restores a gateway deleted within its recovery window when it is saved again', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.delete('pg');
    fake.mock.resetHistory();
    // Act
    await store.save('pg', DUCKDB);
    // Assert
    expect(fake.commandNames()).toEqual(['CreateSecretCommand', 'RestoreSecretCommand', 'PutSecretValueCommand']);
    expect(fake.inputsOf(RestoreSecretCommand)).toEqual([{ SecretId: NAME }]);
    expect(fake.secrets.get(NAME)).toEqual({ value: JSON.stringify(DUCKDB), kmsKeyId: KMS_KEY });
  });

  it('reuses a secret left without an item (a save that failed half-way)', async () => {
    // Arrange
    fake.secrets.set(NAME, { value: '{}', kmsKeyId: KMS_KEY });
    // Act
    await store.save('pg', POSTGRES);
    // Assert
    expect(fake.commandNames()).toEqual(['CreateSecretCommand', 'PutSecretValueCommand']);
    await expect(store.resolve('pg')).resolves.toEqual(POSTGRES);
  });

  it('resolves a named gateway with one GetSecretValue and nothing else', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    // Act
    const named = await store.resolve('PG');
    const byDefault = await store.resolve();
    // Assert
    expect([named, byDefault]).toEqual([POSTGRES, POSTGRES]);
    expect(fake.commandNames()).toEqual(['GetSecretValueCommand', 'GetSecretValueCommand']);
    expect(fake.inputsOf(GetSecretValueCommand)).toEqual([{ SecretId: NAME }, { SecretId: NAME }]);
  });

  it('lets the most recent default win when a race left two marked', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.save('local', DUCKDB);
    const local = await item('local');
    await dynamo.client().send(new PutItemCommand({ TableName: tableName, Item: marshall({ ...local, defaultSince: T0 + 10 }) }));
    // Act / Assert
    expect((await store.list()).map((s) => [s.gateway, s.isDefault])).toEqual([['local', true], ['pg', false]]);
    await expect(store.resolve()).resolves.toEqual(DUCKDB);
  });

  it('keeps the password out of the state table', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.save('other', { ...POSTGRES, host: 'x' }, { makeDefault: true });
    // Act
    const { Items } = await dynamo.client().send(new ScanCommand({ TableName: tableName }));
    // Assert
    expect(Items?.length).toBe(2);
    expect(JSON.stringify(Items)).not.toContain(PASSWORD);
  });
});
