import { LocalConnectionStore } from '../../functions/adapters/connection-local-store';
import { parseConnection, type WarehouseConnection } from '../../functions/adapters/warehouse-connection';
import { ConnectionNotFoundError } from '../../shared/src/connections/connection-errors';
import { usesSavedConnection } from '../../shared/src/connections/saved-connection-gateway';
import type { GatewayConfig, ProjectConfig } from '../../shared/src/project/model';

/**
 * The connection a gateway of the embedded stack executes on. A gateway whose scheduler is `{type: cloud}`
 * (on the gateway or at the top of config.yaml) uses the connection saved with `meshcron connection add`
 * for its name (case-insensitive; the default saved connection for an unnamed gateway), so config.yaml needs
 * no credentials; any other gateway uses its config.yaml connection (in-memory DuckDB when it has none).
 *
 * @throws ConnectionNotFoundError listing the saved gateways and how to add one, before anything starts.
 */
export async function resolveGatewayConnection(
  root: string,
  config: ProjectConfig,
  gateway: GatewayConfig | undefined,
): Promise<WarehouseConnection> {
  if (!usesSavedConnection(config, gateway)) {
    return parseConnection(gateway?.connection ?? { type: 'duckdb' }, `gateways.${gateway?.name || 'default'}.connection`);
  }
  const store = new LocalConnectionStore({ root });
  const name = gateway?.name ? gateway.name : undefined;
  try {
    return await store.resolve(name);
  } catch (error) {
    if (!(error instanceof ConnectionNotFoundError)) throw error;
    const label = name ?? '<gateway>';
    throw new ConnectionNotFoundError(
      error.gateway,
      error.saved,
      `gateway '${name ?? 'default'}' uses scheduler {type: cloud} in ${config.file}, so plan and run use its saved connection; ` +
        `save one with: meshcron connection add ${label} --file conn.yaml`,
    );
  }
}
