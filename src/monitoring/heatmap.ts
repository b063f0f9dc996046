/**
 * The leaders' heatmap (issue 5 item 2): one row per unit under a root (the root first, as the
 * total), one cell per indicator, green / yellow / red by thresholds. Computed from the monitoring
 * aggregates only (flows.ts), never from the dossiers, so its cost does not grow with them.
 */
import { HEATMAP_INDICATOR_IDS, HEATMAP_INDICATORS, thresholdsFor, type HeatmapIndicatorId } from '../core/heatmap.js';
import { DEFAULT_INDEX766_CONFIG, type Index766Config } from '../core/index766.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { invalidField, notFound } from '../platform/errors.js';
import { addFacts, cellsOf, COMPUTED_INDICATORS, FORMULAS, mergeFlags, NOTES, NOW_INDICATORS, zeroFacts, type Cells, type FlowFacts, type ProcedureFacts, type ThresholdOverrides } from './cells.js';
import { flagQueries, paidOnlineQuery, readPaidOnline, type FlagRow, type PaidRow } from './flag-flows.js';
import { catalogQuery, complaintQuery, readComplaints, readProcedureFacts, type CatalogRow, type ComplaintRow } from './procedure-facts.js';
import { dueSoonEnds, firstFlowDay, flowQueries, readSince, selectTogether, type FlowRow, type OpenRow } from './flows.js';
import { resolvePeriod, vietnamDate, type Period, type PeriodQuery } from './period.js';
import { monitoringScope, type MonitoringScope, type ScopeUnit } from './scope.js';
import { monitoringSettings } from './settings.js';

/**
 * The thresholds an admin has set (monitoring_settings, checked with checkThresholds; see
 * settings.ts), by indicator; an indicator not set keeps the default of src/core/heatmap.ts.
 * Every view reads them through this one function.
 */
export async function thresholdOverrides(ctx: AppContext): Promise<ThresholdOverrides> {
  return (await monitoringSettings(ctx)).thresholds;
}

/**
 * The Decision 766 configuration in force (grade bands, criteria not applicable to communes,
 * group 3's split): the defaults until an admin has stored one. Every view of the index reads it
 * through this one function.
 */
export async function index766ConfigOf(ctx: AppContext): Promise<Index766Config> {
  return (await monitoringSettings(ctx)).index766 ?? DEFAULT_INDEX766_CONFIG;
}

/**
 * Awaits promises run at once and returns their values; if some fail, throws the error of the first
 * in the list (not the first to fail), so the answer does not depend on which query was quicker.
 */
