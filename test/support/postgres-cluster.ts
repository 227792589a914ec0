import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * A private, throw-away PostgreSQL cluster for integration tests: its own data folder, socket and TCP port
 * on 127.0.0.1, password authentication (scram-sha-256, so a wrong password is refused) and fsync off.
 */

const run = promisify(execFile);

/** Debian installs every major version's server binaries side by side here. */
const POSTGRES_LIB_DIR = '/usr/lib/postgresql';
/** The OS account that owns the cluster when the tests run as root (PostgreSQL refuses to run as root). */
const POSTGRES_OS_USER = 'postgres';
/** The cluster's superuser, which is also the role the tests connect as. */
const TEST_ROLE = 'meshcron_test';
/** A database created for the tests, so nothing depends on the `postgres` maintenance database. */
const TEST_DATABASE = 'meshcron_test';
/** initdb and start take ~1 s together; a loaded CI machine gets far more. */
const START_TIMEOUT_SECONDS = 30;
/** How much of the server log goes into a start-up error. */
const LOG_TAIL_CHARS = 3_000;

/** A running private cluster and what a client needs to reach it. */
export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Stops the server (`pg_ctl stop -m fast`) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Creates and starts a private cluster (~1-2 s). Call {@link PostgresCluster.stop} in `afterAll`.
 *
 * @throws Error saying `apt-get install -y postgresql` when no server binaries are installed.
 * @example
 * const cluster = await startPostgresCluster();
 * const warehouse = await openPostgresWarehouse({ ...cluster, sslmode: 'disable' });
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = await findServerBinaries();
  const asRoot = userInfo().uid === 0;
  const root = await mkdtemp(path.join(tmpdir(), 'meshcron-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const pwFile = path.join(root, 'pwfile');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const port = await findFreePort();
  let started = false;

  const commandLine = (command: string, args: readonly string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', POSTGRES_OS_USER, '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), [...args]];
  const asOwner = async (command: string, args: readonly string[]): Promise<void> => {
    const [file, argv] = commandLine(command, args);
    await run(file, argv, { timeout: START_TIMEOUT_SECONDS * 1000, cwd: root });
  };

  // pg_ctl daemonises the server: if the test process ends without stop(), nothing else would end it.
  const stopOnExit = (): void => {
    try {
      const [file, argv] = commandLine('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      execFileSync(file, argv, { stdio: 'ignore', timeout: START_TIMEOUT_SECONDS * 1000 });
    } catch {
      // Not running (any more); nothing to stop.
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    if (started) {
      started = false;
      await asOwner('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
  };

  try {
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (asRoot) await chownTree(root, POSTGRES_OS_USER);
    await asOwner('initdb', [
      '-D', dataDir, '-U', TEST_ROLE, `--pwfile=${pwFile}`, '-A', 'scram-sha-256',
      '-E', 'UTF8', '--locale=C', '--no-sync',
    ]);
    await rm(pwFile);
    const serverOptions = [
      `-p ${port}`, `-k ${root}`, '-c listen_addresses=127.0.0.1', '-c fsync=off',
      '-c synchronous_commit=off', '-c full_page_writes=off', '-c TimeZone=UTC',
    ].join(' ');
    started = true;
    await asOwner('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-t', String(START_TIMEOUT_SECONDS), '-w', 'start']);
    const admin = new Client({ host: '127.0.0.1', port, user: TEST_ROLE, password, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEST_DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    const detail = e instanceof Error ? e.message : String(e);
    throw new Error(
      `cannot start a private PostgreSQL cluster with ${bin}: ${detail}${log ? `\nserver log:\n${log.slice(-LOG_TAIL_CHARS)}` : ''}`,
      { cause: e },
    );
  }
  return { host: '127.0.0.1', port, user: TEST_ROLE, password, database: TEST_DATABASE, stop };
}

/** The `bin` folder of the highest installed major version that has initdb, pg_ctl and postgres. */
async function findServerBinaries(): Promise<string> {
  const versions = await readdir(POSTGRES_LIB_DIR).catch(() => [] as string[]);
  const candidates = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((v) => path.join(POSTGRES_LIB_DIR, v, 'bin'));
  for (const bin of candidates) {
    const present = await Promise.all(['initdb', 'pg_ctl', 'postgres'].map((f) => isFile(path.join(bin, f))));
    if (present.every(Boolean)) return bin;
  }
  throw new Error(
    `PostgreSQL server binaries not found in ${POSTGRES_LIB_DIR}/<version>/bin (initdb, pg_ctl, postgres); ` +
      'install them with `apt-get install -y postgresql` (the package does not need a running service)',
  );
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Hands the cluster folder to the postgres OS user; the server refuses a data folder it does not own. */
async function chownTree(root: string, user: string): Promise<void> {
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  const uid = Number(stdout.trim());
  const group = Number(gid.trim());
  for (const entry of [root, ...(await readdir(root, { recursive: true })).map((p) => path.join(root, p))]) {
    await chown(entry, uid, group);
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? done(port) : fail(new Error('could not pick a free port'))));
    });
  });
}
