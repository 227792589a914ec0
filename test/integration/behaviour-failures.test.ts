import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../functions/adapters/dynamodb-local';
import type { BatchRecord } from '../../shared/src/ports/state-store';
import { intervalKeyString } from '../../shared/src/ports/state-store';
import { EmbeddedStack } from '../support/embedded-stack';

/**
 * R14, R15, R16 on the embedded stack: a failing batch leaves the table exactly as it was and its range
 * unrecorded, skips only what depends on it, lets unrelated models succeed, and is picked up again once the
 * data is fixed. Blocking and non-blocking audits; a failing plan backfill promotes nothing.
 */

const FIXTURES = path.resolve(__dirname, '../fixtures/projects');
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

let dynamo: DynamoDbLocal;
beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
}, 30_000);
afterAll(async () => {
  await dynamo.stop();
});

/** Processed intervals of a model in an environment, as ISO pairs. */
async function intervalsOf(stack: EmbeddedStack, environment: string, model: string): Promise<[string, string][]> {
  const env = await stack.state.getEnvironment(environment);
  const snapshot = (await stack.state.getSnapshots(env?.snapshots ?? [])).find((s) => s.name === model);
  if (!snapshot) throw new Error(`no snapshot of ${model} in ${environment}`);
  const key = { name: model, version: snapshot.version };
  const intervals = await stack.state.getIntervals([key]);
  return (intervals.get(intervalKeyString(key)) ?? []).map(([s, e]) => [iso(s), iso(e)]);
}

/** `model [start, end) status reason` per batch, sorted, for whole-run comparisons. */
function outcomes(batches: readonly BatchRecord[]): string[] {
  return batches.map((b) => `${b.model} [${iso(b.start)}, ${iso(b.end)}) ${b.status} ${b.reason}`).sort();
}

async function rows(stack: EmbeddedStack, sql: string): Promise<unknown[][]> {
  return (await stack.warehouse.query(sql)).map((r) => Object.values(r));
}

async function addReadings(stack: EmbeddedStack, values: readonly [string, string, string][]): Promise<void> {
  const tuples = values.map(([day, sensor, reading]) => `(DATE '${day}', '${sensor}', '${reading}')`).join(', ');
  await stack.warehouse.execute(`INSERT INTO src.readings VALUES ${tuples}`);
}

const PARSED_ROWS = 'SELECT CAST(reading_date AS VARCHAR), sensor, reading FROM fail.parsed ORDER BY 1, 2';
const TOTALS_ROWS = 'SELECT CAST(reading_date AS VARCHAR), total, sensors FROM fail.daily_totals ORDER BY 1';

