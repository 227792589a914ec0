import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { LocalConnectionStore } from '../../functions/adapters/connection-local-store';
import { WarehouseConnectionTester } from '../../functions/adapters/connection-tester';
import { parseConnection } from '../../functions/adapters/warehouse-connection';
import { ConnectionTestError } from '../../shared/src/connections/connection-errors';
import { describeConnection, describeLocation } from '../../shared/src/connections/connection-summary';
import { parseConnectionYaml } from '../../shared/src/connections/connection-yaml';
import { DEFAULT_CONNECTION_TEST_TIMEOUT_MS } from '../../shared/src/connections/constants';
import { normalizeGatewayName } from '../../shared/src/connections/gateway-name';
import { saveTestedConnection } from '../../shared/src/connections/save-connection';
import type { ConnectionSummary } from '../../shared/src/ports/connection-store';
import { formatInstant } from '../format';
import type { GlobalOptions } from './context';
import { printJson } from './plan';
import { readConnectionInput } from './connection-input';

/** Options of `meshcron connection add`. */
export interface ConnectionAddOptions extends GlobalOptions {
  /** Path of the connection YAML, or `-` for standard input. */
  readonly file: string;
  readonly default?: boolean;
  /** Seconds the connection test may take. */
  readonly timeout?: number;
}

/**
 * `meshcron connection add <gateway> --file conn.yaml [--default]`: validates the YAML (SQLMesh's connection
 * format), tests the connection, and only then saves it encrypted. A failed test saves nothing and exits 1;
 * bad input exits 2 (through the CLI's error handler) with the field named.
 */
export async function connectionAddCommand(gatewayArg: string, options: ConnectionAddOptions): Promise<number> {
  const root = path.resolve(options.project);
  const gateway = normalizeGatewayName(gatewayArg);
  const text = await readConnectionInput(options.file);
  const connection = parseConnection(parseConnectionYaml(text, '--file'), gateway);
  const store = new LocalConnectionStore({ root });
  const timeoutMs = options.timeout === undefined ? DEFAULT_CONNECTION_TEST_TIMEOUT_MS : options.timeout * 1000;
  let saved: ConnectionSummary;
  try {
    saved = await saveTestedConnection({ store, tester: new WarehouseConnectionTester({ root }) }, gateway, connection, {
      ...(options.default ? { makeDefault: true } : {}),
      timeoutMs,
    });
  } catch (error) {
    if (!(error instanceof ConnectionTestError)) throw error;
    if (options.json) printJson({ saved: false, gateway: error.gateway, reason: error.reason, message: error.message });
    else process.stderr.write(`✘ ${error.message}\n`);
    return 1;
  }
  if (options.json) {
    printJson({ saved: true, connection: present(saved) });
  } else {
    const where = path.relative(process.cwd(), store.connectionsFile) || store.connectionsFile;
    console.log(`✔ Connection of gateway '${saved.gateway}' (${describeConnection(saved)}) tested and saved encrypted in ${where}.`);
    console.log(saved.isDefault ? '  It is the default connection.' : `  Make it the default with: meshcron connection default ${saved.gateway}`);
  }
  return 0;
}

/** `meshcron connection list`: gateway, type, where, default and last change; never a secret. */
export async function connectionListCommand(options: GlobalOptions): Promise<number> {
  const connections = await new LocalConnectionStore({ root: path.resolve(options.project) }).list();
  if (options.json) {
    printJson({ connections: connections.map(present) });
    return 0;
  }
  if (connections.length === 0) {
    console.log('No connections saved. Add one with: meshcron connection add <gateway> --file conn.yaml');
    return 0;
  }
  const rows = connections.map((c) => [c.gateway, c.type, describeLocation(c) || '—', c.isDefault ? 'yes' : '', formatInstant(c.updatedAt)]);
  const header = ['GATEWAY', 'TYPE', 'WHERE', 'DEFAULT', 'UPDATED (UTC)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  return 0;
}

/** `meshcron connection delete <gateway>`. */
export async function connectionDeleteCommand(gatewayArg: string, options: GlobalOptions): Promise<number> {
  const store = new LocalConnectionStore({ root: path.resolve(options.project) });
  const gateway = normalizeGatewayName(gatewayArg);
  const wasDefault = (await store.list()).some((c) => c.gateway === gateway && c.isDefault);
  await store.delete(gateway);
  if (options.json) {
    printJson({ deleted: gateway });
  } else {
    console.log(`✔ Deleted the connection of gateway '${gateway}'.`);
    if (wasDefault) console.log('  No default connection is set now; choose one with: meshcron connection default <gateway>');
  }
  return 0;
}

/** `meshcron connection default <gateway>`. */
export async function connectionDefaultCommand(gatewayArg: string, options: GlobalOptions): Promise<number> {
  const saved = await new LocalConnectionStore({ root: path.resolve(options.project) }).setDefault(gatewayArg);
  if (options.json) printJson({ connection: present(saved) });
  else console.log(`✔ Gateway '${saved.gateway}' (${describeConnection(saved)}) is now the default connection.`);
  return 0;
}

/** A summary for JSON output: the time as an ISO instant. */
function present(summary: ConnectionSummary): Record<string, unknown> {
  return { ...summary, updatedAt: new Date(summary.updatedAt).toISOString() };
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError('must be a number of seconds between 0 and 600');
  return n;
}

/**
 * Adds `connection add|list|delete|default` to the CLI. `finish` is the CLI's exit-code and error handler
 * (known errors exit 2 with their message).
 */
export function registerConnectionCommands(
  program: Command,
  finish: (result: Promise<number>) => Promise<void>,
): void {
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const connection = program
    .command('connection')
    .description('warehouse connections saved encrypted for this project: tested before saving, never shown again');
  connection
    .command('add <gateway>')
    .description("test a gateway's connection (YAML in SQLMesh's connection format) and save it encrypted")
    .requiredOption('-f, --file <path>', "connection YAML, or '-' for standard input")
    .option('--default', 'make it the default connection')
    .option('--timeout <seconds>', 'how long the connection test may take', positiveSeconds, DEFAULT_CONNECTION_TEST_TIMEOUT_MS / 1000)
    .action(async (gateway: string, opts: Omit<ConnectionAddOptions, keyof GlobalOptions>) =>
      finish(connectionAddCommand(gateway, { ...globals(), ...opts })),
    );
  connection
    .command('list')
    .description('saved connections: gateway, type, host, port, database; never a password')
    .action(async () => finish(connectionListCommand(globals())));
  connection
    .command('delete <gateway>')
    .description("delete a gateway's saved connection")
    .action(async (gateway: string) => finish(connectionDeleteCommand(gateway, globals())));
  connection
    .command('default <gateway>')
    .description('use this gateway when none is named')
    .action(async (gateway: string) => finish(connectionDefaultCommand(gateway, globals())));
}
