import { CronError } from '../errors';
import { civilFromDays, dayOfWeekFromDays, daysInMonth } from '../time/calendar';
import { MS_PER_DAY, MS_PER_MINUTE } from '../time/constants';
import {
  CRON_ALIASES,
  CRON_DAY_NAMES,
  CRON_FIELDS,
  CRON_HASH_RE,
  CRON_LAST_DAY_RE,
  CRON_LAST_WEEKDAY_RE,
  CRON_MONTH_NAMES,
  CRON_NTH_WEEKDAY_RE,
  CRON_NUMBER_RE,
  CRON_SCAN_DAYS,
  CRON_SCAN_START_DAY,
  CRON_WEEKDAY_NEAREST_RE,
} from './constants';

/**
 * A parsed five-field cron expression (croniter semantics), with lookup tables that make next/previous
 * tick searches a few array reads per day.
 */
export interface CronSpec {
  /** The expression as written. */
  readonly source: string;
  /** Five fields, shorthands expanded and whole-range fields written as `*`. */
  readonly normalized: string;
  /** `months[m]` for m in 1..12. */
  readonly months: Uint8Array;
  /** `daysOfMonth[d]` for d in 1..31. */
  readonly daysOfMonth: Uint8Array;
  /** `L` in day-of-month: the last day of each month. */
  readonly lastDayOfMonth: boolean;
  /** `daysOfWeek[w]` for w in 0..6 (Sunday = 0). */
  readonly daysOfWeek: Uint8Array;
  /** `w#n` items: the n-th weekday w of the month. */
  readonly nthWeekdays: readonly { readonly weekday: number; readonly nth: number }[];
  /** `wL` items: the last weekday w of the month. */
  readonly lastWeekdays: readonly number[];
  /**
   * Standard cron rule: when both day fields are restricted a day matches if EITHER matches; when one is
   * unrestricted only the other counts. A field covering its whole range counts as unrestricted (croniter).
   */
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
  /** True when the hour field covers all 24 hours (matters for repeated wall times in a DST fall-back). */
  readonly everyHour: boolean;
  /** Sorted minutes of the day (hour*60 + minute) at which the cron fires on a matching day. */
  readonly timesOfDay: readonly number[];
  /** `nextTimeOfDay[m]`: smallest entry of timesOfDay >= m, or -1. */
  readonly nextTimeOfDay: Int16Array;
  /** `prevTimeOfDay[m]`: largest entry of timesOfDay <= m, or -1. */
  readonly prevTimeOfDay: Int16Array;
  /** True when every calendar day matches (month, day-of-month and day-of-week all unrestricted). */
  readonly everyDay: boolean;
  /**
   * The constant gap between consecutive UTC ticks in ms when the cron is strictly periodic (every-day
   * crons whose times are evenly spread over the day, or one time on one weekday), else 0.
   */
  readonly periodMs: number;
  /** With periodMs: ticks are exactly `phaseMs + k * periodMs`. */
  readonly phaseMs: number;
  /** Smallest gap in seconds between any two consecutive ticks (UTC). */
  readonly minGapSeconds: number;
}

function problem(source: string, reason: string): CronError {
  return new CronError(`Invalid cron '${source}': ${reason}`);
}

interface FieldValues {
  values: Set<number>;
  lastDay: boolean;
  nth: { weekday: number; nth: number }[];
  lastWeekdays: number[];
  wholeRange: boolean;
}

function parseValue(
  text: string,
  field: (typeof CRON_FIELDS)[number],
  names: readonly string[] | undefined,
): number | string {
  if (CRON_NUMBER_RE.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) return `${field.name} ${n} outside ${field.min}-${field.max}`;
    return n;
  }
  const index = names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return field.name === 'month' ? index + 1 : index;
  if (CRON_HASH_RE.test(text)) return `${field.name} '${text}': hashed (H) values are not supported`;
  if (CRON_WEEKDAY_NEAREST_RE.test(text)) return `${field.name} '${text}': nearest-weekday (W) values are not supported`;
  const allowedNames = names ? ` or a name (${names.join(', ')})` : '';
  return `${field.name} value '${text}' is not a number in ${field.min}-${field.max}${allowedNames}`;
}

