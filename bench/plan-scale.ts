import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { computeWork, type EnvironmentWork } from '../shared/src/run/compute-work';
import { type BatchPlan, planBatches } from '../shared/src/run/plan-batches';
import { buildLayeredEnvironment, type LayeredEnvironment } from './support/layered-environment';
import { collectGarbage, formatMb, formatMs, median, printRows, readMemory, timedSync } from './support/measure';

/**
 * Planning scale: how long `computeWork` + `planBatches` take to find what is due in a 10,000-model
 * environment with a year of history, and how much memory they need. Prints figures; asserts nothing.
 *
 *   npx tsx bench/plan-scale.ts [--layers 20] [--per-layer 500] [--runs 7] [--cold 3]
 *
 * `--cold N` also plans once in each of N fresh processes: that first, unoptimised run is what one
 * `meshcron run` pays, since the CLI plans once per process.
 */

const LAYERS = numberArg('--layers', 20);
const PER_LAYER = numberArg('--per-layer', 500);
const RUNS = numberArg('--runs', 7);
const COLD_PROCESSES = numberArg('--cold', 3, 0);
const WARM_UP_RUNS = 2;
/** Just after the midnight tick, so every hourly and @daily model has its latest cell due. */
const EXECUTION_TIME = '2026-11-09T00:05:00Z';
const HISTORY_START = '2025-11-09T00:00:00Z';
/** Marks the single-plan child process started by `--cold`. */
const CHILD_FLAG = '--cold-child';

