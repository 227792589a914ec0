import { z } from 'zod';
import { preparePlanJob } from '../../shared/src/plan/plan-job';
import { planJobDeps } from './plan-deps';
import { getExecutorRuntime } from './runtime';
import { taskHandler } from './task-handler';

const input = z.object({ planId: z.string().regex(/^[A-Za-z0-9_-]+$/) });

/** PreparePlan: computes the submitted plan, creates its tables, stores its backfill batches. */
export const handler = taskHandler(input, async ({ planId }) => {
  const runtime = await getExecutorRuntime();
  const { batchCount } = await preparePlanJob({ planId }, planJobDeps(runtime));
  const workerCount = Math.max(1, Math.min(runtime.maxConcurrency, batchCount));
  // The workers are the same execute-batches handler as run jobs, with the plan id as the run id.
  return { planId, runId: planId, batchCount, workers: Array.from({ length: workerCount }, (_, i) => `w${i + 1}`) };
});
