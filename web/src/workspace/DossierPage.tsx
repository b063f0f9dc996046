/**
 * /can-bo/ho-so/:code: everything about one dossier for the official: applicant, procedure and
 * case, documents, appointment and time left, the timeline and the full processing history
 * (who, when, early / on time / late per step), and the actions allowed to them now.
 */
import { useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { PageHeading, LoadingPage } from '../components/PageHeading.js';
import { bi, fileSize } from '../components/portal/forms.js';
import { MissingBox, timelinessClass, TimelineSummary } from '../components/portal/Timeline.js';
import type { Timeline } from '../components/portal/types.js';
import { useT, type Translate } from '../i18n/index.js';
import { Link } from '../router.js';
import type { PageProps } from '../routes.js';
import { useApi } from '../useApi.js';
import { ActionPanel } from './Actions.js';
import { DocumentsPanel } from './Documents.js';
import { SignResult } from './SignResult.js';
import { channelName, dueTag, StaffOnly, WorkspaceNav, type HistoryItem, type StaffDossier } from './common.js';

export default function StaffDossierPage({ params }: PageProps) {
  const t = useT();
  const code = params.code ?? '';
  const title = t('ws.dossier.title', { code });
  return (
    <StaffOnly title={title}>
      <Inner code={code} title={title} />
    </StaffOnly>
  );
}

/** Time left to the appointment in days and hours (calendar time), or how late it is. */
function remaining(t: Translate, appointmentAt: string | null, paused: boolean): string {
  if (!appointmentAt) return t('ws.due.none');
  if (paused) return t('ws.dossier.paused');
  const ms = Date.parse(appointmentAt) - Date.now();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  return ms >= 0 ? t('ws.dossier.left', { days, hours }) : t('ws.dossier.late', { days, hours });
}

function stepTimeliness(t: Translate, s: string | null): string {
  if (s === 'early') return t('ws.step.early');
  if (s === 'on_time') return t('ws.step.on_time');
  if (s === 'late') return t('ws.step.late');
  return '';
}

function Inner({ code, title }: { code: string; title: string }) {
  const t = useT();
  const path = `/api/dossiers/${encodeURIComponent(code)}`;
  const dossier = useApi<StaffDossier>(path);
  const timeline = useApi<Timeline>(`${path}/timeline`);
  const history = useApi<{ items: HistoryItem[] }>(`${path}/history`);
  // Kept here: the action panel goes away while the dossier reloads after an action.
  const [done, setDone] = useState('');
  const reload = () => {
    dossier.reload();
    timeline.reload();
    history.reload();
  };
  const error = dossier.error ?? timeline.error ?? history.error;
  if (error !== undefined) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <WorkspaceNav />
        {error instanceof ApiError && error.status === 404 ? <p className="notice notice-error">{t('ws.dossier.notFound', { code })}</p> : <ErrorBox error={error} onRetry={reload} />}
      </>
    );
  }
  if (!dossier.data || !timeline.data || !history.data) {
    return <LoadingPage title={title} />;
  }
  const d = dossier.data;
  const tl = timeline.data;
  const files = d.attachments ?? [];
  const due = dueTag(t, d.appointmentAt, d.pendingTimeliness);
  const a = d.applicant;
  // Postal shipments: the parcel that brought the dossier, and the one that took the result back.
  const postal: Array<{ key: 'ws.dossier.postalIn' | 'ws.dossier.postalOut'; value: string }> = [];
  for (const h of history.data.items) {
    const p = h.payload ?? {};
    if (h.type === 'submit' && typeof p.postalTrackingNumber === 'string') postal.push({ key: 'ws.dossier.postalIn', value: p.postalTrackingNumber });
    if (h.type === 'return_result' && p.method === 'post' && typeof p.trackingNumber === 'string') postal.push({ key: 'ws.dossier.postalOut', value: p.trackingNumber });
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/can-bo">{t('ws.dossier.back')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <WorkspaceNav />
      <TimelineSummary data={tl} />

      <section aria-labelledby="ws-time-title">
        <h2 id="ws-time-title">{t('ws.dossier.time')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('ws.dossier.appointment')}</dt>
            <dd>{d.appointmentAt ? t.dateTime(d.appointmentAt) : t('ws.due.none')}</dd>
          </div>
          <div>
            <dt>{t('ws.dossier.remaining')}</dt>
            <dd>
              {remaining(t, d.appointmentAt, d.clockPaused)} {!d.clockPaused && d.appointmentAt && !d.finishedAt && <span className={due.className}>{due.text}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('ws.dossier.whereNow')}</dt>
            <dd>{t('ws.dossier.whereNowValue', { unit: d.currentUnit, step: d.currentStep })}</dd>
          </div>
          {d.stepDueAt && !d.finishedAt && (
            <div>
              <dt>{t('ws.dossier.stepDue')}</dt>
              <dd>{t.dateTime(d.stepDueAt)}</dd>
            </div>
          )}
          <div>
            <dt>{t('ws.col.channel')}</dt>
            <dd>{channelName(t, d.channel)}</dd>
          </div>
          {postal.map((p) => (
            <div key={p.key}>
              <dt>{t(p.key)}</dt>
              <dd>{p.value}</dd>
            </div>
          ))}
          {d.feeAmount !== null && d.feeAmount > 0 && (
            <div>
              <dt>{t('ws.dossier.fee')}</dt>
              <dd>
                {t.money(d.feeAmount)} {d.paidAt ? t('ws.dossier.paid', { date: t.dateTime(d.paidAt) }) : t('ws.dossier.unpaid')}
              </dd>
            </div>
          )}
        </dl>
      </section>

      <ActionPanel
        dossier={d}
        done={done}
        onDone={(message) => {
          setDone(message);
          reload();
        }}
      />
      <SignResult code={d.code} statusCode={d.statusCode} />
      {d.statusCode === 5 && <MissingBox data={tl} />}

      <section aria-labelledby="ws-applicant-title">
        <h2 id="ws-applicant-title">{t('ws.dossier.applicant')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('ws.walkin.name')}</dt>
            <dd lang="vi">{a.name}</dd>
          </div>
          <div>
            <dt>{t('ws.walkin.idNumber')}</dt>
            <dd>{a.idNumber ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('ws.walkin.phone')}</dt>
            <dd>{a.phone ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('ws.walkin.email')}</dt>
            <dd>{a.email ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('ws.walkin.address')}</dt>
            <dd lang="vi">{a.address ?? '—'}</dd>
          </div>
        </dl>
      </section>

      {Object.keys(d.formData).length > 0 && (
        <section aria-labelledby="ws-form-title">
          <h2 id="ws-form-title">{t('ws.dossier.formData')}</h2>
          <dl className="facts">
            {Object.entries(d.formData).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd lang="vi">{typeof v === 'string' || typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? t('ws.yes') : t('ws.no')) : JSON.stringify(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <section aria-labelledby="ws-docs-title">
        <h2 id="ws-docs-title">{t('ws.dossier.documents')}</h2>
        <DocumentsPanel code={d.code} />
        <h3 className="ws-small-heading">{t('ws.docs.files')}</h3>
        {files.length === 0 ? (
          <p>{t('ws.dossier.noDocuments')}</p>
        ) : (
          <ul className="file-list">
            {files.map((f) => (
              <li key={f.id}>
                {f.documentName && <span>{bi(t, f.documentName)}: </span>}
                <a href={`/api/attachments/${encodeURIComponent(f.id)}`} target="_blank" rel="noopener">
                  {f.fileName}
                  <span className="visually-hidden"> {t('ws.newTab')}</span>
                </a>{' '}
                <span className="muted">({fileSize(t, f.sizeBytes)})</span>
              </li>
            ))}
          </ul>
        )}
        <p className="button-row">
          <a className="button button-secondary" href={`/api/dossiers/${encodeURIComponent(d.code)}/receipt.pdf`} target="_blank" rel="noopener">
            {t('ws.dossier.receiptPdf')}
            <span className="visually-hidden"> {t('ws.newTab')}</span>
          </a>
        </p>
      </section>

      <section aria-labelledby="ws-history-title">
        <h2 id="ws-history-title">{t('ws.dossier.history')}</h2>
        <div className="table-wrap" role="region" aria-labelledby="ws-history-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t('ws.dossier.historyCaption', { code: d.code })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ws.h.at')}</th>
                <th scope="col">{t('ws.h.action')}</th>
                <th scope="col">{t('ws.h.actor')}</th>
                <th scope="col">{t('ws.h.step')}</th>
                <th scope="col">{t('ws.h.timeliness')}</th>
                <th scope="col">{t('ws.h.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((h) => (
                <tr key={h.seq}>
                  <td>
                    <time dateTime={h.at}>{t.dateTime(h.at)}</time>
                  </td>
                  <th scope="row">{bi(t, h.typeName)}</th>
                  <td lang="vi">
                    {h.actorName ?? h.actorRole}
                    {h.actorUnit ? <span className="muted"> ({h.actorUnit})</span> : null}
                  </td>
                  <td>{[h.fromStep, h.toStep].filter(Boolean).join(' → ')}</td>
                  <td>{h.stepTimeliness ? <span className={timelinessClass(h.stepTimeliness)}>{stepTimeliness(t, h.stepTimeliness)}</span> : '—'}</td>
                  <td lang="vi">{h.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
