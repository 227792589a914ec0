import { ConnectionInputError, ConnectionTestError } from '../../../shared/src/connections/connection-errors';
import { InMemoryConnectionStore } from '../../../shared/src/connections/in-memory-connection-store';
import { saveTestedConnection } from '../../../shared/src/connections/save-connection';
import { fixedClock } from '../../../shared/src/ports/clock';
import type { ConnectionFields, ConnectionTester, ConnectionTestResult } from '../../../shared/src/ports/connection-store';

const CONNECTION = { type: 'postgres', host: 'db', port: 5432, user: 'u', password: 'Pw-Visible-123', database: 'd' };

/** A tester that answers `result` and records what it was asked. */
function recordingTester(result: ConnectionTestResult): ConnectionTester & { calls: { connection: ConnectionFields; timeoutMs: number }[] } {
  const calls: { connection: ConnectionFields; timeoutMs: number }[] = [];
  return {
    calls,
    test: async (connection, options) => {
      calls.push({ connection, timeoutMs: options.timeoutMs });
      return result;
    },
  };
}

describe('saveTestedConnection', () => {
  it('saves after a passing test with the default 10 s timeout, and returns the summary', async () => {
    // Arrange
    const store = new InMemoryConnectionStore(fixedClock(5));
    const tester = recordingTester({ ok: true, elapsedMs: 3 });
    // Act
    const summary = await saveTestedConnection({ store, tester }, 'PG', CONNECTION);
    // Assert
    expect(tester.calls).toEqual([{ connection: CONNECTION, timeoutMs: 10_000 }]);
    expect(summary).toEqual({ gateway: 'pg', type: 'postgres', isDefault: true, host: 'db', port: 5432, database: 'd', updatedAt: 5 });
    await expect(store.resolve('pg')).resolves.toEqual(CONNECTION);
  });

  it('stores nothing when the test fails, and masks the password even if the tester did not', async () => {
    // Arrange
    const store = new InMemoryConnectionStore(fixedClock(5));
    const tester = recordingTester({ ok: false, reason: 'authentication_failed', message: 'password Pw-Visible-123 refused' });
    // Act
    const saving = saveTestedConnection({ store, tester }, 'pg', CONNECTION, { timeoutMs: 250 });
    // Assert
    await expect(saving).rejects.toThrow(new ConnectionTestError('pg', 'authentication_failed', 'password *** refused'));
    await expect(saving).rejects.toMatchObject({ reason: 'authentication_failed', name: 'ConnectionTestError' });
    expect(tester.calls[0]?.timeoutMs).toBe(250);
    await expect(store.list()).resolves.toEqual([]);
  });

  it('checks the gateway name before connecting anywhere', async () => {
    // Arrange
    const store = new InMemoryConnectionStore(fixedClock(5));
    const tester = recordingTester({ ok: true, elapsedMs: 1 });
    // Act / Assert
    await expect(saveTestedConnection({ store, tester }, 'bad name', CONNECTION)).rejects.toBeInstanceOf(ConnectionInputError);
    expect(tester.calls).toEqual([]);
  });

  it('passes makeDefault through', async () => {
    // Arrange
    const store = new InMemoryConnectionStore(fixedClock(5));
    const tester = recordingTester({ ok: true, elapsedMs: 1 });
    await saveTestedConnection({ store, tester }, 'first', CONNECTION);
    // Act
    await saveTestedConnection({ store, tester }, 'second', CONNECTION, { makeDefault: true });
    // Assert
    expect((await store.list()).map((s) => [s.gateway, s.isDefault])).toEqual([['first', false], ['second', true]]);
  });

  it('says in the error which gateway failed, why, and that nothing was saved', () => {
    expect(new ConnectionTestError('pg', 'timeout', 'no answer within 10000 ms').message).toMatchInlineSnapshot(
      `"connection test of gateway 'pg' failed (timeout): no answer within 10000 ms; nothing was saved"`,
    );
  });
});
