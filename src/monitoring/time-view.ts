/**
 * Where time goes (issue 5 item 9): for a scope and a period, each procedure's actual processing
 * time against its legal limit and service norm, each step's time against its norm, the slowest
 * steps, and the monthly average processing time against the province's goal of cutting it by
 * 30%. Read from the monitoring aggregates only (monitoring_daily, monitoring_monthly_field,
 * monitoring_steps_monthly), never from the dossiers.
 *
 * Times are working time (the unit's calendar: 8 working hours a day), without supplement waits.
 * - Processing time: receipt → settlement, summed in monitoring_daily.settled_working_ms over the
 *   dossiers settled in the period (by the local day they settled).
 * - A procedure's legal limit and service norm are those of its main case (the first by the
 *   catalog's order): the aggregates do not split by case. `casesDiffer` says when other cases
 *   have another limit. Limits in calendar days or "same day" have no exact working-time length;
 *   they are approximated (days × 5/7 working days; same day = 1 working day) and marked so.
 * - Steps are summed by month (monitoring_steps_monthly): the step figures cover the whole months
 *   the period touches (`stepMonths`), by the month the step was left.
 * - The goal line is 70% of a baseline: the average processing time of the first 12 months with
 *   settled dossiers in the scope (looked for within 36 months of the first), or of the calendar
 *   year `baselineYear` when given. The trend shows the months up to the period's last month,
 *   from the first month with data, at least 12 and at most 24.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { sql } from 'kysely';
import { HOURS_PER_WORKING_DAY, type TimeLimitKind } from '../core/calendar.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { fieldOrThrow, periodOrThrow, unitView } from './heatmap.js';
import { vietnamDate, type PeriodQuery } from './period.js';
import { monitoringScope } from './scope.js';
import type { StepCounts } from './step-aggregates.js';

const HOUR_MS = 3_600_000;
const WORKING_DAY_MS = HOURS_PER_WORKING_DAY * HOUR_MS;
/** The province's goal: processing time cut by 30%, i.e. down to 70% of the baseline. */
export const GOAL_RATIO = 0.7;
export const BASELINE_MONTHS = 12;
/** The trend shows at least this many months, and at most TREND_MAX_MONTHS. */
export const TREND_MIN_MONTHS = 12;
export const TREND_MAX_MONTHS = 24;
export const SLOWEST_LIMIT = 10;
/** The first 12 months with settled dossiers are looked for within this many months of the first. */
export const BASELINE_SEARCH_MONTHS = 36;

export interface TimeQuery extends PeriodQuery {
  unit?: string;
  field?: string;
  baselineYear?: number;
}

export interface LimitLength {
  kind: TimeLimitKind;
  value: number;
  /** The limit as working time; null when there is none. */
  workingMs: number | null;
  /** True when the kind has no exact working-time length (calendar days, same day). */
  approximate: boolean;
}

/** A time limit (or service norm) as working time. Pure. */
export function limitLength(kind: TimeLimitKind, value: number): LimitLength {
  switch (kind) {
    case 'working_days':
      return { kind, value, workingMs: Math.round(value * WORKING_DAY_MS), approximate: false };
    case 'hours':
      return { kind, value, workingMs: Math.round(value * HOUR_MS), approximate: false };
    case 'days':
      // N calendar days hold about N × 5/7 working days (weekends; holidays ignored).
      return { kind, value, workingMs: Math.round(((value * 5) / 7) * WORKING_DAY_MS), approximate: true };
    case 'same_day':
      return { kind, value, workingMs: WORKING_DAY_MS, approximate: true };
    default:
      return { kind, value, workingMs: null, approximate: false };
  }
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
/** a ÷ b rounded to 3 decimals; null when b is 0 or missing. */
export const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b <= 0 ? null : round(a / b, 3));
/** Percent with 2 decimals; null without a denominator. */
export const percent = (n: number, d: number): number | null => (d > 0 ? round((n * 100) / d, 2) : null);
const avg = (sum: number, n: number): number | null => (n > 0 ? Math.round(sum / n) : null);

/** A step's sums as monitoring_steps_monthly keeps them (see step-aggregates.ts), over some months. */
export interface StepSums extends StepCounts {
  procedureCode: string;
  step: string;
}

/** A step's figures: averages over its hand-overs, the norm averaged over those that had one. Pure. */
export function stepFigures(s: Omit<StepSums, 'procedureCode'>) {
  const avgWorkingMs = avg(s.workingMs, s.handovers);
  const avgNormMs = avg(s.normMs, s.withNorm);
  return {
    step: s.step,
    handovers: s.handovers,
    early: s.early,
    onTime: s.onTime,
    late: s.late,
    lateShare: percent(s.late, s.handovers),
    totalWorkingMs: s.workingMs,
    avgWorkingMs,
    avgNormMs,
    ratio: ratio(avgWorkingMs, avgNormMs),
  };
}

