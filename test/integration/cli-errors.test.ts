import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The `meshcron` command as a user runs it (bin/meshcron in a child process). Broken projects fail at load
 * time with status 2 and `file:line` on stderr, before anything is started or written; a happy path on a
 * copy of examples/quickstart plans, runs and reports status through the CLI's own DynamoDB Local.
 */

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/meshcron');
const BROKEN = path.join(REPO, 'test/fixtures/projects/cli-broken');
const EXECUTION_TIME = '2026-11-08T06:00:00Z';
/** A command that starts DynamoDB Local may need a while on a loaded machine. */
const COMMAND_TIMEOUT_MS = 90_000;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function meshcron(args: readonly string[]): Promise<CliResult> {
  const env = { ...process.env };
  // The CLI must start its own DynamoDB Local, not reuse one from the environment.
  delete env.MESHCRON_DYNAMODB_ENDPOINT;
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function copyProject(source: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshcron-cli-'));
  await cp(source, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.meshcron`) });
  return root;
}

const BROKEN_CASES = [
  {
    name: 'model-block',
    what: 'a MODEL block that is never closed',
    stderr: "error: models/bad_block.sql:1: the '(' of MODEL is never closed; check for a missing ')'\n",
  },
  {
    name: 'cron',
    what: 'an invalid cron',
    stderr: "error: models/bad_cron.sql:4: Invalid cron '0 25 * * *' for model 'broken.bad_cron': hour 25 outside 0-23\n",
  },
  {
    name: 'unknown-table',
    what: 'an unknown table',
    stderr:
      "error: models/unknown_table.sql:10: model 'broken.unknown_table' references unknown table 'broken.nowhere'; " +
      'it is neither a model nor an external model (declare tables this project does not build in external_models.yaml)\n',
  },
  {
    name: 'cycle',
    what: 'a dependency cycle',
    stderr: 'error: models/cycle_a.sql:1: dependency cycle: broken.cycle_a -> broken.cycle_b -> broken.cycle_a\n',
  },
  {
    name: 'missing-seed',
    what: 'a missing seed file',
    stderr:
      "error: models/missing_seed.sql:4: seed file 'seeds/absent.csv' does not exist (path '../seeds/absent.csv' is " +
      "relative to models/missing_seed.sql; start it with '$root/' to make it relative to the project root)\n",
  },
] as const;

describe('meshcron on a broken project', () => {
  const results = new Map<string, { result: CliResult; root: string }>();

  // The five commands only load a project, so they run side by side.
  beforeAll(async () => {
    await Promise.all(
      BROKEN_CASES.map(async ({ name }) => {
        const root = await copyProject(path.join(BROKEN, name));
        const result = await meshcron(['--project', root, 'plan', '--auto-apply', '--execution-time', EXECUTION_TIME]);
        results.set(name, { result, root });
      }),
    );
  }, COMMAND_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([...results.values()].map(({ root }) => rm(root, { recursive: true, force: true })));
  });

  it.each(BROKEN_CASES)('$what: exits with 2, names file and line, writes nothing', async ({ name, stderr }) => {
    // Arrange
    const run = results.get(name);

    // Assert
    expect(run?.result.code).toBe(2);
    expect(run?.result.stderr).toBe(stderr);
    expect(run?.result.stdout).toBe('');
    expect(existsSync(path.join(run?.root ?? '/nonexistent', '.meshcron'))).toBe(false);
    expect((await readdir(run?.root ?? '/nonexistent')).sort()).toEqual(['config.yaml', 'models']);
  });
});

describe('meshcron on examples/quickstart', () => {
  let root: string;
  beforeAll(async () => {
    root = await copyProject(path.join(REPO, 'examples/quickstart'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it(
    'plan --auto-apply exits 0 and prints one line per batch',
    async () => {
      // Act
      const { code, stdout, stderr } = await meshcron(['--project', root, 'plan', '--auto-apply', '--execution-time', EXECUTION_TIME]);

      // Assert
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const batchLines = stdout.split('\n').filter((l) => /^\s+[✔✘–] /.test(l));
      expect(batchLines).toHaveLength(3);
      expect(batchLines[0]).toMatch(/^ {2}✔ quickstart\.seed_model +\[2026-11-01, 2026-11-08\) +20 rows +\d/);
      expect(batchLines[1]).toMatch(/^ {2}✔ quickstart\.incremental_model +\[2026-11-01, 2026-11-08\) +14 rows +\d/);
      expect(batchLines[2]).toMatch(/^ {2}✔ quickstart\.full_model +\[2026-11-01, 2026-11-08\) +5 rows +\d/);
      expect(stdout).toContain("✔ Environment 'prod' promoted (3 batches).");
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'run --json right after the plan prints valid JSON with no batches',
    async () => {
      // Act
      const { code, stdout, stderr } = await meshcron(['--project', root, '--json', 'run', '--execution-time', EXECUTION_TIME]);

      // Assert
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const summary = JSON.parse(stdout) as { run: { status: string; executionTs: number }; batches: unknown[]; deferred: unknown[]; nextRunMs: number };
      expect(summary.batches).toEqual([]);
      expect(summary.deferred).toEqual([]);
      expect(summary.run.status).toBe('succeeded');
      expect(summary.run.executionTs).toBe(Date.parse(EXECUTION_TIME));
      expect(summary.nextRunMs).toBe(Date.parse('2026-11-09T00:00:00Z'));
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'status --json lists the three models with their processed week',
    async () => {
      // Act
      const { code, stdout, stderr } = await meshcron(['--project', root, '--json', 'status', '--execution-time', EXECUTION_TIME]);

      // Assert
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const status = JSON.parse(stdout) as { environment: string; models: { name: string; processed: [number, number][]; behind: unknown[] }[] };
      expect(status.environment).toBe('prod');
      const week = [[Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-08T00:00:00Z')]];
      expect(status.models.map((m) => ({ name: m.name, processed: m.processed, behind: m.behind })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'quickstart.full_model', processed: week, behind: [] },
        { name: 'quickstart.incremental_model', processed: week, behind: [] },
        { name: 'quickstart.seed_model', processed: week, behind: [] },
      ]);
    },
    COMMAND_TIMEOUT_MS,
  );
});