describe('a batch failing on one day of bad data', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, path.join(FIXTURES, 'behaviour-failures'));
    await stack.warehouse.execute(
      'CREATE SCHEMA src; CREATE TABLE src.readings (reading_date DATE, sensor VARCHAR, reading VARCHAR)',
    );
    await addReadings(stack, [
      ['2026-11-01', 'a', '1'],
      ['2026-11-01', 'b', '10'],
      ['2026-11-02', 'a', '2'],
      ['2026-11-02', 'b', '20'],
      ['2026-11-03', 'a', '3'],
      ['2026-11-03', 'b', '30'],
    ]);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('plans prod over the three good days', async () => {
    // Act
    const result = await stack.plan('prod', '2026-11-04T06:00:00Z');

    // Assert
    expect(result.promoted).toBe(true);
    expect(outcomes(result.batches)).toEqual([
      'fail.calendar [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) succeeded succeeded',
      'fail.daily_totals [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) succeeded succeeded',
      'fail.parsed [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) succeeded succeeded',
      'fail.sensor_latest [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) succeeded succeeded',
    ]);
    expect(await rows(stack, TOTALS_ROWS)).toEqual([
      ['2026-11-01', 11, 2],
      ['2026-11-02', 22, 2],
      ['2026-11-03', 33, 2],
    ]);
  });

  it('leaves the previous rows untouched, records nothing for the range and skips only its dependants', async () => {
    // Arrange: a late correction of day 3 (reached through lookback) and a non-number on day 4.
    const parsedBefore = await rows(stack, PARSED_ROWS);
    const latestBefore = await rows(stack, 'SELECT sensor, CAST(last_day AS VARCHAR), days FROM fail.sensor_latest ORDER BY 1');
    await stack.warehouse.execute("UPDATE src.readings SET reading = '300' WHERE reading_date = DATE '2026-11-03' AND sensor = 'a'");
    await addReadings(stack, [
      ['2026-11-04', 'a', '4'],
      ['2026-11-04', 'b', 'oops'],
    ]);

    // Act
    const summary = await stack.run('prod', '2026-11-05T06:00:00Z', 'run-bad-day');

    // Assert: one failure, its two dependants skipped naming it, the unrelated model done.
    expect(outcomes(summary.batches)).toEqual([
      'fail.calendar [2026-11-04T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
      'fail.daily_totals [2026-11-04T00:00:00Z, 2026-11-05T00:00:00Z) skipped skipped:upstream_failed:fail.parsed',
      'fail.parsed [2026-11-03T00:00:00Z, 2026-11-05T00:00:00Z) failed error:EvaluationError',
      'fail.sensor_latest [2026-11-04T00:00:00Z, 2026-11-05T00:00:00Z) skipped skipped:upstream_failed:fail.parsed',
    ]);
    const failed = summary.batches.find((b) => b.status === 'failed');
    expect(failed?.error?.startsWith("models/fail/parsed.sql:1: model 'fail.parsed': writing INCREMENTAL_BY_TIME_RANGE data failed:")).toBe(true);
    expect(failed?.error).toMatch(/Could not convert string 'oops'/);
    expect(summary.run).toMatchObject({
      status: 'failed',
      reason: 'error:EvaluationError:fail.parsed',
      counts: { succeeded: 1, failed: 1, skipped: 2 },
    });

    // R15: the lookback day's old values survive the failed delete-and-insert; nothing of day 4 is written.
    expect(await rows(stack, PARSED_ROWS)).toEqual(parsedBefore);
    expect(parsedBefore).toEqual([
      ['2026-11-01', 'a', 1],
      ['2026-11-01', 'b', 10],
      ['2026-11-02', 'a', 2],
      ['2026-11-02', 'b', 20],
      ['2026-11-03', 'a', 3],
      ['2026-11-03', 'b', 30],
    ]);
    expect(await rows(stack, 'SELECT sensor, CAST(last_day AS VARCHAR), days FROM fail.sensor_latest ORDER BY 1')).toEqual(latestBefore);
    expect(await stack.count('fail.daily_totals')).toBe(3);
    expect(await rows(stack, 'SELECT CAST(day AS VARCHAR), iso_weekday FROM fail.calendar ORDER BY 1')).toEqual([
      ['2026-11-01', 7],
      ['2026-11-02', 1],
      ['2026-11-03', 2],
      ['2026-11-04', 3],
    ]);
    const threeDays: [string, string][] = [['2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z']];
    expect(await intervalsOf(stack, 'prod', 'fail.parsed')).toEqual(threeDays);
    expect(await intervalsOf(stack, 'prod', 'fail.daily_totals')).toEqual(threeDays);
    expect(await intervalsOf(stack, 'prod', 'fail.sensor_latest')).toEqual(threeDays);
    expect(await intervalsOf(stack, 'prod', 'fail.calendar')).toEqual([['2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z']]);

    // The outcome is stored with its reason, not only returned.
    const stored = await stack.state.listBatches('run-bad-day');
    expect(outcomes(stored)).toEqual(outcomes(summary.batches));
    expect((await stack.state.getRun('run-bad-day'))?.reason).toBe('error:EvaluationError:fail.parsed');
  });

  it('picks the failed range up again, with its dependants, once the data is fixed', async () => {
    // Arrange
    await stack.warehouse.execute("UPDATE src.readings SET reading = '40' WHERE reading = 'oops'");

    // Act
    const summary = await stack.run('prod', '2026-11-05T06:00:00Z', 'run-fixed');

    // Assert
    expect(outcomes(summary.batches)).toEqual([
      'fail.daily_totals [2026-11-04T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
      'fail.parsed [2026-11-03T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
      'fail.sensor_latest [2026-11-04T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
    ]);
    expect(summary.batches.find((b) => b.model === 'fail.parsed')?.rows).toBe(4);
    expect(await rows(stack, PARSED_ROWS)).toEqual([
      ['2026-11-01', 'a', 1],
      ['2026-11-01', 'b', 10],
      ['2026-11-02', 'a', 2],
      ['2026-11-02', 'b', 20],
      ['2026-11-03', 'a', 300],
      ['2026-11-03', 'b', 30],
      ['2026-11-04', 'a', 4],
      ['2026-11-04', 'b', 40],
    ]);
    // daily_totals has no lookback: day 3 keeps the total computed before the correction.
    expect(await rows(stack, TOTALS_ROWS)).toEqual([
      ['2026-11-01', 11, 2],
      ['2026-11-02', 22, 2],
      ['2026-11-03', 33, 2],
      ['2026-11-04', 44, 2],
    ]);
    expect(await rows(stack, 'SELECT sensor, CAST(last_day AS VARCHAR), days FROM fail.sensor_latest ORDER BY 1')).toEqual([
      ['a', '2026-11-04', 4],
      ['b', '2026-11-04', 4],
    ]);
    const fourDays: [string, string][] = [['2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z']];
    for (const model of ['fail.parsed', 'fail.daily_totals', 'fail.sensor_latest', 'fail.calendar']) {
      expect({ model, intervals: await intervalsOf(stack, 'prod', model) }).toEqual({ model, intervals: fourDays });
    }
  });
});

