import { chmod, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONNECTION_KEY_BYTES, ConnectionStorageError, loadConnectionKey } from '../../../functions/adapters/connection-crypto';
import { LocalConnectionStore } from '../../../functions/adapters/connection-local-store';
import type { WarehouseConnection } from '../../../functions/adapters/warehouse-connection';
import { DUCKDB, ManualClock, PASSWORD, POSTGRES, T0 } from './support/connection-store.contract';

/**
 * What only the file store does: the key file (0600, 32 bytes, refused when others can read it), the
 * connections file holding no password in any readable form, and tampering detected by AES-GCM.
 */

let root: string;
let store: LocalConnectionStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-conn-'));
  store = new LocalConnectionStore({ root, clock: new ManualClock(T0) });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;
const readJson = async (file: string): Promise<Record<string, Record<string, unknown>>> =>
  JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;

describe('LocalConnectionStore files', () => {
  it('creates a 32-byte key and the connections file, both readable by their owner only', async () => {
    // Act
    await store.save('pg', POSTGRES);
    // Assert
    expect(store.keyFile).toBe(path.join(root, '.meshcron', 'connection.key'));
    expect((await readFile(store.keyFile)).length).toBe(CONNECTION_KEY_BYTES);
    expect(await modeOf(store.keyFile)).toBe(0o600);
    expect(await modeOf(store.connectionsFile)).toBe(0o600);
  });

  it('stores the password in no readable form: neither plain, nor base64, nor hex', async () => {
    // Act
    await store.save('pg', POSTGRES);
    // Assert
    const text = await readFile(store.connectionsFile, 'utf8');
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex'), 'meshcron']) {
      expect({ form, found: text.includes(form) }).toEqual({ form, found: false });
    }
    const entry = (await readJson(store.connectionsFile)).pg;
    expect(Object.keys(entry ?? {}).sort()).toEqual(['ciphertext', 'database', 'host', 'isDefault', 'iv', 'port', 'tag', 'type', 'updatedAt']);
    expect(entry).toMatchObject({ type: 'postgres', host: 'db.internal', port: 5432, database: 'analytics', isDefault: true, updatedAt: T0 });
  });

  it('encrypts the same connection differently each time (fresh IV)', async () => {
    // Act
    await store.save('pg', POSTGRES);
    const first = (await readJson(store.connectionsFile)).pg;
    await store.save('pg', POSTGRES);
    const second = (await readJson(store.connectionsFile)).pg;
    // Assert
    expect(second?.iv).not.toBe(first?.iv);
    expect(second?.ciphertext).not.toBe(first?.ciphertext);
  });

  it.each(['0640', '0604', '0660', '0644'])('refuses a key file with mode %s for saving and resolving, but still lists', async (octal) => {
    const mode = Number.parseInt(octal, 8);
    // Arrange
    await store.save('pg', POSTGRES);
    await chmod(store.keyFile, mode);
    // Act / Assert
    const error = `connection key ${store.keyFile} has mode ${octal}, so group or others can read or change it; only its owner may (run: chmod 600 ${store.keyFile})`;
    await expect(store.resolve('pg')).rejects.toThrow(error);
    await expect(store.save('other', DUCKDB)).rejects.toThrow(error);
    expect((await store.list()).map((s) => s.gateway)).toEqual(['pg']);
  });

  it('refuses a key that is not 32 bytes', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await writeFile(store.keyFile, Buffer.alloc(16), { mode: 0o600 });
    // Act / Assert
    await expect(store.resolve('pg')).rejects.toThrow(`connection key ${store.keyFile} is 16 bytes; it must be exactly 32 random bytes`);
  });

  it('needs the key only to save and resolve: listing works without it, resolving says it is missing', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await unlink(store.keyFile);
    // Act / Assert
    await expect(store.list()).resolves.toHaveLength(1);
    await expect(store.resolve('pg')).rejects.toThrow(`connection key ${store.keyFile} is missing, so saved connections cannot be decrypted; save them again`);
  });

  it('detects an altered ciphertext and an entry copied under another gateway', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    await store.save('other', DUCKDB);
    const file = await readJson(store.connectionsFile);
    const altered = Buffer.from(String(file.pg?.ciphertext), 'base64');
    altered[0] = (altered[0] ?? 0) ^ 1;
    await writeFile(store.connectionsFile, JSON.stringify({ pg: { ...file.pg, ciphertext: altered.toString('base64') }, other: { ...file.other, iv: file.pg?.iv, ciphertext: file.pg?.ciphertext, tag: file.pg?.tag } }));
    // Act / Assert
    await expect(store.resolve('pg')).rejects.toThrow(
      "cannot decrypt the saved connection of gateway 'pg': the key file does not match it or the entry was altered; save the connection again",
    );
    await expect(store.resolve('other')).rejects.toBeInstanceOf(ConnectionStorageError);
  });

  it('refuses a connections file that is not its own format, naming the bad entry', async () => {
    // Arrange
    await store.save('pg', POSTGRES);
    const file = await readJson(store.connectionsFile);
    await writeFile(store.connectionsFile, JSON.stringify({ pg: { ...file.pg, port: 'x' } }));
    // Act / Assert
    await expect(store.list()).rejects.toThrow(
      `${store.connectionsFile} is not a Meshcron connections file (bad entry at pg.port); delete it and save the connections again`,
    );
    await writeFile(store.connectionsFile, '{not json');
    await expect(store.list()).rejects.toThrow(`${store.connectionsFile} is not valid JSON; delete it and save the connections again`);
  });

  it('re-validates a decrypted connection against its schema', async () => {
    // Arrange: a connection saved by hand that no longer fits the postgres schema (port as text).
    const handWritten = { ...POSTGRES, port: '5432' } as unknown as WarehouseConnection;
    await store.save('pg', handWritten);
    // Act / Assert
    await expect(store.resolve('pg')).rejects.toThrow('connection pg.port: must be a number');
  });
});

describe('loadConnectionKey', () => {
  it('gives two processes creating the key at once the same key', async () => {
    // Arrange
    const keyFile = path.join(root, 'nested', 'connection.key');
    // Act
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadConnectionKey(keyFile, { create: true })));
    // Assert
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    expect(await modeOf(path.dirname(keyFile))).toBe(0o700);
  });
});
