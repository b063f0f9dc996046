/**
 * Shared pieces of the leaders' dashboard (/lanh-dao/...): who may open it, its own navigation,
 * how a figure and its band are written (the colour is always said in words too), the period and
 * field filter, and the links between the views. The views keep their period and field in the
 * address, so every link carries them along. Also the blocks every view repeats: its heading, the
 * loading and error states, sortable column headers, the unit-kind filter and scrolling tables.
 */
import { useEffect, useState, type ComponentType, type FormEvent, type ReactNode } from 'react';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { FieldOptions, SectionNav } from '../components/SectionNav.js';
import { PageHeading } from '../components/PageHeading.js';
import { ErrorSummary, type Problem } from '../components/portal/forms.js';
import { pick, useT, type Translate } from '../i18n/index.js';
import type { MessageKey } from '../i18n/vi.js';
import { Link, useRouter } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import type { Field, SessionUser } from '../types.js';
import { useApi } from '../useApi.js';
import { periodText, shiftPeriod, viewSearch, type ViewQuery } from './period.js';
import type { Band, Bi, Cell, FieldRef, HeatmapIndicatorId, IndicatorView, PeriodKind, PeriodView, UnitRef } from './types.js';
import { PERIOD_KINDS } from './types.js';
import './dashboard.css';

/** The roles the monitoring routes serve (src/monitoring/scope.ts MONITORING_ROLES). */
export const LEADER_ROLES = ['province_leader', 'unit_leader', 'admin'] as const;

export function isLeader(user: SessionUser | null | undefined): user is SessionUser {
  return !!user && (LEADER_ROLES as readonly string[]).includes(user.role);
}

/** Renders `children` for a leader; asks anyone else to log in as one, or says who the page is for. */
export function LeadersOnly({ title, children }: { title: string; children: ReactNode }) {
  const t = useT();
  const { user } = useSession();
  const { location } = useRouter();
  if (user === undefined) return <Loading />;
  if (!isLeader(user)) {
    const returnTo = `${location.pathname}${location.search}`;
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <p className="notice">{user ? t('dash.leadersOnly.otherRole') : t('dash.leadersOnly.text')}</p>
        <p className="button-row">
          {user ? (
            <Link className="button" to="/can-bo">
              {t('dash.leadersOnly.toDesk')}
            </Link>
          ) : (
            <Link className="button" to={`/can-bo/dang-nhap?returnTo=${encodeURIComponent(returnTo)}`}>
              {t('ws.login.title')}
            </Link>
          )}
        </p>
      </>
    );
  }
  return <>{children}</>;
}

/** A view's heading (focus moves to it once `ready`) and the dashboard's links under it. */
export function DashboardHeading({ title, ready = true, view }: { title: string; ready?: boolean; view: ViewQuery }) {
  return (
    <>
      <PageHeading title={title} ready={ready}>
        {title}
      </PageHeading>
      <DashboardNav view={view} />
    </>
  );
}

/** A page for leaders only (see LeadersOnly), titled `titleKey`; `Inner` renders it. */
export function leadersPage(titleKey: MessageKey, Inner: ComponentType<{ title: string }>) {
  return function LeadersPage(_props: PageProps) {
    const t = useT();
    const title = t(titleKey);
    return (
      <LeadersOnly title={title}>
        <Inner title={title} />
      </LeadersOnly>
    );
  };
}

/** The dashboard's own links, under the page heading; they keep the period and the field. */
export function DashboardNav({ view }: { view: ViewQuery }) {
  const t = useT();
  const search = viewSearch(view);
  return (
    <SectionNav
      label={t('dash.nav.label')}
      items={[
        { to: `/lanh-dao${search}`, path: '/lanh-dao', label: t('dash.nav.heatmap') },
        { to: `/lanh-dao/so-sanh${search}`, path: '/lanh-dao/so-sanh', label: t('dash.nav.compare') },
        { to: `/lanh-dao/chi-so${search}`, path: '/lanh-dao/chi-so', label: t('dash.nav.index') },
        { to: `/lanh-dao/thoi-gian${search}`, path: '/lanh-dao/thoi-gian', label: t('dash.nav.time') },
      ]}
    />
  );
}

// ---- Figures and bands ---------------------------------------------------------------------------

/** A text from the API in the current language. */
export const biText = (t: Translate, b: Bi): string => (t.lang === 'vi' ? b.vi : b.en);

/** "Chỉ tính hồ sơ thuộc lĩnh vực: …": the field a view is narrowed to. */
export const fieldText = (t: Translate, f: FieldRef): string => t('dash.heatmap.leadField', { field: t.lang === 'vi' ? f.name : f.nameEn });

