import { UnsupportedFeatureError } from '../errors';
import { MICROS_PER_MS, STRFTIME_DIRECTIVES } from './constants';

/**
 * UTC formatting of instants given in epoch microseconds. Microseconds matter because a batch `[s, e)` is
 * written as the closed range `[s, e - 1µs]` (sqlmesh-semantics §5.1).
 */

interface UtcParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micros: number;
  readonly dayOfYear: number;
}

function utcParts(epochMicros: number): UtcParts {
  const subMs = ((epochMicros % MICROS_PER_MS) + MICROS_PER_MS) % MICROS_PER_MS;
  const ms = (epochMicros - subMs) / MICROS_PER_MS;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError(`instant out of range: ${epochMicros} µs`);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    micros: d.getUTCMilliseconds() * MICROS_PER_MS + subMs,
    dayOfYear: Math.floor((ms - yearStart) / 86_400_000) + 1,
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` */
export function formatUtcDate(epochMicros: number): string {
  const p = utcParts(epochMicros);
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** `YYYY-MM-DD HH:MM:SS`, with `.ffffff` appended only when the fraction is non-zero (as SQLMesh's `ts`). */
export function formatUtcTimestamp(epochMicros: number): string {
  const p = utcParts(epochMicros);
  const base = `${formatUtcDate(epochMicros)} ${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
  return p.micros === 0 ? base : `${base}.${pad(p.micros, 6)}`;
}

/**
 * Formats an instant with a Python-style strftime pattern, as used by `time_column (ds, '%Y%m%d')`.
 * Supports %Y %y %m %d %H %M %S %f %j %%; anything else is rejected rather than silently misformatted.
 */
export function formatStrftime(epochMicros: number, pattern: string): string {
  const p = utcParts(epochMicros);
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const directive = pattern[i + 1];
    i += 1;
    switch (directive) {
      case 'Y':
        out += pad(p.year, 4);
        break;
      case 'y':
        out += pad(p.year % 100, 2);
        break;
      case 'm':
        out += pad(p.month, 2);
        break;
      case 'd':
        out += pad(p.day, 2);
        break;
      case 'H':
        out += pad(p.hour, 2);
        break;
      case 'M':
        out += pad(p.minute, 2);
        break;
      case 'S':
        out += pad(p.second, 2);
        break;
      case 'f':
        out += pad(p.micros, 6);
        break;
      case 'j':
        out += pad(p.dayOfYear, 3);
        break;
      case '%':
        out += '%';
        break;
      default:
        throw new UnsupportedFeatureError(
          `time column format '${pattern}' uses '%${directive ?? ''}'; supported directives: ` +
            STRFTIME_DIRECTIVES.split(' ')
              .map((d) => `%${d}`)
              .join(' '),
        );
    }
  }
  return out;
}
