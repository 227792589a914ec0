import type { ModelDefinition, ModelKind } from '../../../shared/src/project/model';
import {
  dependsOnPast,
  effectiveBatchConcurrency,
  isEvaluatable,
  schedulingModelOf,
} from '../../../shared/src/schedule/scheduling-model';

function definition(kind: ModelKind, overrides: Partial<ModelDefinition> = {}): ModelDefinition {
  return {
    name: 'db.orders',
    kind,
    dialect: 'duckdb',
    cron: '@hourly',
    cronTz: 'Europe/Berlin',
    intervalUnit: 'hour',
    intervalUnitExplicit: false,
    start: '2024-01-01',
    allowPartials: false,
    enabled: true,
    tags: [],
    grains: [],
    query: 'SELECT 1',
    preStatements: [],
    postStatements: [],
    onVirtualUpdate: [],
    explicitDependsOn: [],
    dependsOn: ['db.raw'],
    dependsOnSelf: false,
    audits: [],
    inlineAudits: [],
    otherProperties: {},
    location: { file: 'models/orders.sql', line: 1 },
    ...overrides,
  };
}

describe('schedulingModelOf', () => {
  it('carries the scheduling fields of an INCREMENTAL_BY_TIME_RANGE model', () => {
    // Arrange
    const def = definition({
      name: 'INCREMENTAL_BY_TIME_RANGE',
      timeColumn: 'ts',
      timeColumnFormat: '%Y-%m-%d',
      batchSize: 24,
      batchConcurrency: 4,
      lookback: 2,
      forwardOnly: false,
      disableRestatement: true,
    });
    // Act
    const m = schedulingModelOf(def);
    // Assert
    expect(m).toEqual({
      name: 'db.orders',
      kind: 'INCREMENTAL_BY_TIME_RANGE',
      cron: '@hourly',
      cronTz: 'Europe/Berlin',
      intervalUnit: 'hour',
      start: '2024-01-01',
      allowPartials: false,
      lookback: 2,
      batchSize: 24,
      batchConcurrency: 4,
      dependsOnSelf: false,
      hasAudits: false,
      parents: ['db.raw'],
      disableRestatement: true,
    });
    expect(dependsOnPast(m)).toBe(false);
  });

  it('runs INCREMENTAL_BY_UNIQUE_KEY one batch at a time and ignores a seed\'s CSV batch size', () => {
    const unique = schedulingModelOf(
      definition({ name: 'INCREMENTAL_BY_UNIQUE_KEY', uniqueKey: ['id'], lookback: 0, forwardOnly: false, disableRestatement: false }),
    );
    const seed = schedulingModelOf(
      definition({
        name: 'SEED',
        path: '/p/seeds/x.csv',
        relativePath: 'seeds/x.csv',
        csvSettings: { delimiter: ',', quotechar: '"', header: true },
        batchSize: 1000,
      }),
    );
    expect(unique.batchConcurrency).toBe(1);
    expect(dependsOnPast(unique)).toBe(true);
    expect(seed.batchSize).toBeUndefined();
  });

  it('treats FULL, VIEW and self-referencing models as depends-on-past, and audited externals as evaluatable', () => {
    const full = schedulingModelOf(definition({ name: 'FULL' }));
    const selfRef = schedulingModelOf(
      definition(
        { name: 'INCREMENTAL_BY_TIME_RANGE', timeColumn: 'ts', timeColumnFormat: '%Y-%m-%d', lookback: 0, forwardOnly: false, disableRestatement: false },
        { dependsOnSelf: true },
      ),
    );
    const external = schedulingModelOf(
      definition({ name: 'EXTERNAL' }, { audits: [{ name: 'not_null', args: {}, location: { file: 'external_models.yaml', line: 3 } }] }),
    );
    expect(dependsOnPast(full)).toBe(true);
    expect(effectiveBatchConcurrency(selfRef)).toBe(1);
    expect(isEvaluatable(external)).toBe(true);
    expect(isEvaluatable({ ...external, hasAudits: false })).toBe(false);
  });
});
