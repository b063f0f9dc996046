/**
 * /lanh-dao/chi-so: the Decision 766 index of the units (GET /api/monitoring/index): the province
 * (or the leader's unit) first as the total, then each unit with its rank within its peer group
 * (departments among departments, wards and communes together), total, grade and the six group
 * scores. Columns sort with keyboard-accessible header buttons (aria-sort); period, field, sort and
 * the unit-kind filter live in the address.
 * /lanh-dao/chi-so/:unit: one unit's index (GET /api/monitoring/index/unit): every group and
 * sub-indicator with numerator ÷ denominator (and the counts they are made of), ratio, points,
 * formula and the calculation with the unit's numbers; why an item is N/A.
 */
import { useMemo } from 'react';
import { LoadingPage } from '../components/PageHeading.js';
import { useT, type Translate } from '../i18n/index.js';
import { Link, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useApi } from '../useApi.js';
import {
  biText,
  DashboardHeading,
  ErrorPage,
  fieldText,
  KindFilterSelect,
  kindFilterOf,
  LeadersOnly,
  LoadState,
  PeriodFilter,
  SortHeader,
  TableRegion,
  unitKindKey,
  unitName,
  useSetParams,
  type KindFilter,
} from './common.js';
import { apiQuery, periodText, viewFrom, viewOfPeriod, viewSearch, type ViewQuery } from './period.js';
import type { Bi, FieldRef, PeriodView, UnitRef } from './types.js';

// ---- Shapes of the answers (src/monitoring/index-view.ts) ---------------------------------------

type PeerGroup = 'department' | 'local' | 'province' | 'nation';
type NoteCode = 'inconsistent' | 'no_score' | 'no_dossiers' | 'total_not_ranked' | 'not_a_row';
interface Grade {
  id: string;
  name: Bi;
}
interface Rank {
  peerGroup: PeerGroup | null;
  rank: number | null;
  peers: number;
  ranked: number;
}
interface IndexRow extends Rank {
  unit: UnitRef;
  isTotal: boolean;
  score: number | null;
  points: number | null;
  maxPoints: number | null;
  grade: Grade | null;
  groups: Array<{ group: number; applicable: boolean; points: number | null; maxPoints: number | null; score: number | null; nominalMaxPoints: number }>;
  note: NoteCode | null;
}
interface Formulas {
  group: Bi;
  total: Bi;
  rank: Bi;
}
interface GradeBand {
  grade: string;
  name: Bi;
  minScore: number;
}
interface IndexTableAnswer {
  root: UnitRef;
  period: PeriodView;
  today: string;
  asOf: string;
  field: FieldRef | null;
  groups: Array<{ group: number; name: Bi; maxPoints: number }>;
  gradeBands: GradeBand[];
  peerGroups: Array<{ id: PeerGroup; name: Bi; units: number; ranked: number }>;
  formulas: Formulas;
  notes: Record<NoteCode, Bi>;
  rows: IndexRow[];
}
interface Fact {
  key: string;
  name: Bi;
  value: number;
}
interface Item {
  id: string;
  name: Bi;
  numerator: number;
  denominator: number;
  numeratorFacts: Fact[];
  numeratorIsShortfall: boolean;
  denominatorFact: Fact;
  applicable: boolean;
  notApplicableText: Bi | null;
  fullMarksWithoutComplaints: boolean;
  ratio: number | null;
  points: number | null;
  maxPoints: number;
  formula: Bi;
  calculation: Bi;
}
interface UnitIndexAnswer extends Rank {
  unit: UnitRef;
  hasUnitsBelow: boolean;
  period: PeriodView;
  today: string;
  field: FieldRef | null;
  note: 'inconsistent' | 'no_score' | null;
  score: number | null;
  points: number | null;
  maxPoints: number | null;
  totalCalculation: Bi | null;
  grade: Grade | null;
  peerGroupName: Bi | null;
  rankNote: NoteCode | null;
  groups: Array<{ group: number; name: Bi; nominalMaxPoints: number; applicable: boolean; points: number | null; maxPoints: number | null; score: number | null; calculation: Bi; items: Item[] }>;
  facts: Fact[];
  gradeBands: GradeBand[];
  formulas: Formulas;
  notes: Record<NoteCode, Bi>;
}

