/**
 * Form 7 of Circular 03/2025/TT-VPCP (Annex I): "Sổ theo dõi hồ sơ", the dossier register of one
 * receiving unit for a period, as PDF and as XLSX: one row per dossier submitted to (received by)
 * the unit in the period — code, applicant, procedure, received at, appointment, finished /
 * returned at, result (status) and timeliness. Dossiers refused at receipt or not yet received are
 * listed too, marked so, because the register must account for every dossier lodged.
 *
 * The period is local dates in the unit's calendar (Vietnam time), at most 366 days, and selects
 * by submission time, which is what the index (receiving_unit, submitted_at) serves (a walk-in is
 * submitted and received at the same instant). Rows are read in keyset batches of 1,000 on
 * (submitted_at, id), so a provincial centre's year never sits in one result set; the XLSX is
 * written by exceljs' streaming writer as the batches arrive. A PDF register is capped
 * (PDF_MAX_ROWS): beyond it the answer is a 400 pointing to the XLSX or a shorter period.
 */
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { dayNumberOf } from '../../core/calendar.js';
import { STATUS_NAMES, type StatusCode } from '../../core/dossier-machine.js';
import { classifyPending } from '../../core/timeliness.js';
import { inJurisdiction, type Actor } from '../../identity/actor.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { createPdf, finishPdf, formTitle, nationalHeader, paragraph, signatures, table, vietnameseDate } from '../../platform/pdf.js';
import { loadIssuer, shortDateTime, TIMELINESS_VI, type Issuer } from './common.js';
import { formReference } from './layout.js';

export const REGISTER_TITLE = { vi: 'Sổ theo dõi hồ sơ', en: 'Dossier register' } as const;
export const MAX_RANGE_DAYS = 366;
export const PDF_MAX_ROWS = 5000;
const BATCH = 1000;

export interface RegisterPeriod {
  from: string;
  to: string;
  fromAt: Date;
  /** Exclusive: midnight after `to`, local time. */
  toAt: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The period from query text; bilingual 400s for a missing, malformed, reversed or too long one. */
export function parsePeriod(from: string | undefined, to: string | undefined, utcOffsetMinutes: number): RegisterPeriod {
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (!v) throw invalidField(name, 'is required (YYYY-MM-DD)', 'là bắt buộc (YYYY-MM-DD)');
    if (!validDate(v)) throw invalidField(name, `"${v}" is not a date YYYY-MM-DD`, `"${v}" không phải ngày dạng YYYY-MM-DD`);
  }
  const days = dayNumberOf(to!) - dayNumberOf(from!) + 1;
  if (days < 1) throw badRequest('invalid_period', 'The period ends before it starts (to < from).', 'Khoảng thời gian không hợp lệ: ngày kết thúc trước ngày bắt đầu.', [{ field: 'to', message: 'must not be before from', messageVi: 'không được trước ngày bắt đầu' }]);
  if (days > MAX_RANGE_DAYS) {
    throw badRequest('period_too_long', `The period is ${days} days; at most ${MAX_RANGE_DAYS} days.`, `Khoảng thời gian dài ${days} ngày; tối đa ${MAX_RANGE_DAYS} ngày.`, [{ field: 'to', message: `at most ${MAX_RANGE_DAYS} days after from`, messageVi: `tối đa ${MAX_RANGE_DAYS} ngày kể từ ngày bắt đầu` }]);
  }
  const midnight = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - utcOffsetMinutes * 60_000);
  return { from: from!, to: to!, fromAt: midnight(from!), toAt: new Date(midnight(to!).getTime() + 86_400_000) };
}

/** The unit, if the actor is staff of it or of a unit above it: unknown → 404, outside → 403. */
export async function registerUnit(ctx: AppContext, actor: Actor, unitCode: string): Promise<Issuer> {
  const unit = await ctx.db.selectFrom('units').select(['code', 'path']).where('code', '=', unitCode).executeTakeFirst();
  if (!unit) throw notFound('Unit', 'đơn vị', unitCode);
  if (!inJurisdiction(actor, unit.path)) {
    throw forbidden(`The register of unit ${unitCode} is for the staff of that unit and the units above it.`, `Sổ theo dõi hồ sơ của đơn vị ${unitCode} chỉ dành cho cán bộ của đơn vị đó và đơn vị cấp trên.`);
  }
  return loadIssuer(ctx.db, unit.code);
}

