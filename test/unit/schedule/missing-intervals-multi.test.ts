import type { Interval } from '../../../shared/src/schedule/interval';
import {
  computeIntervalParams,
  computeMissingIntervalsForModels,
  earliestModelStart,
  inferModelStart,
} from '../../../shared/src/schedule/missing-intervals-multi';
import { nextModelIntervalStart } from '../../../shared/src/schedule/next-run';
import type { SchedulingModel } from '../../../shared/src/schedule/scheduling-model';

const d = (day: number): number => Date.UTC(2024, 2, day);

function model(name: string, overrides: Partial<SchedulingModel> = {}): SchedulingModel {
  return {
    name,
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

describe('start inference (§4.7)', () => {
  it('uses the model start, else the earliest parent start, else the last complete cron period', () => {
    // Arrange
    const a = model('a', { start: '2024-03-01' });
    const b = model('b', { start: '1 week ago' });
    const c = model('c', { parents: ['a', 'b'] });
    const orphan = model('orphan');
    const byName = new Map([a, b, c, orphan].map((m) => [m.name, m]));
    const now = Date.UTC(2024, 2, 12, 5, 17);
    // Act / Assert
    expect(inferModelStart(c, byName, now, now)).toBe(d(1));
    expect(inferModelStart(b, byName, now, now)).toBe(d(5));
    // Sliding start: one cron period before the latest tick.
    expect(inferModelStart(orphan, byName, now, now)).toBe(d(11));
    expect(earliestModelStart([b, orphan], now, now)).toBe(d(5));
    expect(earliestModelStart([], now, now)).toBe(d(11));
  });

  it('gives a parentless model without start only the last period after downtime', () => {
    const orphan = model('orphan');
    const now = Date.UTC(2024, 2, 12, 5);
    const missing = computeMissingIntervalsForModels([orphan], new Map(), { executionTimeMs: now }, now);
    expect(missing.get('orphan')).toEqual([[d(11), d(12)]]);
  });
});

describe('computeMissingIntervalsForModels', () => {
  const a = model('a', { start: '2024-03-01' });
  const b = model('b', { parents: ['a'] });
  const view = model('v', { kind: 'VIEW', parents: ['b'] });
  const external = model('ext', { kind: 'EXTERNAL' });
  const processed = new Map<string, Interval[]>([
    ['a', [[d(1), d(10)]]],
    ['b', [[d(1), d(8)]]],
    ['v', [[d(1), d(10)]]],
  ]);
  const T = Date.UTC(2024, 2, 10, 3);

  it('raises each model to its inferred start and leaves out models with nothing missing', () => {
    const missing = computeMissingIntervalsForModels([a, b, view, external], processed, { executionTimeMs: T }, T);
    expect(Object.fromEntries(missing)).toEqual({ b: [[d(8), d(9)], [d(9), d(10)]] });
  });

  it('lets a future --end run nothing early and --ignore-cron run complete units only', () => {
    const later = Date.UTC(2024, 2, 11, 12);
    expect(computeMissingIntervalsForModels([a], processed, { end: '2024-03-20', executionTimeMs: T }, T).size).toBe(0);
    expect(
      computeMissingIntervalsForModels([a], processed, { end: later, executionTimeMs: later, ignoreCron: true }, later).get('a'),
    ).toEqual([[d(10), d(11)]]);
  });

  it('treats restated ranges as missing', () => {
    const restatements = new Map<string, Interval>([['a', [d(3), d(5)]]]);
    const params = computeIntervalParams([a], processed, { executionTimeMs: T, restatements }, T);
    expect(params.get('a')).toEqual([[d(3), d(5)]]);
  });
});

describe('nextModelIntervalStart', () => {
  it('is the earliest next tick over scheduled models, ignoring seeds and symbolic models', () => {
    const now = Date.UTC(2024, 2, 10, 3, 20, 45);
    const models = [
      model('daily'),
      model('six', { cron: '0 */6 * * *' }),
      model('seed', { kind: 'SEED', cron: '*/5 * * * *' }),
      model('ext', { kind: 'EXTERNAL', cron: '*/5 * * * *' }),
    ];
    expect(nextModelIntervalStart(models, now)).toBe(Date.UTC(2024, 2, 10, 6));
    expect(nextModelIntervalStart([models[2] as SchedulingModel], now)).toBeUndefined();
  });
});
