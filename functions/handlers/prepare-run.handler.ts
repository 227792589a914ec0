import { z } from 'zod';
import { prepareRunJob } from '../../shared/src/run/run-job';
import { getRuntime } from './runtime';
import { taskHandler } from './task-handler';

const input = z.object({
  environment: z.string().min(1),
  runId: z.string().min(1),
  executionTime: z.iso.datetime({ offset: true }),
});

/** PrepareRun: plans the run job's batches and returns the worker ids for the Map. */
export const handler = taskHandler(input, async ({ environment, runId, executionTime }) => {
  const runtime = await getRuntime();
  const { batchCount } = await prepareRunJob({ environment, runId, executionTimeMs: Date.parse(executionTime) }, runtime.jobDeps);
  const workerCount = Math.max(1, Math.min(runtime.maxConcurrency, batchCount));
  return { runId, batchCount, workers: Array.from({ length: workerCount }, (_, i) => `w${i + 1}`) };
});
