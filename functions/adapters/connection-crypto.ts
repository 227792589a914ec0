import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { SchedulerError, toError } from '../../shared/src/errors';

/**
 * AES-256-GCM for connections saved on this machine, under a 32-byte key kept in its own file with mode
 * 0600. GCM authenticates as well as encrypts, and each entry's gateway name is bound in as additional
 * data, so an edited ciphertext, a wrong key, or an entry copied under another gateway all fail to open.
 */

/** Literal name of {@link ConnectionStorageError}. */
export const CONNECTION_STORAGE_ERROR_NAME = 'ConnectionStorageError';

/** The key file or the saved connections cannot be used (unsafe mode, wrong size, corrupt or altered entry). */
export class ConnectionStorageError extends SchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = CONNECTION_STORAGE_ERROR_NAME;
  }
}

/** AES-256 takes a 32-byte key. */
export const CONNECTION_KEY_BYTES = 32;
/** GCM's standard 96-bit nonce; random per encryption, so a key may seal ~2^32 entries safely. */
const IV_BYTES = 12;
const CIPHER = 'aes-256-gcm';
/** Full 128-bit tags only: GCM would otherwise accept a truncated tag, which is far easier to forge. */
const TAG_BYTES = 16;
/** Permission bits for group and others: any of them set makes the key readable or writable by others. */
const GROUP_OTHER_BITS = 0o077;
/** Versioned so a future format can tell its entries apart. */
const AAD_PREFIX = 'meshcron-connection:v1:';

/** One encrypted connection, each part base64. */
export interface SealedConnection {
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/**
 * Reads the key at `keyFile`, creating it (32 random bytes, mode 0600, folder 0700) when missing and
 * `create` is set. Refuses a key file that group or others may read or write: a leaked key exposes every
 * saved password.
 *
 * @throws ConnectionStorageError naming the file, its mode or size, and the fix; or when missing and not `create`.
 */
export async function loadConnectionKey(keyFile: string, options: { readonly create: boolean }): Promise<Buffer> {
  const existing = await readKeyFile(keyFile);
  if (existing) return existing;
  if (!options.create) {
    throw new ConnectionStorageError(`connection key ${keyFile} is missing, so saved connections cannot be decrypted; save them again`);
  }
  await mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  // Written under a private name and then hard-linked into place: link() fails if the key appeared
  // meanwhile, so two processes creating it at once both end up with the one that won.
  const staging = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const handle = await open(staging, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o600);
  try {
    await handle.writeFile(randomBytes(CONNECTION_KEY_BYTES));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(staging, keyFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(staging).catch(() => undefined);
  }
  const key = await readKeyFile(keyFile);
  if (!key) throw new ConnectionStorageError(`connection key ${keyFile} vanished while it was being created`);
  return key;
}

async function readKeyFile(keyFile: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(keyFile, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConnectionStorageError(`cannot read connection key ${keyFile}: ${toError(e).message}`, { cause: e });
  }
  try {
    const stat = await handle.stat();
    // Windows has no POSIX modes (every file reports 0666); the check only means something elsewhere.
    if (process.platform !== 'win32' && (stat.mode & GROUP_OTHER_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new ConnectionStorageError(
        `connection key ${keyFile} has mode ${mode}, so group or others can read or change it; only its owner may (run: chmod 600 ${keyFile})`,
      );
    }
    if (!stat.isFile() || stat.size !== CONNECTION_KEY_BYTES) {
      throw new ConnectionStorageError(
        `connection key ${keyFile} is ${stat.isFile() ? `${stat.size} bytes` : 'not a regular file'}; it must be exactly ${CONNECTION_KEY_BYTES} random bytes`,
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Encrypts `plaintext` for `gateway` under `key` with a fresh random IV. */
export function sealConnection(key: Buffer, gateway: string, plaintext: string): SealedConnection {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${AAD_PREFIX}${gateway}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/**
 * Decrypts what {@link sealConnection} produced for the same gateway and key.
 *
 * @throws ConnectionStorageError when the key differs or the entry was altered or moved to another gateway.
 */
export function openSealedConnection(key: Buffer, gateway: string, sealed: SealedConnection): string {
  try {
    const decipher = createDecipheriv(CIPHER, key, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${AAD_PREFIX}${gateway}`, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new ConnectionStorageError(
      `cannot decrypt the saved connection of gateway '${gateway}': the key file does not match it or the entry was altered; save the connection again`,
      { cause: e },
    );
  }
}
