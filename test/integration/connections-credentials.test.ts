import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Client } from 'pg';
import { createLocalDynamoDbClient, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import { LOCAL_STATE_TABLE } from '../../cli/local-stack';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';
import { type CliResult, COMMAND_TIMEOUT_MS, meshcron } from '../unit/connections/support/meshcron-cli';

/**
 * Gateways on the `cloud` scheduler run on their SAVED connection, and its password leaks nowhere: a
 * PostgreSQL gateway with a recognisable password is saved through the CLI, then the embedded CLI plans and
 * runs examples/quickstart on it. Every line of CLI output, every item of the DynamoDB state table, every
 * file under the project (connections.json, DynamoDB Local's data, the key) is searched for the password.
 */

const REPO = path.resolve(__dirname, '../..');
const ROLE = 'meshcron_cloud';
/** Recognisable, and unique per run so an earlier run's leftovers cannot produce or hide a hit. */
const PASSWORD = `Recognisable-Cloud-Pw-${randomBytes(6).toString('hex')}`;
const DATABASE = 'cloud_warehouse';
const CONFIG = [
  'gateways:',
  '  Cloud_PG:',
  '    scheduler: {type: cloud}',
  'default_gateway: cloud_pg',
  'model_defaults:',
  '  dialect: duckdb',
  "  start: '2026-11-01'",
  "  cron: '@daily'",
  '',
].join('\n');

let cluster: PostgresCluster;
let root: string;
let outside: string;

async function admin<T>(fn: (client: Client) => Promise<T>, database = cluster.database): Promise<T> {
  const client = new Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await startPostgresCluster();
  await admin(async (c) => {
    await c.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await c.query(`CREATE DATABASE ${DATABASE} OWNER ${ROLE}`);
  });
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-cloud-'));
  outside = await mkdtemp(path.join(tmpdir(), 'meshcron-cloud-input-'));
  await cp(path.join(REPO, 'examples/quickstart'), root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.meshcron`) });
  await writeFile(path.join(root, 'config.yaml'), CONFIG);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('a gateway on the cloud scheduler', () => {
  const outputs: { command: string; result: CliResult }[] = [];

  it(
    'fails before any work when no connection is saved for it, listing the saved gateways',
    async () => {
      // Act
      const result = await meshcron(['-p', root, 'plan', '--auto-apply', '--execution-time', '2026-11-08T06:00:00Z']);
      // Assert
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "error: no connection is saved for gateway 'cloud_pg'; saved gateways: (none); gateway 'cloud_pg' uses scheduler {type: cloud} in " +
          'config.yaml, so plan and run use its saved connection; save one with: meshcron connection add cloud_pg --file conn.yaml\n',
      });
      expect(existsSync(path.join(root, '.meshcron'))).toBe(false);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'plans and runs on its saved connection (gateway name matched case-insensitively)',
    async () => {
      // Arrange: the YAML with the password lives outside the project, as a user would keep it.
      const connYaml = path.join(outside, 'conn.yaml');
      await writeFile(
        connYaml,
        `type: postgres\nhost: ${cluster.host}\nport: ${cluster.port}\nuser: ${ROLE}\npassword: "${PASSWORD}"\ndatabase: ${DATABASE}\nsslmode: disable\n`,
      );
      const steps: [string, string[]][] = [
        ['connection add', ['-p', root, 'connection', 'add', 'CLOUD_pg', '--file', connYaml]],
        ['connection list', ['-p', root, 'connection', 'list']],
        ['plan', ['-p', root, 'plan', '--auto-apply', '--execution-time', '2026-11-08T06:00:00Z']],
        ['run', ['-p', root, 'run', '--execution-time', '2026-11-09T06:00:00Z']],
        ['run --json', ['-p', root, '--json', 'run', '--execution-time', '2026-11-09T06:00:00Z']],
        ['status', ['-p', root, 'status', '--execution-time', '2026-11-09T06:00:00Z']],
      ];
      // Act
      for (const [command, args] of steps) outputs.push({ command, result: await meshcron(args) });
      // Assert
      expect(outputs.map(({ command, result }) => ({ command, code: result.code }))).toEqual(steps.map(([command]) => ({ command, code: 0 })));
      const rows = await admin(async (c) => (await c.query('SELECT COUNT(*)::int AS n FROM quickstart.incremental_model')).rows, DATABASE);
      // 14 rows for 2026-11-01..07 from the plan, 3 more for 2026-11-08 from the run (examples/quickstart/expected.json).
      expect(rows).toEqual([{ n: 17 }]);
    },
    COMMAND_TIMEOUT_MS * 6,
  );

  it('shows the password in no line of CLI output', () => {
    // Assert
    expect(outputs.length).toBe(6);
    const hits = outputs.flatMap(({ command, result }) =>
      `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.includes(PASSWORD)).map((line) => `${command}: ${line}`),
    );
    expect(hits).toEqual([]);
  });

  it('keeps connections.json free of the password in plain text', async () => {
    // Act
    const text = await readFile(path.join(root, '.meshcron', 'connections.json'), 'utf8');
    // Assert
    expect(text).toContain('"cloud_pg"');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('leaves the password in no file under the project, DynamoDB Local data included', async () => {
    // Arrange
    const files = await filesUnder(root);
    const search = async (text: string): Promise<string[]> => {
      const hits: string[] = [];
      for (const file of files) {
        const bytes = await readFile(file);
        for (const form of [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')]) if (bytes.includes(form)) hits.push(path.relative(root, file));
      }
      return hits;
    };
    // Act
    const passwordHits = await search(PASSWORD);
    // Control: the same search does find what the state holds in plain text, so a leak would show.
    const controlHits = await search('quickstart.incremental_model');
    // Assert
    expect(controlHits.some((f) => f.startsWith(path.join('.meshcron', 'state')))).toBe(true);
    expect(passwordHits).toEqual([]);
  });

  it(
    'leaves the password in no item of the state table',
    async () => {
      // Arrange: the CLI's DynamoDB Local has stopped; open its data again.
      const dynamo = await startDynamoDbLocal({ dataDir: path.join(root, '.meshcron', 'state') });
      const client = createLocalDynamoDbClient(dynamo.endpoint);
      try {
        // Act
        const items: unknown[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(new ScanCommand({ TableName: LOCAL_STATE_TABLE, ...(startKey ? { ExclusiveStartKey: startKey as never } : {}) }));
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        // Assert
        expect(items.length).toBeGreaterThan(10);
        expect(items.some((item) => JSON.stringify(item).includes('quickstart.incremental_model'))).toBe(true);
        expect(items.filter((item) => JSON.stringify(item).includes(PASSWORD))).toEqual([]);
      } finally {
        client.destroy();
        await dynamo.stop();
      }
    },
    COMMAND_TIMEOUT_MS,
  );
});
