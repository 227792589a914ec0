import type { ConnectionFields, ConnectionStore, ConnectionSummary, ConnectionTester } from '../ports/connection-store';
import { ConnectionTestError } from './connection-errors';
import { DEFAULT_CONNECTION_TEST_TIMEOUT_MS } from './constants';
import { normalizeGatewayName } from './gateway-name';
import { maskSecrets, secretValuesOf } from './secret-values';

/** What {@link saveTestedConnection} works with. */
export interface SaveTestedConnectionDeps<C extends ConnectionFields> {
  readonly store: ConnectionStore<C>;
  readonly tester: ConnectionTester<C>;
}

/** Options of {@link saveTestedConnection}. */
export interface SaveTestedConnectionOptions {
  readonly makeDefault?: boolean;
  /** How long the test may take; default {@link DEFAULT_CONNECTION_TEST_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * Saves a gateway's connection only if it works: the gateway name is checked first (no connection is
 * opened for a name that cannot be saved), then the tester connects and runs `SELECT 1`, and only a passing
 * test reaches the store.
 *
 * @throws ConnectionInputError for a bad gateway name; ConnectionTestError with the failure's reason and a
 *   message masked of every secret value (nothing is stored).
 * @example
 * const saved = await saveTestedConnection({ store, tester }, 'Warehouse', connection, { makeDefault: true });
 */
export async function saveTestedConnection<C extends ConnectionFields>(
  deps: SaveTestedConnectionDeps<C>,
  gatewayName: string,
  connection: C,
  options: SaveTestedConnectionOptions = {},
): Promise<ConnectionSummary> {
  const gateway = normalizeGatewayName(gatewayName);
  const result = await deps.tester.test(connection, { timeoutMs: options.timeoutMs ?? DEFAULT_CONNECTION_TEST_TIMEOUT_MS });
  if (!result.ok) {
    // Testers mask already; masking again here keeps the guarantee even for a careless tester.
    throw new ConnectionTestError(gateway, result.reason, maskSecrets(result.message, secretValuesOf(connection)));
  }
  return deps.store.save(gateway, connection, options.makeDefault ? { makeDefault: true } : {});
}
