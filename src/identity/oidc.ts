/**
 * Citizen login through OpenID Connect (authorization code + PKCE S256, state, nonce), with the
 * national identity provider (VNeID) in production and the local stand-in (oidc-provider.ts) in
 * development, demo mode and tests.
 *
 *   GET /api/auth/oidc/login?returnTo=/path  -> 302 to the provider's authorization endpoint
 *   GET /api/auth/oidc/callback?code&state    -> session cookie + 302 to returnTo
 *
 * The login in flight (state, nonce, PKCE verifier, returnTo) is kept in the `oidc_logins` table
 * rather than in memory or a cookie, so any server instance can finish it; the callback deletes
 * the row as it reads it (single use) and refuses rows older than ten minutes.
 */
import { Type } from '@sinclair/typebox';
import * as client from 'openid-client';
import type { Config } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import { AppError, badRequest, forbidden } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { ErrorBody, withErrors } from '../platform/schemas.js';
import { sessionCookieOptions } from './routes.js';
import { createSession, SESSION_COOKIE } from './sessions.js';

/** How long a login may stay at the provider before its state is refused. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

/** What motcua asks for: identity, contact details and the CCCD number (custom scope `vneid`). */
export const OIDC_SCOPE = 'openid profile phone email address vneid';

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

export function oidcIssuer(config: Config): string {
  return config.oidc.issuer ?? `http://localhost:${config.oidc.localProviderPort}`;
}

export function oidcRedirectUri(config: Config): string {
  return `${config.publicUrl}${OIDC_CALLBACK_PATH}`;
}

/**
 * A same-site relative path: starts with one '/', not '//' nor '/\' (browsers read both as
 * another host), no control characters, and resolving it cannot leave the site.
 */
export function isSafeReturnTo(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return false;
  try {
    return new URL(value, 'http://motcua.invalid').origin === 'http://motcua.invalid';
  } catch {
    return false;
  }
}

/** Plain http is allowed only for a provider on this machine (the local stand-in). */
function isLocalHttpIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

const unavailable = () =>
  new AppError(
    503,
    'oidc_unavailable',
    'The identity provider (VNeID) cannot be reached right now. Try again in a few minutes.',
    'Hiện không kết nối được cổng định danh (VNeID). Hãy thử lại sau ít phút.',
  );

const stateInvalid = () =>
  badRequest(
    'oidc_state_invalid',
    'This login is unknown or was already used. Start the login again.',
    'Phiên đăng nhập không hợp lệ hoặc đã được sử dụng. Hãy bấm đăng nhập lại.',
  );

const exchangeFailed = () =>
  badRequest(
    'oidc_exchange_failed',
    "The identity provider's answer could not be verified. Start the login again.",
    'Không xác minh được phản hồi của cổng định danh. Hãy bấm đăng nhập lại.',
  );

function providerError(error: string): AppError {
  if (error === 'access_denied') {
    return badRequest(
      'oidc_access_denied',
      'The login was cancelled or refused at the identity provider (VNeID). Log in again to continue.',
      'Đăng nhập đã bị huỷ hoặc bị từ chối tại cổng định danh (VNeID). Hãy đăng nhập lại để tiếp tục.',
    );
  }
  const code = /^[a-z_]{1,64}$/.test(error) ? error : 'unknown';
  return badRequest(
    'oidc_provider_error',
    `The identity provider refused the login (${code}). Start the login again; if it keeps failing, contact the help desk.`,
    `Cổng định danh từ chối đăng nhập (${code}). Hãy đăng nhập lại; nếu vẫn lỗi, hãy liên hệ bộ phận hỗ trợ.`,
  );
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

const LoginQuery = Type.Object({
  returnTo: Type.Optional(
    Type.String({ maxLength: 2000, description: 'Đường dẫn trong hệ thống để quay lại sau khi đăng nhập / Same-site path to return to, e.g. /portal' }),
  ),
});

const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2048 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
});

const Redirect = Type.Null({ description: 'Chuyển hướng (Location) / Redirect (Location header)' });

