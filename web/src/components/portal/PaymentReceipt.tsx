/** The receipt of a completed payment (biên lai thu phí, lệ phí). */
import { ErrorBox, Loading } from '../ErrorBox.js';
import { useT } from '../../i18n/index.js';
import { useApi } from '../../useApi.js';
import { bi } from './forms.js';
import type { PaymentReceipt as Data } from './types.js';

export function PaymentReceipt({ reference }: { reference: string }) {
  const t = useT();
  const r = useApi<Data>(`/api/payments/${encodeURIComponent(reference)}/receipt`);
  if (r.error !== undefined) return <ErrorBox error={r.error} onRetry={r.reload} />;
  if (!r.data) return <Loading />;
  const d = r.data;
  return (
    <section className="receipt" aria-labelledby="pay-receipt-title">
      <h2 id="pay-receipt-title">{t('pay.receiptTitle')}</h2>
      {d.simulated && <p className="notice notice-warning">{t('pay.simulated')}</p>}
      <dl className="facts">
        <div>
          <dt>{t('pay.receiptNumber')}</dt>
          <dd>{d.receiptNumber}</dd>
        </div>
        <div>
          <dt>{t('pay.reference')}</dt>
          <dd>{d.reference}</dd>
        </div>
        <div>
          <dt>{t('dossier.code')}</dt>
          <dd>{d.dossierCode}</dd>
        </div>
        <div>
          <dt>{t('dossier.procedure')}</dt>
          <dd lang={t.lang === 'vi' ? undefined : 'vi'}>{d.procedure.name}</dd>
        </div>
        <div>
          <dt>{t('pay.unit')}</dt>
          <dd lang={t.lang === 'vi' ? undefined : 'vi'}>{d.unit.name}</dd>
        </div>
        <div>
          <dt>{t('pay.payer')}</dt>
          <dd>{d.payer.name}</dd>
        </div>
        <div>
          <dt>{t('pay.amount')}</dt>
          <dd>
            <strong>{t.money(d.amount)}</strong>
            <br />
            <span lang="vi">{d.amountInWords}</span>
          </dd>
        </div>
        <div>
          <dt>{t('pay.paidAt')}</dt>
          <dd>{t.dateTime(d.paidAt)}</dd>
        </div>
        <div>
          <dt>{t('pay.method')}</dt>
          <dd>{bi(t, d.methodName)}</dd>
        </div>
        {d.providerTxnId && (
          <div>
            <dt>{t('pay.txn')}</dt>
            <dd>{d.providerTxnId}</dd>
          </div>
        )}
      </dl>
      <p className="no-print">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('pay.print')}
        </button>
      </p>
    </section>
  );
}
