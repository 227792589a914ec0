import { rmSync, writeFileSync } from 'node:fs';
import { DuckDbSqlParser } from '../../../functions/adapters/duckdb-sql-parser';
import { loadProject } from '../../../shared/src/project/load-project';
import type { Project } from '../../../shared/src/project/model';
import { ProjectWriter } from './project-writer';

const parser = new DuckDbSqlParser();
const writer = new ProjectWriter();
afterAll(async () => {
  await parser.close();
  writer.cleanup();
});

async function load(files: Record<string, string>, gateway?: string): Promise<Project> {
  return loadProject(writer.write(files), { sqlParser: parser }, gateway === undefined ? {} : { gateway });
}

const QUERY = 'SELECT 1 AS id, CAST(NULL AS DATE) AS ds';

describe('project config', () => {
  it('accepts unknown top-level keys and a single unnamed gateway, and defaults the target environment', async () => {
    // Act
    const project = await load({
      'config.yaml': 'linter: {enabled: true}\nui: {format_on_save: false}\ngateways:\n  connection: {type: duckdb}\nmodel_defaults: {dialect: DuckDB}\n',
      'models/m.sql': `MODEL (name db.m);\n${QUERY}`,
    });

    // Assert
    expect(project.config.gateways).toEqual([{ name: '', connection: { type: 'duckdb' }, variables: {} }]);
    expect(project.config.defaultGateway).toBe('');
    expect(project.config.defaultTargetEnvironment).toBe('prod');
    expect(project.models.get('db.m')).toMatchObject({ dialect: 'duckdb', kind: { name: 'VIEW', materialized: false } });
  });

  it('rejects two config files as ambiguous', async () => {
    // Act
    const error = await load({ 'sqlmesh.yml': 'model_defaults: {dialect: duckdb}\n' }).catch((e: unknown) => e as Error);

    // Assert
    expect((error as Error).message).toBe('sqlmesh.yml:1: several config files found (config.yaml, sqlmesh.yml); keep only one');
  });

  it('reads sqlmesh.yaml when it is the only config, accepting cloud schedulers at top level and per gateway', async () => {
    // Arrange
    const root = writer.write({ 'models/m.sql': `MODEL (name db.m);\n${QUERY}` });
    rmSync(`${root}/config.yaml`);
    writeFileSync(
      `${root}/sqlmesh.yaml`,
      'scheduler: {type: cloud}\ngateways:\n  Prod:\n    scheduler: {type: cloud}\n    connection: {type: duckdb}\nmodel_defaults: {dialect: duckdb}\nsnapshot_ttl: in 1 week\n',
    );

    // Act
    const project = await loadProject(root, { sqlParser: parser });

    // Assert
    expect(project.config.file).toBe('sqlmesh.yaml');
    expect(project.config.scheduler).toEqual({ type: 'cloud' });
    expect(project.config.gateways[0]).toMatchObject({ name: 'prod', scheduler: { type: 'cloud' } });
  });

  it('applies kind, batch_concurrency, interval_unit, allow_partials and owner from model_defaults', async () => {
    // Act
    const project = await load({
      'config.yaml': [
        'model_defaults:',
        '  dialect: duckdb',
        "  cron: '@hourly'",
        '  kind:',
        '    name: incremental_by_time_range',
        '    time_column: ds',
        '    lookback: 1',
        '  batch_concurrency: 3',
        '  interval_unit: hour',
        '  allow_partials: true',
        '  owner: data-team',
        'time_column_format: "%Y%m%d"',
      ].join('\n'),
      'models/m.sql': `MODEL (name db.m);\n${QUERY}`,
      'models/f.sql': `MODEL (name db.f, kind FULL, interval_unit 'day');\n${QUERY}`,
    });

    // Assert
    expect(project.models.get('db.m')).toMatchObject({
      kind: {
        name: 'INCREMENTAL_BY_TIME_RANGE',
        timeColumn: 'ds',
        timeColumnFormat: '%Y%m%d',
        lookback: 1,
        batchConcurrency: 3,
      },
      cron: '@hourly',
      intervalUnit: 'hour',
      intervalUnitExplicit: true,
      allowPartials: true,
      owner: 'data-team',
    });
    // allow_partials from the defaults lets the FULL model use a unit coarser than its cron.
    expect(project.models.get('db.f')).toMatchObject({ kind: { name: 'FULL' }, intervalUnit: 'day' });
  });

  it('merges the selected gateway’s model_defaults and variables (used in rendering) over the root ones', async () => {
    // Arrange
    const files = {
      'config.yaml': [
        'gateways:',
        '  dev:',
        '    variables: {schema_suffix: _dev}',
        '  prod:',
        '    variables: {schema_suffix: "", Region: us}',
        '    model_defaults: {cron: "@hourly"}',
        'default_gateway: dev',
        'variables: {schema_suffix: _root, Tenant: acme}',
        'model_defaults: {dialect: duckdb}',
      ].join('\n'),
      'models/m.sql': "MODEL (name db.m, kind FULL);\nSELECT @tenant AS tenant, @VAR('schema_suffix') AS suffix, @gateway AS gw, @region AS region",
    };

    // Act
    const dev = await load({ ...files, 'models/m.sql': files['models/m.sql'].replace(', @region AS region', '') });
    const devWithRegion = await load(files).catch((e: unknown) => e as Error);
    const prod = await load(files, 'PROD');

    // Assert
    expect(dev.config.defaultGateway).toBe('dev');
    expect(dev.models.get('db.m')?.cron).toBe('@daily');
    expect((devWithRegion as Error).message).toMatch(/^models\/m\.sql:2: macro variable 'region' is undefined/);
    expect(prod.config.defaultGateway).toBe('prod');
    expect(prod.models.get('db.m')?.cron).toBe('@hourly');
    expect(prod.config.modelDefaults).toEqual({ dialect: 'duckdb', cron: '@hourly' });
  });

  it('names models from their path with model_naming.infer_names, and reads $root/ seed paths', async () => {
    // Act
    const project = await load({
      'config.yaml': 'model_naming: {infer_names: true}\nmodel_defaults: {dialect: duckdb}\n',
      'models/sales/orders.sql': `MODEL (kind FULL);\n${QUERY}`,
      'models/sales/deep/items.sql': "MODEL (kind SEED (path '$root/data/items.csv'));",
      'data/items.csv': 'id\n1\n',
    });

    // Assert
    expect([...project.models.keys()]).toEqual(['deep.items', 'sales.orders']);
    expect(project.models.get('deep.items')?.kind).toMatchObject({ name: 'SEED', relativePath: 'data/items.csv' });
  });

  it('reads external models from schema.yaml and external_models/*.yaml', async () => {
    // Act
    const project = await load({
      'schema.yaml': '- name: raw.a\n',
      'external_models/more.yaml': '- name: raw.b\n  columns: {id: BIGINT}\n',
      'models/m.sql': 'MODEL (name db.m, kind FULL);\nSELECT * FROM raw.a JOIN raw.b USING (id)',
    });

    // Assert
    expect(project.models.get('db.m')?.dependsOn).toEqual(['raw.a', 'raw.b']);
    expect(project.models.get('raw.b')?.columns).toEqual([{ name: 'id', type: 'BIGINT' }]);
  });
});
