import type { BundleStore } from '../../shared/src/ports/bundle-store';
import type { Clock } from '../../shared/src/ports/clock';
import type { ConnectionManager } from '../../shared/src/ports/connection-store';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import type { StateStore } from '../../shared/src/ports/state-store';

/** What the API routes work with: ports only, so the routes run on DynamoDB, in memory and in tests alike. */
export interface ApiDeps {
  readonly state: StateStore;
  readonly launcher: JobLauncher;
  readonly clock: Clock;
  /** Where submitted project bundles go; without one, `POST /plans` answers 501. */
  readonly bundles?: BundleStore;
  /** Saved warehouse connections; without them, the `/connections` routes answer 501. */
  readonly connections?: ConnectionManager;
}
