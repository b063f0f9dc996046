/**
 * Drill-down from a heatmap cell (issue 5 item 4): unit → indicator → the procedures behind it
 * (per procedure numerator and denominator, from monitoring_daily and monitoring_open) → the
 * dossiers counted in the numerator or the denominator (from the dossiers, keyset-paginated).
 * The dossier lists are the aggregates' definitions written against the dossiers' own columns,
 * so each list has exactly as many entries as the number it explains:
 * - settled in the period: received, finished_at within the period (local days);
 *   early or on time: timeliness other than 'late';
 * - received total (II.06a): received before the end of the period and either received in it or
 *   not finished before it began; online: channel 2;
 * - open now: status 2, 4, 5, 6; overdue: legal appointment before today; due soon: from today to
 *   the unit's last "due soon" day.
 * Counts are by deciding unit, as the aggregates are.
 */
import { sql, type RawBuilder } from 'kysely';
import { dateOfDayNumber, dayNumberOf } from '../core/calendar.js';
import { heatmapIndicator, type HeatmapIndicatorId } from '../core/heatmap.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { badRequest, invalidField, notFound } from '../platform/errors.js';
import { decodeCursor, encodeCursor } from '../platform/schemas.js';
import { addFacts, cellsOf, COMPUTED_INDICATORS, FORMULAS, mergeFlags, NOTES, zeroFacts } from './cells.js';
import { flagFacts } from './flag-flows.js';
import { flowFacts } from './flows.js';
import { fieldOrThrow, nowOf, periodOrThrow, thresholdOverrides, unitView } from './heatmap.js';
import { dossierLink } from './hotspots.js';
import { startOfVietnamDay, type PeriodQuery } from './period.js';
import { monitoringScope } from './scope.js';

export type DrillPart = 'numerator' | 'denominator';

export interface DrillQuery extends PeriodQuery {
  unit?: string;
  indicator: HeatmapIndicatorId;
  field?: string;
}

/**
 * Group scores other than group 2 sum several items of different populations (and procedure
 * counts): they are explained item by item on the index page, not by one list of dossiers.
 */
export const COMPOSITE_INDICATORS: readonly HeatmapIndicatorId[] = ['group_1', 'group_3', 'group_4', 'group_5', 'group_6'];

function checkDrillable(indicator: HeatmapIndicatorId): void {
  if (!COMPUTED_INDICATORS.includes(indicator) || COMPOSITE_INDICATORS.includes(indicator)) {
    const name = heatmapIndicator(indicator).name;
    throw badRequest(
      'not_drillable',
      `"${name.en}" is a score over several items: its numbers are explained item by item on the index page (/lanh-dao/chi-so).`,
      `"${name.vi}" là điểm tổng hợp của nhiều chỉ tiêu: số liệu được giải thích theo từng chỉ tiêu ở trang chỉ số (/lanh-dao/chi-so).`,
      [{ field: 'indicator', message: 'a score over several items', messageVi: 'điểm tổng hợp nhiều chỉ tiêu' }],
    );
  }
}

async function procedureOrThrow(ctx: AppContext, code: string | undefined) {
  if (!code) return null;
  const p = await ctx.db.selectFrom('procedures').select(['code', 'name', 'name_en', 'field_code']).where('code', '=', code).executeTakeFirst();
  if (!p) throw notFound('Procedure', 'thủ tục', code);
  return p;
}

