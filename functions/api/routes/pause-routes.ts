import { z } from 'zod';
import { MAX_PAUSE_REASON_LENGTH, UNKNOWN_PAUSER } from '../../../shared/src/pause/constants';
import { createPause, deletePause, listEnvironmentPauses } from '../../../shared/src/pause/manage-pauses';
import { PauseConflictError } from '../../../shared/src/pause/pause-conflict-error';
import { previewResume } from '../../../shared/src/pause/preview-resume';
import type { PauseRecord } from '../../../shared/src/ports/state-store';
import type { ApiDeps } from '../api-deps';
import { ApiError } from '../api-error';
import { jsonResponse } from '../api-response';
import { MINUTE_MS } from '../constants';
import { environmentNameSchema } from '../input-schemas';
import { parseInput, parseJsonBody } from '../parse-input';
import { isoTime } from '../present-time';
import type { RouteHandlers, RoutedRequest } from '../router';

const envParams = z.object({ env: environmentNameSchema });
const pauseParams = z.object({
  env: environmentNameSchema,
  pauseId: z.string().min(1, 'must not be empty').regex(/^(env|model:.+)$/, "must be 'env' or 'model:<model name>'"),
});
const pauseBody = z.strictObject({
  model: z.string().min(1, 'must not be empty').optional(),
  reason: z.string().max(MAX_PAUSE_REASON_LENGTH, `must be at most ${MAX_PAUSE_REASON_LENGTH} characters`).optional(),
  /** Who pauses, as the caller names itself (the CLI sends the user name). */
  by: z.string().min(1).max(200).optional(),
});

/** A pause as the API shows it. */
export interface PauseView {
  readonly id: string;
  readonly environment: string;
  readonly model: string | null;
  readonly reason: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

function presentPause(pause: PauseRecord): PauseView {
  return {
    id: pause.pauseId,
    environment: pause.environment,
    model: pause.model ?? null,
    reason: pause.reason ?? null,
    createdBy: pause.createdBy,
    createdAt: isoTime(pause.createdTs),
  };
}

async function listPauses(request: RoutedRequest, deps: ApiDeps) {
  const { env } = parseInput(envParams, request.params, 'path');
  const pauses = await listEnvironmentPauses(deps.state, env);
  return jsonResponse(200, { environment: env, pauses: pauses.map(presentPause) });
}

async function addPause(request: RoutedRequest, deps: ApiDeps) {
  const { env } = parseInput(envParams, request.params, 'path');
  const body = parseInput(pauseBody, parseJsonBody(request.body, { required: false }), 'body');
  try {
    const pause = await createPause(
      deps.state,
      {
        environment: env,
        ...(body.model === undefined ? {} : { model: body.model }),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        createdBy: body.by ?? UNKNOWN_PAUSER,
      },
      deps.clock.nowMs(),
    );
    return jsonResponse(201, presentPause(pause));
  } catch (error) {
    // A duplicate is the caller's doing: 409 with the stored pause's details in the message.
    if (error instanceof PauseConflictError) throw new ApiError(409, 'pause_exists', error.message, { field: body.model === undefined ? 'env' : 'model' });
    throw error;
  }
}

async function removePause(request: RoutedRequest, deps: ApiDeps) {
  const { env, pauseId } = parseInput(pauseParams, request.params, 'path');
  const removed = await deletePause(deps.state, env, pauseId);
  return jsonResponse(200, { resumed: presentPause(removed) });
}

/** What resuming would run now: the same planning as the next run, without this pause. */
async function previewPause(request: RoutedRequest, deps: ApiDeps) {
  const { env, pauseId } = parseInput(pauseParams, request.params, 'path');
  const executionTimeMs = Math.floor(deps.clock.nowMs() / MINUTE_MS) * MINUTE_MS;
  const preview = await previewResume(deps.state, { environment: env, pauseId, executionTimeMs });
  const released = new Set(preview.releasedBatchIds);
  return jsonResponse(200, {
    pause: presentPause(preview.pause),
    executionTime: isoTime(executionTimeMs),
    batches: preview.batches.map((b) => ({
      id: b.id,
      model: b.model,
      start: isoTime(b.interval[0]),
      end: isoTime(b.interval[1]),
      releasedByResume: released.has(b.id),
    })),
    stillPaused: preview.stillHeld.map((h) => ({ id: h.batch.id, model: h.batch.model, pause: h.pause.pauseId })),
  });
}

/** The pause routes: pause and resume an environment or a model, list pauses, preview a resume. */
export const pauseRoutes: RouteHandlers = {
  'GET /environments/{env}/pauses': listPauses,
  'POST /environments/{env}/pauses': addPause,
  'DELETE /environments/{env}/pauses/{pauseId}': removePause,
  'GET /environments/{env}/pauses/{pauseId}/preview': previewPause,
};
