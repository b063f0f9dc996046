/**
 * Browser-test harness: the REAL server (`tsx src/server.ts`, demo mode, a fresh embedded database
 * in a temporary folder, the local OpenID provider on the next free port) driven by Debian's
 * Chromium through playwright-core. Each test file starts its own server and browser:
 *
 *   const server = await startServer({ smtp: true });
 *   const browser = await launchBrowser();
 *   const s = await openPage(browser, server, VIEWPORTS.phone);
 *   await s.page.goto(server.url + '/');
 *   await checkA11y(s, 'home');          // axe-core, WCAG 2.0/2.1 A+AA, fails on serious/critical
 *   await screenshot(s, 'home');          // test-results/screenshots/phone-home.png
 *   s.assertClean();                      // no console error, page error or failed request
 *
 * Nothing here is a stand-in: the pages come from the built web app (dist/web, built here when
 * missing or older than its sources), the data from the demo seed, logins from the OIDC provider,
 * and mail (when asked for) from a real SMTP server listening on a free port.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page, type Request, type Response } from 'playwright-core';
import PDFDocument from 'pdfkit';
import { SMTPServer } from 'smtp-server';
import { DEMO_CITIZEN_PASSWORD } from '../../src/identity/demo-citizens.js';
import { DEMO_PASSWORD as DEMO_STAFF_PASSWORD } from '../../src/seed/demo.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');
export const A11Y_DIR = path.join(RESULTS_DIR, 'a11y');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * How long the server may take to migrate, seed and answer /api/health: about 10 s on an idle
 * 2-core machine, over a minute when other heavy work shares it. MOTCUA_E2E_START_TIMEOUT (seconds)
 * overrides it.
 */
const START_TIMEOUT_MS = (Number(process.env.MOTCUA_E2E_START_TIMEOUT) || 120) * 1000;

// ---- Ports ---------------------------------------------------------------------------------------

export async function freePort(): Promise<number> {
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

async function twoFreePorts(): Promise<[number, number]> {
  for (;;) {
    const a = await freePort();
    const b = await freePort();
    if (a !== b) return [a, b];
  }
}

// ---- The web app build ---------------------------------------------------------------------------

const WEB_DIR = path.join(ROOT, 'web');
const WEB_INDEX = path.join(ROOT, 'dist/web/index.html');
const BUILD_LOCK = path.join(ROOT, 'dist/.e2e-web-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

function webBuildIsCurrent(): boolean {
  if (!fs.existsSync(WEB_INDEX)) return false;
  // CI builds once before the tests; locally a build older than the sources is rebuilt.
  if (!fs.existsSync(WEB_DIR)) return true;
  return fs.statSync(WEB_INDEX).mtimeMs >= newestMtime(WEB_DIR);
}

/**
 * Builds the web app (`vite build --config web/vite.config.ts`) when dist/web/index.html is missing
 * or older than the sources. Test files may run one after another or together: a lock folder makes
 * one of them build while the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (webBuildIsCurrent()) return;
  assert.ok(
    fs.existsSync(path.join(WEB_DIR, 'vite.config.ts')),
    'The web app is missing: neither dist/web/index.html nor web/vite.config.ts exists.',
  );
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another test file is building; a lock older than 5 minutes was left by a killed run.
      const age = Date.now() - fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })!.mtimeMs;
      if (Number.isFinite(age) && age > 300_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Waited 5 minutes for another web build (lock ${BUILD_LOCK}).`);
      await new Promise((r) => setTimeout(r, 1000));
      if (webBuildIsCurrent()) return;
    }
  }
  try {
    if (webBuildIsCurrent()) return;
    const started = Date.now();
    // Vite's output goes to stderr: stdout belongs to the TAP stream of the test runner.
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'web/vite.config.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (res.status !== 0) {
      throw new Error(`vite build failed (exit ${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
    }
    assert.ok(fs.existsSync(WEB_INDEX), `vite build ran but ${WEB_INDEX} does not exist (check build.outDir)`);
    process.stderr.write(`e2e: built the web app in ${Date.now() - started} ms\n`);
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

// ---- Mail: a real SMTP server that keeps what it receives ---------------------------------------

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  /** Headers, lower-case names, decoded (RFC 2047). */
  headers: Record<string, string>;
  /** The decoded text/plain part ('' if none). */
  text: string;
  /** The decoded text/html part ('' if none). */
  html: string;
  raw: string;
}

export interface MailSink {
  url: string;
  messages: MailMessage[];
  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (m: MailMessage) => boolean, timeoutMs?: number): Promise<MailMessage>;
  close(): Promise<void>;
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    const hex = soft.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?utf-8?B?...?= / =?utf-8?Q?...?=), as nodemailer writes subjects. */
export function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

