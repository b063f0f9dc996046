/**
 * The sums behind the heatmap, read from the monitoring aggregates only (migration 016): never a
 * scan of the dossiers. Per unit from monitoring_daily_field (the heatmap of all units), per
 * procedure from monitoring_daily (the drill-down), open dossiers from monitoring_open.
 *
 * "Carried over" (received before the period, not settled before it; form II.06a) is the flows
 * before the period: received − settled over the days before `from`. Per unit and channel,
 * received − settled over all days = the dossiers open now, so the same figure is also
 * open now − (received − settled) over the days from `from` on. Both are exact; the query reads
 * whichever covers fewer days (a recent period: the days since it began; an old one: the days
 * before it), so the cost grows with the shorter of the two spans, not with the whole history.
 *
 * Per unit, the span is read from monitoring_monthly_field (migration 019) for its whole calendar
 * months and from monitoring_daily_field for the days at its edges only (spanSources): a quarter is
 * 3 rows per unit × field × channel instead of ~90, with the same sums.
 */
import { sql, type RawBuilder } from 'kysely';
import { dateOfDayNumber, dayNumberOf, nextWorkingDay, type CalendarConfig } from '../core/calendar.js';
import type { AppContext } from '../platform/context.js';
import { weakTtlCache } from '../platform/ttl-cache.js';
import { zeroFacts, type FlowFacts } from './cells.js';
import { presetContaining, type Period } from './period.js';

export type GroupBy = 'unit' | 'procedure';

export interface FlowFilter {
  /** Units whose flows count (deciding units). */
  units: readonly string[];
  /**
   * The units of the database that are not in `units`, when known and few (MonitoringScope.outside):
   * the condition is then written against them, which spares a check of each row against the whole
   * list (most of the heatmap's database time at 10 million dossiers); none when empty.
   */
  outside?: readonly string[] | null;
  field?: string;
  procedure?: string;
}

export interface FlowRow {
  k: string;
  received: number | null;
  received_online: number | null;
  early: number | null;
  on_time: number | null;
  late: number | null;
  /** Received − settled over the other span (see the module comment), all channels and online. */
  net: number | null;
  net_online: number | null;
}

export interface OpenRow {
  k: string;
  open: number | null;
  open_online: number | null;
  overdue: number | null;
  due_soon: number | null;
}

const n = (v: number | string | null | undefined) => Number(v ?? 0);

export function filters(f: FlowFilter, table: 'monitoring_daily' | 'monitoring_daily_field' | 'monitoring_open'): RawBuilder<unknown>[] {
  const conds: RawBuilder<unknown>[] = [];
  if (f.field) conds.push(sql`t.field_code = ${f.field}`);
  if (f.procedure) {
    // monitoring_daily_field has no procedure column: a procedure filter reads monitoring_daily.
    if (table === 'monitoring_daily_field') throw new Error('a procedure filter needs monitoring_daily');
    conds.push(sql`t.procedure_code = ${f.procedure}`);
  }
  return conds;
}

/** First day of the month of a local date, and of the month after it. */
const monthOf = (d: string) => `${d.slice(0, 7)}-01`;
function nextMonth(d: string): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** How to read the days of a span, each piece inside one segment: edge day ranges and whole months. */
export interface SpanPieces {
  days: Array<[string, string]>;
  /** Whole months as first days, inclusive; null = unbounded on that side. */
  months: Array<[string | null, string | null]>;
}

/**
 * Splits the day span [lo, hi] (null = unbounded) at `cuts` (a segment starts at each) into pieces
 * that never straddle a cut, each segment read as whole calendar months plus the days before its
 * first whole month and after its last. Any row of a piece then lies entirely inside or outside
 * [from, to] when the cuts are from and to + 1, so a month row is classified by its first day.
 */
