import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_CONNECTION_YAML_BYTES } from '../../shared/src/connections/constants';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';
import { type CliResult, COMMAND_TIMEOUT_MS, meshcron } from '../unit/connections/support/meshcron-cli';

/**
 * `meshcron connection add|list|delete|default` as a user runs it: the connection is tested against a real
 * PostgreSQL cluster before saving, bad input exits 2 naming the field with nothing stored, a failed test
 * exits 1 with nothing stored, and no output ever shows the password.
 */

let cluster: PostgresCluster;
let root: string;
let connYaml: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-conn-cli-'));
  connYaml = [
    'type: postgres',
    `host: ${cluster.host}`,
    `port: ${cluster.port}`,
    `user: ${cluster.user}`,
    `password: "${cluster.password}"`,
    `database: ${cluster.database}`,
    'sslmode: disable',
    '',
  ].join('\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const nothingSaved = (): boolean => !existsSync(path.join(root, '.meshcron', 'connections.json'));

const LAUGHS = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`),
  'type: duckdb',
].join('\n');

const BAD_INPUTS = [
  { what: 'a YAML bomb', input: LAUGHS, stderr: 'error: --file: uses YAML aliases too often (at most 16 alias uses; write the values out)\n' },
  {
    what: 'input over the size cap',
    input: `type: duckdb\ndatabase: "${'x'.repeat(MAX_CONNECTION_YAML_BYTES)}"\n`,
    stderr: 'error: --file: standard input is larger than 65536 bytes; a connection is a few lines of YAML\n',
  },
  {
    what: 'invalid YAML',
    input: 'type: postgres\npassword: "Secret-In-Bad-Yaml\n',
    stderr: 'error: --file: invalid YAML at line 3, column 1: Missing closing "quote (MISSING_CHAR)\n',
  },
  { what: 'an unknown field', input: 'type: duckdb\ndatabse: x.duckdb\n', stderr: 'error: connection pg: has unknown fields: databse\n' },
  {
    what: 'a wrong type',
    input: 'type: postgres\nhost: h\nport: "5432"\nuser: u\npassword: Secret-Of-Wrong-Type\ndatabase: d\n',
    stderr: 'error: connection pg.port: must be a number\n',
  },
  { what: 'an unsupported type', input: 'type: snowflake\naccount: a\n', stderr: "error: pg.type 'snowflake' is not supported; Meshcron executes on: duckdb, postgres\n" },
  {
    what: 'a list instead of a map',
    input: '- type: duckdb\n',
    stderr: 'error: --file: must be a YAML map of connection fields, e.g. type: postgres, host: db.internal, …\n',
  },
] as const;

/** The bad-input commands start nothing but the CLI, so they run side by side, each in its own folder. */
const badInputRuns = new Map<string, { result: CliResult; root: string }>();
beforeAll(async () => {
  await Promise.all(
    BAD_INPUTS.map(async ({ what, input }) => {
      const folder = await mkdtemp(path.join(tmpdir(), 'meshcron-conn-bad-'));
      badInputRuns.set(what, { result: await meshcron(['-p', folder, 'connection', 'add', 'pg', '-f', '-'], input), root: folder });
    }),
  );
}, COMMAND_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all([...badInputRuns.values()].map((run) => rm(run.root, { recursive: true, force: true })));
});

describe('meshcron connection', () => {
  it(
    'adds from a file, lists without the password, moves the default and deletes',
    async () => {
      // Arrange
      const file = path.join(root, 'conn.yaml');
      await writeFile(file, connYaml);
      await writeFile(path.join(root, 'local.yaml'), 'type: duckdb\ndatabase: local.duckdb\n');
      // Act
      const added = await meshcron(['-p', root, 'connection', 'add', 'Warehouse', '--file', file]);
      const second = await meshcron(['-p', root, 'connection', 'add', 'local', '-f', path.join(root, 'local.yaml')]);
      const moved = await meshcron(['-p', root, 'connection', 'default', 'LOCAL']);
      const listed = await meshcron(['-p', root, '--json', 'connection', 'list']);
      const deleted = await meshcron(['-p', root, 'connection', 'delete', 'warehouse']);
      const after = await meshcron(['-p', root, 'connection', 'list']);
      // Assert
      expect(added).toMatchObject({ code: 0, stderr: '' });
      expect(added.stdout).toContain(`✔ Connection of gateway 'warehouse' (postgres ${cluster.host}:${cluster.port}/${cluster.database}) tested and saved encrypted in`);
      expect(second).toMatchObject({ code: 0, stderr: '' });
      expect(second.stdout).toContain('Make it the default with: meshcron connection default local');
      expect(moved.stdout).toBe("✔ Gateway 'local' (duckdb local.duckdb) is now the default connection.\n");
      const { connections } = JSON.parse(listed.stdout) as { connections: Record<string, unknown>[] };
      expect(connections).toEqual([
        { gateway: 'local', type: 'duckdb', isDefault: true, database: 'local.duckdb', updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        {
          gateway: 'warehouse',
          type: 'postgres',
          isDefault: false,
          host: cluster.host,
          port: cluster.port,
          database: cluster.database,
          updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      expect(deleted).toMatchObject({ code: 0, stdout: "✔ Deleted the connection of gateway 'warehouse'.\n" });
      expect(after.stdout.split('\n')[0]).toMatch(/^GATEWAY +TYPE +WHERE +DEFAULT +UPDATED \(UTC\)$/);
      expect(after.stdout.split('\n')[1]).toMatch(/^local +duckdb +local\.duckdb +yes +\d{4}-/);
      for (const output of [added, second, moved, listed, deleted, after]) expect(output.stdout + output.stderr).not.toContain(cluster.password);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'reads the YAML from standard input with --file -',
    async () => {
      // Act
      const result = await meshcron(['-p', root, 'connection', 'add', 'pg', '--file', '-', '--default'], connYaml);
      // Assert
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('It is the default connection.');
      expect(await readFile(path.join(root, '.meshcron', 'connections.json'), 'utf8')).not.toContain(cluster.password);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'exits 1 and saves nothing when the password is wrong, without printing it',
    async () => {
      // Arrange
      const wrong = 'Wrong-Pw-For-Cli-123';
      // Act
      const result = await meshcron(['-p', root, 'connection', 'add', 'pg', '-f', '-'], connYaml.replace(cluster.password, wrong));
      // Assert
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^✘ connection test of gateway 'pg' failed \(authentication_failed\): PostgreSQL: password authentication failed .*; nothing was saved\n$/);
      expect(result.stdout + result.stderr).not.toContain(wrong);
      expect(nothingSaved()).toBe(true);
    },
    COMMAND_TIMEOUT_MS,
  );

  it.each(BAD_INPUTS)('exits 2 for $what, naming the field and saving nothing', ({ what, stderr }) => {
    // Assert
    const run = badInputRuns.get(what);
    expect(run?.result).toEqual({ code: 2, stdout: '', stderr });
    expect(run?.result.stderr).not.toMatch(/Secret-/);
    expect(existsSync(path.join(run?.root ?? '/nonexistent', '.meshcron'))).toBe(false);
  });

  it(
    'exits 2 for a bad gateway name and a missing file, and for defaults or deletes of unknown gateways',
    async () => {
      // Act
      const [badName, missing, unknownDefault, unknownDelete] = await Promise.all([
        meshcron(['-p', root, 'connection', 'add', 'no/slash', '-f', '-'], 'type: duckdb\n'),
        meshcron(['-p', root, 'connection', 'add', 'pg', '-f', path.join(root, 'absent.yaml')]),
        meshcron(['-p', root, 'connection', 'default', 'nope']),
        meshcron(['-p', root, 'connection', 'delete', 'nope']),
      ]);
      // Assert
      expect(badName).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: gateway: "no/slash" is not a valid gateway name; use 1-63 letters, digits, '_' or '-', not starting with '-'\n`,
      });
      expect(missing).toEqual({ code: 2, stdout: '', stderr: `error: --file: cannot read '${path.join(root, 'absent.yaml')}': no such file\n` });
      expect(unknownDefault).toEqual({ code: 2, stdout: '', stderr: "error: no connection is saved for gateway 'nope'; saved gateways: (none)\n" });
      expect(unknownDelete.code).toBe(2);
      expect(nothingSaved()).toBe(true);
    },
    COMMAND_TIMEOUT_MS,
  );
});
