/**
 * /lanh-dao: the leaders' heatmap (GET /api/monitoring/heatmap). One row per unit — the whole
 * province (or the leader's unit) first as the total, then the departments, wards and communes —
 * and one column per indicator; each cell gives its figure, numerator / denominator and band in
 * words as well as in colour, and opens the drill-down. Columns sort with keyboard-accessible
 * header buttons (aria-sort); period, field, sort and the unit-kind filter live in the address.
 * Beside it: the hot spots, the periodic reports of the period, and units chosen for comparison.
 * The figures follow the dossiers live: each change event re-reads the heatmap (at most one
 * request per 200 ms), so a cell changes within a second of an action anywhere in the province.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { withQuery } from '../api.js';
import { useT, type Translate } from '../i18n/index.js';
import { Link, useRouter, useSearchParams } from '../router.js';
import {
  BAND_MARK,
  biText,
  CellBody,
  comparePath,
  DashboardHeading,
  cellPath,
  fieldText,
  KindFilterSelect,
  kindFilterOf,
  leadersPage,
  LoadState,
  PeriodFilter,
  SortHeader,
  TableRegion,
  thresholdText,
  unitKindKey,
  unitName,
  useSetParams,
  type KindFilter,
} from './common.js';
import { HotspotsPanel } from './Hotspots.js';
import { useMonitoringEvents, useRefreshable, type LiveState } from './live.js';
import { apiQuery, clockText, periodText, viewFrom, viewOfPeriod, viewSearch, type ViewQuery } from './period.js';
import type { HeatmapAnswer, HeatmapIndicatorId, HeatmapRow, HotspotsAnswer, IndicatorView, MonitoringChange, PeriodView } from './types.js';

/** Re-read at most once per this many milliseconds, however many events arrive. */
const LIVE_DEBOUNCE_MS = 200;

type SortKey = HeatmapIndicatorId | 'unit';
type Dir = 'asc' | 'desc';
const LOCAL_KINDS = ['ward', 'commune'];

export default leadersPage('dash.heatmap.title', Inner);

/** Worst first on the first click: ascending where higher is better, descending where lower is. */
const firstDir = (ind: IndicatorView | undefined): Dir => (ind?.direction === 'lower_is_better' ? 'desc' : 'asc');

function sortRows(rows: HeatmapRow[], key: SortKey | null, dir: Dir, collator: Intl.Collator, t: Translate): HeatmapRow[] {
  if (!key || rows.length === 0) return rows;
  const [total, ...units] = rows;
  const sign = dir === 'desc' ? -1 : 1;
  units.sort((a, b) => {
    if (key === 'unit') return sign * collator.compare(unitName(t, a.unit).text, unitName(t, b.unit).text);
    const x = a.cells[key].value;
    const y = b.cells[key].value;
    // N/A last whatever the direction, as the server sorts.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y) || collator.compare(a.unit.code, b.unit.code);
  });
  return [total!, ...units];
}

function Inner({ title }: { title: string }) {
  const t = useT();
  const params = useSearchParams();
  const view = useMemo(() => viewFrom(params), [params]);
  const query = useMemo(() => apiQuery(view), [view]);
  const heat = useRefreshable<HeatmapAnswer>('/api/monitoring/heatmap', query);
  const hot = useRefreshable<HotspotsAnswer>('/api/monitoring/hotspots', query);

  // ---- Live: one re-read per LIVE_DEBOUNCE_MS window, whatever the number of events in it.
  const timer = useRef<number | null>(null);
  const refreshHeat = heat.refresh;
  const refreshHot = hot.refresh;
  const onChange = useCallback(
    (_c: MonitoringChange) => {
      // The view's root is the leader's own unit, and the server sends a leader only the changes
      // of units in their jurisdiction, every one of which counts in a row shown here.
      if (timer.current !== null) return;
      timer.current = window.setTimeout(() => {
        timer.current = null;
        refreshHeat();
        refreshHot();
      }, LIVE_DEBOUNCE_MS);
    },
    [refreshHeat, refreshHot],
  );
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );
  const live = useMonitoringEvents(onChange);

  const sortParam = params.get('sort');
  const dir: Dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const kind = kindFilterOf(params.get('kind'));
  const allColumns = params.get('cols') === 'all';

  const setParams = useSetParams('/lanh-dao');
  const keepDisplay = { sort: sortParam ?? undefined, dir: sortParam ? dir : undefined, kind: kind === 'all' ? undefined : kind, cols: allColumns ? 'all' : undefined };
  const viewPath = (v: ViewQuery) => `/lanh-dao${viewSearch(v, keepDisplay)}`;

  const data = heat.data;
  const [selected, setSelected] = useState<string[]>([]);
  const collator = useMemo(() => new Intl.Collator(t.locale), [t.locale]);

  return (
    <>
      <DashboardHeading title={title} ready={!heat.loading} view={view} />
      {data && (
        <p className="lead">
          {t('dash.heatmap.lead', { unit: unitName(t, data.root).text })}
          {data.field && ` ${fieldText(t, data.field)}`}
        </p>
      )}
      <LiveStatus state={live} asOf={data?.asOf} />

      <PeriodFilter view={view} answer={data} path={viewPath} />

      <LoadState error={heat.error} loading={heat.loading} onRetry={heat.refresh} />
      {data && <Reports period={data.period} />}
      {data && <HotspotsPanel data={hot.data} error={hot.error} onRetry={hot.refresh} indicators={data.indicators} view={view} />}
      {data && (
        <HeatmapTable
          data={data}
          view={view}
          sortKey={sortParam && (sortParam === 'unit' || data.indicators.some((i) => i.id === sortParam)) ? (sortParam as SortKey) : null}
          dir={dir}
          kind={kind}
          allColumns={allColumns}
          selected={selected}
          onSelect={setSelected}
          onSort={(key) => {
            const ind = data.indicators.find((i) => i.id === key);
            const next: Dir = sortParam === key ? (dir === 'asc' ? 'desc' : 'asc') : key === 'unit' ? 'asc' : firstDir(ind);
            setParams({ sort: key, dir: next });
          }}
          onKind={(k) => setParams({ kind: k === 'all' ? undefined : k }, true)}
          onColumns={(all) => setParams({ cols: all ? 'all' : undefined }, true)}
          rowsOf={(rows, key) => sortRows(rows, key, dir, collator, t)}
        />
      )}
    </>
  );
}