// ---- Shared ---------------------------------------------------------------------------------------

const UNIT = /^[A-Za-z0-9.]{1,40}$/;
const SORT_KEYS = ['rank', 'unit', 'total', 'group_1', 'group_2', 'group_3', 'group_4', 'group_5', 'group_6'] as const;
type SortKey = (typeof SORT_KEYS)[number];
type Dir = 'asc' | 'desc';

export const indexPath = (view: ViewQuery, extra: Record<string, string | undefined> = {}) => `/lanh-dao/chi-so${viewSearch(view, extra)}`;
export const indexUnitPath = (unit: string, view: ViewQuery) => `/lanh-dao/chi-so/${encodeURIComponent(unit)}${viewSearch(view)}`;

/** A score as people write it (34,44); N/A as a dash that screen readers read as "not applicable". */
function Score({ value, max }: { value: number | null; max?: number | null }) {
  const t = useT();
  if (value === null) {
    return (
      <span className="muted">
        <span aria-hidden="true">{t('dash.value.na')}</span>
        <span className="visually-hidden">{t('dash.index.na')}</span>
      </span>
    );
  }
  return <>{max === undefined || max === null ? t.number(value) : t('dash.index.outOf', { value: t.number(value), max: t.number(max) })}</>;
}

const peerName = (t: Translate, id: PeerGroup | null) => (id ? t(`dash.index.peer.${id}`) : '');

export default function IndexPage({ params }: PageProps) {
  const t = useT();
  const title = t('dash.index.title');
  const unit = params.unit && UNIT.test(params.unit) ? params.unit : undefined;
  return <LeadersOnly title={title}>{unit ? <UnitDetail unit={unit} /> : <TableView title={title} />}</LeadersOnly>;
}

// ---- The table of units ---------------------------------------------------------------------------

function sortRows(rows: IndexRow[], key: SortKey, dir: Dir, collator: Intl.Collator, t: Translate): IndexRow[] {
  const totals = rows.filter((r) => r.isTotal);
  const units = rows.filter((r) => !r.isTotal);
  const sign = dir === 'desc' ? -1 : 1;
  const nullsLast = (x: number | null, y: number | null) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : sign * (x - y));
  const peerOrder: PeerGroup[] = ['department', 'local', 'province', 'nation'];
  units.sort((a, b) => {
    if (key === 'unit') return sign * collator.compare(unitName(t, a.unit).text, unitName(t, b.unit).text);
    if (key === 'rank') return peerOrder.indexOf(a.peerGroup ?? 'nation') - peerOrder.indexOf(b.peerGroup ?? 'nation') || nullsLast(a.rank, b.rank);
    const value = (r: IndexRow) => (key === 'total' ? r.score : (r.groups.find((g) => `group_${g.group}` === key)?.score ?? null));
    return nullsLast(value(a), value(b)) || collator.compare(a.unit.code, b.unit.code);
  });
  return [...totals, ...units];
}

