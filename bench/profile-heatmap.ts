/**
 * Where the heatmap's time goes, query by query, on a kept benchmark database (bench/heatmap.ts
 * --heatmap-keep-db; migrations added since are applied first): runs the heatmap use case in this
 * process as the province leader and times
 * every database round trip it makes, grouped by the first words of its SQL.
 *
 *   npx tsx bench/profile-heatmap.ts --db motcua_bench_heatmap_10m [--runs 50] [--query 'period=quarter'] [--http] [--explain] [--heap-sample]
 *
 * Per query: how many per request, median and p95 time from sending it to its result (queries
 * run in parallel overlap, so the sum exceeds the request's time), and the request's own median.
 * Also the bytes a request allocates on the JavaScript heap (requests during which a collection ran
 * are left out): what sets how often the young generation is collected, the main cause of the
 * server's p95 over its p50.
 * With --heap-sample, where those bytes are allocated, by function.
 * A tool for finding the slow part; the figures to quote are bench/run.ts's.
 */
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { CalendarStore } from '../src/calendar/store.js';
import { BENCH_PASSWORD } from './lib/target.js';
import type { Actor } from '../src/identity/actor.js';
import { heatmap, type HeatmapQuery } from '../src/monitoring/heatmap.js';
import { loadConfig } from '../src/platform/config.js';
import type { AppContext } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    runs: { type: 'string', default: '50' },
    query: { type: 'string', default: 'period=quarter' },
    admin: { type: 'string', default: process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    explain: { type: 'boolean', default: false },
    /** Through the whole app (Fastify inject: routing, session, response serialisation), not the use case alone. */
    http: { type: 'boolean', default: false },
    /** Sample what the measured requests allocate (collected objects included) and print the top allocating functions. */
    'heap-sample': { type: 'boolean', default: false },
  },
});
if (!values.db) {
  console.error('usage: npx tsx bench/profile-heatmap.ts --db <database> [--runs 50] [--query period=quarter&from=2026-10-01]');
  process.exit(2);
}
const url = new URL(values.admin!);
url.pathname = `/${values.db}`;

let current: Map<string, number[]> | null = null;
/** With --explain: the queries of one request, to EXPLAIN ANALYZE them one by one afterwards. */
let dump: Array<{ text: string; values: unknown[] }> | null = null;
type AnyFn = (...args: unknown[]) => unknown;
const origQuery = pg.Client.prototype.query as unknown as AnyFn;
(pg.Client.prototype as unknown as { query: AnyFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const result = origQuery.apply(this, args) as Promise<unknown>;
  const cfg = typeof args[0] === 'object' && args[0] !== null ? (args[0] as { text?: string; values?: unknown[] }) : null;
  const text = (typeof args[0] === 'string' ? args[0] : (cfg?.text ?? '')).replace(/\s+/g, ' ').trim();
  if (dump) dump.push({ text, values: Array.isArray(args[1]) ? (args[1] as unknown[]) : (cfg?.values ?? []) });
  if (!current || !result || typeof result.then !== 'function') return result;
  const into = current;
  const key = text.slice(0, 90);
  const t0 = performance.now();
  const done = () => {
    const list = into.get(key) ?? [];
    list.push(performance.now() - t0);
    into.set(key, list);
  };
  result.then(done, done);
  return result;
};

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

/** V8's sampling heap profiler, keeping the samples of objects already collected (all that was allocated). */
async function startHeapSampling() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async report(runs: number) {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SampleNode } };
      session.disconnect();
      const bySite = new Map<string, number>();
      let total = 0;
      const name = (f: SampleNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}`;
      // A built-in (no script, or Node's own) is named with the nearest caller that is neither.
      const builtIn = (f: SampleNode['callFrame']) => !f.url || f.url.startsWith('node:');
      const walk = (n: SampleNode, caller = '') => {
        const f = n.callFrame;
        const own = builtIn(f) ? `${name(f)} in ${caller}` : name(f);
        if (n.selfSize > 0) {
          const site = own;
          bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
          total += n.selfSize;
        }
        for (const c of n.children) walk(c, builtIn(f) ? caller : name(f));
      };
      walk(profile.head);
      console.log(`allocation sampled: ${(total / runs / 2 ** 20).toFixed(2)} MB per request; the largest sites (KB per request):`);
      for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(bytes / runs / 1024).toFixed(0).padStart(7)}  ${site}`);
    },
  };
}

