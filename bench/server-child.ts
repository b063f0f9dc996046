/**
 * The server under test, run as a child process of bench/run.ts so the load generator does not
 * share its event loop: opens the database (DATABASE_URL, or embedded PGlite in MOTCUA_DATA_DIR),
 * builds the real app (buildApp) and listens on 127.0.0.1. No migration, no demo seeding: the
 * parent prepares the database before starting it.
 *
 * Environment: DATABASE_URL | MOTCUA_DATA_DIR, PORT (default: any free port), LOG_LEVEL,
 * BENCH_POOL_SIZE (default 32).
 *
 * Bench-only instrumentation, reported to the parent over IPC:
 *  - server-side time per request, from the HTTP 'request' event to the response's 'finish'
 *    (what Fastify's reply.elapsedTime measures), per request type;
 *  - per request type: database round trips (pg Client.query calls) and the time spent awaiting
 *    them, and the time spent waiting for a pool connection;
 *  - CPU time and event-loop utilisation of this process;
 *  - the SQL text and parameters of the work-queue queries (the list's, or each tab's count) of
 *    the latest request of each label, to EXPLAIN them exactly.
 *
 * A request's label is its `x-bench-label` header when it has one, else derived from the URL.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { CalendarStore } from '../src/calendar/store.js';
import { loadConfig } from '../src/platform/config.js';
import type { AppContext } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db.js';
import type { ChildRequest, ChildResponse, LabelStats, ServerStats } from './lib/protocol.js';

interface Store {
  label: string;
  /** The queue queries of this request, kept for EXPLAIN when it finishes. */
  queries: Array<{ text: string; values: unknown[] }>;
}
const als = new AsyncLocalStorage<Store>();

interface Acc {
  durations: number[];
  dbQueries: number;
  dbMs: number;
  poolAcquires: number;
  poolWaitMs: number;
}
let acc = new Map<string, Acc>();
const accFor = (label: string): Acc => {
  let a = acc.get(label);
  if (!a) acc.set(label, (a = { durations: [], dbQueries: 0, dbMs: 0, poolAcquires: 0, poolWaitMs: 0 }));
  return a;
};
const capturedSql = new Map<string, Array<{ text: string; values: unknown[] }>>();

/** The list query (ordered by queue_due) or a tab's count, of the work-queue requests. */
function isQueueQuery(label: string, text: string): boolean {
  if (!/^select/i.test(text)) return false;
  if (label.startsWith('counts')) return text.includes('count(*)');
  return (label.startsWith('queue') || label.startsWith('open')) && (text.includes('"queue_due"') || text.includes('count(*)'));
}

// --- Instrument the pg driver (both PostgreSQL and PGlite are reached through it). -------------
type AnyFn = (...args: unknown[]) => unknown;
const isThenable = (x: unknown): x is Promise<unknown> => !!x && typeof (x as { then?: unknown }).then === 'function';

const origQuery = pg.Client.prototype.query as unknown as AnyFn;
(pg.Client.prototype as unknown as { query: AnyFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const store = als.getStore();
  const result = origQuery.apply(this, args);
  if (!store || !isThenable(result)) return result;
  const a = accFor(store.label);
  a.dbQueries++;
  const t0 = performance.now();
  // A query is either (text, values) or a config object (named, prepared statements).
  const cfg = typeof args[0] === 'object' && args[0] !== null ? (args[0] as { text?: unknown; values?: unknown }) : null;
  const text = typeof args[0] === 'string' ? args[0] : typeof cfg?.text === 'string' ? cfg.text : '';
  const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : Array.isArray(cfg?.values) ? (cfg.values as unknown[]) : [];
  if (isQueueQuery(store.label, text)) store.queries.push({ text, values });
  result.then(
    () => (a.dbMs += performance.now() - t0),
    () => (a.dbMs += performance.now() - t0),
  );
  return result;
};

const origConnect = pg.Pool.prototype.connect as unknown as AnyFn;
(pg.Pool.prototype as unknown as { connect: AnyFn }).connect = function (this: pg.Pool, ...args: unknown[]) {
  const store = als.getStore();
  const result = origConnect.apply(this, args);
  if (!store || !isThenable(result)) return result;
  const a = accFor(store.label);
  const t0 = performance.now();
  result.then(
    () => {
      a.poolAcquires++;
      a.poolWaitMs += performance.now() - t0;
    },
    () => {},
  );
  return result;
};

function labelOf(method: string | undefined, url: string | undefined, header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[a-z0-9-]{1,40}$/.test(header)) return header;
  const u = url ?? '';
  if (method === 'POST' && u === '/api/dossiers') return 'submit';
  if (method === 'POST' && /^\/api\/dossiers\/[^/]+\/actions$/.test(u)) return 'action';
  if (method === 'GET' && u.startsWith('/api/work/dossiers')) {
    if (/[?&]cursor=/.test(u)) return 'queue-next';
    if (/[?&]due=overdue/.test(u)) return 'queue-overdue';
    return 'queue-first';
  }
  if (u === '/api/auth/login') return 'login';
  return 'other';
}

