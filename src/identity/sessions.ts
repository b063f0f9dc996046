/**
 * Sessions: a random token in a secure HTTP-only cookie; only its SHA-256 is stored. Each
 * session has a CSRF token that state-changing requests must echo in the `x-csrf-token` header.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db-types.js';
import type { Actor } from './actor.js';

export const SESSION_COOKIE = 'motcua_session';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Kysely<DB>,
  userId: number,
  now: Date,
  ttlHours: number,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db
    .insertInto('sessions')
    .values({ id_hash: sha256(token), user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function loadSession(db: Kysely<DB>, token: string, now: Date): Promise<SessionInfo | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('units as un', 'un.code', 'u.unit_code')
    .select([
      's.csrf_token',
      's.expires_at',
      'u.id',
      'u.role',
      'u.full_name',
      'u.unit_code',
      'un.path',
      'un.kind as unit_kind',
      'un.parent_code as unit_parent',
      'u.id_number',
      'u.phone',
      'u.email',
      'u.active',
    ])
    .where('s.id_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || !row.active || row.expires_at.getTime() <= now.getTime()) return null;
  return {
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    actor: {
      userId: row.id,
      role: row.role,
      fullName: row.full_name,
      unitCode: row.unit_code,
      unitPath: row.path ?? null,
      unitKind: row.unit_kind ?? null,
      unitParent: row.unit_parent ?? null,
      idNumber: row.id_number,
      phone: row.phone,
      email: row.email,
    },
  };
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
}

export async function purgeExpiredSessions(db: Kysely<DB>, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}
