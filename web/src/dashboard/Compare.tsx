/**
 * /lanh-dao/so-sanh?units=A,B,…: two or more units side by side on every indicator for the period
 * (a table: indicators down, units across), and the trend of chosen indicators over the days,
 * weeks or months of the period (ECharts line charts, one line per unit, each with its figures in
 * a table too). There is no trend route: each point is the heatmap of one unit for one
 * sub-period (GET /api/monitoring/heatmap?unit=…&period=custom&from=…&to=…), a few requests at a
 * time.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Query } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { useT } from '../i18n/index.js';
import { Link, useRouter, useSearchParams } from '../router.js';
import { useApi } from '../useApi.js';
import { biText, CellBody, comparePath, DashboardHeading, drillPath, leadersPage, LoadState, PeriodFilter, TableRegion, unitName, valueText } from './common.js';
import { apiQuery, defaultStep, periodText, subPeriods, subPeriodText, viewFrom, viewOfPeriod, type Step, type SubPeriod } from './period.js';
import type { HeatmapAnswer, HeatmapIndicatorId, HeatmapRow, IndicatorView } from './types.js';

const TrendChart = lazy(() => import('./TrendChart.js'));

const UNIT = /^[A-Za-z0-9.]{1,40}$/;
const MAX_UNITS = 6;
/** Requests in flight at once for the trends. */
const PARALLEL = 4;
const STEPS: readonly Step[] = ['day', 'week', 'month'];

export default leadersPage('dash.compare.title', Inner);

interface Task {
  key: string;
  query: Query;
}

/** GET /api/monitoring/heatmap for each task, PARALLEL at a time; answers by task key. */
function useHeatmaps(tasks: Task[]): { answers: Map<string, HeatmapAnswer>; done: number; error: unknown; retry(): void } {
  const key = JSON.stringify(tasks);
  const [state, setState] = useState<{ key: string; answers: Map<string, HeatmapAnswer>; error: unknown }>({ key: '', answers: new Map(), error: undefined });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    const answers = new Map<string, HeatmapAnswer>();
    setState({ key, answers: new Map(), error: undefined });
    if (tasks.length === 0) return;
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !ctrl.signal.aborted) {
        const task = tasks[next++]!;
        const a = await api.get<HeatmapAnswer>('/api/monitoring/heatmap', task.query, ctrl.signal);
        answers.set(task.key, a);
        if (!ctrl.signal.aborted) setState({ key, answers: new Map(answers), error: undefined });
      }
    };
    Promise.all(Array.from({ length: Math.min(PARALLEL, tasks.length) }, worker)).catch((error: unknown) => {
      if (!ctrl.signal.aborted) {
        ctrl.abort();
        setState({ key, answers: new Map(answers), error });
      }
    });
    return () => ctrl.abort();
    // `key` stands for the tasks.
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const current = state.key === key;
  return { answers: current ? state.answers : new Map(), done: current ? state.answers.size : 0, error: current ? state.error : undefined, retry };
}

