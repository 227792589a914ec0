import { ConnectionInputError, ConnectionNotFoundError } from '../../../../shared/src/connections/connection-errors';
import type { Clock } from '../../../../shared/src/ports/clock';
import type { ConnectionStore } from '../../../../shared/src/ports/connection-store';
import type { DuckDbConnection, PostgresConnection, WarehouseConnection } from '../../../../functions/adapters/warehouse-connection';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
}

/** A store under test and how to dispose of it. */
export interface StoreUnderTest {
  readonly store: ConnectionStore<WarehouseConnection>;
  cleanup(): Promise<void>;
}

export const T0 = Date.UTC(2026, 10, 8, 6, 0, 0);
export const PASSWORD = 'Hunter2-Contract-Pw';
export const POSTGRES: PostgresConnection = {
  type: 'postgres',
  host: 'db.internal',
  port: 5432,
  user: 'meshcron',
  password: PASSWORD,
  database: 'analytics',
  sslmode: 'verify-full',
};
export const DUCKDB: DuckDbConnection = { type: 'duckdb', database: 'local.duckdb' };

/**
 * One behaviour for every ConnectionStore: in memory, the encrypted file store, and Secrets Manager (on a
 * stateful fake). The in-memory store is trusted in API tests only because it passes this same suite.
 */
export function describeConnectionStoreContract(name: string, open: (clock: ManualClock) => Promise<StoreUnderTest>): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    let clock: ManualClock;
    let subject: StoreUnderTest;
    let store: ConnectionStore<WarehouseConnection>;

    beforeEach(async () => {
      clock = new ManualClock(T0);
      subject = await open(clock);
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('starts empty, and resolving the default then says no gateway is saved', async () => {
      // Act / Assert
      await expect(store.list()).resolves.toEqual([]);
      await expect(store.resolve()).rejects.toThrow(new ConnectionNotFoundError(undefined, []));
    });

    it('lists a saved connection by its public fields only and makes the first one the default', async () => {
      // Act
      const saved = await store.save('pg', POSTGRES);
      // Assert
      const summary = { gateway: 'pg', type: 'postgres', isDefault: true, host: 'db.internal', port: 5432, database: 'analytics', updatedAt: T0 };
      expect(saved).toEqual(summary);
      await expect(store.list()).resolves.toEqual([summary]);
      expect(JSON.stringify(await store.list())).not.toContain(PASSWORD);
    });

    it('resolves exactly the connection that was saved, by gateway or as the default', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      // Act / Assert
      await expect(store.resolve('pg')).resolves.toEqual(POSTGRES);
      await expect(store.resolve()).resolves.toEqual(POSTGRES);
    });

    it('treats gateway names case-insensitively, storing them lower-cased', async () => {
      // Arrange
      await store.save('Warehouse_PG', POSTGRES);
      // Act / Assert
      await expect(store.resolve('WAREHOUSE_pg')).resolves.toEqual(POSTGRES);
      expect((await store.list()).map((s) => s.gateway)).toEqual(['warehouse_pg']);
    });

    it.each([
      ['empty', ''],
      ['a leading dash', '-pg'],
      ['a slash', 'a/b'],
      ['a dot', 'a.b'],
      ['64 characters', 'g'.repeat(64)],
    ])('refuses a gateway name with %s, naming the field and saving nothing', async (_what, gateway) => {
      // Act
      const saving = store.save(gateway, POSTGRES);
      // Assert
      await expect(saving).rejects.toBeInstanceOf(ConnectionInputError);
      await expect(saving).rejects.toMatchObject({ field: 'gateway' });
      await expect(store.list()).resolves.toEqual([]);
    });

    it('accepts names that are object keys in JavaScript (__proto__, constructor) like any other', async () => {
      // Act
      await store.save('__proto__', DUCKDB);
      await store.save('constructor', POSTGRES);
      // Assert
      expect((await store.list()).map((s) => s.gateway)).toEqual(['__proto__', 'constructor']);
      await expect(store.resolve('__proto__')).resolves.toEqual(DUCKDB);
      await expect(store.resolve('toString')).rejects.toBeInstanceOf(ConnectionNotFoundError);
    });

    it('keeps the default when another gateway is saved, and moves it with makeDefault', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      clock.ms += 1_000;
      await store.save('local', DUCKDB);
      // Act
      const before = await store.list();
      clock.ms += 1_000;
      await store.save('other', DUCKDB, { makeDefault: true });
      // Assert
      expect(before.map((s) => [s.gateway, s.isDefault])).toEqual([['local', false], ['pg', true]]);
      expect((await store.list()).map((s) => [s.gateway, s.isDefault])).toEqual([['local', false], ['other', true], ['pg', false]]);
      await expect(store.resolve()).resolves.toEqual(DUCKDB);
    });

    it('sets the default of a saved gateway and refuses an unknown one, listing the saved gateways', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      await store.save('local', DUCKDB);
      // Act
      const summary = await store.setDefault('LOCAL');
      // Assert
      expect(summary).toMatchObject({ gateway: 'local', isDefault: true });
      expect((await store.list()).filter((s) => s.isDefault).map((s) => s.gateway)).toEqual(['local']);
      await expect(store.resolve()).resolves.toEqual(DUCKDB);
      await expect(store.setDefault('nope')).rejects.toThrow("no connection is saved for gateway 'nope'; saved gateways: local, pg");
    });

    it('replaces a saved connection, including its public fields and time', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      clock.ms += 60_000;
      // Act
      await store.save('pg', DUCKDB);
      // Assert
      await expect(store.list()).resolves.toEqual([{ gateway: 'pg', type: 'duckdb', isDefault: true, database: 'local.duckdb', updatedAt: T0 + 60_000 }]);
      await expect(store.resolve('pg')).resolves.toEqual(DUCKDB);
    });

    it('deletes a connection; deleting the default leaves no default', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      await store.save('local', DUCKDB);
      // Act
      await store.delete('PG');
      // Assert
      await expect(store.list()).resolves.toEqual([expect.objectContaining({ gateway: 'local', isDefault: false })]);
      await expect(store.resolve('pg')).rejects.toThrow("no connection is saved for gateway 'pg'; saved gateways: local");
      await expect(store.resolve()).rejects.toThrow('no default gateway connection is set; saved gateways: local');
      await expect(store.delete('pg')).rejects.toBeInstanceOf(ConnectionNotFoundError);
    });

    it('saves a gateway again after it was deleted', async () => {
      // Arrange
      await store.save('pg', POSTGRES);
      await store.delete('pg');
      // Act
      await store.save('pg', { ...POSTGRES, database: 'other' });
      // Assert
      await expect(store.resolve('pg')).resolves.toEqual({ ...POSTGRES, database: 'other' });
      expect(await store.list()).toEqual([expect.objectContaining({ gateway: 'pg', database: 'other', isDefault: true })]);
    });

    it('lists connections sorted by gateway name', async () => {
      // Arrange
      for (const gateway of ['zeta', 'alpha', 'mid', '0first', '_under']) await store.save(gateway, DUCKDB);
      // Act / Assert
      expect((await store.list()).map((s) => s.gateway)).toEqual(['0first', '_under', 'alpha', 'mid', 'zeta']);
    });
  });
}