describe('audits', () => {
  let stack: EmbeddedStack;

  async function addScores(values: readonly [string, string, number, string | null][]): Promise<void> {
    const tuples = values.map(([day, player, score, note]) => `(DATE '${day}', '${player}', ${score}, ${note === null ? 'NULL' : `'${note}'`})`);
    await stack.warehouse.execute(`INSERT INTO src.scores VALUES ${tuples.join(', ')}`);
  }
  const SCORE_ROWS = 'SELECT CAST(score_date AS VARCHAR), player, score FROM aud.scores ORDER BY 1, 2';

  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, path.join(FIXTURES, 'behaviour-audits'));
    await stack.warehouse.execute(
      'CREATE SCHEMA src; CREATE TABLE src.scores (score_date DATE, player VARCHAR, score INTEGER, note VARCHAR)',
    );
    await addScores([
      ['2026-11-01', 'ann', 3, 'a'],
      ['2026-11-01', 'bob', 4, 'b'],
      ['2026-11-02', 'ann', 6, 'c'],
      ['2026-11-02', 'bob', 2, 'd'],
    ]);
    const result = await stack.plan('prod', '2026-11-03T06:00:00Z');
    expect(outcomes(result.batches)).toEqual([
      'aud.leaderboard [2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z) succeeded succeeded',
      'aud.scores [2026-11-01T00:00:00Z, 2026-11-03T00:00:00Z) succeeded succeeded',
    ]);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('fails the batch on a blocking audit, leaves its range unrecorded and skips the child', async () => {
    // Arrange
    await addScores([
      ['2026-11-03', 'ann', -5, 'e'],
      ['2026-11-03', 'bob', 7, 'f'],
    ]);

    // Act
    const summary = await stack.run('prod', '2026-11-04T06:00:00Z', 'run-negative');

    // Assert
    expect(outcomes(summary.batches)).toEqual([
      'aud.leaderboard [2026-11-03T00:00:00Z, 2026-11-04T00:00:00Z) skipped skipped:upstream_failed:aud.scores',
      'aud.scores [2026-11-03T00:00:00Z, 2026-11-04T00:00:00Z) failed audit_failed:score_not_negative',
    ]);
    expect(summary.batches.find((b) => b.model === 'aud.scores')?.error).toBe(
      "audit 'score_not_negative' failed for model 'aud.scores': 1 bad row(s)",
    );
    expect(summary.run.reason).toBe('audit_failed:score_not_negative:aud.scores');
    const twoDays: [string, string][] = [['2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z']];
    expect(await intervalsOf(stack, 'prod', 'aud.scores')).toEqual(twoDays);
    expect(await intervalsOf(stack, 'prod', 'aud.leaderboard')).toEqual(twoDays);
    // As in SQLMesh, audits check committed rows: the audited day stays in the table, unrecorded, and is
    // rewritten by the next successful batch. The child never read it.
    expect(await rows(stack, SCORE_ROWS)).toEqual([
      ['2026-11-01', 'ann', 3],
      ['2026-11-01', 'bob', 4],
      ['2026-11-02', 'ann', 6],
      ['2026-11-02', 'bob', 2],
      ['2026-11-03', 'ann', -5],
      ['2026-11-03', 'bob', 7],
    ]);
    expect(await rows(stack, 'SELECT CAST(score_date AS VARCHAR), best, players FROM aud.leaderboard ORDER BY 1')).toEqual([
      ['2026-11-01', 4, 2],
      ['2026-11-02', 6, 2],
    ]);
  });

  it('records the interval with a warning when only a non-blocking audit fails', async () => {
    // Arrange: day 3 corrected; day 4 has a player without a note.
    await stack.warehouse.execute('UPDATE src.scores SET score = 5 WHERE score = -5');
    await addScores([
      ['2026-11-04', 'ann', 9, null],
      ['2026-11-04', 'bob', 8, 'g'],
    ]);

    // Act
    const summary = await stack.run('prod', '2026-11-05T06:00:00Z', 'run-null-note');

    // Assert
    expect(outcomes(summary.batches)).toEqual([
      'aud.leaderboard [2026-11-03T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
      'aud.scores [2026-11-03T00:00:00Z, 2026-11-05T00:00:00Z) succeeded succeeded',
    ]);
    expect(summary.batches.find((b) => b.model === 'aud.scores')?.warnings).toEqual([
      "audit 'not_null' (non-blocking, models/aud/scores.sql:10) failed for model 'aud.scores': 1 bad row(s)",
    ]);
    expect(summary.batches.find((b) => b.model === 'aud.leaderboard')?.warnings).toBeUndefined();
    expect(summary.run.status).toBe('succeeded');
    const fourDays: [string, string][] = [['2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z']];
    expect(await intervalsOf(stack, 'prod', 'aud.scores')).toEqual(fourDays);
    expect(await intervalsOf(stack, 'prod', 'aud.leaderboard')).toEqual(fourDays);
    expect(await rows(stack, 'SELECT CAST(score_date AS VARCHAR), best, players FROM aud.leaderboard ORDER BY 1')).toEqual([
      ['2026-11-01', 4, 2],
      ['2026-11-02', 6, 2],
      ['2026-11-03', 7, 2],
      ['2026-11-04', 9, 2],
    ]);
  });
});

