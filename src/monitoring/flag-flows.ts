/**
 * The sums of the dossier flags (migration 020) for a period, per unit or per procedure: how many
 * of the dossiers in the index's population carry each flag. Read from the flag aggregates only.
 *
 * Two populations, as the index uses them:
 * - the "received total" of form II.06a (received in the period + carried over: received before it
 *   and not settled before it): the dossiers eligible for full online, done fully online, with a
 *   fee, paid online, digitised, reusing data (items 3.3, 4.1, 5.2, 5.4);
 * - the dossiers settled in the period: with a paper result, with an electronic result as well,
 *   with a complaint or a dislike (items 5.1, 6.3).
 * Carried over with a flag = (received − settled) with the flag over the days before the period,
 * read as whole months from the monthly table and the edge days from the daily one (flows.ts
 * spanPieces), so a request reads a few rows per unit × field × channel × month.
 */
import { sql, type RawBuilder } from 'kysely';
import { dateOfDayNumber, dayNumberOf } from '../core/calendar.js';
import type { AppContext } from '../platform/context.js';
import { and, firstFlowDay, readSince, spanPieces, spanSource, unitCondition, type FieldTables, type FlowFilter, type GroupBy } from './flows.js';
import { vietnamDate, type Period } from './period.js';

/** Flags counted over the received total. */
export const RECEIVED_FLAGS = ['fo_eligible', 'full_online', 'with_fee', 'paid_online', 'digitised', 'reusing'] as const;
/** Flags counted over the dossiers settled in the period. */
export const SETTLED_FLAGS = ['paper_result', 'paper_e_result', 'disliked'] as const;

export type ReceivedFlag = (typeof RECEIVED_FLAGS)[number];
export type SettledFlag = (typeof SETTLED_FLAGS)[number];

export interface FlagSums {
  /** Received total with the flag (received in the period + carried over). */
  received: Record<ReceivedFlag, number>;
  /** Settled in the period with the flag. */
  settled: Record<SettledFlag, number>;
}

export const zeroFlagSums = (): FlagSums => ({
  received: { fo_eligible: 0, full_online: 0, with_fee: 0, paid_online: 0, digitised: 0, reusing: 0 },
  settled: { paper_result: 0, paper_e_result: 0, disliked: 0 },
});

export function addFlagSums(into: FlagSums, f: FlagSums): FlagSums {
  for (const k of RECEIVED_FLAGS) into.received[k] += f.received[k];
  for (const k of SETTLED_FLAGS) into.settled[k] += f.settled[k];
  return into;
}

const FLAG_TABLES: FieldTables = {
  daily: 'monitoring_flag_daily_field',
  monthly: 'monitoring_flag_monthly_field',
  monthlyUnit: 'monitoring_flag_monthly_unit',
  columns: [...RECEIVED_FLAGS, ...RECEIVED_FLAGS.map((f) => `${f}_settled`), ...SETTLED_FLAGS.map((f) => `${f}_settled`)],
};

const n = (v: unknown) => Number(v ?? 0);

/**
 * The flag sums for the period, keyed by unit (per-field tables) or by procedure (the daily table).
 * Per unit, as flows.ts does, carried over is read from whichever span is shorter: the days before
 * the period (received − settled with the flag), or the days since it began subtracted from the
 * dossiers open now with the flag (monitoring_flag_open), so a recent period reads its own days.
 */
export async function flagFacts(
  ctx: AppContext,
  by: GroupBy,
  period: Pick<Period, 'from' | 'to'>,
  f: FlowFilter,
  /** The first flow day (firstFlowDay), when the caller already asked for it. */
  firstDay?: Promise<string | null>,
): Promise<Map<string, FlagSums>> {
  if (f.units.length === 0) return new Map();
  const byProcedure = by === 'procedure' || !!f.procedure;
  // Flags are counted with the flows, so they start with them (flows.ts firstFlowDay).
  const since = !byProcedure && readSince(await (firstDay ?? firstFlowDay(ctx)), vietnamDate(ctx.now()), period.from);
  const q = flagQueries(by, period, f, since);
  // The span and, read since the period began, the open dossiers now: independent, both at once.
  const [rows, open] = await Promise.all([q.rows.execute(ctx.db), q.open ? q.open.execute(ctx.db) : Promise.resolve({ rows: [] as FlagRow[] })]);
  return q.read(rows.rows, open.rows);
}

export type FlagRow = Record<string, string | number | null>;

/**
 * The queries of flagFacts (the span; the open dossiers now, read since the period began) and how
 * their rows make the sums: run apart by flagFacts, or with other reads in one statement.
 */
