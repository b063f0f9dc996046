/**
 * Working calendar and legal deadlines ("ngày hẹn trả kết quả").
 *
 * Pure module: no I/O, no clock. Every instant is passed in as a `Date`, and
 * the local (Vietnam) time is derived from `utcOffsetMinutes` so that nothing
 * depends on the host time zone. Vietnam is UTC+7 all year (no DST).
 *
 * Internally, local dates are handled as "local day numbers" (whole days since
 * 1970-01-01 in local time) and times of day as milliseconds since local
 * midnight; 'YYYY-MM-DD' strings only appear at the public boundary. This keeps
 * the hot paths (computeDueAt is called for every dossier) free of string
 * formatting and lets us skip whole days with a couple of Set lookups.
 */

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday … 7 = Sunday

/** A working interval in minutes since local midnight, `start < end`, `0 <= start`, `end <= 1440`. */
export interface Interval {
  start: number;
  end: number;
}

export interface CalendarConfig {
  utcOffsetMinutes: number;
  /** Working intervals per weekday, sorted, non-overlapping. */
  weekly: Record<Weekday, Interval[]>;
  /** Public holidays (local dates): no work even if the weekday normally works. */
  daysOff: ReadonlySet<string>;
  /** Swapped working days (e.g. a Saturday): worked with `swapDayHours`. */
  extraWorkingDays: ReadonlySet<string>;
  /** Hours on an extra working day (default = Monday's). */
  swapDayHours: Interval[];
}

export type TimeLimitKind = 'working_days' | 'hours' | 'days' | 'same_day' | 'none';

export interface HolidayEntry {
  date: string;
  kind: 'day_off' | 'working_day';
}

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** Vietnam: UTC+7, no DST. */
export const VIETNAM_UTC_OFFSET_MINUTES = 420;

/** The rules define one working day as exactly 8 working hours, whatever the weekly schedule. */
export const HOURS_PER_WORKING_DAY = 8;
export const WORKING_DAY_MS = HOURS_PER_WORKING_DAY * MS_PER_HOUR;

/** `same_day`: receipts strictly before 15:00 local on a working day are due that day. */
export const SAME_DAY_CUTOFF_MINUTES = 15 * 60;

/**
 * Loop guard: if this many consecutive days contain no working time, the
 * calendar is considered broken (e.g. no working intervals at all) and we throw
 * instead of looping forever.
 */
export const MAX_EMPTY_DAYS_SCANNED = 3660;

/**
 * Upper bound accepted by validateTimeLimit (≈ 10 years). Not in the legal
 * rules; it only protects the server from absurd values (1e12 working days
 * would otherwise be iterated day by day).
 */
export const MAX_TIME_LIMIT_DAYS = 3660;

const iv = (startH: number, startM: number, endH: number, endM: number): Interval =>
  Object.freeze({ start: startH * 60 + startM, end: endH * 60 + endM });

/** Mon–Fri 07:00–11:30 and 13:30–17:00 (= 8 working hours); Sat/Sun no work. */
export const DEFAULT_WEEKLY: Readonly<Record<Weekday, readonly Interval[]>> = Object.freeze({
  1: Object.freeze([iv(7, 0, 11, 30), iv(13, 30, 17, 0)]),
  2: Object.freeze([iv(7, 0, 11, 30), iv(13, 30, 17, 0)]),
  3: Object.freeze([iv(7, 0, 11, 30), iv(13, 30, 17, 0)]),
  4: Object.freeze([iv(7, 0, 11, 30), iv(13, 30, 17, 0)]),
  5: Object.freeze([iv(7, 0, 11, 30), iv(13, 30, 17, 0)]),
  6: Object.freeze([]),
  7: Object.freeze([]),
});

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

// ---------------------------------------------------------------------------
// Local dates <-> day numbers
// ---------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' -> whole days since 1970-01-01. Throws on malformed or impossible dates. */
export function dayNumberOf(localDate: string): number {
  const m = DATE_RE.exec(localDate);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const utc = Date.UTC(y, mo - 1, d);
    const back = new Date(utc);
    // Round-trip check rejects 2026-02-30 and friends (Date.UTC silently rolls over).
    // Years 0–99 are mapped to 1900+ by Date.UTC, which the check also rejects.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return utc / MS_PER_DAY;
    }
  }
  throw new RangeError(`Invalid local date ${JSON.stringify(localDate)} (expected YYYY-MM-DD)`);
}

