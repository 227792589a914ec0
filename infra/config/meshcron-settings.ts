import type { Construct } from 'constructs';
import { MeshcronConfigError } from './config-error';
import {
  CONTEXT_KEYS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_NAME_PREFIX,
  EMAIL_PATTERN,
  LOG_RETENTION_DAYS_ALLOWED,
  MAX_MAX_CONCURRENCY,
  NAME_PREFIX_PATTERN,
  SECURITY_GROUP_ID_PATTERN,
  SUBNET_ID_PATTERN,
  VPC_ID_PATTERN,
} from './constants';

/** Where the warehouse handlers run to reach a private warehouse. */
export interface WarehouseNetworkSettings {
  readonly vpcId: string;
  /** At least one; private subnets with a route to DynamoDB, S3 and KMS (endpoints or NAT). */
  readonly subnetIds: readonly string[];
  /** Empty: CDK creates one security group with outbound access only. */
  readonly securityGroupIds: readonly string[];
}

/** Everything that configures one Meshcron stack. */
export interface MeshcronSettings {
  readonly namePrefix: string;
  readonly maxConcurrency: number;
  readonly alarmEmail?: string;
  readonly network?: WarehouseNetworkSettings;
  readonly logRetentionDays: number;
}

/** Settings given as stack props; each one wins over the context key of the same name. */
export interface MeshcronSettingsInput {
  readonly namePrefix?: string;
  readonly maxConcurrency?: number;
  readonly alarmEmail?: string;
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly logRetentionDays?: number;
}

type Key = keyof typeof CONTEXT_KEYS;

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function invalid(key: Key, value: unknown, allowed: string): MeshcronConfigError {
  if (value === undefined || value === null || value === '') {
    return new MeshcronConfigError(`missing setting '${CONTEXT_KEYS[key]}': ${allowed}`);
  }
  return new MeshcronConfigError(`invalid setting '${CONTEXT_KEYS[key]}' = ${show(value)}: ${allowed}`);
}

function readString(key: Key, value: unknown, pattern: RegExp, allowed: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw invalid(key, value, allowed);
  return value;
}

/** Integers arrive as strings from `-c key=value` and as numbers from cdk.json or props. */
function readInteger(key: Key, value: unknown, isAllowed: (n: number) => boolean, allowed: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || !isAllowed(n)) throw invalid(key, value, allowed);
  return n;
}

/** Lists arrive as arrays (cdk.json, props), JSON array text or comma-separated text (`-c`). */
function readIdList(key: Key, value: unknown, pattern: RegExp, allowed: string): string[] {
  let items: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        items = JSON.parse(text);
      } catch {
        throw invalid(key, value, allowed);
      }
    } else {
      items = text === '' ? [] : text.split(',').map((part) => part.trim());
    }
  }
  if (!Array.isArray(items)) throw invalid(key, value, allowed);
  for (const item of items) {
    if (typeof item !== 'string' || !pattern.test(item)) throw invalid(key, value, allowed);
  }
  return items as string[];
}

/**
 * Reads the stack settings: each from `input` if given there, else from the CDK context of `scope`, else
 * the default. Validates every value and throws MeshcronConfigError naming the key, the bad value and what
 * is allowed.
 *
 * @example
 * // cdk synth -c maxConcurrency=8 -c alarmEmail=ops@example.com
 * const settings = resolveMeshcronSettings(app); // { namePrefix: 'meshcron', maxConcurrency: 8, ... }
 */
export function resolveMeshcronSettings(scope: Construct, input: MeshcronSettingsInput = {}): MeshcronSettings {
  const raw = (key: Key): unknown => input[key] ?? scope.node.tryGetContext(CONTEXT_KEYS[key]);
  const given = (key: Key): boolean => {
    const value = raw(key);
    return value !== undefined && value !== null && value !== '';
  };

  const namePrefix = given('namePrefix')
    ? readString('namePrefix', raw('namePrefix'), NAME_PREFIX_PATTERN, 'lower-case letters, digits and -, starting with a letter, at most 20 characters')
    : DEFAULT_NAME_PREFIX;
  const maxConcurrency = given('maxConcurrency')
    ? readInteger('maxConcurrency', raw('maxConcurrency'), (n) => n >= 1 && n <= MAX_MAX_CONCURRENCY, `an integer from 1 to ${MAX_MAX_CONCURRENCY}`)
    : DEFAULT_MAX_CONCURRENCY;
  const logRetentionDays = given('logRetentionDays')
    ? readInteger('logRetentionDays', raw('logRetentionDays'), (n) => LOG_RETENTION_DAYS_ALLOWED.includes(n), `one of ${LOG_RETENTION_DAYS_ALLOWED.join(', ')}`)
    : DEFAULT_LOG_RETENTION_DAYS;
  const alarmEmail = given('alarmEmail')
    ? readString('alarmEmail', raw('alarmEmail'), EMAIL_PATTERN, 'an e-mail address like ops@example.com')
    : undefined;

  const subnetIds = given('subnetIds')
    ? readIdList('subnetIds', raw('subnetIds'), SUBNET_ID_PATTERN, 'subnet IDs like subnet-0123abcd, as a list or comma-separated')
    : [];
  const securityGroupIds = given('securityGroupIds')
    ? readIdList('securityGroupIds', raw('securityGroupIds'), SECURITY_GROUP_ID_PATTERN, 'security group IDs like sg-0123abcd, as a list or comma-separated')
    : [];
  let network: WarehouseNetworkSettings | undefined;
  if (given('vpcId')) {
    const vpcId = readString('vpcId', raw('vpcId'), VPC_ID_PATTERN, 'a VPC ID like vpc-0123abcd');
    if (subnetIds.length === 0) {
      throw invalid('subnetIds', raw('subnetIds'), `at least one subnet ID of VPC ${vpcId} is required when '${CONTEXT_KEYS.vpcId}' is set`);
    }
    network = { vpcId, subnetIds, securityGroupIds };
  } else if (subnetIds.length > 0 || securityGroupIds.length > 0) {
    const key: Key = subnetIds.length > 0 ? 'subnetIds' : 'securityGroupIds';
    throw invalid(key, raw(key), `only allowed together with '${CONTEXT_KEYS.vpcId}'`);
  }

  return { namePrefix, maxConcurrency, logRetentionDays, ...(alarmEmail ? { alarmEmail } : {}), ...(network ? { network } : {}) };
}
