import { ConnectionInputError } from '../../../shared/src/connections/connection-errors';
import { normalizeGatewayName } from '../../../shared/src/connections/gateway-name';

describe('normalizeGatewayName', () => {
  it.each([
    ['pg', 'pg'],
    ['Warehouse_PG', 'warehouse_pg'],
    ['_private', '_private'],
    ['0day', '0day'],
    ['a-b_c', 'a-b_c'],
    ['G'.repeat(63), 'g'.repeat(63)],
  ])('accepts %j as %j', (raw, expected) => {
    expect(normalizeGatewayName(raw)).toBe(expected);
  });

  it.each([[''], ['-pg'], ['a b'], ['a/b'], ['a.b'], ['ü'], ['g'.repeat(64)], ['pg\n']])('refuses %j', (raw) => {
    expect(() => normalizeGatewayName(raw)).toThrow(ConnectionInputError);
  });

  it('names the field, quotes the value and says what is allowed', () => {
    expect(() => normalizeGatewayName('My Gateway', 'body.gateway')).toThrowErrorMatchingInlineSnapshot(
      `"body.gateway: "My Gateway" is not a valid gateway name; use 1-63 letters, digits, '_' or '-', not starting with '-'"`,
    );
  });

  it('refuses a value that is not a string, saying what it was', () => {
    expect(() => normalizeGatewayName(42)).toThrowErrorMatchingInlineSnapshot(`"gateway: must be a string, got number"`);
    expect(() => normalizeGatewayName(null)).toThrowErrorMatchingInlineSnapshot(`"gateway: must be a string, got null"`);
  });

  it('cuts a very long rejected name in the message', () => {
    // Act
    let message = '';
    try {
      normalizeGatewayName('x'.repeat(5000));
    } catch (e) {
      message = (e as Error).message;
    }
    // Assert
    expect(message.length).toBeLessThan(250);
    expect(message).toContain(`"${'x'.repeat(80)}…"`);
  });
});
