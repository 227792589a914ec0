import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts what an on-demand DynamoDB table would bill for the requests one SDK client sends: a middleware asks
 * every request for `ReturnConsumedCapacity: TOTAL` (DynamoDB Local computes it as AWS does: 1 WRU per KB
 * written, 1 RRU per 4 KB read consistently, half for eventually consistent reads, double inside
 * transactions) and adds up the answers by command.
 */

/** Requests and capacity units of one command type. */
export interface CommandUsage {
  requests: number;
  /** Requests that failed (a failed conditional write is still billed, see {@link countDynamoDbUsage}). */
  failed: number;
  readUnits: number;
  writeUnits: number;
}

const READ_COMMANDS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);

/** Errors after which AWS still charges the write (the condition was evaluated against the stored item). */
const BILLED_FAILURES = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

type Capacity = { readonly CapacityUnits?: number } | readonly { readonly CapacityUnits?: number }[] | undefined;

function unitsOf(capacity: Capacity): number {
  if (capacity === undefined) return 0;
  const list = Array.isArray(capacity) ? capacity : [capacity as { readonly CapacityUnits?: number }];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/** The running totals of a counted client; {@link reset} starts a new phase. */
export class DynamoDbUsage {
  readonly byCommand = new Map<string, CommandUsage>();

  get readUnits(): number {
    return [...this.byCommand.values()].reduce((s, u) => s + u.readUnits, 0);
  }

  get writeUnits(): number {
    return [...this.byCommand.values()].reduce((s, u) => s + u.writeUnits, 0);
  }

  get requests(): number {
    return [...this.byCommand.values()].reduce((s, u) => s + u.requests, 0);
  }

  reset(): void {
    this.byCommand.clear();
  }

  /** A copy of the totals so far, per command. */
  snapshot(): Map<string, CommandUsage> {
    return new Map([...this.byCommand].map(([k, v]) => [k, { ...v }]));
  }

  record(command: string, units: number, failed: boolean): void {
    const usage = this.byCommand.get(command) ?? { requests: 0, failed: 0, readUnits: 0, writeUnits: 0 };
    usage.requests += 1;
    if (failed) usage.failed += 1;
    if (READ_COMMANDS.has(command)) usage.readUnits += units;
    else usage.writeUnits += units;
    this.byCommand.set(command, usage);
  }
}

/**
 * Adds the counting middleware to `client` and returns the totals it fills. A request that fails with a
 * conditional-check or cancelled-transaction error returns no capacity; it is counted as 1 write unit, the
 * minimum AWS charges for it (items here are well under 1 KB, so this is also the usual figure).
 */
export function countDynamoDbUsage(client: DynamoDBClient): DynamoDbUsage {
  const usage = new DynamoDbUsage();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      // Only commands that accept the parameter; DescribeTable and friends reject unknown fields.
      if (command.endsWith('ItemCommand') || command.endsWith('ItemsCommand') || command === 'QueryCommand' || command === 'ScanCommand') {
        input.ReturnConsumedCapacity ??= 'TOTAL';
      }
      try {
        const result = await next(args);
        usage.record(command, unitsOf((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity), false);
        return result;
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        usage.record(command, BILLED_FAILURES.has(name) ? 1 : 0, true);
        throw error;
      }
    },
    { step: 'initialize', name: 'benchCountConsumedCapacity' },
  );
  return usage;
}
