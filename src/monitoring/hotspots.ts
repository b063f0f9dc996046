/**
 * Hot spots (issue 5 item 3): the unit × indicator cells that are red, worst first; the ones
 * falling fastest against the previous period (src/core/heatmap.ts fallingFastest); and the open
 * dossiers that will be late within the next 2 working days unless someone acts, each with a link.
 */
import { sql } from 'kysely';
import { fallingFastest, HEATMAP_INDICATOR_IDS, thresholdsFor, type HeatmapIndicatorId, type PeriodPair } from '../core/heatmap.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { COMPUTED_INDICATORS, NOW_INDICATORS, type ThresholdOverrides } from './cells.js';
import { fieldOrThrow, heatmapRows, nowOf, periodOrThrow, thresholdOverrides, unitView, type HeatmapQuery, type HeatmapRow } from './heatmap.js';
import { previousPeriod, startOfVietnamDay } from './period.js';
import { monitoringScope, type MonitoringScope } from './scope.js';
import { dateOfDayNumber, dayNumberOf } from '../core/calendar.js';

export const RED_LIMIT = 50;
export const FALLING_LIMIT = 20;
export const DUE_SOON_LIMIT = 50;

export const dossierLink = (code: string) => `/can-bo/ho-so/${encodeURIComponent(code)}`;

/** The rows hot spots are looked for in: the units under the root, or the root when it has none. */
const unitRows = (rows: HeatmapRow[]) => (rows.length > 1 ? rows.slice(1) : rows);

/**
 * How far past the red line a cell is, in widths of its yellow band (the scale fallingFastest
 * uses): 0 just past it, 1 one band width further.
 */
function severity(id: HeatmapIndicatorId, value: number, thresholds: ThresholdOverrides): number {
  const t = thresholdsFor(id, thresholds);
  const width = Math.abs(t.green - t.yellow) || 1;
  return (t.direction === 'higher_is_better' ? t.yellow - value : value - t.yellow) / width;
}

export function redCells(rows: HeatmapRow[], thresholds: ThresholdOverrides) {
  const out = [];
  for (const r of unitRows(rows)) {
    for (const id of HEATMAP_INDICATOR_IDS) {
      const c = r.cells[id];
      if (c.band !== 'red' || c.value === null) continue;
      out.push({ unit: unitView(r.unit), indicator: id, value: c.value, numerator: c.numerator, denominator: c.denominator, severity: Math.round(severity(id, c.value, thresholds) * 100) / 100 });
    }
  }
  const column = (id: HeatmapIndicatorId) => HEATMAP_INDICATOR_IDS.indexOf(id);
  out.sort((a, b) => b.severity - a.severity || (a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0) || column(a.indicator) - column(b.indicator));
  return out;
}

/**
 * Open dossiers of the scope whose legal appointment day is from today to the last "due soon"
 * day of their unit, soonest first, read through the open-dossier index (dossiers_open_due_idx:
 * status 2, 4, 5, 6 by queue_due = the appointment in force). The appointment in force is never
 * before the legal one, so the legal window bounds it from below; a dossier whose appointment an
 * apology letter moved past the window has been acted on and is not listed.
 */
async function dueSoonDossiers(ctx: AppContext, scope: MonitoringScope, now: Awaited<ReturnType<typeof nowOf>>, field: string | undefined) {
  const units = scope.units.map((u) => u.code);
  const lastDays = units.map((u) => now.dueSoonEnd.get(u) ?? now.today);
  const latest = lastDays.reduce((a, b) => (a > b ? a : b), now.today);
  const todayStart = startOfVietnamDay(now.today);
  const windowEnd = startOfVietnamDay(dateOfDayNumber(dayNumberOf(latest) + 1));
  const ends = lastDays.map((d) => startOfVietnamDay(dateOfDayNumber(dayNumberOf(d) + 1)).toISOString());
  const rows = await sql<{
    id: number;
    code: string;
    procedure_code: string;
    procedure_name: string;
    deciding_unit: string;
    status_code: number;
    legal_appointment_at: Date;
    appointment_at: Date | null;
  }>`
    select d.id, d.code, d.procedure_code, p.name as procedure_name, d.deciding_unit, d.status_code, d.legal_appointment_at, d.appointment_at
      from dossiers d
      join unnest(${units}::text[], ${ends}::timestamptz[]) as e(unit_code, window_end) on e.unit_code = d.deciding_unit
      join procedures p on p.code = d.procedure_code
     where d.status_code in (2, 4, 5, 6)
       and d.queue_due >= ${todayStart} and d.queue_due < ${windowEnd}
       and d.legal_appointment_at >= ${todayStart} and d.legal_appointment_at < e.window_end
       ${field ? sql`and p.field_code = ${field}` : sql``}
     order by d.queue_due, d.id
     limit ${DUE_SOON_LIMIT + 1}`.execute(ctx.db);
  const names = new Map(scope.units.map((u) => [u.code, u]));
  return {
    items: rows.rows.slice(0, DUE_SOON_LIMIT).map((r) => {
      const u = names.get(r.deciding_unit)!;
      return {
        code: r.code,
        link: dossierLink(r.code),
        procedure: { code: r.procedure_code, name: r.procedure_name },
        unit: unitView(u),
        statusCode: Number(r.status_code),
        legalAppointmentAt: new Date(r.legal_appointment_at).toISOString(),
        appointmentAt: r.appointment_at ? new Date(r.appointment_at).toISOString() : null,
      };
    }),
    more: rows.rows.length > DUE_SOON_LIMIT,
  };
}

export async function hotspots(ctx: AppContext, actor: Actor, q: Omit<HeatmapQuery, 'sort' | 'dir'>) {
  const scope = await monitoringScope(ctx, actor, q.unit);
  const now = await nowOf(ctx, scope.units);
  const period = periodOrThrow(q, now.today);
  const previous = previousPeriod(period);
  const field = await fieldOrThrow(ctx, q.field);
  const thresholds = await thresholdOverrides(ctx);
  const current = await heatmapRows(ctx, scope, period, { field: q.field, now, current: true, thresholds });
  const before = await heatmapRows(ctx, scope, previous, { field: q.field, now, current: false, thresholds });

  const pairs: PeriodPair[] = [];
  const prevByUnit = new Map(before.map((r) => [r.unit.code, r]));
  for (const r of unitRows(current)) {
    const p = prevByUnit.get(r.unit.code)!;
    for (const id of COMPUTED_INDICATORS) {
      if (NOW_INDICATORS.includes(id)) continue;
      pairs.push({ unitId: r.unit.code, indicator: id, previous: p.cells[id].value, current: r.cells[id].value });
    }
  }
  const units = new Map(scope.rows.map((u) => [u.code, u]));
  const falling = fallingFastest(pairs, { limit: FALLING_LIMIT, thresholds }).map((f) => ({
    unit: unitView(units.get(f.unitId)!),
    indicator: f.indicator,
    previous: f.previous,
    current: f.current,
    delta: f.delta,
    drop: Math.round(f.drop * 100) / 100,
    previousBand: f.previousBand,
    currentBand: f.currentBand,
  }));

  const red = redCells(current, thresholds);
  return {
    root: unitView(scope.root),
    period,
    previousPeriod: previous,
    today: now.today,
    asOf: ctx.now().toISOString(),
    field,
    red: red.slice(0, RED_LIMIT),
    redCount: red.length,
    falling,
    dueSoon: await dueSoonDossiers(ctx, scope, now, q.field),
  };
}
