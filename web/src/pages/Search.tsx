import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, withQuery } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { SearchBox } from '../components/SearchBox.js';
import { ProcedureCard } from '../components/ProcedureCard.js';
import { pick, useT, type Translate } from '../i18n/index.js';
import { useRouter, useSearchParams } from '../router.js';
import type { Field, Level, OnlineLevel, Page, ProcedureSummary, Unit } from '../types.js';
import { useApi } from '../useApi.js';

const LEVELS: readonly Level[] = ['commune', 'province'];
const ONLINE: readonly OnlineLevel[] = ['full', 'partial', 'none'];
const UNIT_GROUPS = ['department', 'ward', 'commune'] as const;
const PROVINCE = 'H15';

interface Filters {
  q: string;
  field: string;
  level: string;
  online: string;
  unit: string;
}

function filtersFrom(params: URLSearchParams): Filters {
  const get = (k: string) => (params.get(k) ?? '').trim();
  const level = get('level');
  const online = get('online');
  return {
    q: get('q').slice(0, 200),
    field: get('field'),
    level: (LEVELS as readonly string[]).includes(level) ? level : '',
    online: (ONLINE as readonly string[]).includes(online) ? online : '',
    unit: get('unit'),
  };
}

function unitLabel(t: Translate, u: Unit) {
  return pick(t, u.name, u.nameEn);
}

