/**
 * Resolves the session cookie into `request.actor` and enforces CSRF on state-changing requests
 * made with a session: the `x-csrf-token` header must equal the session's token.
 */
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http.js';
import type { AppContext } from '../platform/context.js';
import { AppError, forbidden, unauthorized } from '../platform/errors.js';
import { isStaff, type Actor, type Role } from './actor.js';
import { loadSession, SESSION_COOKIE } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /**
     * The route ignores sessions: no actor and no CSRF check. For requests that do not come from
     * our own pages' scripts (a payment provider's signed callback, the stand-in provider's plain
     * HTML form); such a route must authenticate the request by its own means (a signature).
     */
    sessionless?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(app: App, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.sessionless === true) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token || token.length > 200) return;
    const session = await loadSession(ctx.db, token, ctx.now());
    if (!session) return;
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const given = Array.isArray(header) ? header[0] : header;
      if (!given || !timingSafeEqual(given, session.csrfToken)) {
        throw new AppError(
          403,
          'csrf_failed',
          'Missing or wrong CSRF token (x-csrf-token header); reload the page and try again.',
          'Thiếu hoặc sai mã chống giả mạo (x-csrf-token); hãy tải lại trang và thử lại.',
        );
      }
    }
    request.actor = session.actor;
    request.csrfToken = session.csrfToken;
    request.sessionToken = token;
  });
}

function timingSafeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && crypto.timingSafeEqual(ba, bb);
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

export function requireStaff(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!isStaff(actor)) {
    throw forbidden('This is for officials only.', 'Chức năng này chỉ dành cho cán bộ.');
  }
  return actor;
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): Actor {
  const actor = requireActor(request);
  if (!roles.includes(actor.role)) throw forbidden();
  return actor;
}