/** The slowest steps: highest average time ÷ average norm, then most total time; steps without a norm are not ranked. Pure. */
export function slowestSteps<T extends { ratio: number | null; totalWorkingMs: number }>(steps: readonly T[], limit = SLOWEST_LIMIT): T[] {
  return steps
    .filter((s) => s.ratio !== null)
    .sort((a, b) => b.ratio! - a.ratio! || b.totalWorkingMs - a.totalWorkingMs)
    .slice(0, limit);
}

/** 'YYYY-MM' ↔ a month number, for month arithmetic. */
const monthNo = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
const monthOf = (n: number) => `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;

export interface MonthSums {
  /** 'YYYY-MM'. */
  month: string;
  settled: number;
  workingMs: number;
}

export interface Baseline {
  kind: 'first_12_months' | 'year';
  year: number | null;
  from: string;
  to: string;
  /** Months of the baseline with settled dossiers. */
  months: number;
  settled: number;
  avgWorkingMs: number;
}

/**
 * The baseline: the calendar year asked for, or the first 12 months with settled dossiers (in
 * either case the average over all the dossiers settled in it, not an average of monthly
 * averages). Null when that has no settled dossier. `months` sorted by month. Pure.
 */
export function baselineOf(months: readonly MonthSums[], year?: number): Baseline | null {
  const withData = months.filter((m) => m.settled > 0);
  const chosen = year === undefined ? withData.slice(0, BASELINE_MONTHS) : withData.filter((m) => Number(m.month.slice(0, 4)) === year);
  const settled = chosen.reduce((n, m) => n + m.settled, 0);
  if (settled === 0) return null;
  const workingMs = chosen.reduce((n, m) => n + m.workingMs, 0);
  return {
    kind: year === undefined ? 'first_12_months' : 'year',
    year: year ?? null,
    from: year === undefined ? chosen[0]!.month : `${year}-01`,
    to: year === undefined ? chosen[chosen.length - 1]!.month : `${year}-12`,
    months: chosen.length,
    settled,
    avgWorkingMs: Math.round(workingMs / settled),
  };
}

/**
 * The months the trend shows, ending with `lastMonth`: from the first month with settled
 * dossiers, but at least TREND_MIN_MONTHS and at most TREND_MAX_MONTHS; months without settled
 * dossiers have no average. Pure.
 */
export function trendMonths(months: readonly MonthSums[], lastMonth: string, firstDataMonth?: string | null) {
  const end = monthNo(lastMonth);
  const firstData = firstDataMonth ?? months.find((m) => m.settled > 0)?.month ?? null;
  const start = Math.max(end - TREND_MAX_MONTHS + 1, Math.min(end - TREND_MIN_MONTHS + 1, firstData ? monthNo(firstData) : end));
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const out = [];
  for (let n = start; n <= end; n++) {
    const m = byMonth.get(monthOf(n));
    const settled = m?.settled ?? 0;
    out.push({ month: monthOf(n), settled, avgWorkingMs: m ? avg(m.workingMs, settled) : null });
  }
  return out;
}

const BASELINE_LABEL = {
  first_12_months: (b: Baseline) => ({
    vi: `Bình quân ${b.months} tháng đầu tiên có hồ sơ giải quyết xong (${b.from} – ${b.to})`,
    en: `Average of the first ${b.months} months with settled dossiers (${b.from} – ${b.to})`,
  }),
  year: (b: Baseline) => ({ vi: `Bình quân năm ${b.year}`, en: `Average of the year ${b.year}` }),
};

const num = (v: unknown) => Number(v ?? 0);

export async function timeView(ctx: AppContext, actor: Actor, q: TimeQuery) {
  const scope = await monitoringScope(ctx, actor, q.unit);
  const today = vietnamDate(ctx.now());
  const period = periodOrThrow(q, today);
  const field = await fieldOrThrow(ctx, q.field);
  const units = scope.units.map((u) => u.code);
  const db = ctx.db;

  // Settled in the period, per procedure (monitoring_daily).
  let daily = db
    .selectFrom('monitoring_daily')
    .select([
      'procedure_code',
      sql<string>`sum(settled_early)`.as('early'),
      sql<string>`sum(settled_on_time)`.as('on_time'),
      sql<string>`sum(settled_late)`.as('late'),
      sql<string>`sum(settled_working_ms)`.as('working_ms'),
    ])
    .where('unit_code', 'in', units)
    .where('day', '>=', period.from)
    .where('day', '<=', period.to)
    .groupBy('procedure_code')
    .having(sql<boolean>`sum(settled_early + settled_on_time + settled_late) > 0`);
  if (q.field) daily = daily.where('field_code', '=', q.field);
  const perProcedure = await daily.execute();

  // Steps left in the months the period touches (monitoring_steps_monthly).
  const stepFrom = `${period.from.slice(0, 7)}-01`;
  const stepTo = `${period.to.slice(0, 7)}-01`;
  let stepQuery = db
    .selectFrom('monitoring_steps_monthly')
    .select([
      'procedure_code',
      'step',
      sql<string>`sum(handovers)`.as('handovers'),
      sql<string>`sum(early)`.as('early'),
      sql<string>`sum(on_time)`.as('on_time'),
      sql<string>`sum(late)`.as('late'),
      sql<string>`sum(working_ms)`.as('working_ms'),
      sql<string>`sum(norm_ms)`.as('norm_ms'),
      sql<string>`sum(with_norm)`.as('with_norm'),
    ])
    .where('unit_code', 'in', units)
    .where('month', '>=', stepFrom)
    .where('month', '<=', stepTo)
    .groupBy(['procedure_code', 'step']);
  if (q.field) stepQuery = stepQuery.where('procedure_code', 'in', db.selectFrom('procedures').select('code').where('field_code', '=', q.field));
  const stepRows = await stepQuery.execute();

  // Months of the scope (monitoring_monthly_field, keyed by month first): the first month with
  // settled dossiers, then only the months of the baseline and of the trend.
  let firstQuery = db
    .selectFrom('monitoring_monthly_field')
    .select(sql<string | null>`to_char(min(month), 'YYYY-MM')`.as('first'))
    .where('unit_code', 'in', units)
    .where(sql<boolean>`settled_early + settled_on_time + settled_late > 0`);
  if (q.field) firstQuery = firstQuery.where('field_code', '=', q.field);
  const firstMonth = (await firstQuery.executeTakeFirst())?.first ?? null;
  const monthSums = async (from: string, to: string): Promise<MonthSums[]> => {
    let m = db
      .selectFrom('monitoring_monthly_field')
      .select([
        sql<string>`to_char(month, 'YYYY-MM')`.as('month'),
        sql<string>`sum(settled_early + settled_on_time + settled_late)`.as('settled'),
        sql<string>`sum(settled_working_ms)`.as('working_ms'),
      ])
      .where('month', '>=', `${from}-01`)
      .where('month', '<=', `${to}-01`)
      .where('unit_code', 'in', units)
      .groupBy('month')
      .orderBy('month');
    if (q.field) m = m.where('field_code', '=', q.field);
    return (await m.execute()).map((r) => ({ month: r.month, settled: num(r.settled), workingMs: num(r.working_ms) }));
  };
  const lastMonth = period.to.slice(0, 7);
  const trendFrom = monthOf(monthNo(lastMonth) - TREND_MAX_MONTHS + 1);
  const baselineWindow = q.baselineYear !== undefined ? { from: `${q.baselineYear}-01`, to: `${q.baselineYear}-12` } : firstMonth ? { from: firstMonth, to: monthOf(monthNo(firstMonth) + BASELINE_SEARCH_MONTHS - 1) } : null;
  const [trendSums, baselineSums] = await Promise.all([monthSums(trendFrom, lastMonth), baselineWindow ? monthSums(baselineWindow.from, baselineWindow.to) : Promise.resolve([])]);

  // The procedures named in the figures, with their cases' limits and their steps' order.
  const codes = [...new Set([...perProcedure.map((r) => r.procedure_code), ...stepRows.map((r) => r.procedure_code)])];
  const procs = codes.length ? await db.selectFrom('procedures').select(['code', 'name', 'name_en', 'steps']).where('code', 'in', codes).execute() : [];
  const cases = codes.length
    ? await db
        .selectFrom('procedure_cases')
        .select(['procedure_code', 'code', 'time_limit_kind', 'time_limit_value', 'service_norm_kind', 'service_norm_value'])
        .where('procedure_code', 'in', codes)
        .orderBy('procedure_code')
        .orderBy('sort')
        .orderBy('code')
        .execute()
    : [];
  const procOf = new Map(procs.map((p) => [p.code, p]));
  const casesOf = new Map<string, typeof cases>();
  for (const c of cases) {
    const list = casesOf.get(c.procedure_code) ?? [];
    list.push(c);
    casesOf.set(c.procedure_code, list);
  }
  const procedureView = (code: string) => {
    const p = procOf.get(code);
    return { code, name: p?.name ?? code, nameEn: p?.name_en || null };
  };

  let totalSettled = 0;
  let totalLate = 0;
  let totalWorking = 0;
  const procedures = perProcedure.map((r) => {
    const early = num(r.early);
    const onTime = num(r.on_time);
    const late = num(r.late);
    const settled = early + onTime + late;
    const workingMs = num(r.working_ms);
    totalSettled += settled;
    totalLate += late;
    totalWorking += workingMs;
    const list = casesOf.get(r.procedure_code) ?? [];
    const main = list[0];
    const limit = main ? limitLength(main.time_limit_kind as TimeLimitKind, Number(main.time_limit_value)) : null;
    const serviceNorm = main?.service_norm_kind ? limitLength(main.service_norm_kind as TimeLimitKind, Number(main.service_norm_value ?? 0)) : null;
    const avgWorkingMs = avg(workingMs, settled);
    return {
      procedure: procedureView(r.procedure_code),
      settled,
      early,
      onTime,
      late,
      lateShare: percent(late, settled),
      avgWorkingMs,
      limit: limit && { ...limit, casesDiffer: list.some((c) => c.time_limit_kind !== main!.time_limit_kind || Number(c.time_limit_value) !== Number(main!.time_limit_value)) },
      serviceNorm,
      limitRatio: ratio(avgWorkingMs, limit?.workingMs ?? null),
      serviceNormRatio: ratio(avgWorkingMs, serviceNorm?.workingMs ?? null),
    };
  });
  // Closest to (or past) the legal limit first; procedures without a limit last, slowest first.
  procedures.sort((a, b) => (b.limitRatio ?? -1) - (a.limitRatio ?? -1) || (b.avgWorkingMs ?? 0) - (a.avgWorkingMs ?? 0) || a.procedure.code.localeCompare(b.procedure.code));

  const sums: StepSums[] = stepRows.map((r) => ({
    procedureCode: r.procedure_code,
    step: r.step,
    handovers: num(r.handovers),
    early: num(r.early),
    onTime: num(r.on_time),
    late: num(r.late),
    workingMs: num(r.working_ms),
    normMs: num(r.norm_ms),
    withNorm: num(r.with_norm),
  }));
  const stepIndex = (code: string, step: string) => {
    const i = procOf.get(code)?.steps.indexOf(step) ?? -1;
    return i < 0 ? 99 : i;
  };
  const steps = sums
    .map((s) => ({ procedure: procedureView(s.procedureCode), ...stepFigures(s) }))
    .sort((a, b) => a.procedure.code.localeCompare(b.procedure.code) || stepIndex(a.procedure.code, a.step) - stepIndex(b.procedure.code, b.step) || a.step.localeCompare(b.step));
  const byStep = new Map<string, Omit<StepSums, 'procedureCode'>>();
  for (const s of sums) {
    const t = byStep.get(s.step) ?? { step: s.step, handovers: 0, early: 0, onTime: 0, late: 0, workingMs: 0, normMs: 0, withNorm: 0 };
    t.handovers += s.handovers;
    t.early += s.early;
    t.onTime += s.onTime;
    t.late += s.late;
    t.workingMs += s.workingMs;
    t.normMs += s.normMs;
    t.withNorm += s.withNorm;
    byStep.set(s.step, t);
  }
  const STEP_ORDER = ['desk', 'specialist', 'leader', 'return'];
  const order = (s: string) => (STEP_ORDER.includes(s) ? STEP_ORDER.indexOf(s) : STEP_ORDER.length - 1);
  const stepTotals = [...byStep.values()].map(stepFigures).sort((a, b) => order(a.step) - order(b.step) || a.step.localeCompare(b.step));

  const baseline = baselineOf(baselineSums, q.baselineYear);
  const goalWorkingMs = baseline ? Math.round(baseline.avgWorkingMs * GOAL_RATIO) : null;
  const currentAvg = avg(totalWorking, totalSettled);

  return {
    root: unitView(scope.root),
    period,
    today,
    asOf: ctx.now().toISOString(),
    field,
    stepMonths: { from: stepFrom.slice(0, 7), to: stepTo.slice(0, 7) },
    totals: { settled: totalSettled, late: totalLate, lateShare: percent(totalLate, totalSettled), avgWorkingMs: currentAvg },
    procedures,
    steps,
    stepTotals,
    slowest: slowestSteps(steps),
    trend: {
      goalRatio: GOAL_RATIO,
      baseline: baseline && { ...baseline, label: BASELINE_LABEL[baseline.kind](baseline) },
      goalWorkingMs,
      /** The period's average against the baseline: the cut achieved (percent) and whether the goal is met. */
      current: {
        avgWorkingMs: currentAvg,
        reductionPercent: baseline && currentAvg !== null ? round((1 - currentAvg / baseline.avgWorkingMs) * 100, 2) : null,
        goalMet: goalWorkingMs !== null && currentAvg !== null ? currentAvg <= goalWorkingMs : null,
      },
      months: trendMonths(trendSums, lastMonth, firstMonth),
    },
  };
}

// The API's schema (src/monitoring/routes.ts): validation, OpenAPI and the web client's types.
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const Ms = (description: string) => Nullable(Type.Integer({ description: `${description} (working milliseconds)` }));
const Limit = Type.Object({
  kind: Type.String(),
  value: Type.Number(),
  workingMs: Ms('The limit as working time; null without one'),
  approximate: Type.Boolean({ description: 'Calendar days or same day: no exact working-time length (days × 5/7 working days; same day = 1 working day).' }),
});
const ProcedureRef = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) });
const StepView = Type.Object({
  step: Type.String(),
  handovers: Type.Integer(),
  early: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  lateShare: Nullable(Type.Number({ description: 'Percent of the hand-overs that were late against the step due.' })),
  totalWorkingMs: Type.Integer(),
  avgWorkingMs: Ms('Average time at the step'),
  avgNormMs: Ms('Average norm of the step over the hand-overs that had one'),
  ratio: Nullable(Type.Number({ description: 'avgWorkingMs ÷ avgNormMs.' })),
});
const ProcedureStepView = Type.Intersect([Type.Object({ procedure: ProcedureRef }), StepView]);

export const BaselineYearParam = Type.Integer({ minimum: 2000, maximum: 2100, description: 'Baseline of the goal line: this calendar year (default: the first 12 months with settled dossiers).' });

export const TimeViewBody = Type.Object({
  root: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), kind: Type.String() }),
  period: Type.Object({ kind: Type.String(), from: Type.String(), to: Type.String(), days: Type.Integer() }),
  today: Type.String(),
  asOf: Type.String(),
  field: Nullable(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() })),
  stepMonths: Type.Object({ from: Type.String(), to: Type.String() }, { description: 'The whole months (YYYY-MM) the step figures cover: steps are summed by month.' }),
  totals: Type.Object({ settled: Type.Integer(), late: Type.Integer(), lateShare: Nullable(Type.Number()), avgWorkingMs: Ms('Average processing time') }),
  procedures: Type.Array(
    Type.Object({
      procedure: ProcedureRef,
      settled: Type.Integer(),
      early: Type.Integer(),
      onTime: Type.Integer(),
      late: Type.Integer(),
      lateShare: Nullable(Type.Number()),
      avgWorkingMs: Ms('Average processing time, receipt → settlement minus supplement waits'),
      limit: Nullable(Type.Intersect([Limit, Type.Object({ casesDiffer: Type.Boolean({ description: 'Other cases of the procedure have another limit; the main case is shown.' }) })])),
      serviceNorm: Nullable(Limit),
      limitRatio: Nullable(Type.Number({ description: 'avgWorkingMs ÷ the legal limit.' })),
      serviceNormRatio: Nullable(Type.Number({ description: 'avgWorkingMs ÷ the service norm.' })),
    }),
  ),
  steps: Type.Array(ProcedureStepView),
  stepTotals: Type.Array(StepView),
  slowest: Type.Array(ProcedureStepView),
  trend: Type.Object({
    goalRatio: Type.Number(),
    baseline: Nullable(
      Type.Object({
        kind: Type.Union([Type.Literal('first_12_months'), Type.Literal('year')]),
        year: Nullable(Type.Integer()),
        from: Type.String(),
        to: Type.String(),
        months: Type.Integer(),
        settled: Type.Integer(),
        avgWorkingMs: Type.Integer(),
        label: Name,
      }),
    ),
    goalWorkingMs: Ms('70% of the baseline'),
    current: Type.Object({ avgWorkingMs: Ms('The period’s average'), reductionPercent: Nullable(Type.Number()), goalMet: Nullable(Type.Boolean()) }),
    months: Type.Array(Type.Object({ month: Type.String(), settled: Type.Integer(), avgWorkingMs: Ms('Average of the dossiers settled in the month') })),
  }),
});
