import type { IncrementalByTimeRangeKind, ModelDefinition } from '../../../shared/src/project/model';

/** The kind of {@link makeModel}'s default model. */
export const DAILY_ITR_KIND: IncrementalByTimeRangeKind = {
  name: 'INCREMENTAL_BY_TIME_RANGE',
  timeColumn: 'ds',
  timeColumnFormat: '%Y-%m-%d',
  lookback: 0,
  forwardOnly: false,
  disableRestatement: false,
};

/** A small valid daily INCREMENTAL_BY_TIME_RANGE model; tests override the fields they vary. */
export function makeModel(overrides: Partial<ModelDefinition> = {}): ModelDefinition {
  return {
    name: 'shop.orders',
    kind: DAILY_ITR_KIND,
    dialect: 'duckdb',
    cron: '@daily',
    intervalUnit: 'day',
    intervalUnitExplicit: false,
    start: '2024-01-01',
    allowPartials: false,
    enabled: true,
    tags: [],
    grains: [],
    query: 'SELECT id, amount, ds FROM raw.orders WHERE ds BETWEEN @start_ds AND @end_ds',
    preStatements: [],
    postStatements: [],
    onVirtualUpdate: [],
    explicitDependsOn: [],
    dependsOn: ['raw.orders'],
    dependsOnSelf: false,
    audits: [],
    inlineAudits: [],
    otherProperties: {},
    location: { file: 'models/orders.sql', line: 1 },
    ...overrides,
  };
}
