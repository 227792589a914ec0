import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../functions/adapters/dynamodb-local';
import { HANDLER_LIMITS } from '../infra/handlers';
import { WORKER_STATES } from '../infra/state-machines/names';
import { makespanBound, descendantsOf, type TimedBatch } from './support/critical-path';
import { AWS_HISTORY_EVENT_LIMIT, countExecutionEvents, type ExecutionCounts, fitLine } from './support/execution-events';
import { formatMs, median } from './support/measure';
import { AWS_PRICES, billedGbSeconds, priceRunJob, type RunJobUsage } from './support/run-job-pricing';
import { chainModels, type RunJobBenchModel, SLOW_MARKER, slowTreeModels, writeRunJobProject } from './support/run-job-project';
import { type RunJobMeasurement, RunJobBenchStack } from './support/run-job-stack';
import { printTable } from './support/text-table';

/**
 * Cost and speed of run jobs on the run-job state machine, executed locally with the real handlers:
 * 1. state transitions, Lambda invocations and history events per batch for jobs of ~50, 200 and 1,000 batches,
 *    extrapolated to a 5,000-batch job against the 25,000-event history limit;
 * 2. the AWS bill per 1,000 batches at list prices (Step Functions, Lambda, DynamoDB on demand);
 * 3. the makespan of a 200-batch DAG with one slow batch against the critical-path bound.
 * Prints figures; asserts nothing.
 *
 *   npx tsx bench/run-job-cost.ts [--sizes 50,200,1000] [--concurrency 4] [--slow-ms 2000] [--poll-ms N]
 *                                 [--only cost|makespan]
 */

// The AWS SDK warns on Node 20 about a future Node 22 requirement; the notice says nothing about the bench.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SIZES = listArg('--sizes', [50, 200, 1000]);
const CONCURRENCY = numberArg('--concurrency', 4);
const SLOW_MS = numberArg('--slow-ms', 2000);
/** Unset = execute-batches' Lambda default (polls up to a minute for ready batches before answering `waiting`). */
const POLL_MS = stringArg('--poll-ms') === undefined ? undefined : numberArg('--poll-ms', 0);
const ONLY = stringArg('--only');

/** First day of data; the plan processes it, each later day is one batch per model. */
const START_DAY = '2026-01-01';
const DAY_MS = 86_400_000;
const PLAN_AT = Date.parse(`${START_DAY}T00:00:00Z`) + DAY_MS;
/** The job size the history limit is checked for. */
const EXTRAPOLATE_TO = 5_000;
const TARGET_TRANSITIONS_PER_BATCH = 8;

function stringArg(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
}

function numberArg(flag: string, fallback: number): number {
  const raw = stringArg(flag);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a non-negative integer, got '${raw}'`);
  return value;
}

function listArg(flag: string, fallback: number[]): number[] {
  const raw = stringArg(flag);
  if (raw === undefined) return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${flag} needs positive integers separated by commas, got '${raw}'`);
  return values;
}

/** 20 independent models and 10 chains of 3: 50 models, a third of them waiting for a parent's batch. */
const COST_MODELS: readonly RunJobBenchModel[] = [...chainModels('ind', 20, 1), ...chainModels('chain', 10, 3)];

/** 200 models: a slow source with 3 chains of 2 below it, 31 chains of 3 and 100 independent models. */
const MAKESPAN_MODELS: readonly RunJobBenchModel[] = [...slowTreeModels('hot', 3, 2), ...chainModels('chain', 31, 3), ...chainModels('ind', 100, 1)];

let workDir = '';
let scenarioCounter = 0;

/** Writes the project, plans it at PLAN_AT, then runs one job `days` later. */
async function measureJob(dynamo: DynamoDbLocal, models: readonly RunJobBenchModel[], days: number, slowMs?: number): Promise<RunJobMeasurement> {
  scenarioCounter += 1;
  const root = path.join(workDir, `project-${scenarioCounter}`);
  await writeRunJobProject(root, models, START_DAY);
  const stack = await RunJobBenchStack.open({
    dynamo,
    root,
    maxConcurrency: CONCURRENCY,
    ...(POLL_MS !== undefined ? { workerPollMs: POLL_MS } : {}),
    ...(slowMs !== undefined ? { slow: { marker: SLOW_MARKER, delayMs: slowMs } } : {}),
  });
  try {
    const planned = await stack.plan(PLAN_AT);
    if (!planned.promoted) throw new Error(`the plan of scenario ${scenarioCounter} was not promoted: ${planned.run.reason ?? '?'}`);
    const runAt = PLAN_AT + days * DAY_MS;
    const m = await stack.runJob(`bench-run-${scenarioCounter}`, runAt);
    const bad = m.records.filter((r) => r.status !== 'succeeded');
    if (m.execution.status !== 'SUCCEEDED' || bad.length > 0 || m.records.length !== m.planned.length) {
      throw new Error(
        `run job ${scenarioCounter}: ${m.execution.status} ${m.execution.error ?? ''}; ${m.records.length}/${m.planned.length} batches ` +
          `finished, ${bad.length} not succeeded (${bad[0]?.reason ?? ''})`,
      );
    }
    return m;
  } finally {
    await stack.close();
  }
}

