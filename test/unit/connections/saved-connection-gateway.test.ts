import { usesSavedConnection } from '../../../shared/src/connections/saved-connection-gateway';
import { parseProjectConfig } from '../../../shared/src/project/project-config';
import { YamlSource } from '../../../shared/src/project/yaml-source';

function decide(configYaml: string): boolean {
  const { config, activeGateway } = parseProjectConfig(YamlSource.parse(`${configYaml}\nmodel_defaults: {dialect: duckdb}\n`, 'config.yaml'));
  return usesSavedConnection(config, activeGateway);
}

describe('usesSavedConnection', () => {
  it.each([
    ['a gateway with scheduler cloud', 'gateways:\n  pg:\n    scheduler: {type: cloud}\n', true],
    ['a gateway with scheduler CLOUD (case-insensitive)', 'gateways:\n  pg:\n    scheduler: {type: CLOUD}\n', true],
    ['a top-level scheduler cloud', 'scheduler: {type: cloud}\ngateways:\n  pg:\n    connection: {type: duckdb}\n', true],
    ['default_scheduler cloud', 'default_scheduler: {type: cloud}\ngateways:\n  pg: {}\n', true],
    ['the builtin scheduler', 'gateways:\n  pg:\n    scheduler: {type: builtin}\n', false],
    ['no scheduler at all', 'gateways:\n  pg:\n    connection: {type: duckdb}\n', false],
    ['a gateway that overrides a cloud top level with builtin', 'scheduler: {type: cloud}\ngateways:\n  pg:\n    scheduler: {type: builtin}\n', false],
  ])('%s → %s', (_what, yaml, expected) => {
    expect(decide(yaml)).toBe(expected);
  });
});
