/**
 * Form 6 of Circular 03/2025/TT-VPCP (Annex I): "Phiếu kiểm soát quá trình giải quyết hồ sơ", the
 * process control sheet, built from the action log: one row per hand-over, with the step, who
 * handed over and who received (staff by name), when, the deadline in force at that moment, and
 * whether that step was early, on time or late (recorded on the action by the dossier machine,
 * src/core/dossier-machine.ts, with classifyStep of src/core/timeliness.ts), plus notes.
 *
 * The receiver of a hand-over is the person named in it (the assignee of `assign`); when the
 * action names nobody (a `forward` to a step, a `finish` back to the desk), it is the official
 * who next acted on the dossier, i.e. who in fact took it over. Payment requests and confirmations,
 * the submission itself and automatic recomputations are not hand-overs and are not listed.
 * For staff only.
 */
import ExcelJS from 'exceljs';
import { STATUS_NAMES, type StatusCode } from '../../core/dossier-machine.js';
import type { AppContext } from '../../platform/context.js';
import { field, finishPdf, paragraph, signatures, table, vietnameseDate, vietnameseDateTime, createPdf, nationalHeader, formTitle } from '../../platform/pdf.js';
import type { ScopedDossierRow } from '../repository.js';
import { dossierBasics, loadLoggedActions, shortDateTime, stepName, TIMELINESS_VI, unitNames, userNames, type LoggedAction } from './common.js';
import { formReference } from './layout.js';

export const CONTROL_SHEET_TITLE = { vi: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', en: 'Process control sheet' } as const;

const NOT_HAND_OVERS = new Set(['submit', 'request_payment', 'confirm_payment', 'recompute_appointment', 'digitise']);

export interface ControlRow {
  seq: number;
  type: string;
  step: string;
  giver: string;
  receiver: string;
  at: Date;
  deadline: Date | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  notes: string;
}

const asDate = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);