export function spanPieces(lo: string | null, hi: string | null, cuts: readonly string[]): SpanPieces {
  const out: SpanPieces = { days: [], months: [] };
  const inner = cuts.filter((c) => (lo === null || c > lo) && (hi === null || c <= hi)).sort();
  const bounds: Array<[string | null, string | null]> = [];
  let start = lo;
  for (const c of inner) {
    bounds.push([start, dateOfDayNumber(dayNumberOf(c) - 1)]);
    start = c;
  }
  bounds.push([start, hi]);
  for (const [a, b] of bounds) {
    // First whole month: the month of a if a is its first day, else the next one (none if unbounded).
    const m1 = a === null ? null : a === monthOf(a) ? a : nextMonth(a);
    // Month after the last whole month: the month after b's if b is its last day, else b's month.
    const m2 = b === null ? null : nextMonth(b) === dateOfDayNumber(dayNumberOf(b) + 1) ? nextMonth(b) : monthOf(b);
    if (m1 !== null && m2 !== null && m1 >= m2) {
      out.days.push([a!, b!]); // no whole month inside
      continue;
    }
    if (a !== null && m1 !== a) out.days.push([a, dateOfDayNumber(dayNumberOf(m1!) - 1)]);
    out.months.push([m1, m2 === null ? null : dateOfDayNumber(dayNumberOf(m2) - 1)]);
    if (b !== null && m2 !== null && m2 <= b) out.days.push([m2, b]);
  }
  return out;
}

/** A per-field daily table and its monthly roll-ups, read as one row source by spanSource. */
export interface FieldTables {
  daily: string;
  monthly: string;
  /**
   * The monthly table summed over the fields (unit × channel × month, migration 025), read for
   * the whole months when no field is filtered: a tenth of the rows of `monthly`.
   */
  monthlyUnit: string;
  /** The value columns read (besides unit_code, field_code, channel). */
  columns: readonly string[];
}

const FLOW_TABLES: FieldTables = {
  daily: 'monitoring_daily_field',
  monthly: 'monitoring_monthly_field',
  monthlyUnit: 'monitoring_monthly_unit',
  columns: ['received', 'settled_early', 'settled_on_time', 'settled_late'],
};

/**
 * The first day with monitoring flows: monitoring_daily_field's key starts with the day, so this is
 * one index read. It chooses which of two exact spans the carried-over figures are read from
 * (module comment); the flags are counted with the flows, so they share it.
 */
export function firstFlowDay(ctx: AppContext): Promise<string | null> {
  // Any answer gives exact sums, so a minute-old one serves (one round trip fewer per request).
  return firstDays.get(ctx.db, () =>
    sql<{ day: string | null }>`select min(day)::text as day from monitoring_daily_field`.execute(ctx.db).then((r) => r.rows[0]?.day ?? null),
  );
}
const firstDays = weakTtlCache<object, string | null>(60_000);

/** Whether a period is read "since" its start (its own days, from the open counts now) rather than from the days before it. */
export function readSince(firstDay: string | null, today: string, from: string): boolean {
  return firstDay !== null && dayNumberOf(today) - dayNumberOf(from) < dayNumberOf(from) - dayNumberOf(firstDay);
}

/**
 * The per-field rows over a span as one row source (the daily table's columns, `day` being the
 * month's first day for the monthly rows): a UNION ALL of index range reads.
 */
/** The condition on the unit column: against the shorter of the units in and the units out. */
export function unitCondition(f: Pick<FlowFilter, 'units' | 'outside'>, column = 't.unit_code'): RawBuilder<unknown> {
  const c = sql.raw(column);
  if (f.outside && f.outside.length < f.units.length) return f.outside.length === 0 ? sql`true` : sql`${c} <> all(${[...f.outside]}::text[])`;
  return sql`${c} = any(${[...f.units]}::text[])`;
}