/** The procedures behind one cell, with the cell itself (equal to the heatmap's). */
export async function drillProcedures(ctx: AppContext, actor: Actor, q: DrillQuery) {
  checkDrillable(q.indicator);
  const scope = await monitoringScope(ctx, actor, q.unit);
  const now = await nowOf(ctx, scope.units);
  const period = periodOrThrow(q, now.today);
  const field = await fieldOrThrow(ctx, q.field);
  const thresholds = await thresholdOverrides(ctx);
  const filter = { units: scope.units.map((u) => u.code), field: q.field };
  const [byProcedure, flags] = await Promise.all([flowFacts(ctx, 'procedure', period, filter, now), flagFacts(ctx, 'procedure', period, filter)]);
  for (const [code, f] of flags) {
    let v = byProcedure.get(code);
    if (!v) byProcedure.set(code, (v = zeroFacts()));
    mergeFlags(v, f);
  }
  const codes = [...byProcedure.keys()];
  const names = new Map(
    codes.length
      ? (await ctx.db.selectFrom('procedures').select(['code', 'name', 'name_en', 'field_code']).where('code', 'in', codes).execute()).map((p) => [p.code, p])
      : [],
  );
  const total = zeroFacts();
  const procedures = [];
  for (const [code, facts] of byProcedure) {
    addFacts(total, facts);
    const c = cellsOf(facts, scope.root.kind, { thresholds })[q.indicator];
    if (!c.numerator && !c.denominator) continue;
    const p = names.get(code);
    procedures.push({
      procedure: { code, name: p?.name ?? code, nameEn: p?.name_en ?? null, field: p?.field_code ?? null },
      value: c.value,
      numerator: c.numerator,
      denominator: c.denominator,
      band: c.band,
      formula: c.formula,
    });
  }
  // The dossiers that pull the cell down first: those missing from a ratio's numerator, or a count's.
  const weight = (x: { numerator: number | null; denominator: number | null }) => (x.denominator === null ? (x.numerator ?? 0) : x.denominator - (x.numerator ?? 0));
  procedures.sort((a, b) => weight(b) - weight(a) || (b.denominator ?? 0) - (a.denominator ?? 0) || (a.procedure.code < b.procedure.code ? -1 : 1));
  return {
    unit: unitView(scope.root),
    indicator: q.indicator,
    period,
    today: now.today,
    field,
    formula: FORMULAS[q.indicator],
    notes: NOTES,
    cell: cellsOf(total, scope.root.kind, { thresholds })[q.indicator],
    procedures,
  };
}

export interface DrillDossiersQuery extends DrillQuery {
  procedure?: string;
  part: DrillPart;
  cursor?: string;
  limit?: number;
}

type Population =
  | 'settled'
  | 'settled_on_time'
  | 'received_total'
  | 'received_total_online'
  | 'overdue'
  | 'due_soon'
  | 'settled_satisfied'
  | { flagOf: 'received_total' | 'settled'; bit: number };

/** Bits of dossiers.monitoring_flags (migration 020). */
const FLAG_BIT = { fo_eligible: 1, full_online: 2, with_fee: 4, paid_online: 8, digitised: 16, reusing: 32, paper_result: 64, paper_e_result: 128, disliked: 256 } as const;
const flagged = (bit: number): Population => ({ flagOf: 'received_total', bit });

const POPULATIONS: Partial<Record<HeatmapIndicatorId, Partial<Record<DrillPart, Population>>>> = {
  on_time_rate: { numerator: 'settled_on_time', denominator: 'settled' },
  overdue_pending: { numerator: 'overdue' },
  due_soon: { numerator: 'due_soon' },
  online_share: { numerator: 'received_total_online', denominator: 'received_total' },
  group_2: { numerator: 'settled_on_time', denominator: 'received_total' },
  full_online_share: { numerator: flagged(FLAG_BIT.full_online), denominator: flagged(FLAG_BIT.fo_eligible) },
  online_payment_share: { numerator: flagged(FLAG_BIT.paid_online), denominator: flagged(FLAG_BIT.with_fee) },
  digitisation_rate: { numerator: flagged(FLAG_BIT.digitised), denominator: 'received_total' },
  reuse_rate: { numerator: flagged(FLAG_BIT.reusing), denominator: 'received_total' },
  // 6.3's numerator is the settled dossiers minus the late and the disliked ones: listed as those
  // neither late nor disliked (the same count unless a dossier is both, which 766 counts twice).
  satisfaction: { numerator: 'settled_satisfied', denominator: 'settled' },
};

/** The column a population is ordered by (keyset on it and the id). */
const ORDER: Record<Exclude<Population, object>, 'finished_at' | 'received_at' | 'legal_appointment_at'> = {
  settled: 'finished_at',
  settled_on_time: 'finished_at',
  settled_satisfied: 'finished_at',
  received_total: 'received_at',
  received_total_online: 'received_at',
  overdue: 'legal_appointment_at',
  due_soon: 'legal_appointment_at',
};
const orderOf = (p: Population) => (typeof p === 'object' ? ORDER[p.flagOf] : ORDER[p]);