function LiveStatus({ state, asOf }: { state: LiveState; asOf: string | undefined }) {
  const t = useT();
  const time = asOf ? clockText(t, asOf) : null;
  return (
    <p className={`live-status live-${state}`} role="status" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      {t(`dash.live.${state}`)}
      {time && (
        <>
          {' · '}
          {t('dash.live.updatedAt', { time })}
        </>
      )}
    </p>
  );
}

/** Forms II.06a (by unit) and II.07a (by field) of the period shown, as XLSX and PDF. */
function Reports({ period }: { period: PeriodView }) {
  const t = useT();
  const q = apiQuery(viewOfPeriod(period));
  const forms = [
    { id: 'ii-06a', label: t('dash.reports.ii06a') },
    { id: 'ii-07a', label: t('dash.reports.ii07a') },
  ];
  return (
    <section className="reports" aria-labelledby="dash-reports-title">
      <h2 id="dash-reports-title">{t('dash.reports.title')}</h2>
      <p className="hint">{t('dash.reports.intro', { period: periodText(t, period) })}</p>
      <ul className="report-links">
        {forms.map((f) =>
          (['xlsx', 'pdf'] as const).map((format) => (
            <li key={`${f.id}-${format}`}>
              <a className="button button-secondary" href={withQuery(`/api/reports/${f.id}`, { ...q, format })} download>
                {t(format === 'xlsx' ? 'dash.reports.xlsx' : 'dash.reports.pdf', { form: f.label })}
              </a>
            </li>
          )),
        )}
      </ul>
    </section>
  );
}

interface TableProps {
  data: HeatmapAnswer;
  view: ViewQuery;
  sortKey: SortKey | null;
  dir: Dir;
  kind: KindFilter;
  allColumns: boolean;
  selected: string[];
  onSelect(codes: string[]): void;
  onSort(key: SortKey): void;
  onKind(k: KindFilter): void;
  onColumns(all: boolean): void;
  rowsOf(rows: HeatmapRow[], key: SortKey | null): HeatmapRow[];
}