describe('a plan whose backfill fails', () => {
  let stack: EmbeddedStack;
  const VIEWS = "SELECT view_name, sql FROM duckdb_views() WHERE schema_name = 'fail' ORDER BY 1";

  beforeAll(async () => {
    stack = await EmbeddedStack.open(dynamo, path.join(FIXTURES, 'behaviour-failures'));
    await stack.warehouse.execute(
      'CREATE SCHEMA src; CREATE TABLE src.readings (reading_date DATE, sensor VARCHAR, reading VARCHAR)',
    );
    await addReadings(stack, [
      ['2026-11-01', 'a', '1'],
      ['2026-11-02', 'a', '2'],
      ['2026-11-03', 'a', '3'],
    ]);
    const first = await stack.plan('prod', '2026-11-04T06:00:00Z', 'plan-good');
    expect(first.promoted).toBe(true);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('promotes nothing: views, environment record, rows and intervals stay as they were', async () => {
    // Arrange: a breaking edit whose new expression fails on every row ('a' is not a number).
    const before = {
      env: await stack.state.getEnvironment('prod'),
      views: await rows(stack, VIEWS),
      parsed: await rows(stack, PARSED_ROWS),
      totals: await rows(stack, TOTALS_ROWS),
      intervals: await intervalsOf(stack, 'prod', 'fail.parsed'),
    };
    const file = path.join(stack.root, 'models/fail/parsed.sql');
    const source = await readFile(file, 'utf8');
    await writeFile(file, source.replace('CAST(reading AS INTEGER) AS reading', 'CAST(reading AS INTEGER) * CAST(sensor AS INTEGER) AS reading'));

    // Act
    const result = await stack.plan('prod', '2026-11-04T06:00:00Z', 'plan-bad');

    // Assert
    expect(result.promoted).toBe(false);
    expect(outcomes(result.batches)).toEqual([
      'fail.daily_totals [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) skipped skipped:upstream_failed:fail.parsed',
      'fail.parsed [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) failed error:EvaluationError',
      'fail.sensor_latest [2026-11-01T00:00:00Z, 2026-11-04T00:00:00Z) skipped skipped:upstream_failed:fail.parsed',
    ]);
    expect(result.run).toMatchObject({ status: 'failed', reason: 'not_promoted:error:EvaluationError:fail.parsed' });
    expect((await stack.state.getRun('plan-bad'))?.reason).toBe('not_promoted:error:EvaluationError:fail.parsed');
    expect(await stack.state.getEnvironment('prod')).toEqual(before.env);
    expect(before.env?.planId).toBe('plan-good');
    expect(await rows(stack, VIEWS)).toEqual(before.views);
    expect(before.views.map(([view]) => view)).toEqual(['calendar', 'daily_totals', 'parsed', 'sensor_latest']);
    expect(await rows(stack, PARSED_ROWS)).toEqual(before.parsed);
    expect(await rows(stack, TOTALS_ROWS)).toEqual(before.totals);
    expect(before.totals).toEqual([
      ['2026-11-01', 1, 1],
      ['2026-11-02', 2, 1],
      ['2026-11-03', 3, 1],
    ]);
    expect(await intervalsOf(stack, 'prod', 'fail.parsed')).toEqual(before.intervals);
    expect(before.intervals).toEqual([['2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z']]);
  });
});
