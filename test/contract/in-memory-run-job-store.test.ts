import { InMemoryRunJobStore } from '../../shared/src/state/in-memory-run-job-store';
import { describeRunJobStoreContract } from './run-job-store.contract';

describeRunJobStoreContract('InMemoryRunJobStore', async () => new InMemoryRunJobStore());
