#!/usr/bin/env node
// `npm test`: the unit tests, then every integration test on embedded PGlite and — when a
// PostgreSQL server is reachable (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// — again on PostgreSQL, in one run of Node's test runner (TAP output); then the browser tests
// (test/e2e, Debian Chromium driven by playwright-core against the real server) in a second run,
// one file at a time: each file starts its own server and browser, and two of them at once would
// overload a 2-core machine. Fails when no test ran.
//
//   node scripts/run-tests.mjs [all|unit|integration|e2e]
//
// MOTCUA_REQUIRE_POSTGRES=1 turns "PostgreSQL not reachable" into a failure (CI).
// MOTCUA_REQUIRE_BROWSER=1 turns "Chromium not found" into a failure (CI); without it the browser
// tests are skipped, with a line saying so. CHROMIUM_PATH overrides /usr/bin/chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const which = process.argv[2] ?? 'all';
const DIRS = { unit: ['test/unit'], integration: ['test/integration'], e2e: ['test/e2e'], all: ['test/unit', 'test/integration', 'test/e2e'] };
if (!DIRS[which]) {
  console.error(`Unknown test set "${which}": one of ${Object.keys(DIRS).join(', ')}.`);
  process.exit(2);
}

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? find(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}
const isE2e = (f) => f.split(path.sep).includes('e2e');
const files = DIRS[which].flatMap(find);
const mainFiles = files.filter((f) => !isE2e(f));
let browserFiles = files.filter(isE2e);
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

if (browserFiles.length) {
  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) {
    console.log(`# Browser tests SKIPPED: chromium not found (apt-get install chromium)${process.env.CHROMIUM_PATH ? ` at CHROMIUM_PATH=${chromiumPath}` : ''}`);
    if (process.env.MOTCUA_REQUIRE_BROWSER === '1') {
      console.error(`Browser tests are required (MOTCUA_REQUIRE_BROWSER=1) but ${chromiumPath} does not exist.`);
      process.exit(1);
    }
    browserFiles = [];
  } else {
    console.log(`# Browser tests: ${browserFiles.length} file(s) with ${chromiumPath}, one file at a time, after the other tests`);
  }
}

const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
if (mainFiles.some((f) => !f.startsWith(path.join('test', 'unit')))) {
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

/** One run of Node's test runner; resolves with its exit code and TAP summary. */
function run(testFiles, concurrency) {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...testFiles], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`.trim() },
    });
    let tail = '';
    const failures = new FailureCollector();
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      failures.push(chunk.toString());
    });
    child.on('close', (code) => {
      const num = (name) => Number(new RegExp(`# ${name} (\\d+)`).exec(tail)?.[1] ?? 0);
      resolve({ code, tests: num('tests'), pass: num('pass'), fail: num('fail'), skipped: num('skipped'), failures: failures.done() });
    });
  });
}

/**
 * Collects each failing test's TAP block (its `not ok` line, the names of the tests that enclose it,
 * and its YAML diagnostics, cut short) so that the end of the output names every failure: a long
 * run's log is often read only from its end.
 */
class FailureCollector {
  #partial = '';
  #parents = [];
  #current = null;
  #found = [];
  push(text) {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop();
    for (const line of lines) this.#line(line);
  }
  #line(line) {
    const sub = /^(\s*)# Subtest: (.*)$/.exec(line);
    if (sub) {
      const depth = sub[1].length / 4;
      this.#parents.length = depth;
      this.#parents[depth] = sub[2];
    }
    const notOk = /^(\s*)not ok \d+ - (.*)$/.exec(line);
    if (notOk) {
      const depth = notOk[1].length / 4;
      const path = [...this.#parents.slice(0, depth), notOk[2]].join(' › ');
      // A suite fails when one of its tests does: keep the innermost failure only.
      const last = this.#found.at(-1);
      if (last && last.depth > depth && last.path.startsWith(path)) return;
      this.#current = { depth, path, detail: [] };
      this.#found.push(this.#current);
      return;
    }
    if (this.#current && /^\s*(ok|not ok) \d+|^\s*# Subtest:/.test(line)) this.#current = null;
    // The diagnostics end at the YAML block's `...`; the stack trace is left to the full log.
    if (this.#current && /^\s*(\.\.\.|stack:)/.test(line)) this.#current = null;
    if (this.#current && this.#current.detail.length < 25) this.#current.detail.push(line.trimEnd());
  }
  done() {
    if (this.#partial) this.#line(this.#partial);
    return this.#found;
  }
}

const runs = [];
if (mainFiles.length) runs.push(await run(mainFiles, 2));
if (browserFiles.length) {
  const started = Date.now();
  console.log('# Browser tests (test/e2e): real server + Chromium, one file at a time');
  runs.push(await run(browserFiles, 1));
  console.log(`# Browser tests took ${Math.round((Date.now() - started) / 1000)} s`);
}

const total = runs.reduce(
  (t, r) => ({ tests: t.tests + r.tests, pass: t.pass + r.pass, fail: t.fail + r.fail, skipped: t.skipped + r.skipped }),
  { tests: 0, pass: 0, fail: 0, skipped: 0 },
);
if (runs.length > 1) {
  // One summary over both runs, last, so that `grep '^# tests' | tail -1` reads the total.
  console.log('# total of all runs');
  console.log(`# tests ${total.tests}`);
  console.log(`# pass ${total.pass}`);
  console.log(`# fail ${total.fail}`);
  console.log(`# skipped ${total.skipped}`);
}
const failed = runs.flatMap((r) => r.failures);
if (failed.length) {
  console.log(`# ${failed.length} failing test(s):`);
  for (const f of failed) {
    console.log(`# FAILED: ${f.path}`);
    for (const d of f.detail) console.log(`#   ${d}`);
  }
}
if (total.tests === 0) {
  console.error('No test ran: failing.');
  process.exit(1);
}
process.exit(runs.every((r) => r.code === 0 && r.fail === 0) ? 0 : 1);
