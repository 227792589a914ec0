import { batchIntervals, buildBatchDag } from '../../../shared/src/schedule/batching';
import type { Interval } from '../../../shared/src/schedule/interval';
import { addProcessedInterval } from '../../../shared/src/schedule/interval-normalise';
import { effectiveIntervalUnit } from '../../../shared/src/schedule/interval-unit';
import { computeMissingIntervals } from '../../../shared/src/schedule/missing-intervals';
import { computeIntervalParams } from '../../../shared/src/schedule/missing-intervals-multi';
import { renderVariableLiterals } from '../../../shared/src/schedule/render-variables';
import type { SchedulingModel } from '../../../shared/src/schedule/scheduling-model';
import { dateDict, inclusiveEnd } from '../../../shared/src/time/format';

/** The worked examples of sqlmesh-semantics.md §4.10, all in UTC. */

const at = (iso: string): number => Date.parse(iso);
const day = (d: string): number => at(`${d}T00:00:00Z`);
const cells = (...bounds: string[]): Interval[] =>
  bounds.slice(0, -1).map((b, i) => [at(b), at(bounds[i + 1] as string)] as const);

function model(overrides: Partial<SchedulingModel> & { name: string }): SchedulingModel {
  const cron = overrides.cron ?? '@daily';
  return {
    kind: 'INCREMENTAL_BY_TIME_RANGE',
    cron,
    intervalUnit: effectiveIntervalUnit(cron, undefined, overrides.allowPartials ?? false),
    allowPartials: false,
    lookback: 0,
    dependsOnSelf: false,
    hasAudits: false,
    parents: [],
    disableRestatement: false,
    ...overrides,
  };
}

describe('E1/E2: daily model, normal run', () => {
  const m = model({ name: 'db.daily', start: '2024-01-01' });
  const processed: Interval[] = [[day('2024-01-01'), day('2024-03-10')]];
  const run = (t: string) =>
    computeMissingIntervals(m, processed, { start: '2024-01-01', end: at(t), executionTimeMs: at(t) }, at(t));

  it('finds the two days since the last processed one at 03-12 05:17', () => {
    expect(run('2024-03-12T05:17:23.456Z')).toEqual(cells('2024-03-10', '2024-03-11', '2024-03-12'));
  });

  it('makes one batch, or two with batch_size 1, and renders the inclusive-end variables', () => {
    // Arrange
    const missing = new Map([[m.name, [[day('2024-03-10'), day('2024-03-12')] as Interval]]]);
    // Act
    const one = batchIntervals([m], missing).batches.get(m.name);
    const two = batchIntervals([{ ...m, batchSize: 1 }], missing).batches.get(m.name);
    const vars = dateDict(at('2024-03-12T05:17:23.456Z'), day('2024-03-10'), inclusiveEnd(day('2024-03-12')));
    // Assert
    expect(one).toEqual([[day('2024-03-10'), day('2024-03-12')]]);
    expect(two).toEqual(cells('2024-03-10', '2024-03-11', '2024-03-12'));
    expect(vars).toMatchObject({
      start_ds: '2024-03-10',
      end_ds: '2024-03-11',
      end_ts: '2024-03-11 23:59:59.999999',
      execution_ts: '2024-03-12 05:17:23.456000',
    });
  });

  it('E2: only 03-10 at 23:59 on 03-11, nothing at 12:00 on 03-10', () => {
    expect(run('2024-03-11T23:59:00Z')).toEqual(cells('2024-03-10', '2024-03-11'));
    expect(run('2024-03-10T12:00:00Z')).toEqual([]);
  });
});

describe('E3: offset cron 0 5 * * *', () => {
  const m = model({ name: 'db.offset', cron: '0 5 * * *', start: '2023-01-01' });
  const run = (t: string, ignoreCron = false) =>
    computeMissingIntervals(m, [], { start: '2023-01-29', end: '2023-01-29', executionTimeMs: at(t), ignoreCron }, at(t));

  it('waits for the 05:00 tick, unless the cron is ignored', () => {
    expect(m.intervalUnit).toBe('day');
    expect(run('2023-01-30T04:59:00Z')).toEqual([]);
    expect(run('2023-01-30T05:00:00Z')).toEqual(cells('2023-01-29', '2023-01-30'));
    expect(run('2023-01-30T04:59:00Z', true)).toEqual(cells('2023-01-29', '2023-01-30'));
  });
});

