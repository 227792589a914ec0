import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DuckDbSqlParser } from '../functions/adapters/duckdb-sql-parser';
import { openDuckDbWarehouse } from '../functions/adapters/duckdb-warehouse';
import { createLocalDynamoDbClient, type DynamoDbLocal, startDynamoDbLocal } from '../functions/adapters/dynamodb-local';
import { DynamoDbStateStore } from '../functions/adapters/dynamodb-state-store';
import { applyPlan, computePlan } from '../shared/src/plan/plan-environment';
import { seedContentHashes } from '../shared/src/plan/seed-hashes';
import { fixedClock } from '../shared/src/ports/clock';
import type { StateStore } from '../shared/src/ports/state-store';
import { loadProject } from '../shared/src/project/load-project';
import type { ExecuteBatchesDeps } from '../shared/src/run/execute-batches';
import { runEnvironment } from '../shared/src/run/run-environment';
import { silentReporter } from '../shared/src/run/run-reporter';
import { InMemoryStateStore } from '../shared/src/state/in-memory-state-store';
import { formatMs, median } from './support/measure';
import { RecordingWarehouse, type RecordingSummary, summarizeRecording } from './support/recording-warehouse';
import { replayOnDuckDb, tableRowCounts } from './support/replay';
import { writeSyntheticProject } from './support/synthetic-project';
import { timeStateStore } from './support/timed-state-store';

/**
 * Engine overhead: Meshcron's plan + run time on DuckDB against replaying exactly the SQL it sent, straight
 * on DuckDB. Run twice per state store (DynamoDB Local, in memory) to separate the state store's cost.
 * Prints figures; asserts nothing.
 *
 *   npx tsx bench/engine-overhead.ts [--reps 3] [--models 300] [--keys 200] [--days 30] [--only shop|synthetic]
 */

// The AWS SDK warns on Node 20 about a future Node 22 requirement; the notice says nothing about the bench.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const REPS = numberArg('--reps', 3);
const SYNTHETIC_MODELS = numberArg('--models', 300);
const SYNTHETIC_KEYS = numberArg('--keys', 200);
const SYNTHETIC_DAYS = numberArg('--days', 30);
const ONLY = stringArg('--only');
/** `meshcron plan` and `meshcron run` default to 4 batches at once. */
const CLI_DEFAULT_CONCURRENCY = 4;
/** The instants of examples/shop/expected.json, used for both projects. */
const PLAN_AT = '2026-11-08T06:00:00Z';
const RUN_AT = '2026-11-09T06:00:00Z';
const EXAMPLES = path.resolve(__dirname, '../examples');
const MS_PER_DAY = 86_400_000;

function stringArg(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
}

