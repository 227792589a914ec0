import type { Interval } from '../shared/src/schedule/interval';

const DAY_MS = 86_400_000;

/** `2026-11-01` for midnight, `2026-11-01 05:00` otherwise (always UTC). */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (ms % DAY_MS === 0) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, ms % 60_000 === 0 ? 16 : 19)}`;
}

/** `[2026-11-01, 2026-11-08)`: half-open, as everywhere in Meshcron. */
export function formatInterval([start, end]: Interval): string {
  return `[${formatInstant(start)}, ${formatInstant(end)})`;
}

export function formatIntervals(intervals: readonly Interval[]): string {
  return intervals.length === 0 ? '—' : intervals.map(formatInterval).join(', ');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/** Parses `--execution-time`: an ISO instant (naive = UTC) or a date; never the local zone. */
export function parseExecutionTime(text: string | undefined, nowMs: number): number {
  if (text === undefined) return nowMs;
  const trimmed = text.trim();
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
    ? `${trimmed}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed)
      ? trimmed.replace(' ', 'T')
      : `${trimmed.replace(' ', 'T')}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) {
    throw new Error(`--execution-time: cannot read '${text}'; use an ISO instant such as 2026-11-08T06:00:00Z`);
  }
  return ms;
}
