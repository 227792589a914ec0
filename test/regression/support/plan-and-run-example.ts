/**
 * Child-process half of the R10 regression test: plans and runs an example project on the embedded stack in
 * whatever process time zone (TZ) it was started with, and prints what happened as JSON on stdout.
 *
 * Usage: tsx plan-and-run-example.ts <example dir> <naive execution time>...
 * Env: MESHCRON_TEST_DYNAMODB_ENDPOINT, the DynamoDB Local of the calling test file.
 */
import { formatInstant, parseExecutionTime } from '../../../cli/format';
import { intervalKeyString } from '../../../shared/src/ports/state-store';
import { viewName } from '../../../shared/src/snapshot/naming';
import { toEpochMs } from '../../../shared/src/time/time-like';
import { batchesByModel, EmbeddedStack } from '../../support/embedded-stack';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

interface RunOutcome {
  readonly executionTime: string;
  readonly batches: Record<string, [string, string][]>;
  readonly intervals: Record<string, [string, string][]>;
  readonly rows: Record<string, number>;
}

async function main(): Promise<void> {
  const [exampleDir, ...naiveTimes] = process.argv.slice(2);
  const endpoint = process.env.MESHCRON_TEST_DYNAMODB_ENDPOINT;
  if (!exampleDir || naiveTimes.length === 0 || !endpoint) {
    throw new Error('usage: plan-and-run-example.ts <example dir> <naive time>... with MESHCRON_TEST_DYNAMODB_ENDPOINT set');
  }
  const stack = await EmbeddedStack.open({ endpoint, stop: async () => undefined }, exampleDir);
  const runs: RunOutcome[] = [];
  try {
    for (const [i, naive] of naiveTimes.entries()) {
      // The naive time goes through the CLI's parser, as `--execution-time` would: it must be read as UTC.
      const executionTime = iso(parseExecutionTime(naive, 0));
      const batches = i === 0 ? (await stack.plan('prod', executionTime)).batches : (await stack.run('prod', executionTime)).batches;
      const env = await stack.state.getEnvironment('prod');
      const snapshots = await stack.state.getSnapshots(env?.snapshots ?? []);
      const stored = await stack.state.getIntervals(snapshots.map((s) => ({ name: s.name, version: s.version })));
      const intervals: Record<string, [string, string][]> = {};
      const rows: Record<string, number> = {};
      for (const s of [...snapshots].sort((a, b) => a.name.localeCompare(b.name))) {
        intervals[s.name] = (stored.get(intervalKeyString(s)) ?? []).map(([a, b]) => [iso(a), iso(b)]);
        if (s.physicalTable) rows[s.name] = await stack.count(viewName(s.name, 'prod'));
      }
      runs.push({ executionTime, batches: batchesByModel(batches), intervals, rows });
    }
  } finally {
    await stack.close();
  }
  process.stdout.write(
    `${JSON.stringify({
      tz: process.env.TZ,
      // Minutes the process zone is behind UTC on a winter date: proves the zone really is in effect.
      localOffsetMinutes: new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(),
      naiveTimeLike: iso(toEpochMs('2026-11-08 06:00:00', 0)),
      formattedInstant: formatInstant(Date.UTC(2026, 10, 8, 6)),
      runs,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
