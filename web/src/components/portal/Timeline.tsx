/** The public timeline of a dossier (owner's page and anonymous lookup): status, appointment, early / on time / late, what is missing, the steps. */
import { useT } from '../../i18n/index.js';
import { bi } from './forms.js';
import type { Timeline as TimelineData } from './types.js';

export function timelinessClass(code: string): string {
  if (code === 'late' || code === 'overdue') return 'tag tag-bad';
  if (code === 'early' || code === 'on_time' || code === 'within_limit') return 'tag tag-good';
  return 'tag';
}

export function TimelineSummary({ data }: { data: TimelineData }) {
  const t = useT();
  const procName = t.lang === 'en' && data.procedure.nameEn ? data.procedure.nameEn : data.procedure.name;
  const caseName = t.lang === 'en' && data.case.nameEn ? data.case.nameEn : data.case.name;
  const unitName = t.lang === 'en' && data.receivingUnit.nameEn ? data.receivingUnit.nameEn : data.receivingUnit.name;
  return (
    <dl className="facts">
      <div>
        <dt>{t('dossier.code')}</dt>
        <dd className="dossier-code">{data.code}</dd>
      </div>
      <div>
        <dt>{t('dossier.procedure')}</dt>
        <dd>
          {procName}
          <br />
          <span className="muted">{caseName}</span>
        </dd>
      </div>
      <div>
        <dt>{t('dossier.receivingUnit')}</dt>
        <dd>{unitName}</dd>
      </div>
      <div>
        <dt>{t('dossier.status')}</dt>
        <dd>
          <strong>{bi(t, data.status)}</strong>
        </dd>
      </div>
      <div>
        <dt>{t('dossier.submittedAt')}</dt>
        <dd>{t.dateTime(data.submittedAt)}</dd>
      </div>
      <div>
        <dt>{t('dossier.appointmentAt')}</dt>
        <dd>{data.appointmentAt ? t.dateTime(data.appointmentAt) : t('dossier.noAppointment')}</dd>
      </div>
      <div>
        <dt>{t('dossier.timeliness')}</dt>
        <dd>
          <span className={timelinessClass(data.timeliness.code)}>{bi(t, data.timeliness)}</span>
        </dd>
      </div>
    </dl>
  );
}

export function MissingBox({ data }: { data: TimelineData }) {
  const t = useT();
  if (!data.missing) return null;
  return (
    <div className="notice notice-warning">
      <p className="notice-title">{t('dossier.missingTitle', { date: t.dateTime(data.missing.requestedAt) })}</p>
      {data.missing.reason && <p lang="vi">{t('dossier.missingReason', { reason: data.missing.reason })}</p>}
      <ul className="missing-list" lang="vi">
        {data.missing.items.map((m, i) => (
          <li key={i}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

export function TimelineSteps({ data, headingLevel = 2 }: { data: TimelineData; headingLevel?: 2 | 3 }) {
  const t = useT();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={`tl-${data.code}`}>
      <H id={`tl-${data.code}`}>{t('dossier.timeline')}</H>
      <ol className="timeline">
        {data.steps.map((s, i) => (
          <li key={i} className={s.upcoming ? 'timeline-step timeline-upcoming' : 'timeline-step'}>
            <p className="timeline-label">
              <strong>{bi(t, s.label)}</strong>
              {s.upcoming && <span className="muted"> ({t('dossier.upcoming')})</span>}
            </p>
            <p className="timeline-at">
              <time dateTime={s.at}>{t.dateTime(s.at)}</time>
            </p>
            {s.reason && (
              <p>
                {t('dossier.step.reason')} <span lang="vi">{s.reason}</span>
              </p>
            )}
            {s.missing && s.missing.length > 0 && (
              <>
                <p>{t('dossier.step.missing')}</p>
                <ul lang="vi">
                  {s.missing.map((m, j) => (
                    <li key={j}>{m}</li>
                  ))}
                </ul>
              </>
            )}
            {s.documents && s.documents.length > 0 && (
              <p>
                {t('dossier.step.documents')} <span lang="vi">{s.documents.join('; ')}</span>
              </p>
            )}
            {s.amount !== null && <p>{t('dossier.step.amount', { amount: t.money(s.amount) })}</p>}
            {s.appointmentAt && !s.upcoming && <p>{t('dossier.step.appointment', { date: t.dateTime(s.appointmentAt) })}</p>}
            {s.previousAppointmentAt && <p className="muted">{t('dossier.step.previous', { date: t.dateTime(s.previousAppointmentAt) })}</p>}
            {s.returnMethodLabel && <p>{t('dossier.step.returnMethod', { method: bi(t, s.returnMethodLabel) })}</p>}
            {s.trackingNumber && <p>{t('dossier.step.tracking', { number: s.trackingNumber })}</p>}
            {s.timeliness && <p>{t(`dossier.finished.${s.timeliness === 'early' ? 'early' : s.timeliness === 'late' ? 'late' : 'onTime'}`)}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
