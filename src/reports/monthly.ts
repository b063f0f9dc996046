/**
 * The monthly report (issue 5 item 8): for each province, forms II.06a and II.07a of the previous
 * month as XLSX and PDF, stored in the file store (report_runs / report_files, migration 017) and
 * emailed with the four files attached to the configured leaders.
 *
 * Recipients (a setting, documented in the README): the active province leaders of that province
 * (users with role province_leader on the province unit) that have an email address, and the
 * addresses of REPORT_RECIPIENTS. Without SMTP_URL or without any recipient the files are stored
 * and the email waits (last_error says why); a later run for the same month (the job's catch-up at
 * start, a retry) sends it.
 *
 * Safe to run more than once and from several servers: a run is unique per unit and period; a
 * worker claims it with a lease (claimed_until) before working on it, so two workers never
 * generate or email it at once; files already stored are kept; the email is sent once
 * (emailed_at), except after a crash between the SMTP server's acceptance and the update, when it
 * is sent again on the next run (at least once, as the notifications are).
 * `runMonthlyReports` runs it now (tests, the job, an operator).
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { createFileStore, type FileStore } from '../platform/files.js';
import { presetContaining, vietnamDate, type Period } from '../monitoring/period.js';
import { monitoringScope } from '../monitoring/scope.js';
import { dateOfDayNumber, dayNumberOf } from '../core/calendar.js';
import { FORM_INFO, REPORT_FORMS, reportData, type ReportData, type ReportForm } from './data.js';
import { DEMO_LABEL, PDF_TYPE, reportPdf, reportXlsx, XLSX_TYPE } from './render.js';

export const REPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const CONTENT_TYPES: Record<ReportFormat, string> = { xlsx: XLSX_TYPE, pdf: PDF_TYPE };

/** How long a worker keeps a run to itself. */
export const RUN_LEASE_MS = 15 * 60_000;

export interface ReportLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const consoleLog: ReportLog = { info: (m) => console.log(m), warn: (m) => console.warn(m), error: (m) => console.error(m) };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month ('YYYY-MM') before the one containing the local date `today`. */
export function previousMonth(today: string): string {
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  return dateOfDayNumber(dayNumberOf(firstOfMonth) - 1).slice(0, 7);
}

export function monthPeriod(month: string): Period {
  if (!MONTH.test(month)) throw new Error(`not a month YYYY-MM: ${month}`);
  return presetContaining('month', `${month}-01`);
}

export interface RunResult {
  unit: string;
  period: { from: string; to: string };
  runId: number;
  /** What this call did: generated (some files stored), emailed, or nothing (done or busy elsewhere). */
  stored: number;
  emailed: boolean;
  skipped: 'done' | 'claimed' | null;
  /** Why the email is not sent yet, if it is not. */
  emailProblem: string | null;
}

/** Acts for the system on a unit's reports (the scope rules need an actor). */
const systemActor = (unit: string): Actor => ({
  userId: 0,
  role: 'admin',
  fullName: 'Hệ thống / System',
  unitCode: unit,
  unitPath: '/',
  idNumber: null,
  phone: null,
  email: null,
});

const storageKey = (unit: string, period: { from: string; to: string }, form: ReportForm, format: ReportFormat) =>
  `reports/${unit.toLowerCase()}/${period.from}_${period.to}/${form}.${format}`;

/** The monthly reports of `month` (default: the previous month) for every province, or `units`. */
export async function runMonthlyReports(
  ctx: AppContext,
  opts: { month?: string; units?: readonly string[]; files?: FileStore; log?: ReportLog } = {},
): Promise<RunResult[]> {
  const month = opts.month ?? previousMonth(vietnamDate(ctx.now()));
  const period = monthPeriod(month);
  const units = opts.units ?? (await ctx.db.selectFrom('units').select('code').where('kind', '=', 'province').where('active', '=', true).orderBy('code').execute()).map((u) => u.code);
  const files = opts.files ?? createFileStore(ctx.config);
  const log = opts.log ?? consoleLog;
  const out: RunResult[] = [];
  const failures: string[] = [];
  for (const unit of units) {
    try {
      out.push(await runReport(ctx, unit, period, files, log));
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      failures.push(`${unit}: ${m}`);
      log.error(`motcua: báo cáo tháng ${month} của ${unit} lỗi / monthly report ${month} of ${unit} failed: ${m}`);
    }
  }
  if (failures.length) throw new Error(`monthly reports ${month}: ${failures.join('; ')}`);
  return out;
}

