/**
 * The browser app served by the API server (src/platform/web.ts): index.html with its security
 * headers for every page address, hashed assets with a long cache and pre-compressed copies,
 * the JSON 404 kept for unknown API addresses, and a clear 503 page when the app is not built.
 * Builds dist/web once (vite) when it is missing.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Static } from '@sinclair/typebox';
import type { ProcedureDetail as ServerProcedureDetail, ProcedureSummary as ServerProcedureSummary } from '../../src/catalog/procedures.js';
import type { DossierView } from '../../src/dossiers/routes.js';
import type { SessionView } from '../../src/identity/routes.js';
import { createHttpServer } from '../../src/platform/http.js';
import { DEFAULT_WEB_DIR, registerWebApp } from '../../src/platform/web.js';
import type * as Web from '../../web/src/types.js';
import { describeEachDatabase } from '../helpers/harness.js';

// The web app's view of the API must still fit what the server sends: a renamed or retyped
// field fails the type check here (npm run typecheck) before it breaks a page.
const fitsDetail = (p: ServerProcedureDetail): Web.ProcedureDetail => p;
const fitsSummary = (p: ServerProcedureSummary): Web.ProcedureSummary => p;
const fitsDossier = (d: Static<typeof DossierView>): Web.DossierSummary => d;
const fitsSession = (s: Static<typeof SessionView>): Web.Session => s;
void fitsSummary;
void fitsDossier;
void fitsSession;

const indexFile = path.join(DEFAULT_WEB_DIR, 'index.html');

before(async () => {
  if (fs.existsSync(indexFile)) return;
  const { build } = await import('vite');
  await build({ configFile: path.resolve('web/vite.config.ts'), logLevel: 'warn' });
});

function checkPageHeaders(headers: Record<string, unknown>) {
  const csp = String(headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'same-origin');
}

describeEachDatabase('web app', (env) => {
  it('serves index.html at / with a strict CSP and no cache', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    checkPageHeaders(res.headers);
    assert.match(res.body, /<div id="root"><\/div>/);
    assert.match(res.body, /<html lang="vi">/);
    assert.match(res.body, /<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    // Every script has a src: nothing inline that the CSP would block (or that would need unsafe-inline).
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(res.body, /https?:\/\//, 'no external fonts, scripts or styles');
  });

  it('answers page addresses of the app with index.html (the app routes them)', async () => {
    const home = await env().app.inject({ method: 'GET', url: '/' });
    for (const url of ['/thu-tuc/1.001193', '/tim-kiem?q=khai%20sinh&level=commune', '/ho-so-cua-toi', '/nop-ho-so/1.001193?case=DUNG_HAN', '/khong-co-trang-nay']) {
      const res = await env().app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      checkPageHeaders(res.headers);
      assert.equal(res.body, home.body, url);
    }
  });

  it('serves hashed assets with a one-year immutable cache, pre-compressed when accepted', async () => {
    const home = await env().app.inject({ method: 'GET', url: '/' });
    const src = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)?.[1];
    assert.ok(src, 'entry script in index.html');
    const plain = await env().app.inject({ method: 'GET', url: src, headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.statusCode, 200);
    assert.match(String(plain.headers['content-type']), /javascript/);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, fs.readFileSync(path.join(DEFAULT_WEB_DIR, src)).toString('utf8'));

    const gz = await env().app.inject({ method: 'GET', url: src, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.statusCode, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(gz.headers.vary), /accept-encoding/i);
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString('utf8'), plain.body);
  });

  it('answers a missing asset with 404, not with the page', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/assets/index-DOESNOTEXIST.js' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/json/);
  });

  it('keeps the JSON 404 for unknown API addresses and non-GET methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['GET', '/api'],
      ['GET', '/api/procedures/1.001193/nope'],
      ['POST', '/thu-tuc/1.001193'],
    ] as const) {
      const res = await env().app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /application\/json/);
      const body = res.json() as { error: { code: string; message: string; messageVi: string } };
      assert.equal(body.error.code, 'not_found');
      assert.ok(body.error.messageVi.length > 0);
    }
  });

  it('leaves the API routes alone (the catch-all does not shadow them)', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/api/procedures/1.001193' });
    assert.equal(res.statusCode, 200);
    const p = fitsDetail(res.json() as ServerProcedureDetail);
    assert.equal(p.code, '1.001193');
    assert.ok(p.cases.length > 0);
    const health = await env().app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(health.statusCode, 200);
    assert.equal((health.json() as Web.Health).demo, false);
    const docs = await env().app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(docs.statusCode, 200);
    const paths = Object.keys((docs.json() as { paths: Record<string, unknown> }).paths);
    assert.ok(!paths.includes('/*') && !paths.includes('/'), 'the web routes are not API operations');
  });

  it('serves no file outside the build folder and no hidden file', async () => {
    for (const url of ['/..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/.vite/manifest.json']) {
      const res = await env().app.inject({ method: 'GET', url });
      assert.ok(!res.body.includes('"dependencies"') && !res.body.includes('"isEntry"'), `${url} leaked a file`);
    }
  });

  it('answers 503 with a bilingual page naming the build command when the app is not built', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-web-'));
    const app = await createHttpServer({ logLevel: 'silent', bodyLimit: 1024 * 1024, version: 'test' });
    try {
      await registerWebApp(app, env().ctx, { dir: empty });
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/thu-tuc/1.001193' });
      assert.equal(res.statusCode, 503);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      checkPageHeaders(res.headers);
      assert.match(res.body, /npm run build:web/);
      assert.match(res.body, /Giao diện web chưa được xây dựng/);
      assert.match(res.body, /The web app has not been built/);
      const api = await app.inject({ method: 'GET', url: '/api/nope' });
      assert.equal(api.statusCode, 404);
    } finally {
      await app.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