export function spanSource(t: FieldTables, p: SpanPieces, units: RawBuilder<unknown>, extra: RawBuilder<unknown>, field: string | undefined): RawBuilder<unknown> {
  const cols = sql.raw(['t.unit_code', 't.field_code', 't.channel', ...t.columns.map((c) => `t.${c}`)].join(', '));
  // Whole months without a field filter: the unit roll-up (no field column; the field is not read).
  const unitCols = sql.raw(['t.unit_code', 'null::text as field_code', 't.channel', ...t.columns.map((c) => `t.${c}`)].join(', '));
  const range = (col: string, a: string | null, b: string | null) => {
    const c = sql.raw(col);
    const conds = [a === null ? null : sql`${c} >= ${a}::date`, b === null ? null : sql`${c} <= ${b}::date`].filter((x) => x !== null);
    return conds.length ? sql.join(conds, sql` AND `) : sql`true`;
  };
  const parts = [
    ...p.days.map(([a, b]) => sql`select t.day, ${cols} from ${sql.table(t.daily)} t where ${range('t.day', a, b)} and ${units}${extra}`),
    ...p.months.map(([a, b]) =>
      field === undefined
        ? sql`select t.month as day, ${unitCols} from ${sql.table(t.monthlyUnit)} t where ${range('t.month', a, b)} and ${units}${extra}`
        : sql`select t.month as day, ${cols} from ${sql.table(t.monthly)} t where ${range('t.month', a, b)} and ${units}${extra}`,
    ),
  ];
  return sql`(${sql.join(parts, sql` union all `)})`;
}

export const and = (conds: RawBuilder<unknown>[]) => (conds.length ? sql` AND ${sql.join(conds, sql` AND `)}` : sql``);

/**
 * Flows and open dossiers for the period, keyed by unit or by procedure. `dueSoonEnd` gives, per
 * deciding unit, the last local day counted as "due soon" (see dueSoonEnds); `today` is the local
 * date the "now" columns are counted at.
 */
export async function flowFacts(
  ctx: AppContext,
  by: GroupBy,
  period: Pick<Period, 'from' | 'to'>,
  f: FlowFilter,
  now: { today: string; dueSoonEnd: ReadonlyMap<string, string> },
  /** The first flow day (firstFlowDay), when the caller already asked for it. */
  firstDay?: Promise<string | null>,
): Promise<Map<string, FlowFacts>> {
  if (f.units.length === 0) return new Map();
  // Which span the carried-over figure is read from (module comment).
  const since = readSince(await (firstDay ?? firstFlowDay(ctx)), now.today, period.from);
  const q = flowQueries(by, period, f, now, since);
  // The flows and the open dossiers are independent reads: both at once.
  const [flows, open] = await Promise.all([q.flows.execute(ctx.db), q.open.execute(ctx.db)]);
  return q.read(flows.rows, open.rows);
}

/**
 * The two queries of flowFacts (flows over the span, open dossiers now) and how their rows make
 * the facts: run apart by flowFacts, or with other reads in one statement (selectTogether).
 */