export function registerOidcRoutes(app: App, ctx: AppContext): void {
  const issuer = oidcIssuer(ctx.config);
  const redirectUri = oidcRedirectUri(ctx.config);

  // Discovered on the first login, not at start, so the app starts while the provider is down;
  // a failure is not cached, so the next login retries.
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= (async () => {
      const url = new URL(issuer);
      return client.discovery(
        url,
        ctx.config.oidc.clientId,
        undefined,
        client.ClientSecretBasic(ctx.config.oidc.clientSecret),
        isLocalHttpIssuer(url) ? { execute: [client.allowInsecureRequests] } : undefined,
      );
    })().catch((err: unknown) => {
      discovered = null;
      throw err;
    });
    return discovered;
  };

  app.get(
    '/api/auth/oidc/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập công dân qua VNeID (OpenID Connect) / Citizen login through VNeID (OpenID Connect)',
        description:
          'Chuyển tới cổng định danh; sau khi đăng nhập, quay về returnTo. / Redirects to the identity provider; after login the browser returns to returnTo.',
        querystring: LoginQuery,
        response: { ...withErrors({ 302: Redirect }), 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const returnTo = request.query.returnTo ?? '/';
      if (!isSafeReturnTo(returnTo)) {
        throw badRequest(
          'invalid_return_to',
          'returnTo must be a path inside this site that starts with "/" (for example /portal).',
          'returnTo phải là đường dẫn trong hệ thống, bắt đầu bằng "/" (ví dụ /portal).',
          [
            {
              field: 'returnTo',
              message: 'must be a same-site path starting with "/"',
              messageVi: 'phải là đường dẫn trong hệ thống, bắt đầu bằng "/"',
            },
          ],
        );
      }
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        request.log.error({ err, issuer }, 'OIDC discovery failed');
        throw unavailable();
      }
      const now = ctx.now();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
      // Logins abandoned at the provider are swept here, so the table stays small.
      await ctx.db
        .deleteFrom('oidc_logins')
        .where('created_at', '<', new Date(now.getTime() - OIDC_LOGIN_TTL_MS))
        .execute();
      await ctx.db
        .insertInto('oidc_logins')
        .values({ state, nonce, code_verifier: codeVerifier, return_to: returnTo, created_at: now })
        .execute();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: OIDC_SCOPE,
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    },
  );

  app.get(
    OIDC_CALLBACK_PATH,
    {
      schema: {
        tags: ['auth'],
        summary: 'Cổng định danh quay về sau đăng nhập / Return from the identity provider',
        description:
          'Kiểm tra state, nonce, PKCE; đổi mã lấy token; tạo hoặc cập nhật tài khoản công dân; đặt cookie phiên và chuyển về returnTo. / Checks state, nonce and PKCE, exchanges the code, creates or updates the citizen account, sets the session cookie and redirects to returnTo.',
        querystring: CallbackQuery,
        response: { ...withErrors({ 302: Redirect }), 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = ctx.now();
      // Read and delete in one statement: a state is good for one callback, on any instance.
      const login = q.state
        ? await ctx.db.deleteFrom('oidc_logins').where('state', '=', q.state).returningAll().executeTakeFirst()
        : undefined;
      if (q.error) throw providerError(q.error);
      if (!login) throw stateInvalid();
      if (now.getTime() - login.created_at.getTime() > OIDC_LOGIN_TTL_MS) {
        throw badRequest(
          'oidc_state_expired',
          'This login took longer than 10 minutes and has expired. Start the login again.',
          'Phiên đăng nhập đã quá 10 phút và hết hạn. Hãy bấm đăng nhập lại.',
        );
      }
      if (!q.code) throw exchangeFailed();

      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        request.log.error({ err, issuer }, 'OIDC discovery failed');
        throw unavailable();
      }
      const currentUrl = new URL(redirectUri);
      currentUrl.search = new URL(request.url, 'http://motcua.invalid').search;

      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          expectedState: login.state,
          expectedNonce: login.nonce,
          pkceCodeVerifier: login.code_verifier,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error('no ID token');
        // Providers may put profile claims in the ID token, in userinfo, or both.
        const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...idClaims, ...userinfo };
      } catch (err) {
        request.log.warn({ err }, 'OIDC code exchange failed');
        // The provider may have rotated its keys (the local one does on every start): rediscover next time.
        discovered = null;
        throw exchangeFailed();
      }

      const sub = text(claims.sub);
      if (!sub) throw exchangeFailed();
      const fullName =
        text(claims.name) ??
        ([text(claims.family_name), text(claims.given_name)].filter(Boolean).join(' ') || 'Công dân / Citizen');
      const user = await ctx.db
        .insertInto('users')
        .values({
          role: 'citizen',
          full_name: fullName,
          id_number: text(claims.id_number),
          phone: text(claims.phone_number),
          email: text(claims.email),
          address: addressOf(claims.address),
          oidc_sub: sub,
        })
        .onConflict((oc) =>
          oc
            .column('oidc_sub')
            .doUpdateSet((eb) => ({
              full_name: eb.ref('excluded.full_name'),
              // A claim the provider did not send this time keeps the value we already have.
              id_number: eb.fn.coalesce('excluded.id_number', 'users.id_number'),
              phone: eb.fn.coalesce('excluded.phone', 'users.phone'),
              email: eb.fn.coalesce('excluded.email', 'users.email'),
              address: eb.fn.coalesce('excluded.address', 'users.address'),
            }))
            // Only citizen accounts log in this way; a staff account linked to this identity is left alone.
            .where('users.role', '=', 'citizen'),
        )
        .returning(['id', 'active'])
        .executeTakeFirst();
      if (!user) {
        throw forbidden(
          'This identity belongs to an official account; officials log in with their username and password.',
          'Danh tính này gắn với tài khoản cán bộ; cán bộ đăng nhập bằng tên đăng nhập và mật khẩu.',
        );
      }
      if (!user.active) {
        throw forbidden(
          'This account has been locked. Contact the help desk.',
          'Tài khoản này đã bị khoá. Hãy liên hệ bộ phận hỗ trợ.',
        );
      }

      const session = await createSession(ctx.db, user.id, now, ctx.config.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(ctx, session.expiresAt));
      return reply.header('cache-control', 'no-store').redirect(login.return_to, 302);
    },
  );
}

/** The OIDC address claim (an object with `formatted`, or the parts), as one line of at most 500 characters. */
function addressOf(claim: unknown): string | null {
  if (!claim || typeof claim !== 'object') return null;
  const a = claim as Record<string, unknown>;
  const formatted = text(a.formatted) ?? [a.street_address, a.locality, a.region].map(text).filter(Boolean).join(', ');
  return formatted ? formatted.slice(0, 500) : null;
}