/** Bytes in use per heap space. */
const heapSpaces = () => new Map(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

async function main() {
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), MOTCUA_DEMO: 'false' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: null, poolSize: 8 });
  // Migrations added since the database was generated (each fills its own tables from the others).
  const t0 = performance.now();
  const applied = await migrate(database.pool);
  if (applied.length) console.log(`migrations ${applied.join(', ')} applied in ${Math.round(performance.now() - t0)} ms`);
  const ctx: AppContext = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };
  const u = await database.db.selectFrom('users').innerJoin('units', 'units.code', 'users.unit_code').select(['users.id', 'users.full_name', 'units.code', 'units.path', 'units.kind', 'units.parent_code']).where('users.username', '=', 'lanhdao.tinh').executeTakeFirstOrThrow();
  const actor: Actor = { userId: Number(u.id), role: 'province_leader', fullName: u.full_name, unitCode: u.code, unitPath: u.path, unitKind: u.kind, unitParent: u.parent_code, idNumber: null, phone: null, email: null };
  const q = Object.fromEntries(new URLSearchParams(values.query!)) as HeatmapQuery;
  let once = async () => JSON.stringify(await heatmap(ctx, actor, q));
  if (values.http) {
    const app = await buildApp(ctx);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lanhdao.tinh', password: BENCH_PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    once = async () => {
      const r = await app.inject({ method: 'GET', url: `/api/monitoring/heatmap?${values.query}`, headers: { cookie } });
      if (r.statusCode !== 200) throw new Error(`heatmap: ${r.statusCode} ${r.body.slice(0, 300)}`);
      return r.body;
    };
  }
  for (let i = 0; i < 10; i++) await once();
  const all = new Map<string, number[]>();
  const totals: number[] = [];
  const cpu: number[] = [];
  const allocated: number[] = [];
  const runs = Number(values.runs);
  const sampler = values['heap-sample'] ? await startHeapSampling() : null;
  for (let i = 0; i < runs; i++) {
    current = new Map();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const h0 = heapSpaces();
    await once();
    const h1 = heapSpaces();
    // A space that shrank was collected during the request: its difference means nothing.
    if ([...h0].every(([k, v]) => (h1.get(k) ?? 0) >= v)) allocated.push([...h1].reduce((t, [k, v]) => t + v - (h0.get(k) ?? 0), 0));
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    totals.push(performance.now() - t0);
    for (const [k, v] of current) all.set(k, [...(all.get(k) ?? []), ...v]);
    current = null;
  }
  if (sampler) await sampler.report(runs);
  console.log(`heatmap ${values.query}${values.http ? ' (through the app)' : ''}: ${runs} runs, median ${pct(totals, 50).toFixed(1)} ms, p95 ${pct(totals, 95).toFixed(1)} ms (in process, with the JSON)`);
  console.log(`  this process's CPU per request: median ${pct(cpu, 50).toFixed(1)} ms`);
  console.log(`  allocated on the heap per request: median ${(pct(allocated, 50) / 2 ** 20).toFixed(2)} MB (${allocated.length} requests without a collection)`);
  const rows = [...all].map(([k, v]) => ({ per: v.length / runs, p50: pct(v, 50), p95: pct(v, 95), k })).sort((a, b) => b.p50 * b.per - a.p50 * a.per);
  for (const r of rows) console.log(`${r.per.toFixed(1).padStart(4)}× ${r.p50.toFixed(2).padStart(7)} ${r.p95.toFixed(2).padStart(7)} ms  ${r.k}`);
  if (values.explain) {
    dump = [];
    await heatmap(ctx, actor, q);
    const queries = dump;
    dump = null;
    for (const { text, values: params } of queries) {
      if (!/^select/i.test(text)) continue;
      // The last of three runs: the first on a connection pays for loading the catalog caches.
      let r = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, timing ${process.env.FULL_PLAN ? "on" : "off"}) ${text}`, params);
      for (let k = 0; k < 2; k++) r = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, timing ${process.env.FULL_PLAN ? "on" : "off"}) ${text}`, params);
      const plan = r.rows.map((x) => x['QUERY PLAN']);
      if (process.env.FULL_PLAN) console.log(plan.join("\n"));
      console.log(`\n${text.slice(0, 120)}\n  ${plan.filter((l) => /Execution Time|Planning Time|rows=|Buffers/.test(l)).slice(0, 4).join('\n  ')}\n  … ${plan.filter((l) => /Execution Time|Planning Time/.test(l)).join(' · ')}`);
    }
  }
  await database.close();
  // The app's background work (live relay, job queue) would keep the process alive.
  process.exit(0);
}

void main();
