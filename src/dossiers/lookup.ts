/**
 * Looking a dossier up without logging in: its code plus the applicant's phone number or ID
 * number. A wrong code, a wrong phone/ID, or both give the same 404 body after the same work
 * (two rate-limit checks, one indexed read by code, two constant-time comparisons against real
 * or dummy values), so a mismatch reveals nothing, not even whether the code exists. Limited per
 * client address and per dossier code in the database (shared by all server instances).
 * The answer is the public timeline: no applicant name, phone, ID, email or address.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { rateLimit, type RateRule } from '../platform/rate-limit.js';
import { timelineView, type TimelineView } from './timeline.js';

export const LOOKUP_LIMITS = {
  perClient: { limit: 10, windowSeconds: 60 } satisfies RateRule,
  perCode: { limit: 20, windowSeconds: 3600 } satisfies RateRule,
};

export class LookupRateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'rate_limited',
      `Too many lookups; try again in ${retryAfterSeconds} seconds.`,
      `Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau ${retryAfterSeconds} giây.`,
    );
  }
}

export const noMatch = () =>
  new AppError(404, 'lookup_no_match', 'No dossier matches what you entered.', 'Không tìm thấy hồ sơ khớp với thông tin đã nhập.');

/** Vietnamese phone numbers as stored or typed: spaces, dots, dashes and brackets dropped; +84 / 84 → 0. */
export function normalizePhone(s: string): string {
  let v = s.replace(/[\s.\-()]/g, '');
  if (v.startsWith('+84')) v = '0' + v.slice(3);
  else if (v.startsWith('0084')) v = '0' + v.slice(4);
  else if (/^84\d{9}$/.test(v)) v = '0' + v.slice(2);
  return v;
}

/** ID numbers (CCCD 12 digits, older CMND, passports): spaces dropped, capitals. */
export function normalizeIdNumber(s: string): string {
  return s.replace(/\s/g, '').toUpperCase();
}

const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

/** Constant-time equality of two strings (compared as SHA-256 digests, so lengths do not leak). */
function sameSecret(given: string, stored: string | null): boolean {
  const ok = crypto.timingSafeEqual(digest(given), digest(stored ?? '\u0000no-value'));
  return ok && stored !== null && given.length >= 6;
}

/** Throws 429 with the seconds until the oldest hit in the window expires. */
async function limit(ctx: AppContext, bucket: string, rule: RateRule, now: Date): Promise<void> {
  try {
    await rateLimit(ctx.db, bucket, rule, now);
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 429) throw err;
    const since = new Date(now.getTime() - rule.windowSeconds * 1000);
    const oldest = await ctx.db
      .selectFrom('rate_limit_hits')
      .select(sql<Date | null>`min(at)`.as('at'))
      .where('bucket', '=', bucket)
      .where('at', '>', since)
      .executeTakeFirst();
    const until = oldest?.at ? new Date(oldest.at).getTime() + rule.windowSeconds * 1000 : now.getTime() + rule.windowSeconds * 1000;
    throw new LookupRateLimited(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
}

export async function lookupDossier(ctx: AppContext, input: { code: string; phoneOrIdNumber: string }, clientAddress: string): Promise<TimelineView> {
  const now = ctx.now();
  const code = input.code.trim().toUpperCase();
  await limit(ctx, `lookup:ip:${clientAddress}`, LOOKUP_LIMITS.perClient, now);
  await limit(ctx, `lookup:code:${code}`, LOOKUP_LIMITS.perCode, now);

  // One read through the unique index on code (dossiers_code_key), found or not.
  const row = await ctx.db
    .selectFrom('dossiers')
    .select([
      'id',
      'code',
      'procedure_code',
      'case_code',
      'channel',
      'status_code',
      'receiving_unit',
      'submitted_at',
      'received_at',
      'appointment_at',
      'legal_appointment_at',
      'paused_at',
      'finished_at',
      'timeliness',
      'applicant_phone',
      'applicant_id_number',
    ])
    .where('code', '=', code)
    .executeTakeFirst();

  // Both comparisons always run, against dummy values when the code is unknown.
  const phoneMatch = sameSecret(normalizePhone(input.phoneOrIdNumber), row?.applicant_phone ? normalizePhone(row.applicant_phone) : null);
  const idMatch = sameSecret(normalizeIdNumber(input.phoneOrIdNumber), row?.applicant_id_number ? normalizeIdNumber(row.applicant_id_number) : null);
  if (!row || !(phoneMatch || idMatch)) throw noMatch();
  return timelineView(ctx, row, { forAnonymous: true });
}
