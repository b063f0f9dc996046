/**
 * Intake throughput over real HTTP: `clients` desk officers (one per commune), each looping
 * POST /api/dossiers (walk-in: submit + receive = 2 dossier actions) then
 * POST /api/dossiers/:code/actions {type: forward} (1 action), against the server child.
 * Beside it, the ceiling: single-row autocommit INSERTs into a bench table with as many
 * connections, for as long, on the same database.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { ServerChild } from './lib/child.js';
import { register } from './lib/cleanup.js';
import { Client, HttpError } from './lib/http.js';
import { cpuSince, cpuSnapshot, POSTGRES_PIDS_SQL, waitForQuiet, type CpuSplit } from './lib/machine.js';
import type { ServerStats } from './lib/protocol.js';
import { summarizeBusiestProfile, type ProfileSummary } from './lib/profile.js';
import { ms, Recorder, summarize, type LatencySummary } from './lib/stats.js';
import { BENCH_PASSWORD, createDeskOfficers, createTarget, databaseInfo, openTarget, pgliteVersion, prepareReference, type DbKind } from './lib/target.js';

export interface IntakeOptions {
  durationS: number;
  warmupS: number;
  clients: number;
  /** Write a V8 CPU profile of the server child into this folder (diagnosis runs). */
  profileDir: string | null;
  /** Wait at most this long for other processes to leave the machine quiet (s); 0: do not wait. */
  quietWaitS: number;
}

export interface ServerSide {
  latency: LatencySummary;
  dbRoundTripsPerRequest: number;
  dbMsPerRequest: number;
  poolWaitMsPerRequest: number;
}

export interface IntakeResult {
  benchmark: 'intake';
  db: DbKind;
  database: Record<string, unknown>;
  options: { durationS: number; warmupS: number; clients: number; serverPoolSize: number };
  measured: {
    seconds: number;
    loops: number;
    dossierActions: number;
    httpRequests: number;
    dossierActionsPerS: number;
    httpRequestsPerS: number;
    errors: number;
    errorSamples: string[];
    latencyMs: { submit: LatencySummary; forward: LatencySummary };
    serverSideMs: Record<string, ServerSide>;
    /**
     * The server child: CPU cores used, event-loop utilisation, and the share of wall time its main
     * thread was runnable but waiting for a CPU (run-queue delay, /proc/self/schedstat).
     */
    server: { cpuCores: number; eventLoopUtilization: number; mainThreadWaitingForCpuShare: number | null };
    /** Cores used by processes other than the load generator, the server child and this database's PostgreSQL processes. */
    otherProcessesCores: number | null;
    cpu: CpuSplit;
    /** Average number of the server's PostgreSQL connections in each state / wait event. */
    postgresActivity: { samples: number; perSample: Record<string, number> } | null;
  };
  check: { actionsInDatabase: number; actionsExpected: number; forwardedInDatabase: number; forwardedExpected: number };
  ceiling: {
    rowsPerS: number;
    rows: number;
    seconds: number;
    connections: number;
    latencyMs: LatencySummary;
    cpu: CpuSplit;
    /** Cores used by processes other than this one and this database's PostgreSQL processes. */
    otherProcessesCores: number | null;
    note: string;
  };
  ratio: number;
  targets: { actionsPerS: number; ratio: number; p99Ms: number; met: { actionsPerS: boolean; ratio: boolean; p99: boolean } };
  notes: string[];
  loadAverageBefore: number[];
  /** With --cpu-prof: where the server child's CPU time went (whole life of the child). */
  serverProfile: ProfileSummary | null;
}

interface Phase {
  until: number;
  rec: Recorder;
  loops: number;
  actions: number;
  requests: number;
  errors: number;
  errorSamples: string[];
}

const SUBMIT_BODY = (i: number) => ({
  procedureCode: 'H15-HT-05',
  caseCode: 'MAC_DINH',
  applicant: { name: `Người nộp ${i} (benchmark)`, phone: `09${String(10_000_000 + (i % 89_999_999)).slice(-8)}` },
});

function newPhase(seconds: number): Phase {
  return { until: performance.now() + seconds * 1000, rec: new Recorder(), loops: 0, actions: 0, requests: 0, errors: 0, errorSamples: [] };
}

function fail(p: Phase, what: string, err: unknown): void {
  p.errors++;
  if (p.errorSamples.length < 5) p.errorSamples.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}

