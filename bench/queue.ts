/**
 * The staff work queue at N dossiers: GET /api/work/dossiers?limit=50 (first page), following
 * pages with the cursor, and ?due=overdue, as the desk officer of H15.001, one request at a time
 * (latency, not throughput). Client-side latency is measured over loopback; the server child
 * also records its own time per request (HTTP 'request' event to response 'finish').
 */
import os from 'node:os';
import { ServerChild } from './lib/child.js';
import { register } from './lib/cleanup.js';
import { waitForQuiet } from './lib/machine.js';
import { summarizeBusiestProfile, type ProfileSummary } from './lib/profile.js';
import { generateDossiers, PERIOD_DAYS, type GenerateResult } from './lib/generate.js';
import { Client, HttpError } from './lib/http.js';
import type { ExplainResult, ServerStats } from './lib/protocol.js';
import { ms, summarize, type LatencySummary } from './lib/stats.js';
import { BENCH_PASSWORD, createTarget, databaseInfo, openTarget, pgliteVersion, prepareReference, type DbKind } from './lib/target.js';

export interface QueueOptions {
  dossiers: number;
  requests: number;
  warmup: number;
  /** PGlite only: time budget for generating the dossiers (s). */
  pgliteBudgetS: number;
  /** Write a V8 CPU profile of the server child into this folder (diagnosis runs). */
  profileDir: string | null;
  /** Wait at most this long for other processes to leave the machine quiet (s); 0: do not wait. */
  quietWaitS: number;
}

export interface Scenario {
  path: string;
  latencyMs: LatencySummary;
  serverSideMs: LatencySummary;
  dbRoundTripsPerRequest: number;
  dbMsPerRequest: number;
  itemsPerPage: number;
  errors: number;
  explain: ExplainResult & { usesQueueIndex: boolean };
}

export interface QueueResult {
  benchmark: 'queue';
  db: DbKind;
  database: Record<string, unknown>;
  options: { requested: number; requests: number; warmup: number };
  data: GenerateResult & {
    total: number;
    open: number;
    unit: string;
    unitTotal: number;
    unitOpen: number;
    unitOverdue: number;
    unitPages: number;
    periodDays: number;
    tableSize: string;
  };
  scenarios: Record<'first' | 'next' | 'overdue', Scenario>;
  targets: { p50Ms: number; p99Ms: number; met: { p50: boolean; p99: boolean } };
  notes: string[];
  loadAverageBefore: number[];
  /** With --cpu-prof: where the server child's CPU time went (whole life of the child). */
  serverProfile: ProfileSummary | null;
}

const UNIT = 'H15.001';
const OFFICER = 'motcua.bmt'; // DEMO_STAFF desk officer of H15.001

type Page = { items: unknown[]; nextCursor: string | null };

async function getPage(c: Client, path: string): Promise<Page> {
  const r = await c.request('GET', path);
  if (r.status !== 200) throw new HttpError(r.status, r.body, `GET ${path}`);
  return JSON.parse(r.body) as Page;
}