export function flagQueries(
  by: GroupBy,
  period: Pick<Period, 'from' | 'to'>,
  f: FlowFilter,
  since: boolean,
): { rows: RawBuilder<FlagRow>; open: RawBuilder<FlagRow> | null; read(rows: readonly FlagRow[], open: readonly FlagRow[]): Map<string, FlagSums> } {
  const inUnits = unitCondition(f);
  const byProcedure = by === 'procedure' || !!f.procedure;
  const conds = [];
  if (f.field) conds.push(sql`t.field_code = ${f.field}`);
  if (f.procedure) conds.push(sql`t.procedure_code = ${f.procedure}`);
  const extra = and(conds);
  const key = sql.raw(by === 'unit' ? 't.unit_code' : 't.procedure_code');
  const cuts = [period.from, dateOfDayNumber(dayNumberOf(period.to) + 1)];
  const T = byProcedure
    ? sql`(select * from monitoring_flag_daily t where t.day <= ${period.to}::date and ${inUnits}${extra})`
    : spanSource(FLAG_TABLES, since ? spanPieces(period.from, null, cuts) : spanPieces(null, period.to, cuts), inUnits, extra, f.field);
  const inPeriod = since ? sql`t.day <= ${period.to}::date` : sql`t.day >= ${period.from}::date`;
  const other = since ? sql`true` : sql`t.day < ${period.from}::date`;
  const cols = [
    ...RECEIVED_FLAGS.map((fl) => {
      const c = sql.ref(`t.${fl}`);
      const s = sql.ref(`t.${fl}_settled`);
      // before-mode: + (received − settled) before the period; since-mode: the net since it began,
      // subtracted from the open count below.
      return sql`coalesce(sum(${c}) filter (where ${inPeriod}), 0) as ${sql.ref(fl)}, coalesce(sum(${c} - ${s}) filter (where ${other}), 0) as ${sql.ref(`${fl}_net`)}`;
    }),
    ...SETTLED_FLAGS.map((fl) => sql`sum(${sql.ref(`t.${fl}_settled`)}) filter (where ${inPeriod}) as ${sql.ref(fl)}`),
  ];
  const rows = sql<FlagRow>`
      select ${key} as k, ${sql.join(cols)}
        from ${T} t
       where ${inUnits}${extra}
       group by 1`;
  const open = since
    ? sql<FlagRow>`
        select t.unit_code as k, ${sql.join(RECEIVED_FLAGS.map((fl) => sql`sum(${sql.ref(`t.${fl}`)}) as ${sql.ref(fl)}`))}
          from monitoring_flag_open t
         where ${inUnits}${f.field ? sql` and t.field_code = ${f.field}` : sql``}
         group by 1`
    : null;
  return { rows, open, read: (r, o) => readFlags(r, o, since) };
}

function readFlags(rows: readonly FlagRow[], open: readonly FlagRow[], since: boolean): Map<string, FlagSums> {
  const out = new Map<string, FlagSums>();
  const openNow = new Map<string, FlagRow>();
  for (const r of open) openNow.set(String(r.k), r);
  const keys = new Set([...rows.map((r) => String(r.k)), ...openNow.keys()]);
  const byKey = new Map(rows.map((r) => [String(r.k), r]));
  for (const k of keys) {
    const r = byKey.get(k);
    const o = openNow.get(k);
    const v = zeroFlagSums();
    for (const fl of RECEIVED_FLAGS) {
      const carried = since ? n(o?.[fl]) - n(r?.[`${fl}_net`]) : n(r?.[`${fl}_net`]);
      v.received[fl] = n(r?.[fl]) + carried;
    }
    for (const fl of SETTLED_FLAGS) v.settled[fl] = n(r?.[fl]);
    out.set(k, v);
  }
  return out;
}

export interface PaidRow {
  unit_code: string;
  procedure_code: string;
}

/**
 * Item 4.2's B numerator: per unit, the procedures with at least one dossier paid online among
 * those received in the period (read back by readPaidOnline; the units as in FlowFilter).
 */
export function paidOnlineQuery(period: Pick<Period, 'from' | 'to'>, f: Pick<FlowFilter, 'units' | 'outside'>, field?: string): RawBuilder<PaidRow> {
  // Whole months from the monthly table (migration 025), the days at the edges from the daily one.
  const pieces = spanPieces(period.from, period.to, []);
  const where = sql`${unitCondition(f)}${field ? sql` and t.field_code = ${field}` : sql``}`;
  const parts = [
    ...pieces.days.map(([a, b]) => sql`select t.unit_code, t.procedure_code from monitoring_flag_daily t where t.day between ${a}::date and ${b}::date and t.paid_online > 0 and ${where}`),
    ...pieces.months.map(([a, b]) => sql`select t.unit_code, t.procedure_code from monitoring_paid_monthly t where t.month between ${a}::date and ${b}::date and t.paid_online > 0 and ${where}`),
  ];
  return sql<PaidRow>`select distinct s.unit_code, s.procedure_code from (${sql.join(parts, sql` union all `)}) s`;
}

export function readPaidOnline(rows: readonly PaidRow[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const row of rows) {
    let s = out.get(row.unit_code);
    if (!s) out.set(row.unit_code, (s = new Set()));
    s.add(row.procedure_code);
  }
  return out;
}
