/**
 * The leaders' heatmap at N dossiers on PostgreSQL (issue 5 item 10): GET /api/monitoring/heatmap
 * for the whole province and a quarter, one request at a time after a warm-up (server time inside
 * the server child, HTTP 'request' event to response 'finish'), against, in the same run, a plain
 * GROUP BY over the raw dossiers table computing the same per-unit figures for the quarter.
 *
 * The dossiers come from bench/lib/generate.ts (dossiers only, no action log). The aggregate
 * tables are then filled from them in SQL (fillAggregates) with exactly what the action path
 * (src/core/aggregates.ts deltasOf, written by aggregateCtes) would have written for their
 * histories; a check in the run compares the two ways of counting for the quarter.
 *
 *   npx tsx bench/run.ts --db postgres --only heatmap [--heatmap-dossiers 1000000]
 *   npm run bench:heatmap -- [--heatmap-dossiers 10000000]
 */
import os from 'node:os';
import type pg from 'pg';
import { CalendarStore } from '../src/calendar/store.js';
import { dateOfDayNumber, dayNumberOf } from '../src/core/calendar.js';
import { dueSoonLastDay } from '../src/monitoring/flows.js';
import { presetContaining } from '../src/monitoring/period.js';
import { ServerChild } from './lib/child.js';
import { register } from './lib/cleanup.js';
import { generateDossiers, PERIOD_DAYS, type GenerateResult } from './lib/generate.js';
import { Client, HttpError } from './lib/http.js';
import { waitForQuiet } from './lib/machine.js';
import type { ProfileSummary } from './lib/profile.js';
import type { ServerStats } from './lib/protocol.js';
import { ms, percentile, summarize, type LatencySummary } from './lib/stats.js';
import { summarizeBusiestProfile } from './lib/profile.js';
import { BENCH_PASSWORD, createTarget, databaseInfo, openTarget, prepareReference } from './lib/target.js';

export interface HeatmapOptions {
  dossiers: number;
  requests: number;
  warmup: number;
  /** Runs of the raw GROUP BY (each scans the whole table). */
  baselineRuns: number;
  quietWaitS: number;
  /**
   * A named PostgreSQL database kept between runs (motcua_bench_…): generated once, then each run
   * migrates it, fills the aggregates again and measures (the dossiers' dates stay those of the
   * generation day).
   */
  keepDb?: string;
  /** --cpu-prof: the server child writes a V8 CPU profile here (its summary goes with the results). */
  profileDir?: string | null;
  /** With keepDb: the aggregate tables of the last run are kept as they are (not filled again). */
  keepAggregates?: boolean;
}

export type Latency = LatencySummary & { p95: number };

export interface HeatmapScenario {
  path: string;
  serverSideMs: Latency;
  latencyMs: Latency;
  dbRoundTripsPerRequest: number;
  dbMsPerRequest: number;
  responseBytes: number;
  rows: number;
  errors: number;
}

export interface HeatmapResult {
  benchmark: 'heatmap';
  db: 'postgres';
  database: Record<string, unknown>;
  options: { requested: number; requests: number; warmup: number; baselineRuns: number };
  data: GenerateResult & {
    total: number;
    received: number;
    periodDays: number;
    tableSize: string;
    fillSeconds: number;
    aggregates: Record<string, { rows: number; size: string }>;
    quarter: { from: string; to: string };
    /** The quarter's per-unit figures from the aggregate tables equal the raw GROUP BY's. */
    check: { units: number; equal: boolean; mismatches: string[] };
  };
  scenarios: Record<string, HeatmapScenario>;
  baseline: { sql: string; ms: Latency; units: number; plan: string };
  /** Raw GROUP BY ÷ heatmap server time, at p50 and at p95 (the quarter scenario). */
  ratio: { p50: number; p95: number };
  targets: { p95Ms: number; ratio: number; met: { p95: boolean; ratio: boolean } };
  notes: string[];
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  /** Not profiled (kept for the README's profile section). */
  serverProfile: ProfileSummary | null;
}

