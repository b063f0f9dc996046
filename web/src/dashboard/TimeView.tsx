/**
 * /lanh-dao/thoi-gian: where time goes (GET /api/monitoring/time). For the leader's units and a
 * period: each procedure's average processing time against its legal limit and service norm; the
 * time at each step against its norm and the slowest steps; and the monthly average against the
 * goal line (70% of a baseline: the first 12 months with data, or a chosen year). Times are
 * working time (8 working hours a day), without supplement waits. Ratios are drawn as <meter>
 * bars (no inline styles under the CSP) with the figure written next to them; the trend chart is
 * an image with its figures in a table too.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Loading } from '../components/ErrorBox.js';
import { pick, useT, type Translate } from '../i18n/index.js';
import { useRouter, useSearchParams } from '../router.js';
import { useApi } from '../useApi.js';
import { ApplyButton, biText, DashboardHeading, fieldText, leadersPage, LoadState, PeriodFilter, TableRegion, unitName } from './common.js';
import { apiQuery, periodText, viewFrom, viewSearch, type ViewQuery } from './period.js';
import type { Bi, FieldRef, PeriodView, UnitRef } from './types.js';

const TrendChart = lazy(() => import('./TrendChart.js'));

// ---- Shape of the answer (src/monitoring/time-view.ts TimeViewBody) ------------------------------

interface ProcedureRef {
  code: string;
  name: string;
  nameEn: string | null;
}
interface LimitView {
  kind: string;
  value: number;
  workingMs: number | null;
  approximate: boolean;
}
interface StepView {
  step: string;
  handovers: number;
  early: number;
  onTime: number;
  late: number;
  lateShare: number | null;
  totalWorkingMs: number;
  avgWorkingMs: number | null;
  avgNormMs: number | null;
  ratio: number | null;
}
interface ProcedureStepView extends StepView {
  procedure: ProcedureRef;
}
interface TimeAnswer {
  root: UnitRef;
  period: PeriodView;
  today: string;
  asOf: string;
  field: FieldRef | null;
  stepMonths: { from: string; to: string };
  totals: { settled: number; late: number; lateShare: number | null; avgWorkingMs: number | null };
  procedures: Array<{
    procedure: ProcedureRef;
    settled: number;
    early: number;
    onTime: number;
    late: number;
    lateShare: number | null;
    avgWorkingMs: number | null;
    limit: (LimitView & { casesDiffer: boolean }) | null;
    serviceNorm: LimitView | null;
    limitRatio: number | null;
    serviceNormRatio: number | null;
  }>;
  steps: ProcedureStepView[];
  stepTotals: StepView[];
  slowest: ProcedureStepView[];
  trend: {
    goalRatio: number;
    baseline: { kind: 'first_12_months' | 'year'; year: number | null; from: string; to: string; months: number; settled: number; avgWorkingMs: number; label: Bi } | null;
    goalWorkingMs: number | null;
    current: { avgWorkingMs: number | null; reductionPercent: number | null; goalMet: boolean | null };
    months: Array<{ month: string; settled: number; avgWorkingMs: number | null }>;
  };
}

// ---- Formatting ----------------------------------------------------------------------------------

const HOUR_MS = 3_600_000;
const WORKING_DAY_HOURS = 8;
const round1 = (x: number) => Math.round(x * 10) / 10;
const hoursOf = (ms: number) => round1(ms / HOUR_MS);

/** "17 giờ (2,1 ngày làm việc)"; a dash when there is nothing. */
function durationText(t: Translate, ms: number | null): string {
  if (ms === null) return t('dash.value.na');
  const h = ms / HOUR_MS;
  if (h < WORKING_DAY_HOURS) return t('dash.time.hours', { hours: t.number(round1(h)) });
  return t('dash.time.hoursDays', { hours: t.number(round1(h)), days: t.number(round1(h / WORKING_DAY_HOURS)) });
}

const pct = (t: Translate, v: number | null) => (v === null ? t('dash.value.na') : t('dash.value.percent', { value: t.number(v) }));
const ratioPct = (t: Translate, r: number | null) => (r === null ? t('dash.value.na') : t('dash.value.percent', { value: t.number(Math.round(r * 1000) / 10) }));

const STEP_KEYS = ['desk', 'specialist', 'leader', 'signing', 'return'] as const;
function stepText(t: Translate, step: string): string {
  return (STEP_KEYS as readonly string[]).includes(step) ? t(`dash.time.step.${step as (typeof STEP_KEYS)[number]}`) : step;
}

