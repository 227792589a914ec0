import { type AttributeValue, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_MAX_ITEM_BYTES, itemBytes } from '../../functions/adapters/dynamodb-item-size';
import { useDynamoDbLocal } from '../support/dynamodb-local';

const dynamo = useDynamoDbLocal();

/** An item whose `payload` string pads it to exactly `bytes` by our estimate. */
function itemOfSize(bytes: number, extra: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const base = { pk: { S: 'k' }, payload: { S: '' }, ...extra };
  return { ...base, payload: { S: 'x'.repeat(bytes - itemBytes(base)) } };
}

describe('itemBytes', () => {
  it.each<[string, Record<string, AttributeValue>, number]>([
    ['counts name and UTF-8 value bytes of strings', { ab: { S: 'ü€' } }, 2 + 5],
    ['counts binary bytes', { b: { B: new Uint8Array(10) } }, 1 + 10],
    ['counts one byte per two digits of a number, plus two', { n: { N: '1234500' } }, 1 + 6],
    ['charges 3 bytes per list plus 1 per element', { l: { L: [{ S: 'a' }, { S: 'bc' }] } }, 1 + 3 + (1 + 1) + (1 + 2)],
    ['counts nested map keys', { m: { M: { key: { S: 'v' } } } }, 1 + 3 + 1 + 3 + 1],
  ])('%s', (_name, item, expected) => {
    expect(itemBytes(item)).toBe(expected);
  });

  describe('against DynamoDB Local', () => {
    let tableName: string;
    const put = (Item: Record<string, AttributeValue>) =>
      dynamo.client().send(new PutItemCommand({ TableName: tableName, Item }));

    beforeAll(async () => {
      tableName = dynamo.freshTableName('size');
      await dynamo.client().send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
    });

    it('matches the 400 KB limit to the byte for strings, binaries, lists and maps', async () => {
      const extra = {
        blob: { B: new Uint8Array(1000) },
        list: { L: [{ S: 'a' }, { L: [{ S: 'bc' }] }] },
        map: { M: { key: { S: 'v' }, nested: { M: { k: { B: new Uint8Array(3) } } } } },
      };
      await expect(put(itemOfSize(DYNAMODB_MAX_ITEM_BYTES, extra))).resolves.toBeDefined();
      await expect(put(itemOfSize(DYNAMODB_MAX_ITEM_BYTES + 1, extra))).rejects.toThrow(/Item size has exceeded/);
    });

    it('never under-counts numbers, so an item it accepts is never rejected', async () => {
      const ranges = {
        ranges: {
          L: Array.from({ length: 50 }, (_, i) => ({ L: [{ N: String(1704067200000 + i) }, { N: '-0.000125' }] })),
        },
      };
      await expect(put(itemOfSize(DYNAMODB_MAX_ITEM_BYTES, ranges))).resolves.toBeDefined();
    });
  });
});
