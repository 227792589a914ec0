import type { Interval } from '../schedule/interval';
import { renderVariableLiterals } from '../schedule/render-variables';
import { EPOCH_INTERVAL } from './constants';

/** Options of {@link temporalMacroVariables}. */
export interface TemporalVariablesOptions {
  /**
   * `execution` gives only `execution_*`/`latest_*`: the queries (and audits) of VIEW and FULL models see no
   * interval, so referencing `@start_ds` there must fail as undefined.
   */
  readonly include?: 'all' | 'execution';
  /** Warehouse dialect the literals are written for; default `duckdb`. */
  readonly dialect?: string;
}

/**
 * The SQLMesh temporal macro variables (§5.2) for a batch `[start, end)` and an execution time, as SQL literal
 * text keyed by lower-cased name, ready for {@link MacroContext.variables}. `end_*` use the inclusive end
 * `end - 1µs` (§5.1), so `col BETWEEN @start_ds AND @end_ds` covers exactly the batch. All values are UTC.
 * The literals themselves come from the conformance-tested {@link renderVariableLiterals}.
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
  const all = renderVariableLiterals({ start: interval[0], end: interval[1] }, executionMs, options.dialect ?? 'duckdb');
  if ((options.include ?? 'all') === 'all') return all;
  return Object.fromEntries(
    Object.entries(all).filter(([name]) => name.startsWith('execution_') || name.startsWith('latest_')),
  );
}

/** {@link temporalMacroVariables} with no interval: start, end and execution at the epoch, as SQLMesh renders at load. */
export function epochMacroVariables(options: TemporalVariablesOptions = {}): Record<string, string> {
  return temporalMacroVariables(EPOCH_INTERVAL, 0, options);
}
