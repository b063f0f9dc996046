/**
 * The built-in local payment provider: a stand-in for a real gateway in demos and tests. Its
 * "payment page" (local-page.ts) lets the payer choose pay / fail / time out; the choice becomes
 * an event signed exactly as a real provider's callback would be, and goes through the same
 * verification and settlement. No money moves (mô phỏng / simulated).
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { checkSignature, parseEvent, signBody, SIGNATURE_HEADER, type PaymentEvent, type PaymentOutcome, type PaymentProvider, type PaymentToStart, type StartInstructions, type VerifyResult } from './provider.js';

export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(private readonly secret: string) {}

  start(payment: PaymentToStart): StartInstructions {
    return { kind: 'redirect', url: `/api/payments/local/${encodeURIComponent(payment.reference)}` };
  }

  verifyCallback(rawBody: string, headers: Record<string, string | string[] | undefined>, now: Date): VerifyResult {
    const h = headers[SIGNATURE_HEADER];
    const sig = checkSignature(this.secret, rawBody, Array.isArray(h) ? h[0] : h, now);
    if (!sig.ok) return sig;
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return { ok: false, reason: 'malformed', detail: 'body is not JSON' };
    }
    const event = parseEvent(parsed);
    return event ? { ok: true, event } : { ok: false, reason: 'malformed', detail: 'body is not a payment event' };
  }

  /** The event the provider sends when the payer chose `outcome` on its page, with its signed body. */
  simulate(input: { reference: string; amount: number; outcome: PaymentOutcome }, at: Date): { event: PaymentEvent; body: string; signature: string } {
    const event: PaymentEvent = {
      eventId: `evt_${crypto.randomBytes(12).toString('hex')}`,
      reference: input.reference,
      outcome: input.outcome,
      amount: input.amount,
      txnId: input.outcome === 'paid' ? `LOCAL-${crypto.randomBytes(6).toString('hex').toUpperCase()}` : null,
      at,
    };
    const body = JSON.stringify({ ...event, at: at.toISOString() });
    return { event, body, signature: signBody(this.secret, body, at) };
  }

  /** Token in the payment page's form: proves the form was served by us for this reference. */
  formToken(reference: string): string {
    return crypto.createHmac('sha256', this.secret).update(`local-form:${reference}`).digest('hex');
  }

  checkFormToken(reference: string, token: string): boolean {
    const expected = Buffer.from(this.formToken(reference));
    const given = Buffer.from(token);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }
}

export const CALLBACK_SECRET_SETTING = 'payment.local.callback_secret';

/**
 * The callback secret: PAYMENT_CALLBACK_SECRET when set; otherwise one generated at first use and
 * kept in `settings`, so every server instance on the same database agrees on it.
 */
export async function callbackSecret(ctx: Pick<AppContext, 'config' | 'db'>): Promise<string> {
  if (ctx.config.payment.callbackSecret) return ctx.config.payment.callbackSecret;
  return storedSecret(ctx.db);
}

async function storedSecret(db: Kysely<DB>): Promise<string> {
  const read = async () => (await db.selectFrom('settings').select('value').where('key', '=', CALLBACK_SECRET_SETTING).executeTakeFirst())?.value;
  const existing = await read();
  if (typeof existing === 'string' && existing.length >= 32) return existing;
  await db
    .insertInto('settings')
    .values({ key: CALLBACK_SECRET_SETTING, value: JSON.stringify(crypto.randomBytes(32).toString('hex')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const v = await read();
  if (typeof v !== 'string') throw new Error('payment callback secret could not be stored');
  return v;
}

export async function localProvider(ctx: Pick<AppContext, 'config' | 'db'>): Promise<LocalPaymentProvider> {
  return new LocalPaymentProvider(await callbackSecret(ctx));
}