/** Main thread: [ms on a CPU, ms runnable but waiting for a CPU] (Linux /proc), or null. */
function schedstat(): [number, number] | null {
  try {
    const [run, wait] = fs.readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return run !== undefined && wait !== undefined ? [run / 1e6, wait / 1e6] : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { PORT, ...rest } = process.env;
  const config = loadConfig({ ...rest, MOTCUA_DEMO: 'false', HOST: '127.0.0.1' });
  const poolSize = Number(process.env.BENCH_POOL_SIZE || 32);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, poolSize });
  const ctx: AppContext = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };
  const app = await buildApp(ctx);

  app.server.prependListener('request', (req, res) => {
    const label = labelOf(req.method, req.url, req.headers['x-bench-label']);
    const store: Store = { label, queries: [] };
    als.enterWith(store);
    const t0 = performance.now();
    res.once('finish', () => {
      accFor(label).durations.push(performance.now() - t0);
      if (store.queries.length) capturedSql.set(label, store.queries);
    });
  });

  await app.listen({ port: PORT ? Number(PORT) : 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let cpu0 = process.cpuUsage();
  let elu0 = performance.eventLoopUtilization();
  let t0 = performance.now();
  let sched0 = schedstat();

  const stats = (): ServerStats => {
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const wallMs = performance.now() - t0;
    const sched = schedstat();
    const labels: Record<string, LabelStats> = {};
    for (const [label, a] of acc) labels[label] = { ...a };
    return {
      wallMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      eventLoopUtilization: elu.utilization,
      mainThreadOnCpuMs: sched && sched0 ? sched[0] - sched0[0] : null,
      mainThreadWaitingForCpuMs: sched && sched0 ? sched[1] - sched0[1] : null,
      labels,
      poolSize: database.kind === 'pglite' ? 1 : poolSize,
    };
  };

  let closing = false;
  const close = async (code: number) => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(code);
  };

  const handle = async (msg: ChildRequest): Promise<unknown> => {
    switch (msg.cmd) {
      case 'reset':
        acc = new Map();
        cpu0 = process.cpuUsage();
        elu0 = performance.eventLoopUtilization();
        t0 = performance.now();
        sched0 = schedstat();
        return null;
      case 'stats':
        return stats();
      case 'query':
        return (await database.pool.query(msg.sql, msg.params ?? [])).rows;
      case 'explain': {
        const qs = capturedSql.get(msg.label);
        if (!qs?.length) throw new Error(`no ${msg.label} query captured`);
        const plans: string[] = [];
        for (const q of qs) {
          const r = await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
          plans.push(r.rows.map((row) => row['QUERY PLAN']).join('\n'));
        }
        // Several queries (a count per tab): each plan after the parameters it ran with.
        if (qs.length === 1) return { sql: qs[0]!.text, params: qs[0]!.values, plan: plans[0]! };
        return {
          sql: qs.map((q) => q.text).join(';\n'),
          params: qs.map((q) => q.values),
          plan: plans.map((p, i) => `-- query ${i + 1} of ${qs.length}, parameters ${JSON.stringify(qs[i]!.values)}\n${p}`).join('\n\n'),
        };
      }
      case 'stop':
        setImmediate(() => void close(0));
        return null;
    }
  };

  process.on('message', (raw) => {
    const msg = raw as ChildRequest;
    handle(msg).then(
      (result) => process.send?.({ id: msg.id, ok: true, result } satisfies ChildResponse),
      (err: unknown) => process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies ChildResponse),
    );
  });
  // The parent went away (crash, Ctrl-C): do not linger.
  process.on('disconnect', () => void close(0));
  process.on('SIGTERM', () => void close(0));
  process.on('SIGINT', () => void close(0));

  process.send?.({ id: 0, ok: true, result: { port, kind: database.kind } } satisfies ChildResponse);
}

main().catch((err: unknown) => {
  console.error('bench server child failed:', err);
  process.exit(1);
});