export async function runQueue(kind: DbKind, opts: QueueOptions, log: (s: string) => void): Promise<QueueResult> {
  const loadAverageBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const target = await createTarget(kind);
  const notes: string[] = [];
  let child: ServerChild | null = null;
  const childCleanup = register('stop server child', async () => {
    await child?.stop();
  });
  try {
    log(`[queue/${kind}] preparing ${target.name}: ${opts.dossiers.toLocaleString('en')} dossiers`);
    const prep = await openTarget(target);
    let gen: GenerateResult;
    let dbInfo: Record<string, unknown>;
    let counts: { total: number; open: number; unit_total: number; unit_open: number; unit_overdue: number; size: string };
    try {
      await prepareReference(prep);
      gen = await generateDossiers(prep.database.pool, opts.dossiers, {
        now: new Date(),
        chunk: kind === 'pglite' ? 50_000 : 100_000,
        budgetS: kind === 'pglite' ? opts.pgliteBudgetS : undefined,
        log,
      });
      if (gen.note) notes.push(gen.note);
      log(`[queue/${kind}] generated ${gen.generated.toLocaleString('en')} dossiers in ${gen.seconds} s`);
      const r = await prep.database.pool.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE status_code IN (1, 2, 4, 5, 6))::int AS open,
                count(*) FILTER (WHERE receiving_unit = $1)::int AS unit_total,
                count(*) FILTER (WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6))::int AS unit_open,
                count(*) FILTER (WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6) AND queue_due < now())::int AS unit_overdue,
                pg_size_pretty(pg_total_relation_size('dossiers')) AS size
         FROM dossiers`,
        [UNIT],
      );
      counts = r.rows[0] as typeof counts;
      dbInfo = await databaseInfo(async (sql) => (await prep.database.pool.query(sql)).rows as Array<Record<string, unknown>>);
      if (kind === 'pglite') dbInfo.pglite = pgliteVersion();
    } finally {
      await prep.close();
    }
    log(
      `[queue/${kind}] ${counts.total.toLocaleString('en')} dossiers (${counts.open.toLocaleString('en')} open, ${counts.size}); ${UNIT}: ${counts.unit_total.toLocaleString('en')} received, ${counts.unit_open} open, ${counts.unit_overdue} overdue`,
    );

    const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
    child = await ServerChild.start({ ...target.childEnv, BENCH_POOL_SIZE: '8' }, nodeArgs);
    const c = new Client('127.0.0.1', child.port);
    await c.login(OFFICER, BENCH_PASSWORD);

    // The cursors of every page of the unit's queue (static data: they stay valid).
    const cursors: string[] = [];
    let page = await getPage(c, '/api/work/dossiers?limit=50');
    while (page.nextCursor) {
      cursors.push(page.nextCursor);
      page = await getPage(c, `/api/work/dossiers?limit=50&cursor=${page.nextCursor}`);
    }
    const unitPages = cursors.length + 1;

    const scenarioPaths: Record<'first' | 'next' | 'overdue', { label: string; path: (i: number) => string }> = {
      first: { label: 'queue-first', path: () => '/api/work/dossiers?limit=50' },
      next: {
        label: 'queue-next',
        path: (i) => `/api/work/dossiers?limit=50&cursor=${cursors[i % Math.max(1, cursors.length)] ?? ''}`,
      },
      overdue: { label: 'queue-overdue', path: () => '/api/work/dossiers?limit=50&due=overdue' },
    };
    const scenarios = {} as QueueResult['scenarios'];
    const quiet = opts.quietWaitS > 0 ? await waitForQuiet(opts.quietWaitS, 0.3, (m) => log(`[queue/${kind}] ${m}`)) : null;
    if (quiet && quiet.busyCores !== null && quiet.busyCores >= 0.3) {
      notes.push(`other processes kept ${quiet.busyCores} cores busy just before the measurement (waited ${quiet.waitedS} s)`);
    }
    for (const [name, s] of Object.entries(scenarioPaths) as Array<[keyof typeof scenarioPaths, (typeof scenarioPaths)['first']]>) {
      if (name === 'next' && cursors.length === 0) {
        notes.push(`${UNIT} has a single page: no "next page" requests`);
      }
      for (let i = 0; i < opts.warmup; i++) await getPage(c, s.path(i));
      await child.call({ cmd: 'reset' });
      const samples: number[] = [];
      let items = 0;
      let errors = 0;
      for (let i = 0; i < opts.requests; i++) {
        const t = process.hrtime.bigint();
        try {
          const p = await getPage(c, s.path(opts.warmup + i));
          samples.push(ms(t));
          items += p.items.length;
        } catch (err) {
          errors++;
          if (errors === 1) notes.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const stats = await child.call<ServerStats>({ cmd: 'stats' });
      const l = stats.labels[s.label];
      const n = l?.durations.length ?? 0;
      const explain = await child.call<ExplainResult>({ cmd: 'explain', label: s.label });
      scenarios[name] = {
        path: s.path(0).replace(/cursor=[^&]+/, 'cursor=…'),
        latencyMs: summarize(samples),
        serverSideMs: summarize(l?.durations ?? []),
        dbRoundTripsPerRequest: n ? Math.round((l!.dbQueries / n) * 100) / 100 : 0,
        dbMsPerRequest: n ? Math.round((l!.dbMs / n) * 100) / 100 : 0,
        itemsPerPage: samples.length ? Math.round((items / samples.length) * 10) / 10 : 0,
        errors,
        explain: { ...explain, usesQueueIndex: /dossiers_(open_)?queue_idx/.test(explain.plan) },
      };
      log(
        `[queue/${kind}] ${name}: p50 ${scenarios[name].latencyMs.p50} ms, p99 ${scenarios[name].latencyMs.p99} ms (server-side p50 ${scenarios[name].serverSideMs.p50}, p99 ${scenarios[name].serverSideMs.p99})`,
      );
    }
    c.close();
    await child.stop();
    child = null;
    const serverProfile = opts.profileDir ? summarizeBusiestProfile(opts.profileDir) : null;

    const all = Object.values(scenarios);
    return {
      benchmark: 'queue',
      db: kind,
      database: dbInfo,
      options: { requested: opts.dossiers, requests: opts.requests, warmup: opts.warmup },
      data: {
        ...gen,
        total: counts.total,
        open: counts.open,
        unit: UNIT,
        unitTotal: counts.unit_total,
        unitOpen: counts.unit_open,
        unitOverdue: counts.unit_overdue,
        unitPages,
        periodDays: PERIOD_DAYS,
        tableSize: counts.size,
      },
      scenarios,
      targets: {
        p50Ms: 10,
        p99Ms: 30,
        met: { p50: all.every((s) => s.latencyMs.p50 <= 10), p99: all.every((s) => s.latencyMs.p99 <= 30) },
      },
      notes,
      loadAverageBefore,
      serverProfile,
    };
  } finally {
    await childCleanup.release();
    await target.cleanup.release();
  }
}