/** Whole days since 1970-01-01 -> 'YYYY-MM-DD'. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a day number (1970-01-01 was a Thursday = 4). */
function weekdayOfDayNumber(day: number): Weekday {
  return ((((day + 3) % 7) + 7) % 7 + 1) as Weekday;
}

export function weekdayOf(localDate: string): Weekday {
  return weekdayOfDayNumber(dayNumberOf(localDate));
}

function instantMs(d: Date, what = 'instant'): number {
  const v = d.getTime();
  if (Number.isNaN(v)) throw new RangeError(`Invalid ${what}: Invalid Date`);
  return v;
}

/**
 * Local day number of an instant for a given UTC offset. Exported so that other
 * core modules (timeliness) compare local dates the same way.
 */
export function localDayIndex(instant: Date, utcOffsetMinutes: number): number {
  return Math.floor((instantMs(instant) + utcOffsetMinutes * MS_PER_MINUTE) / MS_PER_DAY);
}

// ---------------------------------------------------------------------------
// Compiled calendar (numeric form, cached per config object)
// ---------------------------------------------------------------------------

/** Interval in milliseconds since local midnight. */
interface MsInterval {
  readonly start: number;
  readonly end: number;
}

interface Compiled {
  // The source references, to detect a config object whose fields were reassigned.
  readonly srcWeekly: CalendarConfig['weekly'];
  readonly srcDaysOff: ReadonlySet<string>;
  readonly srcExtra: ReadonlySet<string>;
  readonly srcSwap: Interval[];
  readonly srcOffset: number;

  readonly offsetMs: number;
  /** Index = ISO weekday - 1. */
  readonly weekly: ReadonlyArray<readonly MsInterval[]>;
  readonly swap: readonly MsInterval[];
  readonly off: ReadonlySet<number>;
  readonly extra: ReadonlySet<number>;
}

const EMPTY: readonly MsInterval[] = Object.freeze([]);

/**
 * Compiled forms are cached by config identity. Configs are treated as
 * immutable (makeCalendar freezes what it can); if a field of a config object is
 * reassigned the cache notices and recompiles, but mutating a Set in place is
 * not detected – build a new calendar instead.
 */
const cache = new WeakMap<CalendarConfig, Compiled>();

function validateIntervals(list: readonly Interval[], label: string): void {
  let prevEnd = -Infinity;
  for (const i of list) {
    if (
      !i ||
      !Number.isFinite(i.start) ||
      !Number.isFinite(i.end) ||
      i.start < 0 ||
      i.end > MINUTES_PER_DAY ||
      i.start >= i.end
    ) {
      throw new RangeError(`${label}: invalid interval ${JSON.stringify(i)} (need 0 <= start < end <= 1440)`);
    }
    if (i.start < prevEnd) {
      throw new RangeError(`${label}: intervals must be sorted and non-overlapping`);
    }
    prevEnd = i.end;
  }
}

function toMs(list: readonly Interval[]): readonly MsInterval[] {
  if (list.length === 0) return EMPTY;
  return Object.freeze(list.map((i) => Object.freeze({ start: i.start * MS_PER_MINUTE, end: i.end * MS_PER_MINUTE })));
}

function validateOffset(utcOffsetMinutes: number): void {
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    throw new RangeError(`Invalid utcOffsetMinutes ${utcOffsetMinutes} (integer within ±840 expected)`);
  }
}