export async function controlSheetData(ctx: AppContext, row: ScopedDossierRow) {
  const [basics, actions] = await Promise.all([dossierBasics(ctx, row), loadLoggedActions(ctx.db, row.id)]);
  const assigneeIds = actions.map((a) => Number(a.payload.assigneeId)).filter(Number.isInteger);
  const [assignees, units] = await Promise.all([userNames(ctx.db, assigneeIds), unitNames(ctx.db, actions.flatMap((a) => [a.fromUnit, a.toUnit]))]);
  const applicant = `${row.applicant_name} (người nộp hồ sơ)`;
  const person = (a: LoggedAction) => (a.actorRole === 'citizen' ? applicant : a.actorName ?? (a.actorRole === 'system' ? 'Hệ thống' : a.actorRole));
  /** The official who next acted on the dossier after the action at index i. */
  const nextStaff = (i: number) => actions.slice(i + 1).find((a) => a.actorRole !== 'citizen' && a.actorRole !== 'system' && a.actorName)?.actorName ?? null;
  const at = (unit: string | null) => (unit ? units.get(unit) ?? unit : '');

  let appointment: Date | null = null;
  // Due instant of the step being worked on (its norm, never after the appointment; recorded on
  // the action that entered the step), falling back to the appointment for older records.
  let stepDue: Date | null = null;
  const rows: ControlRow[] = [];
  actions.forEach((a, i) => {
    const before = stepDue ?? appointment;
    if ('appointmentAt' in a.payload) appointment = asDate(a.payload.appointmentAt);
    if ('stepDueAt' in a.payload) stepDue = asDate(a.payload.stepDueAt);
    else if (a.fromStep !== a.toStep) stepDue = null;
    if (NOT_HAND_OVERS.has(a.type)) return;
    const unitChanged = a.toUnit && a.fromUnit && a.toUnit !== a.fromUnit;
    const toStep = `${stepName(a.toStep)}${unitChanged ? ` – ${at(a.toUnit)}` : ''}`;
    const taker = (fallback: string) => nextStaff(i) ?? fallback;
    let step = stepName(a.fromStep);
    let giver = person(a);
    let receiver = '';
    let notes = a.reason ?? '';
    switch (a.type) {
      case 'receive':
        step = 'Tiếp nhận hồ sơ';
        giver = applicant;
        receiver = a.actorName ?? '';
        break;
      case 'refuse':
        step = 'Từ chối tiếp nhận';
        receiver = applicant;
        break;
      case 'assign':
        step = `Phân công: ${stepName(a.toStep)}`;
        receiver = assignees.get(Number(a.payload.assigneeId)) ?? '';
        break;
      case 'forward':
        step = `${stepName(a.fromStep)} → ${toStep}`;
        receiver = taker(toStep);
        if (typeof a.payload.note === 'string') notes = a.payload.note;
        break;
      case 'accept_transfer':
        step = `Nhận hồ sơ liên thông – ${at(a.toUnit)}`;
        giver = at(a.fromUnit);
        receiver = a.actorName ?? '';
        break;
      case 'request_supplement':
        step = 'Yêu cầu bổ sung hồ sơ';
        receiver = applicant;
        notes = [a.reason, ...(Array.isArray(a.payload.missing) ? (a.payload.missing as unknown[]).map((m) => `- ${String(m)}`) : [])].filter(Boolean).join('\n');
        break;
      case 'supplement':
        step = 'Bổ sung hồ sơ';
        giver = applicant;
        receiver = a.actorRole === 'citizen' ? taker('Bộ phận Một cửa') : a.actorName ?? '';
        notes = [typeof a.payload.note === 'string' ? a.payload.note : '', ...(Array.isArray(a.payload.documents) ? (a.payload.documents as unknown[]).map(String) : [])].filter(Boolean).join('\n');
        break;
      case 'apologize':
        step = 'Xin lỗi, hẹn lại ngày trả kết quả';
        receiver = applicant;
        notes = `${a.reason ?? ''}\nHẹn mới: ${shortDateTime(appointment)}`.trim();
        break;
      case 'stop':
      case 'withdraw':
        step = a.type === 'stop' ? 'Dừng xử lý' : 'Rút hồ sơ';
        receiver = a.type === 'stop' ? applicant : a.actorRole === 'citizen' ? 'Bộ phận Một cửa' : applicant;
        break;
      case 'finish':
        step = `${stepName(a.fromStep)} → ${stepName(a.toStep) || 'Hoàn thành'}`;
        receiver = taker(stepName(a.toStep));
        if (typeof a.payload.resultSummary === 'string') notes = a.payload.resultSummary;
        break;
      case 'return_result': {
        step = 'Trả kết quả';
        receiver = applicant;
        const method = { in_person: 'Trực tiếp', online: 'Trực tuyến', post: 'Qua bưu chính' }[String(a.payload.method)] ?? '';
        notes = [method, typeof a.payload.trackingNumber === 'string' ? `Mã vận đơn: ${a.payload.trackingNumber}` : ''].filter(Boolean).join(' – ');
        break;
      }
      default:
        receiver = taker('');
    }
    rows.push({ seq: a.seq, type: a.type, step, giver, receiver, at: a.at, deadline: a.type === 'receive' ? appointment : before, timeliness: a.stepTimeliness, notes });
  });
  const status = row.status_code as StatusCode;
  return {
    ...basics,
    status: STATUS_NAMES[status],
    finishedAt: row.finished_at,
    timeliness: row.timeliness,
    rows,
    generatedAt: ctx.now(),
  };
}

export type ControlSheetData = Awaited<ReturnType<typeof controlSheetData>>;

const CONTROL_SHEET_NOTE =
  'Thời gian giao, nhận và hạn xử lý ghi theo giờ Việt Nam (UTC+7). Hạn xử lý của mỗi bước là định mức thời gian của bước đó theo quy trình nội bộ, không quá ngày hẹn trả kết quả; trước hạn / đúng hạn / quá hạn so sánh theo ngày.';

const CONTROL_COLUMNS = [
  { header: 'TT', key: 'n', width: 5 },
  { header: 'Bước xử lý', key: 'step', width: 32 },
  { header: 'Bên giao', key: 'giver', width: 26 },
  { header: 'Bên nhận', key: 'receiver', width: 26 },
  { header: 'Thời gian giao, nhận', key: 'at', width: 18 },
  { header: 'Hạn xử lý', key: 'deadline', width: 18 },
  { header: 'Kết quả (trước/đúng/quá hạn)', key: 'timeliness', width: 16 },
  { header: 'Ghi chú', key: 'notes', width: 40 },
] as const;

