import { z } from 'zod';
import { NotFoundError } from '../../../shared/src/errors';
import type { RunRecord } from '../../../shared/src/ports/state-store';
import type { ApiDeps } from '../api-deps';
import { ApiError } from '../api-error';
import { jsonResponse } from '../api-response';
import { MINUTE_MS, PLAN_LAUNCH_FAILED_REASON } from '../constants';
import { environmentNameSchema, runIdSchema } from '../input-schemas';
import { parseInput, parseJsonBody } from '../parse-input';
import { checkBundle, planIdFor } from '../plan-bundle';
import { presentRun } from '../present-run';
import type { RouteHandlers, RoutedRequest } from '../router';

const planBody = z.strictObject({
  environment: environmentNameSchema,
  files: z.record(z.string(), z.string({ error: 'file contents must be a string' }), {
    error: 'must be an object of relative path to file contents',
  }),
});
const planParams = z.object({ planId: runIdSchema });

/**
 * Accepts a project bundle for planning: stores it, records the plan as running and starts the plan job,
 * which loads, plans, backfills and promotes. Bundle first, record second, job last: each step finds what
 * the one before wrote, and a retry of the same request (same plan id) redoes only what is missing.
 */
async function submitPlan(request: RoutedRequest, deps: ApiDeps) {
  const { bundles } = deps;
  if (!bundles) {
    throw new ApiError(501, 'not_implemented', 'this deployment has no project bundle store configured, so plans cannot be submitted');
  }
  const { environment, files } = parseInput(planBody, parseJsonBody(request.body, { required: true }), 'body');
  checkBundle(files);
  const nowMs = deps.clock.nowMs();
  const planId = planIdFor(environment, files, nowMs);
  const record: RunRecord = {
    runId: planId,
    kind: 'plan',
    environment,
    status: 'running',
    executionTs: Math.floor(nowMs / MINUTE_MS) * MINUTE_MS,
    startedTs: nowMs,
  };
  const existing = await deps.state.getRun(planId);
  const current = existing && existing.reason !== PLAN_LAUNCH_FAILED_REASON ? existing : record;
  if (current === record) {
    await bundles.put(planId, files);
    await deps.state.putRun(record);
  }
  let status: 'started' | 'exists';
  try {
    status = await deps.launcher.start('plan', planId, { planId });
  } catch (error) {
    // A plan left `running` with no job would never end; marked like this, a retry may start it again.
    if (current.status === 'running') {
      await deps.state.putRun({ ...current, status: 'failed', reason: PLAN_LAUNCH_FAILED_REASON, endedTs: deps.clock.nowMs() });
    }
    throw error;
  }
  return jsonResponse(202, { planId, status });
}

async function getPlan(request: RoutedRequest, deps: ApiDeps) {
  const { planId } = parseInput(planParams, request.params, 'path');
  const run = await deps.state.getRun(planId);
  if (!run || run.kind !== 'plan') throw new NotFoundError(`plan '${planId}' does not exist`);
  return jsonResponse(200, presentRun(run));
}

/** The plan routes. */
export const planRoutes: RouteHandlers = {
  'POST /plans': submitPlan,
  'GET /plans/{planId}': getPlan,
};
