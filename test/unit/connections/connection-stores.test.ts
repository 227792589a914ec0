import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalConnectionStore } from '../../../functions/adapters/connection-local-store';
import type { WarehouseConnection } from '../../../functions/adapters/warehouse-connection';
import { InMemoryConnectionStore } from '../../../shared/src/connections/in-memory-connection-store';
import { describeConnectionStoreContract } from './support/connection-store.contract';

describeConnectionStoreContract('in memory', async (clock) => ({
  store: new InMemoryConnectionStore<WarehouseConnection>(clock),
  cleanup: async () => undefined,
}));

describeConnectionStoreContract('encrypted file (.meshcron/connections.json)', async (clock) => {
  const root = await mkdtemp(path.join(tmpdir(), 'meshcron-conn-'));
  return { store: new LocalConnectionStore({ root, clock }), cleanup: () => rm(root, { recursive: true, force: true }) };
});
