/**
 * Sliding-window rate limits stored in the database, so every server instance sees the same
 * counts (an in-memory counter would let an attacker spread attempts over instances).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './db-types.js';
import { AppError } from './errors.js';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** Records one hit in `bucket`; throws 429 when the window already holds `limit` hits. */
export async function rateLimit(db: Kysely<DB>, bucket: string, rule: RateRule, now: Date): Promise<void> {
  const since = new Date(now.getTime() - rule.windowSeconds * 1000);
  const row = await db
    .selectFrom('rate_limit_hits')
    .select(sql<number>`count(*)`.as('n'))
    .where('bucket', '=', bucket)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= rule.limit) {
    throw new AppError(
      429,
      'rate_limited',
      `Too many attempts; try again in ${Math.ceil(rule.windowSeconds / 60)} minutes.`,
      `Quá nhiều lần thử; vui lòng thử lại sau ${Math.ceil(rule.windowSeconds / 60)} phút.`,
    );
  }
  await db.insertInto('rate_limit_hits').values({ bucket, at: now }).execute();
  // Opportunistic clean-up of old hits (cheap: index on (bucket, at)).
  if (Math.random() < 0.01) {
    await db.deleteFrom('rate_limit_hits').where('at', '<', new Date(now.getTime() - 24 * 3600 * 1000)).execute();
  }
}

export async function clearRateLimit(db: Kysely<DB>, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', '=', bucket).execute();
}