export async function settledInOrder<T extends readonly unknown[]>(ps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const rs = await Promise.allSettled(ps);
  for (const r of rs) if (r.status === 'rejected') throw r.reason;
  return rs.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export function periodOrThrow(q: PeriodQuery, today: string): Period {
  const r = resolvePeriod(q, today);
  if ('problem' in r) throw invalidField(r.problem.field, r.problem.message, r.problem.messageVi);
  return r.period;
}

export async function fieldOrThrow(ctx: AppContext, code: string | undefined) {
  if (!code) return null;
  const f = await ctx.db.selectFrom('fields').select(['code', 'name', 'name_en']).where('code', '=', code).executeTakeFirst();
  if (!f) throw notFound('Field', 'lĩnh vực', code);
  return { code: f.code, name: f.name, nameEn: f.name_en };
}

export const unitView = (u: ScopeUnit) => ({ code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });

export interface HeatmapRow {
  unit: ScopeUnit;
  isTotal: boolean;
  facts: FlowFacts;
  /** The row's procedure facts (items 3.1, 4.2, 4.3). */
  procedures: ProcedureFacts | null;
  cells: Cells;
}

/** "Now": today's local date and each unit's last "due soon" day. */
export async function nowOf(ctx: AppContext, units: readonly ScopeUnit[]) {
  const today = vietnamDate(ctx.now());
  return { today, dueSoonEnd: await dueSoonEnds(ctx, units, today) };
}

/**
 * The sums per unit for a period, all additive: flows and open dossiers (flows.ts), flags
 * (flag-flows.ts) and complaints (procedure-facts.ts); and the catalog and the procedures paid
 * online (procedure facts, read per row by readProcedureFacts). Read in three statements run at
 * once, each part read back by the same function as when run apart.
 */
async function scopeFacts(
  ctx: AppContext,
  period: Pick<Period, 'from' | 'to'>,
  units: readonly string[],
  opts: { field?: string; now: Awaited<ReturnType<typeof nowOf>>; outside?: readonly string[] | null },
): Promise<{ byUnit: Map<string, FlowFacts>; catalog: CatalogRow[]; paid: Map<string, Set<string>> }> {
  if (units.length === 0) return { byUnit: new Map(), catalog: [], paid: new Map() };
  const filter = { units, field: opts.field, outside: opts.outside };
  // Which span carried-over dossiers are read from (flows.ts); flows and flags share it.
  const since = readSince(await firstFlowDay(ctx), opts.now.today, period.from);
  const fq = flowQueries('unit', period, filter, opts.now, since);
  const gq = flagQueries('unit', period, filter, since);
  // Three statements at once, of about equal cost (at 10M dossiers: flows 1.2 ms, flags 1.5 ms, the
  // rest 1.3 ms): the database works on them together while this process waits. As two (flows with
  // flags) the heatmap's p95 was about 3 ms higher.
  const [a, a2, b] = await Promise.all([
    selectTogether(ctx, { flows: fq.flows }),
    selectTogether(ctx, { flags: gq.rows }),
    selectTogether(ctx, {
      open: fq.open,
      flagOpen: gq.open,
      complaints: complaintQuery(ctx.now(), period, units, opts.field),
      catalog: catalogQuery(opts.field),
      paid: paidOnlineQuery(period, filter, opts.field),
    }),
  ]);
  const r = { ...a, ...a2, ...b };
  const out = fq.read(r.flows as unknown as FlowRow[], r.open as unknown as OpenRow[]);
  const flags = gq.read(r.flags as FlagRow[], r.flagOpen as FlagRow[]);
  const complaints = readComplaints(r.complaints as unknown as ComplaintRow[]);
  const get = (k: string) => {
    let v = out.get(k);
    if (!v) out.set(k, (v = zeroFacts()));
    return v;
  };
  for (const [k, f] of flags) mergeFlags(get(k), f);
  for (const [k, c] of complaints) {
    const v = get(k);
    v.complaints = c.complaints;
    v.complaintsOnTime = c.onTime;
  }
  return { byUnit: out, catalog: r.catalog as unknown as CatalogRow[], paid: readPaidOnline(r.paid as unknown as PaidRow[]) };
}

/** The rows of a scope for a period: facts summed per row, procedure facts per row, then cells. */
export async function heatmapRows(
  ctx: AppContext,
  scope: MonitoringScope,
  period: Pick<Period, 'from' | 'to'>,
  opts: { field?: string; now: Awaited<ReturnType<typeof nowOf>>; current: boolean; thresholds: ThresholdOverrides; config?: Index766Config },
): Promise<HeatmapRow[]> {
  const members = new Map<string, ScopeUnit[]>(scope.rows.map((r) => [r.code, []]));
  members.set(scope.root.code, [...scope.units]);
  for (const u of scope.units) {
    const row = scope.rowOf.get(u.code);
    if (row && row !== scope.root.code) members.get(row)!.push(u);
  }
  const [facts, config] = await Promise.all([
    scopeFacts(ctx, period, scope.units.map((u) => u.code), { ...opts, outside: scope.outside }),
    opts.config ? Promise.resolve(opts.config) : index766ConfigOf(ctx),
  ]);
  const byUnit = facts.byUnit;
  const procedures = readProcedureFacts(facts.catalog, facts.paid, members);
  const sums = new Map<string, FlowFacts>(scope.rows.map((r) => [r.code, zeroFacts()]));
  const total = sums.get(scope.root.code)!;
  for (const [unit, f] of byUnit) {
    addFacts(total, f);
    const row = scope.rowOf.get(unit);
    if (row) addFacts(sums.get(row)!, f);
  }
  return scope.rows.map((u, i) => {
    const facts = sums.get(u.code)!;
    const p = procedures.get(u.code) ?? null;
    return { unit: u, isTotal: i === 0, facts, procedures: p, cells: cellsOf(facts, u.kind, { thresholds: opts.thresholds, now: opts.current, procedures: p, config }) };
  });
}

export function indicatorViews(thresholds: ThresholdOverrides) {
  return HEATMAP_INDICATORS.map((i) => {
    const t = thresholdsFor(i.id, thresholds);
    return {
      id: i.id,
      name: i.name,
      unit: i.unit,
      direction: i.direction,
      maxValue: i.maxValue,
      thresholds: { green: t.green, yellow: t.yellow },
      computed: COMPUTED_INDICATORS.includes(i.id),
      timeframe: NOW_INDICATORS.includes(i.id) ? ('now' as const) : ('period' as const),
      formula: FORMULAS[i.id],
    };
  });
}

export interface HeatmapQuery extends PeriodQuery {
  unit?: string;
  field?: string;
  sort?: HeatmapIndicatorId;
  dir?: 'asc' | 'desc';
}

/** Sorts the unit rows (never the total) by a column; N/A last whatever the direction. */
export function sortRows(rows: HeatmapRow[], sort: HeatmapIndicatorId | undefined, dir: 'asc' | 'desc'): HeatmapRow[] {
  if (!sort) return rows;
  const [total, ...units] = rows;
  const sign = dir === 'desc' ? -1 : 1;
  units.sort((a, b) => {
    const x = a.cells[sort].value;
    const y = b.cells[sort].value;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  });
  return [total!, ...units];
}

export async function heatmap(ctx: AppContext, actor: Actor, q: HeatmapQuery) {
  // Independent reads at once: the scope, the field filter, the thresholds in force. Their errors
  // are reported in that order whatever finishes first (a scope refusal before anything else).
  const [scope, field, thresholds] = await settledInOrder([monitoringScope(ctx, actor, q.unit), fieldOrThrow(ctx, q.field), thresholdOverrides(ctx)] as const);
  const now = await nowOf(ctx, scope.units);
  const period = periodOrThrow(q, now.today);
  if (q.sort !== undefined && !HEATMAP_INDICATOR_IDS.includes(q.sort)) throw invalidField('sort', 'unknown indicator', 'chỉ tiêu không hợp lệ');
  const rows = await heatmapRows(ctx, scope, period, { field: q.field, now, current: true, thresholds });
  const dir = q.dir ?? 'asc';
  return {
    root: unitView(scope.root),
    period,
    today: now.today,
    asOf: ctx.now().toISOString(),
    field,
    sort: q.sort ? { indicator: q.sort, dir } : null,
    indicators: indicatorViews(thresholds),
    notes: NOTES,
    rows: sortRows(rows, q.sort, dir).map((r) => ({ unit: unitView(r.unit), isTotal: r.isTotal, cells: r.cells })),
  };
}
