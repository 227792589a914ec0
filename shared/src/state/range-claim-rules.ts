import type { RangeClaim } from '../ports/run-job-store';
import type { Interval } from '../schedule/interval';

/**
 * The rules of range claims on a physical table, shared by every RunJobStore so the in-memory fake and the
 * DynamoDB adapter decide overlaps and expiry identically (the contract suite checks both). The adapters
 * only add the storage: a read, these functions, and a conditional write.
 */

/** A claim holds while `nowMs < leaseUntil`; at `leaseUntil` it has lapsed, as batch leases do. */
export function isLiveRangeClaim(claim: RangeClaim, nowMs: number): boolean {
  return claim.leaseUntil > nowMs;
}

/** Whether two half-open intervals share an instant; `[0, 10)` and `[10, 20)` do not. */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a[0] < b[1] && b[0] < a[1];
}

/** Orders claims by start, end, then owner, so every store lists them the same way. */
export function compareRangeClaims(a: RangeClaim, b: RangeClaim): number {
  if (a.interval[0] !== b.interval[0]) return a.interval[0] - b.interval[0];
  if (a.interval[1] !== b.interval[1]) return a.interval[1] - b.interval[1];
  return a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0;
}

/**
 * The claims after `claim` is added at `nowMs`, or `undefined` when a live claim of another owner overlaps
 * it. Lapsed claims are dropped on the way, so the stored list never grows with dead workers. An own claim
 * on exactly the same interval is replaced (its lease becomes the new one); the owner's other claims stay,
 * even when they overlap, because one job never races itself.
 */
export function addRangeClaim(
  claims: readonly RangeClaim[],
  claim: RangeClaim,
  nowMs: number,
): RangeClaim[] | undefined {
  const live = claims.filter((c) => isLiveRangeClaim(c, nowMs));
  if (live.some((c) => c.owner !== claim.owner && intervalsOverlap(c.interval, claim.interval))) return undefined;
  const others = live.filter((c) => !isSameClaim(c, claim.owner, claim.interval));
  return [...others, claim].sort(compareRangeClaims);
}

/**
 * The claims without `owner`'s claim on exactly `interval`, or `undefined` when it holds no such claim (so
 * callers can skip the write). Other claims, lapsed ones included, are kept: releasing takes no clock.
 */
export function removeRangeClaim(
  claims: readonly RangeClaim[],
  interval: Interval,
  owner: string,
): RangeClaim[] | undefined {
  const kept = claims.filter((c) => !isSameClaim(c, owner, interval));
  return kept.length === claims.length ? undefined : kept;
}

function isSameClaim(claim: RangeClaim, owner: string, interval: Interval): boolean {
  return claim.owner === owner && claim.interval[0] === interval[0] && claim.interval[1] === interval[1];
}
