import { CronError, ProjectParseError } from '../errors';
import { addMonthsClamped, civilFromDays, daysFromCivil, floorDiv } from '../time/calendar';
import { MS_PER_DAY } from '../time/constants';
import { INTERVAL_UNIT_SECONDS, MIN_CRON_PERIOD_SECONDS } from './constants';
import { intervalSeconds, minCronGapSeconds } from './cron';
import { INTERVAL_UNITS, type IntervalUnit } from './interval';

/**
 * Interval units (§4.3): boundary arithmetic by pure UTC calculation (no cron parsing), and the inference
 * of a model's unit from its cron.
 */

/** Nominal length of a unit in seconds (a month counts as 28 days, a year as 365). */
export function unitSeconds(unit: IntervalUnit): number {
  return INTERVAL_UNIT_SECONDS[unit];
}

/** Nominal length of a unit in milliseconds. */
export function unitMs(unit: IntervalUnit): number {
  return INTERVAL_UNIT_SECONDS[unit] * 1000;
}

/** True for units whose boundaries have a fixed length (everything but month and year). */
function isFixedLength(unit: IntervalUnit): boolean {
  return unit !== 'month' && unit !== 'year';
}

/** The latest unit boundary at or before `ms` (e.g. month floor of 2020-01-17 is 2020-01-01). */
export function unitFloor(unit: IntervalUnit, ms: number): number {
  if (isFixedLength(unit)) {
    const length = unitMs(unit);
    return floorDiv(ms, length) * length;
  }
  const { year, month } = civilFromDays(floorDiv(ms, MS_PER_DAY));
  return daysFromCivil(year, unit === 'year' ? 1 : month, 1) * MS_PER_DAY;
}

/** The first unit boundary strictly after `ms`. */
export function unitNext(unit: IntervalUnit, ms: number): number {
  if (isFixedLength(unit)) return unitFloor(unit, ms) + unitMs(unit);
  return addMonthsClamped(unitFloor(unit, ms), unit === 'year' ? 12 : 1);
}

/** The last unit boundary strictly before `ms`. */
export function unitPrev(unit: IntervalUnit, ms: number): number {
  // Boundaries are whole milliseconds, so the last one below ms is the floor of ms - 1.
  return unitFloor(unit, ms - 1);
}

/**
 * The unit step back from `ms` as SQLMesh's "estimate" does it: a fixed subtraction for fixed-length units
 * (even from an unaligned instant), the calendar boundary for month and year.
 */
export function unitPrevEstimate(unit: IntervalUnit, ms: number): number {
  return isFixedLength(unit) ? ms - unitMs(unit) : unitPrev(unit, ms);
}

/**
 * Reads an interval unit name, case-insensitively (`'HOUR'` → `'hour'`). Throws ProjectParseError listing the
 * valid units otherwise.
 */
export function parseIntervalUnit(text: string): IntervalUnit {
  const unit = INTERVAL_UNITS.find((u) => u === text.trim().toLowerCase());
  if (!unit) {
    throw new ProjectParseError(`unknown interval_unit '${text}'; expected one of ${INTERVAL_UNITS.join(', ')}`);
  }
  return unit;
}

/**
 * The unit a cron implies (SQLMesh `IntervalUnit.from_cron`): the largest unit not longer than the cron's
 * period, or than its smallest gap between ticks when the period is not constant. `@weekly` → day,
 * `@monthly` → month, `*\/43 * * * *` (17-minute smallest gap) → quarter_hour.
 * Throws CronError for crons firing more often than every 5 minutes.
 */
export function intervalUnitFromCron(cron: string): IntervalUnit {
  const period = intervalSeconds(cron) || minCronGapSeconds(cron);
  const unit = INTERVAL_UNITS.find((u) => INTERVAL_UNIT_SECONDS[u] <= period);
  if (!unit || period < MIN_CRON_PERIOD_SECONDS) {
    throw new CronError(`Invalid cron '${cron}': must run at a frequency of 5 minutes or slower.`);
  }
  return unit;
}

/**
 * The unit a model runs with: its explicit `interval_unit` if given, else the one inferred from the cron.
 * Without `allow_partials` an explicit unit may not be coarser than the cron's, since every run would then
 * find no complete interval (SQLMesh's ConfigError text).
 */
export function effectiveIntervalUnit(
  cron: string,
  explicitUnit: string | IntervalUnit | undefined,
  allowPartials: boolean,
): IntervalUnit {
  const fromCron = intervalUnitFromCron(cron);
  if (explicitUnit === undefined) return fromCron;
  const unit = parseIntervalUnit(explicitUnit);
  if (!allowPartials && INTERVAL_UNIT_SECONDS[unit] > INTERVAL_UNIT_SECONDS[fromCron]) {
    throw new CronError(
      `Cron '${cron}' cannot be more frequent than interval unit '${unit}'. If this is intentional, set allow_partials to True.`,
    );
  }
  return unit;
}
