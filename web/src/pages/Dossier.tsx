/**
 * The applicant's own dossier (issue 3 §4–§7): status, appointment, timeline, documents; and
 * what the applicant can do now: supplement, pay, rate, file a complaint.
 */
import { useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading, LoadingPage } from '../components/PageHeading.js';
import { ComplaintForm } from '../components/portal/Complaint.js';
import { fileSize } from '../components/portal/forms.js';
import { LoginPrompt } from '../components/portal/LoginPrompt.js';
import { RatingForm } from '../components/portal/Rating.js';
import { SupplementForm } from '../components/portal/Supplement.js';
import { MissingBox, TimelineSteps, TimelineSummary } from '../components/portal/Timeline.js';
import type { Dossier as DossierData, Timeline } from '../components/portal/types.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import { useApi } from '../useApi.js';

/** The electronic result, once the unit has signed it: download it and check it at /verify. */
function SignedResult({ result }: { result: NonNullable<DossierData['signedResult']> }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="result-title">
      <h2 id="result-title">{t('dossier.result.title')}</h2>
      <p>{t('dossier.result.text', { date: t.dateTime(result.signedAt), code: result.verificationCode })}</p>
      <p className="button-row">
        <a className="button" href={result.downloadUrl} download>
          {t('dossier.result.download')}
        </a>
        <Link className="button button-secondary" to={result.verifyUrl}>
          {t('dossier.result.verify')}
        </Link>
      </p>
    </section>
  );
}

export default function Dossier({ params }: PageProps) {
  const t = useT();
  const { user } = useSession();
  const code = params.code ?? '';
  const path = `/api/dossiers/${encodeURIComponent(code)}`;
  const dossier = useApi<DossierData>(user ? path : null);
  const timeline = useApi<Timeline>(user ? `${path}/timeline` : null);
  const title = t('dossier.title', { code });
  // Kept here: the supplement form (and its own status line) goes away once the dossier reloads.
  const [supplementSent, setSupplementSent] = useState(false);

  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPrompt title={title} text={t('dossier.loginFirst')} />;
  const error = dossier.error ?? timeline.error;
  if (error !== undefined) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        {error instanceof ApiError && error.status === 404 ? (
          <p className="notice notice-error">{t('dossier.notFound', { code })}</p>
        ) : (
          <ErrorBox
            error={error}
            onRetry={() => {
              dossier.reload();
              timeline.reload();
            }}
          />
        )}
      </>
    );
  }
  if (!dossier.data || !timeline.data) {
    return <LoadingPage title={title} />;
  }
  const d = dossier.data;
  const tl = timeline.data;
  const reload = () => {
    dossier.reload();
    timeline.reload();
  };
  const supplemented = () => {
    setSupplementSent(true);
    reload();
  };
  const canSupplement = d.statusCode === 5 && d.allowedActions.includes('supplement');
  const mustPay = d.statusCode === 6 && (d.feeAmount ?? 0) > 0 && !d.paidAt;
  const finished = d.statusCode === 9 || d.statusCode === 10;
  const files = d.attachments ?? [];

  return (
    <>
      <p className="breadcrumb">
        <Link to="/ho-so-cua-toi">{t('dossier.backToList')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <TimelineSummary data={tl} />
      {d.feeAmount !== null && d.feeAmount > 0 && (
        <p>
          {t('dossier.fee', { amount: t.money(d.feeAmount) })} {d.paidAt ? t('dossier.paidAt', { date: t.dateTime(d.paidAt) }) : ''}
        </p>
      )}
      <p className="button-row">
        <Link className="button button-secondary" to={`/ho-so/${encodeURIComponent(d.code)}/bien-nhan`}>
          {t('dossier.receipt')}
        </Link>
      </p>

      {mustPay && (
        <section className="panel panel-action" aria-labelledby="pay-title">
          <h2 id="pay-title">{t('dossier.payTitle')}</h2>
          <p>{t('dossier.payText', { amount: t.money(d.feeAmount ?? 0) })}</p>
          <p>
            <Link className="button" to={`/ho-so/${encodeURIComponent(d.code)}/thanh-toan`}>
              {t('dossier.pay')}
            </Link>
          </p>
        </section>
      )}

      {supplementSent && !canSupplement && (
        <p className="notice notice-success" role="status">
          {t('dossier.supplement.sent')}
        </p>
      )}
      {canSupplement && (
        <>
          <MissingBox data={tl} />
          <SupplementForm dossier={d} timeline={tl} onDone={supplemented} />
        </>
      )}

      {d.signedResult && <SignedResult result={d.signedResult} />}

      <TimelineSteps data={tl} />

      <section aria-labelledby="docs-title">
        <h2 id="docs-title">{t('dossier.documents')}</h2>
        {files.length === 0 ? (
          <p>{t('dossier.noDocuments')}</p>
        ) : (
          <ul className="file-list">
            {files.map((a) => (
              <li key={a.id}>
                {a.documentName && <span>{t.lang === 'vi' ? a.documentName.vi : a.documentName.en}: </span>}
                <a href={`/api/attachments/${encodeURIComponent(a.id)}`}>{a.fileName}</a> <span className="muted">({fileSize(t, a.sizeBytes)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {finished && <RatingForm code={d.code} />}
      <ComplaintForm code={d.code} />
    </>
  );
}
