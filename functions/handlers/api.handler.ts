import { createApiHandler } from '../api/create-api-handler';
import { getRuntime } from './runtime';

/** The control HTTP API: environments, runs and plans over the state store and the job launcher. */
export const handler = createApiHandler({
  deps: async () => {
    const runtime = await getRuntime();
    return {
      state: runtime.jobDeps.state,
      launcher: runtime.launcher,
      clock: runtime.jobDeps.clock,
      ...(runtime.bundles ? { bundles: runtime.bundles } : {}),
      ...(runtime.connections ? { connections: runtime.connections } : {}),
    };
  },
});
