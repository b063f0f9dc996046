/**
 * Periodic reports II.06a (by unit) and II.07a (by field), issue 5 item 8, through HTTP on both
 * databases: a fixed data set driven through the dossier API at known dates (walk-ins settled
 * early, on time and late; one carried over from February; one overdue at the end of March; one
 * whose appointment moved after the month ended; an online one; another field; a department),
 * whose rows are computed by hand below, for a past period (pending split at its end, from the
 * dossiers) and for the current one (split now, from the open dossiers); the totals are the sums;
 * the numbers equal the monitoring flows and the heatmap's; the XLSX read back with exceljs and
 * the PDF with pdfjs-dist; scope and bad input. Then the monthly report: stored, listed,
 * downloadable and emailed to a real SMTP server with the four files, once; and pg-boss on this
 * database, two instances at once, generating and emailing a month once.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { SMTPServer } from 'smtp-server';
import { sql } from 'kysely';
import { describeEachDatabase, json } from '../helpers/harness.js';
import { act, freshKey, submitOnline } from '../helpers/dossier-api.js';
import { vn } from '../helpers/vn-time.js';
import { sampleFormData } from '../helpers/forms.js';
import { flowFacts } from '../../src/monitoring/flows.js';
import { nowOf } from '../../src/monitoring/heatmap.js';
import { FIGURE_KEYS, type ReportFigures } from '../../src/reports/figures.js';
import { runMonthlyReports, type ReportLog } from '../../src/reports/monthly.js';
import { MONTHLY_CRON, MONTHLY_QUEUE, REPORT_TIME_ZONE, startReportJobs, type ReportJobs } from '../../src/reports/jobs.js';
import { openDatabase } from '../../src/platform/db.js';
import type { AppContext } from '../../src/platform/context.js';

type Headers = Record<string, string>;
/** A row's figures in form order: (1)…(12). */
type Fig = [number, number, number, number, number, number, number, number, number, number, number, number | null];

interface Report {
  form: string;
  formNumber: string;
  root: { code: string };
  period: { from: string; to: string; days: number };
  today: string;
  pendingAt: { source: string; day: string };
  demo: boolean;
  consistent: boolean;
  rows: Array<{ code: string; name: string; figures: ReportFigures }>;
  total: ReportFigures;
}

const figs = (f: ReportFigures): Fig => FIGURE_KEYS.map((k) => f[k]) as Fig;
const ZERO: Fig = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null];

// ---- SMTP sink ----------------------------------------------------------------------------------

interface Mail {
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
      cb();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const smtpPort = (smtp.server.address() as AddressInfo).port;
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-reports-'));
after(() => fs.rmSync(filesDir, { recursive: true, force: true }));

/** RFC 2047 encoded words (=?UTF-8?B?…?=) decoded. */
const decodeWords = (v: string) =>
  v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );

function headersOf(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** A multipart/mixed message: its subject, its text and its attachments (base64 parts). */
function parseMail(raw: string): { subject: string; text: string; attachments: Array<{ filename: string; contentType: string; bytes: Buffer }> } {
  const split = raw.indexOf('\r\n\r\n');
  const top = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/i.exec(top['content-type'] ?? '')?.[1];
  assert.ok(boundary, `multipart: ${top['content-type']}`);
  const parts = raw.slice(split + 4).split(`--${boundary}`).slice(1, -1);
  let text = '';
  const attachments = [];
  for (const p of parts) {
    const body = p.replace(/^\r\n/, '');
    const i = body.indexOf('\r\n\r\n');
    const h = headersOf(body.slice(0, i));
    assert.equal((h['content-transfer-encoding'] ?? '').toLowerCase(), 'base64', JSON.stringify(h));
    const bytes = Buffer.from(body.slice(i + 4).replace(/\s+/g, ''), 'base64');
    const disposition = h['content-disposition'] ?? '';
    if (disposition.startsWith('attachment')) {
      attachments.push({ filename: /filename="?([^";]+)"?/.exec(disposition)![1]!, contentType: (h['content-type'] ?? '').split(';')[0]!, bytes });
    } else if ((h['content-type'] ?? '').startsWith('text/plain')) text = bytes.toString('utf8');
  }
  return { subject: decodeWords(top.subject ?? ''), text, attachments };
}

// ---- Reading the files back ---------------------------------------------------------------------

/** The text items of a PDF, in drawing order (table cells are items of their own). */
async function pdfItems(data: Buffer | Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const tc = await (await pdf.getPage(i)).getTextContent();
    for (const item of tc.items) if ('str' in item && item.str.trim()) out.push(item.str.trim());
  }
  await pdf.destroy();
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** The 12 cells after the row named `name` (its name may wrap over several items). */
function pdfRow(items: string[], name: string): string[] {
  for (let i = 0; i < items.length; i++) {
    let acc = '';
    for (let j = i; j < items.length && acc.length < squash(name).length; j++) {
      acc += squash(items[j]!);
      if (acc === squash(name)) return items.slice(j + 1, j + 13);
    }
  }
  assert.fail(`no PDF row "${name}" in:\n${items.join(' | ')}`);
}

const vi = (f: Fig) => f.map((v, i) => (v === null ? '-' : i === 11 ? v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : v.toLocaleString('vi-VN')));

async function xlsxRows(data: Buffer | Uint8Array): Promise<{ text: string; byCode: Map<string, Fig>; total: Fig; names: Map<string, string> }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const byCode = new Map<string, Fig>();
  const names = new Map<string, string>();
  let total: Fig | null = null;
  let text = '';
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    text += values.filter((v) => typeof v === 'string').join(' | ') + '\n';
    // A trailing empty cell (no on-time rate) is not in row.values at all.
    const nums = Array.from({ length: 12 }, (_, i) => values[3 + i]).map((v) => (v === undefined || v === null || v === '' ? null : (v as number))) as Fig;
    if (typeof values[0] === 'number' && typeof values[1] === 'string') {
      byCode.set(values[1], nums);
      names.set(values[1], String(values[2]));
    }
    if (values[2] === 'Tổng cộng') total = nums;
  });
  assert.ok(total, 'totals row');
  return { text, byCode, total, names };
}