export interface RegisterRow {
  code: string;
  applicant: string;
  procedure: string;
  procedureCode: string;
  submittedAt: Date;
  receivedAt: Date | null;
  appointmentAt: Date | null;
  doneAt: Date | null;
  result: string;
  timeliness: string;
}

/** The register's rows in order of submission, in keyset batches (never one big result set). */
export async function* registerBatches(ctx: AppContext, unitCode: string, p: RegisterPeriod): AsyncGenerator<RegisterRow[]> {
  const periodEnd = new Date(Math.min(p.toAt.getTime(), ctx.now().getTime()));
  let after: { at: Date; id: number } | null = null;
  for (;;) {
    let q = ctx.db
      .selectFrom('dossiers as d')
      .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
      .select(['d.id', 'd.code', 'd.applicant_name', 'p.name as procedure_name', 'd.procedure_code', 'd.status_code', 'd.submitted_at', 'd.received_at', 'd.appointment_at', 'd.legal_appointment_at', 'd.finished_at', 'd.returned_at', 'd.timeliness'])
      .where('d.receiving_unit', '=', unitCode)
      .where('d.submitted_at', '>=', p.fromAt)
      .where('d.submitted_at', '<', p.toAt);
    // The plain bound lets the index (receiving_unit, submitted_at) start at the cursor; the row
    // comparison breaks ties between dossiers submitted at the same instant.
    if (after) q = q.where('d.submitted_at', '>=', after.at).where(sql<boolean>`(d.submitted_at, d.id) > (${after.at}, ${after.id})`);
    const rows = await q.orderBy('d.submitted_at').orderBy('d.id').limit(BATCH).execute();
    if (!rows.length) return;
    yield rows.map((r) => {
      const status = r.status_code as StatusCode;
      let timeliness = '';
      if (r.timeliness) timeliness = TIMELINESS_VI[r.timeliness]!;
      else if (!r.received_at) timeliness = status === 1 ? 'Chưa tiếp nhận' : 'Không tiếp nhận';
      else if (!r.finished_at) timeliness = TIMELINESS_VI[classifyPending({ appointmentAt: r.legal_appointment_at ?? r.appointment_at, periodEnd })]!;
      return {
        code: r.code,
        applicant: r.applicant_name,
        procedure: r.procedure_name,
        procedureCode: r.procedure_code,
        submittedAt: r.submitted_at,
        receivedAt: r.received_at,
        appointmentAt: r.appointment_at,
        doneAt: r.returned_at ?? r.finished_at,
        result: STATUS_NAMES[status].vi,
        timeliness,
      };
    });
    const last = rows.at(-1)!;
    after = { at: last.submitted_at, id: Number(last.id) };
    if (rows.length < BATCH) return;
  }
}

const dmy = (d: string) => d.split('-').reverse().join('/');

export interface RegisterMeta {
  issuer: Issuer;
  period: RegisterPeriod;
  demo: boolean;
  generatedAt: Date;
}

