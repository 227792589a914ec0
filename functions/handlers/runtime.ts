import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SchedulerError } from '../../shared/src/errors';
import { systemClock } from '../../shared/src/ports/clock';
import type { BundleStore } from '../../shared/src/ports/bundle-store';
import type { ConnectionManager } from '../../shared/src/ports/connection-store';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import { silentReporter } from '../../shared/src/run/run-reporter';
import type { RunJobDeps } from '../../shared/src/run/run-job';
import { DuckDbSqlParser } from '../adapters/duckdb-sql-parser';
import { DynamoDbRunJobStore } from '../adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../adapters/dynamodb-state-store';
import { SfnJobLauncher } from '../adapters/sfn-job-launcher';
import {
  ENV_BUNDLE_BUCKET,
  ENV_CONNECTION_KEY_ARN,
  ENV_CONNECTION_SECRET_PREFIX,
  ENV_MAX_CONCURRENCY,
  ENV_PLAN_STATE_MACHINE_ARN,
  ENV_RUN_STATE_MACHINE_ARN,
  ENV_STATE_TABLE,
} from '../../infra/handler-environment';
import { SecretsManagerConnectionStore } from '../adapters/connection-secrets-store';
import { WarehouseConnectionTester } from '../adapters/connection-tester';
import { SavedConnectionWarehouse } from '../adapters/connection-warehouse';
import { openWarehouse, parseConnection, type WarehouseConnection } from '../adapters/warehouse-connection';
import { S3BundleStore } from '../adapters/s3-bundle-store';
import { requireEnv } from './require-env';

/**
 * What the handlers work with. On Lambda it is built once per cold start from environment variables; the
 * local stack and the tests inject their own (DynamoDB Local, DuckDB, the in-process state machines), so the
 * very same handler functions run in both places.
 */
export interface HandlerRuntime {
  readonly jobDeps: RunJobDeps;
  readonly launcher: JobLauncher;
  /** Workers per run or plan job (the Map's items). */
  readonly maxConcurrency: number;
  /** How long a worker polls for ready batches before answering `waiting` (default one minute on Lambda). */
  readonly workerPollMs?: number;
  /** Submitted project bundles; without one the API cannot accept plans (501). */
  readonly bundles?: BundleStore;
  /** Saved warehouse connections (the API's connection routes); without them those routes answer 501. */
  readonly connections?: ConnectionManager<WarehouseConnection>;
  /**
   * Fetches and decrypts the saved connection and (re)opens `jobDeps.warehouse`; see {@link getExecutorRuntime}.
   * Absent where the warehouse is injected ready to use (local stack, tests).
   */
  readonly prepareWarehouse?: () => Promise<void>;
}

let injected: HandlerRuntime | undefined;
let fromEnvironment: Promise<HandlerRuntime> | undefined;

/** Makes every handler use `runtime` (local stack, tests); `undefined` goes back to the Lambda default. */
export function injectRuntime(runtime: HandlerRuntime | undefined): void {
  injected = runtime;
}

export async function getRuntime(): Promise<HandlerRuntime> {
  if (injected) return injected;
  fromEnvironment ??= buildLambdaRuntime();
  return fromEnvironment;
}

/**
 * The runtime of a handler that executes SQL (prepare-plan, execute-batches, promote-plan): the saved
 * connection is fetched and decrypted now, at each invocation, and never at cold start or by other handlers.
 */
export async function getExecutorRuntime(): Promise<HandlerRuntime> {
  const runtime = await getRuntime();
  await runtime.prepareWarehouse?.();
  return runtime;
}

async function buildLambdaRuntime(): Promise<HandlerRuntime> {
  const tableName = requireEnv(ENV_STATE_TABLE);
  const maxConcurrency = Number(requireEnv(ENV_MAX_CONCURRENCY));
  const secretPrefix = process.env[ENV_CONNECTION_SECRET_PREFIX];
  const store = secretPrefix
    ? new SecretsManagerConnectionStore({ namePrefix: secretPrefix, kmsKeyId: process.env[ENV_CONNECTION_KEY_ARN] ?? '', tableName })
    : undefined;
  // Relative DuckDB paths of a saved connection resolve under /tmp, the only writable folder on Lambda.
  const connections: ConnectionManager<WarehouseConnection> | undefined = store
    ? { store, tester: new WarehouseConnectionTester({ root: tmpdir() }), parse: parseConnection }
    : undefined;
  // Executors run on the default saved connection.
  const warehouse = store
    ? new SavedConnectionWarehouse({
        resolve: () => store.resolve(),
        open: (connection) => openWarehouse(connection, tmpdir(), path.join(tmpdir(), 'meshcron-warehouse.duckdb')),
      })
    : undefined;
  return {
    jobDeps: {
      state: new DynamoDbStateStore({ tableName }),
      jobs: new DynamoDbRunJobStore({ tableName }),
      get warehouse(): SavedConnectionWarehouse {
        if (!warehouse) throw new SchedulerError(`no connection store is configured for this deployment (${ENV_CONNECTION_SECRET_PREFIX} is not set)`);
        return warehouse;
      },
      sqlParser: new DuckDbSqlParser(),
      clock: systemClock,
      reporter: silentReporter,
      readSeedFile: (path) => readFile(path, 'utf8'),
    },
    launcher: new SfnJobLauncher({
      run: requireEnv(ENV_RUN_STATE_MACHINE_ARN),
      plan: process.env[ENV_PLAN_STATE_MACHINE_ARN] ?? '',
    }),
    maxConcurrency,
    bundles: new S3BundleStore(requireEnv(ENV_BUNDLE_BUCKET)),
    ...(connections ? { connections } : {}),
    ...(warehouse ? { prepareWarehouse: () => warehouse.refresh() } : {}),
  };
}
