import { readFile } from 'node:fs/promises';
import { SchedulerError } from '../../shared/src/errors';
import { systemClock } from '../../shared/src/ports/clock';
import type { BundleStore } from '../../shared/src/ports/bundle-store';
import type { JobLauncher } from '../../shared/src/ports/job-launcher';
import { silentReporter } from '../../shared/src/run/run-reporter';
import type { RunJobDeps } from '../../shared/src/run/run-job';
import { DuckDbSqlParser } from '../adapters/duckdb-sql-parser';
import { DynamoDbRunJobStore } from '../adapters/dynamodb-run-job-store';
import { DynamoDbStateStore } from '../adapters/dynamodb-state-store';
import { SfnJobLauncher } from '../adapters/sfn-job-launcher';
import { ENV_BUNDLE_BUCKET, ENV_MAX_CONCURRENCY, ENV_PLAN_STATE_MACHINE_ARN, ENV_RUN_STATE_MACHINE_ARN, ENV_STATE_TABLE } from '../../infra/handler-environment';
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

async function buildLambdaRuntime(): Promise<HandlerRuntime> {
  const tableName = requireEnv(ENV_STATE_TABLE);
  const maxConcurrency = Number(requireEnv(ENV_MAX_CONCURRENCY));
  return {
    jobDeps: {
      state: new DynamoDbStateStore({ tableName }),
      jobs: new DynamoDbRunJobStore({ tableName }),
      get warehouse(): never {
        // Warehouse connections are stored encrypted and decrypted only by the executor; until a gateway's
        // connection is saved there is nothing to execute against.
        throw new SchedulerError('no warehouse connection is stored for this deployment; add one for the gateway first');
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
  };
}
