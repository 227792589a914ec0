import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WarehouseConnectionTester } from '../../functions/adapters/connection-tester';
import { openDuckDbWarehouse } from '../../functions/adapters/duckdb-warehouse';
import type { PostgresConnection } from '../../functions/adapters/warehouse-connection';
import { type PostgresCluster, startPostgresCluster } from '../support/postgres-cluster';

/**
 * The connection tester against a real PostgreSQL cluster with scram password authentication (so a wrong
 * password is really refused), a port with nothing listening, a server that never answers, and DuckDB paths.
 */

let cluster: PostgresCluster;
let root: string;
let tester: WarehouseConnectionTester;
let blackHole: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
  root = await mkdtemp(path.join(tmpdir(), 'meshcron-tester-'));
  tester = new WarehouseConnectionTester({ root });
  // Accepts TCP connections and never says a word: a firewall that lets SYN through and drops the rest.
  blackHole = createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole?.close(resolve));
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
});

const WRONG_PASSWORD = 'Wrong-Password-4711';

function postgres(overrides: Partial<PostgresConnection> = {}): PostgresConnection {
  return { type: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database, sslmode: 'disable', ...overrides };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('WarehouseConnectionTester on PostgreSQL', () => {
  it('passes for the right credentials', async () => {
    // Act
    const result = await tester.test(postgres(), { timeoutMs: 10_000 });
    // Assert
    expect(result).toEqual({ ok: true, elapsedMs: expect.any(Number) });
  });

  it('reports a wrong password as authentication_failed, quoting neither password', async () => {
    // Act
    const result = await tester.test(postgres({ password: WRONG_PASSWORD }), { timeoutMs: 10_000 });
    // Assert
    expect(result).toMatchObject({ ok: false, reason: 'authentication_failed' });
    const message = result.ok ? '' : result.message;
    expect(message).toContain('password authentication failed');
    expect(message).not.toContain(WRONG_PASSWORD);
    expect(message).not.toContain(cluster.password);
  });

  it('reports an unknown user as authentication_failed', async () => {
    const result = await tester.test(postgres({ user: 'nobody_here' }), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, reason: 'authentication_failed' });
  });

  it('reports a database that does not exist as database_missing', async () => {
    const result = await tester.test(postgres({ database: 'no_such_db' }), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, reason: 'database_missing' });
    expect(result.ok ? '' : result.message).toContain('"no_such_db" does not exist');
  });

  it('reports a port with nothing listening as host_unreachable', async () => {
    const result = await tester.test(postgres({ port: await freePort() }), { timeoutMs: 10_000 });
    expect(result).toEqual({ ok: false, reason: 'host_unreachable', message: 'PostgreSQL: cannot use the server connection: connection refused (ECONNREFUSED)' });
  });

  it('reports a host name that does not resolve as host_unreachable', async () => {
    const result = await tester.test(postgres({ host: 'meshcron-no-such-host.invalid' }), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, reason: 'host_unreachable' });
  });

  it('gives up on a server that never answers after the timeout', async () => {
    // Arrange
    const address = blackHole.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = performance.now();
    // Act
    const result = await tester.test(postgres({ port }), { timeoutMs: 400 });
    // Assert
    expect(result).toEqual({ ok: false, reason: 'timeout', message: `no answer from 127.0.0.1:${port} within 400 ms` });
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('reports TLS demanded of a server without it as invalid_config', async () => {
    const result = await tester.test(postgres({ sslmode: 'require' }), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_config' });
  });

  it('reports a role the user cannot take as invalid_config', async () => {
    const result = await tester.test(postgres({ role: 'no_such_role' }), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_config' });
    expect(result.ok ? '' : result.message).toContain('no_such_role');
  });
});

describe('WarehouseConnectionTester on DuckDB', () => {
  it('passes for a creatable path and leaves neither the file nor its new folders behind', async () => {
    // Act
    const result = await tester.test({ type: 'duckdb', database: 'new/deeper/w.duckdb' }, { timeoutMs: 10_000 });
    // Assert
    expect(result).toMatchObject({ ok: true });
    expect(await readdir(root)).not.toContain('new');
  });

  it('passes for an existing database and keeps it', async () => {
    // Arrange
    const file = path.join(root, 'kept.duckdb');
    const warehouse = await openDuckDbWarehouse({ database: file });
    await warehouse.execute('CREATE TABLE t AS SELECT 1 AS x');
    await warehouse.close();
    // Act
    const result = await tester.test({ type: 'duckdb', database: 'kept.duckdb' }, { timeoutMs: 10_000 });
    // Assert
    expect(result).toMatchObject({ ok: true });
    const reopened = await openDuckDbWarehouse({ database: file });
    await expect(reopened.query('SELECT x FROM t')).resolves.toEqual([{ x: 1 }]);
    await reopened.close();
  });

  it('passes for an in-memory database', async () => {
    await expect(tester.test({ type: 'duckdb' }, { timeoutMs: 10_000 })).resolves.toMatchObject({ ok: true });
  });

  it('refuses a path under a regular file as invalid_config', async () => {
    // Arrange
    await writeFile(path.join(root, 'plain.txt'), 'x');
    // Act
    const result = await tester.test({ type: 'duckdb', database: 'plain.txt/w.duckdb' }, { timeoutMs: 10_000 });
    // Assert
    expect(result).toEqual({ ok: false, reason: 'invalid_config', message: "database path 'plain.txt/w.duckdb' cannot be created: part of the path is a file, not a folder (EEXIST)" });
  });

  it('refuses a path that is a folder as invalid_config', async () => {
    const result = await tester.test({ type: 'duckdb', database: '.' }, { timeoutMs: 10_000 });
    expect(result).toEqual({ ok: false, reason: 'invalid_config', message: "database path '.' is not a file" });
  });
});