/** "3/2026". */
const monthShort = (ym: string) => `${Number(ym.slice(5, 7))}/${ym.slice(0, 4)}`;

function monthText(t: Translate, ym: string): string {
  return t('dash.time.month', { month: String(Number(ym.slice(5, 7))), year: ym.slice(0, 4) });
}

/** Actual ÷ allowed as a bar: green well under, amber near, red past the allowed time. */
function RatioBar({ ratio, label }: { ratio: number | null; label: string }) {
  const t = useT();
  if (ratio === null) return <>{t('dash.value.na')}</>;
  return (
    <span className="time-ratio">
      <meter min={0} max={Math.max(1.5, ratio)} low={0.8} high={1} optimum={0} value={ratio} aria-label={label} /> {ratioPct(t, ratio)}
    </span>
  );
}

function LimitText({ limit }: { limit: (LimitView & { casesDiffer?: boolean }) | null }) {
  const t = useT();
  if (!limit || limit.workingMs === null) return <>{t('dash.time.noLimit')}</>;
  return (
    <>
      {limit.approximate ? t('dash.time.approx', { value: durationText(t, limit.workingMs) }) : durationText(t, limit.workingMs)}
      {limit.casesDiffer && <span className="col-note">{t('dash.time.casesDiffer')}</span>}
    </>
  );
}

// ---- The page ------------------------------------------------------------------------------------

export default leadersPage('dash.time.title', Inner);

const YEAR = /^\d{4}$/;

function timePath(v: ViewQuery, baselineYear?: string): string {
  return `/lanh-dao/thoi-gian${viewSearch(v, { baselineYear })}`;
}

function Inner({ title }: { title: string }) {
  const t = useT();
  const params = useSearchParams();
  const view = useMemo(() => viewFrom(params), [params]);
  const rawYear = params.get('baselineYear');
  const baselineYear = rawYear && YEAR.test(rawYear) ? rawYear : undefined;
  const res = useApi<TimeAnswer>('/api/monitoring/time', { ...apiQuery(view), baselineYear });
  const data = res.data;

  return (
    <>
      <DashboardHeading title={title} ready={!res.loading} view={view} />
      <p className="lead">{t('dash.time.lead')}</p>
      <PeriodFilter view={view} answer={data} path={(v) => timePath(v, baselineYear)} />
      <LoadState error={res.error} loading={res.loading && !data} onRetry={res.reload} />
      {data && <Body data={data} view={view} baselineYear={baselineYear} />}
    </>
  );
}