function parseField(source: string, text: string, index: number): FieldValues {
  const field = CRON_FIELDS[index] as (typeof CRON_FIELDS)[number];
  const names = field.name === 'month' ? CRON_MONTH_NAMES : field.name === 'day-of-week' ? CRON_DAY_NAMES : undefined;
  const out: FieldValues = { values: new Set(), lastDay: false, nth: [], lastWeekdays: [], wholeRange: false };
  const value = (t: string): number => {
    const v = parseValue(t, field, names);
    if (typeof v === 'string') throw problem(source, v);
    return v;
  };
  for (const item of text.split(',')) {
    if (item === '') throw problem(source, `${field.name} '${text}' has an empty list item`);
    if (field.name === 'day-of-month' && CRON_LAST_DAY_RE.test(item)) {
      out.lastDay = true;
      continue;
    }
    if (field.name === 'day-of-week') {
      const last = CRON_LAST_WEEKDAY_RE.exec(item);
      if (last) {
        out.lastWeekdays.push(value(last[1] ?? '') % 7);
        continue;
      }
      const nth = CRON_NTH_WEEKDAY_RE.exec(item);
      if (nth) {
        const n = Number(nth[2]);
        if (n < 1 || n > 5) throw problem(source, `day-of-week '${item}': the occurrence after # must be 1-5`);
        out.nth.push({ weekday: value(nth[1] ?? '') % 7, nth: n });
        continue;
      }
    }
    const [rangeText, stepText, extra] = item.split('/');
    if (extra !== undefined || rangeText === undefined || rangeText === '') {
      throw problem(source, `${field.name} '${item}' is not a value, range or step`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!CRON_NUMBER_RE.test(stepText)) throw problem(source, `${field.name} step '${stepText}' is not a number`);
      step = Number(stepText);
      if (step < 1) throw problem(source, `${field.name} step ${step} must be at least 1`);
    }
    let lo: number;
    let hi: number;
    if (rangeText === '*' || rangeText === '?') {
      lo = field.min;
      hi = field.name === 'day-of-week' ? 6 : field.max;
    } else if (rangeText.includes('-')) {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined || !a || !b) throw problem(source, `${field.name} range '${rangeText}' is malformed`);
      lo = value(a);
      hi = value(b);
      if (lo > hi) throw problem(source, `${field.name} range ${rangeText} is reversed (${lo} > ${hi})`);
    } else {
      lo = value(rangeText);
      hi = stepText === undefined ? lo : field.name === 'day-of-week' ? 6 : field.max;
    }
    for (let v = lo; v <= hi; v += step) out.values.add(field.name === 'day-of-week' ? v % 7 : v);
  }
  const size = field.name === 'day-of-week' ? 7 : field.max - field.min + 1;
  out.wholeRange =
    out.values.size === size && !out.lastDay && out.nth.length === 0 && out.lastWeekdays.length === 0;
  return out;
}

function fieldText(f: FieldValues, index: number): string {
  if (f.wholeRange) return '*';
  const items = [...f.values].sort((a, b) => a - b).map(String);
  if (f.lastDay) items.push('L');
  for (const w of f.lastWeekdays) items.push(`${w}L`);
  for (const { weekday, nth } of f.nth) items.push(`${weekday}#${nth}`);
  return items.length > 0 ? items.join(',') : CRON_FIELDS[index]?.name ?? '';
}

