import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  type SecretListEntry,
  type Tag,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { ConnectionNotFoundError } from '../../shared/src/connections/connection-errors';
import { summarizeConnection } from '../../shared/src/connections/connection-summary';
import { normalizeGatewayName } from '../../shared/src/connections/gateway-name';
import { SchedulerError } from '../../shared/src/errors';
import { type Clock, systemClock } from '../../shared/src/ports/clock';
import type { ConnectionStore, ConnectionSummary, SaveConnectionOptions } from '../../shared/src/ports/connection-store';
import { parseConnection, type WarehouseConnection } from './warehouse-connection';

/** Tags holding what list() shows, so listing never reads (or may read) a secret value. */
export const CONNECTION_TAGS = {
  gateway: 'meshcron:gateway',
  type: 'meshcron:type',
  host: 'meshcron:host',
  port: 'meshcron:port',
  database: 'meshcron:database',
  updatedAt: 'meshcron:updated-at',
  /** Only on the default connection: when it became the default (epoch ms); the newest one wins a race. */
  defaultSince: 'meshcron:default-since',
} as const;

/** Days a deleted connection can still be restored (Secrets Manager allows 7-30). */
export const CONNECTION_RECOVERY_WINDOW_DAYS = 7;
/** Secrets Manager's page size limit for ListSecrets. */
const LIST_PAGE_SIZE = 100;
/** Tag values allow letters, digits, spaces and `_ . : / = + - @`, up to 256 characters. */
const TAG_VALUE_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAG_VALUE_CHARS = 256;
/** Marks a tag value stored as base64url because the plain value has characters tags do not allow. */
const ENCODED_TAG_PREFIX = 'b64:';
/** How CreateSecret says the name belongs to a secret deleted within its recovery window. */
const SCHEDULED_FOR_DELETION = /scheduled for deletion/i;
const PUBLIC_TAG_KEYS = [CONNECTION_TAGS.host, CONNECTION_TAGS.port, CONNECTION_TAGS.database];

/** Options of {@link SecretsManagerConnectionStore}. */
export interface SecretsManagerConnectionStoreOptions {
  /** The stack's name prefix: secrets are named `<namePrefix>/connections/<gateway>`. */
  readonly namePrefix: string;
  /** The stack's customer managed KMS key (id or ARN) that new secrets are encrypted with. */
  readonly kmsKeyId: string;
  readonly client?: SecretsManagerClient;
  readonly clock?: Clock;
  /** Default {@link CONNECTION_RECOVERY_WINDOW_DAYS}. */
  readonly recoveryWindowDays?: number;
}

/** What the tags of one connection secret say. */
interface TaggedConnection {
  readonly summary: Omit<ConnectionSummary, 'isDefault'>;
  readonly defaultSince: number | undefined;
}

let defaultClient: SecretsManagerClient | undefined;

/**
 * Connections on AWS: one Secrets Manager secret per gateway (`<namePrefix>/connections/<gateway>`),
 * encrypted with the stack's KMS key, the connection as its JSON value. The fields that may be shown live
 * in the secret's tags, so list(), delete() and setDefault() never call GetSecretValue; only resolve() does,
 * and only the executor handlers are granted it. Deleting keeps a recovery window; saving a deleted
 * gateway again restores its secret and writes the new value.
 */
export class SecretsManagerConnectionStore implements ConnectionStore<WarehouseConnection> {
  private readonly client: SecretsManagerClient;
  private readonly clock: Clock;
  private readonly prefix: string;

  constructor(private readonly options: SecretsManagerConnectionStoreOptions) {
    this.client = options.client ?? (defaultClient ??= new SecretsManagerClient({}));
    this.clock = options.clock ?? systemClock;
    this.prefix = `${options.namePrefix}/connections/`;
  }

  /** The secret name of a (normalised) gateway. */
  secretName(gateway: string): string {
    return `${this.prefix}${gateway}`;
  }