async function clientLoop(c: Client, idx: number, run: string, p: Phase): Promise<void> {
  let i = 0;
  while (performance.now() < p.until) {
    const key = `${run}-${idx}-${i++}`;
    let code: string;
    let t = process.hrtime.bigint();
    try {
      const r = await c.request('POST', '/api/dossiers', SUBMIT_BODY(idx * 1_000_000 + i), { 'idempotency-key': key });
      p.rec.add('submit', ms(t));
      p.requests++;
      if (r.status !== 201) throw new HttpError(r.status, r.body, 'submit');
      p.actions += 2;
      code = (JSON.parse(r.body) as { code: string }).code;
    } catch (err) {
      fail(p, 'submit', err);
      continue;
    }
    t = process.hrtime.bigint();
    try {
      const r = await c.request('POST', `/api/dossiers/${code}/actions`, { type: 'forward' }, { 'idempotency-key': `${key}.f` });
      p.rec.add('forward', ms(t));
      p.requests++;
      if (r.status !== 200) throw new HttpError(r.status, r.body, 'forward');
      p.actions += 1;
      p.loops++;
    } catch (err) {
      fail(p, 'forward', err);
    }
  }
}

function serverSide(stats: ServerStats, label: string): ServerSide {
  const l = stats.labels[label];
  const n = l?.durations.length ?? 0;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    latency: summarize(l?.durations ?? []),
    dbRoundTripsPerRequest: n ? r(l!.dbQueries / n) : 0,
    dbMsPerRequest: n ? r(l!.dbMs / n) : 0,
    poolWaitMsPerRequest: n ? r(l!.poolWaitMs / n) : 0,
  };
}

/**
 * Samples what the server's PostgreSQL connections are doing (pg_stat_activity, every 20 ms):
 * state and wait event. "idle in transaction" = the backend waits for the Node server inside a
 * transaction; "active" with a wait event = waiting in PostgreSQL (lock, WAL flush, I/O…).
 */
function sampleActivity(url: string): { stop(): Promise<{ samples: number; perSample: Record<string, number> }> } {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {}); // dropped with the database on Ctrl-C
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await c.connect();
    while (running) {
      const r = await c.query<{ k: string; n: number }>(
        `SELECT CASE WHEN datname IS DISTINCT FROM current_database() THEN 'other databases: active backends'
                    WHEN state = 'active' THEN 'active: ' || coalesce(wait_event_type || '/' || wait_event, 'on CPU')
                    ELSE state END AS k, count(*)::int AS n
         FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
           AND (datname = current_database() OR state = 'active')
         GROUP BY 1`,
      );
      samples++;
      for (const row of r.rows) counts.set(row.k, (counts.get(row.k) ?? 0) + row.n);
      await new Promise((res) => setTimeout(res, 20));
    }
  })().catch(() => {}); // the connection ends when the database is dropped on Ctrl-C
  return {
    stop: async () => {
      running = false;
      await loop;
      await c.end().catch(() => {});
      const perSample = Object.fromEntries(
        [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / Math.max(1, samples)) * 100) / 100]),
      );
      return { samples, perSample };
    },
  };
}

async function postgresPids(url: string): Promise<Set<number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return new Set((await c.query<{ pid: number }>(POSTGRES_PIDS_SQL)).rows.map((r) => r.pid));
  } finally {
    await c.end();
  }
}

const CEILING_TABLE = `CREATE TABLE IF NOT EXISTS bench_ceiling (
  id bigserial PRIMARY KEY,
  dossier_id bigint NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'
)`;
const CEILING_INSERT = 'INSERT INTO bench_ceiling (dossier_id, type, at, payload) VALUES ($1, $2, $3, $4)';

/** `connections` loops of single-row autocommit INSERTs; warm-up, then a measured window. */
async function ceiling(
  exec: (conn: number, sql: string, params: unknown[]) => Promise<unknown>,
  connections: number,
  warmupS: number,
  durationS: number,
  pids: () => Promise<Set<number> | undefined>,
): Promise<{ rows: number; seconds: number; rowsPerS: number; latencyMs: LatencySummary; cpu: CpuSplit }> {
  const run = async (seconds: number, rec: Recorder | null) => {
    const until = performance.now() + seconds * 1000;
    let rows = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        let i = 0;
        while (performance.now() < until) {
          const t = process.hrtime.bigint();
          await exec(c, CEILING_INSERT, [c * 1_000_000_000 + i++, 'forward', new Date(), '{"channel":1,"fee":0}']);
          rec?.add('insert', ms(t));
          rows++;
        }
      }),
    );
    return { rows, seconds: (performance.now() - t0) / 1000 };
  };
  await run(warmupS, null);
  const rec = new Recorder();
  const snap = cpuSnapshot(await pids());
  const m = await run(durationS, rec);
  const cpu = cpuSince(snap);
  if (!snap.postgresPids) cpu.postgres = null; // PGlite: the database runs in this process
  return { ...m, rowsPerS: Math.round(m.rows / m.seconds), latencyMs: summarize(rec.samples.get('insert') ?? []), cpu };
}

