import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag/acknowledge-wildcard';

/** What an executor handler may do with a connection secret: read its value, nothing else. */
export const CONNECTION_RESOLVE_ACTIONS = ['secretsmanager:GetSecretValue'];
/**
 * What the connection-management handler (`api`) may do: create, replace, delete and restore secrets
 * (a delete keeps a recovery window; saving the gateway again restores it). No GetSecretValue: nothing it
 * answers ever needs a stored value back.
 */
export const CONNECTION_MANAGE_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DeleteSecret',
  'secretsmanager:RestoreSecret',
];
/** Key actions Secrets Manager performs on a reader's behalf: decrypting the value's data key. */
export const CONNECTION_KEY_RESOLVE_ACTIONS = ['kms:Decrypt'];
/** Key actions Secrets Manager performs on a writer's behalf when it encrypts a new value. */
export const CONNECTION_KEY_MANAGE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Props of {@link ConnectionSecrets}. */
export interface ConnectionSecretsProps {
  readonly namePrefix: string;
}

/**
 * Where saved warehouse connections live on AWS: Secrets Manager secrets named
 * `<namePrefix>/connections/<gateway>`, created at run time by the `api` handler under this construct's
 * customer managed key. The key policy names each allowed role itself, so only the handlers granted here
 * (the executors and `api`) can have a connection decrypted, and only through Secrets Manager: an IAM policy
 * added elsewhere for kms actions on this key would still not reach the secrets without a secretsmanager grant.
 */
export class ConnectionSecrets extends Construct {
  readonly key: Key;
  readonly namePrefix: string;
  private readonly acknowledged = new Set<IRole>();

  constructor(scope: Construct, id: string, props: ConnectionSecretsProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    this.key = new Key(this, 'Key', {
      alias: `alias/${props.namePrefix}-connections`,
      description: 'Meshcron: encrypts the saved warehouse connections (Secrets Manager)',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      // Retained like the state key: without it, restoring a deleted secret or a backup is impossible.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Name prefix of every connection secret, ending in `/`. */
  get secretNamePrefix(): string {
    return `${this.namePrefix}/connections/`;
  }

  /**
   * ARN pattern of every connection secret. Secrets Manager appends a random six-character suffix to each
   * secret's ARN and the gateways are named at run time, so a wildcard after the prefix is as narrow as IAM allows.
   */
  get secretsArn(): string {
    return Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.secretNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Lets an executor handler read (and have decrypted) every connection secret. */
  grantResolve(grantee: IGrantable & { readonly role?: IRole }): void {
    this.grant(grantee, CONNECTION_RESOLVE_ACTIONS, CONNECTION_KEY_RESOLVE_ACTIONS);
  }

  /** Lets the connection-management handler create, replace, delete and restore connection secrets. */
  grantManage(grantee: IGrantable & { readonly role?: IRole }): void {
    this.grant(grantee, CONNECTION_MANAGE_ACTIONS, CONNECTION_KEY_MANAGE_ACTIONS);
  }

  private grant(grantee: IGrantable & { readonly role?: IRole }, secretActions: string[], keyActions: string[]): void {
    const role = grantee.role;
    if (!role) throw new Error(`${this.node.path}: connection secrets can only be granted to a function with its own role`);
    Grant.addToPrincipal({ grantee, actions: secretActions, resourceArns: [this.secretsArn] });
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [role],
        actions: keyActions,
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}`,
            'kms:CallerAccount': stack.account,
          },
        },
      }),
    );
    if (!this.acknowledged.has(role)) {
      this.acknowledged.add(role);
      acknowledgeWildcardResource(
        role,
        `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretNamePrefix}*`,
        'Connection secrets are created per gateway at run time and their ARNs end in a random suffix; the grant is limited to this stack\'s connections/ prefix.',
      );
    }
  }
}
