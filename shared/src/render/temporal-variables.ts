import type { Interval } from '../schedule/interval';
import { EPOCH_INTERVAL } from './constants';
import { quoteSqlString } from './sql-literal';

/** Options of {@link temporalMacroVariables}. */
export interface TemporalVariablesOptions {
  /**
   * `execution` gives only `execution_*`/`latest_*`: the queries (and audits) of VIEW and FULL models see no
   * interval, so referencing `@start_ds` there must fail as undefined.
   */
  readonly include?: 'all' | 'execution';
}

/** An instant with microsecond precision: epoch ms plus 0-999 extra microseconds. */
interface MicroInstant {
  readonly ms: number;
  readonly micros: number;
}

/**
 * The SQLMesh temporal macro variables (§5.2) for a batch `[start, end)` and an execution time, as SQL literal
 * text keyed by lower-cased name, ready for {@link MacroContext.variables}. `end_*` use the inclusive end
 * `end - 1µs` (§5.1), so `col BETWEEN @start_ds AND @end_ds` covers exactly the batch. All values are UTC.
 *
 * @example
 * const v = temporalMacroVariables([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 3)], Date.UTC(2020, 0, 3));
 * v.start_ds; // "'2020-01-01'"
 * v.end_ts; // "'2020-01-02 23:59:59.999999'"
 */
export function temporalMacroVariables(
  interval: Interval,
  executionMs: number,
  options: TemporalVariablesOptions = {},
): Record<string, string> {
  const [startMs, endMs] = interval;
  const vars: Record<string, string> = {};
  const instants: [string, MicroInstant][] = [
    ['execution', { ms: executionMs, micros: 0 }],
    ['latest', { ms: executionMs, micros: 0 }],
  ];
  if ((options.include ?? 'all') === 'all') {
    instants.push(['start', { ms: startMs, micros: 0 }], ['end', { ms: endMs - 1, micros: 999 }]);
  }
  for (const [prefix, instant] of instants) {
    const ts = formatTimestamp(instant);
    vars[`${prefix}_dt`] = `CAST('${ts}+00:00' AS TIMESTAMPTZ)`;
    vars[`${prefix}_dtntz`] = `CAST('${ts}' AS TIMESTAMP)`;
    vars[`${prefix}_date`] = `CAST('${ts.slice(0, 10)}' AS DATE)`;
    vars[`${prefix}_ds`] = quoteSqlString(ts.slice(0, 10));
    vars[`${prefix}_ts`] = quoteSqlString(ts);
    vars[`${prefix}_tstz`] = quoteSqlString(`${ts}+00:00`);
    vars[`${prefix}_hour`] = String(new Date(instant.ms).getUTCHours());
    vars[`${prefix}_millis`] = String(instant.ms);
    const seconds = instant.ms / 1000;
    vars[`${prefix}_epoch`] = Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
  }
  return vars;
}

/** {@link temporalMacroVariables} with no interval: start, end and execution at the epoch, as SQLMesh renders at load. */
export function epochMacroVariables(options: TemporalVariablesOptions = {}): Record<string, string> {
  return temporalMacroVariables(EPOCH_INTERVAL, 0, options);
}

/** `YYYY-MM-DD HH:MM:SS`, with `.ffffff` appended when the fraction is not zero. */
function formatTimestamp(instant: MicroInstant): string {
  const iso = new Date(instant.ms).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const fraction = (((instant.ms % 1000) + 1000) % 1000) * 1000 + instant.micros;
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}
