/**
 * A local, real OpenID provider (oidc-provider 9) that stands in for the national identity
 * provider (VNeID) in development, demo mode and tests. It speaks the same protocol as the real
 * issuer (discovery, authorization code + PKCE, signed ID tokens, userinfo), so the client side
 * (oidc.ts) is exercised exactly as in production; only the people are simulated
 * (demo-citizens.ts), and every page says so.
 *
 * Deliberate shortcuts, acceptable because this is a stand-in and never the production issuer:
 * - State lives in memory (InMemoryAdapter below): a restart forgets sessions and codes in flight,
 *   and two processes cannot share it. Each start also generates a fresh signing key (JWKS) and
 *   cookie key, so tokens from an earlier run are simply invalid.
 * - Consent is granted automatically: the only registered client is motcua itself (first party),
 *   the citizen started the login there to use its services, and the login page lists exactly
 *   which data will be shared before the citizen logs in.
 * - On plain http://localhost the provider's cookies are not `Secure` (it only marks them secure
 *   on https requests). oidc-provider 9 prints a warning on Node 20 ("Use Node.js v22"); it works.
 */
import crypto from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
// @ts-expect-error -- oidc-provider 9 ships no type declarations (and @types/oidc-provider is not installed); the parts used are typed below.
import ProviderModule from 'oidc-provider';
import {
  DEMO_CITIZEN_PASSWORD,
  DEMO_CITIZENS,
  findDemoCitizenByIdNumber,
  findDemoCitizenBySub,
  type SimulatedCitizen,
} from './demo-citizens.js';

export interface LocalOidcProviderOptions {
  port: number;
  /** Interface to listen on; default 127.0.0.1 (the issuer is always http://localhost:{port}). */
  host?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface LocalOidcProvider {
  issuer: string;
  close(): Promise<void>;
}

/** Scopes and the claims they release. `vneid` carries the CCCD number (custom claim). */
export const LOCAL_PROVIDER_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'birthdate', 'gender'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
  address: ['address'],
  vneid: ['id_number'],
} as const;

// ---- The parts of oidc-provider's API used here ------------------------------------------------

interface InteractionDetails {
  uid: string;
  prompt: {
    name: string;
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}

interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}

interface InteractionResult {
  login?: { accountId: string; amr?: string[] };
  consent?: { grantId?: string };
  error?: string;
  error_description?: string;
}

interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  };
  on(event: string, listener: (...args: unknown[]) => void): void;
}

/** What oidc-provider passes to renderError, logoutSource and postLogoutSuccessSource. */
interface KoaContext {
  type: string;
  body: unknown;
  host: string;
}

const ProviderClass = ProviderModule as unknown as new (issuer: string, configuration: object) => Provider;

// ---- In-memory storage -------------------------------------------------------------------------

type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string };

interface Entry {
  payload: Payload;
  /** Epoch milliseconds; Infinity when the model has no expiry. */
  expiresAt: number;
}

/**
 * oidc-provider's storage interface kept in a Map. Its own MemoryAdapter would do, but it prints
 * a production warning on every start; this one is equally a stand-in (documented above), small,
 * and forgets expired entries. Lookups by uid, user code and grant scan the map: the local
 * provider holds a handful of entries.
 */
interface MemoryStore {
  entries: Map<string, Entry>;
  lastSweep: number;
}

class InMemoryAdapter {
  private readonly store: Map<string, Entry>;

