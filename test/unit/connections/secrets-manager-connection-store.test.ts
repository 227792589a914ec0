import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { CONNECTION_TAGS, decodeTagValue, encodeTagValue, SecretsManagerConnectionStore } from '../../../functions/adapters/connection-secrets-store';
import { ManualClock, DUCKDB, PASSWORD, POSTGRES, T0 } from './support/connection-store.contract';
import { FakeSecretsManager } from './support/fake-secrets-manager';

/**
 * The exact Secrets Manager calls of the AWS connection store: CreateSecret under the stack's KMS key,
 * PutSecretValue on update, DeleteSecret with a recovery window, and no GetSecretValue except in resolve().
 */

const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NAME = 'meshcron/connections/pg';

let fake: FakeSecretsManager;
let clock: ManualClock;
let store: SecretsManagerConnectionStore;

beforeEach(() => {
  fake = new FakeSecretsManager();
  clock = new ManualClock(T0);
  store = new SecretsManagerConnectionStore({ namePrefix: 'meshcron', kmsKeyId: KMS_KEY, client: fake.client, clock });
});
afterEach(() => fake.restore());

const postgresTags = (updatedAt: number, defaultSince?: number) => [
  { Key: CONNECTION_TAGS.gateway, Value: 'pg' },
  { Key: CONNECTION_TAGS.type, Value: 'postgres' },
  { Key: CONNECTION_TAGS.host, Value: 'db.internal' },
  { Key: CONNECTION_TAGS.port, Value: '5432' },
  { Key: CONNECTION_TAGS.database, Value: 'analytics' },
  { Key: CONNECTION_TAGS.updatedAt, Value: String(updatedAt) },
  ...(defaultSince === undefined ? [] : [{ Key: CONNECTION_TAGS.defaultSince, Value: String(defaultSince) }]),
];

