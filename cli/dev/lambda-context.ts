import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Region written into the local function ARNs (nothing is called there). */
const LOCAL_REGION = 'local';
const LOCAL_ACCOUNT_ID = '000000000000';
/** The deployed handlers' timeout; only reported through getRemainingTimeInMillis. */
const LOCAL_TIMEOUT_MS = 15 * 60_000;

/**
 * The Lambda context of one local invocation of `functionName`. Meshcron's handlers only read
 * `awsRequestId`; the rest is filled so middy and anything else see a complete context.
 */
export function localLambdaContext(functionName: string, requestId: string = randomUUID()): Context {
  const deadline = performance.now() + LOCAL_TIMEOUT_MS;
  const legacy = (): never => {
    throw new Error(`${functionName}: callback-style context.done/fail/succeed are not supported; return or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    done: legacy,
    fail: legacy,
    succeed: legacy,
  };
}
