import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConnectionNotFoundError } from '../../shared/src/connections/connection-errors';
import { summarizeConnection } from '../../shared/src/connections/connection-summary';
import { normalizeGatewayName } from '../../shared/src/connections/gateway-name';
import { toError } from '../../shared/src/errors';
import { type Clock, systemClock } from '../../shared/src/ports/clock';
import type { ConnectionStore, ConnectionSummary, SaveConnectionOptions } from '../../shared/src/ports/connection-store';
import { ConnectionStorageError, loadConnectionKey, openSealedConnection, sealConnection } from './connection-crypto';
import { parseConnection, type WarehouseConnection } from './warehouse-connection';

/** Folder of a project that holds everything local (also DynamoDB Local's data and the default DuckDB file). */
const LOCAL_FOLDER = '.meshcron';
/** The AES-256-GCM key, mode 0600. */
export const CONNECTION_KEY_FILE = 'connection.key';
/** The saved connections: `{gateway: {iv, ciphertext, tag, type, host?, port?, database?, isDefault, updatedAt}}`. */
export const CONNECTIONS_FILE = 'connections.json';

const entrySchema = z.object({
  iv: z.string().min(1),
  ciphertext: z.string().min(1),
  tag: z.string().min(1),
  type: z.string().min(1),
  host: z.string().optional(),
  port: z.number().int().optional(),
  database: z.string().optional(),
  isDefault: z.boolean(),
  updatedAt: z.number().int().nonnegative(),
});
type Entry = z.infer<typeof entrySchema>;
/** Entries by gateway. A Map, not an object: `__proto__` and `constructor` are valid gateway names. */
type Entries = Map<string, Entry>;

/** Options of {@link LocalConnectionStore}. */
export interface LocalConnectionStoreOptions {
  /** Project folder; the files live in its `.meshcron/`. */
  readonly root: string;
  readonly clock?: Clock;
}

/**
 * Connections saved for the embedded stack: `<project>/.meshcron/connections.json` holds, per gateway, the
 * connection encrypted with AES-256-GCM next to the fields that may be shown, and `connection.key` holds
 * the key. Listing reads only the public fields; the key is needed (and created) only to save or resolve.
 * Files are replaced atomically (write, then rename), so a crash never leaves half a file. Meant for one
 * user's CLI: two processes saving at the very same moment may lose one of the saves.
 */
export class LocalConnectionStore implements ConnectionStore<WarehouseConnection> {
  readonly folder: string;
  readonly keyFile: string;
  readonly connectionsFile: string;
  private readonly clock: Clock;

  constructor(options: LocalConnectionStoreOptions) {
    this.folder = path.join(options.root, LOCAL_FOLDER);
    this.keyFile = path.join(this.folder, CONNECTION_KEY_FILE);
    this.connectionsFile = path.join(this.folder, CONNECTIONS_FILE);
    this.clock = options.clock ?? systemClock;
  }

  async save(gatewayName: string, connection: WarehouseConnection, options: SaveConnectionOptions = {}): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const key = await loadConnectionKey(this.keyFile, { create: true });
    const entries = await this.readEntries();
    const hasOtherDefault = [...entries].some(([name, e]) => name !== gateway && e.isDefault);
    const isDefault = options.makeDefault === true || !hasOtherDefault;
    const summary = summarizeConnection(gateway, connection, { isDefault, updatedAt: this.clock.nowMs() });
    const next: Entries = new Map([...entries].map(([name, e]) => [name, isDefault ? { ...e, isDefault: false } : e]));
    next.set(gateway, { ...sealConnection(key, gateway, JSON.stringify(connection)), ...publicFields(summary) });
    await this.writeEntries(next);
    return summary;
  }

  async list(): Promise<ConnectionSummary[]> {
    const entries = await this.readEntries();
    return [...entries.keys()].sort().map((gateway) => toSummary(gateway, entries.get(gateway) as Entry));
  }

  async delete(gatewayName: string): Promise<void> {
    const gateway = normalizeGatewayName(gatewayName);
    const entries = await this.readEntries();
    if (!entries.delete(gateway)) throw new ConnectionNotFoundError(gateway, sortedNames(entries));
    await this.writeEntries(entries);
  }

  async setDefault(gatewayName: string): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    const entries = await this.readEntries();
    if (!entries.has(gateway)) throw new ConnectionNotFoundError(gateway, sortedNames(entries));
    const next: Entries = new Map([...entries].map(([name, e]) => [name, { ...e, isDefault: name === gateway }]));
    await this.writeEntries(next);
    return toSummary(gateway, next.get(gateway) as Entry);
  }

  async resolve(gatewayName?: string): Promise<WarehouseConnection> {
    const entries = await this.readEntries();
    const saved = sortedNames(entries);
    const gateway =
      gatewayName === undefined ? saved.find((name) => entries.get(name)?.isDefault) : normalizeGatewayName(gatewayName);
    const entry = gateway === undefined ? undefined : entries.get(gateway);
    if (gateway === undefined || entry === undefined) throw new ConnectionNotFoundError(gateway, saved);
    const key = await loadConnectionKey(this.keyFile, { create: false });
    const plaintext = openSealedConnection(key, gateway, entry);
    return parseConnection(JSON.parse(plaintext) as unknown, gateway);
  }

  private async readEntries(): Promise<Entries> {
    let text: string;
    try {
      text = await readFile(this.connectionsFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new ConnectionStorageError(`cannot read ${this.connectionsFile}: ${toError(e).message}`, { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ConnectionStorageError(`${this.connectionsFile} is not valid JSON; delete it and save the connections again`, { cause: e });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw this.corrupt('(file)');
    const entries: Entries = new Map();
    // JSON.parse makes every key an own property, `__proto__` included, so Object.entries sees them all.
    for (const [gateway, value] of Object.entries(json)) {
      const parsed = entrySchema.safeParse(value);
      if (!parsed.success) throw this.corrupt([gateway, ...(parsed.error.issues[0]?.path ?? []).map(String)].join('.'));
      entries.set(gateway, parsed.data);
    }
    return entries;
  }

  private corrupt(where: string): ConnectionStorageError {
    return new ConnectionStorageError(
      `${this.connectionsFile} is not a Meshcron connections file (bad entry at ${where}); delete it and save the connections again`,
    );
  }

  private async writeEntries(entries: Entries): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const staging = `${this.connectionsFile}.${process.pid}.${randomBytes(6).toString('hex')}`;
    try {
      // Object.fromEntries defines own properties, so a `__proto__` gateway is written like any other.
      await writeFile(staging, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(staging, this.connectionsFile);
    } catch (e) {
      await unlink(staging).catch(() => undefined);
      throw e;
    }
  }
}

function sortedNames(entries: Entries): string[] {
  return [...entries.keys()].sort();
}

function publicFields(summary: ConnectionSummary): Omit<Entry, 'iv' | 'ciphertext' | 'tag'> {
  const { gateway: _gateway, ...rest } = summary;
  return rest;
}

function toSummary(gateway: string, entry: Entry): ConnectionSummary {
  return {
    gateway,
    type: entry.type,
    isDefault: entry.isDefault,
    ...(entry.host !== undefined ? { host: entry.host } : {}),
    ...(entry.port !== undefined ? { port: entry.port } : {}),
    ...(entry.database !== undefined ? { database: entry.database } : {}),
    updatedAt: entry.updatedAt,
  };
}
