import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SchedulerError } from '../../shared/src/errors';

/** DynamoDB's hard limit on one item, names and values included (400 KB). */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * DynamoDB documents numbers as "about one byte per two significant digits, plus one"; the exact rule is
 * unpublished (DynamoDB Local charges 1704067200000 one byte more than the trimmed digits suggest). Count
 * every digit and add two, so the estimate errs on the large side and never lets an oversized item through.
 */
function numberBytes(n: string): number {
  const digits = n.replace(/[^0-9]/g, '').replace(/^0+/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 2;
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8Bytes(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberBytes(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.byteLength, 0);
  // Lists and maps cost 3 bytes plus one byte per element on top of their contents.
  if (value.L !== undefined) return value.L.reduce((n, v) => n + 1 + valueBytes(v), 3);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/**
 * The size DynamoDB charges and limits for an item, following the published rules (attribute name bytes
 * plus value bytes). Exact for strings, binaries, lists and maps, which dominate our large items; a byte
 * or two high per number.
 */
export function itemBytes(item: Record<string, AttributeValue>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += utf8Bytes(name) + valueBytes(value);
  return total;
}

/**
 * Throws a SchedulerError before a write DynamoDB would reject with a bare ValidationException.
 * `what` names the record (`snapshot 'db.orders' (identifier 123)`), `hint` says how to shrink it.
 */
export function assertItemFits(item: Record<string, AttributeValue>, what: string, hint: string): void {
  const size = itemBytes(item);
  if (size > DYNAMODB_MAX_ITEM_BYTES) {
    throw new SchedulerError(
      `${what} is too large to store in DynamoDB: ${size} bytes, the item limit is ${DYNAMODB_MAX_ITEM_BYTES} bytes (400 KB); ${hint}`,
    );
  }
}
