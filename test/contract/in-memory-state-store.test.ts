import { InMemoryStateStore } from '../../shared/src/state/in-memory-state-store';
import { describeStateStoreContract } from './state-store.contract';

describeStateStoreContract('InMemoryStateStore', async () => {
  const store = new InMemoryStateStore();
  await store.init();
  return store;
});