function numberArg(flag: string, fallback: number, min = 1): number {
  const at = process.argv.indexOf(flag);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${flag} needs an integer of at least ${min}, got '${process.argv[at + 1]}'`);
  }
  return value;
}

interface PlanTiming {
  readonly work: EnvironmentWork;
  readonly batches: BatchPlan;
  readonly workMs: number;
  readonly batchMs: number;
  /** Process CPU time (all threads, so parallel GC helpers count too) over both calls. */
  readonly cpuMs: number;
}

function buildEnvironment(): LayeredEnvironment {
  return buildLayeredEnvironment({
    layers: LAYERS,
    modelsPerLayer: PER_LAYER,
    historyStartMs: Date.parse(HISTORY_START),
    executionTimeMs: Date.parse(EXECUTION_TIME),
    seed: 20261109,
  });
}

function planOnce(env: LayeredEnvironment): PlanTiming {
  const executionTimeMs = Date.parse(EXECUTION_TIME);
  const cpu = process.cpuUsage();
  const work = timedSync(() => computeWork(env.models, env.intervals, { executionTimeMs, nowMs: executionTimeMs }));
  const batches = timedSync(() => planBatches(work.value.works, work.value.order));
  const used = process.cpuUsage(cpu);
  return { work: work.value, batches: batches.value, workMs: work.ms, batchMs: batches.ms, cpuMs: (used.user + used.system) / 1000 };
}

/** Child of `--cold`: one plan in a fresh process, figures as one JSON line. */
function coldChild(): void {
  const env = buildEnvironment();
  collectGarbage();
  const r = planOnce(env);
  process.stdout.write(`${JSON.stringify({ workMs: r.workMs, batchMs: r.batchMs, cpuMs: r.cpuMs, rssPeakMb: readMemory().rssPeakMb })}\n`);
}

interface ColdRun {
  readonly workMs: number;
  readonly batchMs: number;
  readonly cpuMs: number;
  readonly rssPeakMb: number;
}

function coldRuns(count: number): ColdRun[] {
  const out: ColdRun[] = [];
  for (let i = 0; i < count; i += 1) {
    // Same interpreter flags (tsx registers itself through them), same sizes, plus the child flag.
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1), CHILD_FLAG], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`cold planning process failed (status ${child.status}): ${child.stderr}`);
    out.push(JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ColdRun);
  }
  return out;
}

function main(): void {
  const load = loadavg()[0] ?? 0;
  const built = timedSync(buildEnvironment);
  const env = built.value;
  collectGarbage();
  const baseline = readMemory();

  // The first run is measured for memory: nothing has been collected since the baseline, so the heap and
  // RSS high-water marks include everything the computation allocated.
  const first = planOnce(env);
  const afterFirst = readMemory();
  collectGarbage();
  const retained = readMemory();

  for (let i = 1; i < WARM_UP_RUNS; i += 1) planOnce(env);
  const totals: number[] = [];
  const workTimes: number[] = [];
  const batchTimes: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const r = planOnce(env);
    totals.push(r.workMs + r.batchMs);
    workTimes.push(r.workMs);
    batchTimes.push(r.batchMs);
    cpuTimes.push(r.cpuMs);
  }
  const finalMemory = readMemory();
  const cold = coldRuns(COLD_PROCESSES);

  const missingCells = [...first.work.works.values()].reduce((n, w) => n + w.missing.length, 0);
  const batchModels = new Set(first.batches.batches.map((b) => b.model)).size;
  const edges = first.batches.batches.reduce((n, b) => n + b.dependsOn.length, 0);

  printRows('Planning scale: computeWork + planBatches', [
    ['models', `${env.models.size} (${LAYERS} layers × ${PER_LAYER}, 1–3 parents each in the layer above)`],
    ['crons', [...env.cronMix].map(([c, n]) => `${c} ${n}`).join(', ')],
    ['kinds', [...env.kindMix].map(([k, n]) => `${k} ${n}`).join(', ')],
    ['history', `${HISTORY_START} → execution time ${EXECUTION_TIME}`],
    ['processed ranges', String(env.processedRanges)],
    ['missing cells', `${missingCells} found (${env.constructedMissingCells} left out on purpose)`],
    ['batches', `${first.batches.batches.length} over ${batchModels} models, ${edges} dependency edges`],
    ['deferred ranges', `${first.batches.deferred.length} (upstream not processed yet)`],
    ['fixture build', `${formatMs(built.ms)} ms`],
    ['load average at start', `${load.toFixed(2)} (1 min)`],
  ]);
  const coldTotals = cold.map((c) => c.workMs + c.batchMs);
  printRows(`Wall time`, [
    [`warm: median of ${RUNS} after ${WARM_UP_RUNS} warm-up runs`, `${formatMs(median(totals))} ms (min ${formatMs(Math.min(...totals))}, max ${formatMs(Math.max(...totals))})`],
    ['  computeWork', `${formatMs(median(workTimes))} ms`],
    ['  planBatches', `${formatMs(median(batchTimes))} ms`],
    ['  process CPU time', `${formatMs(median(cpuTimes))} ms (less sensitive than wall time to other load)`],
    ['first run in this process', `${formatMs(first.workMs + first.batchMs)} ms (computeWork ${formatMs(first.workMs)}, planBatches ${formatMs(first.batchMs)})`],
    ...(cold.length > 0
      ? ([
          [`cold: median of ${cold.length} fresh processes`, `${formatMs(median(coldTotals))} ms (min ${formatMs(Math.min(...coldTotals))}, max ${formatMs(Math.max(...coldTotals))})`],
          ['  computeWork', `${formatMs(median(cold.map((c) => c.workMs)))} ms`],
          ['  planBatches', `${formatMs(median(cold.map((c) => c.batchMs)))} ms`],
          ['  process CPU time', `${formatMs(median(cold.map((c) => c.cpuMs)))} ms`],
        ] as const)
      : []),
  ]);
  printRows('Memory', [
    ['heap used, environment loaded', formatMb(baseline.heapUsedMb)],
    ['heap used after first plan', `${formatMb(afterFirst.heapUsedMb)} (before collection)`],
    ['heap retained by one plan', formatMb(retained.heapUsedMb - baseline.heapUsedMb)],
    ['V8 heap reserved, peak', formatMb(Math.max(afterFirst.heapTotalMb, finalMemory.heapTotalMb))],
    ['RSS, environment loaded', formatMb(baseline.rssMb)],
    ['RSS peak after the first plan', formatMb(afterFirst.rssPeakMb)],
    [`RSS peak after all ${RUNS + WARM_UP_RUNS} plans`, formatMb(finalMemory.rssPeakMb)],
    ...(cold.length > 0 ? ([['RSS peak of a one-plan process', `${formatMb(median(cold.map((c) => c.rssPeakMb)))} (median)`]] as const) : []),
  ]);
  const worst = Math.max(median(totals), ...(cold.length > 0 ? [median(coldTotals)] : []));
  const worstCpu = Math.max(median(cpuTimes), ...(cold.length > 0 ? [median(cold.map((c) => c.cpuMs))] : []));
  console.log(
    `\nTargets: under 1 s → ${worst < 1000 ? 'met' : 'NOT met'} on wall time (slowest median ${formatMs(worst)} ms), ` +
      `${worstCpu < 1000 ? 'met' : 'NOT met'} on CPU time (slowest median ${formatMs(worstCpu)} ms); ` +
      `under 512 MB → ${finalMemory.rssPeakMb < 512 ? 'met' : 'NOT met'} (whole-process RSS peak ${formatMb(finalMemory.rssPeakMb)}).`,
  );
}

if (process.argv.includes(CHILD_FLAG)) coldChild();
else main();
