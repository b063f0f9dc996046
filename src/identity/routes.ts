/** Staff login with a password, logout, and "who am I". Citizens log in through OIDC (oidc.ts). */
import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http.js';
import type { AppContext } from '../platform/context.js';
import { AppError, unauthorized } from '../platform/errors.js';
import { clearRateLimit, rateLimit } from '../platform/rate-limit.js';
import { withErrors } from '../platform/schemas.js';
import type { Actor } from './actor.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { createSession, deleteSession, loadSession, SESSION_COOKIE } from './sessions.js';

export const UserView = Type.Object({
  id: Type.Integer(),
  role: Type.String(),
  fullName: Type.String(),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  idNumber: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
});

export const SessionView = Type.Object({ user: UserView, csrfToken: Type.String() });

export function userView(a: Actor) {
  return {
    id: a.userId,
    role: a.role,
    fullName: a.fullName,
    unitCode: a.unitCode,
    idNumber: a.idNumber,
    phone: a.phone,
    email: a.email,
  };
}

export function sessionCookieOptions(ctx: AppContext, expiresAt: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.cookieSecure,
    expires: expiresAt,
  };
}

export function registerAuthRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập cán bộ bằng mật khẩu / Staff login with a password',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: SessionView, 429: Type.Any() }),
      },
    },
    async (request, reply) => {
      const username = request.body.username.trim().toLowerCase();
      const now = ctx.now();
      // Per account and per address, shared by all instances through the database.
      await rateLimit(ctx.db, `login:user:${username}`, { limit: 10, windowSeconds: 900 }, now);
      await rateLimit(ctx.db, `login:ip:${request.ip}`, { limit: 50, windowSeconds: 900 }, now);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'password_hash', 'active', 'role'])
        .where('username', '=', username)
        .executeTakeFirst();
      const ok = user?.password_hash
        ? await verifyPassword(user.password_hash, request.body.password)
        : (await verifyPassword(await dummyHash(), request.body.password), false);
      if (!user || !ok || !user.active || user.role === 'citizen') {
        throw new AppError(
          401,
          'invalid_credentials',
          'Wrong username or password.',
          'Sai tên đăng nhập hoặc mật khẩu.',
        );
      }
      await clearRateLimit(ctx.db, `login:user:${username}`);
      const s = await createSession(ctx.db, user.id, now, ctx.config.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions(ctx, s.expiresAt));
      const session = await loadSession(ctx.db, s.token, now);
      return { user: userView(session!.actor), csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng xuất / Log out',
        response: withErrors({ 200: Type.Object({ ok: Type.Boolean() }) }),
      },
    },
    async (request, reply) => {
      // Logout takes no body (or an empty object); anything else is named, like any unknown field.
      if (request.body !== undefined && request.body !== null) {
        const keys = typeof request.body === 'object' && !Array.isArray(request.body) ? Object.keys(request.body) : ['body'];
        if (keys.length) {
          throw new AppError(400, 'invalid_input', 'Logout takes no body.', 'Đăng xuất không nhận nội dung.', keys.map((field) => ({ field, message: 'is not a known field', messageVi: 'không phải là trường được chấp nhận' })));
        }
      }
      if (request.sessionToken) await deleteSession(ctx.db, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Người dùng hiện tại / Current user',
        response: withErrors({ 200: SessionView }),
      },
    },
    async (request) => {
      if (!request.actor || !request.csrfToken) throw unauthorized();
      return { user: userView(request.actor), csrfToken: request.csrfToken };
    },
  );
}