describe('E4: hourly parent, daily child', () => {
  const parent = model({ name: 'db.hourly', cron: '@hourly', start: '2024-01-01' });
  const child = model({ name: 'db.daily_child', start: '2024-01-01', parents: ['db.hourly'] });

  it('at 00:05 both run, the child after the parent', () => {
    // Arrange
    const t = at('2024-03-12T00:05:00Z');
    const processed = new Map<string, Interval[]>([
      [parent.name, [[day('2024-01-01'), at('2024-03-11T23:00:00Z')]]],
      [child.name, [[day('2024-01-01'), day('2024-03-11')]]],
    ]);
    // Act
    const missing = computeIntervalParams([parent, child], processed, { executionTimeMs: t }, t);
    const { batches } = batchIntervals([parent, child], missing);
    const dag = buildBatchDag([parent, child], batches);
    // Assert
    expect(missing.get(parent.name)).toEqual([[at('2024-03-11T23:00:00Z'), day('2024-03-12')]]);
    expect(missing.get(child.name)).toEqual([[day('2024-03-11'), day('2024-03-12')]]);
    const childTask = dag.find((task) => task.model === child.name);
    const parentTask = dag.find((task) => task.model === parent.name);
    expect(childTask?.dependsOn).toEqual([parentTask?.id]);
  });

  it('at 01:05 only the parent runs', () => {
    const t = at('2024-03-12T01:05:00Z');
    const processed = new Map<string, Interval[]>([
      [parent.name, [[day('2024-01-01'), day('2024-03-12')]]],
      [child.name, [[day('2024-01-01'), day('2024-03-12')]]],
    ]);
    const missing = computeIntervalParams([parent, child], processed, { executionTimeMs: t }, t);
    expect([...missing.keys()]).toEqual([parent.name]);
    expect(missing.get(parent.name)).toEqual([[day('2024-03-12'), at('2024-03-12T01:00:00Z')]]);
  });
});

describe('E5: lookback', () => {
  it('re-processes the two cells before the missing one, in one batch, without changing the variables', () => {
    // Arrange
    const m = model({ name: 'db.lookback', cron: '0 5 * * *', lookback: 2, start: '2023-01-01' });
    const t = at('2023-01-10T00:00:00Z');
    // Act
    const missing = computeMissingIntervals(m, [[day('2023-01-01'), day('2023-01-05')]], {
      start: '2023-01-01',
      end: '2023-01-05',
      executionTimeMs: t,
    }, t);
    const batch = batchIntervals([m], new Map([[m.name, [[day('2023-01-03'), day('2023-01-06')] as Interval]]]))
      .batches.get(m.name)?.[0] as Interval;
    const literals = renderVariableLiterals({ start: batch[0], end: batch[1] }, t, 'duckdb');
    // Assert
    expect(missing).toEqual(cells('2023-01-03', '2023-01-04', '2023-01-05', '2023-01-06'));
    expect(literals.start_ds).toBe("'2023-01-03'");
    expect(literals.end_ds).toBe("'2023-01-05'");
  });
});

describe('E6: weekly cron backfills daily cells', () => {
  it('runs 25 daily cells up to the last Sunday as one batch', () => {
    const m = model({ name: 'db.weekly', cron: '@weekly', start: '2020-01-01' });
    const t = at('2020-02-01T00:00:01Z');
    const missing = computeIntervalParams([m], new Map(), { executionTimeMs: t }, t);
    expect(m.intervalUnit).toBe('day');
    expect(missing.get(m.name)).toEqual([[day('2020-01-01'), day('2020-01-26')]]);
    expect(computeMissingIntervals(m, [], { start: '2020-01-01', end: t, executionTimeMs: t }, t)).toHaveLength(25);
  });
});

describe('E7: cron_tz America/Los_Angeles keeps UTC-day intervals', () => {
  const m = model({ name: 'db.la', cronTz: 'America/Los_Angeles', start: '2025-03-07' });
  const run = (t: string) =>
    computeMissingIntervals(m, [], { start: '2025-03-07', end: at(t), executionTimeMs: at(t) }, at(t));

  it.each<[string, Interval[]]>([
    ['2025-03-08T00:00:00Z', []],
    ['2025-03-08T08:00:00Z', cells('2025-03-07', '2025-03-08')],
    ['2025-03-09T07:00:00Z', cells('2025-03-07', '2025-03-08')],
    ['2025-03-09T08:00:00Z', cells('2025-03-07', '2025-03-08', '2025-03-09')],
  ])('at %s', (t, expected) => {
    expect(run(t)).toEqual(expected);
  });
});