  async save(gatewayName: string, connection: WarehouseConnection, options: SaveConnectionOptions = {}): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const tagged = await this.listTagged();
    const current = pickDefault(tagged);
    const isDefault = options.makeDefault === true || current === undefined || current === gateway;
    const now = this.clock.nowMs();
    const summary = summarizeConnection(gateway, connection, { isDefault, updatedAt: now });
    const tags = tagsOf(summary, isDefault ? now : undefined);
    const secretString = JSON.stringify(connection);
    if (tagged.has(gateway)) await this.update(gateway, secretString, tags);
    else await this.create(gateway, secretString, tags);
    if (isDefault) await this.clearOtherDefaults(tagged, gateway);
    return summary;
  }

  async list(): Promise<ConnectionSummary[]> {
    const tagged = await this.listTagged();
    const current = pickDefault(tagged);
    return [...tagged.keys()].sort().map((gateway) => ({ ...(tagged.get(gateway) as TaggedConnection).summary, isDefault: gateway === current }));
  }

  async delete(gatewayName: string): Promise<void> {
    const gateway = normalizeGatewayName(gatewayName);
    const tagged = await this.listTagged();
    if (!tagged.has(gateway)) throw new ConnectionNotFoundError(gateway, sortedNames(tagged));
    try {
      await this.client.send(
        new DeleteSecretCommand({
          SecretId: this.secretName(gateway),
          RecoveryWindowInDays: this.options.recoveryWindowDays ?? CONNECTION_RECOVERY_WINDOW_DAYS,
        }),
      );
    } catch (e) {
      if (errorName(e) === 'ResourceNotFoundException') throw new ConnectionNotFoundError(gateway, sortedNames(tagged));
      throw e;
    }
  }

  async setDefault(gatewayName: string): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const tagged = await this.listTagged();
    const entry = tagged.get(gateway);
    if (!entry) throw new ConnectionNotFoundError(gateway, sortedNames(tagged));
    await this.client.send(
      new TagResourceCommand({
        SecretId: this.secretName(gateway),
        Tags: [{ Key: CONNECTION_TAGS.defaultSince, Value: String(this.clock.nowMs()) }],
      }),
    );
    await this.clearOtherDefaults(tagged, gateway);
    return { ...entry.summary, isDefault: true };
  }

  async resolve(gatewayName?: string): Promise<WarehouseConnection> {
    let gateway: string;
    if (gatewayName === undefined) {
      const tagged = await this.listTagged();
      const current = pickDefault(tagged);
      if (current === undefined) throw new ConnectionNotFoundError(undefined, sortedNames(tagged));
      gateway = current;
    } else {
      gateway = normalizeGatewayName(gatewayName);
    }
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretName(gateway) })));
    } catch (e) {
      // A secret scheduled for deletion answers InvalidRequestException: for the user it is gone.
      if (errorName(e) === 'ResourceNotFoundException' || errorName(e) === 'InvalidRequestException') {
        throw new ConnectionNotFoundError(gateway, sortedNames(await this.listTagged()));
      }
      throw e;
    }
    if (secretString === undefined) throw new SchedulerError(`secret ${this.secretName(gateway)} has no string value; save the connection again`);
    return parseConnection(JSON.parse(secretString) as unknown, gateway);
  }

  private async create(gateway: string, secretString: string, tags: Tag[]): Promise<void> {
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: this.secretName(gateway),
          Description: `Meshcron warehouse connection of gateway '${gateway}'`,
          KmsKeyId: this.options.kmsKeyId,
          SecretString: secretString,
          Tags: tags,
        }),
      );
    } catch (e) {
      const name = errorName(e);
      // Deleted within its recovery window: the name is taken until it is restored.
      if (name === 'InvalidRequestException' && SCHEDULED_FOR_DELETION.test(messageOf(e))) {
        await this.client.send(new RestoreSecretCommand({ SecretId: this.secretName(gateway) }));
        await this.update(gateway, secretString, tags);
        return;
      }
      // Created by someone else since we listed: saving replaces it, as it would have anyway.
      if (name === 'ResourceExistsException') {
        await this.update(gateway, secretString, tags);
        return;
      }
      throw e;
    }
  }

  private async update(gateway: string, secretString: string, tags: Tag[]): Promise<void> {
    const secretId = this.secretName(gateway);
    await this.client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }));
    await this.client.send(new TagResourceCommand({ SecretId: secretId, Tags: tags }));
    // A connection of another type may lack fields the old one had (a DuckDB file has no host).
    const present = new Set(tags.map((t) => t.Key));
    const stale = PUBLIC_TAG_KEYS.filter((key) => !present.has(key));
    if (stale.length > 0) await this.client.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: stale }));
  }

  private async clearOtherDefaults(tagged: ReadonlyMap<string, TaggedConnection>, gateway: string): Promise<void> {
    for (const [name, entry] of tagged) {
      if (name === gateway || entry.defaultSince === undefined) continue;
      await this.client.send(new UntagResourceCommand({ SecretId: this.secretName(name), TagKeys: [CONNECTION_TAGS.defaultSince] }));
    }
  }

  /** Every connection secret of this stack by gateway, read from ListSecrets tags only. */
  private async listTagged(): Promise<Map<string, TaggedConnection>> {
    const out = new Map<string, TaggedConnection>();
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: [this.prefix] }],
          MaxResults: LIST_PAGE_SIZE,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const secret of page.SecretList ?? []) {
        const entry = this.fromTags(secret);
        if (entry) out.set(entry.summary.gateway, entry);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  }

  /** Undefined for secrets that are not this stack's connections (the name filter is a case-insensitive prefix). */
  private fromTags(secret: SecretListEntry): TaggedConnection | undefined {
    const tags = new Map((secret.Tags ?? []).map((t) => [t.Key ?? '', decodeTagValue(t.Value ?? '')]));
    const gateway = tags.get(CONNECTION_TAGS.gateway);
    const type = tags.get(CONNECTION_TAGS.type);
    if (gateway === undefined || type === undefined || secret.Name !== this.secretName(gateway)) return undefined;
    const host = tags.get(CONNECTION_TAGS.host);
    const port = Number(tags.get(CONNECTION_TAGS.port));
    const database = tags.get(CONNECTION_TAGS.database);
    const defaultSince = Number(tags.get(CONNECTION_TAGS.defaultSince));
    return {
      summary: {
        gateway,
        type,
        ...(host !== undefined ? { host } : {}),
        ...(Number.isInteger(port) ? { port } : {}),
        ...(database !== undefined ? { database } : {}),
        updatedAt: Number(tags.get(CONNECTION_TAGS.updatedAt)) || 0,
      },
      defaultSince: Number.isFinite(defaultSince) ? defaultSince : undefined,
    };
  }
}

