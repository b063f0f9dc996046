/**
 * /can-bo: the official's queues with their counts (GET /api/work/counts) and the chosen queue's
 * dossiers (GET /api/work/dossiers, soonest appointment first, "load more" by keyset cursor),
 * filtered by procedure, field, channel and applicant. The queue and the filters live in the
 * address, so a filtered queue can be bookmarked and the back button works; the counts take the
 * same filters, so each tab's number is the length of its list.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { LoadMore } from '../components/LoadMore.js';
import { FieldOptions } from '../components/SectionNav.js';
import { PageHeading } from '../components/PageHeading.js';
import { ErrorSummary, problemsFromError, type Problem } from '../components/portal/forms.js';
import { pick, useT } from '../i18n/index.js';
import { Link, useRouter, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import type { Field, Page, ProcedureSummary, Unit } from '../types.js';
import { useApi } from '../useApi.js';
import { channelName, countText, dueTag, QUEUE_KEYS, StaffOnly, WorkspaceNav, type QueueItem, type QueueKey, type WorkCounts } from './common.js';

/** The list filters of each queue, the same as the server's counts use (src/dossiers/queue-filters.ts). */
const QUEUE_QUERY: Record<QueueKey, { status?: number[]; due?: string; step?: string }> = {
  awaiting_receipt: { status: [1] },
  at_my_step: { status: [2, 4, 9], step: 'mine' },
  processing: { status: [2, 4] },
  supplement_requested: { status: [5] },
  payment_requested: { status: [6] },
  due_today: { due: 'today' },
  due_soon: { due: 'soon' },
  overdue: { due: 'overdue' },
  finished: { status: [9] },
  returned: { status: [10] },
};

