import { NotFoundError } from '../errors';
import type { EnvironmentRecord, StateStore } from '../ports/state-store';
import { decodeStoredModel } from '../plan/stored-model';
import type { EnvironmentModel } from './environment-model';

/** Reads an environment and the snapshots it points at; throws NotFoundError naming what exists. */
export async function loadEnvironment(
  state: StateStore,
  name: string,
): Promise<{ environment: EnvironmentRecord; models: Map<string, EnvironmentModel> }> {
  const environment = await state.getEnvironment(name);
  if (!environment) {
    const known = (await state.listEnvironments()).map((e) => e.name).sort();
    throw new NotFoundError(
      `environment '${name}' does not exist; ` +
        (known.length > 0 ? `known environments: ${known.join(', ')}` : `apply a plan first: meshcron plan ${name}`),
    );
  }
  const snapshots = await state.getSnapshots(environment.snapshots);
  if (snapshots.length !== environment.snapshots.length) {
    const found = new Set(snapshots.map((s) => `${s.name}/${s.identifier}`));
    const lost = environment.snapshots.filter((s) => !found.has(`${s.name}/${s.identifier}`)).map((s) => s.name);
    throw new NotFoundError(`environment '${name}' points at snapshots that are missing from state: ${lost.join(', ')}`);
  }
  const models = new Map<string, EnvironmentModel>();
  for (const snapshot of snapshots) models.set(snapshot.name, { snapshot, stored: decodeStoredModel(snapshot) });
  return { environment, models };
}
