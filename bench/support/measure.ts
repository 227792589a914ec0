import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Timing and memory helpers shared by the benches. Benches print figures; nothing here asserts a time.
 */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` and returns its result with the wall time it took, in milliseconds. */
export function timedSync<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

let cachedGc: (() => void) | undefined;

/**
 * A full garbage collection, so heap figures describe live data only. Works without `--expose-gc` on the
 * command line: the flag is switched on at run time and `gc` read from a fresh context, which is where V8
 * installs it once the flag is set.
 */
export function collectGarbage(): void {
  if (cachedGc === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (existing) {
      cachedGc = existing;
    } else {
      setFlagsFromString('--expose-gc');
      cachedGc = runInNewContext('gc') as () => void;
    }
  }
  cachedGc();
}

/** One reading of the process's memory, in MiB. */
export interface MemoryReading {
  /** Live JavaScript objects (after a collection, if one was run just before). */
  readonly heapUsedMb: number;
  /** Memory V8 has reserved for its heap; it grows to the peak need and shrinks only slowly. */
  readonly heapTotalMb: number;
  /** Resident set size now. */
  readonly rssMb: number;
  /** Highest resident set size the process has reached so far (kernel high-water mark). */
  readonly rssPeakMb: number;
}

const MIB = 1024 * 1024;

export function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return {
    heapUsedMb: usage.heapUsed / MIB,
    heapTotalMb: getHeapStatistics().total_heap_size / MIB,
    rssMb: usage.rss / MIB,
    // maxRSS is reported in kibibytes.
    rssPeakMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** `1234.5` → `'1234.5'`, `0.1234` → `'0.12'`: enough digits to read, never scientific notation. */
export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function formatMb(mb: number): string {
  return `${mb.toFixed(1)} MB`;
}

/** Prints a two-column table of label and value, labels padded to one width. */
export function printRows(title: string, rows: ReadonlyArray<readonly [string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/**
 * A small deterministic PRNG (mulberry32), so every run of a bench builds exactly the same input and the
 * figures of two runs compare like with like.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[min, max]` from a PRNG. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Wall time during which at least one of possibly overlapping calls was in progress. With concurrent
 * batches, summing call durations would count the same millisecond several times.
 */
export class BusyTimer {
  private inFlight = 0;
  private since = 0;
  private total = 0;
  calls = 0;
  /** Sum of every call's own duration; `summedMs / calls` is the mean latency of one call. */
  summedMs = 0;

  get busyMs(): number {
    return this.total + (this.inFlight > 0 ? performance.now() - this.since : 0);
  }

  async around<R>(run: () => Promise<R>): Promise<R> {
    this.calls += 1;
    const started = performance.now();
    if (this.inFlight === 0) this.since = started;
    this.inFlight += 1;
    try {
      return await run();
    } finally {
      this.summedMs += performance.now() - started;
      this.inFlight -= 1;
      if (this.inFlight === 0) this.total += performance.now() - this.since;
    }
  }
}
