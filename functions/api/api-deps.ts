import type { BundleStore } from '../../shared/src/ports/bundle-store';
import type { Clock } from '../../shared/src/ports/clock';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import type { StateStore } from '../../shared/src/ports/state-store';

/** What the API routes work with: ports only, so the routes run on DynamoDB, in memory and in tests alike. */
export interface ApiDeps {
  readonly state: StateStore;
  readonly launcher: JobLauncher;
  readonly clock: Clock;
  /** Where submitted project bundles go; without one, `POST /plans` answers 501. */
  readonly bundles?: BundleStore;
}