export async function runIntake(kind: DbKind, opts: IntakeOptions, log: (s: string) => void): Promise<IntakeResult> {
  const loadAverageBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const target = await createTarget(kind);
  const notes: string[] = [];
  let child: ServerChild | null = null;
  const childCleanup = register('stop server child', async () => {
    await child?.stop();
  });
  try {
    log(`[intake/${kind}] preparing ${target.name}`);
    const prep = await openTarget(target);
    let users: Array<{ username: string; unitCode: string }>;
    let dbInfo: Record<string, unknown>;
    try {
      await prepareReference(prep);
      users = await createDeskOfficers(prep, opts.clients);
      dbInfo = await databaseInfo(async (sql) => (await prep.database.pool.query(sql)).rows as Array<Record<string, unknown>>);
      if (kind === 'pglite') dbInfo.pglite = pgliteVersion();
    } finally {
      await prep.close();
    }

    const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
    child = await ServerChild.start({ ...target.childEnv, BENCH_POOL_SIZE: String(opts.clients) }, nodeArgs);
    const port = child.port;
    log(`[intake/${kind}] server child pid ${child.proc.pid} on 127.0.0.1:${port}; logging in ${users.length} desk officers`);
    const clients = users.map(() => new Client('127.0.0.1', port));
    for (let i = 0; i < clients.length; i++) await clients[i]!.login(users[i]!.username, BENCH_PASSWORD);

    const run = crypto.randomBytes(4).toString('hex');
    const drive = async (p: Phase, tag: string) => {
      const t0 = performance.now();
      await Promise.all(clients.map((c, i) => clientLoop(c, i, `${run}-${tag}`, p)));
      return (performance.now() - t0) / 1000;
    };

    const quiet = opts.quietWaitS > 0 ? await waitForQuiet(opts.quietWaitS, 0.3, (m) => log(`[intake/${kind}] ${m}`)) : null;
    if (quiet && quiet.busyCores !== null && quiet.busyCores >= 0.3) {
      notes.push(`other processes kept ${quiet.busyCores} cores busy just before the measurement (waited ${quiet.waitedS} s)`);
    }
    log(`[intake/${kind}] warm-up ${opts.warmupS} s`);
    const warm = newPhase(opts.warmupS);
    await drive(warm, 'w');
    await child.call({ cmd: 'reset' });
    log(`[intake/${kind}] measuring ${opts.durationS} s with ${clients.length} clients`);
    const measured = newPhase(opts.durationS);
    const pids = kind === 'postgres' ? await postgresPids(target.databaseUrl!) : undefined;
    const snap = cpuSnapshot(pids);
    const sampler = kind === 'postgres' ? sampleActivity(target.databaseUrl!) : null;
    const seconds = await drive(measured, 'm');
    const cpu = cpuSince(snap);
    if (kind === 'pglite') cpu.postgres = null; // the database runs inside the server child
    const activity = (await sampler?.stop()) ?? null;
    const stats = await child.call<ServerStats>({ cmd: 'stats' });
    for (const c of clients) c.close();
    const serverCores = Math.round(((stats.cpuUserMs + stats.cpuSystemMs) / stats.wallMs) * 100) / 100;
    const othersCores =
      cpu.machineBusy === null ? null : Math.max(0, Math.round((cpu.machineBusy - cpu.loadGenerator - serverCores - (cpu.postgres ?? 0)) * 100) / 100);

    const counts = await child.call<Array<{ actions: number; forwarded: number }>>({
      cmd: 'query',
      sql: `SELECT (SELECT count(*) FROM dossier_actions)::int AS actions,
                   (SELECT count(*) FROM dossiers WHERE status_code = 4)::int AS forwarded`,
    });
    const check = {
      actionsInDatabase: counts[0]?.actions ?? -1,
      actionsExpected: warm.actions + measured.actions,
      forwardedInDatabase: counts[0]?.forwarded ?? -1,
      forwardedExpected: warm.loops + measured.loops,
    };
    if (check.actionsInDatabase !== check.actionsExpected) {
      notes.push(`action log holds ${check.actionsInDatabase} rows, the clients counted ${check.actionsExpected} successful actions`);
    }
    await child.stop();
    child = null;
    const serverProfile = opts.profileDir ? summarizeBusiestProfile(opts.profileDir) : null;

    // The ceiling, on the same database, after the server has stopped (it would compete for the CPU).
    const quiet2 = opts.quietWaitS > 0 ? await waitForQuiet(opts.quietWaitS, 0.3, (m) => log(`[intake/${kind}] ${m}`)) : null;
    if (quiet2 && quiet2.busyCores !== null && quiet2.busyCores >= 0.3) {
      notes.push(`other processes kept ${quiet2.busyCores} cores busy just before the ceiling measurement (waited ${quiet2.waitedS} s)`);
    }
    log(`[intake/${kind}] ceiling: ${opts.clients} connections of single-row INSERTs, ${opts.durationS} s`);
    let ceil: Awaited<ReturnType<typeof ceiling>>;
    let ceilingNote: string;
    if (kind === 'postgres') {
      const conns = await Promise.all(
        Array.from({ length: opts.clients }, async () => {
          const c = new pg.Client({ connectionString: target.databaseUrl! });
          c.on('error', () => {}); // dropped with the database on Ctrl-C
          await c.connect();
          return c;
        }),
      );
      try {
        await conns[0]!.query(CEILING_TABLE);
        ceil = await ceiling((i, sql, params) => conns[i]!.query(sql, params), conns.length, opts.warmupS, opts.durationS, () =>
          postgresPids(target.databaseUrl!),
        );
      } finally {
        await Promise.all(conns.map((c) => c.end().catch(() => {})));
      }
      ceilingNote = `${opts.clients} pg connections from the bench process, autocommit, one row per statement`;
    } else {
      const o = await openTarget(target);
      try {
        await o.database.pool.query(CEILING_TABLE);
        ceil = await ceiling((_i, sql, params) => o.database.pool.query(sql, params), opts.clients, opts.warmupS, opts.durationS, async () => undefined);
      } finally {
        await o.close();
      }
      ceilingNote = `${opts.clients} concurrent loops through PGlite's single connection (in-process, no HTTP), autocommit, one row per statement`;
    }

    const actionsPerS = Math.round(measured.actions / seconds);
    const submit = measured.rec.samples.get('submit') ?? [];
    const forward = measured.rec.samples.get('forward') ?? [];
    const latencyMs = { submit: summarize(submit), forward: summarize(forward) };
    const ratio = Math.round((actionsPerS / ceil.rowsPerS) * 1000) / 1000;
    const worstP99 = Math.max(latencyMs.submit.p99, latencyMs.forward.p99);
    return {
      benchmark: 'intake',
      db: kind,
      database: dbInfo,
      options: { durationS: opts.durationS, warmupS: opts.warmupS, clients: opts.clients, serverPoolSize: stats.poolSize },
      measured: {
        seconds: Math.round(seconds * 100) / 100,
        loops: measured.loops,
        dossierActions: measured.actions,
        httpRequests: measured.requests,
        dossierActionsPerS: actionsPerS,
        httpRequestsPerS: Math.round(measured.requests / seconds),
        errors: measured.errors,
        errorSamples: measured.errorSamples,
        latencyMs,
        serverSideMs: { submit: serverSide(stats, 'submit'), forward: serverSide(stats, 'action') },
        server: {
          cpuCores: serverCores,
          eventLoopUtilization: Math.round(stats.eventLoopUtilization * 100) / 100,
          mainThreadWaitingForCpuShare:
            stats.mainThreadWaitingForCpuMs === null ? null : Math.round((stats.mainThreadWaitingForCpuMs / stats.wallMs) * 100) / 100,
        },
        otherProcessesCores: othersCores,
        cpu,
        postgresActivity: activity,
      },
      check,
      ceiling: {
        ...ceil,
        seconds: Math.round(ceil.seconds * 100) / 100,
        connections: opts.clients,
        otherProcessesCores:
          ceil.cpu.machineBusy === null
            ? null
            : Math.max(0, Math.round((ceil.cpu.machineBusy - ceil.cpu.loadGenerator - (ceil.cpu.postgres ?? 0)) * 100) / 100),
        note: ceilingNote,
      },
      ratio,
      targets: {
        actionsPerS: 1000,
        ratio: 0.5,
        p99Ms: 50,
        met: { actionsPerS: actionsPerS >= 1000, ratio: ratio >= 0.5, p99: worstP99 <= 50 },
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
