/**
 * /can-bo: the official's queues with their counts (GET /api/work/counts) and the chosen queue's
 * dossiers (GET /api/work/dossiers, soonest appointment first, "load more" by keyset cursor),
 * filtered by procedure code and channel. The queue and filters live in the address, so a queue
 * can be bookmarked and the back button works.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { ErrorSummary, problemsFromError, type Problem } from '../components/portal/forms.js';
import { useT } from '../i18n/index.js';
import { Link, useRouter, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import type { Page } from '../types.js';
import { useApi } from '../useApi.js';
import { channelName, countText, dueTag, QUEUE_KEYS, StaffOnly, WorkspaceNav, type QueueItem, type QueueKey, type WorkCounts } from './common.js';

/** The list filters of each queue, the same as the server's counts use. */
const QUEUE_QUERY: Record<QueueKey, { status?: number[]; due?: string }> = {
  awaiting_receipt: { status: [1] },
  processing: { status: [2, 4] },
  supplement_requested: { status: [5] },
  payment_requested: { status: [6] },
  due_today: { due: 'today' },
  due_soon: { due: 'soon' },
  overdue: { due: 'overdue' },
  finished: { status: [9] },
};

/** Colour (with words) of the due queues: green today is still in time, yellow soon, red overdue. */
const QUEUE_TONE: Partial<Record<QueueKey, string>> = { due_today: 'tab-good', due_soon: 'tab-warn', overdue: 'tab-bad' };

function isQueue(x: string | null): x is QueueKey {
  return x !== null && (QUEUE_KEYS as readonly string[]).includes(x);
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
  const procedure = params.get('procedure') ?? '';
  const channel = params.get('channel') ?? '';
  const counts = useApi<WorkCounts>('/api/work/counts');

  const spec = QUEUE_QUERY[queue];
  // status is a repeated parameter, which the shared JSON client's query object cannot express.
  const listPath = queueUrl('/api/work/dossiers', spec.status, { due: spec.due, procedure, channel, limit: '50' });
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

  const [procInput, setProcInput] = useState(procedure);
  const [channelInput, setChannelInput] = useState(channel);
  const [filterProblems, setFilterProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    const code = procInput.trim();
    if (code.length > 40) {
      setFilterProblems([{ fieldId: 'ws-f-procedure', text: t('ws.filter.procedureTooLong') }]);
      setAttempt((a) => a + 1);
      return;
    }
    setFilterProblems([]);
    go({ procedure: code, channel: channelInput });
  };
  const listProblems = first.error !== undefined ? problemsFromError(first.error, t, (f) => (f === 'procedure' ? 'ws-f-procedure' : f === 'channel' ? 'ws-f-channel' : null)) : [];

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
                to={queueUrl('/can-bo', undefined, { q: k, procedure, channel })}
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
      <p className="muted">{t('ws.queues.countsNote', { unit: counts.data?.unit ?? '…' })}</p>

      <form className="ws-filters" onSubmit={applyFilters} aria-labelledby="ws-filter-title" noValidate>
        <h2 id="ws-filter-title" className="ws-small-heading">
          {t('ws.filter.title')}
        </h2>
        <ErrorSummary problems={filterProblems} attempt={attempt} />
        <div className="ws-filter-row">
          <div className="control">
            <label htmlFor="ws-f-procedure">{t('ws.filter.procedure')}</label>
            <p id="ws-f-procedure-hint" className="hint">
              {t('ws.filter.procedureHint')}
            </p>
            <input id="ws-f-procedure" value={procInput} aria-describedby="ws-f-procedure-hint" onChange={(e) => setProcInput(e.target.value)} />
          </div>
          <div className="control">
            <label htmlFor="ws-f-channel">{t('ws.filter.channel')}</label>
            <select id="ws-f-channel" value={channelInput} onChange={(e) => setChannelInput(e.target.value)}>
              <option value="">{t('ws.filter.anyChannel')}</option>
              <option value="1">{t('ws.channel.1')}</option>
              <option value="2">{t('ws.channel.2')}</option>
              <option value="3">{t('ws.channel.3')}</option>
            </select>
          </div>
        </div>
        <p className="button-row">
          <button type="submit" className="button button-secondary">
            {t('ws.filter.apply')}
          </button>
          {(procedure || channel) && (
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setProcInput('');
                setChannelInput('');
                go({ procedure: '', channel: '' });
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
      {moreError !== undefined && <ErrorBox error={moreError} onRetry={() => void loadMore()} />}
      {nextCursor && (
        <p>
          <button type="button" className="button button-secondary" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? t('common.loading') : t('common.loadMore')}
          </button>
        </p>
      )}
      {items.length > 0 && (
        <p className="muted" role="status">
          {t('ws.queues.shown', { n: t.number(items.length) })}
        </p>
      )}
    </>
  );
}
