/**
 * A half-open UTC time range `[start, end)` in epoch milliseconds. Every interval inside Meshcron has this
 * shape; lists of processed intervals are always sorted and merged (no two touch or overlap).
 */
export type Interval = readonly [start: number, end: number];

/** The interval units of SQLMesh, largest first (the order matters for unit inference). */
export const INTERVAL_UNITS = [
  'year',
  'month',
  'day',
  'hour',
  'half_hour',
  'quarter_hour',
  'five_minute',
] as const;

export type IntervalUnit = (typeof INTERVAL_UNITS)[number];
