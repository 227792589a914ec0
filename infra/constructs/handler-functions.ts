import * as path from 'node:path';
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecurityGroup, type ISubnet, type IVpc, SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WarehouseNetworkSettings } from '../config/meshcron-settings';
import { ENV_METRICS_NAMESPACE } from '../handler-environment';
import { HANDLER_LIMITS, HANDLER_NAMES, type HandlerName, WAREHOUSE_HANDLERS } from '../handlers';
import { METRICS_NAMESPACE } from '../metric-names';

/** Repository root: the handlers' entries and package-lock.json are resolved from here, not from the cwd. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Path of the entry file of handler `name`. */
export function handlerEntry(name: HandlerName): string {
  return path.join(REPO_ROOT, 'functions', 'handlers', `${name}.handler.ts`);
}

/**
 * Modules esbuild leaves out of the bundles: the AWS SDK v3 is in the Node 22 runtime; DuckDB's native
 * bindings cannot be bundled and must come from a Lambda layer; `pg-native` is an optional peer of `pg`.
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*', '@duckdb/*', 'pg-native'];

/** `prepare-run` → `PrepareRun`, for construct IDs. */
function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __: string, c: string) => c.toUpperCase());
}

/** The private warehouse's network as constructs. */
interface ImportedNetwork {
  readonly vpc: IVpc;
  readonly subnets: ISubnet[];
  readonly securityGroups: ISecurityGroup[];
}

/** Props of {@link HandlerFunctions}. */
export interface HandlerFunctionsProps {
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  /** When set, the warehouse handlers run in these subnets. */
  readonly network?: WarehouseNetworkSettings;
}

/**
 * One NodejsFunction per handler (Node 22, esbuild bundling on this machine, no Docker), each with its own
 * role and log group. The role starts with nothing but writing to its own log group (no AWS managed
 * policy); the stack adds exactly the grants each handler needs.
 */
export class HandlerFunctions extends Construct {
  readonly functions: Readonly<Record<HandlerName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const network = props.network ? this.importNetwork(props.network) : undefined;
    const functions: Partial<Record<HandlerName, NodejsFunction>> = {};
    for (const name of HANDLER_NAMES) {
      functions[name] = this.createFunction(name, props, WAREHOUSE_HANDLERS.includes(name) ? network : undefined);
    }
    this.functions = functions as Record<HandlerName, NodejsFunction>;
  }

  /** The function of handler `name`. */
  get(name: HandlerName): NodejsFunction {
    return this.functions[name];
  }

  private createFunction(
    name: HandlerName,
    props: HandlerFunctionsProps,
    network: ImportedNetwork | undefined,
  ): NodejsFunction {
    const id = pascalCase(name);
    const functionName = `${props.namePrefix}-${name}`;
    const logGroup = new LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Meshcron ${name} handler`,
    });
    logGroup.grantWrite(role);
    const limits = HANDLER_LIMITS[name];
    const fn = new NodejsFunction(this, id, {
      functionName,
      entry: handlerEntry(name),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.X86_64,
      memorySize: limits.memoryMb,
      timeout: Duration.seconds(limits.timeoutSeconds),
      role,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        [ENV_METRICS_NAMESPACE]: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        externalModules: EXTERNAL_MODULES,
        forceDockerBundling: false,
      },
      ...(network ? { vpc: network.vpc, vpcSubnets: { subnets: network.subnets }, securityGroups: network.securityGroups } : {}),
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: the code and its tests run on Node 20/22 here; a newer runtime is adopted only after the suite passes on it.',
    });
    if (network) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Added by CDK for functions in a VPC: creating and deleting ENIs has no resource-level permissions, so the managed policy is as narrow as a custom one could be.',
      });
    }
    return fn;
  }

  /**
   * The VPC, subnets and security groups of a private warehouse, imported by ID only: `Vpc.fromLookup`
   * would need AWS credentials at synth, and the stack must synthesize offline.
   */
  private importNetwork(settings: WarehouseNetworkSettings): ImportedNetwork {
    // The AZ list only matters for subnet groups, and the functions name their subnets explicitly; the
    // token list satisfies the import without an account lookup and never reaches the template.
    const vpc = Vpc.fromVpcAttributes(this, 'WarehouseVpc', { vpcId: settings.vpcId, availabilityZones: Fn.getAzs() });
    const subnets = settings.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId));
    const securityGroups: ISecurityGroup[] =
      settings.securityGroupIds.length > 0
        ? settings.securityGroupIds.map((sgId) => SecurityGroup.fromSecurityGroupId(this, sgId, sgId, { mutable: false }))
        : [
            new SecurityGroup(this, 'WarehouseClients', {
              vpc,
              description: 'Meshcron warehouse handlers (outbound only); allow it in the warehouse security group',
              allowAllOutbound: true,
            }),
          ];
    return { vpc, subnets, securityGroups };
  }
}
