/**
 * Starting an online payment of a dossier's fee, by the applicant who owns the dossier, while the
 * desk has asked for the fee (status 6, "payment requested", with the amount set by
 * request_payment). One payment is in flight at a time: asking again returns the pending one;
 * once it expired, failed or timed out a new one is made.
 */
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { Status } from '../core/dossier-machine.js';
import { buildVietQr } from '../core/vietqr.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import { canSee } from '../dossiers/act.js';
import { selectScopedDossier, type ScopedDossierRow } from '../dossiers/repository.js';
import { localProvider } from './local-provider.js';
import { effectiveStatus, PAYMENT_TTL_MINUTES, paymentView, type PaymentRow } from './repository.js';

/** Crockford base32 without look-alikes: easy to read aloud and to type into a bank app. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newPaymentReference(): string {
  let s = 'TT';
  for (let i = 0; i < 12; i++) s += REFERENCE_ALPHABET[crypto.randomInt(REFERENCE_ALPHABET.length)];
  return s;
}

export async function loadOwnDossier(ctx: AppContext, actor: Actor, code: string): Promise<ScopedDossierRow> {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

export interface StartedPayment {
  created: boolean;
  view: ReturnType<typeof paymentView> & {
    payUrl: string;
    vietqr: { payload: string; qrSvg: string; bankBin: string; accountNumber: string; accountName: string; purpose: string };
  };
}

export async function startPayment(ctx: AppContext, actor: Actor, dossierCode: string): Promise<StartedPayment> {
  const dossier = await loadOwnDossier(ctx, actor, dossierCode);
  if (actor.role !== 'citizen' || dossier.owner_id !== actor.userId) {
    throw forbidden('Only the applicant who owns the dossier pays online.', 'Chỉ người nộp hồ sơ mới thanh toán trực tuyến cho hồ sơ này.');
  }
  const fee = dossier.fee_amount === null ? 0 : Number(dossier.fee_amount);
  if (dossier.status_code !== Status.PaymentRequested || fee <= 0) {
    throw conflict(
      'no_fee_due',
      'There is no fee to pay for this dossier now: the desk has not asked for payment, or it has been paid.',
      'Hiện hồ sơ không có khoản phí, lệ phí nào cần nộp: bộ phận một cửa chưa yêu cầu nộp hoặc đã nộp xong.',
    );
  }
  const provider = await localProvider(ctx);

  for (let attempt = 0; attempt < 3; attempt++) {
    const now = ctx.now();
    const pending = await ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('dossier_id', '=', dossier.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending && effectiveStatus(pending, now) === 'pending' && Number(pending.amount) === fee) {
      return { created: false, view: await withInstructions(ctx, provider.start(toStart(pending)).url, pending, dossier.code, now) };
    }
    try {
      const created = await ctx.db.transaction().execute(async (trx) => {
        if (pending) {
          // Timed out, or the desk changed the amount since: that attempt is over.
          await trx
            .updateTable('payments')
            .set({ status: 'expired' })
            .where('id', '=', pending.id)
            .where('status', '=', 'pending')
            .execute();
        }
        const reference = newPaymentReference();
        return trx
          .insertInto('payments')
          .values({
            reference,
            dossier_id: dossier.id,
            amount: fee,
            purpose: reference,
            provider: 'local',
            method: 'online',
            created_by: actor.userId,
            created_at: now,
            expires_at: new Date(now.getTime() + PAYMENT_TTL_MINUTES * 60_000),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return { created: true, view: await withInstructions(ctx, provider.start(toStart(created)).url, created, dossier.code, now) };
    } catch (err) {
      // Two starts at the same moment: the unique pending index lets one in; take that one.
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'payments_one_pending_idx') continue;
      throw err;
    }
  }
  throw new AppError(409, 'concurrent_update', 'The payment was being started by another request; please try again.', 'Thanh toán đang được khởi tạo bởi một yêu cầu khác; vui lòng thử lại.');
}

const toStart = (p: PaymentRow) => ({ reference: p.reference, amount: Number(p.amount), purpose: p.purpose, expiresAt: p.expires_at });

async function withInstructions(ctx: AppContext, payUrl: string, p: PaymentRow, dossierCode: string, now: Date): Promise<StartedPayment['view']> {
  const { bankBin, accountNumber, accountName } = ctx.config.payment.vietqr;
  const payload = buildVietQr({ bankBin, accountNumber, amount: Number(p.amount), purpose: p.purpose });
  const qrSvg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { ...paymentView(p, dossierCode, now), payUrl, vietqr: { payload, qrSvg, bankBin, accountNumber, accountName, purpose: p.purpose } };
}
