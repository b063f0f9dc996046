#!/usr/bin/env node
// Used by `npm start`: builds the web app (dist/web) when it is missing or older than its
// sources (web/, and src/core/ which the app imports). Only file dates are compared, so this
// takes milliseconds when the build is current.
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['web', 'src/core', 'package-lock.json'];
const BUILT = 'dist/web/index.html';

function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

const builtAt = fs.existsSync(BUILT) ? fs.statSync(BUILT).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map(newest));
if (builtAt >= sourcesAt) process.exit(0);

console.log(
  builtAt === 0
    ? 'motcua: xây dựng giao diện web / building the web app (dist/web)…'
    : 'motcua: giao diện web cũ hơn mã nguồn, xây dựng lại / web app older than its sources, rebuilding…',
);
const { build } = await import('vite');
await build({ configFile: path.resolve('web/vite.config.ts'), logLevel: 'warn' });
