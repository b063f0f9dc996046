/**
 * The staff work queue at N dossiers, as the desk officer of H15.001, one request at a time
 * (latency, not throughput): GET /api/work/dossiers?limit=50 (first page), following pages with
 * the cursor, ?due=overdue, the "at my step" queue (step=mine), a field, an applicant's ID number
 * and part of a name; GET /api/work/counts (every tab), unfiltered and with the name filter; and
 * "open the queue page": the counts, then the first page, timed together against the issue's
 * target (under 200 ms). Client-side latency is measured over loopback; the server child also
 * records its own time per request (HTTP 'request' event to response 'finish').
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

export type ScenarioName =
  | 'first'
  | 'next'
  | 'overdue'
  | 'atMyStep'
  | 'field'
  | 'applicantId'
  | 'applicantName'
  | 'counts'
  | 'countsApplicantName'
  | 'openPage';

/** The list scenarios (one page of GET /api/work/dossiers), held to the per-request targets. */
export const PAGE_SCENARIOS: readonly ScenarioName[] = ['first', 'next', 'overdue', 'atMyStep', 'field', 'applicantId', 'applicantName'];

export const OPEN_PAGE_TARGET_MS = 200;

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
    /** Dossiers of the unit at the desk officer's steps (desk, return) in status 2, 4 or 9. */
    unitAtDeskSteps?: number;
    unitReturned?: number;
    /** The filter values the scenarios used, and how many open dossiers of the unit each matches. */
    filters?: { field: string; fieldOpen: number; applicantId: string; applicantName: string; applicantNameOpen: number };
    periodDays: number;
    tableSize: string;
  };
  /** Older results have only first, next and overdue. */
  scenarios: Partial<Record<ScenarioName, Scenario>> & Record<'first' | 'next' | 'overdue', Scenario>;
  targets: {
    p50Ms: number;
    p99Ms: number;
    openPageMs?: number;
    /** p50 / p99: every list scenario; openPage: its p99 under openPageMs. */
    met: { p50: boolean; p99: boolean; openPage?: boolean };
  };
  notes: string[];
  loadAverageBefore: number[];
  loadAverageAfter?: number[];
  /** With --cpu-prof: where the server child's CPU time went (whole life of the child). */
  serverProfile: ProfileSummary | null;
}

const UNIT = 'H15.001';
const OFFICER = 'motcua.bmt'; // DEMO_STAFF desk officer of H15.001
/** The field filtered on: civil status (Hộ tịch), the commonest at a ward's desk. */
const FIELD = 'HT';
/** Part of a name, typed without diacritics (matches "Trần Thị …"). */
const APPLICANT_NAME = 'tran thi';

type Page = { items: unknown[]; nextCursor: string | null };