function TableView({ title }: { title: string }) {
  const t = useT();
  const params = useSearchParams();
  const view = useMemo(() => viewFrom(params), [params]);
  const query = useMemo(() => apiQuery(view), [view]);
  const res = useApi<IndexTableAnswer>('/api/monitoring/index', query);
  const data = res.data;
  const collator = useMemo(() => new Intl.Collator(t.locale), [t.locale]);

  const sortParam = params.get('sort');
  const sortKey: SortKey = (SORT_KEYS as readonly string[]).includes(sortParam ?? '') ? (sortParam as SortKey) : 'rank';
  // Best first on the first click on a score; rank and names ascending.
  const firstDir = (k: SortKey): Dir => (k === 'rank' || k === 'unit' ? 'asc' : 'desc');
  const dirParam = params.get('dir');
  const dir: Dir = dirParam === 'asc' || dirParam === 'desc' ? dirParam : firstDir(sortKey);
  const kind = kindFilterOf(params.get('kind'));

  const setParams = useSetParams('/lanh-dao/chi-so');
  const keepDisplay = { sort: sortParam ? sortKey : undefined, dir: dirParam ? dir : undefined, kind: kind === 'all' ? undefined : kind };
  const viewPath = (v: ViewQuery) => indexPath(v, keepDisplay);
  const onSort = (k: SortKey) => setParams({ sort: k, dir: sortKey === k ? (dir === 'asc' ? 'desc' : 'asc') : firstDir(k) });

  return (
    <>
      <DashboardHeading title={title} ready={!res.loading} view={view} />
      <p className="lead">{t('dash.index.lead')}</p>
      {data && (
        <p>
          {t('dash.heatmap.lead', { unit: unitName(t, data.root).text })}
          {data.field && ` ${fieldText(t, data.field)}`}
        </p>
      )}
      <PeriodFilter view={view} answer={data} path={viewPath} />
      <LoadState error={res.error} loading={res.loading} onRetry={res.reload} />
      {data && (
        <IndexTable
          data={data}
          view={view}
          rows={sortRows(
            data.rows.filter((r) => r.isTotal || kind === 'all' || r.peerGroup === kind),
            sortKey,
            dir,
            collator,
            t,
          )}
          sortKey={sortKey}
          dir={dir}
          kind={kind}
          onSort={onSort}
          onKind={(k) => setParams({ kind: k === 'all' ? undefined : k }, true)}
        />
      )}
    </>
  );
}

interface TableProps {
  data: IndexTableAnswer;
  view: ViewQuery;
  rows: IndexRow[];
  sortKey: SortKey;
  dir: Dir;
  kind: KindFilter;
  onSort(k: SortKey): void;
  onKind(k: KindFilter): void;
}

