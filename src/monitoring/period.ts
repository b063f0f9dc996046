/**
 * The period of a monitoring view (issue 5 item 2): a preset (day, ISO week, month, calendar
 * quarter, year) containing an anchor date, or a custom range; both ends are local dates in
 * Vietnam time, inclusive. Pure.
 *
 * The previous period, which "falling fastest" compares with, is the preset before (the previous
 * day, ISO week, month, quarter or year) or, for a custom range of N days, the N days just before
 * it.
 */
import { dateOfDayNumber, dayNumberOf, localDayIndex, VIETNAM_UTC_OFFSET_MINUTES, weekdayOf } from '../core/calendar.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest range accepted: three years (a longer one would scan years of aggregates). */
export const MAX_PERIOD_YEARS = 3;

export interface Period {
  kind: PeriodKind;
  /** First local date, inclusive ('YYYY-MM-DD'). */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  days: number;
}

export interface PeriodProblem {
  field: 'from' | 'to' | 'period';
  message: string;
  messageVi: string;
}

export interface PeriodQuery {
  period?: PeriodKind;
  from?: string;
  to?: string;
}

const ymd = (s: string) => s.split('-').map(Number) as [number, number, number];
const fromUtc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const addDays = (s: string, n: number) => dateOfDayNumber(dayNumberOf(s) + n);
const span = (from: string, to: string) => dayNumberOf(to) - dayNumberOf(from) + 1;

/** The preset period of `kind` that contains `anchor`. */
export function presetContaining(kind: Exclude<PeriodKind, 'custom'>, anchor: string): Period {
  const [y, m] = ymd(anchor);
  let from: string;
  let to: string;
  switch (kind) {
    case 'day':
      from = to = anchor;
      break;
    case 'week':
      from = addDays(anchor, 1 - weekdayOf(anchor));
      to = addDays(from, 6);
      break;
    case 'month':
      from = fromUtc(y, m, 1);
      to = fromUtc(y, m + 1, 0);
      break;
    case 'quarter': {
      const first = m - ((m - 1) % 3);
      from = fromUtc(y, first, 1);
      to = fromUtc(y, first + 3, 0);
      break;
    }
    case 'year':
      from = fromUtc(y, 1, 1);
      to = fromUtc(y, 12, 31);
      break;
  }
  return { kind, from, to, days: span(from, to) };
}

/** The local date of an instant in Vietnam time. */
export function vietnamDate(instant: Date): string {
  return dateOfDayNumber(localDayIndex(instant, VIETNAM_UTC_OFFSET_MINUTES));
}

/** The instant a local date begins (00:00 in Vietnam time). */
export function startOfVietnamDay(date: string): Date {
  return new Date((dayNumberOf(date) * 1440 - VIETNAM_UTC_OFFSET_MINUTES) * 60_000);
}

/** The last date a range starting at `from` may end on: the day before the same date 3 years on. */
export function latestEnd(from: string): string {
  const [y, m, d] = ymd(from);
  return addDays(fromUtc(y + MAX_PERIOD_YEARS, m, d), -1);
}

/**
 * Resolves the query parameters (dates already checked as real 'YYYY-MM-DD' dates):
 * - a preset (`period` other than custom): the period containing `from` (default today); `to`
 *   belongs to custom ranges only;
 * - custom (or no `period` with both dates): `from` and `to` are required, from ≤ to, at most
 *   three years;
 * - nothing: the current month.
 */
export function resolvePeriod(q: PeriodQuery, today: string): { period: Period } | { problem: PeriodProblem } {
  const kind: PeriodKind = q.period ?? (q.from !== undefined || q.to !== undefined ? 'custom' : 'month');
  if (kind !== 'custom') {
    if (q.to !== undefined) {
      return {
        problem: {
          field: 'to',
          message: `'to' is only for period=custom; a ${kind} is chosen by a date in it ('from')`,
          messageVi: `'to' chỉ dùng với period=custom; kỳ theo ${KIND_VI[kind]} được chọn bằng một ngày trong kỳ ('from')`,
        },
      };
    }
    return { period: presetContaining(kind, q.from ?? today) };
  }
  if (q.from === undefined || q.to === undefined) {
    const field = q.from === undefined ? 'from' : 'to';
    return { problem: { field, message: `a custom period needs both 'from' and 'to' (YYYY-MM-DD)`, messageVi: `kỳ tùy chọn cần cả 'from' và 'to' (YYYY-MM-DD)` } };
  }
  if (q.from > q.to) {
    return { problem: { field: 'to', message: `'to' (${q.to}) is before 'from' (${q.from})`, messageVi: `'to' (${q.to}) trước 'from' (${q.from})` } };
  }
  if (q.to > latestEnd(q.from)) {
    return {
      problem: {
        field: 'to',
        message: `the period may cover at most ${MAX_PERIOD_YEARS} years: from ${q.from} choose 'to' on or before ${latestEnd(q.from)}`,
        messageVi: `kỳ báo cáo tối đa ${MAX_PERIOD_YEARS} năm: từ ${q.from} hãy chọn 'to' không sau ${latestEnd(q.from)}`,
      },
    };
  }
  return { period: { kind: 'custom', from: q.from, to: q.to, days: span(q.from, q.to) } };
}

const KIND_VI: Record<PeriodKind, string> = { day: 'ngày', week: 'tuần', month: 'tháng', quarter: 'quý', year: 'năm', custom: 'tùy chọn' };

/** The period before: the previous preset, or the same number of days just before a custom range. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'custom') {
    const to = addDays(p.from, -1);
    const from = addDays(p.from, -p.days);
    return { kind: 'custom', from, to, days: p.days };
  }
  return presetContaining(p.kind, addDays(p.from, -1));
}