async function getPage(c: Client, path: string, label?: string): Promise<Page> {
  const r = await c.request('GET', path, undefined, label ? { 'x-bench-label': label } : {});
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
    let counts: {
      total: number;
      open: number;
      unit_total: number;
      unit_open: number;
      unit_overdue: number;
      unit_at_desk_steps: number;
      unit_returned: number;
      size: string;
    };
    let filters: NonNullable<QueueResult['data']['filters']>;
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
                count(*) FILTER (WHERE current_unit = $1 AND status_code IN (2, 4, 9) AND current_step IN ('desk', 'return'))::int AS unit_at_desk_steps,
                count(*) FILTER (WHERE current_unit = $1 AND status_code = 10)::int AS unit_returned,
                pg_size_pretty(pg_total_relation_size('dossiers')) AS size
         FROM dossiers`,
        [UNIT],
      );
      counts = r.rows[0] as typeof counts;
      // An open dossier's applicant to look up by ID number (the middle one, reproducibly).
      const f = await prep.database.pool.query(
        `SELECT (SELECT applicant_id_number FROM dossiers WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6) AND applicant_id_number IS NOT NULL
                 ORDER BY id OFFSET (SELECT count(*) / 2 FROM dossiers WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6)) LIMIT 1) AS applicant_id,
                (SELECT count(*)::int FROM dossiers WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6)
                   AND procedure_code IN (SELECT code FROM procedures WHERE field_code = $2)) AS field_open,
                (SELECT count(*)::int FROM dossiers WHERE current_unit = $1 AND status_code IN (1, 2, 4, 5, 6)
                   AND motcua_fold(applicant_name) LIKE '%' || $3 || '%') AS name_open`,
        [UNIT, FIELD, APPLICANT_NAME],
      );
      const fr = f.rows[0] as { applicant_id: string | null; field_open: number; name_open: number };
      filters = { field: FIELD, fieldOpen: fr.field_open, applicantId: fr.applicant_id ?? '000000000000', applicantName: APPLICANT_NAME, applicantNameOpen: fr.name_open };
      dbInfo = await databaseInfo(async (sql) => (await prep.database.pool.query(sql)).rows as Array<Record<string, unknown>>);
      if (kind === 'pglite') dbInfo.pglite = pgliteVersion();
    } finally {
      await prep.close();
    }
    log(
      `[queue/${kind}] ${counts.total.toLocaleString('en')} dossiers (${counts.open.toLocaleString('en')} open, ${counts.size}); ${UNIT}: ${counts.unit_total.toLocaleString('en')} received, ${counts.unit_open} open, ${counts.unit_overdue} overdue, ${counts.unit_at_desk_steps} at the desk's steps, ${counts.unit_returned} returned`,
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

    const name = encodeURIComponent(APPLICANT_NAME);
    const scenarioPaths: Record<Exclude<ScenarioName, 'openPage'>, { label: string; path: (i: number) => string }> = {
      first: { label: 'queue-first', path: () => '/api/work/dossiers?limit=50' },
      next: {
        label: 'queue-next',
        path: (i) => `/api/work/dossiers?limit=50&cursor=${cursors[i % Math.max(1, cursors.length)] ?? ''}`,
      },
      overdue: { label: 'queue-overdue', path: () => '/api/work/dossiers?limit=50&due=overdue' },
      // As the workspace's tab asks for it.
      atMyStep: { label: 'queue-step', path: () => '/api/work/dossiers?status=2&status=4&status=9&step=mine&limit=50' },
      field: { label: 'queue-field', path: () => `/api/work/dossiers?field=${FIELD}&limit=50` },
      applicantId: { label: 'queue-applicant-id', path: () => `/api/work/dossiers?applicant=${filters.applicantId}&limit=50` },
      applicantName: { label: 'queue-applicant-name', path: () => `/api/work/dossiers?applicant=${name}&limit=50` },
      counts: { label: 'counts', path: () => '/api/work/counts' },
      countsApplicantName: { label: 'counts-applicant-name', path: () => `/api/work/counts?applicant=${name}` },
    };
    const scenarios = {} as QueueResult['scenarios'];
    const quiet = opts.quietWaitS > 0 ? await waitForQuiet(opts.quietWaitS, 0.3, (m) => log(`[queue/${kind}] ${m}`)) : null;
    if (quiet && quiet.busyCores !== null && quiet.busyCores >= 0.3) {
      notes.push(`other processes kept ${quiet.busyCores} cores busy just before the measurement (waited ${quiet.waitedS} s)`);
    }
    /** `perSample` requests (server side, in order) make one sample; their server times are added up. */
    const measure = async (scenario: ScenarioName, label: string, path: string, once: (i: number) => Promise<number>, perSample = 1): Promise<Scenario> => {
      for (let i = 0; i < opts.warmup; i++) await once(i);
      await child!.call({ cmd: 'reset' });
      const samples: number[] = [];
      let items = 0;
      let errors = 0;
      for (let i = 0; i < opts.requests; i++) {
        const t = process.hrtime.bigint();
        try {
          const n = await once(opts.warmup + i);
          samples.push(ms(t));
          items += n;
        } catch (err) {
          errors++;
          if (errors === 1) notes.push(`${scenario}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const stats = await child!.call<ServerStats>({ cmd: 'stats' });
      const l = stats.labels[label];
      const durations: number[] = [];
      for (let i = 0; i + perSample <= (l?.durations.length ?? 0); i += perSample) {
        durations.push(l!.durations.slice(i, i + perSample).reduce((a, b) => a + b, 0));
      }
      const n = durations.length;
      const explain = await child!.call<ExplainResult>({ cmd: 'explain', label });
      const result: Scenario = {
        path,
        latencyMs: summarize(samples),
        serverSideMs: summarize(durations),
        dbRoundTripsPerRequest: n ? Math.round((l!.dbQueries / n) * 100) / 100 : 0,
        dbMsPerRequest: n ? Math.round((l!.dbMs / n) * 100) / 100 : 0,
        itemsPerPage: samples.length ? Math.round((items / samples.length) * 10) / 10 : 0,
        errors,
        explain: { ...explain, usesQueueIndex: usesDossierIndexes(explain.plan) },
      };
      log(
        `[queue/${kind}] ${scenario}: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms (server-side p50 ${result.serverSideMs.p50}, p99 ${result.serverSideMs.p99}; ${result.itemsPerPage} items)`,
      );
      return result;
    };
    for (const [sname, s] of Object.entries(scenarioPaths) as Array<[Exclude<ScenarioName, 'openPage'>, (typeof scenarioPaths)['first']]>) {
      if (sname === 'next' && cursors.length === 0) {
        notes.push(`${UNIT} has a single page: no "next page" requests`);
      }
      const isCounts = sname.startsWith('counts');
      scenarios[sname] = await measure(sname, s.label, s.path(0).replace(/cursor=[^&]+/, 'cursor=…'), async (i) => {
        if (!isCounts) return (await getPage(c, s.path(i), s.label)).items.length;
        const r = await c.request('GET', s.path(i), undefined, { 'x-bench-label': s.label });
        if (r.status !== 200) throw new HttpError(r.status, r.body, `GET ${s.path(i)}`);
        return Object.keys((JSON.parse(r.body) as { queues: object }).queues).length;
      });
    }
    // Opening the queue page: the tab counts, then the first page of the default tab. The browser
    // sends both at once; one after the other here, so this is an upper bound of what it waits.
    scenarios.openPage = await measure(
      'openPage',
      'open-page',
      'GET /api/work/counts, then GET /api/work/dossiers?limit=50',
      async () => {
        const r = await c.request('GET', '/api/work/counts', undefined, { 'x-bench-label': 'open-page' });
        if (r.status !== 200) throw new HttpError(r.status, r.body, 'GET /api/work/counts');
        return (await getPage(c, '/api/work/dossiers?limit=50', 'open-page')).items.length;
      },
      2,
    );
    c.close();
    await child.stop();
    child = null;
    const serverProfile = opts.profileDir ? summarizeBusiestProfile(opts.profileDir) : null;

    const pages = PAGE_SCENARIOS.flatMap((k) => (scenarios[k] ? [scenarios[k]] : []));
    const openPage = scenarios.openPage!;
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
        unitAtDeskSteps: counts.unit_at_desk_steps,
        unitReturned: counts.unit_returned,
        filters,
        periodDays: PERIOD_DAYS,
        tableSize: counts.size,
      },
      scenarios,
      targets: {
        p50Ms: 10,
        p99Ms: 30,
        openPageMs: OPEN_PAGE_TARGET_MS,
        met: {
          p50: pages.every((s) => s.latencyMs.p50 <= 10),
          p99: pages.every((s) => s.latencyMs.p99 <= 30),
          openPage: openPage.errors === 0 && openPage.latencyMs.p99 < OPEN_PAGE_TARGET_MS,
        },
      },
      notes,
      loadAverageBefore,
      loadAverageAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
      serverProfile,
    };
  } finally {
    await childCleanup.release();
    await target.cleanup.release();
  }
}

/** Every dossiers access in the plan goes through an index (no sequential scan of the table). */
function usesDossierIndexes(plan: string): boolean {
  return /dossiers_\w+_idx/.test(plan) && !/Seq Scan on dossiers/.test(plan);
}
