import { createApiHandler } from '../../../functions/api/create-api-handler';
import { parseConnection, type WarehouseConnection } from '../../../functions/adapters/warehouse-connection';
import { InMemoryConnectionStore } from '../../../shared/src/connections/in-memory-connection-store';
import { fixedClock } from '../../../shared/src/ports/clock';
import type { ConnectionTester, ConnectionTestResult } from '../../../shared/src/ports/connection-store';
import { InMemoryStateStore } from '../../../shared/src/state/in-memory-state-store';
import { call, routeEvent } from '../api/support/events';
import { RecordingLauncher } from '../api/support/fakes';

/**
 * The `/connections` routes on the API handler with the in-memory store (trusted through the store
 * contract), the real per-type validation, and a tester that answers what each test asks.
 */

const NOW = Date.UTC(2026, 10, 9, 6, 0, 0);
const PASSWORD = 'Api-Route-Secret-77';
const PG_YAML = `type: postgres\nhost: db.internal\nport: 5432\nuser: meshcron\npassword: "${PASSWORD}"\ndatabase: analytics\n`;
const DUCK_YAML = 'type: duckdb\ndatabase: w.duckdb\n';

const errorOf = (r: { json: unknown }) => (r.json as { error: { code: string; message: string; field?: string } }).error;

function arrange(result: ConnectionTestResult = { ok: true, elapsedMs: 4 }) {
  const store = new InMemoryConnectionStore<WarehouseConnection>(fixedClock(NOW));
  const tested: WarehouseConnection[] = [];
  const tester: ConnectionTester<WarehouseConnection> = {
    test: async (connection) => {
      tested.push(connection);
      return result;
    },
  };
  const handler = createApiHandler({
    deps: async () => ({
      state: new InMemoryStateStore(),
      launcher: new RecordingLauncher(),
      clock: fixedClock(NOW),
      connections: { store, tester, parse: parseConnection },
    }),
  });
  return { store, tested, handler };
}

