import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalConnectionStore } from '../../../functions/adapters/connection-local-store';
import { SecretsManagerConnectionStore } from '../../../functions/adapters/connection-secrets-store';
import type { WarehouseConnection } from '../../../functions/adapters/warehouse-connection';
import { InMemoryConnectionStore } from '../../../shared/src/connections/in-memory-connection-store';
import { describeConnectionStoreContract } from './support/connection-store.contract';
import { FakeSecretsManager } from './support/fake-secrets-manager';

describeConnectionStoreContract('in memory', async (clock) => ({
  store: new InMemoryConnectionStore<WarehouseConnection>(clock),
  cleanup: async () => undefined,
}));

describeConnectionStoreContract('encrypted file (.meshcron/connections.json)', async (clock) => {
  const root = await mkdtemp(path.join(tmpdir(), 'meshcron-conn-'));
  return { store: new LocalConnectionStore({ root, clock }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describeConnectionStoreContract('Secrets Manager (stateful fake)', async (clock) => {
  const fake = new FakeSecretsManager();
  return {
    store: new SecretsManagerConnectionStore({ namePrefix: 'meshcron', kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k', client: fake.client, clock }),
    cleanup: async () => fake.restore(),
  };
});
