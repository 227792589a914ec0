/**
 * Custom metrics the handlers publish (CloudWatch embedded metric format, no dimensions) and the dashboard
 * and alarms read. Pure constants so handlers and infra agree on the names.
 */

/** Namespace of every Meshcron custom metric. */
export const METRICS_NAMESPACE = 'Meshcron';

/** Metric names within {@link METRICS_NAMESPACE}. Counts are `Count`, durations `Milliseconds`. */
export const METRIC_NAMES = {
  /** A run or plan application started (count). */
  runsStarted: 'RunsStarted',
  /** A run ended with status `succeeded` (count). */
  runsSucceeded: 'RunsSucceeded',
  /** A run ended with status `failed` (count). */
  runsFailed: 'RunsFailed',
  /** A batch committed its interval (count). */
  batchesSucceeded: 'BatchesSucceeded',
  /** A batch failed in the warehouse or an audit (count). */
  batchesFailed: 'BatchesFailed',
  /** A batch was skipped because an upstream batch failed (count). */
  batchesSkipped: 'BatchesSkipped',
  /** Wall time of one batch (milliseconds). */
  batchDuration: 'BatchDuration',
  /** Models with missing intervals whose cron is due, per environment tick (count, gauge). */
  modelsBehind: 'ModelsBehind',
} as const;
