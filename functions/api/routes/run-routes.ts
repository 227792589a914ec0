import { z } from 'zod';
import { NotFoundError } from '../../../shared/src/errors';
import type { RunRecord } from '../../../shared/src/ports/state-store';
import type { ApiDeps } from '../api-deps';
import { jsonResponse } from '../api-response';
import { runIdSchema } from '../input-schemas';
import { parseInput } from '../parse-input';
import { presentBatch, presentRun } from '../present-run';
import type { RouteHandlers, RoutedRequest } from '../router';

const runParams = z.object({ runId: runIdSchema });

/** The run or plan record, or a NotFoundError naming the id. */
export async function requireRun(deps: ApiDeps, runId: string): Promise<RunRecord> {
  const run = await deps.state.getRun(runId);
  if (!run) throw new NotFoundError(`run '${runId}' does not exist`);
  return run;
}

async function getRun(request: RoutedRequest, deps: ApiDeps) {
  const { runId } = parseInput(runParams, request.params, 'path');
  return jsonResponse(200, presentRun(await requireRun(deps, runId)));
}

/** Finished batches of a run (batches still pending or running in a job are not records yet). */
async function listBatches(request: RoutedRequest, deps: ApiDeps) {
  const { runId } = parseInput(runParams, request.params, 'path');
  await requireRun(deps, runId);
  const batches = (await deps.state.listBatches(runId)).sort(
    (a, b) => a.start - b.start || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
  return jsonResponse(200, { runId, batches: batches.map(presentBatch) });
}

/** The run routes. */
export const runRoutes: RouteHandlers = {
  'GET /runs/{runId}': getRun,
  'GET /runs/{runId}/batches': listBatches,
};