const LEADER = 'lanhdao.tinh'; // province leader of H15 (DEMO_STAFF)
export const HEATMAP_P95_TARGET_MS = 100;
export const HEATMAP_RATIO_TARGET = 100;

const withP95 = (samples: number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { ...summarize(samples), p95: Math.round(percentile(sorted, 95) * 100) / 100 };
};

/** Local (UTC+7) date of a timestamptz column, as the aggregates attribute days (localDay). */
const local = (col: string) => `((${col} AT TIME ZONE 'UTC') + interval '7 hours')::date`;

/**
 * The aggregate tables from the generated dossiers, set-based. What the action path writes for a
 * dossier's history (deltasOf over its actions), by its deciding unit, procedure and channel:
 * - received: +1 on the local day of its receipt (received_at; refused-at-the-desk and submitted
 *   dossiers have none and count nothing);
 * - settled: when it leaves the open statuses (finished, returned, withdrawn, stopped:
 *   finished_at set), +1 early / on time / late by the timeliness recorded (none recorded counts
 *   as on time, as deltasOf does), on the local day of finished_at; working time is not generated
 *   (0);
 * - a supplement request: +1 on the day it was asked (paused_at of status 5, the only one the
 *   generator leaves; earlier requests are not generated);
 * - open: received and not settled, +1 on the local day of its legal appointment ('infinity'
 *   without one).
 * monitoring_daily_field and monitoring_monthly_field are monitoring_daily summed, as their
 * writers do. Apologies are not generated.
 */
export async function fillAggregates(pool: pg.Pool): Promise<void> {
  await pool.query(`
    INSERT INTO monitoring_daily (unit_code, day, procedure_code, channel, field_code, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
    SELECT x.unit, x.day, x.procedure_code, x.channel, p.field_code, sum(x.r), sum(x.e), sum(x.o), sum(x.l), 0, sum(x.s), 0
    FROM (
      SELECT deciding_unit AS unit, ${local('received_at')} AS day, procedure_code, channel, 1 AS r, 0 AS e, 0 AS o, 0 AS l, 0 AS s
        FROM dossiers WHERE received_at IS NOT NULL
      UNION ALL
      SELECT deciding_unit, ${local('finished_at')}, procedure_code, channel, 0,
             (coalesce(timeliness, '') = 'early')::int, (coalesce(timeliness, 'on_time') = 'on_time')::int, (coalesce(timeliness, '') = 'late')::int, 0
        FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NOT NULL
      UNION ALL
      SELECT deciding_unit, ${local('paused_at')}, procedure_code, channel, 0, 0, 0, 0, 1
        FROM dossiers WHERE received_at IS NOT NULL AND status_code = 5 AND paused_at IS NOT NULL
    ) x JOIN procedures p ON p.code = x.procedure_code
    GROUP BY x.unit, x.day, x.procedure_code, x.channel, p.field_code`);
  await pool.query(`
    INSERT INTO monitoring_daily_field (day, unit_code, field_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
    SELECT day, unit_code, field_code, channel, sum(received), sum(settled_early), sum(settled_on_time), sum(settled_late), sum(settled_working_ms), sum(supplement_requests), sum(apologies)
    FROM monitoring_daily GROUP BY 1, 2, 3, 4`);
  await pool.query(`
    INSERT INTO monitoring_monthly_field (month, unit_code, field_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies)
    SELECT date_trunc('month', day)::date, unit_code, field_code, channel, sum(received), sum(settled_early), sum(settled_on_time), sum(settled_late), sum(settled_working_ms), sum(supplement_requests), sum(apologies)
    FROM monitoring_daily GROUP BY 1, 2, 3, 4`);
  // monitoring_open's row trigger keeps its roll-ups (migration 021) one row at a time; a bulk
  // load turns triggers off for its own connection and fills the roll-ups set-based instead.
  const c = await pool.connect();
  try {
    await c.query(`SET session_replication_role = replica`);
    await c.query(`
      INSERT INTO monitoring_open (unit_code, procedure_code, channel, due_day, field_code, open_count)
      SELECT d.deciding_unit, d.procedure_code, d.channel, coalesce(${local('d.legal_appointment_at')}, 'infinity'::date), p.field_code, count(*)
      FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
      WHERE d.received_at IS NOT NULL AND d.finished_at IS NULL
      GROUP BY 1, 2, 3, 4, 5`);
    await c.query(`SET session_replication_role = DEFAULT`);
    await c.query('SELECT monitoring_open_rollup_fill()');
  } finally {
    c.release();
  }
  // The flag tables from the flags the generator stored (migration 020's set-based fill).
  await pool.query('SELECT monitoring_flags_fill()');
  await pool.query('ANALYZE monitoring_daily, monitoring_daily_field, monitoring_monthly_field, monitoring_open, monitoring_open_unit, monitoring_open_field, monitoring_flag_daily, monitoring_flag_daily_field, monitoring_flag_monthly_field, monitoring_flag_open, monitoring_monthly_unit, monitoring_flag_monthly_unit, monitoring_open_total, monitoring_open_month');
}

