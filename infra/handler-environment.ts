/**
 * Environment variables the stack sets on the handlers. Pure constants (no CDK import) so a handler can
 * import them and read each once at cold start with `requireEnv(...)`.
 */

/** Name of the DynamoDB state table (every handler). */
export const ENV_STATE_TABLE = 'STATE_TABLE';
/** Name of the project bundle bucket (`api`, `prepare-plan`). */
export const ENV_BUNDLE_BUCKET = 'BUNDLE_BUCKET';
/** ARN of the run-job state machine (`api`, `tick`). */
export const ENV_RUN_STATE_MACHINE_ARN = 'RUN_STATE_MACHINE_ARN';
/** ARN of the plan state machine (`api`). */
export const ENV_PLAN_STATE_MACHINE_ARN = 'PLAN_STATE_MACHINE_ARN';
/** Number of workers of a run or plan, as a decimal string (`prepare-run`, `prepare-plan`). */
export const ENV_MAX_CONCURRENCY = 'MAX_CONCURRENCY';
/** CloudWatch namespace for the custom metrics (every handler). */
export const ENV_METRICS_NAMESPACE = 'METRICS_NAMESPACE';
