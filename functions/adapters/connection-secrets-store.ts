import { type AttributeValue, DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { ConnectionNotFoundError } from '../../shared/src/connections/connection-errors';
import { summarizeConnection } from '../../shared/src/connections/connection-summary';
import { normalizeGatewayName } from '../../shared/src/connections/gateway-name';
import { SchedulerError } from '../../shared/src/errors';
import { type Clock, systemClock } from '../../shared/src/ports/clock';
import type { ConnectionStore, ConnectionSummary, SaveConnectionOptions } from '../../shared/src/ports/connection-store';
import { STATE_TABLE_PARTITION_KEY, STATE_TABLE_SORT_KEY } from './dynamodb-state-schema';
import { parseConnection, type WarehouseConnection } from './warehouse-connection';

/**
 * Partition of the state table that holds one item per saved connection (sort key = gateway) with the
 * fields list() shows: `type`, `host`, `port`, `database`, `updatedAt`, and `defaultSince` on the default.
 */
export const CONNECTIONS_PARTITION = 'CONNECTIONS';
/** Days a deleted connection can still be restored (Secrets Manager allows 7-30). */
export const CONNECTION_RECOVERY_WINDOW_DAYS = 7;
/** How CreateSecret says the name belongs to a secret deleted within its recovery window. */
const SCHEDULED_FOR_DELETION = /scheduled for deletion/i;

const itemSchema = z.object({
  [STATE_TABLE_SORT_KEY]: z.string(),
  type: z.string(),
  host: z.string().optional(),
  port: z.number().int().optional(),
  database: z.string().optional(),
  updatedAt: z.number(),
  /** When this connection became the default (epoch ms); the newest one wins if a race left two. */
  defaultSince: z.number().optional(),
});
type ConnectionItem = z.infer<typeof itemSchema>;

/** Options of {@link SecretsManagerConnectionStore}. */
export interface SecretsManagerConnectionStoreOptions {
  /** The stack's name prefix: secrets are named `<namePrefix>/connections/<gateway>`. */
  readonly namePrefix: string;
  /** The stack's customer managed KMS key (id or ARN) that new secrets are encrypted with. */
  readonly kmsKeyId: string;
  /** The state table, which holds the public fields of each connection. */
  readonly tableName: string;
  /** SDK clients; omitted = module-scope clients shared by every store in the process (warm starts). */
  readonly secretsClient?: SecretsManagerClient;
  readonly dynamoClient?: DynamoDBClient;
  readonly clock?: Clock;
  /** Default {@link CONNECTION_RECOVERY_WINDOW_DAYS}. */
  readonly recoveryWindowDays?: number;
}

let defaultSecretsClient: SecretsManagerClient | undefined;
let defaultDynamoClient: DynamoDBClient | undefined;

/**
 * Connections on AWS: one Secrets Manager secret per gateway (`<namePrefix>/connections/<gateway>`),
 * created under the stack's KMS key, holding the connection as JSON. What may be shown lives in a state
 * table item per gateway, so list(), delete() and setDefault() never call GetSecretValue (and need no
 * `secretsmanager:ListSecrets`, which IAM cannot narrow below `*`); only resolve() reads a secret, and only
 * the executor handlers are allowed to. Deleting keeps the secret's recovery window; saving the gateway
 * again restores it and writes the new value.
 *
 * The secret is written before its item and deleted after it, so a failure in between leaves at worst an
 * unlisted secret that the next save of the gateway reuses, never a listed connection without a secret.
 */
export class SecretsManagerConnectionStore implements ConnectionStore<WarehouseConnection> {
  private readonly secrets: SecretsManagerClient;
  private readonly dynamo: DynamoDBClient;
  private readonly clock: Clock;

  constructor(private readonly options: SecretsManagerConnectionStoreOptions) {
    this.secrets = options.secretsClient ?? (defaultSecretsClient ??= new SecretsManagerClient({}));
    this.dynamo = options.dynamoClient ?? (defaultDynamoClient ??= new DynamoDBClient({}));
    this.clock = options.clock ?? systemClock;
  }

  /** The secret name of a (normalised) gateway. */
  secretName(gateway: string): string {
    return `${this.options.namePrefix}/connections/${gateway}`;
  }

  async save(gatewayName: string, connection: WarehouseConnection, options: SaveConnectionOptions = {}): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const items = await this.queryItems();
    const current = pickDefault(items);
    const isDefault = options.makeDefault === true || current === undefined || current === gateway;
    const now = this.clock.nowMs();
    const summary = summarizeConnection(gateway, connection, { isDefault, updatedAt: now });
    await this.writeSecret(gateway, JSON.stringify(connection), items.has(gateway));
    const { gateway: _gateway, isDefault: _isDefault, ...fields } = summary;
    await this.dynamo.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: marshall(
          { [STATE_TABLE_PARTITION_KEY]: CONNECTIONS_PARTITION, [STATE_TABLE_SORT_KEY]: gateway, ...fields, ...(isDefault ? { defaultSince: now } : {}) },
          { removeUndefinedValues: true },
        ),
      }),
    );
    if (isDefault) await this.clearOtherDefaults(items, gateway);
    return summary;
  }

  async list(): Promise<ConnectionSummary[]> {
    const items = await this.queryItems();
    const current = pickDefault(items);
    return [...items.keys()].sort().map((gateway) => toSummary(items.get(gateway) as ConnectionItem, gateway === current));
  }

  async delete(gatewayName: string): Promise<void> {
    const gateway = normalizeGatewayName(gatewayName);
    const items = await this.queryItems();
    if (!items.has(gateway)) throw new ConnectionNotFoundError(gateway, sortedNames(items));
    await this.dynamo.send(new DeleteItemCommand({ TableName: this.options.tableName, Key: this.key(gateway) }));
    try {
      await this.secrets.send(
        new DeleteSecretCommand({
          SecretId: this.secretName(gateway),
          RecoveryWindowInDays: this.options.recoveryWindowDays ?? CONNECTION_RECOVERY_WINDOW_DAYS,
        }),
      );
    } catch (e) {
      // Already gone (or already scheduled for deletion): the connection is deleted either way.
      if (errorName(e) !== 'ResourceNotFoundException' && errorName(e) !== 'InvalidRequestException') throw e;
    }
  }

  async setDefault(gatewayName: string): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const items = await this.queryItems();
    const item = items.get(gateway);
    if (!item) throw new ConnectionNotFoundError(gateway, sortedNames(items));
    await this.dynamo.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: this.key(gateway),
        UpdateExpression: 'SET defaultSince = :now',
        // Not recreated by a concurrent delete: a default must name a saved connection.
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': STATE_TABLE_PARTITION_KEY },
        ExpressionAttributeValues: marshall({ ':now': this.clock.nowMs() }),
      }),
    );
    await this.clearOtherDefaults(items, gateway);
    return toSummary(item, true);
  }

  async resolve(gatewayName?: string): Promise<WarehouseConnection> {
    let gateway: string;
    if (gatewayName === undefined) {
      const items = await this.queryItems();
      const current = pickDefault(items);
      if (current === undefined) throw new ConnectionNotFoundError(undefined, sortedNames(items));
      gateway = current;
    } else {
      gateway = normalizeGatewayName(gatewayName);
    }
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.secrets.send(new GetSecretValueCommand({ SecretId: this.secretName(gateway) })));
    } catch (e) {
      // A secret scheduled for deletion answers InvalidRequestException: for the user it is gone.
      if (errorName(e) === 'ResourceNotFoundException' || errorName(e) === 'InvalidRequestException') {
        throw new ConnectionNotFoundError(gateway, sortedNames(await this.queryItems()));
      }
      throw e;
    }
    if (secretString === undefined) throw new SchedulerError(`secret ${this.secretName(gateway)} has no string value; save the connection again`);
    return parseConnection(JSON.parse(secretString) as unknown, gateway);
  }

  private async writeSecret(gateway: string, secretString: string, listed: boolean): Promise<void> {
    const secretId = this.secretName(gateway);
    if (listed) {
      await this.secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }));
      return;
    }
    try {
      await this.secrets.send(
        new CreateSecretCommand({
          Name: secretId,
          Description: `Meshcron warehouse connection of gateway '${gateway}'`,
          KmsKeyId: this.options.kmsKeyId,
          SecretString: secretString,
        }),
      );
    } catch (e) {
      const name = errorName(e);
      if (name === 'InvalidRequestException' && SCHEDULED_FOR_DELETION.test(messageOf(e))) {
        // Deleted within its recovery window: the name stays taken until the secret is restored.
        await this.secrets.send(new RestoreSecretCommand({ SecretId: secretId }));
      } else if (name !== 'ResourceExistsException') {
        throw e;
      }
      // Restored, or left over / created concurrently: saving replaces its value, as it would have anyway.
      await this.secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }));
    }
  }

  private async clearOtherDefaults(items: ReadonlyMap<string, ConnectionItem>, gateway: string): Promise<void> {
    for (const [name, item] of items) {
      if (name === gateway || item.defaultSince === undefined) continue;
      await this.dynamo.send(
        new UpdateItemCommand({ TableName: this.options.tableName, Key: this.key(name), UpdateExpression: 'REMOVE defaultSince' }),
      );
    }
  }

  /** Every connection item by gateway: one strongly consistent Query of the connections partition. */
  private async queryItems(): Promise<Map<string, ConnectionItem>> {
    const out = new Map<string, ConnectionItem>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': STATE_TABLE_PARTITION_KEY },
          ExpressionAttributeValues: marshall({ ':pk': CONNECTIONS_PARTITION }),
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
        }),
      );
      for (const raw of page.Items ?? []) {
        const parsed = itemSchema.safeParse(unmarshall(raw));
        if (!parsed.success) {
          throw new SchedulerError(`connection item '${String(unmarshall(raw)[STATE_TABLE_SORT_KEY])}' in ${this.options.tableName} is malformed; save the connection again`);
        }
        out.set(parsed.data[STATE_TABLE_SORT_KEY], parsed.data);
      }
      startKey = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    } while (startKey);
    return out;
  }

  private key(gateway: string): Record<string, AttributeValue> {
    return marshall({ [STATE_TABLE_PARTITION_KEY]: CONNECTIONS_PARTITION, [STATE_TABLE_SORT_KEY]: gateway });
  }
}

/** The default gateway: the one that became default last (two concurrent setDefaults may both leave a mark). */
function pickDefault(items: ReadonlyMap<string, ConnectionItem>): string | undefined {
  let best: [string, number] | undefined;
  for (const [gateway, item] of items) {
    if (item.defaultSince === undefined) continue;
    if (!best || item.defaultSince > best[1] || (item.defaultSince === best[1] && gateway < best[0])) best = [gateway, item.defaultSince];
  }
  return best?.[0];
}

function toSummary(item: ConnectionItem, isDefault: boolean): ConnectionSummary {
  return {
    gateway: item[STATE_TABLE_SORT_KEY],
    type: item.type,
    isDefault,
    ...(item.host !== undefined ? { host: item.host } : {}),
    ...(item.port !== undefined ? { port: item.port } : {}),
    ...(item.database !== undefined ? { database: item.database } : {}),
    updatedAt: item.updatedAt,
  };
}

function sortedNames(items: ReadonlyMap<string, ConnectionItem>): string[] {
  return [...items.keys()].sort();
}

function messageOf(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : '';
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}
