import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SavedConnectionWarehouse } from '../../../functions/adapters/connection-warehouse';
import type { WarehouseConnection } from '../../../functions/adapters/warehouse-connection';
import { getExecutorRuntime, getRuntime, injectRuntime } from '../../../functions/handlers/runtime';
import type { Row, Warehouse } from '../../../shared/src/ports/warehouse';
import { DUCKDB } from './support/connection-store.contract';

/** A warehouse that records what happens to it. */
function fakeWarehouse(dialect: string, log: string[]): Warehouse {
  return {
    dialect,
    execute: async (sql) => {
      log.push(`${dialect}: ${sql}`);
    },
    query: async (): Promise<Row[]> => [{ ok: 1 }],
    transaction: async (fn) => fn({ execute: async () => undefined, query: async () => [] }),
    relationExists: async () => false,
    close: async () => {
      log.push(`${dialect}: closed`);
    },
  };
}

describe('SavedConnectionWarehouse', () => {
  it('fetches nothing until refreshed, and refuses to be used before', async () => {
    // Arrange
    let resolves = 0;
    const warehouse = new SavedConnectionWarehouse({
      resolve: async () => {
        resolves += 1;
        return DUCKDB;
      },
      open: async () => fakeWarehouse('duckdb', []),
    });
    // Act / Assert
    expect(() => warehouse.dialect).toThrow('the warehouse is opened from the saved connection at execution time; an executor handler must call refresh() first');
    await expect(warehouse.query('SELECT 1')).rejects.toThrow('must call refresh() first');
    expect(resolves).toBe(0);
  });

  it('keeps the open warehouse while the saved connection is unchanged and reopens when it changes', async () => {
    // Arrange
    const log: string[] = [];
    let saved: WarehouseConnection = DUCKDB;
    const opened: string[] = [];
    const warehouse = new SavedConnectionWarehouse({
      resolve: async () => saved,
      open: async (connection) => {
        opened.push(connection.type);
        return fakeWarehouse(connection.type, log);
      },
    });
    // Act
    await warehouse.refresh();
    await warehouse.execute('one');
    await warehouse.refresh();
    saved = { type: 'postgres', host: 'h', port: 5432, user: 'u', password: 'pw-new-1', database: 'd' };
    await warehouse.refresh();
    await warehouse.execute('two');
    await warehouse.close();
    // Assert
    expect(opened).toEqual(['duckdb', 'postgres']);
    expect(log).toEqual(['duckdb: one', 'duckdb: closed', 'postgres: two', 'postgres: closed']);
    expect(() => warehouse.dialect).toThrow('must call refresh() first');
  });
});

describe('the Lambda runtime of the executor handlers', () => {
  const sm = mockClient(SecretsManagerClient);
  const ddb = mockClient(DynamoDBClient);

  beforeAll(() => {
    injectRuntime(undefined);
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      STATE_TABLE: 'meshcron-state',
      MAX_CONCURRENCY: '2',
      RUN_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:meshcron-run-job',
      BUNDLE_BUCKET: 'bundles',
      CONNECTION_SECRET_PREFIX: 'meshcron',
      CONNECTION_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    ddb.on(QueryCommand).resolves({ Items: [marshall({ pk: 'CONNECTIONS', sk: 'pg', type: 'duckdb', updatedAt: 1, defaultSince: 1 })] });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ type: 'duckdb', database: ':memory:' }) });
  });
  afterAll(() => {
    sm.restore();
    ddb.restore();
    for (const key of ['STATE_TABLE', 'MAX_CONCURRENCY', 'RUN_STATE_MACHINE_ARN', 'BUNDLE_BUCKET', 'CONNECTION_SECRET_PREFIX', 'CONNECTION_KEY_ARN']) delete process.env[key];
  });

  it('reads no secret at cold start, and fetches and decrypts the default connection per executor invocation', async () => {
    // Act
    const runtime = await getRuntime();
    const afterColdStart = sm.commandCalls(GetSecretValueCommand).length;
    await getExecutorRuntime();
    const rows = await runtime.jobDeps.warehouse.query('SELECT 41 + 1 AS answer');
    await getExecutorRuntime();
    // Assert
    expect(afterColdStart).toBe(0);
    expect(runtime.jobDeps.warehouse.dialect).toBe('duckdb');
    expect(rows).toEqual([{ answer: 42 }]);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'meshcron/connections/pg' },
      { SecretId: 'meshcron/connections/pg' },
    ]);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.TableName)).toEqual(['meshcron-state', 'meshcron-state']);
    expect(runtime.connections).toBeDefined();
    await runtime.jobDeps.warehouse.close();
  });
});