export default function Search() {
  const t = useT();
  const { navigate } = useRouter();
  const params = useSearchParams();
  const applied = useMemo(() => filtersFrom(params), [params]);
  const [form, setForm] = useState<Filters>(applied);
  const id = useId();

  // The form follows the address (back/forward, links from the home page).
  useEffect(() => setForm(applied), [applied]);

  const fields = useApi<{ items: Field[] }>('/api/fields');
  const units = useApi<{ items: Unit[] }>('/api/units', { parent: PROVINCE });
  const query = useMemo(() => ({ ...applied }), [applied]);
  const first = useApi<Page<ProcedureSummary>>('/api/procedures', query);

  // Pages loaded with "show more", reset whenever the search changes.
  const [more, setMore] = useState<{ key: string; items: ProcedureSummary[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const key = JSON.stringify(applied);
  const extra = more && more.key === key ? more : null;
  const items = first.data ? [...first.data.items, ...(extra?.items ?? [])] : [];
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const firstNewIndex = useRef<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    // After "show more", put focus on the first new result so keyboard users continue there.
    if (firstNewIndex.current === null || !listRef.current) return;
    const link = listRef.current.querySelectorAll<HTMLAnchorElement>('li a')[firstNewIndex.current];
    firstNewIndex.current = null;
    link?.focus();
  }, [items.length]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.get<Page<ProcedureSummary>>('/api/procedures', { ...applied, cursor: nextCursor });
      firstNewIndex.current = items.length;
      setMore({ key, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery('/tim-kiem', { ...form, q: form.q.trim() }));
  };
  const set = (k: keyof Filters) => (value: string) => setForm((f) => ({ ...f, [k]: value }));
  const hasFilters = applied.field !== '' || applied.level !== '' || applied.online !== '' || applied.unit !== '';

  const status = first.data
    ? items.length === 0
      ? t('search.none')
      : nextCursor
        ? t.plural('search.countMore', items.length)
        : t.plural('search.count', items.length)
    : '';

  const title = applied.q ? t('search.titleFor', { q: applied.q }) : t('search.title');
  const unitGroups = UNIT_GROUPS.map((kind) => ({ kind, units: (units.data?.items ?? []).filter((u) => u.kind === kind) }));
  const otherUnits = (units.data?.items ?? []).filter((u) => !(UNIT_GROUPS as readonly string[]).includes(u.kind));

  return (
    <>
      <PageHeading title={title} ready={first.data !== undefined || first.error !== undefined}>
        {title}
      </PageHeading>

      <form role="search" action="/tim-kiem" method="get" onSubmit={submit} className="search-form">
        <SearchBox value={form.q} onChange={set('q')} />
        <fieldset className="filters">
          <legend>{t('search.filters')}</legend>
          <div className="filter-grid">
            <div className="control">
              <label htmlFor={`${id}-field`}>{t('search.field')}</label>
              <select id={`${id}-field`} name="field" value={form.field} onChange={(e) => set('field')(e.target.value)}>
                <option value="">{t('search.fieldAll')}</option>
                {(fields.data?.items ?? []).map((f) => {
                  const n = pick(t, f.name, f.nameEn);
                  return (
                    <option key={f.code} value={f.code} lang={n.lang}>
                      {n.text}
                    </option>
                  );
                })}
                {form.field !== '' && fields.data && !fields.data.items.some((f) => f.code === form.field) && <option value={form.field}>{form.field}</option>}
              </select>
            </div>
            <div className="control">
              <label htmlFor={`${id}-level`}>{t('search.level')}</label>
              <select id={`${id}-level`} name="level" value={form.level} onChange={(e) => set('level')(e.target.value)}>
                <option value="">{t('search.levelAll')}</option>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`level.${l}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="control">
              <label htmlFor={`${id}-online`}>{t('search.online')}</label>
              <select id={`${id}-online`} name="online" value={form.online} onChange={(e) => set('online')(e.target.value)}>
                <option value="">{t('search.onlineAll')}</option>
                {ONLINE.map((o) => (
                  <option key={o} value={o}>
                    {t(`online.${o}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="control">
              <label htmlFor={`${id}-unit`}>{t('search.unit')}</label>
              <select id={`${id}-unit`} name="unit" value={form.unit} onChange={(e) => set('unit')(e.target.value)}>
                <option value="">{t('search.unitAll')}</option>
                <optgroup label={t('search.unitGroup.province')}>
                  <option value={PROVINCE}>{t('search.unitProvince')}</option>
                </optgroup>
                {unitGroups
                  .filter((g) => g.units.length > 0)
                  .map((g) => (
                    <optgroup key={g.kind} label={t(`search.unitGroup.${g.kind}`)}>
                      {g.units.map((u) => {
                        const n = unitLabel(t, u);
                        return (
                          <option key={u.code} value={u.code} lang={n.lang}>
                            {n.text}
                          </option>
                        );
                      })}
                    </optgroup>
                  ))}
                {otherUnits.length > 0 && (
                  <optgroup label={t('search.unitGroup.others')}>
                    {otherUnits.map((u) => {
                      const n = unitLabel(t, u);
                      return (
                        <option key={u.code} value={u.code} lang={n.lang}>
                          {n.text}
                        </option>
                      );
                    })}
                  </optgroup>
                )}
                {form.unit !== '' && form.unit !== PROVINCE && units.data && !units.data.items.some((u) => u.code === form.unit) && (
                  <option value={form.unit}>{form.unit}</option>
                )}
              </select>
            </div>
          </div>
          {hasFilters && (
            <p>
              <a
                href={withQuery('/tim-kiem', { q: applied.q })}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(withQuery('/tim-kiem', { q: applied.q }));
                }}
              >
                {t('search.clear')}
              </a>
            </p>
          )}
        </fieldset>
      </form>

      <section aria-labelledby={`${id}-results`} className="results">
        <h2 id={`${id}-results`} className="visually-hidden">
          {t('search.results')}
        </h2>
        <p role="status" className="result-count">
          {status}
        </p>
        {first.error !== undefined && <ErrorBox error={first.error} onRetry={first.reload} />}
        {first.loading && <Loading />}
        {items.length > 0 && (
          <ol className="result-list" ref={listRef}>
            {items.map((p) => (
              <li key={p.code}>
                <ProcedureCard procedure={p} />
              </li>
            ))}
          </ol>
        )}
        {moreError !== undefined && <ErrorBox error={moreError} />}
        {nextCursor && (
          <p>
            <button type="button" className="button button-secondary" onClick={() => void loadMore()} disabled={loadingMore} aria-busy={loadingMore}>
              {loadingMore ? t('common.loadingMore') : t('common.loadMore')}
            </button>
          </p>
        )}
      </section>
    </>
  );
}