/** Generates, stores and emails one run (see the module comment for the guarantees). */
export async function runReport(ctx: AppContext, unit: string, period: Period, files: FileStore, log: ReportLog = consoleLog): Promise<RunResult> {
  const now = ctx.now();
  await ctx.db
    .insertInto('report_runs')
    .values({ unit_code: unit, period_from: period.from, period_to: period.to, created_at: now })
    .onConflict((oc) => oc.columns(['unit_code', 'period_from', 'period_to']).doNothing())
    .execute();
  const run = await ctx.db
    .selectFrom('report_runs')
    .select(['id', 'completed_at', 'emailed_at'])
    .where('unit_code', '=', unit)
    .where('period_from', '=', period.from)
    .where('period_to', '=', period.to)
    .executeTakeFirstOrThrow();
  const base = { unit, period: { from: period.from, to: period.to }, runId: Number(run.id), stored: 0, emailed: false, emailProblem: null };
  if (run.completed_at && run.emailed_at) return { ...base, skipped: 'done' };
  const claimed = await ctx.db
    .updateTable('report_runs')
    .set({ claimed_until: new Date(now.getTime() + RUN_LEASE_MS) })
    .where('id', '=', run.id)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .where((eb) => eb.or([eb('completed_at', 'is', null), eb('emailed_at', 'is', null)]))
    .returning(['id', 'completed_at', 'emailed_at'])
    .executeTakeFirst();
  if (!claimed) return { ...base, skipped: run.completed_at && run.emailed_at ? 'done' : 'claimed' };
  const runId = Number(claimed.id);
  try {
    let stored = 0;
    let headline: ReportData | null = null;
    if (!claimed.completed_at) {
      const have = new Set(
        (await ctx.db.selectFrom('report_files').select(['form', 'format']).where('run_id', '=', runId).execute()).map((f) => `${f.form}.${f.format}`),
      );
      const scope = await monitoringScope(ctx, systemActor(unit), unit);
      for (const form of REPORT_FORMS) {
        if (REPORT_FORMATS.every((fmt) => have.has(`${form}.${fmt}`))) continue;
        const data = await reportData(ctx, scope, form, period);
        if (form === 'ii-06a') headline = data;
        for (const format of REPORT_FORMATS) {
          if (have.has(`${form}.${format}`)) continue;
          const bytes = format === 'xlsx' ? await reportXlsx(data) : await reportPdf(data);
          const key = storageKey(unit, period, form, format);
          await files.put(key, bytes, CONTENT_TYPES[format]);
          await ctx.db
            .insertInto('report_files')
            .values({ run_id: runId, form, format, storage_key: key, byte_size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), generated_at: data.generatedAt })
            .onConflict((oc) => oc.columns(['run_id', 'form', 'format']).doNothing())
            .execute();
          stored++;
        }
      }
      await ctx.db.updateTable('report_runs').set({ completed_at: ctx.now() }).where('id', '=', runId).execute();
      log.info(`motcua: đã lập báo cáo tháng ${period.from.slice(0, 7)} của ${unit} / monthly report ${period.from.slice(0, 7)} of ${unit} stored (${stored} files)`);
    }
    let emailed = false;
    let emailProblem: string | null = null;
    if (!claimed.emailed_at) {
      const r = await emailRun(ctx, runId, unit, period, files, headline);
      emailed = r.sent;
      emailProblem = r.problem;
      if (r.problem) log.warn(`motcua: báo cáo tháng ${period.from.slice(0, 7)} của ${unit} chưa gửi email / monthly report not emailed: ${r.problem}`);
    }
    return { ...base, runId, stored, emailed, emailProblem, skipped: null };
  } finally {
    await ctx.db.updateTable('report_runs').set({ claimed_until: null }).where('id', '=', runId).execute();
  }
}

/** Who receives a unit's monthly report (see the module comment). */
export async function reportRecipients(ctx: AppContext, unit: string): Promise<string[]> {
  const leaders = await ctx.db
    .selectFrom('users')
    .select('email')
    .where('role', '=', 'province_leader')
    .where('unit_code', '=', unit)
    .where('active', '=', true)
    .where('email', 'is not', null)
    .orderBy('id')
    .execute();
  const all = [...leaders.map((l) => l.email!.trim().toLowerCase()).filter((e) => e.includes('@')), ...ctx.config.reports.recipients];
  return [...new Set(all)];
}

const dmy = (d: string) => d.split('-').reverse().join('/');

