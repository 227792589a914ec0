import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';

/**
 * R10: a wrapper passed a naive local execution time; in a US zone it fell inside an already processed
 * interval and nothing ran. Here the whole shop example is planned and run in child processes whose time
 * zone is America/Chicago or Asia/Kolkata (the test script sets no TZ, so the zone is set per process), with
 * naive execution times read the way `--execution-time` reads them. Batches, intervals and rows must be
 * exactly those of expected.json, which were derived in UTC.
 */

const REPO = path.resolve(__dirname, '../..');
const SHOP = path.join(REPO, 'examples/shop');
const SCRIPT = path.join(__dirname, 'support/plan-and-run-example.ts');
const CHILD_TIMEOUT_MS = 90_000;

interface ExpectedModel {
  readonly kind: string;
  readonly batches: [string, string][];
  readonly processed_intervals: [string, string][];
  readonly rows: number | null;
}
interface ExpectedRun {
  readonly execution_time: string;
  readonly models: Record<string, ExpectedModel>;
}
interface ChildOutput {
  readonly tz: string;
  readonly localOffsetMinutes: number;
  readonly naiveTimeLike: string;
  readonly formattedInstant: string;
  readonly runs: {
    readonly executionTime: string;
    readonly batches: Record<string, [string, string][]>;
    readonly intervals: Record<string, [string, string][]>;
    readonly rows: Record<string, number>;
  }[];
}

const expected = JSON.parse(readFileSync(path.join(SHOP, 'expected.json'), 'utf8')) as { runs: ExpectedRun[] };

function planAndRunIn(tz: string, endpoint: string): Promise<ChildOutput> {
  // Naive times, as a wrapper would pass them: '2026-11-08T06:00:00Z' without the zone.
  const naiveTimes = expected.runs.map((r) => r.execution_time.replace('Z', '').replace('T', ' '));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', SCRIPT, SHOP, ...naiveTimes], {
      cwd: REPO,
      env: { ...process.env, TZ: tz, MESHCRON_TEST_DYNAMODB_ENDPOINT: endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`child in TZ=${tz} exited with ${String(code)}:\n${stderr}`));
      else resolve(JSON.parse(stdout) as ChildOutput);
    });
  });
}

let dynamo: DynamoDbLocal;
const outputs = new Map<string, ChildOutput>();
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  const zones = ['America/Chicago', 'Asia/Kolkata'];
  const results = await Promise.all(zones.map((tz) => planAndRunIn(tz, dynamo.endpoint)));
  zones.forEach((tz, i) => outputs.set(tz, results[i] as ChildOutput));
}, 2 * CHILD_TIMEOUT_MS);
afterAll(async () => {
  await dynamo.stop();
});

describe.each([
  ['America/Chicago', 360],
  ['Asia/Kolkata', -330],
])('the shop example planned and run with TZ=%s', (tz, offsetMinutes) => {
  it('ran in that zone, and reads naive times as UTC', () => {
    // Arrange
    const out = outputs.get(tz);

    // Assert
    expect(out?.tz).toBe(tz);
    expect(out?.localOffsetMinutes).toBe(offsetMinutes);
    expect(out?.naiveTimeLike).toBe('2026-11-08T06:00:00Z');
    expect(out?.formattedInstant).toBe('2026-11-08 06:00');
    expect(out?.runs.map((r) => r.executionTime)).toEqual(expected.runs.map((r) => r.execution_time));
  });

  it.each(expected.runs.map((run, i) => [run.execution_time, i] as const))(
    'processes at %s exactly the batches, intervals and rows derived in UTC',
    (_time, index) => {
      // Arrange
      const run = outputs.get(tz)?.runs[index];
      const want = expected.runs[index] as ExpectedRun;

      // Assert
      const wantBatches = Object.fromEntries(
        Object.entries(want.models).filter(([, m]) => m.batches.length > 0).map(([name, m]) => [name, m.batches]),
      );
      expect(run?.batches).toEqual(wantBatches);
      expect(run?.intervals).toEqual(Object.fromEntries(Object.entries(want.models).map(([name, m]) => [name, m.processed_intervals])));
      const wantRows = Object.fromEntries(
        Object.entries(want.models).filter(([, m]) => m.rows !== null && m.kind !== 'EXTERNAL').map(([name, m]) => [name, m.rows]),
      );
      expect(run?.rows).toEqual(wantRows);
    },
  );
});