describe('R09: 0 2 * * * in America/New_York on the 2025 DST days', () => {
  const m = model({ name: 'db.ny', cron: '0 2 * * *', cronTz: 'America/New_York', start: '2025-03-01' });
  const due = (t: string) =>
    computeMissingIntervals(m, [[day('2025-03-01'), day('2025-03-07')]], {
      start: '2025-03-01',
      end: at(t),
      executionTimeMs: at(t),
    }, at(t));

  it('becomes due at the local tick while the intervals stay UTC days', () => {
    // Spring forward: 2025-03-09 02:00 does not exist; the tick lands at 03:00 EDT = 07:00Z.
    expect(due('2025-03-09T06:59:00Z')).toEqual(cells('2025-03-07', '2025-03-08'));
    expect(due('2025-03-09T07:00:00Z')).toEqual(cells('2025-03-07', '2025-03-08', '2025-03-09'));
    // 2025-03-10 02:00 EDT = 06:00Z.
    expect(due('2025-03-10T06:00:00Z').at(-1)).toEqual([day('2025-03-09'), day('2025-03-10')]);
  });

  it('on the fall-back day ticks at 02:00 EST = 07:00Z', () => {
    const fall = model({ ...m, start: '2025-10-25' });
    const run = (t: string) =>
      computeMissingIntervals(fall, [[day('2025-10-25'), day('2025-11-01')]], {
        start: '2025-10-25',
        end: at(t),
        executionTimeMs: at(t),
      }, at(t));
    expect(run('2025-11-02T06:59:00Z')).toEqual([]);
    expect(run('2025-11-02T07:00:00Z')).toEqual(cells('2025-11-01', '2025-11-02'));
  });
});

describe('E8: model end with lookback', () => {
  const m = model({ name: 'db.ended', lookback: 2, start: '2023-01-01', end: '2023-01-05' });
  const processed: Interval[] = [[day('2023-01-01'), day('2023-01-06')]];
  const run = (t: string) =>
    computeMissingIntervals(m, processed, { start: at('2023-01-01T00:00:00Z'), end: at(t), executionTimeMs: at(t) }, at(t));

  it.each<[string, Interval[]]>([
    ['2023-01-07T00:00:00Z', cells('2023-01-04', '2023-01-05', '2023-01-06')],
    ['2023-01-08T00:00:00Z', cells('2023-01-05', '2023-01-06')],
    ['2023-01-09T00:00:00Z', []],
    ['2024-01-01T00:00:00Z', []],
  ])('run with end = T = %s', (t, expected) => {
    expect(run(t)).toEqual(expected);
  });
});

describe('E9: allow_partials', () => {
  const m = model({ name: 'db.partial', allowPartials: true, start: '2024-05-01' });
  const processed: Interval[] = [[day('2024-05-01'), day('2024-05-06')]];
  const run = (t: string, ignoreCron: boolean, list: readonly Interval[] = processed) =>
    computeMissingIntervals(m, list, { start: '2024-05-01', end: at(t), executionTimeMs: at(t), ignoreCron }, at(t));

  it('with --ignore-cron processes the partial day and records it as is; the next run redoes the whole day', () => {
    // Act
    const first = run('2024-05-06T13:00:05Z', true);
    const recorded = addProcessedInterval(m, processed, (first[0] as Interval)[0], (first[0] as Interval)[1], 0);
    const second = run('2024-05-06T14:00:00Z', true, recorded);
    // Assert
    expect(first).toEqual([[day('2024-05-06'), at('2024-05-06T13:00:05Z')]]);
    expect(recorded).toEqual([[day('2024-05-01'), at('2024-05-06T13:00:05Z')]]);
    expect(second).toEqual([[day('2024-05-06'), at('2024-05-06T14:00:00Z')]]);
  });

  it('without --ignore-cron waits for the next daily tick', () => {
    expect(run('2024-05-06T14:00:00Z', false)).toEqual([]);
    expect(run('2024-05-07T00:00:00Z', false)).toEqual(cells('2024-05-06', '2024-05-07'));
  });
});

describe('E10: monthly model', () => {
  it('runs February on 03-01 with end variables on the 29th', () => {
    // Arrange
    const m = model({ name: 'db.monthly', cron: '@monthly', start: '2024-01-01' });
    const t = at('2024-03-01T00:00:00Z');
    // Act
    const missing = computeMissingIntervals(m, [[day('2024-01-01'), day('2024-02-01')]], {
      start: '2024-01-01',
      end: t,
      executionTimeMs: t,
    }, t);
    const literals = renderVariableLiterals({ start: day('2024-02-01'), end: day('2024-03-01') }, t, 'duckdb');
    // Assert
    expect(m.intervalUnit).toBe('month');
    expect(missing).toEqual(cells('2024-02-01', '2024-03-01'));
    expect(literals.end_ds).toBe("'2024-02-29'");
    expect(literals.end_dt).toBe("CAST('2024-02-29 23:59:59.999999+00:00' AS TIMESTAMPTZ)");
  });
});
