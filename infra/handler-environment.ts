/**
 * Environment variables the stack sets on every handler (all of them on all handlers, so a shared runtime
 * can read them at cold start; permissions, not variables, limit what each handler may do). Pure constants
 * (no CDK import) so handlers can import them.
 */

/** Name of the DynamoDB state table. */
export const ENV_STATE_TABLE = 'STATE_TABLE';
/** Name of the project bundle bucket (readable by `api` and `prepare-plan`). */
export const ENV_BUNDLE_BUCKET = 'BUNDLE_BUCKET';
/**
 * ARN of the run-job state machine (only `api` and `tick` may start it). Built from the machine's fixed
 * name rather than referenced, so the task handlers can carry it too without a dependency cycle.
 */
export const ENV_RUN_STATE_MACHINE_ARN = 'RUN_STATE_MACHINE_ARN';
/** ARN of the plan state machine (only `api` may start it); built like {@link ENV_RUN_STATE_MACHINE_ARN}. */
export const ENV_PLAN_STATE_MACHINE_ARN = 'PLAN_STATE_MACHINE_ARN';
/** Workers per run or plan (the Map's MaxConcurrency), as a decimal string. */
export const ENV_MAX_CONCURRENCY = 'MAX_CONCURRENCY';
/** CloudWatch namespace for the custom metrics. */
export const ENV_METRICS_NAMESPACE = 'METRICS_NAMESPACE';
/**
 * Name prefix of the warehouse connection secrets, `<prefix>/connections/<gateway>` (the stack's name prefix).
 * Only the executor handlers and `api` are granted anything on those secrets.
 */
export const ENV_CONNECTION_SECRET_PREFIX = 'CONNECTION_SECRET_PREFIX';
/** ARN of the KMS key that encrypts the connection secrets (new secrets are created under it by `api`). */
export const ENV_CONNECTION_KEY_ARN = 'CONNECTION_KEY_ARN';
