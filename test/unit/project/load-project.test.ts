import * as path from 'node:path';
import { DuckDbSqlParser } from '../../../functions/adapters/duckdb-sql-parser';
import { loadProject } from '../../../shared/src/project/load-project';
import type { ModelDefinition, Project } from '../../../shared/src/project/model';
import { schedulingParents } from '../../../shared/src/project/scheduling-parents';

const root = path.resolve(__dirname, '../../fixtures/projects/all-kinds');
const parser = new DuckDbSqlParser();
let project: Project;

beforeAll(async () => {
  project = await loadProject(root, { sqlParser: parser });
});
afterAll(() => parser.close());

function model(name: string): ModelDefinition {
  const m = project.models.get(name);
  if (!m) throw new Error(`fixture has no model ${name}`);
  return m;
}

describe('loadProject on a project using every kind', () => {
  it('reads the config: lower-cased gateways, default gateway, variables and target environment', () => {
    // Assert
    expect(project.root).toBe(root);
    expect(project.config).toMatchObject({
      project: 'fixture',
      defaultGateway: 'local',
      defaultTargetEnvironment: 'dev',
      file: 'config.yaml',
      variables: { min_amount: 10, Region: 'US', label: "it's" },
    });
    expect(project.config.gateways.map((g) => [g.name, g.connection?.type, g.variables])).toEqual([
      ['local', 'duckdb', { region: 'EU' }],
      ['other', 'duckdb', {}],
    ]);
    expect(project.config.modelDefaults).toMatchObject({ dialect: 'duckdb', cron_tz: 'America/Chicago' });
  });

  it('loads every enabled model and external model, sorted by name, leaving out disabled ones', () => {
    expect([...project.models.keys()]).toEqual([
      'mart.item_sales',
      'mart.running_total',
      'mart.summary',
      'mart.summary_view',
      'raw.external_events',
      'raw.items',
      'stg.events',
      'stg.items_enriched',
    ]);
  });

  it('reads INCREMENTAL_BY_TIME_RANGE with its time column format, batching and lookback', () => {
    // Act
    const events = model('stg.events');

    // Assert
    expect(events.kind).toEqual({
      name: 'INCREMENTAL_BY_TIME_RANGE',
      timeColumn: 'event_ds',
      timeColumnFormat: '%Y%m%d',
      batchSize: 7,
      batchConcurrency: 2,
      lookback: 2,
      forwardOnly: true,
      disableRestatement: false,
    });
    expect(events).toMatchObject({
      cron: '0 * * * *',
      intervalUnit: 'hour',
      intervalUnitExplicit: false,
      owner: 'toby',
      description: 'Cleaned events, one row per event.',
      tags: ['staging', 'events'],
      grains: ['id', 'event_ds'],
      location: { file: 'models/stg/events.sql', line: 2 },
      queryLocation: { file: 'models/stg/events.sql', line: 20 },
    });
    expect(events.query.startsWith('WITH recent AS (')).toBe(true);
  });

  it('applies model_defaults: start, cron, cron_tz, audits first, pre-statements first, merged property maps', () => {
    // Act
    const events = model('stg.events');
    const summary = model('mart.summary');

    // Assert
    expect(summary).toMatchObject({ start: '2024-01-01', cronTz: 'America/Chicago', dialect: 'duckdb' });
    expect(events.cronTz).toBe('America/Chicago');
    expect(events.audits.map((a) => [a.name, a.args, a.blocking, a.location.file])).toEqual([
      ['number_of_rows', { threshold: '1' }, undefined, 'config.yaml'],
      ['assert_positive', { column: 'amount' }, undefined, 'models/stg/events.sql'],
      ['not_null', { columns: '[id]' }, false, 'models/stg/events.sql'],
    ]);
    expect(events.preStatements).toEqual([{ sql: 'SET threads = 2', location: { file: 'config.yaml', line: 29 } }]);
    // `retention = NULL` in the model removes the default retention.
    expect(events.otherProperties).toEqual({
      physical_properties: "(format = 'parquet')",
      'kind.on_destructive_change': "'warn'",
    });
    expect(summary.otherProperties).toEqual({ physical_properties: '(retention = 7)' });
  });

  it("lets a model's cron_tz 'UTC' override the default zone, and reads start/end", () => {
    // Act
    const sales = model('mart.item_sales');

    // Assert
    expect(sales.cronTz).toBeUndefined();
    expect(sales).toMatchObject({ start: '2024-02-01', end: '2024-12-31', intervalUnit: 'day' });
  });

  it('reads INCREMENTAL_BY_UNIQUE_KEY with multi-clause when_matched, merge_filter, statements and inline audits', () => {
    // Act
    const sales = model('mart.item_sales');

    // Assert
    expect(sales.kind).toEqual({
      name: 'INCREMENTAL_BY_UNIQUE_KEY',
      uniqueKey: ['item_id', 'ds'],
      whenMatched: 'WHEN MATCHED THEN UPDATE SET target.total = source.total, target.cnt = source.cnt',
      mergeFilter: "source.ds > '2024-01-01'",
      batchSize: 3,
      lookback: 0,
      forwardOnly: false,
      disableRestatement: false,
    });
    expect(sales.preStatements.map((s) => [s.sql, s.location.line])).toEqual([
      ['SET threads = 2', 29],
      ['@DEF(threshold, 5)', 15],
      ['CREATE TEMP TABLE IF NOT EXISTS scratch AS SELECT 1 AS x', 17],
    ]);
    expect(sales.postStatements.map((s) => [s.sql, s.location.line])).toEqual([['DROP TABLE IF EXISTS scratch', 31]]);
    expect(sales.inlineAudits).toEqual([
      {
        name: 'positive_total',
        query: 'SELECT * FROM @this_model WHERE total <= 0',
        blocking: true,
        skip: false,
        defaults: {},
        location: { file: 'models/mart/item_sales.sql', line: 33 },
      },
    ]);
    expect(sales.audits.map((a) => a.name)).toEqual(['number_of_rows', 'unique_values', 'positive_total']);
  });

  it('reads a SEED with its resolved path, csv settings, batch size and declared columns', () => {
    // Act
    const items = model('raw.items');

    // Assert
    expect(items.kind).toEqual({
      name: 'SEED',
      path: path.join(root, 'seeds', 'items.csv'),
      relativePath: 'seeds/items.csv',
      csvSettings: { delimiter: ';', quotechar: '"', header: true },
      batchSize: 500,
    });
    expect(items.columns).toEqual([
      { name: 'id', type: 'INT' },
      { name: 'name', type: 'TEXT' },
      { name: 'price', type: 'DECIMAL(10, 2)' },
    ]);
    expect(items.query).toBe('');
  });

  it('reads VIEW, FULL and EMBEDDED models, a quoted name and a per-model gateway', () => {
    // Assert
    expect(model('mart.summary_view')).toMatchObject({
      kind: { name: 'VIEW', materialized: true },
      gateway: 'other',
      query: 'FROM mart.summary SELECT *',
      onVirtualUpdate: [{ sql: 'GRANT SELECT ON @this_model TO reporting', location: { file: 'models/mart/summary_view.sql', line: 10 } }],
    });
    expect(model('mart.summary')).toMatchObject({
      kind: { name: 'FULL' },
      cron: '0 6 * * 1',
      intervalUnit: 'day',
      description: 'Weekly summary',
    });
    expect(model('stg.items_enriched').kind).toEqual({ name: 'EMBEDDED' });
    expect(model('mart.running_total')).toMatchObject({ intervalUnit: 'hour', intervalUnitExplicit: true });
  });

  it('reads external models for the active gateway only, with their columns', () => {
    // Assert
    expect(model('raw.external_events')).toMatchObject({
      kind: { name: 'EXTERNAL' },
      description: 'Events landed by another system',
      columns: [
        { name: 'id', type: 'INT' },
        { name: 'ds', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(10, 2)' },
      ],
      location: { file: 'external_models.yaml', line: 1 },
    });
    expect(project.models.has('raw.other_only')).toBe(false);
  });

  it('derives dependencies from the queries: CTEs dropped, depends_on added, self-references flagged', () => {
    // Assert
    expect(
      [...project.models.values()].map((m) => [m.name, m.dependsOn, m.dependsOnSelf, m.explicitDependsOn]),
    ).toEqual([
      ['mart.item_sales', ['stg.events', 'stg.items_enriched'], false, []],
      ['mart.running_total', ['mart.item_sales'], true, []],
      ['mart.summary', ['mart.item_sales', 'stg.events'], false, ['stg.events']],
      ['mart.summary_view', ['mart.summary'], false, []],
      ['raw.external_events', [], false, []],
      ['raw.items', [], false, []],
      ['stg.events', ['raw.external_events'], false, []],
      ['stg.items_enriched', ['raw.items'], false, []],
    ]);
  });

  it('reads audit definitions from audits/ with blocking flags and defaults', () => {
    // Assert
    expect([...project.audits.values()]).toEqual([
      {
        name: 'assert_positive',
        query: 'SELECT * FROM @this_model WHERE @column < 0',
        blocking: false,
        skip: false,
        defaults: { column: 'amount' },
        location: { file: 'audits/audits.sql', line: 1 },
      },
      {
        name: 'positive_ids',
        query: 'SELECT * FROM @this_model WHERE id <= 0',
        blocking: true,
        skip: false,
        defaults: {},
        location: { file: 'audits/audits.sql', line: 9 },
      },
    ]);
  });

  it('resolves scheduling parents through EMBEDDED models', () => {
    // Assert: item_sales reads stg.items_enriched (EMBEDDED), which reads raw.items
    expect(model('mart.item_sales').dependsOn).toContain('stg.items_enriched');
    expect(schedulingParents(project, 'mart.item_sales')).toEqual(['raw.items', 'stg.events']);
    expect(schedulingParents(project, 'mart.summary_view')).toEqual(['mart.summary']);
  });
});