  constructor(
    private readonly model: string,
    private readonly memory: MemoryStore,
  ) {
    this.store = memory.entries;
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  private live(key: string): Entry | undefined {
    const entry = this.store.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.store.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    if (now - this.memory.lastSweep < 60_000) return;
    this.memory.lastSweep = now;
    for (const [key, entry] of this.store) if (entry.expiresAt <= now) this.store.delete(key);
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    this.sweep();
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    // A copy, as a real store would keep: nothing may rely on mutating a stored object.
    this.store.set(this.key(id), { payload: structuredClone(payload), expiresAt });
  }

  async find(id: string): Promise<Payload | undefined> {
    const entry = this.live(this.key(id));
    return entry ? structuredClone(entry.payload) : undefined;
  }

  private async findBy(field: 'uid' | 'userCode', value: string): Promise<Payload | undefined> {
    const prefix = `${this.model}:`;
    for (const key of this.store.keys()) {
      if (!key.startsWith(prefix)) continue;
      const entry = this.live(key);
      if (entry && entry.payload[field] === value) return structuredClone(entry.payload);
    }
    return undefined;
  }

  findByUid(uid: string): Promise<Payload | undefined> {
    return this.findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.findBy('userCode', userCode);
  }

  async consume(id: string): Promise<void> {
    const entry = this.live(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of this.store) if (entry.payload.grantId === grantId) this.store.delete(key);
  }
}

// ---- HTML --------------------------------------------------------------------------------------

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const TITLE_VI = 'Cổng định danh mô phỏng VNeID (dữ liệu mô phỏng)';
const TITLE_EN = 'Simulated VNeID (simulated data)';

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f6f8;margin:0}
  main{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 2rem;background:#fff;min-height:100vh}
  .sim{background:#fff4ce;border:2px solid #8a6d00;color:#3d3000;padding:.75rem 1rem;border-radius:.25rem;margin:0 0 1rem}
  h1{font-size:1.5rem;margin:.5rem 0}h1 span,h2 span{display:block;font-size:1rem;font-weight:400;color:#444}
  h2{font-size:1.15rem;margin-top:2rem}
  label{display:block;font-weight:600;margin-top:1rem}
  input{font-size:1rem;padding:.5rem;width:100%;max-width:20rem;box-sizing:border-box;border:1px solid #555;border-radius:.25rem}
  .hint{color:#444;font-size:.95rem;margin:.25rem 0 0}
  button{font-size:1rem;padding:.55rem 1rem;margin-top:1rem;border-radius:.25rem;border:1px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer}
  button.secondary{background:#fff;color:#0b4f9c}
  button.person{background:#fff;color:#0b4f9c;text-align:left;width:100%;margin-top:.5rem}
  :focus-visible{outline:3px solid #c25400;outline-offset:2px}
  .error{background:#fde7e9;border:2px solid #a4262c;color:#5c0f13;padding:.75rem 1rem;border-radius:.25rem}
  ul.people{list-style:none;padding:0;margin:0}
  .small{font-size:.9rem;color:#444}`;

function page(titleVi: string, titleEn: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(titleVi)} / ${escapeHtml(titleEn)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="sim" role="note"><strong>MÔ PHỎNG</strong> – đây không phải VNeID thật; mọi danh tính dưới đây là giả lập.
<span lang="en"><strong>SIMULATION</strong> – this is not the real VNeID; every identity here is made up.</span></p>
${body}
</main>
</body>
</html>`;
}

const SHARED_DATA_VI = 'họ tên, ngày sinh, giới tính, số CCCD, số điện thoại, thư điện tử';
const SHARED_DATA_EN = 'name, date of birth, gender, CCCD number, phone, e-mail';

interface LoginPageState {
  uid: string;
  idNumber?: string;
  errorVi?: string;
  errorEn?: string;
}

function loginPage(s: LoginPageState): string {
  const action = `/interaction/${encodeURIComponent(s.uid)}`;
  const error = s.errorVi
    ? `<div class="error" role="alert" id="login-error"><p>${escapeHtml(s.errorVi)}<br><span lang="en">${escapeHtml(s.errorEn)}</span></p></div>`
    : '';
  const described = s.errorVi ? 'login-error id-hint' : 'id-hint';
  const people = DEMO_CITIZENS.map((c) => personButton(action, c)).join('\n');
  return page(
    TITLE_VI,
    TITLE_EN,
    `<h1>${escapeHtml(TITLE_VI)}<span lang="en">${escapeHtml(TITLE_EN)}</span></h1>
<p>Dịch vụ công một cửa đề nghị xác thực danh tính của bạn. Sau khi đăng nhập, các thông tin sau sẽ được chia sẻ với dịch vụ: ${escapeHtml(SHARED_DATA_VI)}.<br>
<span lang="en">The one-stop public service asks you to prove your identity. After you log in, it receives: ${escapeHtml(SHARED_DATA_EN)}.</span></p>
${error}
<form method="post" action="${escapeHtml(action)}/login" novalidate>
<label for="id_number">Số định danh cá nhân (CCCD) <span lang="en">/ Personal ID number (CCCD)</span></label>
<input id="id_number" name="id_number" inputmode="numeric" autocomplete="username" maxlength="12" pattern="[0-9]{12}" required value="${escapeHtml(s.idNumber ?? '')}" aria-describedby="${described}"${s.errorVi ? ' aria-invalid="true"' : ' autofocus'}>
<p class="hint" id="id-hint">12 chữ số, ví dụ 066085001201. <span lang="en">12 digits, e.g. 066085001201.</span></p>
<label for="password">Mật khẩu <span lang="en">/ Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-hint"${s.errorVi ? ' autofocus' : ''}>
<p class="hint" id="password-hint">Mật khẩu mô phỏng của mọi danh tính: <code>${escapeHtml(DEMO_CITIZEN_PASSWORD)}</code>. <span lang="en">Simulated password of every identity: <code>${escapeHtml(DEMO_CITIZEN_PASSWORD)}</code>.</span></p>
<button type="submit">Đăng nhập <span lang="en">/ Log in</span></button>
</form>
<h2>Chọn nhanh một danh tính mô phỏng<span lang="en">Or pick a simulated identity</span></h2>
<ul class="people">
${people}
</ul>
<form method="post" action="${escapeHtml(action)}/abort">
<button type="submit" class="secondary">Huỷ, quay lại dịch vụ <span lang="en">/ Cancel and go back</span></button>
</form>`,
  );
}

function personButton(action: string, c: SimulatedCitizen): string {
  return `<li><form method="post" action="${escapeHtml(action)}/login">
<input type="hidden" name="id_number" value="${escapeHtml(c.idNumber)}">
<input type="hidden" name="password" value="${escapeHtml(DEMO_CITIZEN_PASSWORD)}">
<button type="submit" class="person">Đăng nhập là <strong>${escapeHtml(c.fullName)}</strong> <span lang="en">/ Log in as ${escapeHtml(c.fullName)}</span><br>
<span class="small">CCCD ${escapeHtml(c.idNumber)} · ${escapeHtml(c.birthdate)} · ${escapeHtml(c.address)}</span></button>
</form></li>`;
}

function messagePage(titleVi: string, titleEn: string, textVi: string, textEn: string): string {
  return page(
    titleVi,
    titleEn,
    `<h1>${escapeHtml(titleVi)}<span lang="en">${escapeHtml(titleEn)}</span></h1>
<p>${escapeHtml(textVi)}<br><span lang="en">${escapeHtml(textEn)}</span></p>`,
  );
}

function sendHtml(res: ServerResponse, status: number, html: string, formTargets: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // form-action also governs the redirects that follow a form post (back to the client).
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.end(html);
}

// ---- The provider ------------------------------------------------------------------------------

const MAX_FORM_BYTES = 8 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sameText(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

function citizenClaims(c: SimulatedCitizen): Record<string, unknown> {
  return {
    sub: c.sub,
    name: c.fullName,
    birthdate: c.birthdate,
    gender: c.gender,
    phone_number: c.phone,
    phone_number_verified: true,
    email: c.email,
    email_verified: true,
    address: { formatted: c.address, country: 'VN' },
    id_number: c.idNumber,
  };
}

export async function startLocalOidcProvider(opts: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  const issuer = `http://localhost:${opts.port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
  const memory: MemoryStore = { entries: new Map(), lastSweep: 0 };
  const formTargets = [...new Set([...opts.redirectUris, ...(opts.postLogoutRedirectUris ?? [])].map((u) => new URL(u).origin))].join(' ');

  const provider = new ProviderClass(issuer, {
    adapter: (model: string) => new InMemoryAdapter(model, memory),
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        client_name: 'Dịch vụ công một cửa / One-stop public service (motcua)',
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid'],
    responseTypes: ['code'],
    claims: LOCAL_PROVIDER_CLAIMS,
    findAccount: async (_ctx: unknown, sub: string) => {
      const citizen = findDemoCitizenBySub(sub);
      if (!citizen) return undefined;
      return { accountId: citizen.sub, claims: async () => citizenClaims(citizen) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => {
          // `form` is the provider's own hidden form (with its CSRF token); the buttons submit it.
          ctx.type = 'html';
          ctx.body = page(
            'Đăng xuất',
            'Log out',
            `<h1>Đăng xuất khỏi cổng định danh mô phỏng?<span lang="en">Log out of the simulated identity provider?</span></h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Đăng xuất <span lang="en">/ Log out</span></button>
<button type="submit" form="op.logoutForm" class="secondary">Ở lại <span lang="en">/ Stay logged in</span></button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: KoaContext) => {
          ctx.type = 'html';
          ctx.body = messagePage('Đã đăng xuất', 'Logged out', 'Bạn đã đăng xuất khỏi cổng định danh mô phỏng.', 'You have logged out of the simulated identity provider.');
        },
      },
    },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey] },
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 10 * 60,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    // A confidential client calls the token and userinfo endpoints from its server, never from a browser.
    clientBasedCORS: () => false,
    renderError: async (ctx: KoaContext, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = page(
        'Lỗi đăng nhập',
        'Login error',
        `<h1>Không thể tiếp tục đăng nhập<span lang="en">The login cannot continue</span></h1>
<div class="error" role="alert"><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description)}</p></div>
<p>Hãy quay lại dịch vụ và đăng nhập lại. <span lang="en">Go back to the service and log in again.</span></p>`,
      );
    },
  });

  provider.on('server_error', (_ctx: unknown, err: unknown) => console.error('local OIDC provider: server error', err));
  const providerCallback = provider.callback();

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw Object.assign(new Error('interaction mismatch'), { name: 'SessionNotFound' });

    if (action === 'abort' && req.method === 'POST') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction / Người dùng đã huỷ đăng nhập' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    if (action === 'login' && req.method === 'POST') {
      if (details.prompt.name !== 'login') throw Object.assign(new Error('not a login prompt'), { name: 'SessionNotFound' });
      const form = await readForm(req);
      const idNumber = (form.get('id_number') ?? '').replace(/\s+/g, '');
      const password = form.get('password') ?? '';
      if (!/^\d{12}$/.test(idNumber)) {
        sendHtml(res, 400, loginPage({
          uid,
          idNumber,
          errorVi: 'Số CCCD phải gồm đúng 12 chữ số. Hãy nhập lại.',
          errorEn: 'The CCCD number must have exactly 12 digits. Please enter it again.',
        }), formTargets);
        return;
      }
      const citizen = findDemoCitizenByIdNumber(idNumber);
      const passwordOk = sameText(password, DEMO_CITIZEN_PASSWORD);
      if (!citizen || !passwordOk) {
        sendHtml(res, 401, loginPage({
          uid,
          idNumber,
          errorVi: 'Số CCCD hoặc mật khẩu không đúng. Hãy kiểm tra và thử lại.',
          errorEn: 'Wrong CCCD number or password. Check them and try again.',
        }), formTargets);
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: citizen.sub, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
      return;
    }

    if (action === undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      if (details.prompt.name === 'login') {
        sendHtml(res, 200, loginPage({ uid }), formTargets);
        return;
      }
      if (details.prompt.name === 'consent') {
        await grantConsent(req, res, details);
        return;
      }
    }
    sendHtml(res, 405, messagePage(
      'Thao tác không hợp lệ',
      'Invalid action',
      'Trang này không hỗ trợ thao tác đó. Hãy quay lại dịch vụ và đăng nhập lại.',
      'This page does not support that action. Go back to the service and log in again.',
    ), formTargets);
  }

  /** First-party client: grant what it asked for (see the header comment). */
  async function grantConsent(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (!accountId || typeof clientId !== 'string') throw Object.assign(new Error('no session'), { name: 'SessionNotFound' });
    const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: existing ? {} : { grantId } }, { mergeWithLastSubmission: true });
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const m = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|abort))?$/.exec(path);
    if (!m) {
      void providerCallback(req, res);
      return;
    }
    handleInteraction(req, res, m[1] ?? '', m[2]).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const name = (err as { name?: string }).name;
      if (name === 'SessionNotFound') {
        sendHtml(res, 400, messagePage(
          'Phiên đăng nhập đã hết hạn',
          'This login has expired',
          'Phiên đăng nhập đã hết hạn hoặc không còn tồn tại. Hãy quay lại dịch vụ và bấm đăng nhập lại.',
          'This login has expired or no longer exists. Go back to the service and log in again.',
        ), formTargets);
        return;
      }
      console.error('local OIDC provider: interaction failed', err);
      sendHtml(res, 500, messagePage(
        'Lỗi cổng định danh mô phỏng',
        'Simulated identity provider error',
        'Đã xảy ra lỗi không mong muốn. Hãy quay lại dịch vụ và thử lại.',
        'An unexpected error occurred. Go back to the service and try again.',
      ), formTargets);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
