import type { Interval } from '../../../shared/src/schedule/interval';
import {
  applyAutoRestatements,
  nextAutoRestatementInterval,
  removalInterval,
  restateIntervals,
} from '../../../shared/src/schedule/restatement';
import type { SchedulingModel } from '../../../shared/src/schedule/scheduling-model';

const d = (day: number): number => Date.UTC(2024, 0, day);

function model(overrides: Partial<SchedulingModel> = {}): SchedulingModel {
  return {
    name: 'db.m',
    kind: 'INCREMENTAL_BY_TIME_RANGE',
    cron: '@daily',
    intervalUnit: 'day',
    allowPartials: false,
    lookback: 0,
    dependsOnSelf: false,
    hasAudits: false,
    parents: [],
    disableRestatement: false,
    ...overrides,
  };
}

const processed: Interval[] = [[d(1), d(20)]];
const T = Date.UTC(2024, 0, 20, 6);

describe('removalInterval', () => {
  it('restates exactly the requested days of a time-ranged model', () => {
    expect(removalInterval(model(), processed, '2024-01-05', '2024-01-06', T, T)).toEqual([d(5), d(7)]);
    expect(restateIntervals(model(), processed, '2024-01-05', '2024-01-06', T, T)).toEqual([[d(1), d(5)], [d(7), d(20)]]);
  });

  it('extends a self-referencing model to the execution time', () => {
    expect(removalInterval(model({ dependsOnSelf: true }), processed, '2024-01-05', '2024-01-06', T, T)).toEqual([d(5), d(21)]);
  });

  it('widens full-history kinds to their first processed interval, except for previews', () => {
    const full = model({ kind: 'INCREMENTAL_BY_UNIQUE_KEY' });
    expect(removalInterval(full, processed, '2024-01-05', '2024-01-06', T, T)).toEqual([d(1), d(21)]);
    expect(removalInterval(full, processed, '2024-01-05', '2024-01-06', T, T, { isPreview: true })).toEqual([d(5), d(21)]);
  });
});

describe('auto restatement', () => {
  const auto = model({ autoRestatementCron: '0 10 * * *', autoRestatementIntervals: 3 });

  it('is due once the execution time reaches the next tick', () => {
    const state = { nextAutoRestatementTs: Date.UTC(2024, 0, 20, 10) };
    expect(nextAutoRestatementInterval(auto, processed, state, Date.UTC(2024, 0, 20, 9, 59))).toBeUndefined();
    expect(nextAutoRestatementInterval(auto, processed, state, Date.UTC(2024, 0, 20, 10))).toEqual([d(17), d(20)]);
  });

  it('without a stored tick, schedules the first one after the snapshot was created', () => {
    const state = { createdTs: Date.UTC(2024, 0, 19, 12) };
    expect(nextAutoRestatementInterval(auto, processed, state, Date.UTC(2024, 0, 20, 9))).toBeUndefined();
    expect(nextAutoRestatementInterval(auto, processed, state, Date.UTC(2024, 0, 20, 11))).toEqual([d(17), d(20)]);
  });

  it('cascades to children and skips models with restatement disabled', () => {
    // Arrange
    const parent = model({ name: 'p', cron: '@hourly', intervalUnit: 'hour', autoRestatementCron: '0 10 * * *', autoRestatementIntervals: 5 });
    const child = model({ name: 'c', parents: ['p'] });
    const frozen = model({ name: 'f', parents: ['p'], disableRestatement: true });
    const state = new Map([['p', { nextAutoRestatementTs: Date.UTC(2024, 0, 20, 10) }]]);
    const lists = new Map<string, Interval[]>([
      ['p', [[d(1), Date.UTC(2024, 0, 20, 9)]]],
      ['c', [[d(1), d(20)]]],
      ['f', [[d(1), d(20)]]],
    ]);
    // Act
    const result = applyAutoRestatements([parent, child, frozen], lists, state, Date.UTC(2024, 0, 20, 10, 1), 0);
    // Assert
    expect(result.pendingRestatements).toEqual(
      new Map([
        ['p', [Date.UTC(2024, 0, 20, 5), Date.UTC(2024, 0, 20, 10)]],
        ['c', [d(20), d(21)]],
      ]),
    );
    expect(result.intervalsAfter.get('p')).toEqual([[d(1), Date.UTC(2024, 0, 20, 5)]]);
    expect(result.intervalsAfter.get('c')).toEqual([[d(1), d(20)]]);
    expect(result.intervalsAfter.has('f')).toBe(false);
    expect(result.nextAutoRestatementTs.get('p')).toBe(Date.UTC(2024, 0, 21, 10));
    expect(result.triggers.get('c')).toEqual(['p']);
  });
});