/**
 * The heatmap's per-unit figures for [from, to] straight from the dossiers: one GROUP BY over the
 * whole table (carried over needs every dossier received before the period). $1 / $2: the
 * period's first instant and the instant after it; $3: today's first instant; $4: the instant
 * after the last "due soon" day (local midnights, UTC+7).
 */
export const BASELINE_SQL = `SELECT deciding_unit AS unit,
       count(*) FILTER (WHERE received_at >= $1 AND received_at < $2) AS received,
       count(*) FILTER (WHERE received_at >= $1 AND received_at < $2 AND channel = 2) AS received_online,
       count(*) FILTER (WHERE received_at IS NOT NULL AND finished_at >= $1 AND finished_at < $2 AND timeliness = 'early') AS early,
       count(*) FILTER (WHERE received_at IS NOT NULL AND finished_at >= $1 AND finished_at < $2 AND coalesce(timeliness, 'on_time') = 'on_time') AS on_time,
       count(*) FILTER (WHERE received_at IS NOT NULL AND finished_at >= $1 AND finished_at < $2 AND timeliness = 'late') AS late,
       count(*) FILTER (WHERE received_at < $1 AND (finished_at IS NULL OR finished_at >= $1)) AS carried_over,
       count(*) FILTER (WHERE received_at < $1 AND (finished_at IS NULL OR finished_at >= $1) AND channel = 2) AS carried_over_online,
       count(*) FILTER (WHERE received_at IS NOT NULL AND finished_at IS NULL AND legal_appointment_at < $3) AS overdue,
       count(*) FILTER (WHERE received_at IS NOT NULL AND finished_at IS NULL AND legal_appointment_at >= $3 AND legal_appointment_at < $4) AS due_soon
  FROM dossiers
 GROUP BY deciding_unit`;

/** The same figures from the aggregate tables (a direct check of fillAggregates, not the app's path). */
const AGG_SQL = `SELECT u.unit,
       coalesce(f.received, 0) AS received, coalesce(f.received_online, 0) AS received_online, coalesce(f.early, 0) AS early,
       coalesce(f.on_time, 0) AS on_time, coalesce(f.late, 0) AS late,
       coalesce(f.before_net, 0) AS carried_over, coalesce(f.before_net_online, 0) AS carried_over_online,
       coalesce(o.overdue, 0) AS overdue, coalesce(o.due_soon, 0) AS due_soon
  FROM (SELECT unit_code AS unit FROM monitoring_daily_field UNION SELECT unit_code FROM monitoring_open) u
  LEFT JOIN (SELECT unit_code,
                    sum(received) FILTER (WHERE day BETWEEN $1 AND $2) AS received,
                    sum(received) FILTER (WHERE day BETWEEN $1 AND $2 AND channel = 2) AS received_online,
                    sum(settled_early) FILTER (WHERE day BETWEEN $1 AND $2) AS early,
                    sum(settled_on_time) FILTER (WHERE day BETWEEN $1 AND $2) AS on_time,
                    sum(settled_late) FILTER (WHERE day BETWEEN $1 AND $2) AS late,
                    sum(received - settled_early - settled_on_time - settled_late) FILTER (WHERE day < $1) AS before_net,
                    sum(received - settled_early - settled_on_time - settled_late) FILTER (WHERE day < $1 AND channel = 2) AS before_net_online
               FROM monitoring_daily_field GROUP BY 1) f ON f.unit_code = u.unit
  LEFT JOIN (SELECT unit_code,
                    sum(open_count) FILTER (WHERE due_day < $3) AS overdue,
                    sum(open_count) FILTER (WHERE due_day >= $3 AND due_day <= $4) AS due_soon
               FROM monitoring_open GROUP BY 1) o ON o.unit_code = u.unit`;

