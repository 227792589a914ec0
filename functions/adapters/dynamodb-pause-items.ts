import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { SchedulerError } from '../../shared/src/errors';
import type { PauseRecord } from '../../shared/src/ports/state-store';
import { STATE_TABLE_PARTITION_KEY as PK, STATE_TABLE_SORT_KEY as SK } from './dynamodb-state-schema';

/**
 * Pause items of the state table (next to the layout in dynamodb-state-schema.ts):
 *
 * | entity | pk                | sk          |
 * |--------|-------------------|-------------|
 * | pause  | `PAUSES#<env>`    | `<pauseId>` |
 *
 * An environment's pauses share one partition, so listing them is one strongly consistent Query, and a pause
 * is created with `attribute_not_exists(pk)` on its own key: two callers pausing the same thing at once get
 * one success and one conflict, never two records.
 */

type Item = Record<string, AttributeValue>;

const PAUSES_PREFIX = 'PAUSES#';

const pauseItemSchema = z.object({
  environment: z.string(),
  pauseId: z.string(),
  model: z.string().optional(),
  reason: z.string().optional(),
  createdBy: z.string(),
  createdTs: z.number(),
});

/** Partition holding every pause of `environment`. */
export function pausesPartition(environment: string): AttributeValue {
  return { S: `${PAUSES_PREFIX}${environment}` };
}

/** Key of one pause. */
export function pauseItemKey(environment: string, pauseId: string): Item {
  return { [PK]: pausesPartition(environment), [SK]: { S: pauseId } };
}

export function encodePause(pause: PauseRecord): Item {
  return { ...marshall(pause, { removeUndefinedValues: true }), ...pauseItemKey(pause.environment, pause.pauseId) };
}

/** Reads a pause item; a damaged one fails naming its key and what is wrong. */
export function decodePause(item: Item): PauseRecord {
  const { [PK]: _pk, [SK]: _sk, ...fields } = unmarshall(item);
  const parsed = pauseItemSchema.safeParse(fields);
  if (parsed.success) {
    const { model, reason, ...rest } = parsed.data;
    return { ...rest, ...(model === undefined ? {} : { model }), ...(reason === undefined ? {} : { reason }) };
  }
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
  throw new SchedulerError(`state table item ${item[PK]?.S ?? '?'} / ${item[SK]?.S ?? '?'} is not a valid pause: ${problems}`);
}
