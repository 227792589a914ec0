import { CronError, ProjectParseError, type SourceLocation, toError } from '../errors';
import { validateCron } from '../schedule/cron';
import { INTERVAL_UNITS, type IntervalUnit } from '../schedule/interval';
import { effectiveIntervalUnit } from '../schedule/interval-unit';
import { isKnownTimeZone, isUtcZone } from '../time/zone';

/**
 * Validates the cron of `model` (or of model_defaults when no model is given) and rethrows a CronError as a
 * ProjectParseError at `location`, keeping the cron's own explanation.
 */
export function checkCron(cron: string, cronTz: string | undefined, location: SourceLocation, model?: string): void {
  try {
    validateCron(cron, cronTz, model === undefined ? undefined : { model });
  } catch (e) {
    throw wrap(e, model === undefined ? 'model_defaults.cron' : undefined, location);
  }
}

/**
 * The interval unit of a model: `explicit` if given (checked against the cron), else inferred from the cron.
 *
 * @throws ProjectParseError at `location` when the unit is finer than the cron allows without allow_partials.
 */
export function resolveIntervalUnit(
  cron: string,
  explicit: IntervalUnit | undefined,
  allowPartials: boolean,
  owner: string,
  location: SourceLocation,
): IntervalUnit {
  try {
    return effectiveIntervalUnit(cron, explicit, allowPartials);
  } catch (e) {
    throw wrap(e, owner, location);
  }
}

/** Reads an `interval_unit` value, case-insensitively. */
export function parseIntervalUnit(text: string, location: SourceLocation): IntervalUnit {
  const unit = text.toLowerCase();
  if (!(INTERVAL_UNITS as readonly string[]).includes(unit)) {
    throw new ProjectParseError(`unknown interval_unit '${text}'; valid units: ${INTERVAL_UNITS.join(', ')}`, location);
  }
  return unit as IntervalUnit;
}

/**
 * The IANA zone of a `cron_tz`, or undefined for UTC (SQLMesh treats `'UTC'` and `''` as no zone).
 *
 * @throws ProjectParseError for a zone the runtime does not know.
 */
export function checkTimeZone(zone: string, location: SourceLocation): string | undefined {
  if (isUtcZone(zone)) return undefined;
  const trimmed = zone.trim();
  if (!isKnownTimeZone(trimmed)) {
    throw new ProjectParseError(
      `unknown time zone '${zone}' in cron_tz; use an IANA zone name such as 'America/New_York' or 'Europe/Berlin'`,
      location,
    );
  }
  return trimmed;
}

function wrap(e: unknown, prefix: string | undefined, location: SourceLocation): Error {
  const error = toError(e);
  if (!(error instanceof CronError)) return error;
  return new ProjectParseError(prefix ? `${prefix}: ${error.message}` : error.message, location, { cause: error });
}
