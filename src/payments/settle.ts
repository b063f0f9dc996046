/**
 * Settling a payment from a provider's verified event, in ONE transaction: the callback row
 * (unique per provider event id), the payment's new status, and — when paid — its receipt number
 * and the dossier's confirm_payment action (through the dossier write path, by the "system" role,
 * idempotency key "payment:<reference>"). A replayed event changes nothing and answers as the
 * first time; an event about a payment already settled changes nothing either.
 */
import type { Kysely } from 'kysely';
import { localDateOf } from '../core/calendar.js';
import { decide, TransitionError } from '../core/dossier-machine.js';
import type { AppContext } from '../platform/context.js';
import type { DB, PaymentCallbacksTable } from '../platform/db-types.js';
import { rowToState, selectDossier, writeDecisionAtomic, type DossierRow } from '../dossiers/repository.js';
import type { PaymentEvent } from './provider.js';
import { effectiveStatus, type PaymentRow } from './repository.js';

export type CallbackOutcome = PaymentCallbacksTable['outcome'];

export interface SettleResult {
  outcome: CallbackOutcome;
  replayed: boolean;
  /** The dossier code when the payment was found. */
  dossierCode: string | null;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export async function settlePayment(ctx: AppContext, provider: PaymentRow['provider'], event: PaymentEvent, log?: Logger): Promise<SettleResult> {
  const previous = await priorCallback(ctx.db, provider, event.eventId);
  if (previous) return previous;
  try {
    return await ctx.db.transaction().execute(async (trx) => settleIn(trx, ctx, provider, event, log));
  } catch (err) {
    // The same event delivered twice at the same moment: the unique (provider, event_id) let one in.
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'payment_callbacks_event_key') {
      const again = await priorCallback(ctx.db, provider, event.eventId);
      if (again) return again;
    }
    throw err;
  }
}

async function priorCallback(db: Kysely<DB>, provider: string, eventId: string): Promise<SettleResult | null> {
  const row = await db
    .selectFrom('payment_callbacks as c')
    .leftJoin('payments as p', 'p.reference', 'c.reference')
    .leftJoin('dossiers as d', 'd.id', 'p.dossier_id')
    .select(['c.outcome', 'd.code'])
    .where('c.provider', '=', provider)
    .where('c.event_id', '=', eventId)
    .executeTakeFirst();
  return row ? { outcome: row.outcome, replayed: true, dossierCode: row.code ?? null } : null;
}

async function settleIn(trx: Kysely<DB>, ctx: AppContext, provider: PaymentRow['provider'], event: PaymentEvent, log?: Logger): Promise<SettleResult> {
  const now = ctx.now();
  const record = async (outcome: CallbackOutcome, dossierCode: string | null): Promise<SettleResult> => {
    await trx
      .insertInto('payment_callbacks')
      .values({
        provider,
        event_id: event.eventId,
        reference: event.reference,
        payload: JSON.stringify({ ...event, at: event.at.toISOString() }),
        outcome,
        received_at: now,
      })
      .execute();
    return { outcome, replayed: false, dossierCode };
  };

  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('reference', '=', event.reference)
    .where('provider', '=', provider)
    .forUpdate()
    .executeTakeFirst();
  if (!payment) return record('rejected_unknown_payment', null);
  const dossier = await trx.selectFrom('dossiers').select(['id', 'code']).where('id', '=', payment.dossier_id).forUpdate().executeTakeFirstOrThrow();

  if (event.amount !== Number(payment.amount)) return record('rejected_amount', dossier.code);
  const status = effectiveStatus(payment, now);
  if (payment.status !== 'pending') return record('ignored_already_settled', dossier.code);
  if (status === 'expired' || event.outcome === 'expired') {
    // A success reported after the payment window closed does not settle it (a real provider must refund it).
    await trx.updateTable('payments').set({ status: 'expired', provider_txn_id: event.txnId }).where('id', '=', payment.id).execute();
    if (event.outcome === 'paid') log?.warn({ reference: payment.reference, eventId: event.eventId }, 'payment reported paid after it expired; not settled');
    return record('expired', dossier.code);
  }
  if (event.outcome === 'failed') {
    await trx.updateTable('payments').set({ status: 'failed', failed_at: now, provider_txn_id: event.txnId }).where('id', '=', payment.id).execute();
    return record('failed', dossier.code);
  }

  const row = (await selectDossier(trx).where('d.id', '=', dossier.id).executeTakeFirstOrThrow()) as DossierRow;
  const cal = await ctx.calendars.forUnit(row.receiving_unit, trx); // inside the transaction: PGlite has one connection
  const receiptNumber = `BL-${localDateOf(cal, now).slice(0, 4)}-${String(payment.id).padStart(7, '0')}`;
  await trx
    .updateTable('payments')
    .set({ status: 'paid', paid_at: now, provider_txn_id: event.txnId, receipt_number: receiptNumber })
    .where('id', '=', payment.id)
    .execute();
  try {
    const decision = decide(rowToState(row), { type: 'confirm_payment', method: 'online', receiptNumber }, { role: 'system', userId: null, isOwner: false }, now, cal);
    decision.record.payload.paymentReference = payment.reference;
    decision.record.payload.provider = provider;
    const w = await writeDecisionAtomic(trx, row, 'confirm_payment', decision, { userId: null, role: 'system', unit: null }, now, `payment:${payment.reference}`);
    // The dossier row is locked in this transaction, so nobody else can have moved it on.
    if (w.kind === 'conflict') throw new Error(`dossier ${row.code} changed while locked`);
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
    // The money arrived but the dossier is no longer waiting for it (withdrawn, or paid at the desk):
    // the payment and its receipt stand; the desk sorts out a refund.
    log?.warn({ reference: payment.reference, dossier: row.code, status: row.status_code, reason: err.message }, 'online payment settled for a dossier that no longer waits for payment');
  }
  return record('paid', dossier.code);
}
