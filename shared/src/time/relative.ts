import { TimeParseError } from '../errors';
import { addMonthsClamped, floorToDay, floorToMinute } from './calendar';
import {
  DAY_SHORTCUTS,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  RELATIVE_COUNT_RE,
  RELATIVE_PART_RE,
  RELATIVE_SEPARATOR_RE,
  RELATIVE_UNIT_ALIASES,
  type RelativeUnit,
  TIME_OF_DAY_UNITS,
} from './constants';

/**
 * Relative time expressions (`'1 week ago'`, `'3 days 2 hours ago'`, `'yesterday'`, `'in 1 week'`), the
 * subset of `dateparser` freshness expressions that SQLMesh projects use for `start` and CLI ranges.
 */

/** A parsed relative expression: signed amounts per unit. */
export interface RelativeExpression {
  /** -1 for the past (`ago`, or no direction word), +1 for the future (`in ...`). */
  readonly direction: -1 | 1;
  readonly amounts: ReadonlyMap<RelativeUnit, number>;
  /** True when the base is floored to midnight before applying the amounts. */
  readonly categorical: boolean;
}

/**
 * Parses a relative expression, or returns undefined when `text` is not one. Throws TimeParseError only
 * for expressions that are clearly relative but unusable (`'1.5 months ago'`, `'in 1 day ago'`).
 */
export function parseRelativeExpression(text: string): RelativeExpression | undefined {
  const normalised = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const shortcut = DAY_SHORTCUTS[normalised];
  if (shortcut !== undefined) {
    return {
      direction: shortcut < 0 ? -1 : 1,
      amounts: new Map<RelativeUnit, number>([['day', Math.abs(shortcut)]]),
      categorical: true,
    };
  }
  if (normalised === 'now') return { direction: -1, amounts: new Map(), categorical: false };

  let words = normalised.split(RELATIVE_SEPARATOR_RE).filter((w) => w !== '' && w !== 'and');
  const future = words[0] === 'in';
  const past = words[words.length - 1] === 'ago';
  if (future) words = words.slice(1);
  if (past) words = words.slice(0, -1);
  if (words.length === 0) return undefined;

  const amounts = new Map<RelativeUnit, number>();
  // Pairs are either `3 days` (two words) or `3days` (one word).
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? '';
    const next = words[i + 1];
    let match = RELATIVE_PART_RE.exec(word);
    let consumed = 1;
    if (!match && next !== undefined && RELATIVE_COUNT_RE.test(word)) {
      match = RELATIVE_PART_RE.exec(`${word}${next}`);
      consumed = 2;
    }
    if (!match) return undefined;
    const unit = RELATIVE_UNIT_ALIASES[match[2] ?? ''];
    if (!unit) return undefined;
    const amount = Number(match[1]);
    amounts.set(unit, (amounts.get(unit) ?? 0) + amount);
    i += consumed;
  }
  if (future && past) {
    throw new TimeParseError(`Cannot read '${text}' as a time: it says both 'in' and 'ago'`);
  }
  for (const unit of ['decade', 'year', 'month'] as const) {
    const amount = amounts.get(unit);
    if (amount !== undefined && !Number.isInteger(amount)) {
      throw new TimeParseError(
        `Cannot read '${text}' as a time: ${unit}s must be a whole number (got ${amount})`,
      );
    }
  }
  const categorical = ![...amounts.keys()].some((u) => TIME_OF_DAY_UNITS.has(u));
  return { direction: future ? 1 : -1, amounts, categorical };
}

/** True when `value` is a relative expression of any kind (`'1 week ago'`, `'3 hours ago'`, `'yesterday'`). */
export function isRelative(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return parseRelativeExpression(value) !== undefined;
  } catch {
    return true;
  }
}

/**
 * True when `value` is a relative expression with no hour/minute/second part, or `today`/`yesterday`/
 * `tomorrow`. Such expressions resolve against midnight, so `'1 week ago'` means a whole day.
 */
export function isCategoricalRelative(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return parseRelativeExpression(value)?.categorical ?? false;
  } catch {
    return false;
  }
}

/**
 * Resolves a relative expression against `nowMs` floored to the minute (or to UTC midnight when the
 * expression is categorical). Months, years and decades use calendar arithmetic with day clamping,
 * applied before the fixed-length units, as `relativedelta` does.
 */
export function resolveRelativeExpression(expr: RelativeExpression, nowMs: number): number {
  const base = expr.categorical ? floorToDay(nowMs) : floorToMinute(nowMs);
  const months = (expr.amounts.get('decade') ?? 0) * 120 + (expr.amounts.get('year') ?? 0) * 12 +
    (expr.amounts.get('month') ?? 0);
  const fixedMs =
    (expr.amounts.get('week') ?? 0) * 7 * MS_PER_DAY +
    (expr.amounts.get('day') ?? 0) * MS_PER_DAY +
    (expr.amounts.get('hour') ?? 0) * MS_PER_HOUR +
    (expr.amounts.get('minute') ?? 0) * MS_PER_MINUTE +
    (expr.amounts.get('second') ?? 0) * MS_PER_SECOND;
  const shifted = months === 0 ? base : addMonthsClamped(base, expr.direction * months);
  return shifted + expr.direction * Math.round(fixedMs);
}
