import type { Clock } from '../ports/clock';
import type { ConnectionFields, ConnectionStore, ConnectionSummary, SaveConnectionOptions } from '../ports/connection-store';
import { ConnectionNotFoundError } from './connection-errors';
import { summarizeConnection } from './connection-summary';
import { normalizeGatewayName } from './gateway-name';

/**
 * {@link ConnectionStore} in memory, for tests of code that saves or resolves connections (the API routes,
 * the CLI wiring). Holds connections in plain form: never use it where they would outlive a test. It passes
 * the same contract suite as the file and Secrets Manager stores.
 */
export class InMemoryConnectionStore<C extends ConnectionFields = ConnectionFields> implements ConnectionStore<C> {
  private readonly entries = new Map<string, { connection: C; summary: ConnectionSummary }>();
  private defaultGateway: string | undefined;

  constructor(private readonly clock: Clock) {}

  async save(gatewayName: string, connection: C, options: SaveConnectionOptions = {}): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    if (options.makeDefault || this.defaultGateway === undefined) this.defaultGateway = gateway;
    const summary = summarizeConnection(gateway, connection, { isDefault: this.defaultGateway === gateway, updatedAt: this.clock.nowMs() });
    this.entries.set(gateway, { connection: structuredClone(connection), summary });
    return summary;
  }

  async list(): Promise<ConnectionSummary[]> {
    return this.names().map((gateway) => this.summaryOf(gateway));
  }

  async delete(gatewayName: string): Promise<void> {
    const gateway = normalizeGatewayName(gatewayName);
    if (!this.entries.delete(gateway)) throw new ConnectionNotFoundError(gateway, this.names());
    if (this.defaultGateway === gateway) this.defaultGateway = undefined;
  }

  async setDefault(gatewayName: string): Promise<ConnectionSummary> {
    const gateway = normalizeGatewayName(gatewayName);
    if (!this.entries.has(gateway)) throw new ConnectionNotFoundError(gateway, this.names());
    this.defaultGateway = gateway;
    return this.summaryOf(gateway);
  }

  async resolve(gatewayName?: string): Promise<C> {
    const gateway = gatewayName === undefined ? this.defaultGateway : normalizeGatewayName(gatewayName);
    const entry = gateway === undefined ? undefined : this.entries.get(gateway);
    if (gateway === undefined || !entry) throw new ConnectionNotFoundError(gateway, this.names());
    return structuredClone(entry.connection);
  }

  private names(): string[] {
    return [...this.entries.keys()].sort();
  }

  private summaryOf(gateway: string): ConnectionSummary {
    const { summary } = this.entries.get(gateway) as { summary: ConnectionSummary };
    return { ...summary, isDefault: this.defaultGateway === gateway };
  }
}