const FIGURES = ['received', 'received_online', 'early', 'on_time', 'late', 'carried_over', 'carried_over_online', 'overdue', 'due_soon'] as const;
const localMidnight = (day: string) => `${day}T00:00:00+07:00`;

export async function runHeatmap(opts: HeatmapOptions, log: (s: string) => void): Promise<HeatmapResult> {
  const loadAverageBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const target = await createTarget('postgres', { keep: opts.keepDb });
  const notes: string[] = [];
  let child: ServerChild | null = null;
  const childCleanup = register('stop server child', async () => {
    await child?.stop();
  });
  try {
    log(`[heatmap] preparing ${target.name}: ${opts.dossiers.toLocaleString('en')} dossiers`);
    const prep = await openTarget(target);
    const pool = prep.database.pool as pg.Pool;
    try {
      await prepareReference(prep);
      // A kept database holds the generation's facts; it is generated again when the size differs.
      await pool.query(`CREATE TABLE IF NOT EXISTS bench_generation (id int PRIMARY KEY, at timestamptz NOT NULL, result jsonb NOT NULL)`);
      const kept = opts.keepDb ? (await pool.query<{ at: Date; result: GenerateResult }>('SELECT at, result FROM bench_generation WHERE id = 1')).rows[0] : undefined;
      let now: Date;
      let gen: GenerateResult;
      const reused = !!kept && kept.result.requested === opts.dossiers;
      if (kept && reused) {
        now = new Date(kept.at);
        gen = kept.result;
        log(`[heatmap] reusing ${gen.generated.toLocaleString('en')} dossiers generated ${now.toISOString()} in ${opts.keepDb}`);
        notes.push(`dossiers generated ${now.toISOString()} (kept database ${opts.keepDb}), measured ${new Date().toISOString()}`);
        if (!opts.keepAggregates) {
          // The unit roll-ups (migrations 025, 026) with the tables they sum: TRUNCATE fires no row trigger.
          for (const t of ['monitoring_daily', 'monitoring_daily_field', 'monitoring_monthly_field', 'monitoring_monthly_unit', 'monitoring_open', 'monitoring_open_unit', 'monitoring_open_field', 'monitoring_open_total', 'monitoring_open_month']) await pool.query(`TRUNCATE ${t}`);
        } else notes.push('aggregate tables kept from the previous run on this database (not filled again)');
      } else {
        now = new Date();
        if (opts.keepDb) await pool.query('TRUNCATE dossiers RESTART IDENTITY CASCADE');
        gen = await generateDossiers(pool, opts.dossiers, { now, chunk: 100_000, log, bulk: true });
        await pool.query(`INSERT INTO bench_generation (id, at, result) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET at = excluded.at, result = excluded.result`, [now, gen]);
        log(`[heatmap] generated ${gen.generated.toLocaleString('en')} dossiers in ${gen.seconds} s`);
      }
      const t0 = performance.now();
      if (!(reused && opts.keepAggregates)) await fillAggregates(pool);
      const fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
      log(`[heatmap] aggregates filled in ${fillSeconds} s`);

      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      const quarter = presetContaining('quarter', today);
      const previous = presetContaining('quarter', dateOfDayNumber(dayNumberOf(quarter.from) - 1));
      // "Due soon" ends on the 2nd working day after today; the check uses the app's own answer
      // for the province (flows.ts dueSoonLastDay) through the same calendar.
      const cal = await new CalendarStore(prep.ctx.db).forUnit('H15');
      const dueSoonEnd = dueSoonLastDay(cal, today);

      const params = [localMidnight(quarter.from), localMidnight(dateOfDayNumber(dayNumberOf(quarter.to) + 1)), localMidnight(today), localMidnight(dateOfDayNumber(dayNumberOf(dueSoonEnd) + 1))];
      const counts = (
        await pool.query<{ total: number; received: number; size: string }>(
          `SELECT count(*)::int AS total, count(received_at)::int AS received, pg_size_pretty(pg_total_relation_size('dossiers')) AS size FROM dossiers`,
        )
      ).rows[0]!;
      const aggregates: Record<string, { rows: number; size: string }> = {};
      for (const t of ['monitoring_daily', 'monitoring_daily_field', 'monitoring_monthly_field', 'monitoring_monthly_unit', 'monitoring_open', 'monitoring_open_unit', 'monitoring_open_total', 'monitoring_open_month', 'monitoring_flag_open', 'monitoring_flag_daily', 'monitoring_flag_daily_field', 'monitoring_flag_monthly_field', 'monitoring_flag_monthly_unit']) {
        const r = (await pool.query<{ n: number; size: string }>(`SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('${t}')) AS size FROM ${t}`)).rows[0]!;
        aggregates[t] = { rows: r.n, size: r.size };
      }

      // Check: the aggregates say what the dossiers say for the quarter, unit by unit.
      const raw = await pool.query<Record<string, string>>(BASELINE_SQL, params);
      const agg = await pool.query<Record<string, string>>(AGG_SQL, [quarter.from, quarter.to, today, dueSoonEnd]);
      const aggBy = new Map(agg.rows.map((r) => [r.unit, r]));
      const mismatches: string[] = [];
      for (const r of raw.rows) {
        const a = aggBy.get(r.unit!);
        for (const k of FIGURES) {
          if (Number(r[k]) !== Number(a?.[k] ?? 0)) mismatches.push(`${r.unit} ${k}: dossiers ${r[k]}, aggregates ${a?.[k] ?? 0}`);
        }
      }
      if (mismatches.length) notes.push(`aggregates differ from the dossiers for the quarter: ${mismatches.slice(0, 5).join('; ')}`);
      log(`[heatmap] check: ${raw.rows.length} units, ${mismatches.length} mismatches`);
      const dbInfo = await databaseInfo(async (q) => (await pool.query(q)).rows as Array<Record<string, unknown>>);

      child = await ServerChild.start({ ...target.childEnv, BENCH_POOL_SIZE: '8' }, opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []);
      const c = new Client('127.0.0.1', child.port);
      await c.login(LEADER, BENCH_PASSWORD);
      const quiet = opts.quietWaitS > 0 ? await waitForQuiet(opts.quietWaitS, 0.3, (m) => log(`[heatmap] ${m}`)) : null;
      if (quiet && quiet.busyCores !== null && quiet.busyCores >= 0.3) notes.push(`other processes kept ${quiet.busyCores} cores busy just before the measurement (waited ${quiet.waitedS} s)`);

      const scenarioPaths: Record<string, string> = {
        quarter: `/api/monitoring/heatmap?period=quarter&from=${quarter.from}`,
        previousQuarter: `/api/monitoring/heatmap?period=quarter&from=${previous.from}`,
        year: `/api/monitoring/heatmap?period=year&from=${today}`,
      };
      const scenarios: Record<string, HeatmapScenario> = {};
      for (const [name, path] of Object.entries(scenarioPaths)) {
        const label = `heatmap-${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
        let bytes = 0;
        let rows = 0;
        const once = async () => {
          const r = await c.request('GET', path, undefined, { 'x-bench-label': label });
          if (r.status !== 200) throw new HttpError(r.status, r.body, `GET ${path}`);
          bytes = Buffer.byteLength(r.body);
          rows = (JSON.parse(r.body) as { rows: unknown[] }).rows.length;
        };
        for (let i = 0; i < opts.warmup; i++) await once();
        await child.call({ cmd: 'reset' });
        const samples: number[] = [];
        let errors = 0;
        for (let i = 0; i < opts.requests; i++) {
          const t = process.hrtime.bigint();
          try {
            await once();
            samples.push(ms(t));
          } catch (err) {
            errors++;
            if (errors === 1) notes.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        const stats = await child.call<ServerStats>({ cmd: 'stats' });
        const l = stats.labels[label];
        const n = l?.durations.length ?? 0;
        scenarios[name] = {
          path,
          serverSideMs: withP95(l?.durations ?? []),
          latencyMs: withP95(samples),
          dbRoundTripsPerRequest: n ? Math.round((l!.dbQueries / n) * 100) / 100 : 0,
          dbMsPerRequest: n ? Math.round((l!.dbMs / n) * 100) / 100 : 0,
          responseBytes: bytes,
          rows,
          errors,
        };
        const s = scenarios[name]!;
        log(`[heatmap] ${name}: server p50 ${s.serverSideMs.p50} / p95 ${s.serverSideMs.p95} / p99 ${s.serverSideMs.p99} ms (DB ${s.dbMsPerRequest} ms in ${s.dbRoundTripsPerRequest} round trips; ${rows} rows, ${bytes} bytes)`);
      }
      c.close();
      await child.stop();
      child = null;

      // The raw GROUP BY, in the same run, on the same database (after the server has stopped).
      const plan = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${BASELINE_SQL}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      const baseSamples: number[] = [];
      let baseUnits = 0;
      for (let i = 0; i < opts.baselineRuns; i++) {
        const t = process.hrtime.bigint();
        baseUnits = (await pool.query(BASELINE_SQL, params)).rowCount ?? 0;
        baseSamples.push(ms(t));
      }
      const baseline = { sql: BASELINE_SQL, ms: withP95(baseSamples), units: baseUnits, plan };
      log(`[heatmap] raw GROUP BY: p50 ${baseline.ms.p50} / p95 ${baseline.ms.p95} ms over ${opts.baselineRuns} runs`);
      const q = scenarios.quarter!;
      const ratio = { p50: Math.round((baseline.ms.p50 / q.serverSideMs.p50) * 10) / 10, p95: Math.round((baseline.ms.p95 / q.serverSideMs.p95) * 10) / 10 };
      log(`[heatmap] ratio GROUP BY ÷ heatmap: ${ratio.p50}× at p50, ${ratio.p95}× at p95`);
      return {
        benchmark: 'heatmap',
        db: 'postgres',
        database: dbInfo,
        options: { requested: opts.dossiers, requests: opts.requests, warmup: opts.warmup, baselineRuns: opts.baselineRuns },
        data: {
          ...gen,
          total: counts.total,
          received: counts.received,
          periodDays: PERIOD_DAYS,
          tableSize: counts.size,
          fillSeconds,
          aggregates,
          quarter: { from: quarter.from, to: quarter.to },
          check: { units: raw.rows.length, equal: mismatches.length === 0, mismatches: mismatches.slice(0, 20) },
        },
        scenarios,
        baseline,
        ratio,
        targets: {
          p95Ms: HEATMAP_P95_TARGET_MS,
          ratio: HEATMAP_RATIO_TARGET,
          met: { p95: q.errors === 0 && q.serverSideMs.p95 <= HEATMAP_P95_TARGET_MS, ratio: ratio.p95 >= HEATMAP_RATIO_TARGET && ratio.p50 >= HEATMAP_RATIO_TARGET },
        },
        notes,
        loadAverageBefore,
        loadAverageAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
        serverProfile: opts.profileDir ? summarizeBusiestProfile(opts.profileDir) : null,
      };
    } finally {
      await prep.close();
    }
  } finally {
    await childCleanup.release();
    await target.cleanup.release();
  }
}