function numberArg(flag: string, fallback: number): number {
  const raw = stringArg(flag);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer, got '${raw}'`);
  return value;
}

interface Scenario {
  readonly name: string;
  readonly root: string;
  readonly description: string;
}

interface StateConfig {
  readonly label: string;
  /** Creates an empty state store; its table creation is set-up, not timed. */
  make(): Promise<StateStore>;
}

interface Measurement {
  readonly loadMs: number;
  readonly planMs: number;
  readonly runMs: number;
  readonly totalMs: number;
  /** Process CPU time of plan + run (DuckDB's threads included, DynamoDB Local's JVM not). */
  readonly cpuMs: number;
  readonly warehouseBusyMs: number;
  readonly stateBusyMs: number;
  readonly stateCalls: number;
  /** Mean duration of one state store call. */
  readonly stateLatencyMs: number;
  /** Recorded SQL replayed on one connection, one call after another. */
  readonly replaySequentialMs: number;
  /** Recorded SQL replayed on CLI_DEFAULT_CONCURRENCY connections with the recorded overlap. */
  readonly replayConcurrentMs: number;
  readonly replaySequentialCpuMs: number;
  readonly planBatches: number;
  readonly runBatches: number;
  readonly models: number;
  readonly recording: RecordingSummary;
  /** Problems that make the replay not comparable (divergent statements, different row counts). */
  readonly problems: readonly string[];
}

let fileCounter = 0;

async function removeDatabase(file: string): Promise<void> {
  await rm(file, { force: true });
  await rm(`${file}.wal`, { force: true });
}

/**
 * Plans at PLAN_AT and runs at RUN_AT on a fresh DuckDB file, then (unless `warmUpOnly`) replays the
 * recorded SQL on others. Returns undefined for a warm-up.
 */
async function measure(scenario: Scenario, state: StateConfig, workDir: string, warmUpOnly = false): Promise<Measurement | undefined> {
  fileCounter += 1;
  const meshcronDb = path.join(workDir, `meshcron-${fileCounter}.duckdb`);
  const sequentialDb = path.join(workDir, `replay-seq-${fileCounter}.duckdb`);
  const concurrentDb = path.join(workDir, `replay-par-${fileCounter}.duckdb`);
  const { store, timer: stateTimer } = timeStateStore(await state.make());
  const warehouse = new RecordingWarehouse(await openDuckDbWarehouse({ database: meshcronDb }));
  const parser = new DuckDbSqlParser();
  const deps = (at: number): ExecuteBatchesDeps => ({
    state: store,
    warehouse,
    sqlParser: parser,
    clock: fixedClock(at),
    reporter: silentReporter,
    readSeedFile: (file) => readFile(file, 'utf8'),
  });
  const planAt = Date.parse(PLAN_AT);
  const runAt = Date.parse(RUN_AT);

  let timing: Pick<Measurement, 'loadMs' | 'planMs' | 'runMs' | 'totalMs' | 'cpuMs' | 'planBatches' | 'runBatches' | 'models'>;
  try {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const project = await loadProject(scenario.root, { sqlParser: parser });
    const t1 = performance.now();
    const preview = await computePlan(
      project,
      await seedContentHashes(project),
      { environment: 'prod', planId: 'bench-plan', executionTimeMs: planAt },
      deps(planAt),
    );
    const planned = await applyPlan(preview, CLI_DEFAULT_CONCURRENCY, deps(planAt));
    const t2 = performance.now();
    const ran = await runEnvironment(
      { environment: 'prod', runId: 'bench-run', executionTimeMs: runAt, concurrency: CLI_DEFAULT_CONCURRENCY },
      deps(runAt),
    );
    const t3 = performance.now();
    const used = process.cpuUsage(cpu);
    if (!planned.promoted || ran.run.status !== 'succeeded') {
      throw new Error(`${scenario.name}: plan ${planned.run.reason ?? '?'}, run ${ran.run.reason ?? '?'}; the bench needs both to succeed`);
    }
    timing = {
      loadMs: t1 - t0,
      planMs: t2 - t1,
      runMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (used.user + used.system) / 1000,
      planBatches: planned.batches.length,
      runBatches: ran.batches.length,
      models: project.models.size,
    };
  } finally {
    await warehouse.close();
    await parser.close();
  }

  if (warmUpOnly) {
    await removeDatabase(meshcronDb);
    return undefined;
  }
  const problems: string[] = [];
  const want = await tableRowCounts(meshcronDb);
  const replay = async (database: string, connections: number): Promise<{ ms: number; cpuMs: number }> => {
    const result = await replayOnDuckDb(warehouse.calls, database, connections);
    problems.push(...result.divergent.map((d) => `replay on ${connections} connection(s): ${d}`));
    const got = await tableRowCounts(database);
    for (const [table, rows] of want) {
      if (got.get(table) !== rows) problems.push(`${table}: ${rows} rows from Meshcron, ${got.get(table) ?? 'no table'} from the replay`);
    }
    if (got.size !== want.size) problems.push(`${want.size} tables from Meshcron, ${got.size} from the replay`);
    return result;
  };
  const sequential = await replay(sequentialDb, 1);
  const concurrent = await replay(concurrentDb, CLI_DEFAULT_CONCURRENCY);
  for (const file of [meshcronDb, sequentialDb, concurrentDb]) await removeDatabase(file);
  return {
    ...timing,
    warehouseBusyMs: warehouse.timer.busyMs,
    stateBusyMs: stateTimer.busyMs,
    stateCalls: stateTimer.calls,
    stateLatencyMs: stateTimer.calls > 0 ? stateTimer.summedMs / stateTimer.calls : 0,
    replaySequentialMs: sequential.ms,
    replayConcurrentMs: concurrent.ms,
    replaySequentialCpuMs: sequential.cpuMs,
    recording: summarizeRecording(warehouse.calls),
    problems,
  };
}

function printScenario(scenario: Scenario, results: ReadonlyMap<string, Measurement[]>): void {
  const any = [...results.values()][0]?.[0];
  if (!any) return;
  const r = any.recording;
  console.log(`\n${scenario.name}: ${scenario.description}`);
  console.log(
    `  ${any.models} models; plan at ${PLAN_AT}: ${any.planBatches} batches; run at ${RUN_AT}: ${any.runBatches} batches; ` +
      `concurrency ${CLI_DEFAULT_CONCURRENCY}`,
  );
  console.log(`  SQL recorded: ${r.statements} statements (${r.queries} reading rows), ${r.transactions} transactions, ${r.failed} failed on purpose`);
  const header = ['state store', 'Meshcron', 'load', 'plan', 'run', 'wh busy', 'state busy', 'calls', 'ms/call', 'replay 1c', `replay ${CLI_DEFAULT_CONCURRENCY}c`, 'ratio 1c', `ratio ${CLI_DEFAULT_CONCURRENCY}c`];
  const rows: string[][] = [];
  for (const [label, ms] of results) {
    const med = (pick: (m: Measurement) => number): number => median(ms.map(pick));
    const total = med((m) => m.totalMs);
    const sequential = med((m) => m.replaySequentialMs);
    const concurrent = med((m) => m.replayConcurrentMs);
    rows.push([
      label,
      formatMs(total),
      formatMs(med((m) => m.loadMs)),
      formatMs(med((m) => m.planMs)),
      formatMs(med((m) => m.runMs)),
      formatMs(med((m) => m.warehouseBusyMs)),
      formatMs(med((m) => m.stateBusyMs)),
      String(med((m) => m.stateCalls)),
      formatMs(med((m) => m.stateLatencyMs)),
      formatMs(sequential),
      formatMs(concurrent),
      (total / sequential).toFixed(2),
      (total / concurrent).toFixed(2),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`;
  console.log(`  medians of ${REPS} repetitions, ms:`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log('  process CPU time, medians, ms (DuckDB threads included; the DynamoDB Local JVM is another process):');
  for (const [label, ms] of results) {
    const cpu = median(ms.map((m) => m.cpuMs));
    const replayCpu = median(ms.map((m) => m.replaySequentialCpuMs));
    console.log(`    ${label.padEnd(20)} Meshcron ${formatMs(cpu)}, replay 1c ${formatMs(replayCpu)}, ratio ${(cpu / replayCpu).toFixed(2)}`);
  }
  for (const [label, ms] of results) {
    const all = ms.map((m) => `${formatMs(m.totalMs)}/${formatMs(m.replaySequentialMs)}/${formatMs(m.replayConcurrentMs)}`).join(', ');
    console.log(`  ${label}, each repetition (Meshcron / replay 1c / replay ${CLI_DEFAULT_CONCURRENCY}c): ${all}`);
    const problems = [...new Set(ms.flatMap((m) => m.problems))];
    for (const p of problems.slice(0, 5)) console.log(`  ! ${label}: ${p}`);
    if (problems.length === 0) console.log(`  ${label}: both replays rebuilt every table with Meshcron's row counts`);
  }
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'meshcron-bench-'));
  let dynamo: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;
  const cleanUp = async (): Promise<void> => {
    client?.destroy();
    await dynamo?.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  const interrupted = (): void => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    console.log(`Engine overhead (load average at start ${(loadavg()[0] ?? 0).toFixed(2)}, ${REPS} repetitions each)`);
    const shopRoot = path.join(workDir, 'shop');
    await cp(path.join(EXAMPLES, 'shop'), shopRoot, { recursive: true, filter: (src) => !src.includes(`${path.sep}.meshcron`) });
    const syntheticRoot = path.join(workDir, 'synthetic');
    const start = new Date(Date.parse(PLAN_AT) - SYNTHETIC_DAYS * MS_PER_DAY).toISOString().slice(0, 10);
    const shape = await writeSyntheticProject(syntheticRoot, { models: SYNTHETIC_MODELS, keys: SYNTHETIC_KEYS, start, seed: 300 });
    const scenarios: Scenario[] = [
      { name: 'shop', root: shopRoot, description: 'examples/shop' },
      {
        name: 'synthetic',
        root: syntheticRoot,
        description:
          `${shape.seeds} seeds, ${shape.incremental} INCREMENTAL_BY_TIME_RANGE (${shape.sources} sources), ${shape.full} FULL, ` +
          `${shape.audited} with a not_null audit; ${SYNTHETIC_KEYS} rows/day, daily from ${start}`,
      },
    ].filter((s) => ONLY === undefined || s.name === ONLY);

    dynamo = await startDynamoDbLocal({});
    const dynamoClient = createLocalDynamoDbClient(dynamo.endpoint);
    client = dynamoClient;
    let tables = 0;
    const states: StateConfig[] = [
      {
        label: 'DynamoDB Local',
        make: async () => {
          tables += 1;
          const store = new DynamoDbStateStore({ client: dynamoClient, tableName: `bench-${process.pid}-${tables}` });
          await store.init();
          return store;
        },
      },
      { label: 'InMemoryStateStore', make: async () => new InMemoryStateStore() },
    ];

    for (const scenario of scenarios) {
      // One unmeasured plan + run per store loads code, DuckDB and the JVM's JIT for this project's shapes.
      for (const state of states) await measure(scenario, state, workDir, true);
      const results = new Map<string, Measurement[]>(states.map((s) => [s.label, []]));
      // Interleaved, so a burst of load from elsewhere on the machine does not land on one configuration only.
      for (let rep = 0; rep < REPS; rep += 1) {
        for (const state of states) {
          const measured = await measure(scenario, state, workDir);
          if (measured) results.get(state.label)?.push(measured);
        }
      }
      printScenario(scenario, results);
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