/** True when the civil day matches the cron's month and day fields. */
export function cronDayMatches(spec: CronSpec, year: number, month: number, day: number, weekday: number): boolean {
  if (spec.months[month] !== 1) return false;
  if (spec.everyDay) return true;
  if (spec.dayOfMonthRestricted && spec.daysOfMonth[day] === 1) return true;
  if (spec.dayOfWeekRestricted && spec.daysOfWeek[weekday] === 1) {
    // A plain weekday match; with an unrestricted day-of-month it is the only test.
    return true;
  }
  const monthLength = spec.lastDayOfMonth || spec.lastWeekdays.length > 0 ? daysInMonth(year, month) : 0;
  if (spec.dayOfMonthRestricted && spec.lastDayOfMonth && day === monthLength) return true;
  if (spec.dayOfWeekRestricted) {
    for (const n of spec.nthWeekdays) if (n.weekday === weekday && Math.ceil(day / 7) === n.nth) return true;
    for (const w of spec.lastWeekdays) if (w === weekday && day + 7 > monthLength) return true;
  }
  return !spec.dayOfMonthRestricted && !spec.dayOfWeekRestricted;
}

/** Sorted minutes-of-day, plus lookup tables for the next/previous one from any minute. */
function timeOfDayTables(minutes: Set<number>, hours: Set<number>) {
  const timesOfDay: number[] = [];
  for (const h of [...hours].sort((a, b) => a - b)) {
    for (const m of [...minutes].sort((a, b) => a - b)) timesOfDay.push(h * 60 + m);
  }
  const nextTimeOfDay = new Int16Array(1440).fill(-1);
  const prevTimeOfDay = new Int16Array(1440).fill(-1);
  let j = timesOfDay.length;
  for (let m = 1439; m >= 0; m -= 1) {
    while (j > 0 && (timesOfDay[j - 1] ?? 0) >= m) j -= 1;
    nextTimeOfDay[m] = timesOfDay[j] ?? -1;
  }
  let k = 0;
  for (let m = 0; m < 1440; m += 1) {
    while (k < timesOfDay.length && (timesOfDay[k] ?? 0) <= m) k += 1;
    prevTimeOfDay[m] = timesOfDay[k - 1] ?? -1;
  }
  return { timesOfDay, nextTimeOfDay, prevTimeOfDay };
}

const cache = new Map<string, CronSpec>();

/**
 * Parses a cron expression (5 fields or a shorthand) into a {@link CronSpec}; cached per expression.
 * Throws CronError naming the field, the bad value and the allowed range. Frequency is not checked here.
 */
