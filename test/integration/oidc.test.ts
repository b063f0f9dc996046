/**
 * Citizen login through OpenID Connect, end to end and for real: the local oidc-provider stands in
 * for VNeID on a free port, the browser is played by `fetch` (manual redirects, our own cookie
 * jar), and the app is driven with `app.inject`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestEnv, describeEachDatabase, type TestEnv } from '../helpers/harness.js';
import type { App } from '../../src/platform/http.js';
import { startLocalOidcProvider, type LocalOidcProvider } from '../../src/identity/oidc-provider.js';
import { DEMO_CITIZENS, DEMO_CITIZEN_PASSWORD } from '../../src/identity/demo-citizens.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const CLIENT_ID = 'motcua-test';
const CLIENT_SECRET = 'motcua-test-secret-0123456789';
const providerPort = await freePort();
const publicPort = await freePort();
const PUBLIC_URL = `http://localhost:${publicPort}`;
const ISSUER = `http://localhost:${providerPort}`;
const OIDC_ENV = {
  OIDC_ISSUER: ISSUER,
  OIDC_CLIENT_ID: CLIENT_ID,
  OIDC_CLIENT_SECRET: CLIENT_SECRET,
  PUBLIC_URL,
};

function startProvider(port: number): Promise<LocalOidcProvider> {
  return startLocalOidcProvider({
    port,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${PUBLIC_URL}/api/auth/oidc/callback`],
    postLogoutRedirectUris: [`${PUBLIC_URL}/`],
  });
}

let provider: LocalOidcProvider | null = null;
before(async () => {
  provider = await startProvider(providerPort);
  assert.equal(provider.issuer, ISSUER);
});
after(async () => {
  await provider?.close();
});

// ---- A small browser: cookies by name and path, redirects followed by hand ----------------------

class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'path') path = v.trim() || '/';
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
        if (key === 'max-age' && Number(v) <= 0) expired = true;
      }
      const id = `${name}|${path}`;
      if (expired) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => c.path === '/' || url.pathname === c.path || url.pathname.startsWith(`${c.path.replace(/\/$/, '')}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

type Step = { kind: 'callback'; path: string } | { kind: 'page'; url: URL; status: number; html: string };

/** Requests `url` and follows redirects until a page is shown or the browser is sent back to the app. */
async function browse(jar: CookieJar, url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Step> {
  let current = new URL(url);
  let method = init.method ?? 'GET';
  let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
  for (let hop = 0; hop < 12; hop++) {
    if (current.href.startsWith(`${PUBLIC_URL}/`)) return { kind: 'callback', path: current.pathname + current.search };
    const headers: Record<string, string> = { cookie: jar.header(current) };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(current, { method, headers, body, redirect: 'manual' });
    jar.store(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      current = new URL(location, current);
      method = 'GET';
      body = undefined;
      continue;
    }
    return { kind: 'page', url: current, status: res.status, html: await res.text() };
  }
  throw new Error(`too many redirects from ${url}`);
}

function formAction(page: Step, suffix: 'login' | 'abort'): string {
  assert.equal(page.kind, 'page');
  const m = new RegExp(`action="(/interaction/[A-Za-z0-9_-]+/${suffix})"`).exec(page.html);
  assert.ok(m?.[1], `no ${suffix} form on the provider page`);
  return new URL(m[1], page.url).href;
}

const citizen = DEMO_CITIZENS[0]!;
const other = DEMO_CITIZENS[2]!;

/** App login -> provider login page. */
async function startLogin(app: App, returnTo = '/portal/ho-so'): Promise<{ jar: CookieJar; page: Step }> {
  const res = await app.inject({ method: 'GET', url: `/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}` });
  assert.equal(res.statusCode, 302, res.body);
  const location = String(res.headers.location);
  assert.ok(location.startsWith(`${ISSUER}/auth?`), location);
  const auth = new URL(location);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(auth.searchParams.get('code_challenge'));
  assert.ok(auth.searchParams.get('state'));
  assert.ok(auth.searchParams.get('nonce'));
  assert.equal(auth.searchParams.get('redirect_uri'), `${PUBLIC_URL}/api/auth/oidc/callback`);
  const jar = new CookieJar();
  const page = await browse(jar, location);
  assert.equal(page.kind, 'page');
  assert.equal(page.status, 200);
  return { jar, page };
}

/** The whole trip through the provider; returns the callback path (with query) the browser is sent to. */
async function loginAtProvider(app: App, who = citizen, returnTo?: string): Promise<string> {
  const { jar, page } = await startLogin(app, returnTo);
  const back = await browse(jar, formAction(page, 'login'), {
    method: 'POST',
    form: { id_number: who.idNumber, password: DEMO_CITIZEN_PASSWORD },
  });
  assert.equal(back.kind, 'callback', back.kind === 'page' ? back.html : '');
  return back.path;
}

async function finishLogin(app: App, callbackPath: string): Promise<{ cookie: string; location: string }> {
  const res = await app.inject({ method: 'GET', url: callbackPath });
  assert.equal(res.statusCode, 302, res.body);
  const session = res.cookies.find((c) => c.name === 'motcua_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  return { cookie: `motcua_session=${session.value}`, location: String(res.headers.location) };
}

function assertError(res: { statusCode: number; json(): unknown }, status: number, code: string): void {
  assert.equal(res.statusCode, status);
  const body = res.json() as { error: { code: string; message: string; messageVi: string } };
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 10, 'English message');
  assert.ok(body.error.messageVi.length > 10, 'Vietnamese message');
}

describeEachDatabase(
  'citizen login through OpenID Connect',
  (env) => {
    it('logs a citizen in through the provider and the session works', async () => {
      const app = env().app;
      const callback = await loginAtProvider(app, citizen, '/portal/ho-so?tab=2');
      assert.ok(callback.startsWith('/api/auth/oidc/callback?'), callback);
      assert.ok(new URL(callback, PUBLIC_URL).searchParams.get('code'));
      const { cookie, location } = await finishLogin(app, callback);
      assert.equal(location, '/portal/ho-so?tab=2');

      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      assert.equal(me.statusCode, 200, me.body);
      const { user, csrfToken } = me.json() as { user: Record<string, unknown>; csrfToken: string };
      assert.equal(user.role, 'citizen');
      assert.equal(user.fullName, citizen.fullName);
      assert.equal(user.idNumber, citizen.idNumber);
      assert.equal(user.phone, citizen.phone);
      assert.equal(user.email, citizen.email);
      assert.equal(user.unitCode, null);
      assert.ok(csrfToken);

      const row = await env().ctx.db.selectFrom('users').selectAll().where('oidc_sub', '=', citizen.sub).executeTakeFirstOrThrow();
      assert.equal(row.role, 'citizen');
      assert.equal(row.password_hash, null);
      assert.equal(row.address, citizen.address, 'the address claim is kept for e-form prefill');
      const prefill = await app.inject({ method: 'GET', url: '/api/me/prefill', headers: { cookie } });
      assert.equal(prefill.statusCode, 200, prefill.body);
      assert.deepEqual(prefill.json(), { fullName: citizen.fullName, idNumber: citizen.idNumber, phone: citizen.phone, email: citizen.email, address: citizen.address });
    });

    it('a second login of the same person reuses the same user row', async () => {
      const app = env().app;
      const before = await env().ctx.db.selectFrom('users').select('id').where('oidc_sub', '=', citizen.sub).executeTakeFirstOrThrow();
      const { cookie } = await finishLogin(app, await loginAtProvider(app, citizen));
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      assert.equal((me.json() as { user: { id: number } }).user.id, before.id);
      const count = await env().ctx.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('oidc_sub', '=', citizen.sub)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    it('another person gets their own account', async () => {
      const app = env().app;
      const { cookie } = await finishLogin(app, await loginAtProvider(app, other));
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      const { user } = me.json() as { user: Record<string, unknown> };
      assert.equal(user.fullName, other.fullName);
      assert.equal(user.idNumber, other.idNumber);
    });

    it('the provider page is the simulated VNeID, in Vietnamese and English, and lists the simulated identities', async () => {
      const { page } = await startLogin(env().app);
      assert.equal(page.kind, 'page');
      assert.match(page.html, /<html lang="vi">/);
      assert.match(page.html, /Cổng định danh mô phỏng VNeID/);
      assert.match(page.html, /Simulated VNeID/);
      assert.match(page.html, /<label for="id_number">/);
      for (const c of DEMO_CITIZENS) assert.ok(page.html.includes(`value="${c.idNumber}"`), c.idNumber);
      // Names are escaped (H'Hen Niê).
      assert.ok(page.html.includes('H&#39;Hen Niê'));
      assert.ok(!page.html.includes("H'Hen"));
    });

    it('a wrong password shows the error on the provider page, and a retry then succeeds', async () => {
      const app = env().app;
      const { jar, page } = await startLogin(app);
      const wrong = await browse(jar, formAction(page, 'login'), {
        method: 'POST',
        form: { id_number: citizen.idNumber, password: 'not-the-password' },
      });
      assert.equal(wrong.kind, 'page');
      assert.equal(wrong.status, 401);
      assert.match(wrong.html, /role="alert"/);
      assert.match(wrong.html, /Số CCCD hoặc mật khẩu không đúng/);
      assert.match(wrong.html, /Wrong CCCD number or password/);
      assert.ok(wrong.html.includes(`value="${citizen.idNumber}"`), 'the number typed is kept');

      const badFormat = await browse(jar, formAction(wrong, 'login'), {
        method: 'POST',
        form: { id_number: '<script>alert(1)</script>', password: 'demo' },
      });
      assert.equal(badFormat.kind, 'page');
      assert.equal(badFormat.status, 400);
      assert.match(badFormat.html, /12 chữ số/);
      assert.ok(!badFormat.html.includes('<script>alert(1)</script>'), 'input is escaped');

      const back = await browse(jar, formAction(badFormat, 'login'), {
        method: 'POST',
        form: { id_number: citizen.idNumber, password: DEMO_CITIZEN_PASSWORD },
      });
      assert.equal(back.kind, 'callback');
      await finishLogin(app, back.path);
    });

    it('a replayed callback (state already used) is refused with 400', async () => {
      const app = env().app;
      const callback = await loginAtProvider(app);
      await finishLogin(app, callback);
      const replay = await app.inject({ method: 'GET', url: callback });
      assertError(replay, 400, 'oidc_state_invalid');
      assert.equal(replay.cookies.length, 0);
    });

    it('a tampered or missing state is refused with 400, and the real one still works', async () => {
      const app = env().app;
      const callback = await loginAtProvider(app);
      const url = new URL(callback, PUBLIC_URL);
      const tampered = new URL(url);
      tampered.searchParams.set('state', `${url.searchParams.get('state')}x`);
      assertError(await app.inject({ method: 'GET', url: tampered.pathname + tampered.search }), 400, 'oidc_state_invalid');
      const missing = new URL(url);
      missing.searchParams.delete('state');
      assertError(await app.inject({ method: 'GET', url: missing.pathname + missing.search }), 400, 'oidc_state_invalid');
      await finishLogin(app, callback);
    });

    it('a tampered code fails the exchange with 400, not 500', async () => {
      const app = env().app;
      const callback = await loginAtProvider(app);
      const url = new URL(callback, PUBLIC_URL);
      url.searchParams.set('code', 'forged-authorization-code');
      assertError(await app.inject({ method: 'GET', url: url.pathname + url.search }), 400, 'oidc_exchange_failed');
      // The state was spent by that attempt: the genuine code cannot be used with it any more.
      assertError(await app.inject({ method: 'GET', url: callback }), 400, 'oidc_state_invalid');
    });

    it('a login finished after 10 minutes has expired', async () => {
      const e = env();
      const app = e.app;
      const start = e.ctx.now();
      const callback = await loginAtProvider(app);
      e.setNow(new Date(start.getTime() + 11 * 60_000));
      try {
        assertError(await app.inject({ method: 'GET', url: callback }), 400, 'oidc_state_expired');
      } finally {
        e.setNow(start);
      }
    });

    it('refuses returnTo outside the site with a bilingual 400', async () => {
      const app = env().app;
      for (const returnTo of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'portal', '/\tevil', '/a\r\nSet-Cookie:x=1']) {
        const res = await app.inject({ method: 'GET', url: `/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}` });
        assertError(res, 400, 'invalid_return_to');
      }
      const none = await app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
      assert.equal(none.statusCode, 302);
      const state = new URL(String(none.headers.location)).searchParams.get('state') ?? '';
      const row = await env().ctx.db.selectFrom('oidc_logins').select('return_to').where('state', '=', state).executeTakeFirstOrThrow();
      assert.equal(row.return_to, '/', 'returnTo defaults to the home page');
    });

    it('a login cancelled at the provider (error=access_denied) comes back as a bilingual 400', async () => {
      const app = env().app;
      const { jar, page } = await startLogin(app);
      const back = await browse(jar, formAction(page, 'abort'), { method: 'POST' });
      assert.equal(back.kind, 'callback');
      const url = new URL(back.path, PUBLIC_URL);
      assert.equal(url.searchParams.get('error'), 'access_denied');
      const state = url.searchParams.get('state');
      assert.ok(state);
      const res = await app.inject({ method: 'GET', url: back.path });
      assertError(res, 400, 'oidc_access_denied');
      const body = res.json() as { error: { messageVi: string } };
      assert.match(body.error.messageVi, /Đăng nhập đã bị huỷ/);
      const left = await env().ctx.db.selectFrom('oidc_logins').select('state').where('state', '=', state).executeTakeFirst();
      assert.equal(left, undefined, 'the state is spent');
    });

    it('a provider error without a known state is still a 400', async () => {
      const app = env().app;
      assertError(
        await app.inject({ method: 'GET', url: '/api/auth/oidc/callback?error=server_error&state=unknown' }),
        400,
        'oidc_provider_error',
      );
      assertError(await app.inject({ method: 'GET', url: '/api/auth/oidc/callback' }), 400, 'oidc_state_invalid');
    });
  },
  { env: OIDC_ENV },
);

describe('OIDC discovery is lazy: the app starts before the provider', () => {
  let env: (TestEnv & { close(): Promise<void> }) | null = null;
  let late: LocalOidcProvider | null = null;
  let latePort = 0;
  before(async () => {
    latePort = await freePort();
    env = await createTestEnv('pglite', {
      seed: false,
      env: { ...OIDC_ENV, OIDC_ISSUER: `http://localhost:${latePort}` },
    });
  });
  after(async () => {
    await late?.close();
    await env?.close();
  });

  it('answers 503 while the provider is down, then works once it is up', async () => {
    const app = env!.app;
    assertError(await app.inject({ method: 'GET', url: '/api/auth/oidc/login' }), 503, 'oidc_unavailable');
    late = await startLocalOidcProvider({
      port: latePort,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${PUBLIC_URL}/api/auth/oidc/callback`],
    });
    const res = await app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
    assert.equal(res.statusCode, 302, res.body);
    assert.ok(String(res.headers.location).startsWith(`http://localhost:${latePort}/auth?`));
  });
});