function Inner({ title }: { title: string }) {
  const t = useT();
  const params = useSearchParams();
  const { location, navigate } = useRouter();
  const view = useMemo(() => viewFrom(params), [params]);
  const q = useMemo(() => apiQuery(view), [view]);
  const units = useMemo(
    () => [...new Set((params.get('units') ?? '').split(',').filter((u) => UNIT.test(u)))].slice(0, MAX_UNITS),
    [params],
  );
  const root = useApi<HeatmapAnswer>('/api/monitoring/heatmap', q);
  const data = root.data;
  const inRoot = useMemo(() => new Map((data?.rows ?? []).map((r) => [r.unit.code, r])), [data]);

  // Units that are not rows of the leader's heatmap (e.g. below a department): their own total.
  const missingTasks = useMemo<Task[]>(() => (data ? units.filter((u) => !inRoot.has(u)).map((u) => ({ key: u, query: { ...q, unit: u } })) : []), [data, units, inRoot, q]);
  const missing = useHeatmaps(missingTasks);
  const rowOf = (code: string): HeatmapRow | undefined => inRoot.get(code) ?? missing.answers.get(code)?.rows[0];

  const setParams = (changes: Record<string, string | undefined>, replace = false) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    navigate(`/lanh-dao/so-sanh?${p.toString()}`, { replace });
  };
  const keep = { units: units.join(',') || undefined, ind: params.get('ind') ?? undefined, step: params.get('step') ?? undefined };

  const trendable = (data?.indicators ?? []).filter((i) => i.computed && i.timeframe === 'period');
  const chosenIds = (params.get('ind') ?? 'on_time_rate').split(',').filter((id) => trendable.some((i) => i.id === id)) as HeatmapIndicatorId[];
  const period = data?.period;
  const autoStep = period ? defaultStep(period) : null;
  const stepParam = params.get('step') as Step | null;
  const step: Step | null = period && period.days >= 2 && stepParam && STEPS.includes(stepParam) ? stepParam : autoStep;
  const subs = useMemo<SubPeriod[]>(() => (period && step && data ? subPeriods(period.from, period.to, step, data.today) : []), [period, step, data]);
  const trendTasks = useMemo<Task[]>(
    () => (chosenIds.length === 0 ? [] : subs.flatMap((s) => units.map((u) => ({ key: `${u}|${s.from}`, query: { unit: u, period: 'custom', from: s.from, to: s.to, field: view.field } })))),
    // chosenIds only decides whether to load at all.
    [subs, units, view.field, chosenIds.length > 0],
  );
  const trend = useHeatmaps(trendTasks);

  const [adding, setAdding] = useState('');
  const options = (data?.rows ?? []).filter((r) => !units.includes(r.unit.code));

  const chosenRows = units.map((u) => ({ code: u, row: rowOf(u) }));
  const columns = (data?.indicators ?? []).filter((i) => i.computed);

  return (
    <>
      <DashboardHeading title={title} ready={!root.loading} view={view} />
      <p className="lead">{t('dash.compare.lead')}</p>
      <PeriodFilter view={view} answer={data} path={(v) => comparePath(units, v, { ind: keep.ind, step: keep.step })} />
      <LoadState error={root.error} loading={root.loading} onRetry={root.reload} />

      {data && (
        <section aria-labelledby="dash-cmp-units">
          <h2 id="dash-cmp-units">{t('dash.compare.units')}</h2>
          {units.length === 0 ? (
            <p>{t('dash.compare.none')}</p>
          ) : (
            <ul className="chosen-units">
              {chosenRows.map(({ code, row }) => {
                const n = row ? unitName(t, row.unit) : { text: code, lang: undefined };
                return (
                  <li key={code}>
                    <span lang={n.lang}>{n.text}</span>{' '}
                    <button type="button" className="button-link" onClick={() => setParams({ units: units.filter((u) => u !== code).join(',') || undefined })}>
                      {t('dash.compare.remove', { unit: n.text })}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {units.length < 2 && <p className="notice">{t('dash.compare.needTwo')}</p>}
          {units.length < MAX_UNITS && (
            <form
              className="add-unit"
              onSubmit={(e) => {
                e.preventDefault();
                if (!adding) return;
                setParams({ units: [...units, adding].join(',') });
                setAdding('');
              }}
            >
              <div className="control">
                <label htmlFor="dash-cmp-add">{t('dash.compare.add')}</label>
                <select id="dash-cmp-add" value={adding} onChange={(e) => setAdding(e.target.value)}>
                  <option value="">{t('dash.compare.choose')}</option>
                  {options.map((r) => {
                    const n = unitName(t, r.unit);
                    return (
                      <option key={r.unit.code} value={r.unit.code} lang={n.lang}>
                        {n.text}
                      </option>
                    );
                  })}
                </select>
              </div>
              <button type="submit" className="button button-secondary">
                {t('dash.compare.addButton')}
              </button>
            </form>
          )}
        </section>
      )}

      {data && units.length > 0 && (
        <section aria-labelledby="dash-cmp-table">
          <h2 id="dash-cmp-table">{t('dash.compare.tableTitle')}</h2>
          {missing.error !== undefined && <ErrorBox error={missing.error} onRetry={missing.retry} />}
          <TableRegion wrapClass="dash-wrap" tableClass="table heatmap compare-table" labelledBy="dash-cmp-table" caption={t('dash.compare.caption', { period: periodText(t, data.period) })}>
            <thead>
              <tr>
                <th scope="col">{t('dash.compare.indicator')}</th>
                {chosenRows.map(({ code, row }) => {
                  const n = row ? unitName(t, row.unit) : { text: code, lang: undefined };
                  return (
                    <th key={code} scope="col" lang={n.lang}>
                      {n.text}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {columns.map((ind) => (
                <tr key={ind.id}>
                  <th scope="row">
                    {biText(t, ind.name)}
                    {ind.timeframe === 'now' && <span className="col-note">{t('dash.heatmap.now')}</span>}
                  </th>
                  {chosenRows.map(({ code, row }) => {
                    if (!row) {
                      return (
                        <td key={code}>
                          <span className="loading">{t('common.loading')}</span>
                        </td>
                      );
                    }
                    const c = row.cells[ind.id];
                    return (
                      <td key={code} className={`cell band-${c.band}`}>
                        <Link className="cell-link" to={drillPath(code, ind.id, viewOfPeriod(data.period, view.field))}>
                          <CellBody ind={ind} cell={c} unit={row.unit} note={c.note ? biText(t, data.notes[c.note]) : undefined} />
                        </Link>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </TableRegion>
        </section>
      )}

      {data && units.length > 0 && (
        <section aria-labelledby="dash-cmp-trend">
          <h2 id="dash-cmp-trend">{t('dash.trend.title')}</h2>
          <fieldset className="ws-fieldset">
            <legend>{t('dash.trend.indicators')}</legend>
            {trendable.map((ind) => (
              <div key={ind.id} className="check-row">
                <input
                  id={`dash-trend-${ind.id}`}
                  type="checkbox"
                  checked={chosenIds.includes(ind.id)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...chosenIds, ind.id] : chosenIds.filter((x) => x !== ind.id);
                    setParams({ ind: next.join(',') || 'none' }, true);
                  }}
                />
                <label htmlFor={`dash-trend-${ind.id}`}>{biText(t, ind.name)}</label>
              </div>
            ))}
          </fieldset>
          {autoStep === null ? (
            <p className="notice">{t('dash.trend.tooShort')}</p>
          ) : (
            <div className="control trend-step">
              <label htmlFor="dash-trend-step">{t('dash.trend.step')}</label>
              <select id="dash-trend-step" value={step ?? ''} onChange={(e) => setParams({ step: e.target.value }, true)}>
                {STEPS.map((s) => (
                  <option key={s} value={s}>
                    {t(`dash.trend.step.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {trend.error !== undefined && <ErrorBox error={trend.error} onRetry={trend.retry} />}
          {trendTasks.length > 0 && trend.done < trendTasks.length && trend.error === undefined && (
            <p className="loading" role="status">
              {t('dash.trend.loading', { done: t.number(trend.done), total: t.number(trendTasks.length) })}
            </p>
          )}
          {step &&
            trendTasks.length > 0 &&
            trend.done === trendTasks.length &&
            chosenIds.map((id) => {
              const ind = trendable.find((i) => i.id === id)!;
              return <Trend key={id} ind={ind} subs={subs} step={step} units={chosenRows.map((c) => ({ code: c.code, name: c.row ? unitName(t, c.row.unit).text : c.code }))} answers={trend.answers} />;
            })}
        </section>
      )}
    </>
  );
}

function Trend({ ind, subs, step, units, answers }: { ind: IndicatorView; subs: SubPeriod[]; step: Step; units: Array<{ code: string; name: string }>; answers: Map<string, HeatmapAnswer> }) {
  const t = useT();
  const categories = useMemo(() => subs.map((s) => subPeriodText(t, s, step)), [subs, step, t]);
  const series = useMemo(
    () => units.map((u) => ({ name: u.name, values: subs.map((s) => answers.get(`${u.code}|${s.from}`)?.rows[0]?.cells[ind.id].value ?? null) })),
    [units, subs, answers, ind.id],
  );
  const format = useCallback((v: number) => valueText(t, ind, v), [t, ind]);
  const name = biText(t, ind.name);
  const headingId = `dash-trend-h-${ind.id}`;
  return (
    <figure className="trend" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      <Suspense fallback={<Loading />}>
        <TrendChart categories={categories} series={series} max={ind.maxValue} format={format} label={t('dash.trend.chartLabel', { indicator: name, units: units.map((u) => u.name).join(', ') })} />
      </Suspense>
      <details>
        <summary>{t('dash.trend.table', { indicator: name })}</summary>
        <TableRegion label={t('dash.trend.table', { indicator: name })}>
          <thead>
            <tr>
              <th scope="col">{t('dash.trend.when')}</th>
              {units.map((u) => (
                <th key={u.code} scope="col">
                  {u.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {subs.map((s, i) => (
              <tr key={s.from}>
                <th scope="row">{categories[i]}</th>
                {series.map((se, j) => (
                  <td key={units[j]!.code}>{valueText(t, ind, se.values[i] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </TableRegion>
      </details>
    </figure>
  );
}

