/**
 * Requests that change data from the portal and workspace pages: through the shared client
 * (api.ts), with the CSRF token read afresh (the session may have changed in another tab) and an
 * Idempotency-Key where a retry must not act twice.
 */
import { api, request } from '../../api.js';
import type { Session } from '../../types.js';

/** The session's CSRF token, asked for on each unsafe request (the session may have changed). */
async function csrfToken(): Promise<string | null> {
  try {
    return (await api.get<Session>('/api/auth/me')).csrfToken;
  } catch {
    return null;
  }
}

/** A JSON or multipart request with the session's current CSRF token and an optional Idempotency-Key. */
export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, opts: { json?: unknown; form?: FormData; idempotencyKey?: string } = {}): Promise<T> {
  return request<T>(method, path, {
    body: opts.json,
    form: opts.form,
    headers: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined,
    csrf: await csrfToken(),
  });
}

/** A new key for one submission attempt (reused when the same attempt is retried). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers without randomUUID (served over plain HTTP): random hex from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