interface MimePart {
  headers: Record<string, string>;
  body: string;
}

function splitPart(raw: string): MimePart {
  const sep = raw.search(/\r?\n\r?\n/);
  const head = sep < 0 ? raw : raw.slice(0, sep);
  const body = sep < 0 ? '' : raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function param(header: string | undefined, name: string): string {
  const m = new RegExp(`${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(header ?? '');
  return m ? (m[2] ?? m[1] ?? '') : '';
}

/** Walks a MIME message and returns its text/plain and text/html bodies, decoded. */
export function parseMail(raw: string): Pick<MailMessage, 'headers' | 'subject' | 'text' | 'html'> {
  const top = splitPart(raw);
  const out = { text: '', html: '' };
  const visit = (part: MimePart) => {
    const type = (part.headers['content-type'] ?? 'text/plain').toLowerCase();
    if (type.startsWith('multipart/')) {
      const boundary = param(part.headers['content-type'], 'boundary');
      if (!boundary) return;
      const chunks = part.body.split(`--${boundary}`);
      for (const chunk of chunks.slice(1)) {
        if (chunk.startsWith('--')) break;
        visit(splitPart(chunk.replace(/^\r?\n/, '')));
      }
      return;
    }
    const enc = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    const bytes =
      enc === 'base64'
        ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
        : enc === 'quoted-printable'
          ? decodeQuotedPrintable(part.body)
          : Buffer.from(part.body, 'utf8');
    const text = decodeCharset(bytes, param(part.headers['content-type'], 'charset'));
    if (type.startsWith('text/html') && !out.html) out.html = text;
    else if (type.startsWith('text/plain') && !out.text) out.text = text;
  };
  visit(top);
  const headers = Object.fromEntries(Object.entries(top.headers).map(([k, v]) => [k, decodeHeaderWords(v)]));
  return { headers, subject: headers.subject ?? '', ...out };
}

export async function startMailSink(): Promise<MailSink> {
  const messages: MailMessage[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        messages.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMail(raw),
        });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(match);
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `No matching mail within ${timeoutMs} ms. Received ${messages.length}: ` +
                JSON.stringify(messages.map((m) => ({ to: m.to, subject: m.subject }))),
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- The server ----------------------------------------------------------------------------------

export interface ServerOptions {
  /** Start a local SMTP server and point SMTP_URL at it. */
  smtp?: boolean;
  /** Simulated dossiers seeded at first start (small keeps the start fast). */
  demoDossiers?: number;
  env?: Record<string, string>;
  /** Build the web app first when needed (default true; false for API- or provider-only checks). */
  webApp?: boolean;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT (also PUBLIC_URL). */
  url: string;
  /** The local OpenID provider (demo stand-in for VNeID): http://localhost:PORT. */
  oidcUrl: string;
  dataDir: string;
  mail: MailSink | null;
  /** Milliseconds from spawn to a healthy /api/health. */
  startMs: number;
  /** Everything the server printed so far (stdout + stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Servers still running when the test process ends (a crash or a cancelled run) are killed. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  if (opts.webApp !== false) await ensureWebBuild();
  const [port, oidcPort] = await twoFreePorts();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-'));
  const mail = opts.smtp ? await startMailSink() : null;
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    OIDC_LOCAL_PORT: String(oidcPort),
    PUBLIC_URL: url,
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_DEMO: 'true',
    MOTCUA_DEMO_DOSSIERS: String(opts.demoDossiers ?? 200),
    LOG_LEVEL: 'warn',
    ...(mail ? { SMTP_URL: mail.url } : {}),
    ...opts.env,
  };
  // The test runner's own options must not leak into the server (e.g. --test flags).
  delete env.NODE_TEST_CONTEXT;
  delete env.DATABASE_URL;

  const started = Date.now();
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, so stop() ends tsx and the node it runs
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) running.add(child.pid);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
      if (child.pid) running.delete(child.pid);
      resolve();
    }),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exited === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exit;
      clearTimeout(timer);
    }
    await mail?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = started + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`The server stopped before it was ready (${exited}). Its output:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer /api/health within ${START_TIMEOUT_MS / 1000} s. Its output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const startMs = Date.now() - started;
  process.stderr.write(`e2e: server ready at ${url} in ${startMs} ms\n`);
  return { url, oidcUrl: `http://localhost:${oidcPort}`, dataDir, mail, startMs, output: () => output, stop };
}

// ---- The browser ---------------------------------------------------------------------------------

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  assert.ok(chromiumAvailable(), `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Viewport {
  name: 'desktop' | 'phone';
  width: number;
  height: number;
  isMobile: boolean;
  hasTouch: boolean;
}

export const VIEWPORTS: readonly Viewport[] = [
  { name: 'desktop', width: 1280, height: 800, isMobile: false, hasTouch: false },
  { name: 'phone', width: 360, height: 740, isMobile: true, hasTouch: true },
];

/** A response the test expects to fail (e.g. a lookup with a wrong phone). */
export interface AllowedFailure {
  url: RegExp;
  status: number;
}

/**
 * Failures that are the app's normal behaviour, not bugs: asking who is logged in before anyone is.
 * Chromium also reports each of them as a console error ("Failed to load resource"), which is
 * matched against the same list.
 */
const DEFAULT_ALLOWED: AllowedFailure[] = [{ url: /\/api\/auth\/me(\?|$)/, status: 401 }];

export interface PageSession {
  page: Page;
  context: BrowserContext;
  viewport: Viewport;
  /** The app and the OIDC provider: failed requests to them are problems; others are reported by the console. */
  server: Pick<RunningServer, 'url' | 'oidcUrl'>;
  /** Console errors, page errors and failed requests seen so far, in order. */
  problems: string[];
  /** Expect a failure (status) from a URL from now on in this session. */
  allow(url: RegExp, status: number): void;
  /** Fails with the list of problems, then forgets them. */
  assertClean(where?: string): void;
  close(): Promise<void>;
}

function isFavicon(url: string): boolean {
  return /\/favicon\.ico(\?|$)/.test(url);
}

export async function openPage(browser: Browser, server: Pick<RunningServer, 'url' | 'oidcUrl'>, viewport: Viewport): Promise<PageSession> {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.isMobile,
    hasTouch: viewport.hasTouch,
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = [...DEFAULT_ALLOWED];
  const ours = (url: string) => url.startsWith(server.url) || url.startsWith(server.oidcUrl);
  const isAllowed = (url: string, status: number) => allowed.some((a) => a.status === status && a.url.test(url));
  const allowedUrl = (url: string) => allowed.some((a) => a.url.test(url));

  page.on('pageerror', (err: Error) => problems.push(`page error: ${err.message}\n${err.stack ?? ''}`));
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    // Network failures are reported (with their status) by the response handler below.
    if (/^Failed to load resource/.test(msg.text()) && (isFavicon(where) || allowedUrl(where) || ours(where))) return;
    problems.push(`console error: ${msg.text()}${where ? ` (at ${where})` : ''}`);
  });
  page.on('requestfailed', (req: Request) => {
    const failure = req.failure()?.errorText ?? 'failed';
    // A fetch the app cancelled itself (e.g. a search superseded by the next keystroke) is fine.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${failure})`);
  });
  page.on('response', (res: Response) => {
    const status = res.status();
    const url = res.url();
    if (status < 400 || !ours(url) || isFavicon(url) || isAllowed(url, status)) return;
    problems.push(`HTTP ${status}: ${res.request().method()} ${url}`);
  });

  return {
    page,
    context,
    viewport,
    server,
    problems,
    allow(url, status) {
      allowed.push({ url, status });
    },
    assertClean(where = page.url()) {
      const found = problems.splice(0);
      assert.deepEqual(found, [], `Problems in the browser (${viewport.name}, ${where}):\n  ${found.join('\n  ')}`);
    },
    close: () => context.close(),
  };
}

