/**
 * AWS list prices the run-job cost bench multiplies its counts by: us-east-1, on-demand, no free tier, Lambda
 * on x86, as listed from 2024-11-01 (the day DynamoDB on-demand request prices were halved). They were not
 * re-checked online when the bench was written; check https://aws.amazon.com/<service>/pricing/ before
 * quoting the results.
 */
export const AWS_PRICES = {
  region: 'us-east-1',
  asOf: '2024-11-01',
  /** Step Functions Standard, USD per state transition ($0.025 per 1,000). */
  stepFunctionsPerTransition: 0.025 / 1_000,
  /** Lambda compute, USD per GB-second (x86). */
  lambdaPerGbSecond: 0.0000166667,
  /** Lambda requests, USD per invocation ($0.20 per million). */
  lambdaPerRequest: 0.2 / 1_000_000,
  /** DynamoDB on-demand, USD per write request unit ($1.25 per million). */
  dynamoDbPerWriteUnit: 1.25 / 1_000_000,
  /** DynamoDB on-demand, USD per read request unit ($0.25 per million). */
  dynamoDbPerReadUnit: 0.25 / 1_000_000,
} as const;

/** GB-seconds Lambda bills for one invocation: duration rounded up to the millisecond, at least 1 ms. */
export function billedGbSeconds(durationMs: number, memoryMb: number): number {
  const billedMs = Math.max(1, Math.ceil(durationMs));
  return (memoryMb / 1024) * (billedMs / 1000);
}

/** What one run job used, in billable units. */
export interface RunJobUsage {
  readonly transitions: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** Cost in USD of each service for the given usage. */
export interface RunJobCost {
  readonly stepFunctions: number;
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  readonly dynamoDbWrites: number;
  readonly dynamoDbReads: number;
  readonly total: number;
}

/** Prices `usage` at {@link AWS_PRICES}, scaled by `factor` (e.g. 1000 / batches for "per 1,000 batches"). */
export function priceRunJob(usage: RunJobUsage, factor = 1): RunJobCost {
  const stepFunctions = usage.transitions * AWS_PRICES.stepFunctionsPerTransition * factor;
  const lambdaRequests = usage.lambdaRequests * AWS_PRICES.lambdaPerRequest * factor;
  const lambdaCompute = usage.lambdaGbSeconds * AWS_PRICES.lambdaPerGbSecond * factor;
  const dynamoDbWrites = usage.writeUnits * AWS_PRICES.dynamoDbPerWriteUnit * factor;
  const dynamoDbReads = usage.readUnits * AWS_PRICES.dynamoDbPerReadUnit * factor;
  return {
    stepFunctions,
    lambdaRequests,
    lambdaCompute,
    dynamoDbWrites,
    dynamoDbReads,
    total: stepFunctions + lambdaRequests + lambdaCompute + dynamoDbWrites + dynamoDbReads,
  };
}
