/**
 * The monthly report on schedule, with a job queue in PostgreSQL (pg-boss 10, schema "pgboss",
 * created and migrated by pg-boss at start). pg-boss talks to the database through the app's own
 * pool (`db.executeSql` adapter), so the same code runs on PostgreSQL and on embedded PGlite
 * (whose single in-process connection the pool wraps).
 *
 * - Queue `motcua.reports.monthly`, policy "stately": at most one job queued and one running per
 *   singleton key.
 * - Schedule: MONTHLY_CRON, 01:00 on the 1st of each month, Vietnam time (Asia/Ho_Chi_Minh); the
 *   job makes the previous month's II.06a and II.07a for every province (monthly.ts).
 * - Catch-up at start: if the previous month's report is not complete and emailed (the servers
 *   were down at 01:00 on the 1st, or SMTP failed), a job for that month is queued at once.
 *
 * With two or more servers the month's job runs once: every server registers the same schedule
 * (an upsert), but each ~30 s pg-boss lets only one of them evaluate the schedules (an UPDATE of
 * the cron_on timestamp in pgboss.version that only the first caller in the interval wins); the
 * cron job it sends carries singletonSeconds = 60 and a singleton key, so a second evaluation
 * within the minute is a no-op (unique index on singleton_on, singleton_key); the job is fetched
 * with SELECT … FOR UPDATE SKIP LOCKED, so one worker gets it; the stately policy keeps a duplicate
 * (e.g. the catch-up of two servers starting together) from running beside it. Under all that,
 * the run itself is unique per province and month with a lease (monthly.ts): a duplicate that
 * still ran would find it claimed or done and store and email nothing.
 * A failed run (e.g. SMTP down) is retried by pg-boss with backoff.
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { AppContext } from '../platform/context.js';
import type { FileStore } from '../platform/files.js';
import { vietnamDate } from '../monitoring/period.js';
import { monthPeriod, previousMonth, runMonthlyReports, type ReportLog } from './monthly.js';

export const MONTHLY_QUEUE = 'motcua.reports.monthly';
/** 01:00 on the 1st of each month. */
export const MONTHLY_CRON = '0 1 1 * *';
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const PGBOSS_SCHEMA = 'pgboss';

/** pg-boss over an existing pool (PostgreSQL, or PGlite through its node-postgres adapter). */
export function pgBossDb(pool: pg.Pool): PgBoss.Db {
  return { executeSql: (text, values) => pool.query(text, values) };
}

export interface ReportJobs {
  boss: PgBoss;
  /** The month the catch-up queued at start, if any. */
  caughtUp: string | null;
  stop(): Promise<void>;
}

export interface ReportJobOptions {
  /** How often an idle worker looks for a job (s, ≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** Queue the previous month at start if it is not done (default true). */
  catchUp?: boolean;
  files?: FileStore;
  log?: ReportLog;
}

const consoleLog: ReportLog = { info: (m) => console.log(m), warn: (m) => console.warn(m), error: (m) => console.error(m) };

/** Whether the month's report of every province is stored and emailed. */
async function monthDone(ctx: AppContext, month: string): Promise<boolean> {
  const p = monthPeriod(month);
  const provinces = await ctx.db.selectFrom('units').select('code').where('kind', '=', 'province').where('active', '=', true).execute();
  const done = await ctx.db
    .selectFrom('report_runs')
    .select('unit_code')
    .where('period_from', '=', p.from)
    .where('period_to', '=', p.to)
    .where('completed_at', 'is not', null)
    .where('emailed_at', 'is not', null)
    .execute();
  const have = new Set(done.map((d) => d.unit_code));
  return provinces.every((u) => have.has(u.code));
}

/** Starts pg-boss, the monthly schedule and its worker. */
export async function startReportJobs(ctx: AppContext, opts: ReportJobOptions = {}): Promise<ReportJobs> {
  const log = opts.log ?? consoleLog;
  const boss = new PgBoss({ db: pgBossDb(ctx.database.pool), schema: PGBOSS_SCHEMA });
  boss.on('error', (err: Error) => log.error(`motcua: lỗi hàng đợi công việc / job queue error: ${err.message}`));
  await boss.start();
  await boss.createQueue(MONTHLY_QUEUE, { name: MONTHLY_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 300, retryBackoff: true, expireInSeconds: 3600 });
  await boss.schedule(MONTHLY_QUEUE, MONTHLY_CRON, {}, { tz: REPORT_TIME_ZONE, singletonKey: 'monthly' });
  await boss.work<{ month?: string }>(MONTHLY_QUEUE, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 10 }, async (jobs) => {
    for (const job of jobs) {
      const month = typeof job.data?.month === 'string' ? job.data.month : previousMonth(vietnamDate(ctx.now()));
      await runMonthlyReports(ctx, { month, files: opts.files, log });
    }
  });
  let caughtUp: string | null = null;
  if (opts.catchUp !== false) {
    const month = previousMonth(vietnamDate(ctx.now()));
    if (!(await monthDone(ctx, month))) {
      await boss.send(MONTHLY_QUEUE, { month }, { singletonKey: month });
      caughtUp = month;
    }
  }
  return {
    boss,
    caughtUp,
    stop: () => boss.stop({ graceful: true, wait: true, close: false, timeout: 30_000 }),
  };
}