/** The filter bar's parameters, as they appear in the address and in both API requests. */
const FILTER_KEYS = ['procedure', 'field', 'channel', 'applicant'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;

/** Bounds of the applicant filter, as the server checks them (src/dossiers/queue-schema.ts). */
const APPLICANT_MIN = 2;
const APPLICANT_MAX = 100;
/** Procedures offered in the select: the unit's, a page of 100 at a time, at most this many pages. */
const PROCEDURE_PAGES = 10;
/** Unit kinds whose procedures the catalog lists by unit (by kind); others see every procedure of the field. */
const LOCAL_UNIT_KINDS = ['commune', 'ward'];

/** Colour (with words) of the due queues: green today is still in time, yellow soon, red overdue. */
const QUEUE_TONE: Partial<Record<QueueKey, string>> = { due_today: 'tab-good', due_soon: 'tab-warn', overdue: 'tab-bad' };

function isQueue(x: string | null): x is QueueKey {
  return x !== null && (QUEUE_KEYS as readonly string[]).includes(x);
}

function filtersFrom(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

/**
 * Every procedure of the field (and, for a commune or ward, those it implements) for the
 * procedure select, following the catalog's cursor; `items` is null while loading. `unit`
 * undefined: not known yet, nothing is loaded.
 */
function useProcedureOptions(unit: string | null | undefined, field: string): { items: ProcedureSummary[] | null; error: unknown; reload(): void } {
  const [state, setState] = useState<{ key: string; items: ProcedureSummary[] | null; error: unknown }>({ key: '', items: null, error: undefined });
  const [attempt, setAttempt] = useState(0);
  const key = unit === undefined ? null : JSON.stringify([unit, field, attempt]);
  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    (async () => {
      const items: ProcedureSummary[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < PROCEDURE_PAGES; i++) {
        const page: Page<ProcedureSummary> = await api.get<Page<ProcedureSummary>>('/api/procedures', { unit, field, limit: 100, cursor }, ctrl.signal);
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return items;
    })().then(
      (items) => setState({ key, items, error: undefined }),
      (error: unknown) => {
        if (!ctrl.signal.aborted) setState({ key, items: null, error });
      },
    );
    return () => ctrl.abort();
    // `key` stands for unit, field and attempt.
  }, [key]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return state.key === key ? { ...state, reload } : { items: null, error: undefined, reload };
}

function queueUrl(base: string, status: number[] | undefined, rest: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const s of status ?? []) p.append('status', String(s));
  for (const [k, v] of Object.entries(rest)) if (v) p.set(k, v);
  const q = p.toString();
  return q ? `${base}?${q}` : base;
}

export default function Queues(_props: PageProps) {
  const t = useT();
  const title = t('ws.queues.title');
  return (
    <StaffOnly title={title}>
      <QueuesInner title={title} />
    </StaffOnly>
  );
}

function QueuesInner({ title }: { title: string }) {
  const t = useT();
  const params = useSearchParams();
  const { navigate, location } = useRouter();
  const queue: QueueKey = isQueue(params.get('q')) ? (params.get('q') as QueueKey) : 'awaiting_receipt';
  const applied = useMemo(() => filtersFrom(params), [params]);
  const filtered = FILTER_KEYS.some((k) => applied[k] !== '');
  const counts = useApi<WorkCounts>('/api/work/counts', applied);
  const { user } = useSession();

  const spec = QUEUE_QUERY[queue];
  // status is a repeated parameter, which the shared JSON client's query object cannot express.
  const listPath = queueUrl('/api/work/dossiers', spec.status, { due: spec.due, step: spec.step, ...applied, limit: '50' });
  const first = useApi<Page<QueueItem>>(listPath);
  const [more, setMore] = useState<{ key: string; items: QueueItem[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more && more.key === listPath ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.get<Page<QueueItem>>(`${listPath}&cursor=${encodeURIComponent(nextCursor)}`);
      setMore({ key: listPath, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const go = (changes: Record<string, string>) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const s = p.toString();
    navigate(s ? `/can-bo?${s}` : '/can-bo');
  };

  // The form follows the address (back/forward, a bookmarked queue).
  const [form, setForm] = useState<Filters>(applied);
  useEffect(() => setForm(applied), [applied]);
  const set = (k: FilterKey) => (value: string) => setForm((f) => ({ ...f, [k]: value }));

  const fields = useApi<{ items: Field[] }>('/api/fields');
  const unit = useApi<Unit>(user?.unitCode ? `/api/units/${encodeURIComponent(user.unitCode)}` : null);
  const procedureUnit = unit.data ? (LOCAL_UNIT_KINDS.includes(unit.data.kind) ? unit.data.code : null) : unit.error !== undefined || !user?.unitCode ? null : undefined;
  const procedures = useProcedureOptions(procedureUnit, form.field);

  const [filterProblems, setFilterProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    const applicant = form.applicant.trim();
    if (applicant !== '' && (applicant.length < APPLICANT_MIN || applicant.length > APPLICANT_MAX)) {
      setFilterProblems([{ fieldId: 'ws-f-applicant', text: t('ws.filter.applicantLength', { min: APPLICANT_MIN, max: APPLICANT_MAX }) }]);
      setAttempt((a) => a + 1);
      return;
    }
    setFilterProblems([]);
    go({ ...form, applicant });
  };
  const fieldIdOf = (f: string) => ((FILTER_KEYS as readonly string[]).includes(f) ? `ws-f-${f}` : null);
  const listProblems = first.error !== undefined ? problemsFromError(first.error, t, fieldIdOf) : [];
  // A procedure chosen before the field changed may not be in the new list: keep it visible.
  const procedureOptions = procedures.items ?? [];
  const chosenMissing = form.procedure !== '' && !procedureOptions.some((p) => p.code === form.procedure);

  const queueLabel = t(`ws.queue.${queue}`);
  return (
    <>
      <PageHeading title={title} ready={!counts.loading}>
        {title}
      </PageHeading>
      <WorkspaceNav />
      {counts.error !== undefined && <ErrorBox error={counts.error} onRetry={counts.reload} />}
      <nav aria-label={t('ws.queues.tabsLabel')} className="ws-tabs">
        <ul>
          {QUEUE_KEYS.map((k) => (
            <li key={k}>
              <Link
                to={queueUrl('/can-bo', undefined, { q: k, ...applied })}
                aria-current={k === queue ? 'page' : undefined}
                className={['ws-tab', QUEUE_TONE[k] ?? ''].join(' ').trim()}
              >
                <span className="ws-tab-label">{t(`ws.queue.${k}`)}</span>
                <span className="ws-tab-count">
                  <span className="visually-hidden">{t('ws.queues.countPrefix')} </span>
                  {countText(t, counts.data?.queues[k])}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="muted">{t(filtered ? 'ws.queues.countsNoteFiltered' : 'ws.queues.countsNote', { unit: counts.data?.unit ?? '…' })}</p>

      <form className="ws-filters" onSubmit={applyFilters} aria-labelledby="ws-filter-title" noValidate>
        <h2 id="ws-filter-title" className="ws-small-heading">
          {t('ws.filter.title')}
        </h2>
        <ErrorSummary problems={filterProblems} attempt={attempt} />
        <div className="ws-filter-row">
          <div className="control">
            <label htmlFor="ws-f-field">{t('ws.filter.field')}</label>
            <select
              id="ws-f-field"
              value={form.field}
              onChange={(e) => {
                const field = e.target.value;
                // The procedure list narrows to the field; a procedure of another field no longer applies.
                setForm((f) => ({ ...f, field, procedure: field === f.field ? f.procedure : '' }));
              }}
            >
              <FieldOptions fields={fields.data?.items} value={form.field} anyLabel={t('ws.filter.anyField')} />
            </select>
          </div>
          <div className="control">
            <label htmlFor="ws-f-procedure">{t('ws.filter.procedure')}</label>
            <p id="ws-f-procedure-hint" className="hint">
              {t('ws.filter.procedureHint')}
            </p>
            <select id="ws-f-procedure" value={form.procedure} aria-describedby="ws-f-procedure-hint" aria-busy={procedures.items === null && procedures.error === undefined} onChange={(e) => set('procedure')(e.target.value)}>
              <option value="">{t('ws.filter.anyProcedure')}</option>
              {procedureOptions.map((p) => {
                const n = pick(t, p.name, p.nameEn);
                return (
                  <option key={p.code} value={p.code} lang={n.lang}>
                    {p.code} — {n.text}
                  </option>
                );
              })}
              {chosenMissing && <option value={form.procedure}>{form.procedure}</option>}
            </select>
          </div>
          <div className="control">
            <label htmlFor="ws-f-channel">{t('ws.filter.channel')}</label>
            <select id="ws-f-channel" value={form.channel} onChange={(e) => set('channel')(e.target.value)}>
              <option value="">{t('ws.filter.anyChannel')}</option>
              <option value="1">{t('ws.channel.1')}</option>
              <option value="2">{t('ws.channel.2')}</option>
              <option value="3">{t('ws.channel.3')}</option>
            </select>
          </div>
          <div className="control">
            <label htmlFor="ws-f-applicant">{t('ws.filter.applicant')}</label>
            <p id="ws-f-applicant-hint" className="hint">
              {t('ws.filter.applicantHint')}
            </p>
            <input
              id="ws-f-applicant"
              type="search"
              value={form.applicant}
              maxLength={APPLICANT_MAX}
              autoComplete="off"
              aria-describedby="ws-f-applicant-hint"
              aria-invalid={filterProblems.some((p) => p.fieldId === 'ws-f-applicant') || undefined}
              onChange={(e) => set('applicant')(e.target.value)}
            />
          </div>
        </div>
        {fields.error !== undefined && <ErrorBox error={fields.error} onRetry={fields.reload} />}
        {procedures.error !== undefined && <ErrorBox error={procedures.error} onRetry={procedures.reload} />}
        <p className="button-row">
          <button type="submit" className="button button-secondary">
            {t('ws.filter.apply')}
          </button>
          {filtered && (
            <button
              type="button"
              className="button-link"
              onClick={() => {
                const none = Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Filters;
                setForm(none);
                go(none);
              }}
            >
              {t('ws.filter.clear')}
            </button>
          )}
        </p>
      </form>

      <h2 id="ws-list-title">{queueLabel}</h2>
      {first.error !== undefined && <ErrorSummary problems={listProblems} attempt={1} />}
      {first.loading && <Loading />}
      {first.data && items.length === 0 && <p>{t('ws.queues.empty')}</p>}
      {items.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby="ws-list-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t('ws.queues.caption', { queue: queueLabel })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ws.col.code')}</th>
                <th scope="col">{t('ws.col.procedure')}</th>
                <th scope="col">{t('ws.col.applicant')}</th>
                <th scope="col">{t('ws.col.channel')}</th>
                <th scope="col">{t('ws.col.status')}</th>
                <th scope="col">{t('ws.col.appointment')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const tag = dueTag(t, d.appointmentAt, d.pendingTimeliness);
                return (
                  <tr key={d.code}>
                    <th scope="row">
                      <Link className="dossier-code" to={`/can-bo/ho-so/${encodeURIComponent(d.code)}`}>
                        {d.code}
                      </Link>
                    </th>
                    <td lang="vi">{d.procedureName ?? d.procedureCode}</td>
                    <td lang="vi">{d.applicantName}</td>
                    <td>{channelName(t, d.channel)}</td>
                    <td>{t(`ws.status.${d.statusCode}` as 'ws.status.1')}</td>
                    <td>
                      {d.appointmentAt ? <time dateTime={d.appointmentAt}>{t.dateTime(d.appointmentAt)}</time> : null} <span className={tag.className}>{tag.text}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasMore={Boolean(nextCursor)}
        busy={loadingMore}
        error={moreError}
        onLoadMore={() => void loadMore()}
        shown={items.length > 0 ? t('ws.queues.shown', { n: t.number(items.length) }) : null}
      />
    </>
  );
}
