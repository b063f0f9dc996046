#!/usr/bin/env node
// `npm test`: the unit tests, then every integration test on embedded PGlite and — when a
// PostgreSQL server is reachable (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// — again on PostgreSQL, in one run of Node's test runner (TAP output). Fails when no test ran.
// MOTCUA_REQUIRE_POSTGRES=1 turns "PostgreSQL not reachable" into a failure (CI).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const which = process.argv[2] ?? 'all';
const dirs = which === 'unit' ? ['test/unit'] : which === 'integration' ? ['test/integration'] : ['test/unit', 'test/integration'];

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? find(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}
const files = dirs.flatMap(find);
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
if (which !== 'unit') {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const v = await c.query('SHOW server_version');
    console.log(`# PostgreSQL ${v.rows[0].server_version} reachable at ${new URL(adminUrl).host}: integration tests run on PGlite AND PostgreSQL`);
  } catch (err) {
    const msg = `# PostgreSQL NOT reachable at ${new URL(adminUrl).host} (${err.message}): integration tests run on PGlite only; PostgreSQL SKIPPED`;
    console.log(msg);
    if (process.env.MOTCUA_REQUIRE_POSTGRES === '1') {
      console.error('PostgreSQL is required (MOTCUA_REQUIRE_POSTGRES=1).');
      process.exit(1);
    }
  } finally {
    await c.end().catch(() => {});
  }
}

const tsx = path.resolve('node_modules/.bin/tsx');
const child = spawn(tsx, ['--test', '--test-reporter=tap', '--test-concurrency=2', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`.trim() },
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const tests = Number(/# tests (\d+)/.exec(tail)?.[1] ?? 0);
  const fail = Number(/# fail (\d+)/.exec(tail)?.[1] ?? 0);
  if (tests === 0) {
    console.error('No test ran: failing.');
    process.exit(1);
  }
  process.exit(code === 0 && fail === 0 ? 0 : 1);
});
