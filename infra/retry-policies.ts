import { Duration } from 'aws-cdk-lib';
import { JitterType, type RetryProps } from 'aws-cdk-lib/aws-stepfunctions';
import { LAMBDA_SERVICE_ERRORS, LAMBDA_THROTTLE_ERRORS } from './state-machines/names';

/**
 * Retry policies of the Step Functions tasks. Only Lambda-side transient errors are retried: an error the
 * handler throws (EvaluationError, NotFoundError, ...) is a result, not a hiccup, and goes to the Catch.
 *
 * Step Functions waits `IntervalSeconds * BackoffRate^(n-1)` before retry n, capped at MaxDelaySeconds;
 * with FULL jitter the actual wait is uniform in [0, that value], so the sums below are upper bounds.
 */

/**
 * Lambda service errors (the invoke failed or its answer was lost).
 * Waits: 2, 4, 8, 16, 30 (32 capped) s → at most 60 s over 5 retries, then the Catch takes over.
 */
export const LAMBDA_SERVICE_RETRY: RetryProps = {
  errors: [...LAMBDA_SERVICE_ERRORS],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 5,
  maxDelay: Duration.seconds(30),
  jitterStrategy: JitterType.FULL,
};

/**
 * Lambda throttling (concurrency exhausted, usually by our own workers of several runs at once). Slower and
 * more patient than service errors because capacity frees up as batches finish.
 * Waits: 5, 10, 20, 40, 60, 60, 60, 60 (80+ capped at 60) s → at most 315 s (~5 min) over 8 retries.
 */
export const LAMBDA_THROTTLE_RETRY: RetryProps = {
  errors: [...LAMBDA_THROTTLE_ERRORS],
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.seconds(60),
  jitterStrategy: JitterType.FULL,
};

/** The policies every Lambda task gets, in evaluation order (Step Functions uses the first match). */
export const LAMBDA_TASK_RETRIES: readonly RetryProps[] = [LAMBDA_SERVICE_RETRY, LAMBDA_THROTTLE_RETRY];
