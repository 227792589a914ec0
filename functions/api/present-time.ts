import type { Interval } from '../../shared/src/schedule/interval';

/** An epoch-ms instant as ISO-8601 UTC (`2026-11-08T06:00:00.000Z`), whatever the process time zone. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** {@link isoTime}, or null for an instant that is not set (responses keep a stable shape). */
export function isoTimeOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : isoTime(ms);
}

/** A half-open `[start, end)` interval as a pair of ISO instants. */
export function isoRange([start, end]: Interval): [string, string] {
  return [isoTime(start), isoTime(end)];
}
