import { z } from 'zod';
import { promotePlanJob } from '../../shared/src/plan/plan-job';
import { planJobDeps } from './plan-deps';
import { getExecutorRuntime } from './runtime';
import { taskHandler } from './task-handler';

const input = z
  .object({
    planId: z.string().regex(/^[A-Za-z0-9_-]+$/),
    /** Set by the Catch of the worker Map. */
    error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  })
  .loose();

/** PromotePlan: swaps the environment's views if every backfill batch succeeded. */
export const handler = taskHandler(input, async ({ planId, error }) => {
  const run = await promotePlanJob({ planId, ...(error ? { error: error.Error } : {}) }, planJobDeps(await getExecutorRuntime()));
  return { planId, status: run.status, reason: run.reason };
});