async function emailRun(ctx: AppContext, runId: number, unit: string, period: Period, files: FileStore, headline: ReportData | null): Promise<{ sent: boolean; problem: string | null }> {
  const recipients = await reportRecipients(ctx, unit);
  const url = ctx.config.mail.smtpUrl;
  const problem = !url ? 'SMTP_URL chưa đặt / SMTP_URL not set' : recipients.length === 0 ? 'không có người nhận / no recipients (province leaders with an email, REPORT_RECIPIENTS)' : null;
  if (problem || !url) {
    await ctx.db.updateTable('report_runs').set({ last_error: problem, recipients }).where('id', '=', runId).execute();
    return { sent: false, problem };
  }
  const stored = await ctx.db.selectFrom('report_files').select(['form', 'format', 'storage_key']).where('run_id', '=', runId).orderBy('form').orderBy('format').execute();
  const unitRow = await ctx.db.selectFrom('units').select(['name', 'name_en']).where('code', '=', unit).executeTakeFirstOrThrow();
  if (!headline) {
    const scope = await monitoringScope(ctx, systemActor(unit), unit);
    headline = await reportData(ctx, scope, 'ii-06a', period);
  }
  const attachments = [];
  for (const f of stored) {
    const bytes = await files.get(f.storage_key);
    if (!bytes) throw new Error(`stored report file missing: ${f.storage_key}`);
    const stem = `${FORM_INFO[f.form].number}-${unit}-${period.from.slice(0, 7)}`;
    attachments.push({ filename: `${stem}.${f.format}`, content: Buffer.from(bytes), contentType: CONTENT_TYPES[f.format] });
  }
  const month = `${period.from.slice(5, 7)}/${period.from.slice(0, 4)}`;
  const t = headline.total;
  const rate = t.onTimeRate === null ? '-' : `${t.onTimeRate.toLocaleString('vi-VN')}%`;
  const rateEn = t.onTimeRate === null ? '-' : `${t.onTimeRate}%`;
  const demo = ctx.config.demo ? `[${DEMO_LABEL}] ` : '';
  const subject = `${demo}Báo cáo tháng ${month} – ${unitRow.name}: biểu II.06a, II.07a / Monthly report ${period.from.slice(0, 7)} – ${unitRow.name_en ?? unitRow.name}`;
  const link = `${ctx.config.publicUrl}/api/reports/stored?unit=${encodeURIComponent(unit)}`;
  const text = [
    ctx.config.demo ? `${DEMO_LABEL}: số liệu mô phỏng, không có giá trị pháp lý.\n` : '',
    `Kính gửi lãnh đạo ${unitRow.name},`,
    '',
    `Báo cáo tình hình, kết quả giải quyết thủ tục hành chính từ ngày ${dmy(period.from)} đến ngày ${dmy(period.to)} (biểu số II.06a theo đơn vị và II.07a theo lĩnh vực, tệp XLSX và PDF) được gửi kèm thư này.`,
    `- Số hồ sơ nhận giải quyết: ${t.receivedTotal} (trực tuyến ${t.receivedOnline}; trực tiếp, bưu chính ${t.receivedDirect}; kỳ trước chuyển sang ${t.carriedOver})`,
    `- Đã giải quyết: ${t.settledTotal} (trước hạn ${t.settledEarly}, đúng hạn ${t.settledOnTime}, quá hạn ${t.settledLate}); tỷ lệ trước hạn và đúng hạn: ${rate}`,
    `- Đang giải quyết cuối kỳ: ${t.pendingTotal} (trong hạn ${t.pendingWithin}, quá hạn ${t.pendingOverdue})`,
    `Các báo cáo đã lưu: ${link}`,
    '',
    '---',
    `The report on administrative procedures from ${period.from} to ${period.to} (form II.06a by unit and II.07a by field, XLSX and PDF) is attached.`,
    `- Received: ${t.receivedTotal} (online ${t.receivedOnline}; in person or by post ${t.receivedDirect}; carried over ${t.carriedOver})`,
    `- Settled: ${t.settledTotal} (early ${t.settledEarly}, on time ${t.settledOnTime}, late ${t.settledLate}); early or on time: ${rateEn}`,
    `- Pending at the end: ${t.pendingTotal} (within limit ${t.pendingWithin}, overdue ${t.pendingOverdue})`,
    `Stored reports: ${link}`,
  ].join('\n');
  const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 });
  try {
    await transport.sendMail({
      from: ctx.config.mail.from,
      to: recipients,
      subject,
      text,
      textEncoding: 'base64',
      attachments,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } catch (err) {
    const m = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    await ctx.db.updateTable('report_runs').set({ last_error: m, recipients }).where('id', '=', runId).execute();
    throw err;
  } finally {
    transport.close();
  }
  await ctx.db.updateTable('report_runs').set({ emailed_at: ctx.now(), recipients, last_error: null }).where('id', '=', runId).execute();
  return { sent: true, problem: null };
}
