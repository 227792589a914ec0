/**
 * Backoff for the state store's own retries (conditional-write conflicts and unprocessed batch items).
 * The SDK already retries throttling and 5xx; these cover outcomes the SDK reports as success or as a
 * business error.
 */

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** Backoff before retry k (1-based) is drawn uniformly from [0, min(capMs, baseMs * 2^(k-1))). */
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Conditional read-modify-write of one interval item. A conflict means another writer succeeded since our
 * read, and the failed write returns the current item, so N concurrent writers need at most N attempts
 * each; 50 covers 50 batches of one model finishing together. Worst-case sleep: 5+10+20+40+80+160 ms, then
 * 250 ms caps for the remaining 43 retries, ~11 s in total and about half that on average (full jitter).
 */
export const INTERVAL_WRITE_RETRY: RetryPolicy = { maxAttempts: 50, baseMs: 5, capMs: 250 };

/**
 * Unprocessed items of BatchGetItem/BatchWriteItem (throttled partitions, or a response over 16 MB).
 * AWS recommends exponential backoff; 10 attempts wait at most 50+100+...+1600 ms then three 2000 ms caps,
 * ~9 s in all before giving up with an error.
 */
export const BATCH_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 50, capMs: 2_000 };

/** Full-jitter delay before retry number `retry` (1 = the first retry). */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(Math.random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
