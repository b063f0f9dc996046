/**
 * The API client: JSON over fetch on the same origin (the session cookie travels by itself), the
 * CSRF token on every unsafe method, and errors turned into an ApiError that carries both
 * languages, so a message can be shown in the language chosen when it is displayed.
 */
import type { Translate } from './i18n/index.js';

export interface FieldProblem {
  field: string;
  message: string;
  messageVi: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageEn: string,
    readonly messageVi: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(messageEn);
    this.name = 'ApiError';
  }
}

/** Not reached the server at all (offline, DNS, refused). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;
/** Set from GET /api/auth/me (or cleared on logout). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

function isErrorBody(x: unknown): x is { error: { code: string; message: string; messageVi: string; fields?: FieldProblem[] } } {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

export interface RequestOptions {
  query?: Query;
  /** A JSON body. */
  body?: unknown;
  /** A multipart body (uploads); the browser sets its Content-Type. */
  form?: FormData;
  /** Extra headers, e.g. Idempotency-Key. */
  headers?: Record<string, string>;
  /** The CSRF token to send instead of the one remembered from the session. */
  csrf?: string | null;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
  const token = opts.csrf !== undefined ? opts.csrf : csrfToken;
  if (unsafe && token) headers['x-csrf-token'] = token;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, headers, credentials: 'same-origin', body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
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
  if (!res.ok) {
    if (isErrorBody(data)) {
      const e = data.error;
      throw new ApiError(res.status, e.code, e.message, e.messageVi ?? e.message, e.fields ?? []);
    }
    // A proxy in front may refuse a large upload with its own page.
    if (res.status === 413) throw new ApiError(413, 'file_too_large', 'The file is too large.', 'Tệp quá lớn.');
    throw new ApiError(res.status, 'http_error', `HTTP ${res.status}`, `Lỗi HTTP ${res.status}`);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** What to tell the person, in the current language, about a failed request. */
export function errorMessages(err: unknown, t: Translate): string[] {
  if (err instanceof ApiError) {
    const main = t.lang === 'vi' ? err.messageVi : err.messageEn;
    const fields = err.fields.map((f) => t('error.fieldPrefix', { field: f.field, message: t.lang === 'vi' ? f.messageVi : f.message }));
    return [main, ...fields];
  }
  if (err instanceof NetworkError) return [t('error.network')];
  return [t('error.unexpected')];
}
