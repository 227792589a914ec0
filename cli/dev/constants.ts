/** Fixed values of `meshcron dev`. */

/** Only this machine can reach the dev API: it runs plans on the local warehouse without any auth. */
export const DEV_HOST = '127.0.0.1';
/** Port of the dev API unless `--port` says otherwise. */
export const DEV_DEFAULT_PORT = 8787;
/** Seconds between scheduler ticks unless `--tick-every` says otherwise (EventBridge ticks every minute). */
export const DEV_DEFAULT_TICK_EVERY_SECONDS = 60;
/** Workers per run or plan job (the Map's MaxConcurrency), as in the deployed stack's default. */
export const DEV_DEFAULT_MAX_CONCURRENCY = 4;
/**
 * Milliseconds a worker's Wait state really waits locally (the definitions say 5 s): long enough not to
 * spin on DynamoDB Local, short enough that a downstream batch starts soon after its upstream ends.
 */
export const DEV_WAIT_STATE_MS = 250;
/** API Gateway HTTP APIs refuse request bodies over 10 MB; the dev server does the same. */
export const DEV_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Route of the on-demand tick (not part of the deployed API). */
export const DEV_TICK_PATH = '/_dev/tick';
/** Prefix of every dev-only route. */
export const DEV_ROUTE_PREFIX = '/_dev/';
/** Subfolder of `<project>/.meshcron` where submitted bundles are kept (the deployed stack's bucket). */
export const DEV_BUNDLES_FOLDER = 'bundles';