/** The dossiers counted in one part of a cell (optionally of one procedure), a page at a time. */
export async function drillDossiers(ctx: AppContext, actor: Actor, q: DrillDossiersQuery) {
  checkDrillable(q.indicator);
  const population = POPULATIONS[q.indicator]?.[q.part];
  if (!population) {
    throw invalidField('part', `"${q.indicator}" is a count: only its numerator has dossiers`, `"${q.indicator}" là số đếm: chỉ có danh sách hồ sơ của tử số`);
  }
  const scope = await monitoringScope(ctx, actor, q.unit);
  const now = await nowOf(ctx, scope.units);
  const period = periodOrThrow(q, now.today);
  await fieldOrThrow(ctx, q.field);
  const procedure = await procedureOrThrow(ctx, q.procedure);
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor);
  if (q.cursor && (!after || after.length !== 2 || typeof after[0] !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(after[0]) || Number.isNaN(Date.parse(after[0])) || !Number.isSafeInteger(after[1]))) {
    throw invalidField('cursor', 'not a cursor from this list', 'con trỏ trang không hợp lệ');
  }

  const units = scope.units.map((u) => u.code);
  const fromStart = startOfVietnamDay(period.from);
  const toEnd = startOfVietnamDay(dateOfDayNumber(dayNumberOf(period.to) + 1));
  const todayStart = startOfVietnamDay(now.today);
  const col = sql.ref(`d.${orderOf(population)}`);
  const conds: RawBuilder<unknown>[] = [sql`d.deciding_unit = any(${units}::text[])`];
  let join = sql``;
  const base = typeof population === 'object' ? population.flagOf : population;
  if (typeof population === 'object') conds.push(sql`(d.monitoring_flags & ${population.bit}) <> 0`);
  switch (base) {
    case 'settled_satisfied':
      conds.push(sql`(d.monitoring_flags & ${FLAG_BIT.disliked}) = 0`);
    // falls through
    case 'settled_on_time':
      conds.push(sql`coalesce(d.timeliness, 'on_time') <> 'late'`);
    // falls through
    case 'settled':
      conds.push(sql`d.received_at is not null and d.finished_at >= ${fromStart} and d.finished_at < ${toEnd}`);
      break;
    case 'received_total_online':
      conds.push(sql`d.channel = 2`);
    // falls through
    case 'received_total':
      conds.push(sql`d.received_at < ${toEnd} and (d.received_at >= ${fromStart} or d.finished_at is null or d.finished_at >= ${fromStart})`);
      break;
    case 'overdue':
      conds.push(sql`d.status_code in (2, 4, 5, 6) and d.legal_appointment_at < ${todayStart}`);
      break;
    case 'due_soon': {
      const ends = units.map((u) => startOfVietnamDay(dateOfDayNumber(dayNumberOf(now.dueSoonEnd.get(u) ?? now.today) + 1)).toISOString());
      join = sql`join unnest(${units}::text[], ${ends}::timestamptz[]) as e(unit_code, window_end) on e.unit_code = d.deciding_unit`;
      conds.push(sql`d.status_code in (2, 4, 5, 6) and d.legal_appointment_at >= ${todayStart} and d.legal_appointment_at < e.window_end`);
      break;
    }
  }
  if (procedure) conds.push(sql`d.procedure_code = ${procedure.code}`);
  if (q.field) conds.push(sql`d.procedure_code in (select pf.code from procedures pf where pf.field_code = ${q.field})`);
  if (after) conds.push(sql`(${col}, d.id) > (${after[0] as string}::timestamptz, ${after[1] as number})`);

  const rows = await sql<{
    id: number;
    code: string;
    procedure_code: string;
    deciding_unit: string;
    channel: number;
    status_code: number;
    received_at: Date | null;
    finished_at: Date | null;
    legal_appointment_at: Date | null;
    timeliness: string | null;
    k: string;
  }>`
    select d.id, d.code, d.procedure_code, d.deciding_unit, d.channel, d.status_code, d.received_at, d.finished_at, d.legal_appointment_at, d.timeliness, to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as k
      from dossiers d ${join}
     where ${sql.join(conds, sql` and `)}
     order by ${col}, d.id
     limit ${limit + 1}`.execute(ctx.db);
  const page = rows.rows.slice(0, limit);
  const last = page[page.length - 1];
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    unit: unitView(scope.root),
    indicator: q.indicator,
    part: q.part,
    procedure: procedure ? { code: procedure.code, name: procedure.name, nameEn: procedure.name_en } : null,
    period,
    items: page.map((r) => ({
      code: r.code,
      link: dossierLink(r.code),
      procedureCode: r.procedure_code,
      decidingUnit: r.deciding_unit,
      channel: Number(r.channel),
      statusCode: Number(r.status_code),
      receivedAt: iso(r.received_at),
      finishedAt: iso(r.finished_at),
      legalAppointmentAt: iso(r.legal_appointment_at),
      timeliness: r.timeliness as 'early' | 'on_time' | 'late' | null,
    })),
    nextCursor: rows.rows.length > limit && last ? encodeCursor([last.k, Number(last.id)]) : null,
  };
}
