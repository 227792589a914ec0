import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDbSqlParser } from '../../functions/adapters/duckdb-sql-parser';
import { createLocalDynamoDbClient, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { DynamoDbRunJobStore } from '../../functions/adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../../functions/adapters/dynamodb-state-store';
import { openWarehouse, parseConnection } from '../../functions/adapters/warehouse-connection';
import type { ProjectConfig } from '../../shared/src/project/model';
import type { Warehouse } from '../../shared/src/ports/warehouse';
import { LOCAL_STATE_FOLDER, LOCAL_STATE_TABLE, selectGateway } from '../local-stack';

/** What the dev stack's handlers run on: the CLI's state (same DynamoDB Local data, same table) and warehouse. */
export interface DevResources {
  readonly state: DynamoDbStateStore;
  /** Run-job bookkeeping on the state table, as the deployed stack keeps it. */
  readonly jobs: DynamoDbRunJobStore;
  readonly warehouse: Warehouse;
  readonly sqlParser: DuckDbSqlParser;
  /** Where the warehouse is, for telling the user where results land. */
  readonly warehouseLocation: string;
  /** Where DynamoDB Local keeps its data, or the endpoint of an external one. */
  readonly stateLocation: string;
  /** The DynamoDB endpoint the stores use. */
  readonly stateEndpoint: string;
  close(): Promise<void>;
}

/**
 * Opens the project's state and warehouse exactly where `meshcron plan|run|status` find them: DynamoDB
 * Local on `<project>/.meshcron/state` (or MESHCRON_DYNAMODB_ENDPOINT) and the gateway's warehouse, so the
 * embedded CLI sees what the dev API did once the dev stack has stopped.
 */
export async function openDevResources(root: string, config: ProjectConfig, gatewayName?: string): Promise<DevResources> {
  const gateway = selectGateway(config, gatewayName);
  const connection = parseConnection(gateway?.connection ?? { type: 'duckdb' }, `gateways.${gateway?.name || 'default'}.connection`);
  const defaultDuckDb = path.join(root, LOCAL_STATE_FOLDER, 'warehouse.duckdb');
  const warehouseLocation =
    connection.type === 'duckdb'
      ? connection.database && connection.database !== ':memory:' ? path.resolve(root, connection.database) : defaultDuckDb
      : `postgres database '${connection.database}' on ${connection.host}:${connection.port}`;
  if (connection.type === 'duckdb') await mkdir(path.dirname(warehouseLocation), { recursive: true });

  const dataDir = path.join(root, LOCAL_STATE_FOLDER, 'state');
  const external = process.env.MESHCRON_DYNAMODB_ENDPOINT;
  const dynamo = external ? { endpoint: external, stop: async () => undefined } : await startDynamoDbLocal({ dataDir });
  const client = createLocalDynamoDbClient(dynamo.endpoint);
  // Closed in reverse order of opening; DynamoDB Local goes last so nothing writes to a stopped store.
  const closers: (() => Promise<void>)[] = [() => dynamo.stop(), async () => client.destroy()];
  try {
    const state = new DynamoDbStateStore({ client, tableName: LOCAL_STATE_TABLE });
    await state.init();
    const jobs = new DynamoDbRunJobStore({ client, tableName: LOCAL_STATE_TABLE });
    const warehouse = await openWarehouse(connection, root, defaultDuckDb);
    closers.push(() => warehouse.close());
    const sqlParser = new DuckDbSqlParser();
    closers.push(() => sqlParser.close());
    return {
      state,
      jobs,
      warehouse,
      sqlParser,
      warehouseLocation,
      stateLocation: external ? `DynamoDB at ${external}` : dataDir,
      stateEndpoint: dynamo.endpoint,
      close: async () => {
        for (const close of [...closers].reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    throw error;
  }
}
