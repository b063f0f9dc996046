/** Storage of payments: the row as read, and its status as it stands now (a stale pending one is expired). */
import type { Selectable } from 'kysely';
import type { PaymentsTable } from '../platform/db-types.js';

export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentStatus = PaymentRow['status'];

/** Minutes a started payment stays open before it counts as expired. */
export const PAYMENT_TTL_MINUTES = 15;

/** A pending payment past its expiry counts as expired, whether or not the row says so yet. */
export function effectiveStatus(p: Pick<PaymentRow, 'status' | 'expires_at'>, now: Date): PaymentStatus {
  return p.status === 'pending' && now.getTime() >= p.expires_at.getTime() ? 'expired' : p.status;
}

export const PAYMENT_STATUS_NAMES: Record<PaymentStatus, { vi: string; en: string }> = {
  pending: { vi: 'Đang chờ thanh toán', en: 'Waiting for payment' },
  paid: { vi: 'Đã thanh toán', en: 'Paid' },
  failed: { vi: 'Thanh toán không thành công', en: 'Payment failed' },
  expired: { vi: 'Hết thời gian thanh toán', en: 'Payment timed out' },
};

export function paymentView(p: PaymentRow, dossierCode: string, now: Date) {
  const status = effectiveStatus(p, now);
  return {
    reference: p.reference,
    dossierCode,
    amount: Number(p.amount),
    currency: p.currency,
    provider: p.provider,
    method: p.method,
    status,
    statusName: PAYMENT_STATUS_NAMES[status],
    createdAt: p.created_at.toISOString(),
    expiresAt: p.expires_at.toISOString(),
    paidAt: p.paid_at?.toISOString() ?? null,
    failedAt: p.failed_at?.toISOString() ?? null,
    receiptNumber: p.receipt_number,
  };
}