function HeatmapTable({ data, view, sortKey, dir, kind, allColumns, selected, onSelect, onSort, onKind, onColumns, rowsOf }: TableProps) {
  const t = useT();
  const { navigate } = useRouter();
  const hidden = data.indicators.filter((i) => !i.computed);
  const columns = allColumns ? data.indicators : data.indicators.filter((i) => i.computed);
  const filtered = data.rows.filter((r) => r.isTotal || kind === 'all' || (kind === 'department' ? r.unit.kind === 'department' : LOCAL_KINDS.includes(r.unit.kind)));
  const rows = rowsOf(filtered, sortKey);
  const drillView = viewOfPeriod(data.period, view.field);
  const periodWords = periodText(t, data.period);
  const toggle = (code: string, on: boolean) => onSelect(on ? [...selected, code] : selected.filter((c) => c !== code));
  const unitCount = rows.length - 1;
  // Comparing needs two units: a leader whose unit has no unit below it has nothing to compare.
  const comparable = data.rows.length >= 2;

  return (
    <section aria-labelledby="dash-map-title">
      <h2 id="dash-map-title">{t('dash.heatmap.tableTitle')}</h2>
      <div className="heatmap-options">
        <KindFilterSelect id="dash-kind-filter" value={kind} onChange={onKind} />
        {hidden.length > 0 && (
          <div className="check-row">
            <input id="dash-all-cols" type="checkbox" checked={allColumns} aria-describedby="dash-all-cols-hint" onChange={(e) => onColumns(e.target.checked)} />
            <label htmlFor="dash-all-cols">{t('dash.heatmap.allColumns')}</label>
          </div>
        )}
      </div>
      {hidden.length > 0 && (
        <p id="dash-all-cols-hint" className="hint">
          {t(allColumns ? 'dash.heatmap.notComputedShown' : 'dash.heatmap.notComputedHidden', { list: hidden.map((i) => biText(t, i.name)).join('; ') })}
        </p>
      )}
      <Legend />
      {comparable && (
        <div className="compare-bar">
          <button type="button" className="button" disabled={selected.length < 2} aria-describedby="dash-compare-hint" onClick={() => navigate(comparePath(selected, drillView))}>
            {t('dash.heatmap.compare', { n: t.number(selected.length) })}
          </button>
          <span id="dash-compare-hint" className="hint">
            {t('dash.heatmap.compareHint')}
          </span>
          {selected.length > 0 && (
            <button type="button" className="button-link" onClick={() => onSelect([])}>
              {t('dash.heatmap.compareClear')}
            </button>
          )}
        </div>
      )}
      <p className="hint">{t('dash.heatmap.sortHint')}</p>
      <TableRegion wrapClass="heatmap-wrap" tableClass="table heatmap" labelledBy="dash-map-title" caption={t('dash.heatmap.caption', { period: periodWords, n: t.number(unitCount) })}>
        <thead>
          <tr>
            <SortHeader active={sortKey === 'unit'} dir={dir} onSort={() => onSort('unit')} className="unit-col">
              {t('dash.heatmap.unit')}
            </SortHeader>
            {columns.map((ind) => (
              <SortHeader
                key={ind.id}
                active={sortKey === ind.id}
                dir={dir}
                onSort={() => onSort(ind.id)}
                notes={
                  <>
                    {ind.timeframe === 'now' && <span className="col-note">{t('dash.heatmap.now')}</span>}
                    {!ind.computed && <span className="col-note">{t('dash.heatmap.notComputed')}</span>}
                  </>
                }
              >
                {biText(t, ind.name)}
              </SortHeader>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const n = unitName(t, r.unit);
            const checkId = `dash-cmp-${r.unit.code}`;
            return (
              <tr key={r.unit.code} className={r.isTotal ? 'total-row' : undefined} data-unit={r.unit.code}>
                <th scope="row" className="unit-col">
                  <span className="unit-cell">
                    {comparable && (
                      <input
                        id={checkId}
                        type="checkbox"
                        checked={selected.includes(r.unit.code)}
                        aria-label={t('dash.heatmap.choose', { unit: n.text })}
                        onChange={(e) => toggle(r.unit.code, e.target.checked)}
                      />
                    )}
                    <span>
                      <span lang={n.lang}>{n.text}</span>
                      <span className="unit-kind">{r.isTotal ? t('dash.heatmap.total') : t(`dash.unitKind.${unitKindKey(r.unit.kind)}`)}</span>
                    </span>
                  </span>
                </th>
                {columns.map((ind) => {
                  const c = r.cells[ind.id];
                  if (!ind.computed) {
                    return (
                      <td key={ind.id} className="cell band-na">
                        <span className="muted">{t('dash.heatmap.notComputedCell')}</span>
                      </td>
                    );
                  }
                  const note = c.note ? biText(t, data.notes[c.note]) : undefined;
                  return (
                    <td key={ind.id} className={`cell band-${c.band}`} data-indicator={ind.id}>
                      <Link className="cell-link" to={cellPath(r.unit.code, ind.id, drillView)}>
                        <CellBody ind={ind} cell={c} unit={r.unit} note={note} />
                      </Link>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </TableRegion>
      <details className="thresholds">
        <summary>{t('dash.heatmap.thresholdsTitle')}</summary>
        <ul>
          {data.indicators.map((ind) => (
            <li key={ind.id}>
              <strong>{biText(t, ind.name)}</strong>: {thresholdText(t, ind)}. {biText(t, ind.formula)}.
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function Legend() {
  const t = useT();
  return (
    <ul className="band-legend" aria-label={t('dash.legend.label')}>
      {(['green', 'yellow', 'red', 'na'] as const).map((b) => (
        <li key={b} className={`band-${b}`}>
          <span aria-hidden="true">{BAND_MARK[b]} </span>
          <strong>{t(`dash.band.${b}`)}</strong>: {t(`dash.legend.${b}`)}
        </li>
      ))}
    </ul>
  );
}
