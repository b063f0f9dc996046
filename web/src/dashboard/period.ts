/**
 * The dashboard's view in the address: period (day, week, month, quarter, year or a custom range),
 * the date that picks a preset (or the two ends of a range) and the field, as the monitoring and
 * report routes take them (src/monitoring/period.ts). Also local-date arithmetic for the
 * previous / next period and the sub-periods of a trend. Dates are 'YYYY-MM-DD' local dates
 * (Vietnam time), computed in UTC so that no time zone can shift them.
 */
import type { MessageKey } from '../i18n/vi.js';
import { PERIOD_KINDS, type PeriodKind, type PeriodView } from './types.js';

/**
 * What this file uses of the app's translate function (web/src/i18n): only plain .ts imports
 * here, so that the Node unit tests can load this file.
 */
interface Translate {
  (key: MessageKey, params?: Record<string, string | number>): string;
  locale: string;
}

export interface ViewQuery {
  period?: PeriodKind;
  /** For a preset: any day in it; for custom: the first day. */
  from?: string;
  /** Custom only: the last day, inclusive. */
  to?: string;
  field?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELD = /^[A-Za-z0-9_.-]{1,40}$/;

/** A real calendar date (2026-02-30 is not one, though Date would roll it over to March). */
function isDate(s: string | null): s is string {
  if (s === null || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The view the address asks for; anything malformed is left out (the server's default applies). */
export function viewFrom(params: URLSearchParams): ViewQuery {
  const v: ViewQuery = {};
  const period = params.get('period');
  if (period && (PERIOD_KINDS as readonly string[]).includes(period)) v.period = period as PeriodKind;
  const from = params.get('from');
  const to = params.get('to');
  if (isDate(from)) v.from = from;
  if (isDate(to) && (v.period === 'custom' || v.period === undefined)) v.to = to;
  const field = params.get('field');
  if (field && FIELD.test(field)) v.field = field;
  return v;
}

/** The query of the monitoring and report routes. */
export function apiQuery(v: ViewQuery): Record<string, string | undefined> {
  return { period: v.period, from: v.from, to: v.period === 'custom' || v.period === undefined ? v.to : undefined, field: v.field };
}

/** The view that shows exactly `p` (a preset by its first day, a range by both ends). */
export function viewOfPeriod(p: Pick<PeriodView, 'kind' | 'from' | 'to'>, field?: string): ViewQuery {
  return p.kind === 'custom' ? { period: 'custom', from: p.from, to: p.to, field } : { period: p.kind, from: p.from, field };
}

/** "?period=month&from=…" for an address in the app (extra parameters after the view's). */
export function viewSearch(v: ViewQuery, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, val] of Object.entries({ ...apiQuery(v), ...extra })) if (val !== undefined && val !== null && val !== '') p.set(k, String(val));
  const s = p.toString();
  return s ? `?${s}` : '';
}

// ---- Local dates ---------------------------------------------------------------------------------

const utc = (s: string) => new Date(`${s}T00:00:00Z`);
const ymd = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(s: string, n: number): string {
  const d = utc(s);
  d.setUTCDate(d.getUTCDate() + n);
  return ymd(d);
}

/** The preset period before (−1) or after (+1) `p`, as a view; null for a custom range. */
export function shiftPeriod(p: PeriodView, step: -1 | 1, field?: string): ViewQuery | null {
  if (p.kind === 'custom') return null;
  return { period: p.kind, from: step < 0 ? addDays(p.from, -1) : addDays(p.to, 1), field };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A local date for people: 22/11/2026 (the same order in both languages here, as on the forms). */
export function dateText(t: Translate, s: string): string {
  let f = dateFormats.get(t.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(t.locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(t.locale, f);
  }
  return f.format(utc(s));
}

/** "Tháng 11/2026 (01/11/2026 – 30/11/2026)" and the like. */
export function periodText(t: Translate, p: Pick<PeriodView, 'kind' | 'from' | 'to'>): string {
  const from = dateText(t, p.from);
  const to = dateText(t, p.to);
  const [y, m] = p.from.split('-').map(Number) as [number, number];
  switch (p.kind) {
    case 'day':
      return t('dash.periodText.day', { date: from });
    case 'week':
      return t('dash.periodText.week', { from, to });
    case 'month':
      return t('dash.periodText.month', { month: m, year: y, from, to });
    case 'quarter':
      return t('dash.periodText.quarter', { quarter: Math.floor((m - 1) / 3) + 1, year: y, from, to });
    case 'year':
      return t('dash.periodText.year', { year: y });
    case 'custom':
      return t('dash.periodText.custom', { from, to });
  }
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** hh:mm:ss of an instant in Vietnam time. */
export function clockText(t: Translate, iso: string): string {
  let f = timeFormats.get(t.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(t.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' });
    timeFormats.set(t.locale, f);
  }
  return f.format(new Date(iso));
}

// ---- Sub-periods of a trend ----------------------------------------------------------------------

export type Step = 'day' | 'week' | 'month';

export interface SubPeriod {
  from: string;
  to: string;
}

/** The step a trend over `p` is drawn in by default: about 4 to 31 points. */
export function defaultStep(p: Pick<PeriodView, 'days'>): Step | null {
  if (p.days < 2) return null;
  if (p.days <= 31) return p.days <= 14 ? 'day' : 'week';
  if (p.days <= 190) return 'week';
  return 'month';
}

/** At most this many points per line: each one is a request per unit. */
export const MAX_POINTS = 36;

/**
 * The days, ISO weeks (Monday to Sunday) or months of [from, to], cut to the period's ends and
 * to `today` (nothing is known after it); at most MAX_POINTS, the latest kept.
 */
export function subPeriods(from: string, to: string, step: Step, today: string): SubPeriod[] {
  const end = to < today ? to : today;
  const out: SubPeriod[] = [];
  let start = from;
  while (start <= end) {
    let last: string;
    if (step === 'day') last = start;
    else if (step === 'week') {
      const weekday = (utc(start).getUTCDay() + 6) % 7; // Monday 0
      last = addDays(start, 6 - weekday);
    } else {
      const d = utc(start);
      last = ymd(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
    }
    if (last > end) last = end;
    out.push({ from: start, to: last });
    start = addDays(last, 1);
  }
  return out.slice(-MAX_POINTS);
}

/** A sub-period's label on the chart's axis. */
export function subPeriodText(t: Translate, s: SubPeriod, step: Step): string {
  const [y, m, d] = s.from.split('-').map(Number) as [number, number, number];
  if (step === 'month') return t('dash.trend.monthLabel', { month: m, year: y });
  if (step === 'day') return t('dash.trend.dayLabel', { day: d, month: m });
  const [, m2, d2] = s.to.split('-').map(Number) as [number, number, number];
  return t('dash.trend.weekLabel', { day: d, month: m, day2: d2, month2: m2 });
}
