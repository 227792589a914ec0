import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDbSqlParser } from '../functions/adapters/duckdb-sql-parser';
import { DynamoDbStateStore } from '../functions/adapters/dynamodb-state-store';
import { createLocalDynamoDbClient, startDynamoDbLocal } from '../functions/adapters/dynamodb-local';
import { openWarehouse } from '../functions/adapters/warehouse-connection';
import { SchedulerError } from '../shared/src/errors';
import type { GatewayConfig, ProjectConfig } from '../shared/src/project/model';
import type { StateStore } from '../shared/src/ports/state-store';
import type { Warehouse } from '../shared/src/ports/warehouse';
import { resolveGatewayConnection } from './commands/connection-gateway';

/** Everything local to a project lives here: DynamoDB Local's data and the default DuckDB file. */
export const LOCAL_STATE_FOLDER = '.meshcron';
/** DynamoDB table of the local stack (the AWS stack names its own). */
export const LOCAL_STATE_TABLE = 'meshcron-state';

/** The embedded stack: DynamoDB Local as the state store and the gateway's warehouse (DuckDB by default). */
export interface LocalStack {
  readonly state: StateStore;
  readonly warehouse: Warehouse;
  readonly sqlParser: DuckDbSqlParser;
  /** Where the warehouse lives, for telling the user where the results are. */
  readonly warehouseLocation: string;
  close(): Promise<void>;
}

/**
 * Starts the local stack for a project. DynamoDB Local keeps its data in `<project>/.meshcron/state`; set
 * MESHCRON_DYNAMODB_ENDPOINT to use an already running DynamoDB (Local) instead of starting one.
 */
export async function openLocalStack(root: string, config: ProjectConfig, gatewayName?: string): Promise<LocalStack> {
  const gateway = selectGateway(config, gatewayName);
  // Gateways on the `cloud` scheduler execute on their saved (encrypted) connection, not config.yaml's.
  const connection = await resolveGatewayConnection(root, config, gateway);
  const defaultDuckDb = path.join(root, LOCAL_STATE_FOLDER, 'warehouse.duckdb');
  const location =
    connection.type === 'duckdb'
      ? connection.database && connection.database !== ':memory:' ? path.resolve(root, connection.database) : defaultDuckDb
      : `postgres database '${connection.database}' on ${connection.host}:${connection.port}`;
  await mkdir(path.join(root, LOCAL_STATE_FOLDER, 'state'), { recursive: true });
  if (connection.type === 'duckdb') await mkdir(path.dirname(location), { recursive: true });

  const external = process.env.MESHCRON_DYNAMODB_ENDPOINT;
  const dynamo = external
    ? { endpoint: external, stop: async () => undefined }
    : await startDynamoDbLocal({ dataDir: path.join(root, LOCAL_STATE_FOLDER, 'state') });
  const closers: (() => Promise<void>)[] = [() => dynamo.stop()];
  try {
    const state = new DynamoDbStateStore({ client: createLocalDynamoDbClient(dynamo.endpoint), tableName: LOCAL_STATE_TABLE });
    await state.init();
    const warehouse = await openWarehouse(connection, root, defaultDuckDb);
    closers.unshift(() => warehouse.close());
    const sqlParser = new DuckDbSqlParser();
    closers.unshift(() => sqlParser.close());
    return {
      state,
      warehouse,
      sqlParser,
      warehouseLocation: location,
      close: async () => {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** The gateway to run on: the named one (case-insensitive, as in SQLMesh) or the project's default. */
export function selectGateway(config: ProjectConfig, name?: string): GatewayConfig | undefined {
  const wanted = (name ?? config.defaultGateway).toLowerCase();
  if (config.gateways.length === 0 && name === undefined) return undefined;
  const gateway = config.gateways.find((g) => g.name === wanted);
  if (!gateway) {
    throw new SchedulerError(
      `gateway '${wanted}' is not defined in ${config.file}; defined gateways: ${
        config.gateways.map((g) => g.name).join(', ') || '(none)'
      }`,
    );
  }
  return gateway;
}
