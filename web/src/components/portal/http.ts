/**
 * Requests the shared JSON client (api.ts) does not make: a multipart upload and requests with
 * an Idempotency-Key header. Errors become the same ApiError / NetworkError, so errorMessages()
 * and the field mapping work unchanged.
 */
import { api, ApiError, NetworkError, type FieldProblem } from '../../api.js';
import type { Session } from '../../types.js';

/** The session's CSRF token, asked for on each unsafe request (the session may have changed). */
async function csrfToken(): Promise<string | null> {
  try {
    return (await api.get<Session>('/api/auth/me')).csrfToken;
  } catch {
    return null;
  }
}

function errorFrom(status: number, data: unknown): ApiError {
  if (typeof data === 'object' && data !== null && 'error' in data) {
    const e = (data as { error: { code?: unknown; message?: unknown; messageVi?: unknown; fields?: FieldProblem[] } }).error;
    if (e && typeof e.code === 'string') {
      return new ApiError(status, e.code, String(e.message ?? ''), String(e.messageVi ?? e.message ?? ''), Array.isArray(e.fields) ? e.fields : []);
    }
  }
  if (status === 413) return new ApiError(413, 'file_too_large', 'The file is too large.', 'Tệp quá lớn.');
  return new ApiError(status, 'http_error', `HTTP ${status}`, `Lỗi HTTP ${status}`);
}

export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, opts: { json?: unknown; form?: FormData; idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = await csrfToken();
  if (token) headers['x-csrf-token'] = token;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (err) {
    throw new NetworkError(err);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw errorFrom(res.status, data);
  return data as T;
}

/** A new key for one submission attempt (reused when the same attempt is retried). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older browsers without randomUUID (served over plain HTTP): random hex from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