/** The same sheet as a spreadsheet: a heading block, then one row per hand-over (times in local time). */
export async function controlSheetXlsx(d: ControlSheetData, utcOffsetMinutes: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  wb.title = `${CONTROL_SHEET_TITLE.vi} ${d.code}`;
  wb.created = d.generatedAt;
  const ws = wb.addWorksheet('Phiếu kiểm soát');
  const local = (x: Date | null) => (x ? new Date(x.getTime() + utcOffsetMinutes * 60_000) : null);
  ws.addRow([d.issuer.parentName ?? '', '', '', '', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']);
  ws.addRow([d.issuer.name, '', '', '', 'Độc lập - Tự do - Hạnh phúc']);
  ws.addRow([]);
  ws.addRow([CONTROL_SHEET_TITLE.vi.toUpperCase()]).font = { bold: true, size: 13 };
  ws.addRow([`(${formReference(6)})`]).font = { italic: true };
  ws.addRow(['Mã hồ sơ', d.code]);
  ws.addRow(['Kèm theo hồ sơ của', d.applicant.name]);
  ws.addRow(['Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`]);
  ws.addRow(['Thời gian nhận hồ sơ', local(d.receivedAt) ?? 'Chưa tiếp nhận']);
  ws.addRow(['Thời gian hẹn trả kết quả', local(d.appointmentAt) ?? 'Không quy định']);
  ws.addRow(['Trạng thái hiện tại', d.status.vi]);
  if (d.demo) ws.addRow(['DỮ LIỆU MÔ PHỎNG – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ']).font = { bold: true, color: { argb: 'FFB00020' } };
  ws.addRow([]);
  const head = ws.addRow(CONTROL_COLUMNS.map((c) => c.header));
  head.font = { bold: true };
  CONTROL_COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  d.rows.forEach((r, i) => {
    const row = ws.addRow([i + 1, r.step, r.giver, r.receiver, local(r.at), local(r.deadline), r.timeliness ? TIMELINESS_VI[r.timeliness]! : '', r.notes]);
    row.getCell(5).numFmt = 'dd/mm/yyyy hh:mm';
    row.getCell(6).numFmt = 'dd/mm/yyyy hh:mm';
    row.alignment = { vertical: 'top', wrapText: true };
  });
  for (const r of [9, 10]) ws.getRow(r).getCell(2).numFmt = 'dd/mm/yyyy hh:mm';
  ws.addRow([]);
  if (d.finishedAt && d.timeliness) ws.addRow([`Kết quả giải quyết hồ sơ: ${TIMELINESS_VI[d.timeliness] ?? d.timeliness} (hoàn thành ${vietnameseDateTime(d.finishedAt)}).`]);
  ws.addRow([CONTROL_SHEET_NOTE]).font = { italic: true, size: 9 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function controlSheetPdf(d: ControlSheetData): Promise<Buffer> {
  const doc = createPdf({ title: `${CONTROL_SHEET_TITLE.vi} – ${d.code}`, subject: formReference(6) });
  nationalHeader(doc, {
    agencyParent: d.issuer.parentName,
    agency: d.issuer.name,
    number: `Mã hồ sơ: ${d.code}`,
    placeDate: `${d.issuer.place}, ${vietnameseDate(d.generatedAt)}`,
  });
  formTitle(doc, CONTROL_SHEET_TITLE.vi.toUpperCase(), `(${formReference(6)})`);
  field(doc, 'Kèm theo hồ sơ của', d.applicant.name);
  field(doc, 'Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`);
  field(doc, 'Thời gian nhận hồ sơ', d.receivedAt ? vietnameseDateTime(d.receivedAt) : 'Chưa tiếp nhận');
  field(doc, 'Thời gian hẹn trả kết quả', d.appointmentAt ? vietnameseDateTime(d.appointmentAt) : 'Không quy định');
  field(doc, 'Trạng thái hiện tại', d.status.vi);
  table(
    doc,
    [
      { header: 'TT', width: 0.05, align: 'center' },
      { header: 'Bước xử lý', width: 0.16 },
      { header: 'Bên giao', width: 0.15 },
      { header: 'Bên nhận', width: 0.15 },
      { header: 'Thời gian giao, nhận', width: 0.12 },
      { header: 'Hạn xử lý', width: 0.12 },
      { header: 'Kết quả (trước/đúng/quá hạn)', width: 0.1 },
      { header: 'Ghi chú', width: 0.15 },
    ],
    d.rows.map((r, i) => [String(i + 1), r.step, r.giver, r.receiver, shortDateTime(r.at), shortDateTime(r.deadline), r.timeliness ? TIMELINESS_VI[r.timeliness]! : '', r.notes]),
    { fontSize: 8 },
  );
  if (d.finishedAt && d.timeliness) paragraph(doc, `Kết quả giải quyết hồ sơ: ${TIMELINESS_VI[d.timeliness] ?? d.timeliness} (hoàn thành ${vietnameseDateTime(d.finishedAt)}).`, { align: 'left' });
  paragraph(doc, CONTROL_SHEET_NOTE, { italic: true, size: 9, align: 'left' });
  signatures(doc, [{ title: 'Người lập phiếu', note: '(Bộ phận Một cửa, lập từ nhật ký xử lý hồ sơ)', name: null }]);
  return finishPdf(doc, { demoNotice: d.demo, footer: d.code });
}