// ---- The fixed data -----------------------------------------------------------------------------

const quiet: ReportLog = { info: () => {}, warn: () => {}, error: () => {} };

describeEachDatabase(
  'reports II.06a / II.07a: fixed data computed by hand; the monthly report stored, emailed, on schedule',
  (env) => {
    let leader: Headers;
    const d: Record<string, string> = {};

    before(async () => {
      const e = env();
      // Sessions last 30 days of the test clock: log in again each month.
      let desk!: Headers, specialist!: Headers, bmtLeader!: Headers, hpDesk!: Headers, hpLeader!: Headers, centre!: Headers;
      const logIn = async () => {
        desk = await e.login('motcua.bmt');
        specialist = await e.login('chuyenvien.bmt');
        bmtLeader = await e.login('lanhdao.bmt');
        hpDesk = await e.login('motcua.hoaphu');
        hpLeader = await e.login('lanhdao.hoaphu');
        centre = await e.login('motcua.tinh');
      };
      const walkIn = async (headers: Headers, name: string, procedureCode = 'H15-HT-05', caseCode = 'MAC_DINH', formData?: Record<string, unknown>) => {
        const res = await e.app.inject({
          method: 'POST',
          url: '/api/dossiers',
          headers: { ...headers, 'idempotency-key': freshKey('rep') },
          payload: { procedureCode, caseCode, applicant: { name: `${name} (mô phỏng)`, phone: '0905000222', idNumber: '066190000777' }, ...(formData ? { formData } : {}) },
        });
        assert.equal(res.statusCode, 201, res.body);
        return json<{ code: string }>(res).code;
      };
      const finish = (headers: Headers, code: string) => act(e, headers, code, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });

      // February. Đăng ký giám hộ (H15-HT-05): 3 working days, in person, at Buôn Ma Thuột.
      e.setNow(vn('2026-02-02T09:00'));
      await logIn();
      d.Q = await walkIn(desk, 'Giám Hộ Q'); // settled early in February: not carried over
      e.setNow(vn('2026-02-03T09:00'));
      await finish(bmtLeader, d.Q);
      e.setNow(vn('2026-02-23T09:00')); // Mon after Tết → due Thu 26 Feb; settled late on 2 April
      d.R = await walkIn(desk, 'Giám Hộ R');
      e.setNow(vn('2026-02-27T09:00')); // Fri → due Wed 4 March: carried over, settled on time
      d.P = await walkIn(desk, 'Giám Hộ P');
      // March, the period.
      e.setNow(vn('2026-03-02T09:00')); // Mon → due Thu 5 March
      await logIn();
      d.A = await walkIn(desk, 'Giám Hộ A');
      d.B = await walkIn(desk, 'Giám Hộ B');
      d.C = await walkIn(desk, 'Giám Hộ C');
      d.D = await walkIn(desk, 'Giám Hộ D'); // never settled: overdue at the end
      e.setNow(vn('2026-03-03T09:00'));
      await finish(bmtLeader, d.A); // early
      d.I = await walkIn(hpDesk, 'Giám Hộ I'); // Hòa Phú, due Fri 6 March
      e.setNow(vn('2026-03-04T10:00'));
      await finish(bmtLeader, d.P); // on the appointment day: on time
      e.setNow(vn('2026-03-05T10:00'));
      await finish(bmtLeader, d.B); // on time
      e.setNow(vn('2026-03-06T10:00'));
      await finish(bmtLeader, d.C); // late
      e.setNow(vn('2026-03-09T08:00')); // an online birth registration, same day
      const citizen = await e.citizen(`vneid-rep-${e.kind}`, { fullName: 'Trần Thị Báo Cáo (mô phỏng)' });
      d.G = await submitOnline(e, citizen.headers, '1.001193', 'DUNG_HAN');
      e.setNow(vn('2026-03-09T09:00'));
      await act(e, desk, d.G, { type: 'receive' });
      e.setNow(vn('2026-03-09T10:00'));
      await finish(bmtLeader, d.G); // on time
      await finish(hpLeader, d.I); // late
      e.setNow(vn('2026-03-10T09:00')); // Chứng thực (H15-CT-01): 2 working days → due Thu 12
      d.K = await walkIn(desk, 'Chứng Thực K', 'H15-CT-01', 'MAC_DINH');
      e.setNow(vn('2026-03-11T09:00'));
      await finish(bmtLeader, d.K); // early
      e.setNow(vn('2026-03-24T09:00')); // Tue → due Fri 27 March; its appointment moves in April
      d.F = await walkIn(desk, 'Giám Hộ F');
      e.setNow(vn('2026-03-30T09:00')); // Mon → due Thu 2 April: within limit at the end of March
      d.E = await walkIn(desk, 'Giám Hộ E');
      // Lý lịch tư pháp at the provincial centre, decided by the Department of Justice (10 days).
      d.L = await walkIn(centre, 'Lý Lịch L', 'H15-LLTP-01', 'THONG_THUONG', sampleFormData('H15-LLTP-01'));
      // April: F waits for a supplement for 2 working days, which moves its legal appointment from
      // Fri 27 March to Tue 31 March (the last day of March: within limit by today's value, but
      // it was overdue when March ended). R is settled late.
      e.setNow(vn('2026-04-01T09:00'));
      await logIn();
      await act(e, specialist, d.F, { type: 'request_supplement', reason: 'Thiếu giấy tờ (mô phỏng)', missing: ['Tờ khai'] });
      e.setNow(vn('2026-04-02T10:00'));
      await finish(bmtLeader, d.R);
      e.setNow(vn('2026-04-03T09:00'));
      await act(e, desk, d.F, { type: 'supplement', documents: ['Tờ khai'] });
      e.setNow(vn('2026-04-03T10:00'));
      leader = await e.login('lanhdao.tinh');

      // The dates the hand computation assumes.
      const rows = await e.ctx.db.selectFrom('dossiers').select(['code', 'deciding_unit', 'legal_appointment_at', 'timeliness', 'channel']).where('code', 'in', Object.values(d)).execute();
      const by = new Map(rows.map((r) => [r.code, r]));
      const due = (k: string) => by.get(d[k]!)!.legal_appointment_at!.toISOString();
      assert.equal(due('R'), vn('2026-02-26T09:00').toISOString());
      assert.equal(due('P'), vn('2026-03-04T09:00').toISOString());
      assert.equal(due('D'), vn('2026-03-05T09:00').toISOString());
      assert.equal(due('E'), vn('2026-04-02T09:00').toISOString());
      assert.equal(due('F'), vn('2026-03-31T09:00').toISOString(), 'moved by the supplement wait');
      assert.equal(due('L'), vn('2026-04-09T17:00').toISOString(), '10 calendar days: the end of the 10th day');
      assert.equal(by.get(d.L!)!.deciding_unit, 'H15.S02');
      assert.equal(by.get(d.G!)!.channel, 2);
      assert.deepEqual(
        ['Q', 'P', 'A', 'B', 'C', 'G', 'I', 'K', 'R'].map((k) => by.get(d[k]!)!.timeliness),
        ['early', 'on_time', 'early', 'on_time', 'late', 'on_time', 'late', 'early', 'late'],
      );
      const firstDue = await sql<{ at: string }>`select a.payload ->> 'legalAppointmentAt' as at from dossier_actions a join dossiers x on x.id = a.dossier_id
                                                  where x.code = ${d.F!} and a.type = 'receive'`.execute(e.ctx.db);
      assert.equal(new Date(firstDue.rows[0]!.at).toISOString(), vn('2026-03-27T09:00').toISOString(), 'F was due on 27 March when March ended');
    });

    const get = async <T = Report>(headers: Headers, url: string) => {
      const res = await env().app.inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 500)}`);
      return json<T>(res);
    };
    const row = (r: Report, code: string) => {
      const x = r.rows.find((y) => y.code === code);
      assert.ok(x, `row ${code}`);
      return figs(x.figures);
    };
    const assertTotals = (r: Report) => {
      for (const k of FIGURE_KEYS) {
        if (k === 'onTimeRate') continue;
        assert.equal(r.total[k], r.rows.reduce((s, x) => s + (x.figures[k] as number), 0), `total ${k} = sum of the rows`);
      }
      const onTime = r.total.settledEarly + r.total.settledOnTime;
      assert.equal(r.total.onTimeRate, r.total.settledTotal ? Math.round((onTime / r.total.settledTotal) * 10000) / 100 : null);
    };

    // March 2026 as a past period (today is 3 April).
    const MARCH = 'from=2026-03-01&to=2026-03-31';
    const BMT_MARCH: Fig = [10, 1, 7, 2, 6, 2, 3, 1, 4, 1, 3, 83.33];
    const HP_MARCH: Fig = [1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0];
    const STP_MARCH: Fig = [1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, null];
    const TOTAL_MARCH: Fig = [12, 1, 9, 2, 7, 2, 3, 2, 5, 2, 3, 71.43];

    it('II.06a for March: one row per unit, as computed by hand; pending split at the end of March from the dossiers', async () => {
      const r = await get(leader, `/api/reports/ii-06a?${MARCH}`);
      assert.equal(r.formNumber, 'II.06a');
      assert.equal(r.root.code, 'H15');
      assert.deepEqual(r.period, { from: '2026-03-01', to: '2026-03-31', days: 31 });
      assert.deepEqual(r.pendingAt, { source: 'period_end', day: '2026-03-31' });
      assert.equal(r.consistent, true);
      assert.equal(r.demo, true);
      // 15 departments, 14 wards, 88 communes; no row for the province's own dossiers (it has none).
      assert.equal(r.rows.length, 117);
      assert.ok(!r.rows.some((x) => x.code === 'H15'));
      // Buôn Ma Thuột: received A B C D G(online) K F E in March, P R carried over; settled A K
      // early, P B G on time, C late; pending D R F overdue at the end of March (F was due on the
      // 27th then), E within limit (due 2 April).
      assert.deepEqual(row(r, 'H15.001'), BMT_MARCH);
      assert.deepEqual(row(r, 'H15.015'), HP_MARCH);
      assert.deepEqual(row(r, 'H15.S02'), STP_MARCH);
      assert.deepEqual(row(r, 'H15.TT'), ZERO, 'the receiving centre: counted at the deciding unit');
      assert.deepEqual(row(r, 'H15.050'), ZERO);
      assert.deepEqual(figs(r.total), TOTAL_MARCH);
      assertTotals(r);
    });

    it('II.07a for March: one row per field; the same total', async () => {
      const r = await get(leader, `/api/reports/ii-07a?${MARCH}`);
      assert.equal(r.formNumber, 'II.07a');
      assert.deepEqual(r.rows.map((x) => x.code), ['BTXH', 'CT', 'CU', 'DD', 'DKKD', 'DN', 'HT', 'LLTP', 'XD']);
      // Hộ tịch: Buôn Ma Thuột's without K, and Hòa Phú's I (received and settled late).
      assert.deepEqual(row(r, 'HT'), [10, 1, 7, 2, 6, 1, 3, 2, 4, 1, 3, 66.67]);
      assert.deepEqual(row(r, 'CT'), [1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 100]);
      assert.deepEqual(row(r, 'LLTP'), STP_MARCH);
      for (const f of ['BTXH', 'CU', 'DD', 'DKKD', 'DN', 'XD']) assert.deepEqual(row(r, f), ZERO, f);
      assert.equal(r.rows.find((x) => x.code === 'HT')!.name, 'Hộ tịch');
      assert.deepEqual(figs(r.total), TOTAL_MARCH);
      assertTotals(r);
    });

    it('April, the current period: pending split now, from the open dossiers (what the heatmap counts)', async () => {
      const r = await get(leader, '/api/reports/ii-06a?period=month&from=2026-04-15');
      assert.deepEqual(r.period, { from: '2026-04-01', to: '2026-04-30', days: 30 });
      assert.deepEqual(r.pendingAt, { source: 'now', day: '2026-04-03' });
      // Carried over: March's 4 pending; R settled late; D, E (due 2 April) and F (due 31 March
      // now) are overdue today.
      assert.deepEqual(row(r, 'H15.001'), [4, 0, 0, 4, 1, 0, 0, 1, 3, 0, 3, 0]);
      assert.deepEqual(row(r, 'H15.S02'), [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, null]);
      assert.deepEqual(figs(r.total), [5, 0, 0, 5, 1, 0, 0, 1, 4, 1, 3, 0]);
      assertTotals(r);
      const f = await get(leader, '/api/reports/ii-07a?from=2026-04-01&to=2026-04-30');
      assert.deepEqual(row(f, 'HT'), [4, 0, 0, 4, 1, 0, 0, 1, 3, 0, 3, 0]);
      assert.deepEqual(figs(f.total), figs(r.total));
    });

    it('the same numbers as the monitoring flows and the heatmap for the same period', async () => {
      const e = env();
      for (const [q, period] of [
        [MARCH, { from: '2026-03-01', to: '2026-03-31' }],
        ['from=2026-04-01&to=2026-04-30', { from: '2026-04-01', to: '2026-04-30' }],
        ['from=2026-02-15&to=2026-03-10', { from: '2026-02-15', to: '2026-03-10' }],
      ] as const) {
        const r = await get(leader, `/api/reports/ii-06a?${q}`);
        const units = (await e.ctx.db.selectFrom('units').select(['code', 'path']).where('path', 'like', '/VN/H15/H15.001/%').execute()).map((u) => u.code);
        const now = await nowOf(e.ctx, []);
        const flows = await flowFacts(e.ctx, 'unit', period, { units }, now);
        const f = flows.get('H15.001')!;
        const bmt = r.rows.find((x) => x.code === 'H15.001')!.figures;
        assert.equal(bmt.receivedTotal, f.received + f.carriedOver, q);
        assert.equal(bmt.receivedOnline, f.receivedOnline, q);
        assert.equal(bmt.carriedOver, f.carriedOver, q);
        assert.deepEqual([bmt.settledEarly, bmt.settledOnTime, bmt.settledLate], [f.settledEarly, f.settledOnTime, f.settledLate], q);
        // The heatmap's cells: on-time rate (numerator, denominator, value), group 2's denominator
        // (received in total), and, for the current period, overdue pending.
        const h = await get<{ rows: Array<{ unit: { code: string }; cells: Record<string, { value: number | null; numerator: number | null; denominator: number | null }> }> }>(leader, `/api/monitoring/heatmap?${q}`);
        for (const [code, fig] of [['H15', r.total], ['H15.001', bmt], ['H15.015', r.rows.find((x) => x.code === 'H15.015')!.figures], ['H15.S02', r.rows.find((x) => x.code === 'H15.S02')!.figures]] as const) {
          const cells = h.rows.find((x) => x.unit.code === code)!.cells;
          assert.deepEqual(
            [cells.on_time_rate!.value, cells.on_time_rate!.numerator, cells.on_time_rate!.denominator, cells.group_2!.denominator],
            [fig.onTimeRate, fig.settledEarly + fig.settledOnTime, fig.settledTotal, fig.receivedTotal],
            `${q} ${code}`,
          );
          if (r.pendingAt.source === 'now') assert.equal(cells.overdue_pending!.value, fig.pendingOverdue, `${q} ${code} overdue`);
        }
      }
    });

    it('XLSX read back: the form\'s columns, Vietnamese headings, the rows, the totals, the period, the unit, the demo label', async () => {
      const res = await env().app.inject({ method: 'GET', url: `/api/reports/ii-06a?${MARCH}&format=xlsx`, headers: leader });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.match(String(res.headers['content-disposition']), /filename="II\.06a-H15-2026-03-01_2026-03-31\.xlsx"/);
      const x = await xlsxRows(res.rawPayload);
      for (const s of [
        'BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ',
        'Biểu số II.06a',
        'DỮ LIỆU MÔ PHỎNG',
        'Đơn vị báo cáo: Tỉnh Đắk Lắk (H15)',
        'Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026',
        'Số hồ sơ đang giải quyết tính đến hết ngày 31/03/2026',
        'Lập lúc: 10 giờ 00 phút, ngày 03 tháng 04 năm 2026',
        'Số hồ sơ nhận giải quyết',
        'Số hồ sơ đã giải quyết',
        'Số hồ sơ đang giải quyết',
        'Trong kỳ: trực tuyến',
        'Trong kỳ: trực tiếp, dịch vụ bưu chính công ích',
        'Từ kỳ trước chuyển sang',
        'Trước hạn',
        'Đúng hạn',
        'Quá hạn',
        'Trong hạn',
        'Tỷ lệ giải quyết trước hạn và đúng hạn (%)',
        'Tổng cộng',
      ]) {
        assert.ok(x.text.includes(s), `XLSX should contain "${s}":\n${x.text.slice(0, 3000)}`);
      }
      assert.equal(x.byCode.size, 117);
      assert.deepEqual(x.byCode.get('H15.001'), BMT_MARCH);
      assert.equal(x.names.get('H15.001'), 'Phường Buôn Ma Thuột');
      assert.deepEqual(x.byCode.get('H15.015'), HP_MARCH);
      assert.deepEqual(x.byCode.get('H15.S02'), STP_MARCH);
      assert.deepEqual(x.total, TOTAL_MARCH);
      for (let i = 0; i < 11; i++) assert.equal(x.total[i], [...x.byCode.values()].reduce((s, f) => s + (f[i] as number), 0), `column ${i + 1}: total = sum`);

      const res7 = await env().app.inject({ method: 'GET', url: `/api/reports/ii-07a?${MARCH}&format=xlsx`, headers: leader });
      const x7 = await xlsxRows(res7.rawPayload);
      assert.ok(x7.text.includes('THEO LĨNH VỰC') && x7.text.includes('Biểu số II.07a') && x7.text.includes('Lĩnh vực'));
      assert.deepEqual(x7.byCode.get('HT'), [10, 1, 7, 2, 6, 1, 3, 2, 4, 1, 3, 66.67]);
      assert.equal(x7.names.get('LLTP'), 'Lý lịch tư pháp');
      assert.deepEqual(x7.total, TOTAL_MARCH);
    });

    it('PDF read back with the same numbers and correct Vietnamese', async () => {
      const res = await env().app.inject({ method: 'GET', url: `/api/reports/ii-06a?${MARCH}&format=pdf`, headers: leader });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.headers['content-type'], 'application/pdf');
      const items = await pdfItems(res.rawPayload);
      const text = squash(items.join(''));
      for (const s of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK',
        'Đắk Lắk, ngày 03 tháng 04 năm 2026',
        'BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ',
        '(Biểu số II.06a)',
        'DỮ LIỆU MÔ PHỎNG',
        'Đơn vị báo cáo: Tỉnh Đắk Lắk (H15) – theo đơn vị giải quyết',
        'Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026',
        'Số hồ sơ đang giải quyết tính đến hết ngày 31/03/2026',
        'Lập lúc: 10 giờ 00 phút, ngày 03 tháng 04 năm 2026',
        'Số hồ sơ nhận giải quyết',
        'Số hồ sơ đã giải quyết',
        'Số hồ sơ đang giải quyết',
        'Trực tiếp, bưu chính (3)',
        'Từ kỳ trước (4)',
        'Tỷ lệ đúng hạn (%) (12)',
        'NGƯỜI LẬP BIỂU',
        'THỦ TRƯỞNG ĐƠN VỊ',
      ]) {
        assert.ok(text.includes(squash(s)), `PDF should contain "${s}":\n${items.join(' | ').slice(0, 3000)}`);
      }
      assert.deepEqual(pdfRow(items, 'Phường Buôn Ma Thuột'), vi(BMT_MARCH));
      assert.deepEqual(pdfRow(items, 'Xã Hòa Phú'), vi(HP_MARCH));
      assert.deepEqual(pdfRow(items, 'Sở Tư pháp'), vi(STP_MARCH));
      assert.deepEqual(pdfRow(items, 'Tổng cộng'), vi(TOTAL_MARCH));
      assert.deepEqual(vi(BMT_MARCH).slice(-1), ['83,33']);

      const res7 = await env().app.inject({ method: 'GET', url: `/api/reports/ii-07a?${MARCH}&format=pdf`, headers: leader });
      const items7 = await pdfItems(res7.rawPayload);
      assert.ok(squash(items7.join('')).includes(squash('(Biểu số II.07a)')));
      assert.deepEqual(pdfRow(items7, 'Hộ tịch'), vi([10, 1, 7, 2, 6, 1, 3, 2, 4, 1, 3, 66.67]));
      assert.deepEqual(pdfRow(items7, 'Lý lịch tư pháp'), vi(STP_MARCH));
      assert.deepEqual(pdfRow(items7, 'Tổng cộng'), vi(TOTAL_MARCH));
    });

    it('scope: a unit leader gets their own unit; a department leader theirs; other units, other roles and citizens are refused', async () => {
      const e = env();
      const bmtLeader = await e.login('lanhdao.bmt');
      const own = await get(bmtLeader, `/api/reports/ii-06a?${MARCH}`);
      assert.equal(own.root.code, 'H15.001');
      // A ward has no child units: one row, itself.
      assert.deepEqual(own.rows.map((x) => [x.code, figs(x.figures)]), [['H15.001', BMT_MARCH]]);
      assert.deepEqual(figs(own.total), BMT_MARCH);
      const own7 = await get(bmtLeader, `/api/reports/ii-07a?${MARCH}`);
      assert.deepEqual(row(own7, 'HT'), [9, 1, 6, 2, 5, 1, 3, 1, 4, 1, 3, 80]);
      assert.deepEqual(row(own7, 'CT'), [1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 100]);
      const stp = await get(await e.login('lanhdao.stp'), `/api/reports/ii-06a?${MARCH}&unit=H15.S02`);
      assert.deepEqual(figs(stp.total), STP_MARCH);
      const admin = await get(await e.login('admin'), `/api/reports/ii-07a?${MARCH}`);
      assert.deepEqual(figs(admin.total), TOTAL_MARCH);

      const status = async (headers: Headers, url: string) => {
        const res = await e.app.inject({ method: 'GET', url, headers });
        const body = JSON.parse(res.body) as { error?: { message: string; messageVi: string } };
        if (res.statusCode >= 400) assert.ok(body.error && body.error.message !== body.error.messageVi, `bilingual: ${res.body}`);
        return res.statusCode;
      };
      assert.equal(await status(bmtLeader, `/api/reports/ii-06a?${MARCH}&unit=H15`), 403);
      assert.equal(await status(bmtLeader, `/api/reports/ii-07a?${MARCH}&unit=H15.015&format=xlsx`), 403);
      for (const user of ['chuyenvien.bmt', 'motcua.bmt', 'motcua.tinh']) {
        assert.equal(await status(await e.login(user), `/api/reports/ii-06a?${MARCH}`), 403, user);
      }
      const citizen = await e.citizen(`vneid-rep-scope-${e.kind}`);
      assert.equal(await status(citizen.headers, `/api/reports/ii-06a?${MARCH}&format=pdf`), 403);
      assert.equal(await status({}, `/api/reports/ii-06a?${MARCH}`), 401);
    });

    it('bad input: bilingual 400 naming the field; unknown unit 404', async () => {
      const e = env();
      const cases: Array<[string, string | null]> = [
        ['from=2026-13-01&to=2026-03-31', 'from'],
        ['from=2026-03-01&to=31/03/2026', 'to'],
        ['from=2026-03-31&to=2026-03-01', 'to'],
        ['from=2026-03-01', 'to'],
        ['from=2020-01-01&to=2026-03-31', 'to'],
        ['period=month&from=2026-03-01&to=2026-03-31', 'to'],
        ['period=fortnight&from=2026-03-01', 'period'],
        [`${MARCH}&format=docx`, 'format'],
        [`${MARCH}&unit=H15;drop`, 'unit'],
        [`${MARCH}&unit=${'H'.repeat(41)}`, 'unit'],
        [`${MARCH}&extra=1`, null],
      ];
      for (const [q, field] of cases) {
        for (const form of ['ii-06a', 'ii-07a']) {
          const res = await e.app.inject({ method: 'GET', url: `/api/reports/${form}?${q}`, headers: leader });
          assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
          const err = (JSON.parse(res.body) as { error: { message: string; messageVi: string; fields?: Array<{ field: string }> } }).error;
          assert.ok(err.message && err.messageVi && err.message !== err.messageVi, res.body);
          if (field) assert.ok(err.fields?.some((f) => f.field === field) || err.message.includes(field), `${q} names ${field}: ${res.body}`);
        }
      }
      const res = await e.app.inject({ method: 'GET', url: `/api/reports/ii-06a?${MARCH}&unit=H99`, headers: leader });
      assert.equal(res.statusCode, 404, res.body);
      for (const url of ['/api/reports/stored?limit=0', '/api/reports/stored?cursor=***', '/api/reports/stored/abc', '/api/reports/stored/0']) {
        const r = await e.app.inject({ method: 'GET', url, headers: leader });
        assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      }
      assert.equal((await e.app.inject({ method: 'GET', url: '/api/reports/stored/999999', headers: leader })).statusCode, 404);
    });

    it('the monthly report: stored, listed, downloadable, emailed once to the province leaders and REPORT_RECIPIENTS', async () => {
      const e = env();
      await e.ctx.db.updateTable('users').set({ email: `lanhdao.tinh.${e.kind}@motcua.test` }).where('username', '=', 'lanhdao.tinh').execute();
      // A ward leader with an email address is not a recipient of the province's report.
      await e.ctx.db.updateTable('users').set({ email: `lanhdao.bmt.${e.kind}@motcua.test` }).where('username', '=', 'lanhdao.bmt').execute();
      e.setNow(vn('2026-04-01T01:00'));
      const before = mails.length;
      const [r, ...more] = await runMonthlyReports(e.ctx, { log: quiet });
      assert.equal(more.length, 0, 'one province');
      assert.deepEqual([r!.unit, r!.period, r!.stored, r!.emailed, r!.skipped, r!.emailProblem], ['H15', { from: '2026-03-01', to: '2026-03-31' }, 4, true, null, null]);
      const sent = mails.slice(before);
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0]!.to.sort(), [`lanhdao.tinh.${e.kind}@motcua.test`, 'van.phong@motcua.test'].sort());
      const m = parseMail(sent[0]!.raw);
      assert.match(m.subject, /^\[DỮ LIỆU MÔ PHỎNG\] Báo cáo tháng 03\/2026 – Tỉnh Đắk Lắk: biểu II\.06a, II\.07a \/ Monthly report 2026-03/);
      assert.ok(m.text.includes('Số hồ sơ nhận giải quyết: 12 (trực tuyến 1; trực tiếp, bưu chính 9; kỳ trước chuyển sang 2)'), m.text);
      assert.ok(m.text.includes('Đang giải quyết cuối kỳ: 5 (trong hạn 2, quá hạn 3)'), m.text);
      assert.ok(m.text.includes('Settled: 7 (early 2, on time 3, late 2); early or on time: 71.43%'), m.text);
      assert.deepEqual(m.attachments.map((a) => [a.filename, a.contentType]).sort(), [
        ['II.06a-H15-2026-03.pdf', 'application/pdf'],
        ['II.06a-H15-2026-03.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        ['II.07a-H15-2026-03.pdf', 'application/pdf'],
        ['II.07a-H15-2026-03.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ]);
      const attached = await xlsxRows(m.attachments.find((a) => a.filename === 'II.06a-H15-2026-03.xlsx')!.bytes);
      assert.deepEqual(attached.byCode.get('H15.001'), BMT_MARCH);
      assert.deepEqual(attached.total, TOTAL_MARCH);
      assert.deepEqual(pdfRow(await pdfItems(m.attachments.find((a) => a.filename === 'II.07a-H15-2026-03.pdf')!.bytes), 'Tổng cộng'), vi(TOTAL_MARCH));

      // Listed and downloadable, byte for byte what was emailed.
      const list = await get<{ items: Array<{ id: number; form: string; format: string; unit: { code: string }; period: { from: string; to: string }; sha256: string; byteSize: number; emailedAt: string | null; url: string }>; nextCursor: string | null }>(leader, '/api/reports/stored');
      assert.equal(list.items.length, 4);
      for (const it of list.items) {
        assert.deepEqual([it.unit.code, it.period], ['H15', { from: '2026-03-01', to: '2026-03-31' }]);
        assert.ok(it.emailedAt);
        const file = await e.app.inject({ method: 'GET', url: it.url, headers: leader });
        assert.equal(file.statusCode, 200);
        assert.equal(file.rawPayload.length, it.byteSize);
        assert.equal(crypto.createHash('sha256').update(file.rawPayload).digest('hex'), it.sha256);
        const mailed = m.attachments.find((a) => a.filename === `${it.form === 'ii-06a' ? 'II.06a' : 'II.07a'}-H15-2026-03.${it.format}`)!;
        assert.ok(mailed.bytes.equals(file.rawPayload), `${it.form}.${it.format} emailed = stored`);
      }
      const page = await get<{ items: Array<{ id: number }>; nextCursor: string | null }>(leader, '/api/reports/stored?limit=3');
      assert.equal(page.items.length, 3);
      const rest = await get<{ items: Array<{ id: number }>; nextCursor: string | null }>(leader, `/api/reports/stored?limit=3&cursor=${page.nextCursor}`);
      assert.deepEqual([...page.items, ...rest.items].map((x) => x.id), list.items.map((x) => x.id));
      assert.equal(rest.nextCursor, null);

      // Outside the jurisdiction: not listed, not downloadable; other roles refused.
      const bmtLeader = await e.login('lanhdao.bmt');
      assert.deepEqual((await get<{ items: unknown[] }>(bmtLeader, '/api/reports/stored')).items, []);
      assert.equal((await e.app.inject({ method: 'GET', url: list.items[0]!.url, headers: bmtLeader })).statusCode, 403);
      assert.equal((await e.app.inject({ method: 'GET', url: '/api/reports/stored?unit=H15', headers: bmtLeader })).statusCode, 403);
      assert.equal((await e.app.inject({ method: 'GET', url: '/api/reports/stored', headers: await e.login('chuyenvien.bmt') })).statusCode, 403);

      // Again: nothing new stored or sent.
      const again = await runMonthlyReports(e.ctx, { month: '2026-03', log: quiet });
      assert.deepEqual(again.map((x) => [x.stored, x.emailed, x.skipped]), [[0, false, 'done']]);
      assert.equal(mails.length, before + 1);
      const runs = await e.ctx.db.selectFrom('report_runs').selectAll().execute();
      assert.equal(runs.length, 1);
      assert.deepEqual(runs[0]!.recipients.sort(), [`lanhdao.tinh.${e.kind}@motcua.test`, 'van.phong@motcua.test'].sort());
    });

    it('on schedule with pg-boss on this database: two instances start, the missed month is generated and emailed once', { timeout: 120_000 }, async () => {
      const e = env();
      // Two servers: on PostgreSQL, a second pool (connection) like another process; on PGlite
      // (one process owns the database), a second pg-boss instance on the same pool.
      let other: { ctx: AppContext; close(): Promise<void> };
      if (e.kind === 'postgres') {
        const url = (e.ctx.database.pool as unknown as { options: { connectionString: string } }).options.connectionString;
        const db2 = await openDatabase({ databaseUrl: url, dataDir: null, poolSize: 4 });
        other = { ctx: { ...e.ctx, database: db2, db: db2.db }, close: () => db2.close() };
      } else {
        other = { ctx: e.ctx, close: async () => {} };
      }
      e.setNow(vn('2026-05-02T08:00')); // April was not reported (the servers were "down" on 1 May)
      const before = mails.length;
      const jobs: ReportJobs[] = [];
      try {
        jobs.push(await startReportJobs(e.ctx, { pollingIntervalSeconds: 0.5, log: quiet }));
        jobs.push(await startReportJobs(other.ctx, { pollingIntervalSeconds: 0.5, log: quiet }));
        assert.equal(jobs[0]!.caughtUp, '2026-04');
        const schedules = await jobs[0]!.boss.getSchedules();
        assert.deepEqual(
          schedules.map((s) => [s.name, s.cron, (s as typeof s & { timezone: string }).timezone]),
          [[MONTHLY_QUEUE, MONTHLY_CRON, REPORT_TIME_ZONE]],
        );
        // Wait for the job to be done.
        const deadline = Date.now() + 60_000;
        for (;;) {
          const run = await e.ctx.db.selectFrom('report_runs').select(['emailed_at']).where('period_from', '=', '2026-04-01').executeTakeFirst();
          const busy = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${MONTHLY_QUEUE} and state in ('created', 'retry', 'active')`.execute(e.ctx.db);
          if (run?.emailed_at && busy.rows[0]!.n === 0) break;
          assert.ok(Date.now() < deadline, 'the monthly job ran within 60 s');
          await new Promise((r) => setTimeout(r, 250));
        }
        const jobRows = await sql<{ state: string; data: { month?: string } }>`select state, data from pgboss.job where name = ${MONTHLY_QUEUE}`.execute(e.ctx.db);
        assert.ok(jobRows.rows.length >= 1 && jobRows.rows.every((j) => j.state === 'completed' && j.data.month === '2026-04'), JSON.stringify(jobRows.rows));
      } finally {
        for (const j of jobs) await j.stop();
        await other.close();
      }
      const runs = await e.ctx.db.selectFrom('report_runs').select(['unit_code', 'period_from', 'period_to', 'completed_at', 'emailed_at']).where('period_from', '=', '2026-04-01').execute();
      assert.equal(runs.length, 1);
      assert.deepEqual([runs[0]!.unit_code, runs[0]!.period_to], ['H15', '2026-04-30']);
      const files = await e.ctx.db.selectFrom('report_files').select(['form', 'format']).where('run_id', 'in', e.ctx.db.selectFrom('report_runs').select('id').where('period_from', '=', '2026-04-01')).execute();
      assert.equal(files.length, 4);
      const sent = mails.slice(before);
      assert.equal(sent.length, 1, 'emailed once');
      const m = parseMail(sent[0]!.raw);
      assert.match(m.subject, /Báo cáo tháng 04\/2026/);
      const x = await xlsxRows(m.attachments.find((a) => a.filename === 'II.06a-H15-2026-04.xlsx')!.bytes);
      // April as seen on 2 May: the split at the end of April from the dossiers (D, E, F overdue).
      assert.deepEqual(x.byCode.get('H15.001'), [4, 0, 0, 4, 1, 0, 0, 1, 3, 0, 3, 0]);
      assert.ok(x.text.includes('Số hồ sơ đang giải quyết tính đến hết ngày 30/04/2026'));
    });
  },
  { env: { MOTCUA_DEMO: 'true', MOTCUA_FILES_DIR: filesDir, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, REPORT_RECIPIENTS: 'Van.Phong@motcua.test', MAIL_FROM: 'Một cửa Đắk Lắk (mô phỏng) <no-reply@motcua.test>' } },
);