/** A unit's name in the current language (Vietnamese, marked as such, when it has no English one). */
export const unitName = (t: Translate, u: Pick<UnitRef, 'name' | 'nameEn'>) => pick(t, u.name, u.nameEn);

/** A figure as written for people: "97,92%", "17,74 điểm", "12"; N/A as a dash. */
export function valueText(t: Translate, ind: Pick<IndicatorView, 'unit'>, value: number | null): string {
  if (value === null) return t('dash.value.na');
  if (ind.unit === 'percent') return t('dash.value.percent', { value: t.number(value) });
  if (ind.unit === 'points') return t('dash.value.points', { value: t.number(value) });
  return t.number(value);
}

/** The band in words ("Xanh", "Vàng", "Đỏ", "Không có số liệu"). */
export const bandText = (t: Translate, band: Band): string => t(`dash.band.${band}`);

/** A shape per band, so that the band is not told by colour alone even at a glance. */
export const BAND_MARK: Record<Band, string> = { green: '✓', yellow: '!', red: '✕', na: '–' };

/** The band as a small tag: mark + word, coloured. */
export function BandTag({ band }: { band: Band }) {
  const t = useT();
  return (
    <span className={`band-tag band-tag-${band}`}>
      <span aria-hidden="true">{BAND_MARK[band]} </span>
      {bandText(t, band)}
    </span>
  );
}

const UNIT_KIND_KEYS = ['nation', 'province', 'department', 'ward', 'commune', 'desk'] as const;
/** The i18n key suffix of a unit kind (dash.unitKind.*). */
export const unitKindKey = (kind: string): (typeof UNIT_KIND_KEYS)[number] =>
  (UNIT_KIND_KEYS as readonly string[]).includes(kind) ? (kind as (typeof UNIT_KIND_KEYS)[number]) : 'department';

/** "47/48" for a ratio, nothing for a count. */
export function fractionText(t: Translate, c: Pick<Cell, 'numerator' | 'denominator'>): string | null {
  if (c.numerator === null || c.denominator === null) return null;
  return t('dash.fraction', { n: t.number(c.numerator), d: t.number(c.denominator) });
}

/**
 * The visible contents of a figure: value, fraction and band tag. In a link (`unit` given), the
 * unit and indicator are said before it and "show details" (and why it is N/A) after it, for
 * screen readers only, so the link's name begins with what it is and still contains what is seen.
 */
export function CellBody({ ind, cell, unit, note }: { ind: IndicatorView; cell: Cell; unit?: UnitRef; note?: string }) {
  const t = useT();
  const fraction = fractionText(t, cell);
  return (
    <>
      {unit && <span className="visually-hidden">{t('dash.cell.prefix', { unit: unitName(t, unit).text, indicator: biText(t, ind.name) })} </span>}
      <span className="cell-value">{valueText(t, ind, cell.value)}</span> {fraction && <span className="cell-fraction">{fraction}</span>} <BandTag band={cell.band} />
      {unit && <span className="visually-hidden">. {note ? `${note}. ` : ''}{t('dash.cell.more')}</span>}
    </>
  );
}

/** The thresholds of an indicator in words: "Xanh ≥ 98%, vàng ≥ 95%, đỏ dưới 95%". */
export function thresholdText(t: Translate, ind: IndicatorView): string {
  const g = valueText(t, ind, ind.thresholds.green);
  const y = valueText(t, ind, ind.thresholds.yellow);
  return ind.direction === 'higher_is_better' ? t('dash.thresholds.higher', { green: g, yellow: y }) : t('dash.thresholds.lower', { green: g, yellow: y });
}

// ---- Links ---------------------------------------------------------------------------------------

export function drillPath(unit: string, indicator: HeatmapIndicatorId, view: ViewQuery, extra: Record<string, string | undefined> = {}): string {
  return `/lanh-dao/don-vi/${encodeURIComponent(unit)}${viewSearch(view, { indicator, ...extra })}`;
}

/** Group scores other than group 2 sum items of different populations: explained on the index page. */
export const COMPOSITE_INDICATORS: readonly HeatmapIndicatorId[] = ['group_1', 'group_3', 'group_4', 'group_5', 'group_6'];

/** Where a heatmap cell leads: its drill-down, or for a composite group score the unit's index. */
export function cellPath(unit: string, indicator: HeatmapIndicatorId, view: ViewQuery): string {
  return COMPOSITE_INDICATORS.includes(indicator) ? `/lanh-dao/chi-so/${encodeURIComponent(unit)}${viewSearch(view)}` : drillPath(unit, indicator, view);
}

export function comparePath(units: string[], view: ViewQuery, extra: Record<string, string | undefined> = {}): string {
  return `/lanh-dao/so-sanh${viewSearch(view, { units: units.join(','), ...extra })}`;
}