interface CostRow {
  readonly batches: number;
  readonly counts: ExecutionCounts;
  readonly usage: RunJobUsage;
  readonly invocationsByHandler: ReadonlyMap<string, { count: number; ms: number }>;
  readonly measurement: RunJobMeasurement;
}

function costRow(m: RunJobMeasurement): CostRow {
  const counts = countExecutionEvents(m.execution.events);
  const byHandler = new Map<string, { count: number; ms: number }>();
  let gbSeconds = 0;
  for (const inv of m.invocations) {
    const entry = byHandler.get(inv.handler) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += inv.durationMs;
    byHandler.set(inv.handler, entry);
    gbSeconds += billedGbSeconds(inv.durationMs, HANDLER_LIMITS[inv.handler].memoryMb);
  }
  const units = [...m.dynamoDb.values()];
  return {
    batches: m.planned.length,
    counts,
    measurement: m,
    invocationsByHandler: byHandler,
    usage: {
      transitions: counts.transitions,
      lambdaRequests: m.invocations.length,
      lambdaGbSeconds: gbSeconds,
      readUnits: units.reduce((s, u) => s + u.readUnits, 0),
      writeUnits: units.reduce((s, u) => s + u.writeUnits, 0),
    },
  };
}

const per = (value: number, batches: number): string => (value / batches).toFixed(3);
const usd = (value: number): string => `$${value.toFixed(value >= 0.1 ? 3 : 5)}`;

function printCost(rows: readonly CostRow[]): void {
  console.log(`\n1. State machine activity per batch (max concurrency ${CONCURRENCY}, worker poll ${POLL_MS === undefined ? 'Lambda default' : `${POLL_MS} ms`})`);
  printTable(
    ['batches', 'wall s', 'transitions', '/batch', 'Lambda inv.', '/batch', 'prepare/execute/finish', 'local events', '/batch', 'AWS events (est.)', '/batch'],
    rows.map((r) => {
      const by = (h: string): number => r.invocationsByHandler.get(h)?.count ?? 0;
      return [
        String(r.batches),
        (r.measurement.wallMs / 1000).toFixed(1),
        String(r.counts.transitions),
        per(r.counts.transitions, r.batches),
        String(r.usage.lambdaRequests),
        per(r.usage.lambdaRequests, r.batches),
        `${by('prepare-run')}/${by('execute-batches')}/${by('finish-run')}`,
        String(r.counts.localEvents),
        per(r.counts.localEvents, r.batches),
        String(r.counts.awsHistoryEvents),
        per(r.counts.awsHistoryEvents, r.batches),
      ];
    }),
  );
  for (const r of rows) {
    const states = [...r.counts.enteredByState].map(([s, n]) => `${s} ${n}`).join(', ');
    console.log(`  ${r.batches} batches, states entered: ${states}; Map iterations ${r.counts.mapIterations}`);
  }
  const worst = Math.max(...rows.map((r) => r.counts.transitions / r.batches));
  console.log(`  target ≤ ${TARGET_TRANSITIONS_PER_BATCH} transitions per batch: worst ${worst.toFixed(3)} → ${worst <= TARGET_TRANSITIONS_PER_BATCH ? 'met' : 'NOT met'}`);

  const fitEvents = fitLine(rows.map((r) => [r.batches, r.counts.awsHistoryEvents] as const));
  const fitLocal = fitLine(rows.map((r) => [r.batches, r.counts.localEvents] as const));
  const fitTransitions = fitLine(rows.map((r) => [r.batches, r.counts.transitions] as const));
  const at = (f: { intercept: number; slope: number }): number => f.intercept + f.slope * EXTRAPOLATE_TO;
  console.log(
    `  extrapolated to ${EXTRAPOLATE_TO.toLocaleString('en-US')} batches (least squares over the sizes above): ` +
      `${Math.round(at(fitTransitions))} transitions, ${Math.round(at(fitLocal))} local events, ` +
      `~${Math.round(at(fitEvents))} AWS history events = ${((100 * at(fitEvents)) / AWS_HISTORY_EVENT_LIMIT).toFixed(1)}% ` +
      `of the ${AWS_HISTORY_EVENT_LIMIT.toLocaleString('en-US')}-event limit ` +
      `(${fitEvents.intercept.toFixed(0)} fixed + ${fitEvents.slope.toFixed(3)} per batch)`,
  );

  console.log(`\n2. Cost per 1,000 batches at ${AWS_PRICES.region} list prices from ${AWS_PRICES.asOf} (USD; warehouse compute not included)`);
  printTable(
    ['batches', 'SFN', 'Lambda req', 'Lambda GB-s', 'DDB write', 'DDB read', 'total', 'GB-s/batch', 'WRU/batch', 'RRU/batch'],
    rows.map((r) => {
      const c = priceRunJob(r.usage, 1000 / r.batches);
      return [
        String(r.batches),
        usd(c.stepFunctions),
        usd(c.lambdaRequests),
        usd(c.lambdaCompute),
        usd(c.dynamoDbWrites),
        usd(c.dynamoDbReads),
        usd(c.total),
        per(r.usage.lambdaGbSeconds, r.batches),
        per(r.usage.writeUnits, r.batches),
        per(r.usage.readUnits, r.batches),
      ];
    }),
  );
  for (const r of rows) {
    const lambda = [...r.invocationsByHandler]
      .map(([h, v]) => `${h} ${v.count}× mean ${formatMs(v.ms / v.count)} ms at ${HANDLER_LIMITS[h as keyof typeof HANDLER_LIMITS].memoryMb} MB`)
      .join('; ');
    console.log(`  ${r.batches} batches, Lambda: ${lambda}`);
    const ddb = [...r.measurement.dynamoDb]
      .sort((a, b) => b[1].readUnits + b[1].writeUnits - (a[1].readUnits + a[1].writeUnits))
      .map(([c, u]) => `${c.replace('Command', '')} ${u.requests}${u.failed > 0 ? ` (${u.failed} failed)` : ''} → ${(u.readUnits + u.writeUnits).toFixed(0)} ${u.readUnits > 0 ? 'RRU' : 'WRU'}`)
      .join('; ');
    console.log(`  ${r.batches} batches, DynamoDB requests → units: ${ddb}`);
  }
  const largest = rows[rows.length - 1];
  if (largest) {
    console.log(`  ${largest.batches} batches:`);
    printWorkerTime(largest.measurement);
  }
}

