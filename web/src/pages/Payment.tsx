/**
 * Paying a dossier's fee (issue 3 §6): the amount, the online payment through the provider's page
 * (the built-in local provider here), a VietQR for a bank transfer of the exact amount, and on
 * return (`?ref=`) the outcome with the payment receipt.
 */
import { useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading, LoadingPage } from '../components/PageHeading.js';
import { bi, problemsFromError, ErrorSummary, type Problem } from '../components/portal/forms.js';
import { send } from '../components/portal/http.js';
import { LoginPrompt } from '../components/portal/LoginPrompt.js';
import { PaymentReceipt } from '../components/portal/PaymentReceipt.js';
import { QrCode } from '../components/portal/QrCode.js';
import type { Dossier, Payment as PaymentData, PaymentList, StartedPayment } from '../components/portal/types.js';
import { useT } from '../i18n/index.js';
import { Link, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import { useApi } from '../useApi.js';

export default function Payment({ params }: PageProps) {
  const t = useT();
  const { user } = useSession();
  const search = useSearchParams();
  const ref = search.get('ref');
  const code = params.code ?? '';
  const path = `/api/dossiers/${encodeURIComponent(code)}`;
  const dossier = useApi<Dossier>(user ? path : null);
  const payments = useApi<PaymentList>(user ? `${path}/payments` : null);
  const [started, setStarted] = useState<StartedPayment | null>(null);
  const [busy, setBusy] = useState<'online' | 'qr' | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const qrHeading = useRef<HTMLHeadingElement>(null);
  const title = t('pay.title');

  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPrompt title={title} text={t('pay.loginFirst')} />;
  const error = dossier.error ?? payments.error;
  if (error !== undefined) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        {error instanceof ApiError && error.status === 404 ? <p className="notice notice-error">{t('dossier.notFound', { code })}</p> : <ErrorBox error={error} onRetry={() => (dossier.reload(), payments.reload())} />}
      </>
    );
  }
  if (!dossier.data || !payments.data) {
    return <LoadingPage title={title} />;
  }
  const d = dossier.data;
  const list = payments.data.items;
  const returned: PaymentData | undefined = ref ? list.find((p) => p.reference === ref) : undefined;
  const paid = list.find((p) => p.status === 'paid');
  const due = d.statusCode === 6 && (d.feeAmount ?? 0) > 0 && !paid;
  const amount = d.feeAmount ?? payments.data.feeAmount ?? 0;

  const start = async (how: 'online' | 'qr') => {
    if (busy) return;
    setBusy(how);
    setProblems([]);
    try {
      const p = await send<StartedPayment>('POST', `${path}/payments`, {});
      if (how === 'online') {
        window.location.assign(p.payUrl);
        return;
      }
      setStarted(p);
      requestAnimationFrame(() => qrHeading.current?.focus());
    } catch (err) {
      setProblems(problemsFromError(err, t, () => null));
      setAttempt((a) => a + 1);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{t('receipt.toDossier', { code: d.code })}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>

      {ref && (
        <div role="status" aria-live="polite">
          {!returned ? (
            <p className="notice notice-error">{t('pay.unknownRef', { ref })}</p>
          ) : returned.status === 'paid' ? (
            <p className="notice notice-success">{t('pay.paidOk', { amount: t.money(returned.amount) })}</p>
          ) : returned.status === 'failed' ? (
            <p className="notice notice-error">{t('pay.failed')}</p>
          ) : returned.status === 'expired' ? (
            <p className="notice notice-error">{t('pay.expired')}</p>
          ) : (
            <p className="notice notice-warning">{t('pay.pending')}</p>
          )}
        </div>
      )}

      <dl className="facts">
        <div>
          <dt>{t('dossier.code')}</dt>
          <dd className="dossier-code">{d.code}</dd>
        </div>
        <div>
          <dt>{t('dossier.procedure')}</dt>
          <dd lang={t.lang === 'vi' ? undefined : 'vi'}>{d.procedureName ?? d.procedureCode}</dd>
        </div>
        <div>
          <dt>{t('dossier.status')}</dt>
          <dd>{bi(t, d.statusName)}</dd>
        </div>
        <div>
          <dt>{t('pay.amount')}</dt>
          <dd>
            <strong>{amount > 0 ? t.money(amount) : t('fee.free')}</strong>
          </dd>
        </div>
      </dl>

      <ErrorSummary problems={problems} attempt={attempt} />

      {due ? (
        <>
          <section className="panel panel-action" aria-labelledby="pay-online-title">
            <h2 id="pay-online-title">{t('pay.onlineTitle')}</h2>
            <p>{t('pay.onlineText')}</p>
            <p>
              <button type="button" className="button" disabled={busy !== null} onClick={() => void start('online')}>
                {busy === 'online' ? t('pay.starting') : t('pay.start')}
              </button>
            </p>
          </section>
          <section className="panel" aria-labelledby="pay-qr-title">
            <h2 id="pay-qr-title" ref={qrHeading} tabIndex={-1}>
              {t('pay.qrTitle')}
            </h2>
            {!started ? (
              <>
                <p>{t('pay.qrText')}</p>
                <p>
                  <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void start('qr')}>
                    {t('pay.showQr')}
                  </button>
                </p>
              </>
            ) : (
              <div className="qr-block">
                <QrCode svg={started.vietqr.qrSvg} label={t('pay.qrLabel', { amount: t.money(started.amount), ref: started.reference })} />
                <dl className="facts">
                  <div>
                    <dt>{t('pay.bankBin')}</dt>
                    <dd>{started.vietqr.bankBin}</dd>
                  </div>
                  <div>
                    <dt>{t('pay.accountNumber')}</dt>
                    <dd>{started.vietqr.accountNumber}</dd>
                  </div>
                  <div>
                    <dt>{t('pay.accountName')}</dt>
                    <dd>{started.vietqr.accountName}</dd>
                  </div>
                  <div>
                    <dt>{t('pay.amount')}</dt>
                    <dd>{t.money(started.amount)}</dd>
                  </div>
                  <div>
                    <dt>{t('pay.purpose')}</dt>
                    <dd>
                      <strong>{started.vietqr.purpose}</strong>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('pay.expiresAt')}</dt>
                    <dd>{t.dateTime(started.expiresAt)}</dd>
                  </div>
                </dl>
                <p className="hint">{t('pay.qrNote')}</p>
              </div>
            )}
          </section>
        </>
      ) : paid ? (
        <PaymentReceipt reference={paid.reference} />
      ) : (
        <p className="notice">{t('pay.nothingDue')}</p>
      )}

      {list.length > 0 && (
        <section aria-labelledby="pay-history-title">
          <h2 id="pay-history-title">{t('pay.history')}</h2>
          <div className="table-wrap" role="region" aria-label={t('pay.history')} tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t('pay.history')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pay.reference')}</th>
                  <th scope="col">{t('pay.amount')}</th>
                  <th scope="col">{t('pay.createdAt')}</th>
                  <th scope="col">{t('pay.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.reference}>
                    <th scope="row">{p.reference}</th>
                    <td>{t.money(p.amount)}</td>
                    <td>{t.dateTime(p.createdAt)}</td>
                    <td>{bi(t, p.statusName)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