// ---- Checks and artefacts ------------------------------------------------------------------------

let axeSource: string | null = null;

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core (WCAG 2.0 and 2.1, levels A and AA) on the page as it is now and fails on any
 * serious or critical violation with a readable list. All findings (also minor/moderate) are saved
 * to test-results/a11y/<viewport>-<name>.json.
 *
 * axe is evaluated through the DevTools protocol, not added as a <script>: the app's
 * Content-Security-Policy (script-src 'self') stays in force while the page is tested.
 */
export async function checkA11y(s: PageSession, name: string, opts: { save?: boolean } = {}): Promise<void> {
  const { page } = s;
  axeSource ??= fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.waitForLoadState('load');
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!hasAxe) await page.evaluate(`${axeSource}\n;void 0`);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[]; incomplete: unknown[] }> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return { violations: r.violations };
  });
  const violations = result.violations as AxeViolation[];
  if (opts.save !== false) {
    fs.mkdirSync(A11Y_DIR, { recursive: true });
    fs.writeFileSync(
      path.join(A11Y_DIR, `${s.viewport.name}-${name}.json`),
      JSON.stringify({ url: page.url(), viewport: s.viewport.name, violations }, null, 2),
    );
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) =>
        `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `    at ${JSON.stringify(n.target)}: ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
          .join('\n') +
        (v.nodes.length > 8 ? `\n    ... and ${v.nodes.length - 8} more` : ''),
    )
    .join('\n');
  assert.equal(bad.length, 0, `axe-core: ${bad.length} serious/critical violation(s) on "${name}" (${s.viewport.name}, ${page.url()}):\n${report}`);
}

