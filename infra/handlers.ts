/**
 * The Lambda handlers the stack deploys, with the limits each one runs under. Pure data (no CDK import) so
 * the state machine builders, the stack and tests share one table and handlers may read it too.
 */

/** Names of the handlers; each is bundled from `functions/handlers/<name>.handler.ts`. */
export const HANDLER_NAMES = [
  'api',
  'tick',
  'prepare-run',
  'execute-batches',
  'finish-run',
  'prepare-plan',
  'promote-plan',
] as const;

/** One of {@link HANDLER_NAMES}. */
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Timeout and memory of one handler. */
export interface HandlerLimits {
  /** Lambda timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Lambda memory in MB (CPU scales with it). */
  readonly memoryMb: number;
}

/**
 * Limits per handler. Why these values:
 * - `api` stays under the HTTP API integration limit of 30 s so the client sees the Lambda's own error.
 * - `execute-batches` gets Lambda's maximum of 15 min and the most memory: it evaluates models in the
 *   warehouse and claims several ready batches per invocation, stopping when too little time is left.
 * - the others only read and write state, except `prepare-plan` (reads the project bundle, creates tables)
 *   and `promote-plan` (swaps views), which may wait on the warehouse.
 */
export const HANDLER_LIMITS: Readonly<Record<HandlerName, HandlerLimits>> = {
  api: { timeoutSeconds: 29, memoryMb: 512 },
  tick: { timeoutSeconds: 60, memoryMb: 512 },
  'prepare-run': { timeoutSeconds: 120, memoryMb: 1024 },
  'execute-batches': { timeoutSeconds: 900, memoryMb: 2048 },
  'finish-run': { timeoutSeconds: 60, memoryMb: 512 },
  'prepare-plan': { timeoutSeconds: 300, memoryMb: 1024 },
  'promote-plan': { timeoutSeconds: 300, memoryMb: 1024 },
};

/** Handlers that talk to the warehouse; only these join the optional VPC. */
export const WAREHOUSE_HANDLERS: readonly HandlerName[] = ['prepare-plan', 'execute-batches', 'promote-plan'];

/**
 * Seconds a Step Functions task waits beyond its Lambda's own timeout. The Lambda times out first and the
 * execution history shows its error (`Sandbox.Timedout`) instead of a bare `States.Timeout`.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 30;

/** The `TimeoutSeconds` of the task that invokes `name`. */
export function taskTimeoutSeconds(name: HandlerName): number {
  return HANDLER_LIMITS[name].timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS;
}
