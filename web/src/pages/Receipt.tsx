/**
 * The receipt (form 1 of Circular 03/2025: code, appointment, documents received) as a page, with
 * the PDF and a print button. Before the desk receives an online dossier it is the confirmation of
 * online submission (no appointment yet).
 */
import { ApiError } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { bi, fileSize } from '../components/portal/forms.js';
import { LoginPrompt } from '../components/portal/LoginPrompt.js';
import type { Receipt as ReceiptData } from '../components/portal/types.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import { useApi } from '../useApi.js';

export default function Receipt({ params }: PageProps) {
  const t = useT();
  const { user } = useSession();
  const code = params.code ?? '';
  const r = useApi<ReceiptData>(user ? `/api/dossiers/${encodeURIComponent(code)}/receipt` : null);
  const fallbackTitle = t('receipt.title');

  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPrompt title={fallbackTitle} text={t('receipt.loginFirst')} />;
  if (r.error !== undefined) {
    return (
      <>
        <PageHeading title={fallbackTitle}>{fallbackTitle}</PageHeading>
        {r.error instanceof ApiError && r.error.status === 404 ? <p className="notice notice-error">{t('dossier.notFound', { code })}</p> : <ErrorBox error={r.error} onRetry={r.reload} />}
      </>
    );
  }
  if (!r.data) {
    return (
      <>
        <PageHeading title={fallbackTitle} ready={false}>
          {fallbackTitle}
        </PageHeading>
        <Loading />
      </>
    );
  }
  const d = r.data;
  const title = bi(t, d.title);
  const en = t.lang === 'en';
  const name = (n: { name: string; nameEn: string | null }) => (en && n.nameEn ? n.nameEn : n.name);
  return (
    <>
      <p className="breadcrumb no-print">
        <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{t('receipt.toDossier', { code: d.code })}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      {d.kind === 'online_submission' ? (
        <p className="notice notice-success" role="status">
          {t('receipt.submittedOk', { code: d.code })}
        </p>
      ) : null}
      {d.demo && <p className="notice notice-warning">{t('receipt.demo')}</p>}
      <div className="button-row no-print">
        <a className="button" href={d.pdfUrl} target="_blank" rel="noopener">
          {t('receipt.pdf')}
        </a>
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </div>
      <article className="receipt" aria-labelledby="receipt-issuer">
        <p id="receipt-issuer" className="receipt-issuer">
          {d.issuer.parentName && (
            <>
              {d.issuer.parentName}
              <br />
            </>
          )}
          <strong>{en && d.issuer.unitNameEn ? d.issuer.unitNameEn : d.issuer.name}</strong>
        </p>
        <p className="muted">{d.formReference}</p>
        <dl className="facts">
          <div>
            <dt>{t('receipt.code')}</dt>
            <dd className="dossier-code">{d.code}</dd>
          </div>
          <div>
            <dt>{t('receipt.applicant')}</dt>
            <dd>
              {d.applicant.name}
              {d.applicant.idNumber && (
                <>
                  <br />
                  {t('receipt.idNumber', { id: d.applicant.idNumber })}
                </>
              )}
              {d.applicant.phone && (
                <>
                  <br />
                  {t('receipt.phone', { phone: d.applicant.phone })}
                </>
              )}
              {d.applicant.address && (
                <>
                  <br />
                  {d.applicant.address}
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('receipt.procedure')}</dt>
            <dd>
              {name(d.procedure)}
              <br />
              <span className="muted">{name(d.case)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('receipt.channel')}</dt>
            <dd>{bi(t, d.channel)}</dd>
          </div>
          <div>
            <dt>{t('receipt.submittedAt')}</dt>
            <dd>{t.dateTime(d.submittedAt)}</dd>
          </div>
          {d.receivedAt && (
            <div>
              <dt>{t('receipt.receivedAt')}</dt>
              <dd>{t.dateTime(d.receivedAt)}</dd>
            </div>
          )}
          <div>
            <dt>{t('receipt.timeLimit')}</dt>
            <dd>{bi(t, d.timeLimit)}</dd>
          </div>
          <div>
            <dt>{t('receipt.appointmentAt')}</dt>
            <dd>{d.appointmentAt ? <strong>{t.dateTime(d.appointmentAt)}</strong> : t('receipt.noAppointment')}</dd>
          </div>
          <div>
            <dt>{t('receipt.fee')}</dt>
            <dd>{d.feeAmount && d.feeAmount > 0 ? t.money(d.feeAmount) : t('fee.free')}</dd>
          </div>
          <div>
            <dt>{t('receipt.resultPlace')}</dt>
            <dd>{bi(t, d.resultPlace)}</dd>
          </div>
          <div>
            <dt>{t('receipt.status')}</dt>
            <dd>{bi(t, d.status)}</dd>
          </div>
          {d.receivedBy && (
            <div>
              <dt>{t('receipt.receivedBy')}</dt>
              <dd>{d.receivedBy.name}</dd>
            </div>
          )}
        </dl>
        <h2>{t('receipt.documents')}</h2>
        {d.documentsSource === 'catalog' && <p className="hint">{t('receipt.documentsCatalog')}</p>}
        {d.documents.length === 0 ? (
          <p>{t('proc.noDocuments')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-label={t('receipt.documents')} tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t('receipt.documents')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('receipt.docNo')}</th>
                  <th scope="col">{t('receipt.docName')}</th>
                  <th scope="col">{t('receipt.docFiles')}</th>
                </tr>
              </thead>
              <tbody>
                {d.documents.map((doc, i) => (
                  <tr key={`${doc.seq ?? 'other'}-${i}`}>
                    <td>{i + 1}</td>
                    <th scope="row">
                      {en && doc.nameEn ? doc.nameEn : doc.name}
                      {doc.copies !== null && (
                        <span className="muted">
                          {' '}
                          ({t.plural('doc.copies', doc.copies)}
                          {doc.originalRequired ? `, ${t('doc.original')}` : ''})
                        </span>
                      )}
                    </th>
                    <td>
                      {doc.files.length === 0
                        ? t('my.none')
                        : doc.files.map((f) => (
                            <span key={f.id} className="file-line">
                              {f.fileName} <span className="muted">({fileSize(t, f.sizeBytes)})</span>
                            </span>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
      <p className="no-print">
        <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{t('receipt.follow')}</Link>
      </p>
    </>
  );
}
