import { ProjectParseError, type SourceLocation, TimeParseError } from '../errors';
import { isRelative } from '../time/relative';
import { resolveTimeLike } from '../time/time-like';

/**
 * Checks that a `start`/`end` value is a time SQLMesh can read (§4.1): epoch ms, `YYYYMMDD`, an ISO date or
 * datetime, or a relative expression. Returns the instant in epoch ms for absolute values (a date is its UTC
 * midnight) and undefined for relative ones, which only have a value once "now" is known.
 *
 * @throws ProjectParseError naming `what`, the value and the accepted forms.
 */
export function checkTimeLike(value: string | number, what: string, location: SourceLocation): number | undefined {
  try {
    // The instant of a relative value is not needed here, only whether it parses, so any "now" will do.
    const resolved = resolveTimeLike(value, 0);
    return isRelative(value) ? undefined : resolved.ms;
  } catch (e) {
    if (!(e instanceof TimeParseError)) throw e;
    throw new ProjectParseError(`${what}: ${e.message}`, location, { cause: e });
  }
}
