import { CronError, formatLocation, type SourceLocation } from '../errors';
import { isKnownTimeZone, isUtcZone } from '../time/zone';
import { MIN_CRON_PERIOD_SECONDS } from './constants';
import { utcNextTick, utcPrevTick, zonedNextTick, zonedPrevTick } from './cron-engine';
import { type CronSpec, parseCronSpec } from './cron-spec';

/**
 * Cron operations with croniter/SQLMesh semantics (§4.2). All instants are UTC epoch ms; `tz` (the model's
 * `cron_tz`) only decides on which wall clock the ticks happen. Expressions are parsed once and cached, and
 * ticks are computed arithmetically, so a call costs microseconds with or without a zone.
 */

/** Where a cron came from, to name it in error messages. */
export interface CronContext {
  readonly model?: string;
  readonly location?: SourceLocation;
}

function withContext(error: CronError, expr: string, context: CronContext | undefined): CronError {
  if (!context?.model && !context?.location) return error;
  const where = [
    context.model ? ` for model '${context.model}'` : '',
    context.location ? ` (${formatLocation(context.location)})` : '',
  ].join('');
  const prefix = `Invalid cron '${expr}'`;
  const message = error.message.startsWith(prefix)
    ? `${prefix}${where}${error.message.slice(prefix.length)}`
    : `${error.message}${where}`;
  // Same failure, re-worded with its location: no cause chain, which would repeat the message.
  return new CronError(message);
}

const knownZones = new Map<string, boolean>();

function checkZone(tz: string): void {
  let known = knownZones.get(tz);
  if (known === undefined) {
    known = isKnownTimeZone(tz);
    knownZones.set(tz, known);
  }
  if (!known) {
    throw new CronError(
      `Invalid cron_tz '${tz}': unknown IANA time zone; use a name such as 'America/New_York', 'Europe/Berlin' or 'UTC'`,
    );
  }
}

function spec(expr: string): CronSpec {
  return parseCronSpec(expr);
}

/**
 * Checks a cron expression and optional time zone, throwing CronError with the reason:
 * - wrong number of fields (5 are required, or one of `@yearly @annually @monthly @weekly @daily @midnight @hourly`);
 * - a value outside its field's range, a malformed list/range/step, or an unsupported `H`/`W` token;
 * - a cron that never fires (e.g. `0 0 30 2 *`);
 * - a cron that fires more often than every 5 minutes (SQLMesh: "must run at a frequency of 5 minutes or slower.");
 * - an unknown IANA time zone.
 *
 * @example
 * validateCron('0 25 * * *', undefined, { model: 'db.events', location: { file: 'models/events.sql', line: 4 } })
 * // throws CronError: Invalid cron '0 25 * * *' for model 'db.events' (models/events.sql:4): hour 25 outside 0-23
 */
export function validateCron(expr: string, tz?: string, context?: CronContext): void {
  try {
    const parsed = spec(expr);
    if (parsed.minGapSeconds < MIN_CRON_PERIOD_SECONDS) {
      throw new CronError(`Invalid cron '${expr}': must run at a frequency of 5 minutes or slower.`);
    }
    if (!isUtcZone(tz)) checkZone((tz ?? '').trim());
  } catch (error) {
    if (error instanceof CronError) throw withContext(error, expr, context);
    throw error;
  }
}

function zoneOf(tz: string | undefined): string | undefined {
  if (isUtcZone(tz)) return undefined;
  const zone = (tz ?? '').trim();
  checkZone(zone);
  return zone;
}

/** The first tick strictly after `ms` (croniter `get_next`). */
export function cronNext(expr: string, tz: string | undefined, ms: number): number {
  const zone = zoneOf(tz);
  return zone === undefined ? utcNextTick(spec(expr), ms) : zonedNextTick(spec(expr), zone, ms);
}

/** The last tick strictly before `ms` (croniter `get_prev`). */
export function cronPrev(expr: string, tz: string | undefined, ms: number): number {
  const zone = zoneOf(tz);
  return zone === undefined ? utcPrevTick(spec(expr), ms) : zonedPrevTick(spec(expr), zone, ms);
}

/**
 * The constant gap between consecutive UTC ticks in seconds when the cron has one (`@daily` → 86400,
 * `@weekly` → 604800, `*\/15 * * * *` → 900), else 0 (`@monthly`, `0 0 * * 1-5`, `*\/7 * * * *`).
 * Always computed on UTC, also for zoned crons, as SQLMesh does.
 */
export function intervalSeconds(expr: string): number {
  return spec(expr).periodMs / 1000;
}

/** The smallest gap between two consecutive ticks, in seconds (UTC). */
export function minCronGapSeconds(expr: string): number {
  return spec(expr).minGapSeconds;
}

/**
 * SQLMesh `cron_floor`: the latest completed tick at `ms`, computed as `next(ms) - period` when the cron has
 * a constant UTC period and as `prev(next(ms))` otherwise. For a zoned cron the shortcut keeps SQLMesh's DST
 * quirk: on the days clocks change, the result can be an hour off the true local tick (§4.2), which the unit
 * flooring of missing-interval computation normally hides.
 */
export function cronFloor(expr: string, tz: string | undefined, ms: number): number {
  const next = cronNext(expr, tz, ms);
  const period = spec(expr).periodMs;
  return period > 0 ? next - period : cronPrev(expr, tz, next);
}
