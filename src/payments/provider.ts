/**
 * What motcua needs from a payment provider (a bank gateway, a national payment platform, or the
 * built-in local stand-in): start a payment and tell the payer where to go, and turn a callback
 * request into a verified, typed event. Settling the payment from that event is ours (settle.ts).
 */
import crypto from 'node:crypto';

export type PaymentOutcome = 'paid' | 'failed' | 'expired';
export const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = ['paid', 'failed', 'expired'];

/** A provider's report about one payment, after its signature was verified. */
export interface PaymentEvent {
  /** The provider's id of this event: a repeat of the same id is a replay. */
  eventId: string;
  reference: string;
  outcome: PaymentOutcome;
  amount: number;
  /** The provider's transaction id (for reconciliation). */
  txnId: string | null;
  /** When the provider says it happened. */
  at: Date;
}

export interface PaymentToStart {
  reference: string;
  amount: number;
  purpose: string;
  expiresAt: Date;
}

export type StartInstructions = { kind: 'redirect'; url: string };

export type VerifyResult = { ok: true; event: PaymentEvent } | { ok: false; reason: 'signature' | 'stale' | 'malformed'; detail: string };

export interface PaymentProvider {
  /** Name stored in payments.provider and in the callback path /api/payments/callback/<name>. */
  readonly name: 'local';
  start(payment: PaymentToStart): StartInstructions;
  /** Verifies the callback's signature over the raw body and parses it into an event. */
  verifyCallback(rawBody: string, headers: Record<string, string | string[] | undefined>, now: Date): VerifyResult;
}

/** Signatures older or newer than this are refused (a captured callback cannot be replayed later). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const SIGNATURE_HEADER = 'x-motcua-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` */
export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Checks a signature header against the raw body; the timestamp must be within the tolerance of now. */
export function checkSignature(secret: string, body: string, header: string | undefined, now: Date): { ok: true } | { ok: false; reason: 'signature' | 'stale'; detail: string } {
  if (!header) return { ok: false, reason: 'signature', detail: 'missing signature header' };
  const parts = new Map<string, string>();
  for (const item of header.split(',')) {
    const i = item.indexOf('=');
    if (i > 0) parts.set(item.slice(0, i).trim(), item.slice(i + 1).trim());
  }
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'signature', detail: 'malformed signature header' };
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest();
  if (!crypto.timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, reason: 'signature', detail: 'signature does not match' };
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'stale', detail: `signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now` };
  }
  return { ok: true };
}

/** Reads the event fields from a parsed JSON body; null when something is missing or of the wrong type. */
export function parseEvent(x: unknown): PaymentEvent | null {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  const str = (v: unknown, max: number) => typeof v === 'string' && v.length >= 1 && v.length <= max;
  if (!str(o.eventId, 100) || !str(o.reference, 40)) return null;
  if (typeof o.outcome !== 'string' || !(PAYMENT_OUTCOMES as readonly string[]).includes(o.outcome)) return null;
  if (typeof o.amount !== 'number' || !Number.isSafeInteger(o.amount) || o.amount < 0) return null;
  if (o.txnId !== undefined && o.txnId !== null && !str(o.txnId, 100)) return null;
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) return null;
  return {
    eventId: o.eventId as string,
    reference: o.reference as string,
    outcome: o.outcome as PaymentOutcome,
    amount: o.amount,
    txnId: (o.txnId as string | null | undefined) ?? null,
    at: new Date(o.at),
  };
}
