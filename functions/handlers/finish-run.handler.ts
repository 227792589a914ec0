import { z } from 'zod';
import { finishRunJob } from '../../shared/src/run/run-job';
import { getRuntime } from './runtime';
import { taskHandler } from './task-handler';

const input = z.object({
  runId: z.string().min(1),
  /** Set by the Catch of the worker Map: `{Error, Cause}` of what stopped the job. */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

/** FinishRun: closes the run record with its outcome and reason. */
export const handler = taskHandler(input.loose(), async ({ runId, error }) => {
  const runtime = await getRuntime();
  const run = await finishRunJob({ runId, ...(error ? { error: error.Error } : {}) }, runtime.jobDeps);
  return { runId, status: run.status, reason: run.reason };
});
