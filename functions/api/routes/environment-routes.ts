import { z } from 'zod';
import { NotFoundError } from '../../../shared/src/errors';
import type { EnvironmentRecord } from '../../../shared/src/ports/state-store';
import { environmentStatus, type ModelStatus } from '../../../shared/src/run/environment-status';
import { loadEnvironment } from '../../../shared/src/run/load-environment';
import { runJobName } from '../../../shared/src/run/tick';
import type { ApiDeps } from '../api-deps';
import { ApiError } from '../api-error';
import { jsonResponse } from '../api-response';
import { MINUTE_MS } from '../constants';
import { environmentNameSchema, instantSchema } from '../input-schemas';
import { parseInput, parseJsonBody } from '../parse-input';
import { presentEnvironment, presentEnvironmentSummary, presentModel } from '../present-environment';
import { isoTime } from '../present-time';
import type { RouteHandlers, RoutedRequest } from '../router';

const envParams = z.object({ env: environmentNameSchema });
const runBody = z.strictObject({ executionTime: instantSchema.optional() });

/** Freshness of one listed environment; a damaged one (snapshots missing) reports its problem instead. */
async function statusOrProblem(deps: ApiDeps, env: EnvironmentRecord, nowMs: number): Promise<ModelStatus[] | { problem: string }> {
  try {
    return await environmentStatus(deps.state, env.name, nowMs);
  } catch (error) {
    if (error instanceof NotFoundError) return { problem: error.message };
    throw error;
  }
}

async function listEnvironments(_request: RoutedRequest, deps: ApiDeps) {
  const nowMs = deps.clock.nowMs();
  const environments = await deps.state.listEnvironments();
  const summaries = await Promise.all(
    environments.map(async (env) => presentEnvironmentSummary(env, await statusOrProblem(deps, env, nowMs))),
  );
  return jsonResponse(200, { asOf: isoTime(nowMs), environments: summaries });
}

async function getEnvironment(request: RoutedRequest, deps: ApiDeps) {
  const { env } = parseInput(envParams, request.params, 'path');
  const nowMs = deps.clock.nowMs();
  // environmentStatus answers an unknown environment with a NotFoundError that lists the known ones.
  const models = await environmentStatus(deps.state, env, nowMs);
  const environment = await deps.state.getEnvironment(env);
  if (!environment) throw new NotFoundError(`environment '${env}' was removed while it was being read`);
  return jsonResponse(200, presentEnvironment(environment, models, nowMs));
}

async function listModels(request: RoutedRequest, deps: ApiDeps) {
  const { env } = parseInput(envParams, request.params, 'path');
  const nowMs = deps.clock.nowMs();
  const models = await environmentStatus(deps.state, env, nowMs);
  return jsonResponse(200, { environment: env, asOf: isoTime(nowMs), models: models.map(presentModel) });
}

/**
 * Starts a run job now. The job is named like the tick's ({@link runJobName}), so a trigger in the same
 * minute as a tick (or a repeated trigger) starts one job and answers `exists`.
 */
async function startRun(request: RoutedRequest, deps: ApiDeps) {
  const { env } = parseInput(envParams, request.params, 'path');
  const { executionTime } = parseInput(runBody, parseJsonBody(request.body, { required: false }), 'body');
  const nowMs = deps.clock.nowMs();
  const executionMs = executionTime === undefined ? Math.floor(nowMs / MINUTE_MS) * MINUTE_MS : Date.parse(executionTime);
  if (executionMs > nowMs) {
    // Run jobs treat the execution time as "now": a later one would record intervals that have not ended.
    throw new ApiError(
      400,
      'invalid_input',
      `executionTime: ${isoTime(executionMs)} is later than now (${isoTime(nowMs)}); give an instant that has passed`,
      { field: 'executionTime' },
    );
  }
  const { environment } = await loadEnvironment(deps.state, env);
  if (environment.finalizedTs === undefined) {
    throw new ApiError(
      409,
      'not_finalized',
      `environment '${env}' is still being planned (plan ${environment.planId}); start a run once the plan is applied`,
    );
  }
  const runId = runJobName(environment.name, nowMs);
  const status = await deps.launcher.start('run', runId, { environment: environment.name, runId, executionTime: isoTime(executionMs) });
  return jsonResponse(202, { runId, status });
}

/** The environment routes. */
export const environmentRoutes: RouteHandlers = {
  'GET /environments': listEnvironments,
  'GET /environments/{env}': getEnvironment,
  'GET /environments/{env}/models': listModels,
  'POST /environments/{env}/runs': startRun,
};
