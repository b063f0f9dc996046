/**
 * `npm run bench`: intake throughput (with its single-row INSERT ceiling) and work-queue latency,
 * on PostgreSQL and/or embedded PGlite. Results go to bench/results/<name>-<db>.json and the
 * table in bench/results/README.md (printed at the end).
 *
 *   npx tsx bench/run.ts [--db postgres|pglite|both] [--duration 10] [--clients 32]
 *                        [--queue-dossiers 1000000] [--only intake|queue]
 *                        [--queue-requests 300] [--pglite-budget 300] [--quiet-wait 300] [--cpu-prof] [--report-only]
 *   npx tsx bench/run.ts --db postgres --only heatmap [--heatmap-dossiers 1000000] [--heatmap-requests 200] [--baseline-runs 20]
 *     (the leaders' heatmap against a raw GROUP BY, bench/heatmap.ts; PostgreSQL only, never by default;
 *     --heatmap-keep-db motcua_bench_<name> keeps the generated database for later runs)
 *
 * PostgreSQL: BENCH_ADMIN_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres
 * (a database motcua_bench_<random> is created there and dropped at the end).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runHeatmap } from './heatmap.js';
import { runIntake } from './intake.js';
import { runQueue } from './queue.js';
import { BENCH_DIR } from './lib/child.js';
import { installCleanup, register, releaseAll } from './lib/cleanup.js';
import { machineInfo } from './lib/machine.js';
import { RESULTS_DIR, writeReadme, writeResult, type Stored } from './lib/report.js';
import type { DbKind } from './lib/target.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npx tsx bench/run.ts [--db postgres|pglite|both] [--duration s] [--clients n] [--queue-dossiers n] [--only intake|queue] [--queue-requests n] [--pglite-budget s] [--quiet-wait s] [--cpu-prof] [--report-only]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
    'queue-dossiers': { type: 'string', default: '1000000' },
    only: { type: 'string' },
    'queue-requests': { type: 'string', default: '300' },
    'pglite-budget': { type: 'string', default: '300' },
    'cpu-prof': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '300' },
    'report-only': { type: 'boolean', default: false },
    'heatmap-dossiers': { type: 'string', default: '1000000' },
    'heatmap-requests': { type: 'string', default: '200' },
    'baseline-runs': { type: 'string', default: '20' },
    'heatmap-keep-db': { type: 'string' },
    'heatmap-keep-aggregates': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) usage('');

const int = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be a whole number >= ${min}`);
  return n;
};
const dbs: DbKind[] =
  values.db === 'both' ? ['postgres', 'pglite'] : values.db === 'postgres' || values.db === 'pglite' ? [values.db] : usage('--db must be postgres, pglite or both');
if (values.only !== undefined && values.only !== 'intake' && values.only !== 'queue' && values.only !== 'heatmap') usage('--only must be intake, queue or heatmap');
const durationS = int('duration', values.duration, 1);
const clients = int('clients', values.clients, 1);
const queueDossiers = int('queue-dossiers', values['queue-dossiers'], 1000);
const queueRequests = int('queue-requests', values['queue-requests'], 1);
const pgliteBudgetS = int('pglite-budget', values['pglite-budget'], 10);
const quietWaitS = int('quiet-wait', values['quiet-wait'], 0);
const profiling = values['cpu-prof'];

const command = ['npx tsx bench/run.ts', ...process.argv.slice(2)].join(' ');
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`);

/**
 * --cpu-prof (diagnosis): the server child writes a V8 CPU profile into a temporary folder; its
 * summary goes to bench/results/profile-<name>-<db>.json, leaving the main results untouched
 * (profiling slows the server down).
 */
function profileDir(): string | null {
  if (!profiling) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-prof-'));
  register(`remove ${dir}`, async () => fs.rmSync(dir, { recursive: true, force: true }), { kind: 'dir', path: dir });
  return dir;
}

function save(r: Stored): string {
  if (!profiling) return writeResult(r);
  const file = path.join(RESULTS_DIR, `profile-${r.benchmark}-${r.db}.json`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

async function main(): Promise<void> {
  if (values['report-only']) {
    console.log(writeReadme());
    return;
  }
  await installCleanup();
  let failures = 0;
  if (values.only === 'heatmap') {
    if (!dbs.includes('postgres')) usage('the heatmap benchmark runs on PostgreSQL only (--db postgres)');
    try {
      const r = await runHeatmap(
        {
          dossiers: int('heatmap-dossiers', values['heatmap-dossiers'], 1000),
          requests: int('heatmap-requests', values['heatmap-requests'], 1),
          warmup: 30,
          baselineRuns: int('baseline-runs', values['baseline-runs'], 1),
          quietWaitS,
          keepDb: values['heatmap-keep-db'],
          keepAggregates: values['heatmap-keep-aggregates'],
          profileDir: profileDir(),
        },
        log,
      );
      const file = save({ ...r, machine: machineInfo(command) });
      log(`[heatmap/postgres] → ${path.relative(process.cwd(), file)}`);
    } catch (err) {
      failures++;
      console.error('[heatmap/postgres] failed:', err);
    }
  }
  for (const db of values.only === 'heatmap' ? [] : dbs) {
    if (values.only !== 'queue') {
      try {
        const r = await runIntake(db, { durationS, warmupS: 2, clients, profileDir: profileDir(), quietWaitS }, log);
        const file = save({ ...r, machine: machineInfo(command) });
        log(
          `[intake/${db}] ${r.measured.dossierActionsPerS} dossier actions/s, ${r.measured.httpRequestsPerS} HTTP req/s, errors ${r.measured.errors}; ceiling ${r.ceiling.rowsPerS} rows/s; ratio ${(r.ratio * 100).toFixed(1)}% → ${path.relative(process.cwd(), file)}`,
        );
      } catch (err) {
        failures++;
        console.error(`[intake/${db}] failed:`, err);
      }
    }
    if (values.only !== 'intake') {
      try {
        const r = await runQueue(
          db,
          { dossiers: queueDossiers, requests: queueRequests, warmup: 30, pgliteBudgetS, profileDir: profileDir(), quietWaitS },
          log,
        );
        const file = save({ ...r, machine: machineInfo(command) });
        log(`[queue/${db}] → ${path.relative(process.cwd(), file)}`);
      } catch (err) {
        failures++;
        console.error(`[queue/${db}] failed:`, err);
      }
    }
  }
  const table = writeReadme();
  console.log(`\n${table}\nFull results: ${path.relative(process.cwd(), path.join(BENCH_DIR, 'results'))}/ (README.md, *.json)`);
  if (failures) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => releaseAll());