function printMakespan(m: RunJobMeasurement): void {
  const durations = new Map(m.records.map((r) => [r.batchId, r]));
  const timed: TimedBatch[] = m.planned.map((b) => ({ id: b.batchId, durationMs: durations.get(b.batchId)?.durationMs ?? 0, dependsOn: b.dependsOn }));
  const bound = makespanBound(timed, CONCURRENCY);
  const slow = m.planned.find((b) => b.model === 'hot.slow');
  if (!slow) throw new Error('the makespan project has no batch of hot.slow');
  const slowRecord = durations.get(slow.batchId) as (typeof m.records)[number];
  const below = descendantsOf(timed, slow.batchId);
  const rel = (ts: number): number => ts - m.startedAtMs;
  const startOf = (r: (typeof m.records)[number]): number => rel(r.finishedTs - r.durationMs);
  const independent = m.records.filter((r) => r.batchId !== slow.batchId && !below.has(r.batchId));
  const descendants = m.records.filter((r) => below.has(r.batchId));
  const fast = m.records.filter((r) => r.batchId !== slow.batchId).map((r) => r.durationMs);
  const firstStart = Math.min(...m.records.map(startOf));
  const lastFinish = Math.max(...m.records.map((r) => rel(r.finishedTs)));
  const slowEnd = rel(slowRecord.finishedTs);
  const invocationMs = (handler: string): number => m.invocations.filter((i) => i.handler === handler).reduce((s, i) => s + i.durationMs, 0);

  console.log(
    `\n3. Makespan: ${m.planned.length} batches, one sleeping ${SLOW_MS} ms in the warehouse, ${below.size} below it; ` +
      `max concurrency ${CONCURRENCY}`,
  );
  console.log(
    `  batch durations: slow ${slowRecord.durationMs} ms; others median ${formatMs(median(fast))} ms, max ${Math.max(...fast)} ms; ` +
      `total work ${bound.totalWorkMs} ms`,
  );
  console.log(
    `  bound = max(critical path ${bound.criticalPathMs} ms over ${bound.criticalPath.length} batches, total work / ${CONCURRENCY} = ` +
      `${formatMs(bound.totalWorkMs / CONCURRENCY)} ms) = ${formatMs(bound.boundMs)} ms`,
  );
  const ratio = (ms: number): string => `${formatMs(ms)} ms = ${(ms / bound.boundMs).toFixed(3)} × bound`;
  console.log(`  whole execution (PrepareRun → FinishRun): ${ratio(m.wallMs)}`);
  console.log(`  batch phase (first batch start → last batch end): ${ratio(lastFinish - firstStart)}`);
  console.log(
    `  outside the batch phase: PrepareRun ${formatMs(invocationMs('prepare-run'))} ms, FinishRun ${formatMs(invocationMs('finish-run'))} ms, ` +
      `first batch started at +${firstStart} ms`,
  );
  console.log(
    `  after the last batch the execution ran ${formatMs(m.wallMs - lastFinish)} ms more ` +
      '(idle workers sleep between polls, and the Map ends only when each has seen `done`)',
  );
  const target = (lastFinish - firstStart) / bound.boundMs <= 1.1;
  console.log(`  target batch phase within 10% of the bound: ${target ? 'met' : 'NOT met'}`);
  const doneBeforeSlow = independent.filter((r) => rel(r.finishedTs) <= slowEnd).length;
  console.log(
    `  slow batch: +${startOf(slowRecord)} → +${slowEnd} ms; the ${independent.length} independent batches: last finished at ` +
      `+${Math.max(...independent.map((r) => rel(r.finishedTs)))} ms, ${doneBeforeSlow} of them before the slow one finished`,
  );
  if (descendants.length > 0) {
    console.log(
      `  the ${descendants.length} batches below it: first started ${Math.min(...descendants.map(startOf)) - slowEnd} ms after the slow one ` +
        `finished, last finished at +${Math.max(...descendants.map((r) => rel(r.finishedTs)))} ms`,
    );
  }
  const inv = m.invocations.filter((i) => i.state === WORKER_STATES.executeReady);
  console.log(`  ExecuteReady invocations ${inv.length}; statements slowed by the proxy ${m.slowedStatements}`);
  printWorkerTime(m);
}