function Body({ data, view, baselineYear }: { data: TimeAnswer; view: ViewQuery; baselineYear: string | undefined }) {
  const t = useT();
  const root = unitName(t, data.root);
  const period = periodText(t, data.period);
  const procName = (p: ProcedureRef) => pick(t, p.name, p.nameEn);
  return (
    <>
      {data.field && <p>{fieldText(t, data.field)}</p>}
      <section aria-labelledby="dash-time-summary">
        <h2 id="dash-time-summary">
          {t('dash.time.summary')} <span lang={root.lang}>{root.text}</span>
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('dash.time.settled')}</dt>
            <dd>{t.number(data.totals.settled)}</dd>
          </div>
          <div>
            <dt>{t('dash.time.avg')}</dt>
            <dd>{durationText(t, data.totals.avgWorkingMs)}</dd>
          </div>
          <div>
            <dt>{t('dash.time.lateShare')}</dt>
            <dd>{pct(t, data.totals.lateShare)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="dash-time-procedures">
        <h2 id="dash-time-procedures">{t('dash.time.procedures')}</h2>
        {data.procedures.length === 0 ? (
          <p>{t('dash.time.noneSettled')}</p>
        ) : (
          <TableRegion wrapClass="dash-wrap" labelledBy="dash-time-procedures" caption={t('dash.time.proceduresCaption', { period })}>
            <thead>
              <tr>
                <th scope="col">{t('dash.time.procedure')}</th>
                <th scope="col">{t('dash.time.settled')}</th>
                <th scope="col">{t('dash.time.avg')}</th>
                <th scope="col">{t('dash.time.limit')}</th>
                <th scope="col">{t('dash.time.ofLimit')}</th>
                <th scope="col">{t('dash.time.serviceNorm')}</th>
                <th scope="col">{t('dash.time.ofServiceNorm')}</th>
                <th scope="col">{t('dash.time.lateShare')}</th>
              </tr>
            </thead>
            <tbody>
              {data.procedures.map((p) => {
                const n = procName(p.procedure);
                return (
                  <tr key={p.procedure.code}>
                    <th scope="row">
                      <span lang={n.lang}>{n.text}</span>
                      <span className="col-note">{p.procedure.code}</span>
                    </th>
                    <td>{t.number(p.settled)}</td>
                    <td>{durationText(t, p.avgWorkingMs)}</td>
                    <td>
                      <LimitText limit={p.limit} />
                    </td>
                    <td>
                      <RatioBar ratio={p.limitRatio} label={t('dash.time.ofLimitOf', { procedure: n.text })} />
                    </td>
                    <td>{p.serviceNorm ? <LimitText limit={p.serviceNorm} /> : t('dash.time.noServiceNorm')}</td>
                    <td>
                      <RatioBar ratio={p.serviceNormRatio} label={t('dash.time.ofServiceNormOf', { procedure: n.text })} />
                    </td>
                    <td>{pct(t, p.lateShare)}</td>
                  </tr>
                );
              })}
            </tbody>
          </TableRegion>
        )}
      </section>

      <section aria-labelledby="dash-time-slowest">
        <h2 id="dash-time-slowest">{t('dash.time.slowest')}</h2>
        <p className="hint">{t('dash.time.stepMonths', { from: monthShort(data.stepMonths.from), to: monthShort(data.stepMonths.to) })}</p>
        {data.slowest.length === 0 ? <p>{t('dash.time.noSteps')}</p> : <StepTable id="dash-time-slowest" rows={data.slowest} caption={t('dash.time.slowestCaption')} withProcedure />}
      </section>

      <section aria-labelledby="dash-time-steps">
        <h2 id="dash-time-steps">{t('dash.time.steps')}</h2>
        {data.stepTotals.length === 0 ? (
          <p>{t('dash.time.noSteps')}</p>
        ) : (
          <>
            <StepTable id="dash-time-steps" rows={data.stepTotals} caption={t('dash.time.stepsCaption')} />
            <details>
              <summary>{t('dash.time.stepsByProcedure')}</summary>
              <StepTable id="dash-time-steps-proc" rows={data.steps} caption={t('dash.time.stepsByProcedure')} withProcedure />
            </details>
          </>
        )}
      </section>

      <Trend data={data} view={view} baselineYear={baselineYear} />
    </>
  );
}

function StepTable({ id, rows, caption, withProcedure }: { id: string; rows: Array<StepView & { procedure?: ProcedureRef }>; caption: string; withProcedure?: boolean }) {
  const t = useT();
  return (
    <TableRegion wrapClass="dash-wrap" tableId={`${id}-table`} label={caption} caption={caption}>
      <thead>
        <tr>
          {withProcedure && <th scope="col">{t('dash.time.procedure')}</th>}
          <th scope="col">{t('dash.time.step')}</th>
          <th scope="col">{t('dash.time.handovers')}</th>
          <th scope="col">{t('dash.time.avgAtStep')}</th>
          <th scope="col">{t('dash.time.avgNorm')}</th>
          <th scope="col">{t('dash.time.ofNorm')}</th>
          <th scope="col">{t('dash.time.lateShareStep')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => {
          const n = s.procedure ? pick(t, s.procedure.name, s.procedure.nameEn) : null;
          const step = stepText(t, s.step);
          return (
            <tr key={`${s.procedure?.code ?? ''}|${s.step}`}>
              {withProcedure && (
                <td>
                  <span lang={n?.lang}>{n?.text}</span>
                </td>
              )}
              <th scope="row">{step}</th>
              <td>{t.number(s.handovers)}</td>
              <td>{durationText(t, s.avgWorkingMs)}</td>
              <td>{durationText(t, s.avgNormMs)}</td>
              <td>
                <RatioBar ratio={s.ratio} label={t('dash.time.ofNormOf', { step: n ? `${n.text} – ${step}` : step })} />
              </td>
              <td>{pct(t, s.lateShare)}</td>
            </tr>
          );
        })}
      </tbody>
    </TableRegion>
  );
}