function compile(cal: CalendarConfig): Compiled {
  const hit = cache.get(cal);
  if (
    hit &&
    hit.srcWeekly === cal.weekly &&
    hit.srcDaysOff === cal.daysOff &&
    hit.srcExtra === cal.extraWorkingDays &&
    hit.srcSwap === cal.swapDayHours &&
    hit.srcOffset === cal.utcOffsetMinutes
  ) {
    return hit;
  }
  validateOffset(cal.utcOffsetMinutes);
  const weekly = WEEKDAYS.map((wd) => {
    const list = cal.weekly[wd] ?? [];
    validateIntervals(list, `weekly[${wd}]`);
    return toMs(list);
  });
  validateIntervals(cal.swapDayHours, 'swapDayHours');
  const compiled: Compiled = {
    srcWeekly: cal.weekly,
    srcDaysOff: cal.daysOff,
    srcExtra: cal.extraWorkingDays,
    srcSwap: cal.swapDayHours,
    srcOffset: cal.utcOffsetMinutes,
    offsetMs: cal.utcOffsetMinutes * MS_PER_MINUTE,
    weekly,
    swap: toMs(cal.swapDayHours),
    off: new Set([...cal.daysOff].map(dayNumberOf)),
    extra: new Set([...cal.extraWorkingDays].map(dayNumberOf)),
  };
  cache.set(cal, compiled);
  return compiled;
}

/**
 * Working intervals of a local day. Precedence: a day off never works (even if
 * it is also listed as an extra working day); an extra working day works with
 * the swap-day hours (replacing the weekday's hours); otherwise the weekly
 * schedule applies.
 */
function intervalsOfDay(c: Compiled, day: number): readonly MsInterval[] {
  if (c.off.has(day)) return EMPTY;
  if (c.extra.has(day)) return c.swap;
  return c.weekly[weekdayOfDayNumber(day) - 1] ?? EMPTY;
}

function brokenCalendarError(fromDay: number): Error {
  return new Error(
    `Working calendar has no working time in the ${MAX_EMPTY_DAYS_SCANNED} days after ${dateOfDayNumber(fromDay)}; ` +
      'check the weekly schedule and holiday table',
  );
}

/** First working day number strictly after `day`. */
function nextWorkingDayNumber(c: Compiled, day: number): number {
  for (let d = day + 1, n = 0; n < MAX_EMPTY_DAYS_SCANNED; d++, n++) {
    if (intervalsOfDay(c, d).length > 0) return d;
  }
  throw brokenCalendarError(day);
}

/** First working day number on or after `day`. */
function workingDayOnOrAfter(c: Compiled, day: number): number {
  return intervalsOfDay(c, day).length > 0 ? day : nextWorkingDayNumber(c, day);
}