export function flowQueries(
  by: GroupBy,
  period: Pick<Period, 'from' | 'to'>,
  f: FlowFilter,
  now: { today: string; dueSoonEnd: ReadonlyMap<string, string> },
  since: boolean,
): { flows: RawBuilder<FlowRow>; open: RawBuilder<OpenRow>; read(flows: readonly FlowRow[], open: readonly OpenRow[]): Map<string, FlowFacts> } {
  const table = by === 'unit' && !f.procedure ? 'monitoring_daily_field' : 'monitoring_daily';
  const key = sql.raw(by === 'unit' ? 't.unit_code' : 't.procedure_code');
  const units = [...f.units];
  const inUnits = unitCondition(f);
  const extra = and(filters(f, table));

  // The rows read: per field, whole months from the monthly table and edge days from the daily
  // one (spanPieces cuts at from and to + 1, so every row is wholly inside or outside the period
  // and the filters below classify a month by its first day); per procedure, the daily table.
  const cuts = [period.from, dateOfDayNumber(dayNumberOf(period.to) + 1)];
  const T =
    table === 'monitoring_daily_field'
      ? spanSource(FLOW_TABLES, since ? spanPieces(period.from, null, cuts) : spanPieces(null, period.to, cuts), inUnits, extra, f.field)
      : sql.table(table);
  const settled = sql`(t.settled_early + t.settled_on_time + t.settled_late)`;
  const inPeriod = sql`t.day <= ${period.to}::date`;
  const flowsQuery = since
    ? sql<FlowRow>`
        select ${key} as k,
               sum(t.received) filter (where ${inPeriod}) as received,
               sum(t.received) filter (where ${inPeriod} and t.channel = 2) as received_online,
               sum(t.settled_early) filter (where ${inPeriod}) as early,
               sum(t.settled_on_time) filter (where ${inPeriod}) as on_time,
               sum(t.settled_late) filter (where ${inPeriod}) as late,
               sum(t.received - ${settled}) as net,
               sum(t.received - ${settled}) filter (where t.channel = 2) as net_online
          from ${T} t
         where t.day >= ${period.from}::date and ${inUnits}${extra}
         group by 1`
    : sql<FlowRow>`
        select ${key} as k,
               sum(t.received) filter (where t.day >= ${period.from}::date) as received,
               sum(t.received) filter (where t.day >= ${period.from}::date and t.channel = 2) as received_online,
               sum(t.settled_early) filter (where t.day >= ${period.from}::date) as early,
               sum(t.settled_on_time) filter (where t.day >= ${period.from}::date) as on_time,
               sum(t.settled_late) filter (where t.day >= ${period.from}::date) as late,
               sum(t.received - ${settled}) filter (where t.day < ${period.from}::date) as net,
               sum(t.received - ${settled}) filter (where t.day < ${period.from}::date and t.channel = 2) as net_online
          from ${T} t
         where ${inPeriod} and ${inUnits}${extra}
         group by 1`;

  // Units sharing a last "due soon" day (usually all: the calendars differ in a few units' hours)
  // are one condition each, so the open dossiers are read in one pass with the unit list hashed.
  const byLastDay = new Map<string, string[]>();
  for (const u of units) {
    const last = now.dueSoonEnd.get(u) ?? now.today;
    const list = byLastDay.get(last);
    if (list) list.push(u);
    else byLastDay.set(last, [u]);
  }
  const dueSoon = sql.join(
    [...byLastDay].map(([last, us]) => (byLastDay.size === 1 ? sql`t.due_day <= ${last}::date` : sql`(t.due_day <= ${last}::date and t.unit_code = any(${us}::text[]))`)),
    sql` or `,
  );
  // Per unit, the roll-ups without the procedure (migration 021): a few rows per unit and due day.
  const rollup = by === 'unit' && !f.procedure;
  const openSource = rollup ? sql.table(f.field ? 'monitoring_open_field' : 'monitoring_open_unit') : sql.table('monitoring_open');
  const openOnline = rollup ? sql`sum(t.open_online)` : sql`sum(t.open_count) filter (where t.channel = 2)`;
  // Per unit of every field: the totals (migration 025, one row a unit) less those due from today
  // on; overdue = open − those. The days are read up to the month holding the last "due soon" day
  // (monitoring_open_unit_due_idx), the months after it from monitoring_open_month (migration 026).
  const totals = rollup && !f.field;
  const lastDueSoon = [...byLastDay.keys()].reduce((a, b) => (b > a ? b : a), now.today);
  const cut = dateOfDayNumber(dayNumberOf(presetContaining('month', lastDueSoon).to) + 1);
  const openQuery = totals
    ? sql<OpenRow>`
      select t.unit_code as k, t.open_count as open, t.open_online,
             t.open_count - coalesce(d.not_overdue, 0) - coalesce(m.later, 0) as overdue, coalesce(d.due_soon, 0) as due_soon
        from monitoring_open_total t
        left join (select t.unit_code, sum(t.open_count) as not_overdue, sum(t.open_count) filter (where ${dueSoon}) as due_soon
                     from monitoring_open_unit t
                    where t.due_day >= ${now.today}::date and t.due_day < ${cut}::date and ${inUnits}
                    group by 1) d on d.unit_code = t.unit_code
        left join (select t.unit_code, sum(t.open_count) as later
                     from monitoring_open_month t
                    where t.due_month >= ${cut}::date and ${inUnits}
                    group by 1) m on m.unit_code = t.unit_code
       where ${inUnits}`
    : sql<OpenRow>`
      select ${key} as k,
             sum(t.open_count) as open,
             ${openOnline} as open_online,
             sum(t.open_count) filter (where t.due_day < ${now.today}::date) as overdue,
             sum(t.open_count) filter (where t.due_day >= ${now.today}::date and (${dueSoon})) as due_soon
        from ${openSource} t
       where ${inUnits}${and(filters(f, 'monitoring_open'))}
       group by 1`;
  return { flows: flowsQuery, open: openQuery, read: (flows, open) => readFlows(flows, open, since) };
}