export async function registerPdf(meta: RegisterMeta, batches: AsyncIterable<RegisterRow[]>): Promise<Buffer> {
  const rows: RegisterRow[] = [];
  for await (const b of batches) {
    rows.push(...b);
    if (rows.length > PDF_MAX_ROWS) {
      throw new AppError(
        400,
        'too_many_rows',
        `The register has more than ${PDF_MAX_ROWS} dossiers in this period: ask for format=xlsx or a shorter period.`,
        `Sổ có hơn ${PDF_MAX_ROWS} hồ sơ trong khoảng thời gian này: hãy chọn định dạng xlsx (format=xlsx) hoặc rút ngắn khoảng thời gian.`,
      );
    }
  }
  const { issuer, period } = meta;
  const doc = createPdf({ title: `${REGISTER_TITLE.vi} – ${issuer.unitName}`, subject: formReference(7) });
  nationalHeader(doc, { agencyParent: issuer.parentName, agency: issuer.name, placeDate: `${issuer.place}, ${vietnameseDate(meta.generatedAt)}` });
  formTitle(doc, REGISTER_TITLE.vi.toUpperCase(), `(${formReference(7)})`);
  paragraph(doc, `Đơn vị tiếp nhận: ${issuer.unitName} (${issuer.unitCode})`, { align: 'center' });
  paragraph(doc, `Từ ngày ${dmy(period.from)} đến ngày ${dmy(period.to)}`, { align: 'center', italic: true });
  table(
    doc,
    [
      { header: 'TT', width: 0.05, align: 'center' },
      { header: 'Mã hồ sơ', width: 0.13 },
      { header: 'Người nộp', width: 0.12 },
      { header: 'Thủ tục hành chính', width: 0.13 },
      { header: 'Nhận lúc', width: 0.12 },
      { header: 'Hẹn trả', width: 0.12 },
      { header: 'Hoàn thành / trả kết quả', width: 0.12 },
      { header: 'Kết quả', width: 0.11 },
      { header: 'Tiến độ', width: 0.1 },
    ],
    rows.map((r, i) => [String(i + 1), r.code, r.applicant, r.procedure, shortDateTime(r.receivedAt), shortDateTime(r.appointmentAt), shortDateTime(r.doneAt), r.result, r.timeliness]),
    { fontSize: 7.5 },
  );
  const count = (label: string) => rows.filter((r) => r.timeliness === label).length;
  paragraph(
    doc,
    `Tổng số hồ sơ: ${rows.length}; trước hạn: ${count('Trước hạn')}; đúng hạn: ${count('Đúng hạn')}; quá hạn: ${count('Quá hạn')}; đang giải quyết trong hạn: ${count('Trong hạn')}; quá hạn chưa giải quyết: ${count(TIMELINESS_VI.overdue!)}.`,
    { align: 'left' },
  );
  signatures(doc, [{ title: 'Người lập sổ', note: '(Ký và ghi rõ họ tên)', name: null }]);
  return finishPdf(doc, { demoNotice: meta.demo, footer: `${REGISTER_TITLE.vi} ${issuer.unitCode} ${dmy(period.from)}–${dmy(period.to)}` });
}

export const REGISTER_COLUMNS = [
  { header: 'TT', key: 'n', width: 6 },
  { header: 'Mã hồ sơ', key: 'code', width: 22 },
  { header: 'Người nộp', key: 'applicant', width: 28 },
  { header: 'Mã thủ tục', key: 'procedureCode', width: 12 },
  { header: 'Thủ tục hành chính', key: 'procedure', width: 40 },
  { header: 'Nộp lúc', key: 'submittedAt', width: 17 },
  { header: 'Nhận lúc', key: 'receivedAt', width: 17 },
  { header: 'Hẹn trả', key: 'appointmentAt', width: 17 },
  { header: 'Hoàn thành / trả kết quả', key: 'doneAt', width: 17 },
  { header: 'Kết quả', key: 'result', width: 22 },
  { header: 'Tiến độ', key: 'timeliness', width: 18 },
] as const;

/**
 * The register as XLSX, streamed: rows are committed batch by batch. Times are Excel date-times in
 * the unit's local time (Excel has no time zones). Returns the stream at once; errors destroy it.
 */
export function registerXlsx(meta: RegisterMeta, batches: AsyncIterable<RegisterRow[]>, utcOffsetMinutes: number): PassThrough {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'motcua';
  wb.title = `${REGISTER_TITLE.vi} ${meta.issuer.unitCode} ${meta.period.from}–${meta.period.to}`;
  wb.created = meta.generatedAt;
  const ws = wb.addWorksheet(REGISTER_TITLE.vi, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = REGISTER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.key.endsWith('At') ? { style: { numFmt: 'dd/mm/yyyy hh:mm' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  const local = (d: Date | null) => (d ? new Date(d.getTime() + utcOffsetMinutes * 60_000) : null);
  void (async () => {
    let n = 0;
    for await (const batch of batches) {
      for (const r of batch) {
        ws.addRow({
          n: ++n,
          code: r.code,
          applicant: r.applicant,
          procedureCode: r.procedureCode,
          procedure: r.procedure,
          submittedAt: local(r.submittedAt),
          receivedAt: local(r.receivedAt),
          appointmentAt: local(r.appointmentAt),
          doneAt: local(r.doneAt),
          result: r.result,
          timeliness: r.timeliness,
        }).commit();
      }
    }
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