export function parseCronSpec(expr: string): CronSpec {
  const hit = cache.get(expr);
  if (hit) return hit;
  const source = expr;
  const trimmed = expr.trim();
  const allowed = `expected 5 fields (minute hour day-of-month month day-of-week) or one of ${Object.keys(CRON_ALIASES).join(', ')}`;
  if (trimmed === '') throw problem(source, `the expression is empty; ${allowed}`);
  let text = trimmed;
  if (trimmed.startsWith('@')) {
    const alias = CRON_ALIASES[trimmed.toLowerCase()];
    if (!alias) throw problem(source, `unknown shorthand '${trimmed}'; ${allowed}`);
    text = alias;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw problem(source, `${allowed}, got ${parts.length} field${parts.length === 1 ? '' : 's'}`);
  const fields = parts.map((p, i) => parseField(source, p, i));
  const [minute, hour, dom, month, dow] = fields as [FieldValues, FieldValues, FieldValues, FieldValues, FieldValues];

  const months = new Uint8Array(13);
  for (const m of month.values) months[m] = 1;
  const daysOfMonth = new Uint8Array(32);
  for (const d of dom.values) daysOfMonth[d] = 1;
  const daysOfWeek = new Uint8Array(7);
  for (const w of dow.values) daysOfWeek[w] = 1;
  const tables = timeOfDayTables(minute.values, hour.values);
  const everyDay = month.wholeRange && dom.wholeRange && dow.wholeRange;

  const draft = {
    source,
    normalized: fields.map(fieldText).join(' '),
    months,
    daysOfMonth,
    lastDayOfMonth: dom.lastDay,
    daysOfWeek,
    nthWeekdays: dow.nth,
    lastWeekdays: dow.lastWeekdays,
    dayOfMonthRestricted: !dom.wholeRange,
    dayOfWeekRestricted: !dow.wholeRange,
    everyHour: hour.wholeRange,
    ...tables,
    everyDay,
    periodMs: 0,
    phaseMs: 0,
    minGapSeconds: 0,
  };
  const spec: CronSpec = { ...draft, ...cadence(draft) };
  cache.set(expr, spec);
  return spec;
}

/** Day numbers in the scan window on which the cron fires. */
function firingDays(spec: CronSpec): number[] {
  const days: number[] = [];
  let { year, month, day } = civilFromDays(CRON_SCAN_START_DAY);
  let weekday = dayOfWeekFromDays(CRON_SCAN_START_DAY);
  let monthLength = daysInMonth(year, month);
  for (let d = CRON_SCAN_START_DAY; d < CRON_SCAN_START_DAY + CRON_SCAN_DAYS; d += 1) {
    if (cronDayMatches(spec, year, month, day, weekday)) days.push(d);
    weekday = weekday === 6 ? 0 : weekday + 1;
    day += 1;
    if (day > monthLength) {
      day = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      monthLength = daysInMonth(year, month);
    }
  }
  return days;
}

/**
 * Periodicity and smallest gap, worked out from the fields rather than by sampling upcoming ticks, so the
 * answer never depends on when it is asked (croniter-based sampling can mistake `*\/7 * * * *` for a 7-minute
 * period early in an hour).
 */
function cadence(spec: CronSpec): Pick<CronSpec, 'periodMs' | 'phaseMs' | 'minGapSeconds'> {
  const times = spec.timesOfDay;
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  let withinDay = Infinity;
  for (let i = 1; i < times.length; i += 1) withinDay = Math.min(withinDay, (times[i] ?? 0) - (times[i - 1] ?? 0));

  if (spec.everyDay) {
    const wrap = 1440 - last + first;
    const gaps = new Set([wrap]);
    for (let i = 1; i < times.length; i += 1) gaps.add((times[i] ?? 0) - (times[i - 1] ?? 0));
    const minGap = Math.min(withinDay, wrap);
    if (gaps.size === 1) return { periodMs: wrap * MS_PER_MINUTE, phaseMs: first * MS_PER_MINUTE, minGapSeconds: wrap * 60 };
    return { periodMs: 0, phaseMs: 0, minGapSeconds: minGap * 60 };
  }

  const days = firingDays(spec);
  if (days.length === 0) {
    throw problem(spec.source, 'it never fires: no calendar day matches its day-of-month, month and day-of-week fields');
  }
  let minDayGap = Infinity;
  const dayGaps = new Set<number>();
  for (let i = 1; i < days.length; i += 1) {
    const gap = (days[i] ?? 0) - (days[i - 1] ?? 0);
    dayGaps.add(gap);
    minDayGap = Math.min(minDayGap, gap);
  }
  const acrossDays = minDayGap * 1440 - last + first;
  const minGapMinutes = Math.min(withinDay, acrossDays);
  // One time on one weekday every week is the only other strictly periodic shape.
  const weekly =
    times.length === 1 && dayGaps.size === 1 && dayGaps.has(7) && days[0] !== undefined;
  if (weekly) {
    const firstDay = days[0] ?? 0;
    const periodMs = 7 * MS_PER_DAY;
    const phaseMs = (((firstDay % 7) + 7) % 7) * MS_PER_DAY + first * MS_PER_MINUTE;
    return { periodMs, phaseMs, minGapSeconds: 7 * 86_400 };
  }
  return { periodMs: 0, phaseMs: 0, minGapSeconds: minGapMinutes * 60 };
}