function IndexTable({ data, view, rows, sortKey, dir, kind, onSort, onKind }: TableProps) {
  const t = useT();
  const unitView = viewOfPeriod(data.period, view.field);
  const header = (k: SortKey) => ({ active: sortKey === k, dir, onSort: () => onSort(k) });

  return (
    <section aria-labelledby="dash-index-title">
      <h2 id="dash-index-title">{t('dash.index.tableTitle')}</h2>
      <p className="hint">{biText(t, data.formulas.rank)}.</p>
      <div className="heatmap-options">
        <KindFilterSelect id="dash-index-kind" value={kind} onChange={onKind} />
      </div>
      <p className="hint">{t('dash.index.sortHint')}</p>
      <TableRegion wrapClass="heatmap-wrap" tableClass="table heatmap index-table" labelledBy="dash-index-title" caption={t('dash.index.caption', { period: periodText(t, data.period), n: t.number(rows.length - 1) })}>
        <thead>
          <tr>
            <SortHeader {...header('rank')}>{t('dash.index.rank')}</SortHeader>
            <SortHeader {...header('unit')} className="unit-col">
              {t('dash.heatmap.unit')}
            </SortHeader>
            <SortHeader {...header('total')}>{t('dash.index.total')}</SortHeader>
            <th scope="col">{t('dash.index.grade')}</th>
            {data.groups.map((g) => (
              <SortHeader key={g.group} {...header(`group_${g.group}` as SortKey)}>
                {t('dash.index.groupHeader', { n: g.group, name: biText(t, g.name) })}
                <span className="col-note">{t('dash.index.max', { max: t.number(g.maxPoints) })}</span>
              </SortHeader>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const n = unitName(t, r.unit);
            return (
              <tr key={r.unit.code} className={r.isTotal ? 'total-row' : undefined} data-unit={r.unit.code}>
                <td>
                  {r.isTotal ? (
                    <span className="muted">{t('dash.heatmap.total')}</span>
                  ) : r.rank === null ? (
                    <>
                      <Score value={null} />
                      {r.note === 'no_dossiers' && <span className="unit-kind">{t('dash.index.noDossiersShort')}</span>}
                    </>
                  ) : (
                    <>
                      <strong>{t.number(r.rank)}</strong>
                      <span className="unit-kind">{t('dash.index.rankAmong', { n: t.number(r.ranked), peers: peerName(t, r.peerGroup) })}</span>
                    </>
                  )}
                </td>
                <th scope="row" className="unit-col">
                  <Link to={indexUnitPath(r.unit.code, unitView)}>
                    <span lang={n.lang}>{n.text}</span>
                  </Link>
                  <span className="unit-kind">{r.isTotal ? t('dash.heatmap.total') : t(`dash.unitKind.${unitKindKey(r.unit.kind)}`)}</span>
                  {r.note === 'inconsistent' && <span className="unit-kind">{biText(t, data.notes.inconsistent)}</span>}
                </th>
                <td>
                  <strong>
                    <Score value={r.score} />
                  </strong>
                </td>
                <td>{r.grade ? biText(t, r.grade.name) : <Score value={null} />}</td>
                {r.groups.map((g) => (
                  <td key={g.group}>
                    <Score value={g.score} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </TableRegion>
      <HowComputed formulas={data.formulas} gradeBands={data.gradeBands} />
    </section>
  );
}

function HowComputed({ formulas, gradeBands }: { formulas: Formulas; gradeBands: GradeBand[] }) {
  const t = useT();
  return (
    <details className="thresholds">
      <summary>{t('dash.index.howTitle')}</summary>
      <ul>
        <li>{biText(t, formulas.group)}.</li>
        <li>{biText(t, formulas.total)}.</li>
        <li>{biText(t, formulas.rank)}.</li>
        <li>
          {t('dash.index.gradesIntro')}{' '}
          {gradeBands.map((b) => t('dash.index.gradeBand', { grade: biText(t, b.name), min: t.number(b.minScore) })).join('; ')}.
        </li>
        <li>{t('dash.index.naExplained')}</li>
      </ul>
    </details>
  );
}

// ---- One unit -------------------------------------------------------------------------------------

function UnitDetail({ unit }: { unit: string }) {
  const t = useT();
  const params = useSearchParams();
  const view = useMemo(() => viewFrom(params), [params]);
  const res = useApi<UnitIndexAnswer>('/api/monitoring/index/unit', { ...apiQuery(view), unit });
  const data = res.data;
  const back = indexPath(view);

  if (res.error !== undefined) {
    return <ErrorPage title={t('dash.index.title')} view={view} error={res.error} onRetry={res.reload} back={back} backText={t('dash.index.back')} />;
  }
  if (!data) return <LoadingPage title={t('dash.index.title')} />;

  const n = unitName(t, data.unit);
  const title = t('dash.index.unitHeading', { unit: n.text });
  const rankText =
    data.rank !== null
      ? t('dash.index.rankText', { rank: t.number(data.rank), n: t.number(data.ranked), peers: data.peerGroupName ? biText(t, data.peerGroupName) : '', all: t.number(data.peers) })
      : data.rankNote
        ? biText(t, data.notes[data.rankNote])
        : t('dash.index.na');

  return (
    <>
      <nav className="breadcrumb" aria-label={t('dash.drill.breadcrumb')}>
        <Link to={back}>{t('dash.nav.index')}</Link> › <span lang={n.lang}>{n.text}</span>
      </nav>
      <DashboardHeading title={title} view={view} />
      <PeriodFilter view={view} answer={data} path={(v) => indexUnitPath(unit, v)} />
      {data.field && <p>{fieldText(t, data.field)}</p>}
      {data.note && <p className={data.note === 'inconsistent' ? 'notice notice-warning' : 'notice'}>{biText(t, data.notes[data.note])}</p>}

      <section aria-labelledby="dash-index-summary">
        <h2 id="dash-index-summary">{t('dash.index.summary')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('dash.index.total')}</dt>
            <dd>
              <strong>
                <Score value={data.score} max={data.score === null ? null : 100} />
              </strong>
            </dd>
          </div>
          {data.totalCalculation && (
            <div>
              <dt>{t('dash.drill.computation')}</dt>
              <dd>
                <strong>{biText(t, data.totalCalculation)}</strong>
              </dd>
            </div>
          )}
          <div>
            <dt>{t('dash.index.grade')}</dt>
            <dd>{data.grade ? biText(t, data.grade.name) : <Score value={null} />}</dd>
          </div>
          <div>
            <dt>{t('dash.index.rank')}</dt>
            <dd>{rankText}</dd>
          </div>
          {data.hasUnitsBelow && (
            <div>
              <dt>{t('dash.drill.note')}</dt>
              <dd>{t('dash.index.unitsBelow')}</dd>
            </div>
          )}
        </dl>
      </section>

      {data.groups.map((g) => (
        <GroupSection key={g.group} group={g} />
      ))}

      {data.facts.length > 0 && (
        <details className="thresholds">
          <summary>{t('dash.index.factsTitle')}</summary>
          <ul>
            {data.facts.map((f) => (
              <li key={f.key}>
                {biText(t, f.name)}: <strong>{t.number(f.value)}</strong>
              </li>
            ))}
          </ul>
        </details>
      )}
      <HowComputed formulas={data.formulas} gradeBands={data.gradeBands} />
      <p>
        <Link to={back}>{t('dash.index.back')}</Link>
      </p>
    </>
  );
}

function GroupSection({ group: g }: { group: UnitIndexAnswer['groups'][number] }) {
  const t = useT();
  const id = `dash-index-g${g.group}`;
  const factList = (fs: Fact[]) => fs.map((f) => biText(t, f.name)).join(', ');
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {t('dash.index.groupHeader', { n: g.group, name: biText(t, g.name) })}:{' '}
        {g.score === null ? t('dash.index.groupNa') : t('dash.index.outOf', { value: t.number(g.score), max: t.number(g.nominalMaxPoints) })}
      </h2>
      <p>
        {t('dash.drill.computation')}: <strong>{biText(t, g.calculation)}</strong>
      </p>
      {/* The heatmap's table styles: header cells wide enough that on a phone the table scrolls
          sideways inside its own container, the sub-indicator column staying in view. */}
      <TableRegion wrapClass="dash-wrap" tableClass="table heatmap index-items" labelledBy={id} caption={t('dash.index.itemsCaption', { n: g.group, name: biText(t, g.name) })}>
        <thead>
          <tr>
            <th scope="col" className="unit-col">
              {t('dash.index.item')}
            </th>
            <th scope="col">{t('dash.drill.numerator')}</th>
            <th scope="col">{t('dash.drill.denominator')}</th>
            <th scope="col">{t('dash.index.ratio')}</th>
            <th scope="col">{t('dash.index.points')}</th>
            <th scope="col" style={{ minWidth: '20rem' }}>
              {t('dash.index.how')}
            </th>
          </tr>
        </thead>
        <tbody>
          {g.items.map((i) => (
            <tr key={i.id} data-item={i.id}>
              <th scope="row" className="unit-col">
                {i.id}. {biText(t, i.name)}
              </th>
              <td>
                <strong>{t.number(i.numerator)}</strong>
                <span className="unit-kind">{i.numeratorIsShortfall ? t('dash.index.shortfall', { facts: factList(i.numeratorFacts), base: biText(t, i.denominatorFact.name) }) : factList(i.numeratorFacts)}</span>
              </td>
              <td>
                <strong>{t.number(i.denominator)}</strong>
                <span className="unit-kind">{biText(t, i.denominatorFact.name)}</span>
              </td>
              <td>{i.ratio === null ? <Score value={null} /> : t('dash.value.percent', { value: t.number(i.ratio) })}</td>
              <td>
                <Score value={i.points} max={i.points === null ? null : i.maxPoints} />
                {i.points === null && <span className="unit-kind">{t('dash.index.max', { max: t.number(i.maxPoints) })}</span>}
              </td>
              <td>
                <span className="unit-kind">{biText(t, i.formula)}</span>
                <strong>{biText(t, i.calculation)}</strong>
                {i.notApplicableText && <span className="unit-kind">{biText(t, i.notApplicableText)}</span>}
                {i.fullMarksWithoutComplaints && <span className="unit-kind">{t('dash.index.noComplaints')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
    </section>
  );
}