function Trend({ data, view, baselineYear }: { data: TimeAnswer; view: ViewQuery; baselineYear: string | undefined }) {
  const t = useT();
  const { navigate } = useRouter();
  const { trend } = data;
  const [year, setYear] = useState(baselineYear ?? '');
  // The choice follows the address (back / forward).
  useEffect(() => setYear(baselineYear ?? ''), [baselineYear]);
  const thisYear = Number(data.today.slice(0, 4));
  const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i));
  const categories = useMemo(() => trend.months.map((m) => monthText(t, m.month)), [trend.months, t]);
  const series = useMemo(() => {
    const actual = { name: t('dash.time.trendActual'), values: trend.months.map((m) => (m.avgWorkingMs === null ? null : hoursOf(m.avgWorkingMs))) };
    if (trend.goalWorkingMs === null) return [actual];
    const goal = hoursOf(trend.goalWorkingMs);
    return [actual, { name: t('dash.time.trendGoal'), values: trend.months.map(() => goal) }];
  }, [trend, t]);
  const format = useCallback((v: number) => t('dash.time.hours', { hours: t.number(v) }), [t]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(timePath(view, year || undefined));
  };
  const b = trend.baseline;
  const cur = trend.current;

  return (
    <section aria-labelledby="dash-time-trend">
      <h2 id="dash-time-trend">{t('dash.time.trend')}</h2>
      <form className="ws-filters" onSubmit={apply}>
        <div className="ws-filter-row">
          <div className="control">
            <label htmlFor="dash-time-baseline">{t('dash.time.baselineChoice')}</label>
            <select id="dash-time-baseline" value={year} onChange={(e) => setYear(e.target.value)}>
              <option value="">{t('dash.time.baselineFirst')}</option>
              {years.map((y) => (
                <option key={y} value={y}>
                  {t('dash.time.baselineYear', { year: y })}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ApplyButton />
      </form>
      {b ? (
        <dl className="facts">
          <div>
            <dt>{t('dash.time.baseline')}</dt>
            <dd>
              {biText(t, b.label)}: {durationText(t, b.avgWorkingMs)} ({t('dash.time.dossiers', { n: t.number(b.settled) })})
            </dd>
          </div>
          <div>
            <dt>{t('dash.time.goal', { cut: t.number(Math.round((1 - trend.goalRatio) * 100)) })}</dt>
            <dd>{durationText(t, trend.goalWorkingMs)}</dd>
          </div>
          <div>
            <dt>{t('dash.time.current', { period: periodText(t, data.period) })}</dt>
            <dd>
              {durationText(t, cur.avgWorkingMs)}
              {cur.reductionPercent !== null && <> — {cur.reductionPercent >= 0 ? t('dash.time.cut', { value: t.number(cur.reductionPercent) }) : t('dash.time.rise', { value: t.number(-cur.reductionPercent) })}</>}
              {cur.goalMet !== null && <> — {cur.goalMet ? t('dash.time.goalMet') : t('dash.time.goalNotMet')}</>}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="notice">{baselineYear ? t('dash.time.noBaselineYear', { year: baselineYear }) : t('dash.time.noBaseline')}</p>
      )}
      <figure className="trend" aria-labelledby="dash-time-trend-fig">
        <h3 id="dash-time-trend-fig">{t('dash.time.trendFigure')}</h3>
        <Suspense fallback={<Loading />}>
          <TrendChart categories={categories} series={series} max={null} format={format} label={t('dash.time.trendChartLabel', { from: categories[0] ?? '', to: categories.at(-1) ?? '' })} />
        </Suspense>
        <details>
          <summary>{t('dash.time.trendTable')}</summary>
          <TableRegion label={t('dash.time.trendTable')}>
            <thead>
              <tr>
                <th scope="col">{t('dash.time.monthCol')}</th>
                <th scope="col">{t('dash.time.settled')}</th>
                <th scope="col">{t('dash.time.avg')}</th>
                <th scope="col">{t('dash.time.trendGoal')}</th>
              </tr>
            </thead>
            <tbody>
              {trend.months.map((m, i) => (
                <tr key={m.month}>
                  <th scope="row">{categories[i]}</th>
                  <td>{t.number(m.settled)}</td>
                  <td>{durationText(t, m.avgWorkingMs)}</td>
                  <td>{durationText(t, trend.goalWorkingMs)}</td>
                </tr>
              ))}
            </tbody>
          </TableRegion>
        </details>
      </figure>
    </section>
  );
}
