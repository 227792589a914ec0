/** Context keys (cdk.json `context` or `cdk synth -c key=value`) that configure the Meshcron stack. */
export const CONTEXT_KEYS = {
  /** Prefix of resource names. */
  namePrefix: 'namePrefix',
  /** Workers per run or plan (Map MaxConcurrency). */
  maxConcurrency: 'maxConcurrency',
  /** E-mail address subscribed to the alarm topic. */
  alarmEmail: 'alarmEmail',
  /** VPC of a private warehouse; the warehouse handlers join it. */
  vpcId: 'vpcId',
  /** Subnets for the warehouse handlers: a JSON array or a comma-separated list. */
  subnetIds: 'subnetIds',
  /** Security groups for the warehouse handlers: a JSON array or a comma-separated list. */
  securityGroupIds: 'securityGroupIds',
  /** Days to keep logs of functions, state machines and the API. */
  logRetentionDays: 'logRetentionDays',
} as const;

/** Name prefix when none is configured. */
export const DEFAULT_NAME_PREFIX = 'meshcron';
/** Workers per run when none is configured; matches the CLI's default `--concurrency`. */
export const DEFAULT_MAX_CONCURRENCY = 4;
/** Log retention when none is configured. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;
/**
 * Upper bound of maxConcurrency: an inline Map runs at most 40 iterations at once, whatever MaxConcurrency
 * says, so a larger value would only pretend.
 */
export const MAX_MAX_CONCURRENCY = 40;

/** Name prefix: lower-case, starts with a letter, at most 20 characters so every derived name fits its limit. */
export const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
/** A plausible e-mail address (SNS does the real check when it sends the confirmation). */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** VPC ID. */
export const VPC_ID_PATTERN = /^vpc-[0-9a-f]{8,17}$/;
/** Subnet ID. */
export const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;
/** Security group ID. */
export const SECURITY_GROUP_ID_PATTERN = /^sg-[0-9a-f]{8,17}$/;
/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS_ALLOWED: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