/**
 * Where the workers' time went: ExecuteReady time summed over invocations against the batches' own durations,
 * and each store method's calls (those inside a batch, such as getIntervals, overlap its duration).
 */
function printWorkerTime(m: RunJobMeasurement): void {
  const executeMs = m.invocations.filter((i) => i.state === WORKER_STATES.executeReady).reduce((s, i) => s + i.durationMs, 0);
  const batchMs = m.records.reduce((s, r) => s + r.durationMs, 0);
  console.log(
    `  worker time: ExecuteReady ${formatMs(executeMs)} ms summed over invocations, of which inside batches ${batchMs} ms ` +
      `(${((100 * batchMs) / executeMs).toFixed(0)}%); on average ${(executeMs / m.wallMs).toFixed(2)} of ${CONCURRENCY} workers ` +
      'were inside an invocation over the whole execution',
  );
  console.log('  store calls, summed ms (calls × mean ms, claims lost to another worker):');
  const calls = [...m.storeCalls].sort((a, b) => b[1].ms - a[1].ms);
  const cells = calls.map(([k, t]) => `${k} ${formatMs(t.ms)} (${t.calls}×${formatMs(t.ms / t.calls)}${t.falseAnswers > 0 ? `, ${t.falseAnswers} false` : ''})`);
  for (let i = 0; i < cells.length; i += 3) console.log(`    ${cells.slice(i, i + 3).join('; ')}`);
}

async function main(): Promise<void> {
  workDir = await mkdtemp(path.join(tmpdir(), 'meshcron-bench-run-job-'));
  let dynamo: DynamoDbLocal | undefined;
  const cleanUp = async (): Promise<void> => {
    await dynamo?.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  const interrupted = (): void => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    console.log(`Run-job cost and speed on the locally executed run-job machine (load average at start ${(loadavg()[0] ?? 0).toFixed(2)})`);
    dynamo = await startDynamoDbLocal({});
    const local = dynamo;
    if (ONLY === undefined || ONLY === 'cost') {
      const rows: CostRow[] = [];
      for (const size of SIZES) {
        const days = Math.max(1, Math.round(size / COST_MODELS.length));
        rows.push(costRow(await measureJob(local, COST_MODELS, days)));
      }
      console.log(`\nProject: ${COST_MODELS.length} daily models (20 independent, 10 chains of 3), batch_size 1; a job D days behind has ${COST_MODELS.length}·D batches`);
      printCost(rows);
    }
    if (ONLY === undefined || ONLY === 'makespan') {
      printMakespan(await measureJob(local, MAKESPAN_MODELS, 1, SLOW_MS));
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