export const dossierPath = (code: string) => `/can-bo/ho-so/${encodeURIComponent(code)}`;

// ---- The period and field filter -----------------------------------------------------------------

interface PeriodFormState {
  kind: PeriodKind;
  anchor: string;
  from: string;
  to: string;
  field: string;
}

function formFrom(view: ViewQuery, period: PeriodView | undefined, today: string): PeriodFormState {
  const kind = view.period ?? period?.kind ?? 'month';
  return {
    kind,
    anchor: view.from ?? period?.from ?? today,
    from: view.from ?? period?.from ?? today,
    to: view.to ?? period?.to ?? today,
    field: view.field ?? '',
  };
}

/**
 * The filter of a view: period kind, then the day that picks a preset (or both ends of a custom
 * range), and the field. Applied on submit; the address changes, so the back button works.
 */
export function PeriodForm({ view, period, today, onApply, children }: { view: ViewQuery; period: PeriodView | undefined; today: string | undefined; onApply(v: ViewQuery): void; children?: ReactNode }) {
  const t = useT();
  const todayLocal = today ?? new Date().toISOString().slice(0, 10);
  const [form, setForm] = useState<PeriodFormState>(() => formFrom(view, period, todayLocal));
  const viewKey = JSON.stringify([view, period?.from, period?.to, period?.kind]);
  // The form follows the address (back / forward) and the period the server resolved (`viewKey`).
  useEffect(() => setForm(formFrom(view, period, todayLocal)), [viewKey]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const fields = useApi<{ items: Field[] }>('/api/fields');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p: Problem[] = [];
    if (form.kind === 'custom') {
      if (!form.from) p.push({ fieldId: 'dash-from', text: t('dash.filter.fromMissing') });
      if (!form.to) p.push({ fieldId: 'dash-to', text: t('dash.filter.toMissing') });
      if (form.from && form.to && form.from > form.to) p.push({ fieldId: 'dash-to', text: t('dash.filter.toBeforeFrom') });
    } else if (!form.anchor) {
      p.push({ fieldId: 'dash-anchor', text: t('dash.filter.anchorMissing') });
    }
    setProblems(p);
    if (p.length) {
      setAttempt((a) => a + 1);
      return;
    }
    const field = form.field || undefined;
    onApply(form.kind === 'custom' ? { period: 'custom', from: form.from, to: form.to, field } : { period: form.kind, from: form.anchor, field });
  };
  const invalid = (id: string) => problems.some((p) => p.fieldId === id) || undefined;

  return (
    <form className="ws-filters" onSubmit={submit} aria-labelledby="dash-filter-title" noValidate>
      <h2 id="dash-filter-title" className="ws-small-heading">
        {t('dash.filter.title')}
      </h2>
      <ErrorSummary problems={problems} attempt={attempt} />
      <div className="ws-filter-row">
        <div className="control">
          <label htmlFor="dash-kind">{t('dash.filter.kind')}</label>
          <select id="dash-kind" value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as PeriodKind }))}>
            {PERIOD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`dash.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {form.kind === 'custom' ? (
          <>
            <div className="control">
              <label htmlFor="dash-from">{t('dash.filter.from')}</label>
              <input id="dash-from" type="date" value={form.from} max={todayLocal} aria-invalid={invalid('dash-from')} onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))} />
            </div>
            <div className="control">
              <label htmlFor="dash-to">{t('dash.filter.to')}</label>
              <input id="dash-to" type="date" value={form.to} aria-invalid={invalid('dash-to')} onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))} />
            </div>
          </>
        ) : (
          <div className="control">
            <label htmlFor="dash-anchor">{t('dash.filter.anchor')}</label>
            <p id="dash-anchor-hint" className="hint">
              {t('dash.filter.anchorHint')}
            </p>
            <input
              id="dash-anchor"
              type="date"
              value={form.anchor}
              aria-describedby="dash-anchor-hint"
              aria-invalid={invalid('dash-anchor')}
              onChange={(e) => setForm((f) => ({ ...f, anchor: e.target.value }))}
            />
          </div>
        )}
        <div className="control">
          <label htmlFor="dash-field">{t('dash.filter.field')}</label>
          <select id="dash-field" value={form.field} onChange={(e) => setForm((f) => ({ ...f, field: e.target.value }))}>
            <FieldOptions fields={fields.data?.items} value={form.field} anyLabel={t('dash.filter.anyField')} />
          </select>
        </div>
        {children}
      </div>
      <ApplyButton />
    </form>
  );
}

/** The submit button of a dashboard filter form. */
export function ApplyButton() {
  const t = useT();
  return (
    <p className="button-row">
      <button type="submit" className="button button-secondary">
        {t('dash.filter.apply')}
      </button>
    </p>
  );
}

/** "Kỳ trước" / "Kỳ sau" links and the period in words, for a preset period. */
export function PeriodLine({ period, field, today, path }: { period: PeriodView; field?: string; today: string; path: (v: ViewQuery) => string }) {
  const t = useT();
  const before = shiftPeriod(period, -1, field);
  const after = shiftPeriod(period, 1, field);
  return (
    <p className="period-line">
      <strong>{periodText(t, period)}</strong>
      {before && after && (
        <>
          {' '}
          <Link to={path(before)}>{t('dash.period.previous')}</Link>
          {after.from! <= today && (
            <>
              {' · '}
              <Link to={path(after)}>{t('dash.period.next')}</Link>
            </>
          )}
        </>
      )}
    </p>
  );
}

/** The period filter and, once the server has resolved the period, the line with its neighbours. */
export function PeriodFilter({ view, answer, path }: { view: ViewQuery; answer: { period: PeriodView; today: string } | undefined; path: (v: ViewQuery) => string }) {
  const { navigate } = useRouter();
  return (
    <>
      <PeriodForm view={view} period={answer?.period} today={answer?.today} onApply={(v) => navigate(path(v))} />
      {answer && <PeriodLine period={answer.period} field={view.field} today={answer.today} path={path} />}
    </>
  );
}

// ---- Loading, errors, tables ---------------------------------------------------------------------

/** A request's error with a retry button, and the loading line while `loading`. */
export function LoadState({ error, loading, onRetry }: { error: unknown; loading: boolean; onRetry: () => void }) {
  return (
    <>
      {error !== undefined && <ErrorBox error={error} onRetry={onRetry} />}
      {loading && <Loading />}
    </>
  );
}

/** A view whose answer failed: its heading and links, the error, and the way back. */
export function ErrorPage({ title, view, error, onRetry, back, backText }: { title: string; view: ViewQuery; error: unknown; onRetry: () => void; back: string; backText: string }) {
  return (
    <>
      <DashboardHeading title={title} view={view} />
      <ErrorBox error={error} onRetry={onRetry} />
      <p>
        <Link to={back}>{backText}</Link>
      </p>
    </>
  );
}

/**
 * Sets (or, given undefined, removes) parameters of the address of `path`, keeping the others;
 * `replace` for display options that need no entry in the history.
 */
export function useSetParams(path: string): (changes: Record<string, string | undefined>, replace?: boolean) => void {
  const { location, navigate } = useRouter();
  return (changes, replace = false) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const s = p.toString();
    navigate(s ? `${path}?${s}` : path, { replace });
  };
}

export type SortDir = 'asc' | 'desc';

/**
 * A column header that sorts by its column: a button (keyboard-accessible), the order said by
 * aria-sort and shown by an arrow; `notes` under the button. A component of its own (not a
 * function defined in the table), so React keeps the buttons, and the focus, across a sort.
 */
export function SortHeader({ active, dir, onSort, className, notes, children }: { active: boolean; dir: SortDir; onSort: () => void; className?: string; notes?: ReactNode; children: ReactNode }) {
  return (
    <th scope="col" className={className} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={onSort}>
        {children} <span aria-hidden="true">{active ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
      {notes}
    </th>
  );
}

/** Which unit rows a table shows (the total always stays). */
export const KIND_FILTERS = ['all', 'department', 'local'] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];
export const kindFilterOf = (param: string | null): KindFilter => ((KIND_FILTERS as readonly string[]).includes(param ?? '') ? (param as KindFilter) : 'all');

/** The select of the unit rows to show. */
export function KindFilterSelect({ id, value, onChange }: { id: string; value: KindFilter; onChange: (k: KindFilter) => void }) {
  const t = useT();
  return (
    <div className="control">
      <label htmlFor={id}>{t('dash.heatmap.kindFilter')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as KindFilter)}>
        {KIND_FILTERS.map((k) => (
          <option key={k} value={k}>
            {t(`dash.heatmap.kind.${k}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A table in a region of its own that scrolls sideways on a narrow screen (focusable, so that it
 * scrolls from the keyboard too), named by `labelledBy` or `label`; `caption` for screen readers.
 */
export function TableRegion({
  wrapClass,
  tableClass = 'table',
  tableId,
  labelledBy,
  label,
  caption,
  children,
}: {
  wrapClass?: string;
  tableClass?: string;
  tableId?: string;
  labelledBy?: string;
  label?: string;
  caption?: string;
  children: ReactNode;
}) {
  return (
    <div className={wrapClass ? `table-wrap ${wrapClass}` : 'table-wrap'} role="region" aria-labelledby={labelledBy} aria-label={label} tabIndex={0}>
      <table className={tableClass} id={tableId}>
        {caption !== undefined && <caption className="visually-hidden">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}
