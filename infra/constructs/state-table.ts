import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  STATE_TABLE_PARTITION_KEY,
  STATE_TABLE_RUNS_INDEX,
  STATE_TABLE_RUNS_INDEX_PARTITION_KEY,
  STATE_TABLE_RUNS_INDEX_SORT_KEY,
  STATE_TABLE_SORT_KEY,
} from '../../functions/adapters/dynamodb-state-schema';

/**
 * Attribute holding an item's expiry (epoch seconds) for DynamoDB TTL. TTL deletes late (up to ~48 h), so
 * code that treats an item as expired must also compare this attribute itself.
 */
export const STATE_TABLE_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Item actions the handlers use. No Scan (every access path is a key or the runs index), no table
 * management (the table is created here, not by DynamoDbStateStore.init()). TransactWriteItems needs no
 * action of its own: it is authorized per item as Put/Update/Delete/ConditionCheck.
 */
export const STATE_TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** What DynamoDB asks of the caller's principal to use the table's customer managed key. */
export const STATE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** Props of {@link StateTable}. */
export interface StateTableProps {
  readonly namePrefix: string;
}

/**
 * The DynamoDB state table (keys and runs index from dynamodb-state-schema.ts) and the customer managed
 * KMS key that encrypts it. Both are retained when the stack is deleted: they hold the only record of which
 * intervals the warehouse has processed.
 */
export class StateTable extends Construct {
  readonly key: Key;
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    // The default key policy gives the account root kms:* on this key: that statement only delegates
    // access to IAM policies (AWS's own default), so each principal still needs an IAM grant such as
    // grantReadWriteItems below. It is the only wildcard action in the stack.
    this.key = new Key(this, 'Key', {
      alias: `alias/${props.namePrefix}-state`,
      description: 'Meshcron: encrypts the state table and the alarm topic',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new Table(this, 'Table', {
      tableName: `${props.namePrefix}-state`,
      partitionKey: { name: STATE_TABLE_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: STATE_TABLE_TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: STATE_TABLE_RUNS_INDEX,
      partitionKey: { name: STATE_TABLE_RUNS_INDEX_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_RUNS_INDEX_SORT_KEY, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /**
   * Lets `grantee` read and write items, query the runs index, and use the key through DynamoDB only
   * (`kms:ViaService`), with no wildcard in actions or resources.
   */
  grantReadWriteItems(grantee: IGrantable): void {
    const stack = this.table.stack;
    Grant.addToPrincipal({ grantee, actions: STATE_TABLE_ITEM_ACTIONS, resourceArns: [this.table.tableArn] });
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.table.tableArn}/index/${STATE_TABLE_RUNS_INDEX}`],
    });
    Grant.addToPrincipal({
      grantee,
      actions: STATE_KEY_ACTIONS,
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
    });
  }
}
