import { mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';

const execFileAsync = promisify(execFile);

/** Resolves true when something accepts TCP connections on the port. */
function isPortOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

async function createTable(endpoint: string, name: string): Promise<void> {
  const client = createLocalDynamoDbClient(endpoint);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  } finally {
    client.destroy();
  }
}

async function listTables(endpoint: string): Promise<string[]> {
  const client = createLocalDynamoDbClient(endpoint);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

describe('startDynamoDbLocal', () => {
  it('answers on a free port, shares one database across regions and keys, and closes the port when stopped (twice is fine)', async () => {
    // Arrange
    const local = await startDynamoDbLocal({});
    const port = portOf(local.endpoint);

    // Act
    const openWhileRunning = await isPortOpen(port);
    const tablesAtStart = await listTables(local.endpoint);
    await createTable(local.endpoint, 'shared_check');
    // Without -sharedDb another region or access key would see a separate, empty database.
    const otherRegion = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'someoneelse', secretAccessKey: 'x' },
    });
    const seenElsewhere = (await otherRegion.send(new ListTablesCommand({}))).TableNames;
    otherRegion.destroy();
    await local.stop();

    // Assert
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(openWhileRunning).toBe(true);
    expect(tablesAtStart).toEqual([]);
    expect(seenElsewhere).toEqual(['shared_check']);
    expect(await isPortOpen(port)).toBe(false);
    await expect(local.stop()).resolves.toBeUndefined();
  });

  it('keeps tables across restarts when given a data folder, and forgets them without one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'meshcron-ddb-'));
    try {
      const first = await startDynamoDbLocal({ dataDir });
      await createTable(first.endpoint, 'persisted');
      await first.stop();

      const second = await startDynamoDbLocal({ dataDir });
      const afterRestart = await listTables(second.endpoint);
      await second.stop();

      const inMemory = await startDynamoDbLocal({});
      const fresh = await listTables(inMemory.endpoint);
      await inMemory.stop();

      expect(afterRestart).toEqual(['persisted']);
      expect(fresh).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('listens on the port it is given', async () => {
    // A port the OS reports free right now (a plain server, so no second JVM start is needed to find one).
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as AddressInfo;
        server.close(() => resolve(address.port));
      });
    });

    const local = await startDynamoDbLocal({ port });
    try {
      expect(local.endpoint).toBe(`http://127.0.0.1:${port}`);
      expect(await listTables(local.endpoint)).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  it('fails with an error naming java when java cannot be run', async () => {
    // Jest gives tests a copy of process.env that child_process never reads, so the missing java is
    // simulated in a separate Node process whose PATH holds no java.
    const script = [
      `const { startDynamoDbLocal } = require(${JSON.stringify(join(__dirname, '../../functions/adapters/dynamodb-local.ts'))});`,
      'startDynamoDbLocal({}).then(',
      "  (l) => l.stop().then(() => { console.log('STARTED'); }),",
      '  (e) => { console.log(e.name + ": " + e.message); },',
      ');',
    ].join('\n');

    const { stdout } = await execFileAsync(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), '--eval', script],
      { env: { PATH: '/nonexistent-meshcron-test', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );

    expect(stdout.trim()).toMatch(
      /^SchedulerError: cannot start DynamoDB Local: could not run 'java' \(spawn java ENOENT\); DynamoDB Local needs Java 17 or later on PATH$/,
    );
  });

});