/** Instant (epoch ms) of the end of the last interval of a working day. */
function closingMs(c: Compiled, day: number): number {
  const ivs = intervalsOfDay(c, day);
  const last = ivs[ivs.length - 1];
  if (!last) throw new RangeError(`${dateOfDayNumber(day)} is not a working day; it has no closing time`);
  return day * MS_PER_DAY + last.end - c.offsetMs;
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Builds a calendar config.
 * - `weekly`: if given, replaces DEFAULT_WEEKLY entirely; weekdays missing from
 *   it have no working hours.
 * - `holidays`: 'day_off' entries go to daysOff, 'working_day' entries (swapped
 *   Saturdays) to extraWorkingDays. Extra fields (name…) are ignored, so the
 *   DEFAULT_HOLIDAYS table can be passed directly.
 * - `swapDayHours`: defaults to Monday's hours.
 * Throws RangeError on malformed dates, intervals or offset.
 */
export function makeCalendar(
  opts: {
    weekly?: Partial<Record<Weekday, readonly Interval[]>>;
    holidays?: ReadonlyArray<HolidayEntry>;
    utcOffsetMinutes?: number;
    swapDayHours?: readonly Interval[];
  } = {},
): CalendarConfig {
  const utcOffsetMinutes = opts.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES;
  validateOffset(utcOffsetMinutes);
  const src = opts.weekly ?? DEFAULT_WEEKLY;
  const copy = (list: readonly Interval[]): Interval[] =>
    Object.freeze(list.map((i) => Object.freeze({ start: i.start, end: i.end }))) as Interval[];
  const weekly = {} as Record<Weekday, Interval[]>;
  for (const wd of WEEKDAYS) {
    const list = src[wd] ?? [];
    validateIntervals(list, `weekly[${wd}]`);
    weekly[wd] = copy(list);
  }
  const swapDayHours = copy(opts.swapDayHours ?? weekly[1]);
  validateIntervals(swapDayHours, 'swapDayHours');
  const daysOff = new Set<string>();
  const extraWorkingDays = new Set<string>();
  for (const h of opts.holidays ?? []) {
    dayNumberOf(h.date); // validate
    if (h.kind === 'day_off') daysOff.add(h.date);
    else if (h.kind === 'working_day') extraWorkingDays.add(h.date);
    else throw new RangeError(`Invalid holiday kind ${JSON.stringify((h as { kind: unknown }).kind)} for ${h.date}`);
  }
  return Object.freeze({
    utcOffsetMinutes,
    weekly: Object.freeze(weekly),
    daysOff,
    extraWorkingDays,
    swapDayHours,
  });
}

/** Local date ('YYYY-MM-DD') of an instant in the calendar's time zone. */
export function localDateOf(cal: CalendarConfig, instant: Date): string {
  return dateOfDayNumber(localDayIndex(instant, cal.utcOffsetMinutes));
}

export function isWorkingDay(cal: CalendarConfig, localDate: string): boolean {
  return intervalsOfDay(compile(cal), dayNumberOf(localDate)).length > 0;
}

/** Working intervals (minutes since local midnight) of a local date; [] on a day off. Returns a fresh copy. */
export function workingIntervalsOn(cal: CalendarConfig, localDate: string): Interval[] {
  return intervalsOfDay(compile(cal), dayNumberOf(localDate)).map((i) => ({
    start: i.start / MS_PER_MINUTE,
    end: i.end / MS_PER_MINUTE,
  }));
}

/** First working day strictly after `localDate`. */
export function nextWorkingDay(cal: CalendarConfig, localDate: string): string {
  return dateOfDayNumber(nextWorkingDayNumber(compile(cal), dayNumberOf(localDate)));
}

/** Instant at which the last working interval of `localDate` ends. Throws if the date is not a working day. */
export function closingTimeOn(cal: CalendarConfig, localDate: string): Date {
  return new Date(closingMs(compile(cal), dayNumberOf(localDate)));
}

/**
 * The instant at which `ms` of working time has elapsed, counting from `from`.
 *
 * Working intervals are half-open [open, close): the clock runs inside them.
 * For ms > 0 the result is the EARLIEST instant at which the accumulated working
 * time reaches `ms`, so a deadline that completes exactly at a closing time is
 * due at that closing time (never at the next opening).
 * For ms = 0 the result is the instant the clock is (or next starts) running:
 * `from` itself if it lies inside a working interval, otherwise the next opening
 * (an instant exactly at a closing time is outside, so it also moves to the next
 * opening).
 * Hence the result always lies within a working interval or at its end.
 * Fractional milliseconds are rounded up. Throws RangeError for negative or
 * non-finite `ms`.
 */
export function addWorkingTime(cal: CalendarConfig, from: Date, ms: number): Date {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid working duration ${ms} ms`);
  const c = compile(cal);
  const local = instantMs(from, 'from') + c.offsetMs;
  let day = Math.floor(local / MS_PER_DAY);
  let t = local - day * MS_PER_DAY; // ms since local midnight, only relevant on the first day
  let remaining = Math.ceil(ms);
  let emptyDays = 0;
  const startDay = day;
  for (;;) {
    const ivs = intervalsOfDay(c, day);
    for (const i of ivs) {
      if (t >= i.end) continue;
      const start = t > i.start ? t : i.start;
      const available = i.end - start;
      if (remaining <= available) return new Date(day * MS_PER_DAY + start + remaining - c.offsetMs);
      remaining -= available;
    }
    if (ivs.length === 0) {
      if (++emptyDays > MAX_EMPTY_DAYS_SCANNED) throw brokenCalendarError(startDay);
    } else {
      emptyDays = 0;
    }
    day++;
    t = 0;
  }
}

/** Milliseconds of working time in [from, to); 0 if to <= from. */
export function workingTimeBetween(cal: CalendarConfig, from: Date, to: Date): number {
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  if (toMs <= fromMs) return 0;
  const c = compile(cal);
  const fromLocal = fromMs + c.offsetMs;
  const toLocal = toMs + c.offsetMs;
  const firstDay = Math.floor(fromLocal / MS_PER_DAY);
  const lastDay = Math.floor(toLocal / MS_PER_DAY);
  let total = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const ivs = intervalsOfDay(c, day);
    if (ivs.length === 0) continue;
    const dayStart = day * MS_PER_DAY;
    const lo = day === firstDay ? fromLocal - dayStart : 0;
    const hi = day === lastDay ? toLocal - dayStart : MS_PER_DAY;
    for (const i of ivs) {
      const overlap = Math.min(i.end, hi) - Math.max(i.start, lo);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * Validates a procedure's time limit. Returns an error text, or null if valid.
 * - working_days, hours: finite number > 0 (fractions allowed, e.g. 0.5).
 * - days: integer >= 1.
 * - same_day, none: value ignored.
 * All bounded by MAX_TIME_LIMIT_DAYS (hours: that many × 8) as a sanity guard.
 */
export function validateTimeLimit(kind: TimeLimitKind, value: number): string | null {
  switch (kind) {
    case 'same_day':
    case 'none':
      return null;
    case 'working_days':
    case 'hours': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        return `Time limit for '${kind}' must be a finite number greater than 0`;
      }
      const max = kind === 'hours' ? MAX_TIME_LIMIT_DAYS * HOURS_PER_WORKING_DAY : MAX_TIME_LIMIT_DAYS;
      if (value > max) return `Time limit for '${kind}' must not exceed ${max}`;
      return null;
    }
    case 'days':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        return `Time limit for 'days' must be an integer of at least 1`;
      }
      if (value > MAX_TIME_LIMIT_DAYS) return `Time limit for 'days' must not exceed ${MAX_TIME_LIMIT_DAYS}`;
      return null;
    default:
      return `Unknown time limit kind ${JSON.stringify(kind as unknown)}`;
  }
}

/**
 * The legal due instant ("ngày hẹn trả") of a dossier received at `receivedAt`.
 * - working_days N: N × 8 working hours of clock time (see addWorkingTime).
 * - hours N: N working hours of clock time.
 * - days N: closing time on (receipt's local date + N), or on the next working day if that is not one.
 * - same_day: received on a working day strictly before 15:00 local -> that day's closing time;
 *   otherwise the next working day's closing time.
 * - none: null (no appointment).
 * Throws RangeError if validateTimeLimit rejects the value.
 */
export function computeDueAt(cal: CalendarConfig, receivedAt: Date, kind: TimeLimitKind, value: number): Date | null {
  const err = validateTimeLimit(kind, value);
  if (err) throw new RangeError(err);
  switch (kind) {
    case 'none':
      return null;
    case 'working_days':
      return addWorkingTime(cal, receivedAt, Math.round(value * WORKING_DAY_MS));
    case 'hours':
      return addWorkingTime(cal, receivedAt, Math.round(value * MS_PER_HOUR));
    case 'days': {
      const c = compile(cal);
      const receivedDay = Math.floor((instantMs(receivedAt, 'receivedAt') + c.offsetMs) / MS_PER_DAY);
      return new Date(closingMs(c, workingDayOnOrAfter(c, receivedDay + value)));
    }
    case 'same_day': {
      const c = compile(cal);
      const received = instantMs(receivedAt, 'receivedAt');
      const local = received + c.offsetMs;
      const day = Math.floor(local / MS_PER_DAY);
      const t = local - day * MS_PER_DAY;
      if (intervalsOfDay(c, day).length > 0 && t < SAME_DAY_CUTOFF_MINUTES * MS_PER_MINUTE) {
        const closing = closingMs(c, day);
        // With the default hours closing (17:00) is always after the 15:00 cutoff.
        // A custom short day (e.g. a swapped morning-only Saturday) could close
        // before the receipt; never return a due instant before the receipt.
        if (closing > received) return new Date(closing);
      }
      return new Date(closingMs(c, nextWorkingDayNumber(c, day)));
    }
  }
}