describe('SecretsManagerConnectionStore commands', () => {
  it('creates a new gateway as one secret under the stack key, with the public fields as tags', async () => {
    // Act
    await store.save('PG', POSTGRES);
    // Assert
    expect(fake.commandNames()).toEqual(['ListSecretsCommand', 'CreateSecretCommand']);
    expect(fake.inputsOf(ListSecretsCommand)[0]).toEqual({ Filters: [{ Key: 'name', Values: ['meshcron/connections/'] }], MaxResults: 100 });
    expect(fake.inputsOf(CreateSecretCommand)).toEqual([
      {
        Name: NAME,
        Description: "Meshcron warehouse connection of gateway 'pg'",
        KmsKeyId: KMS_KEY,
        SecretString: JSON.stringify(POSTGRES),
        Tags: postgresTags(T0, T0),
      },
    ]);
    expect(JSON.stringify(fake.inputsOf(CreateSecretCommand)[0]?.Tags)).not.toContain(PASSWORD);
  });

  it('lists from ListSecrets tags alone, page after page, never calling GetSecretValue', async () => {
    // Arrange
    for (const gateway of ['a', 'b', 'c']) await store.save(gateway, DUCKDB);
    fake.mock.resetHistory();
    // Act
    const listed = await store.list();
    // Assert
    expect(listed.map((s) => [s.gateway, s.isDefault])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(fake.commandNames()).toEqual(['ListSecretsCommand', 'ListSecretsCommand']);
    expect(fake.inputsOf(ListSecretsCommand)[1]).toMatchObject({ NextToken: '2' });
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('updates an existing gateway with PutSecretValue and re-tags it, creating nothing', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    clock.ms = T0 + 5_000;
    // Act
    await store.save('pg', { ...POSTGRES, database: 'sales' });
    // Assert
    expect(fake.commandNames()).toEqual(['ListSecretsCommand', 'PutSecretValueCommand', 'TagResourceCommand']);
    expect(fake.inputsOf(PutSecretValueCommand)).toEqual([{ SecretId: NAME, SecretString: JSON.stringify({ ...POSTGRES, database: 'sales' }) }]);
    expect(fake.inputsOf(TagResourceCommand)[0]?.Tags).toContainEqual({ Key: CONNECTION_TAGS.database, Value: 'sales' });
    expect(fake.secrets.get(NAME)?.kmsKeyId).toBe(KMS_KEY);
  });

  it('removes tags of fields the new connection no longer has', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    // Act
    await store.save('pg', DUCKDB);
    // Assert
    expect(fake.inputsOf(UntagResourceCommand)).toEqual([{ SecretId: NAME, TagKeys: [CONNECTION_TAGS.host, CONNECTION_TAGS.port] }]);
    expect(await store.list()).toEqual([{ gateway: 'pg', type: 'duckdb', isDefault: true, database: 'local.duckdb', updatedAt: T0 }]);
  });

  it('deletes with a recovery window, without reading the secret', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    // Act
    await store.delete('pg');
    // Assert
    expect(fake.commandNames()).toEqual(['ListSecretsCommand', 'DeleteSecretCommand']);
    expect(fake.inputsOf(DeleteSecretCommand)).toEqual([{ SecretId: NAME, RecoveryWindowInDays: 7 }]);
  });

  it('restores a gateway deleted within its recovery window when it is saved again', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.delete('pg');
    fake.mock.resetHistory();
    // Act
    await store.save('pg', DUCKDB);
    // Assert
    expect(fake.commandNames()).toEqual([
      'ListSecretsCommand',
      'CreateSecretCommand',
      'RestoreSecretCommand',
      'PutSecretValueCommand',
      'TagResourceCommand',
      'UntagResourceCommand',
    ]);
    expect(fake.inputsOf(RestoreSecretCommand)).toEqual([{ SecretId: NAME }]);
    expect(fake.secrets.get(NAME)?.value).toBe(JSON.stringify(DUCKDB));
  });

  it('moves the default by tagging the new default and untagging the old one', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.save('local', DUCKDB);
    fake.mock.resetHistory();
    clock.ms = T0 + 1;
    // Act
    await store.setDefault('local');
    // Assert
    expect(fake.commandNames()).toEqual(['ListSecretsCommand', 'TagResourceCommand', 'UntagResourceCommand']);
    expect(fake.inputsOf(TagResourceCommand)).toEqual([
      { SecretId: 'meshcron/connections/local', Tags: [{ Key: CONNECTION_TAGS.defaultSince, Value: String(T0 + 1) }] },
    ]);
    expect(fake.inputsOf(UntagResourceCommand)).toEqual([{ SecretId: NAME, TagKeys: [CONNECTION_TAGS.defaultSince] }]);
  });

  it('resolves a named gateway with one GetSecretValue and the default after one ListSecrets', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.mock.resetHistory();
    // Act
    const named = await store.resolve('pg');
    const byDefault = await store.resolve();
    // Assert
    expect([named, byDefault]).toEqual([POSTGRES, POSTGRES]);
    expect(fake.commandNames()).toEqual(['GetSecretValueCommand', 'ListSecretsCommand', 'GetSecretValueCommand']);
    expect(fake.inputsOf(GetSecretValueCommand)).toEqual([{ SecretId: NAME }, { SecretId: NAME }]);
  });

  it('lets the most recent default win when two secrets carry the default tag (concurrent setDefault)', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.save('local', DUCKDB);
    fake.secrets.get('meshcron/connections/local')?.tags.set(CONNECTION_TAGS.defaultSince, String(T0 + 10));
    // Act
    const listed = await store.list();
    // Assert
    expect(listed.map((s) => [s.gateway, s.isDefault])).toEqual([['local', true], ['pg', false]]);
    await expect(store.resolve()).resolves.toEqual(DUCKDB);
  });

  it('ignores secrets under the prefix that are not connections, and other stacks whose prefix only differs in case', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    fake.secrets.set('meshcron/connections/stray', { value: '{}', kmsKeyId: undefined, tags: new Map() });
    fake.secrets.set('MESHCRON/connections/pg', {
      value: '{}',
      kmsKeyId: undefined,
      tags: new Map([[CONNECTION_TAGS.gateway, 'pg'], [CONNECTION_TAGS.type, 'duckdb']]),
    });
    // Act / Assert
    expect((await store.list()).map((s) => [s.gateway, s.type])).toEqual([['pg', 'postgres']]);
  });

  it('keeps public values that tags cannot hold, encoded, and drops ones too long even then', async () => {
    // Arrange
    const odd = 'my db (prod) #1';
    const long = 'x'.repeat(300);
    // Act
    await store.save('odd', { ...DUCKDB, database: odd });
    await store.save('long', { ...DUCKDB, database: long });
    // Assert
    expect(fake.secrets.get('meshcron/connections/odd')?.tags.get(CONNECTION_TAGS.database)).toBe(encodeTagValue(odd));
    expect(encodeTagValue(odd)).toMatch(/^b64:[A-Za-z0-9_-]+$/);
    expect((await store.list()).map((s) => [s.gateway, s.database])).toEqual([['long', undefined], ['odd', odd]]);
  });
});

describe('tag value encoding', () => {
  it.each(['db.internal', 'analytics', 'Ünïcode name', 'b64:looks-encoded', 'a;b', 'tab\there', ''])('round-trips %j', (value) => {
    // Act
    const encoded = encodeTagValue(value);
    // Assert
    expect(encoded).toBeDefined();
    expect(decodeTagValue(encoded as string)).toBe(value);
  });
});
