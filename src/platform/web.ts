/**
 * Serves the browser app built by `npm run build:web` (dist/web) from the same server as the API:
 *
 * - /assets/* — content-hashed files, cached for a year (`immutable`); a missing one is a 404,
 *   never the page (a browser must not run HTML as a script).
 * - other files of dist/web (favicon.svg...) — short cache.
 * - any other GET outside /api/ — index.html (`no-cache`), so /thu-tuc/1.001193 opens the app
 *   on that page (the app has its own router).
 * - /api/* that no route answers — the JSON 404 of http.ts, as before.
 *
 * The pre-compressed .br/.gz copies written by the build are sent when the browser accepts them.
 * Pages carry a strict Content-Security-Policy (this site only; no inline script or style), so an
 * injected <script> cannot run. When the build is missing, pages answer 503 with a bilingual
 * explanation instead of a bare 404; the check is made on each request, so building while the
 * server runs is enough.
 */
import fastifyStatic from '@fastify/static';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import type { App } from './http.js';

/** dist/web at the repository root, both from src/platform (tsx) and dist/platform (compiled). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:", // data: for QR codes rendered by the server as SVG (an <img> never runs scripts)
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function missingBuildPage(dir: string): string {
  const d = escapeHtml(dir);
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>motcua: chưa xây dựng giao diện web / web app not built</title></head>
<body>
<main>
<h1>Giao diện web chưa được xây dựng</h1>
<p>Không tìm thấy <code>${d}index.html</code>. Hãy chạy <code>npm run build:web</code> rồi tải lại trang này. API vẫn hoạt động tại <a href="/api/docs">/api/docs</a>.</p>
<h2 lang="en">The web app has not been built</h2>
<p lang="en"><code>${d}index.html</code> is missing. Run <code>npm run build:web</code>, then reload this page. The API works meanwhile: <a href="/api/docs">/api/docs</a>.</p>
</main>
</body>
</html>
`;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

export interface WebAppOptions {
  /** The built app; default dist/web at the repository root. */
  dir?: string;
}

/** Register LAST: its catch-all GET route must not shadow any API route. */
export async function registerWebApp(app: App, _ctx: AppContext, opts: WebAppOptions = {}): Promise<void> {
  const root = path.resolve(opts.dir ?? DEFAULT_WEB_DIR) + path.sep;
  const indexFile = path.join(root, 'index.html');
  if (!(await isFile(indexFile))) {
    app.log.warn(`web app not built (${indexFile} missing): run "npm run build:web"`);
  }

  // Only reply.sendFile(); the routing is ours (below).
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, suppressWarning: true, dotfiles: 'deny' });

  const sendPage = async (reply: FastifyReply) => {
    securityHeaders(reply);
    if (!(await isFile(indexFile))) {
      return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(missingBuildPage(root));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();

    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendPage(reply);
    }
    // A file of the build? Only plain paths inside the root (no dot-segments, no hidden files).
    const rel = decoded.replace(/^\/+/, '');
    const plain = rel !== '' && !rel.includes('\0') && rel.split('/').every((seg) => seg !== '' && !seg.startsWith('.'));
    const file = plain ? path.resolve(root, rel) : null;
    if (file && file.startsWith(root) && file !== indexFile && (await isFile(file))) {
      const hashed = rel.startsWith('assets/');
      reply.header('cache-control', hashed ? IMMUTABLE : 'public, max-age=3600').header('x-content-type-options', 'nosniff');
      return reply.sendFile(rel, { cacheControl: false });
    }
    // A missing hashed asset (an old page asking for a replaced build) is a real 404.
    if (rel.startsWith('assets/')) return reply.callNotFound();
    return sendPage(reply);
  };

  // Not API operations: kept out of the OpenAPI document.
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}
