import { z } from 'zod';
import { executeReadyBatches } from '../../shared/src/run/run-job';
import { getExecutorRuntime } from './runtime';
import { taskHandler } from './task-handler';

/** A Lambda worker polls up to a minute for ready batches before handing back to the state machine. */
const LAMBDA_WORKER_POLL_MS = 60_000;

const input = z.object({ runId: z.string().min(1), workerId: z.string().min(1) });

/** ExecuteReady: one worker turn — claims and executes ready batches, returns more / waiting / done. */
export const handler = taskHandler(input, async ({ runId, workerId }) => {
  const runtime = await getExecutorRuntime();
  return executeReadyBatches({ runId, workerId, pollForMs: runtime.workerPollMs ?? LAMBDA_WORKER_POLL_MS }, runtime.jobDeps);
});