/** The default gateway: the one that became default last (two concurrent setDefaults leave two tags). */
function pickDefault(tagged: ReadonlyMap<string, TaggedConnection>): string | undefined {
  let best: [string, number] | undefined;
  for (const [gateway, entry] of tagged) {
    if (entry.defaultSince === undefined) continue;
    if (!best || entry.defaultSince > best[1] || (entry.defaultSince === best[1] && gateway < best[0])) best = [gateway, entry.defaultSince];
  }
  return best?.[0];
}

function sortedNames(tagged: ReadonlyMap<string, TaggedConnection>): string[] {
  return [...tagged.keys()].sort();
}

function tagsOf(summary: ConnectionSummary, defaultSince: number | undefined): Tag[] {
  const values: [string, string | undefined][] = [
    [CONNECTION_TAGS.gateway, summary.gateway],
    [CONNECTION_TAGS.type, summary.type],
    [CONNECTION_TAGS.host, summary.host],
    [CONNECTION_TAGS.port, summary.port === undefined ? undefined : String(summary.port)],
    [CONNECTION_TAGS.database, summary.database],
    [CONNECTION_TAGS.updatedAt, String(summary.updatedAt)],
    [CONNECTION_TAGS.defaultSince, defaultSince === undefined ? undefined : String(defaultSince)],
  ];
  return values.flatMap(([Key, raw]) => {
    const Value = raw === undefined ? undefined : encodeTagValue(raw);
    return Value === undefined ? [] : [{ Key, Value }];
  });
}

/**
 * A tag value for `value`: as is when tags allow it, else base64url (whose alphabet tags allow) behind a
 * marker. Undefined when even that is too long; the field is then simply not shown.
 */
export function encodeTagValue(value: string): string | undefined {
  const plain = TAG_VALUE_CHARS.test(value) && !value.startsWith(ENCODED_TAG_PREFIX) ? value : undefined;
  const encoded = plain ?? `${ENCODED_TAG_PREFIX}${Buffer.from(value, 'utf8').toString('base64url')}`;
  return encoded.length <= MAX_TAG_VALUE_CHARS ? encoded : undefined;
}

/** Reverses {@link encodeTagValue}. */
export function decodeTagValue(value: string): string {
  return value.startsWith(ENCODED_TAG_PREFIX) ? Buffer.from(value.slice(ENCODED_TAG_PREFIX.length), 'base64url').toString('utf8') : value;
}

function messageOf(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : '';
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}
