import type { GatewayConfig, ProjectConfig } from '../project/model';
import { SAVED_CONNECTION_SCHEDULER_TYPE } from './constants';

/**
 * True when `gateway` executes on its connection saved with Meshcron instead of the one in config.yaml: its
 * scheduler is `{type: cloud}` (case-insensitive). A gateway's own scheduler wins; without one the config's
 * top-level `scheduler` / `default_scheduler` decides. Such projects keep credentials out of config.yaml.
 *
 * @example
 * usesSavedConnection(config, config.gateways[0]); // true for `scheduler: {type: cloud}`
 */
export function usesSavedConnection(config: ProjectConfig, gateway: GatewayConfig | undefined): boolean {
  return isCloudScheduler(gateway?.scheduler ?? config.scheduler);
}

function isCloudScheduler(scheduler: Readonly<Record<string, unknown>> | undefined): boolean {
  const type = scheduler?.type;
  return typeof type === 'string' && type.toLowerCase() === SAVED_CONNECTION_SCHEDULER_TYPE;
}
