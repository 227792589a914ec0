import { NotFoundError } from '../errors';
import type { PauseRecord, StateStore } from '../ports/state-store';
import { loadEnvironment } from '../run/load-environment';
import { pauseIdOf } from './pause-id';

/** Most model names listed in a "no such model" message. */
const MAX_LISTED_MODELS = 20;

export interface CreatePauseInput {
  /** Normalised environment name. */
  readonly environment: string;
  /** The model to pause with everything downstream; undefined pauses the whole environment. */
  readonly model?: string;
  readonly reason?: string;
  /** Who pauses (user name or IAM identity). */
  readonly createdBy: string;
}

/**
 * Pauses an environment or one of its models (and its downstream). The environment and model must exist;
 * the write is conditional, so a pause that exists already is refused with PauseConflictError and nothing
 * changes.
 *
 * @throws NotFoundError naming the known environments or the environment's models.
 * @example
 * await createPause(state, { environment: 'prod', model: 'shop.orders', reason: 'bad feed', createdBy: 'ana' }, nowMs);
 */
export async function createPause(state: StateStore, input: CreatePauseInput, nowMs: number): Promise<PauseRecord> {
  const { models } = await loadEnvironment(state, input.environment);
  if (input.model !== undefined && !models.has(input.model)) {
    const names = [...models.keys()].sort();
    const listed = names.slice(0, MAX_LISTED_MODELS).join(', ') + (names.length > MAX_LISTED_MODELS ? `, and ${names.length - MAX_LISTED_MODELS} more` : '');
    throw new NotFoundError(`environment '${input.environment}' has no model '${input.model}'; its models: ${listed || 'none'}`);
  }
  const pause: PauseRecord = {
    environment: input.environment,
    pauseId: pauseIdOf(input.model),
    ...(input.model === undefined ? {} : { model: input.model }),
    ...(input.reason === undefined || input.reason === '' ? {} : { reason: input.reason }),
    createdBy: input.createdBy,
    createdTs: nowMs,
  };
  await state.putPause(pause);
  return pause;
}

/**
 * The pauses of an existing environment, by id.
 *
 * @throws NotFoundError when the environment does not exist.
 */
export async function listEnvironmentPauses(state: StateStore, environment: string): Promise<PauseRecord[]> {
  await requireEnvironment(state, environment);
  return state.listPauses(environment);
}

/**
 * Resumes: deletes the pause and returns it. The next run then catches up every missed interval in order.
 *
 * @throws NotFoundError when the environment or the pause does not exist (naming the pauses that do).
 */
export async function deletePause(state: StateStore, environment: string, pauseId: string): Promise<PauseRecord> {
  await requireEnvironment(state, environment);
  const removed = await state.deletePause(environment, pauseId);
  if (removed) return removed;
  throw await pauseNotFound(state, environment, pauseId);
}

/** The pause, or NotFoundError naming the environment's pauses. */
export async function getPause(state: StateStore, environment: string, pauseId: string): Promise<PauseRecord> {
  const pauses = await listEnvironmentPauses(state, environment);
  const found = pauses.find((p) => p.pauseId === pauseId);
  if (found) return found;
  throw await pauseNotFound(state, environment, pauseId);
}

async function requireEnvironment(state: StateStore, environment: string): Promise<void> {
  // loadEnvironment's error lists the known environments.
  if (!(await state.getEnvironment(environment))) await loadEnvironment(state, environment);
}

async function pauseNotFound(state: StateStore, environment: string, pauseId: string): Promise<NotFoundError> {
  const ids = (await state.listPauses(environment)).map((p) => p.pauseId);
  return new NotFoundError(
    `environment '${environment}' has no pause '${pauseId}'; ` +
      (ids.length > 0 ? `its pauses: ${ids.join(', ')}` : 'it has no pauses'),
  );
}