function readFlows(flows: readonly FlowRow[], open: readonly OpenRow[], since: boolean): Map<string, FlowFacts> {
  const out = new Map<string, FlowFacts>();
  const get = (k: string) => {
    let v = out.get(k);
    if (!v) out.set(k, (v = zeroFacts()));
    return v;
  };
  const openByKey = new Map(open.map((r) => [r.k, r]));
  for (const r of flows) {
    const v = get(r.k);
    v.received = n(r.received);
    v.receivedOnline = n(r.received_online);
    v.settledEarly = n(r.early);
    v.settledOnTime = n(r.on_time);
    v.settledLate = n(r.late);
    if (!since) {
      v.carriedOver = n(r.net);
      v.carriedOverOnline = n(r.net_online);
    }
  }
  for (const r of open) {
    const v = get(r.k);
    v.overdue = n(r.overdue);
    v.dueSoon = n(r.due_soon);
  }
  if (since) {
    // carried over = open now − (received − settled) from `from` on
    const netByKey = new Map(flows.map((r) => [r.k, r]));
    for (const [k, v] of out) {
      const o = openByKey.get(k);
      const fl = netByKey.get(k);
      v.carriedOver = n(o?.open) - n(fl?.net);
      v.carriedOverOnline = n(o?.open_online) - n(fl?.net_online);
    }
  }
  return out;
}

/** Local date of the last day counted as "due soon" from `today`: the 2nd working day after it. */
export function dueSoonLastDay(cal: CalendarConfig, today: string): string {
  return nextWorkingDay(cal, nextWorkingDay(cal, today));
}

/**
 * The last "due soon" day of each unit, by its own calendar. Working hours are set for a few
 * units and inherited by their subtree (the holiday table is shared), so the units are grouped by
 * the nearest ancestor with its own hours and one calendar is loaded per group.
 */
export async function dueSoonEnds(ctx: AppContext, units: ReadonlyArray<{ code: string; path: string }>, today: string): Promise<Map<string, string>> {
  const own = await ctx.calendars.unitsWithOwnHours();
  const byGroup = new Map<string, string>();
  const out = new Map<string, string>();
  for (const u of units) {
    const group = own.size === 0 ? '' : (u.path.split('/').filter(Boolean).reverse().find((c) => own.has(c)) ?? '');
    let last = byGroup.get(group);
    if (last === undefined) {
      const cal = await ctx.calendars.forUnit(group || u.code);
      last = dueSoonLastDay(cal, today);
      byGroup.set(group, last);
    }
    out.set(u.code, last);
  }
  return out;
}

/**
 * Runs several read-only queries as one statement, one round trip: each becomes a JSON array of its
 * rows (column names as keys, numbers as JSON numbers), read back by the same functions that read
 * them run apart. A dashboard request makes about ten small reads; at 10 million dossiers sending
 * and receiving them cost more than running them.
 */
export async function selectTogether<K extends string>(ctx: AppContext, parts: Record<K, RawBuilder<unknown> | null>): Promise<Record<K, Array<Record<string, unknown>>>> {
  const entries = (Object.entries(parts) as Array<[K, RawBuilder<unknown> | null]>).filter((e): e is [K, RawBuilder<unknown>] => e[1] !== null);
  const out = Object.fromEntries((Object.keys(parts) as K[]).map((k) => [k, []])) as unknown as Record<K, Array<Record<string, unknown>>>;
  if (entries.length === 0) return out;
  const r = await sql<{ r: Record<string, Array<Record<string, unknown>>> | string }>`
      select json_build_object(${sql.join(entries.map(([k, q]) => sql`${k}::text, (select coalesce(json_agg(q), '[]'::json) from (${q}) q)`))}) as r`.execute(ctx.db);
  const raw = r.rows[0]!.r;
  const all = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, Array<Record<string, unknown>>>) : raw;
  for (const [k] of entries) out[k] = all[k] ?? [];
  return out;
}
