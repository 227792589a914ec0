import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type MeshcronSettings, type MeshcronSettingsInput, resolveMeshcronSettings } from '../config/meshcron-settings';
import { BundleBucket } from '../constructs/bundle-bucket';
import { ConnectionSecrets } from '../constructs/connection-secrets';
import { ControlApi } from '../constructs/control-api';
import { HandlerFunctions } from '../constructs/handler-functions';
import { Monitoring } from '../constructs/monitoring';
import { Orchestration } from '../constructs/orchestration';
import { StateTable } from '../constructs/state-table';
import { TickSchedule } from '../constructs/tick-schedule';
import { WAREHOUSE_HANDLERS } from '../handlers';
import {
  ENV_BUNDLE_BUCKET,
  ENV_CONNECTION_KEY_ARN,
  ENV_CONNECTION_SECRET_PREFIX,
  ENV_MAX_CONCURRENCY,
  ENV_PLAN_STATE_MACHINE_ARN,
  ENV_RUN_STATE_MACHINE_ARN,
  ENV_STATE_TABLE,
} from '../handler-environment';

/** Props of {@link MeshcronStack}: the usual stack props plus settings that win over CDK context. */
export interface MeshcronStackProps extends StackProps, MeshcronSettingsInput {}

/**
 * The whole Meshcron deployment in one stack: state table and key, bundle bucket, handlers, the run-job
 * and plan state machines, the per-minute tick, the IAM-authorized control API and monitoring. Settings come
 * from props, else from CDK context (see CONTEXT_KEYS), else defaults.
 */
export class MeshcronStack extends Stack {
  readonly settings: MeshcronSettings;
  readonly stateTable: StateTable;
  readonly bundleBucket: BundleBucket;
  readonly connectionSecrets: ConnectionSecrets;
  readonly handlers: HandlerFunctions;
  readonly orchestration: Orchestration;
  readonly tickSchedule: TickSchedule;
  readonly api: ControlApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: MeshcronStackProps = {}) {
    super(scope, id, props);
    const settings = resolveMeshcronSettings(this, props);
    this.settings = settings;
    const { namePrefix, logRetentionDays, maxConcurrency } = settings;

    this.stateTable = new StateTable(this, 'State', { namePrefix });
    this.bundleBucket = new BundleBucket(this, 'ProjectBundles');
    this.connectionSecrets = new ConnectionSecrets(this, 'Connections', { namePrefix });
    this.handlers = new HandlerFunctions(this, 'Handlers', {
      namePrefix,
      logRetentionDays,
      ...(settings.network ? { network: settings.network } : {}),
    });
    const fn = this.handlers.functions;

    this.orchestration = new Orchestration(this, 'Orchestration', { namePrefix, maxConcurrency, logRetentionDays, functions: fn });
    const { runJob, planApplication } = this.orchestration;

    const environment: Readonly<Record<string, string>> = {
      [ENV_STATE_TABLE]: this.stateTable.table.tableName,
      [ENV_BUNDLE_BUCKET]: this.bundleBucket.bucket.bucketName,
      [ENV_MAX_CONCURRENCY]: String(maxConcurrency),
      // Formatted from the fixed names, not referenced: the machines reference the task functions, so a
      // reference back from those functions' environment would be a dependency cycle.
      [ENV_RUN_STATE_MACHINE_ARN]: this.orchestration.stateMachineArnOf(runJob),
      [ENV_PLAN_STATE_MACHINE_ARN]: this.orchestration.stateMachineArnOf(planApplication),
      [ENV_CONNECTION_SECRET_PREFIX]: namePrefix,
      [ENV_CONNECTION_KEY_ARN]: this.connectionSecrets.key.keyArn,
    };
    for (const handler of Object.values(fn)) {
      for (const [name, value] of Object.entries(environment)) handler.addEnvironment(name, value);
      this.stateTable.grantReadWriteItems(handler);
    }
    this.bundleBucket.grantReadBundles(fn.api);
    this.bundleBucket.grantWriteBundles(fn.api);
    this.bundleBucket.grantReadBundles(fn['prepare-plan']);
    // Plan backfills run on the shared workers; a worker on another Lambda instance re-reads the bundle to
    // load a seed file it has not laid out itself.
    this.bundleBucket.grantReadBundles(fn['execute-batches']);
    // Saved connections: read by the handlers that execute SQL, written by the API; nobody else.
    for (const name of WAREHOUSE_HANDLERS) this.connectionSecrets.grantResolve(fn[name]);
    this.connectionSecrets.grantManage(fn.api);
    runJob.grantStartExecution(fn.tick);
    runJob.grantStartExecution(fn.api);
    planApplication.grantStartExecution(fn.api);

    this.tickSchedule = new TickSchedule(this, 'Tick', { namePrefix, tick: fn.tick });
    this.api = new ControlApi(this, 'ControlApi', { namePrefix, logRetentionDays, handler: fn.api });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      namePrefix,
      key: this.stateTable.key,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
      stateMachines: { 'run-job': runJob, plan: planApplication },
      functions: fn,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Control API base URL (SigV4)' });
    new CfnOutput(this, 'StateTableName', { value: this.stateTable.table.tableName });
    new CfnOutput(this, 'BundleBucketName', { value: this.bundleBucket.bucket.bucketName });
    new CfnOutput(this, 'RunStateMachineArn', { value: runJob.stateMachineArn });
    new CfnOutput(this, 'PlanStateMachineArn', { value: planApplication.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }
}