describe('connection routes', () => {
  it('creates, lists, replaces, moves the default and deletes, never showing the password', async () => {
    // Arrange
    const { handler, store } = arrange();
    // Act
    const created = await call(handler, routeEvent('POST /connections', {}, { body: { gateway: 'Warehouse', yaml: PG_YAML } }));
    const second = await call(handler, routeEvent('PUT /connections/{gateway}', { gateway: 'local' }, { body: { yaml: DUCK_YAML } }));
    const replaced = await call(handler, routeEvent('PUT /connections/{gateway}', { gateway: 'WAREHOUSE' }, { body: { yaml: PG_YAML.replace('analytics', 'sales') } }));
    const moved = await call(handler, routeEvent('POST /connections/{gateway}/default', { gateway: 'local' }));
    const listed = await call(handler, routeEvent('GET /connections'));
    const deleted = await call(handler, routeEvent('DELETE /connections/{gateway}', { gateway: 'warehouse' }));
    const again = await call(handler, routeEvent('DELETE /connections/{gateway}', { gateway: 'warehouse' }));
    // Assert
    const updatedAt = '2026-11-09T06:00:00.000Z';
    const warehouse = { gateway: 'warehouse', type: 'postgres', host: 'db.internal', port: 5432, updatedAt };
    expect([created.statusCode, created.json]).toEqual([201, { ...warehouse, isDefault: true, database: 'analytics' }]);
    expect(second.statusCode).toBe(201);
    expect([replaced.statusCode, replaced.json]).toEqual([200, { ...warehouse, isDefault: true, database: 'sales' }]);
    expect([moved.statusCode, moved.json]).toEqual([200, { gateway: 'local', type: 'duckdb', isDefault: true, host: null, port: null, database: 'w.duckdb', updatedAt }]);
    expect(listed.json).toEqual({
      connections: [
        { gateway: 'local', type: 'duckdb', isDefault: true, host: null, port: null, database: 'w.duckdb', updatedAt },
        { ...warehouse, isDefault: false, database: 'sales' },
      ],
    });
    expect([deleted.statusCode, deleted.json]).toEqual([200, { deleted: 'warehouse' }]);
    expect([again.statusCode, errorOf(again)]).toEqual([404, { code: 'not_found', message: "no connection is saved for gateway 'warehouse'; saved gateways: local" }]);
    for (const r of [created, second, replaced, moved, listed, deleted, again]) expect(JSON.stringify(r.json)).not.toContain(PASSWORD);
    expect((await store.resolve('local')).type).toBe('duckdb');
  });

  it('refuses to create a gateway that exists (409, use PUT)', async () => {
    // Arrange
    const { handler } = arrange();
    await call(handler, routeEvent('POST /connections', {}, { body: { gateway: 'pg', yaml: PG_YAML } }));
    // Act
    const duplicate = await call(handler, routeEvent('POST /connections', {}, { body: { gateway: 'PG', yaml: DUCK_YAML } }));
    // Assert
    expect([duplicate.statusCode, errorOf(duplicate)]).toEqual([
      409,
      { code: 'connection_exists', message: "gateway 'pg' already has a connection; replace it with PUT /connections/pg", field: 'gateway' },
    ]);
  });

  it.each([
    ['a bad gateway name', { gateway: 'no/slash', yaml: DUCK_YAML }, 'invalid_input', 'gateway'],
    ['a missing yaml', { gateway: 'pg' }, 'invalid_input', 'yaml'],
    ['an unknown body field', { gateway: 'pg', yaml: DUCK_YAML, default: true }, 'invalid_input', 'default'],
    ['a YAML bomb', { gateway: 'pg', yaml: `a: &a [x,x,x,x,x,x,x,x,x]\n${'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'}c: [${Array(20).fill('*b').join(',')}]\n` }, 'invalid_input', 'yaml'],
    ['invalid YAML', { gateway: 'pg', yaml: `type: postgres\npassword: "${PASSWORD}\n` }, 'invalid_input', 'yaml'],
    ['an unknown connection field', { gateway: 'pg', yaml: 'type: duckdb\ndatabse: x\n' }, 'invalid_connection', 'yaml'],
    ['a wrong type', { gateway: 'pg', yaml: PG_YAML.replace('port: 5432', 'port: "5432"') }, 'invalid_connection', 'yaml.port'],
    ['an unsupported type', { gateway: 'pg', yaml: 'type: snowflake\n' }, 'unsupported_connection_type', 'yaml.type'],
  ])('answers 400 for %s, naming the field, testing and saving nothing', async (_what, body, code, field) => {
    // Arrange
    const { handler, store, tested } = arrange();
    // Act
    const response = await call(handler, routeEvent('POST /connections', {}, { body }));
    // Assert
    expect([response.statusCode, errorOf(response).code, errorOf(response).field]).toEqual([400, code, field]);
    expect(JSON.stringify(response.json)).not.toContain(PASSWORD);
    expect(tested).toEqual([]);
    await expect(store.list()).resolves.toEqual([]);
  });

  it('answers 400 with the failure reason as code when the test fails, masking the password and saving nothing', async () => {
    // Arrange
    const { handler, store } = arrange({ ok: false, reason: 'authentication_failed', message: `login with ${PASSWORD} refused` });
    // Act
    const response = await call(handler, routeEvent('PUT /connections/{gateway}', { gateway: 'pg' }, { body: { yaml: PG_YAML } }));
    // Assert
    expect([response.statusCode, errorOf(response)]).toEqual([
      400,
      {
        code: 'connection_authentication_failed',
        message: "connection test of gateway 'pg' failed (authentication_failed): login with *** refused; nothing was saved",
        field: 'yaml',
      },
    ]);
    await expect(store.list()).resolves.toEqual([]);
  });

  it('answers 404 for the default of an unknown gateway and 400 for a bad name in the path', async () => {
    const { handler } = arrange();
    const unknown = await call(handler, routeEvent('POST /connections/{gateway}/default', { gateway: 'nope' }));
    const bad = await call(handler, routeEvent('DELETE /connections/{gateway}', { gateway: '-x' }));
    expect([unknown.statusCode, errorOf(unknown).message]).toEqual([404, "no connection is saved for gateway 'nope'; saved gateways: (none)"]);
    expect([bad.statusCode, errorOf(bad).field]).toEqual([400, 'gateway']);
  });

  it('answers 501 when the deployment has no connection store', async () => {
    // Arrange
    const handler = createApiHandler({ deps: async () => ({ state: new InMemoryStateStore(), launcher: new RecordingLauncher(), clock: fixedClock(NOW) }) });
    // Act
    const response = await call(handler, routeEvent('GET /connections'));
    // Assert
    expect([response.statusCode, errorOf(response).code]).toEqual([501, 'not_configured']);
  });
});
