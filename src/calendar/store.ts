/**
 * Loads the working calendar of a unit from the database: the holiday table (shared) and the
 * working hours of the unit's nearest ancestor that has its own (default Mon–Fri 07:00–11:30,
 * 13:30–17:00).
 *
 * The loaded calendars are cached for a few seconds per process: the holiday table changes a few
 * times a year, and the instance that changes it drops its cache at once. Another instance may
 * use the previous table for at most CACHE_MS; the recomputation that follows a change runs in
 * the changing transaction, so open appointments are always recomputed with the new table.
 */
import { sql, type Kysely } from 'kysely';
import { makeCalendar, type CalendarConfig, type Interval, type Weekday } from '../core/calendar.js';
import type { DB } from '../platform/db-types.js';
import { TtlCache } from '../platform/ttl-cache.js';

const CACHE_MS = 10_000;

/** The single key of the own-hours cache. */
const OWN_HOURS = '';

export class CalendarStore {
  private calendars = new TtlCache<string, CalendarConfig>(CACHE_MS);
  private own = new TtlCache<string, ReadonlySet<string>>(CACHE_MS);

  constructor(private readonly db: Kysely<DB>) {}

  invalidate(): void {
    this.calendars = new TtlCache(CACHE_MS);
    this.own = new TtlCache(CACHE_MS);
  }

  /** The units with working hours of their own (their subtree inherits them), cached like the calendars. */
  unitsWithOwnHours(): Promise<ReadonlySet<string>> {
    return this.own.get(OWN_HOURS, () =>
      this.db
        .selectFrom('unit_working_hours')
        .select('unit_code')
        .execute()
        .then((rows) => new Set(rows.map((r) => r.unit_code)) as ReadonlySet<string>),
    );
  }

  /**
   * Calendar for a unit (by code); unknown units get the default hours. Inside a transaction pass
   * it as `db`: a miss is then read on the transaction's own connection (the embedded database has
   * only one, and a server pool should not need two per request).
   */
  forUnit(unitCode: string, db: Kysely<DB> = this.db): Promise<CalendarConfig> {
    return this.calendars.get(unitCode, () => loadCalendar(db, unitCode));
  }
}

export async function loadCalendar(db: Kysely<DB>, unitCode: string): Promise<CalendarConfig> {
  const [days, hours] = await Promise.all([
    db.selectFrom('calendar_days').select(['date', 'kind']).execute(),
    db
      .selectFrom('unit_working_hours as h')
      .innerJoin('units as u', 'u.code', 'h.unit_code')
      .select(['h.weekly', 'h.swap_day_hours', sql<number>`length(u.path)`.as('depth')])
      .where(sql<boolean>`(select path from units where code = ${unitCode}) like u.path || '%'`)
      .orderBy('depth', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const weekly = hours
    ? (Object.fromEntries(Object.entries(hours.weekly).map(([k, v]) => [Number(k), v])) as Partial<Record<Weekday, Interval[]>>)
    : undefined;
  return makeCalendar({
    holidays: days.map((d) => ({ date: d.date, kind: d.kind })),
    ...(weekly ? { weekly, swapDayHours: hours!.swap_day_hours } : {}),
  });
}
