import { Match } from 'aws-cdk-lib/assertions';
import { createStateTableInput } from '../../functions/adapters/dynamodb-state-schema';
import { API_ROUTES } from '../../infra/api-routes';
import { STATE_TABLE_TTL_ATTRIBUTE } from '../../infra/constructs/state-table';
import {
  ENV_BUNDLE_BUCKET,
  ENV_CONNECTION_KEY_ARN,
  ENV_CONNECTION_SECRET_PREFIX,
  ENV_MAX_CONCURRENCY,
  ENV_METRICS_NAMESPACE,
  ENV_PLAN_STATE_MACHINE_ARN,
  ENV_RUN_STATE_MACHINE_ARN,
  ENV_STATE_TABLE,
} from '../../infra/handler-environment';
import { HANDLER_LIMITS, HANDLER_NAMES } from '../../infra/handlers';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../infra/metric-names';
import { logicalIdOf, resourcesOfType, synthMeshcron } from './support/synth-meshcron';

const sorted = <T>(items: readonly T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('MeshcronStack with default settings', () => {
  const { stack, template, resources } = synthMeshcron();
  const keyId = logicalIdOf(stack, stack.stateTable.key);
  const fnId = (name: (typeof HANDLER_NAMES)[number]): string => logicalIdOf(stack, stack.handlers.get(name));

  test('creates the state table with exactly the keys and runs index of the adapter schema', () => {
    // Arrange
    const expected = createStateTableInput('meshcron-state');
    const [[, table] = ['', undefined]] = resourcesOfType(resources, 'AWS::DynamoDB::Table');
    const props = table?.Properties ?? {};

    // Assert
    expect(resourcesOfType(resources, 'AWS::DynamoDB::Table')).toHaveLength(1);
    expect(props.TableName).toBe(expected.TableName);
    expect(props.KeySchema).toEqual(expected.KeySchema);
    expect(sorted(props.AttributeDefinitions as unknown[])).toEqual(sorted(expected.AttributeDefinitions ?? []));
    expect(props.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
  });

  test('encrypts the state table with the customer managed key and enables PITR, TTL and deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: STATE_TABLE_TTL_ATTRIBUTE, Enabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
    expect(STATE_TABLE_TTL_ATTRIBUTE).toBe('expiresAt');
  });

  test('rotates the key and keeps it when the stack is deleted', () => {
    // The state key, and the key of the saved connections (test/infra/connections.test.ts).
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('the bundle bucket is encrypted, versioned, private, logged and lets no request in without TLS', () => {
    const bucketId = logicalIdOf(stack, stack.bundleBucket.bucket);
    const logsId = logicalIdOf(stack, stack.bundleBucket.accessLogs);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'bundles/' },
    });
    for (const id of [bucketId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('deploys one Node 22 function per handler with its limits, its own log group and every environment variable', () => {
    template.resourceCountIs('AWS::Lambda::Function', HANDLER_NAMES.length);
    for (const name of HANDLER_NAMES) {
      const fn = resources[fnId(name)]?.Properties ?? {};
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(fn.FunctionName).toBe(`meshcron-${name}`);
      expect(fn.Runtime).toBe('nodejs22.x');
      expect(fn.Timeout).toBe(HANDLER_LIMITS[name].timeoutSeconds);
      expect(fn.MemorySize).toBe(HANDLER_LIMITS[name].memoryMb);
      expect(fn.VpcConfig).toBeUndefined();
      expect(Object.keys(variables).sort()).toEqual(
        [
          ENV_BUNDLE_BUCKET,
          ENV_CONNECTION_KEY_ARN,
          ENV_CONNECTION_SECRET_PREFIX,
          ENV_MAX_CONCURRENCY,
          ENV_METRICS_NAMESPACE,
          ENV_PLAN_STATE_MACHINE_ARN,
          ENV_RUN_STATE_MACHINE_ARN,
          ENV_STATE_TABLE,
          'NODE_OPTIONS',
        ].sort(),
      );
      expect(variables[ENV_MAX_CONCURRENCY]).toBe('4');
      expect(variables[ENV_METRICS_NAMESPACE]).toBe(METRICS_NAMESPACE);
      expect(JSON.stringify(variables[ENV_RUN_STATE_MACHINE_ARN])).toContain(':stateMachine:meshcron-run-job');
      const logGroupRef = (fn.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resources[logGroupRef]?.Properties).toMatchObject({ LogGroupName: `/aws/lambda/meshcron-${name}`, RetentionInDays: 30 });
    }
  });

  test('gives every function and state machine a log group with the configured retention', () => {
    const logGroups = resourcesOfType(resources, 'AWS::Logs::LogGroup');
    // 7 functions + 2 state machines + API access logs.
    expect(logGroups).toHaveLength(HANDLER_NAMES.length + 3);
    for (const [, group] of logGroups) expect(group.Properties?.RetentionInDays).toBe(30);
    for (const [, machine] of resourcesOfType(resources, 'AWS::StepFunctions::StateMachine')) {
      const logging = machine.Properties?.LoggingConfiguration as { Level: string; Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[] };
      expect(logging.Level).toBe('ALL');
      const [groupId] = logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'] ?? [''];
      expect(resources[groupId]?.Type).toBe('AWS::Logs::LogGroup');
    }
  });

  test('declares every API route with IAM authorization, all integrated with the api function', () => {
    const routes = resourcesOfType(resources, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties ?? {});
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(API_ROUTES.map((route) => route.routeKey).sort());
    for (const route of routes) expect(route.AuthorizationType).toBe('AWS_IAM');
    const integrations = resourcesOfType(resources, 'AWS::ApiGatewayV2::Integration');
    expect(integrations.length).toBeGreaterThan(0);
    for (const [, integration] of integrations) {
      expect(integration.Properties?.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId('api'), 'Arn'] });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('invokes the tick function every minute with the scheduled time', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnId('tick'), 'Arn'] },
        Input: JSON.stringify({ time: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  test('sends every alarm to the encrypted topic: failed and timed-out executions per machine, errors per handler', () => {
    const topicId = logicalIdOf(stack, stack.monitoring.topic);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const alarms = resourcesOfType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    expect(alarms).toHaveLength(2 * 2 + HANDLER_NAMES.length);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    const metricNames = alarms.map((alarm) => `${alarm.Namespace}/${alarm.MetricName}`).sort();
    expect(metricNames).toEqual(
      [
        ...Array(2).fill('AWS/States/ExecutionsFailed'),
        ...Array(2).fill('AWS/States/ExecutionsTimedOut'),
        ...Array(HANDLER_NAMES.length).fill('AWS/Lambda/Errors'),
      ].sort(),
    );
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('puts every custom metric of the Meshcron namespace on the dashboard', () => {
    const [[, dashboard] = ['', undefined]] = resourcesOfType(resources, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);
    for (const metric of Object.values(METRIC_NAMES)) expect(body).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${metric}\\"`);
  });
});

describe('MeshcronStack settings', () => {
  test('subscribes the alarm e-mail and applies the log retention given as context', () => {
    // Arrange / Act
    const { template, resources } = synthMeshcron({ alarmEmail: 'ops@example.com', logRetentionDays: '90' });

    // Assert
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    for (const [, group] of resourcesOfType(resources, 'AWS::Logs::LogGroup')) expect(group.Properties?.RetentionInDays).toBe(90);
  });

  test('stack props win over context', () => {
    const { template } = synthMeshcron({ namePrefix: 'from-context' }, { namePrefix: 'acme' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'acme-state' });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'acme-tick' });
  });

  test('puts only the warehouse handlers in the private warehouse subnets, with a new outbound-only group', () => {
    // Act
    const { stack, resources } = synthMeshcron({ vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0aaa1111,subnet-0bbb2222' });

    // Assert
    const groupId = logicalIdOf(stack, stack.handlers.node.findChild('WarehouseClients'));
    for (const name of HANDLER_NAMES) {
      const vpcConfig = resources[logicalIdOf(stack, stack.handlers.get(name))]?.Properties?.VpcConfig;
      if (['prepare-plan', 'execute-batches', 'promote-plan'].includes(name)) {
        expect(vpcConfig).toEqual({
          SubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'],
          SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
        });
      } else {
        expect(vpcConfig).toBeUndefined();
      }
    }
    expect(resources[groupId]?.Properties).toMatchObject({ VpcId: 'vpc-0123456789abcdef0' });
  });

  test('uses the given security groups instead of creating one', () => {
    const { stack, resources } = synthMeshcron({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0aaa1111'],
      securityGroupIds: 'sg-0ccc3333',
    });
    expect(resourcesOfType(resources, 'AWS::EC2::SecurityGroup')).toHaveLength(0);
    expect(resources[logicalIdOf(stack, stack.handlers.get('execute-batches'))]?.Properties?.VpcConfig).toEqual({
      SubnetIds: ['subnet-0aaa1111'],
      SecurityGroupIds: ['sg-0ccc3333'],
    });
  });
});