/** Full-page screenshot to test-results/screenshots/<viewport>-<name>.png (a CI artefact). */
export async function screenshot(s: PageSession, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${s.viewport.name}-${name}.png`);
  await s.page.screenshot({ path: file, fullPage: true });
  return file;
}

/** No horizontal scrolling: the page fits its viewport (the 360 px phone above all). */
export async function assertNoHorizontalScroll(s: PageSession, where: string): Promise<void> {
  const { scrollWidth, clientWidth } = await s.page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth + 1, `${where} (${s.viewport.name}): the page is ${scrollWidth} px wide in a ${clientWidth} px viewport`);
}

/**
 * Opens a page session, runs `fn`, and closes it. On failure it saves a screenshot of where the
 * browser was (test-results/screenshots/<viewport>-FAILED-<name>.png) and adds the end of the
 * server's output to the error, so a failure in CI can be understood from its artefacts.
 */
export async function withPage(
  browser: Browser,
  server: RunningServer,
  viewport: Viewport,
  name: string,
  fn: (s: PageSession) => Promise<void>,
): Promise<void> {
  const s = await openPage(browser, server, viewport);
  try {
    await fn(s);
    s.assertClean(`end of "${name}"`);
  } catch (err) {
    const shot = await screenshot(s, `FAILED-${name}`).catch(() => null);
    if (err instanceof Error) {
      err.message +=
        `\n(page: ${s.page.url()}${shot ? `; screenshot: ${path.relative(ROOT, shot)}` : ''})` +
        (s.problems.length ? `\nbrowser problems:\n  ${s.problems.join('\n  ')}` : '') +
        `\nserver output (end):\n${server.output().slice(-3000)}`;
    }
    throw err;
  } finally {
    await s.close();
  }
}

// ---- Shortcuts for later journeys ----------------------------------------------------------------

export interface DemoCitizen {
  fullName: string;
  idNumber: string;
}

/**
 * Logs a demo citizen in the way a person does: from `startPath`, the header's login link, the
 * simulated VNeID form (CCCD number + password), and back to `startPath` with their name in the
 * header. portal-login.test.ts checks this path in detail; other journeys use this shortcut.
 */
export async function loginThroughProvider(s: PageSession, citizen: DemoCitizen, startPath = '/', password = DEMO_CITIZEN_PASSWORD): Promise<void> {
  const { page, server } = s;
  await page.goto(`${server.url}${startPath}`);
  await page.getByRole('link', { name: 'Đăng nhập bằng VNeID (mô phỏng)' }).click();
  await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.oidcUrl);
  await page.getByLabel(/Số định danh cá nhân \(CCCD\)/).fill(citizen.idNumber);
  await page.getByLabel(/^Mật khẩu/).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập / Log in' }).click();
  await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.url && `${u.pathname}${u.search}` === startPath);
  await page.getByRole('banner').getByText(citizen.fullName).first().waitFor();
}

export interface StaffApi {
  user: { fullName: string; role: string; unitCode: string | null };
  /** JSON request with the staff session cookie and CSRF token; returns status and parsed body. */
  request<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

/**
 * An official acting through the API while the citizen uses the browser (e.g. the desk receiving a
 * dossier or asking for a supplement). The demo seed gives every staff account the published demo
 * password (src/seed/demo.ts), e.g. motcua.bmt = desk officer of H15.001.
 */
export async function staffApi(server: RunningServer, username: string, password = DEMO_STAFF_PASSWORD): Promise<StaffApi> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `staff login ${username}: ${res.status} ${text}`);
  const session = JSON.parse(text) as { user: StaffApi['user']; csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('motcua_session='));
  assert.ok(cookie, `staff login ${username}: no session cookie`);
  return {
    user: session.user,
    async request<T>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
      const r = await fetch(`${server.url}${urlPath}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const raw = await r.text();
      let parsed: unknown = raw;
      try {
        parsed = raw ? JSON.parse(raw) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: r.status, body: parsed as T };
    },
  };
}

/** Writes a small real PDF (one A4 page with `text`, Vietnamese included) to `file`, for uploads. */
export async function makePdf(file: string, text: string): Promise<void> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.font(path.resolve('node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf')).fontSize(14).text(text);
  doc.end();
  await done;
  fs.writeFileSync(file, Buffer.concat(chunks));
}
