/**
 * Reading payments: a dossier's payments, one payment, its receipt (JSON; a PDF is built from the
 * same data elsewhere), and the online-payment facts index group 4 counts (domain.md §5).
 */
import { sql, type Kysely } from 'kysely';
import { amountInWordsVi } from '../core/money-words.js';
import { isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { conflict, notFound } from '../platform/errors.js';
import { canSee } from '../dossiers/act.js';
import { selectScopedDossier, type ScopedDossierRow } from '../dossiers/repository.js';
import { effectiveStatus, paymentView } from './repository.js';

export async function listDossierPayments(ctx: AppContext, actor: Actor, code: string) {
  const dossier = await visibleDossier(ctx, actor, code);
  const rows = await ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('dossier_id', '=', dossier.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const now = ctx.now();
  return { dossierCode: dossier.code, feeAmount: dossier.fee_amount === null ? null : Number(dossier.fee_amount), items: rows.map((p) => paymentView(p, dossier.code, now)) };
}

async function visibleDossier(ctx: AppContext, actor: Actor, code: string): Promise<ScopedDossierRow> {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

/** A payment and its dossier, when the actor may see the dossier (else 404, revealing nothing). */
async function visiblePayment(ctx: AppContext, actor: Actor, reference: string) {
  const p = await ctx.db.selectFrom('payments').selectAll().where('reference', '=', reference).executeTakeFirst();
  if (!p) throw notFound('Payment', 'khoản thanh toán', reference);
  const dossier = (await selectScopedDossier(ctx.db).where('d.id', '=', p.dossier_id).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!dossier || !canSee(actor, dossier)) throw notFound('Payment', 'khoản thanh toán', reference);
  return { p, dossier };
}

export async function getPayment(ctx: AppContext, actor: Actor, reference: string) {
  const { p, dossier } = await visiblePayment(ctx, actor, reference);
  return paymentView(p, dossier.code, ctx.now());
}

export const METHOD_NAMES = {
  online: { vi: 'Thanh toán trực tuyến', en: 'Paid online' },
  bank_transfer: { vi: 'Chuyển khoản ngân hàng', en: 'Bank transfer' },
} as const;

export async function paymentReceipt(ctx: AppContext, actor: Actor, reference: string) {
  const { p, dossier } = await visiblePayment(ctx, actor, reference);
  if (effectiveStatus(p, ctx.now()) !== 'paid' || !p.receipt_number || !p.paid_at) {
    throw conflict('not_paid', 'This payment has not been completed, so there is no receipt.', 'Khoản thanh toán này chưa hoàn tất nên chưa có biên lai.');
  }
  const unit = await ctx.db.selectFrom('units').select(['code', 'name']).where('code', '=', dossier.receiving_unit).executeTakeFirst();
  const amount = Number(p.amount);
  return {
    receiptNumber: p.receipt_number,
    reference: p.reference,
    dossierCode: dossier.code,
    procedure: { code: dossier.procedure_code, name: dossier.procedure_name },
    unit: { code: dossier.receiving_unit, name: unit?.name ?? dossier.receiving_unit },
    payer: { name: dossier.applicant_name, idNumber: dossier.applicant_id_number },
    amount,
    currency: p.currency,
    amountInWords: amountInWordsVi(amount),
    paidAt: p.paid_at.toISOString(),
    method: p.method,
    methodName: METHOD_NAMES[p.method],
    provider: p.provider,
    providerTxnId: isStaff(actor) ? p.provider_txn_id : null,
    simulated: p.provider === 'local',
  };
}

/**
 * Inputs of index group 4 for dossiers received in [from, to) by the given units:
 * A = dossiersPaidOnline ÷ dossiersWithFee; B = proceduresWithOnlinePayment ÷ proceduresWithFee.
 * A dossier "has a fee" when a fee amount was set on it; it is "paid online" when a payment
 * through a provider (method online) settled it.
 */
export async function onlinePaymentFacts(db: Kysely<DB>, q: { units: string[]; from: Date; to: Date }) {
  if (q.units.length === 0) return { dossiersWithFee: 0, dossiersPaidOnline: 0, proceduresWithFee: 0, proceduresWithOnlinePayment: 0 };
  const r = await db
    .selectFrom('dossiers as d')
    .leftJoin(
      (eb) => eb.selectFrom('payments').select('dossier_id').distinct().where('status', '=', 'paid').where('method', '=', 'online').as('op'),
      (join) => join.onRef('op.dossier_id', '=', 'd.id'),
    )
    .select([
      sql<number>`count(*)`.as('with_fee'),
      sql<number>`count(op.dossier_id)`.as('paid_online'),
      sql<number>`count(distinct d.procedure_code)`.as('procedures_with_fee'),
      sql<number>`count(distinct d.procedure_code) filter (where op.dossier_id is not null)`.as('procedures_paid_online'),
    ])
    .where('d.receiving_unit', 'in', q.units)
    .where('d.received_at', '>=', q.from)
    .where('d.received_at', '<', q.to)
    .where('d.fee_amount', '>', 0)
    .executeTakeFirstOrThrow();
  return {
    dossiersWithFee: Number(r.with_fee),
    dossiersPaidOnline: Number(r.paid_online),
    proceduresWithFee: Number(r.procedures_with_fee),
    proceduresWithOnlinePayment: Number(r.procedures_paid_online),
  };
}
