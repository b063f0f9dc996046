/**
 * The receipt: form 1 of Circular 03/2025/TT-VPCP (Annex I), "Giấy tiếp nhận hồ sơ và hẹn trả
 * kết quả", as the data a page shows (JSON) and as a printable PDF.
 *
 * An online dossier not yet received has no receipt and no appointment: until the desk receives
 * it the same document is a "Giấy xác nhận nộp hồ sơ trực tuyến" (confirmation of online
 * submission) with the submission time, no appointment and no receiving official. Once received
 * it becomes form 1 with the official who received it (the actor of the `receive` action).
 *
 * Documents listed: the files attached to the dossier, grouped by the procedure's document they
 * were uploaded for; a dossier without attachments (a walk-in whose papers were not scanned)
 * lists the procedure's documents for its case, and says so (`documentsSource: 'catalog'`).
 */
import type { Kysely } from 'kysely';
import { CHANNEL_NAMES, STATUS_NAMES, type Channel, type StatusCode } from '../core/dossier-machine.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { createPdf, field, finishPdf, formTitle, nationalHeader, paragraph, signatures, table, vietnameseDate, vietnameseDateTime } from '../platform/pdf.js';
import { findVisibleDossier } from './timeline.js';
import type { ScopedDossierRow } from './repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const RECEIPT_TITLES = {
  receipt: { vi: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', en: 'Receipt of dossier and appointment for the result' },
  online_submission: { vi: 'Giấy xác nhận nộp hồ sơ trực tuyến', en: 'Confirmation of online submission' },
} as const;

export const FORM_REFERENCE = 'Mẫu số 01, Phụ lục I, Thông tư số 03/2025/TT-VPCP';

/** "03 ngày làm việc" / "3 working days", from the dossier's time limit. */
export function describeTimeLimit(kind: string, value: number): { vi: string; en: string } {
  const v = Number(value);
  const viNum = (Number.isInteger(v) && v < 10 ? `0${v}` : String(v)).replace('.', ',');
  switch (kind) {
    case 'working_days':
      return { vi: `${viNum} ngày làm việc`, en: `${v} working day${v === 1 ? '' : 's'}` };
    case 'hours':
      return { vi: `${viNum} giờ làm việc`, en: `${v} working hour${v === 1 ? '' : 's'}` };
    case 'days':
      return { vi: `${viNum} ngày`, en: `${v} day${v === 1 ? '' : 's'}` };
    case 'same_day':
      return {
        vi: 'Trong ngày làm việc (tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo)',
        en: 'The same working day (received after 15:00: the next working day)',
      };
    default:
      return { vi: 'Không quy định thời hạn', en: 'No time limit set' };
  }
}

interface ReceiptDocument {
  seq: number | null;
  name: string;
  nameEn: string | null;
  copies: number | null;
  originalRequired: boolean | null;
  files: Array<{ id: string; fileName: string; contentType: string; sizeBytes: number }>;
}

async function loadDocuments(db: Kysely<DB>, row: ScopedDossierRow): Promise<{ source: 'attachments' | 'catalog'; items: ReceiptDocument[] }> {
  const files = await db
    .selectFrom('attachments as a')
    .leftJoin('procedure_documents as pd', (j) => j.onRef('pd.procedure_code', '=', 'a.procedure_code').onRef('pd.seq', '=', 'a.document_seq'))
    .select(['a.public_id', 'a.file_name', 'a.content_type', 'a.size_bytes', 'a.document_seq', 'pd.name', 'pd.name_en', 'pd.copies', 'pd.original_required'])
    .where('a.dossier_id', '=', row.id)
    .orderBy('a.document_seq')
    .orderBy('a.id')
    .execute();
  if (files.length) {
    const bySeq = new Map<string, ReceiptDocument>();
    for (const f of files) {
      const key = f.document_seq === null || f.name === null ? 'other' : String(f.document_seq);
      let doc = bySeq.get(key);
      if (!doc) {
        doc =
          key === 'other'
            ? { seq: null, name: 'Giấy tờ khác', nameEn: 'Other documents', copies: null, originalRequired: null, files: [] }
            : { seq: f.document_seq, name: f.name!, nameEn: f.name_en || null, copies: f.copies, originalRequired: f.original_required, files: [] };
        bySeq.set(key, doc);
      }
      doc.files.push({ id: f.public_id, fileName: f.file_name, contentType: f.content_type, sizeBytes: Number(f.size_bytes) });
    }
    const items = [...bySeq.values()].sort((a, b) => (a.seq ?? 1e9) - (b.seq ?? 1e9));
    return { source: 'attachments', items };
  }
  const docs = await db
    .selectFrom('procedure_documents')
    .select(['seq', 'name', 'name_en', 'copies', 'original_required', 'case_codes'])
    .where('procedure_code', '=', row.procedure_code)
    .orderBy('seq')
    .execute();
  return {
    source: 'catalog',
    items: docs
      .filter((d) => d.case_codes.length === 0 || d.case_codes.includes(row.case_code))
      .map((d) => ({ seq: d.seq, name: d.name, nameEn: d.name_en || null, copies: d.copies, originalRequired: d.original_required, files: [] })),
  };
}

export async function receiptData(ctx: AppContext, actor: Actor, code: string) {
  const row = await findVisibleDossier(ctx, actor, code);
  const [unit, kase, receiver, documents] = await Promise.all([
    ctx.db
      .selectFrom('units as u')
      .leftJoin('units as p', 'p.code', 'u.parent_code')
      .select(['u.code', 'u.name', 'u.name_en', 'u.kind', 'p.name as parent_name', 'p.kind as parent_kind'])
      .where('u.code', '=', row.receiving_unit)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('procedure_cases as c')
      .innerJoin('procedures as p', 'p.code', 'c.procedure_code')
      .select(['c.name', 'c.name_en', 'p.name_en as procedure_name_en'])
      .where('c.procedure_code', '=', row.procedure_code)
      .where('c.code', '=', row.case_code)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('dossier_actions as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .select(['u.full_name', 'a.at'])
      .where('a.dossier_id', '=', row.id)
      .where('a.type', '=', 'receive')
      .orderBy('a.seq')
      .limit(1)
      .executeTakeFirst(),
    loadDocuments(ctx.db, row),
  ]);
  const received = row.received_at !== null;
  const kind = received ? ('receipt' as const) : ('online_submission' as const);
  const local = unit.kind === 'ward' || unit.kind === 'commune';
  const status = row.status_code as StatusCode;
  return {
    kind,
    title: RECEIPT_TITLES[kind],
    formReference: FORM_REFERENCE,
    demo: ctx.config.demo,
    code: row.code,
    issuer: {
      unitCode: unit.code,
      // A commune or ward: its People's Committee runs the service centre that receives.
      parentName: local ? `Ủy ban nhân dân ${unit.name}` : unit.parent_name ? `Ủy ban nhân dân ${unit.parent_name}` : null,
      name: local ? 'Trung tâm Phục vụ hành chính công' : unit.name,
      unitName: unit.name,
      unitNameEn: unit.name_en,
      place: (unit.parent_kind === 'province' && unit.parent_name ? unit.parent_name : unit.name).replace(/^(Tỉnh|Thành phố)\s+/, ''),
    },
    applicant: {
      type: row.applicant_type,
      name: row.applicant_name,
      idNumber: row.applicant_id_number,
      phone: row.applicant_phone,
      email: row.applicant_email,
      address: row.applicant_address,
    },
    procedure: { code: row.procedure_code, name: row.procedure_name, nameEn: kase.procedure_name_en || null },
    case: { code: row.case_code, name: kase.name, nameEn: kase.name_en || null },
    channel: { code: row.channel, ...CHANNEL_NAMES[row.channel as Channel] },
    status: { code: status, vi: STATUS_NAMES[status].vi, en: STATUS_NAMES[status].en },
    documentsSource: documents.source,
    documents: documents.items,
    timeLimit: describeTimeLimit(row.limit_kind, Number(row.limit_value)),
    submittedAt: row.submitted_at.toISOString(),
    receivedAt: iso(row.received_at),
    appointmentAt: iso(row.appointment_at),
    feeAmount: row.fee_amount === null ? null : Number(row.fee_amount),
    resultPlace: {
      vi: `Bộ phận Một cửa – ${unit.name}${row.channel === 2 ? ' (hoặc nhận trực tuyến nếu kết quả là bản điện tử)' : ''}`,
      en: `One-stop desk – ${unit.name_en ?? unit.name}${row.channel === 2 ? ' (or online when the result is electronic)' : ''}`,
    },
    receivedBy: received && receiver?.full_name ? { name: receiver.full_name } : null,
    pdfUrl: `/api/dossiers/${encodeURIComponent(row.code)}/receipt.pdf`,
  };
}

export type ReceiptData = Awaited<ReturnType<typeof receiptData>>;

const vnMoney = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

/** Form 1 laid out like the paper form: header and motto, title, numbered fields, documents, signatures. */
export async function receiptPdf(r: ReceiptData): Promise<Buffer> {
  const doc = createPdf({ title: `${r.title.vi} – ${r.code}`, subject: r.formReference });
  const issuedAt = new Date(r.receivedAt ?? r.submittedAt);
  nationalHeader(doc, {
    agencyParent: r.issuer.parentName,
    agency: r.issuer.name,
    number: `Mã hồ sơ: ${r.code}`,
    placeDate: `${r.issuer.place}, ${vietnameseDate(issuedAt)}`,
  });
  formTitle(doc, r.title.vi.toUpperCase(), r.kind === 'receipt' ? `(${r.formReference})` : '(Hồ sơ nộp trực tuyến, chưa được tiếp nhận)');

  paragraph(doc, `${r.issuer.name} – ${r.issuer.unitName}`, { bold: true, align: 'left' });
  field(doc, r.kind === 'receipt' ? 'Tiếp nhận hồ sơ của' : 'Người nộp hồ sơ', r.applicant.name);
  field(doc, 'Số định danh cá nhân / CCCD', r.applicant.idNumber);
  field(doc, 'Địa chỉ', r.applicant.address);
  field(doc, 'Số điện thoại', r.applicant.phone);
  field(doc, 'Thư điện tử', r.applicant.email);
  field(doc, 'Nội dung yêu cầu giải quyết', `${r.procedure.name} (mã thủ tục ${r.procedure.code})`);
  field(doc, 'Trường hợp', r.case.name);
  field(doc, 'Hình thức nộp', r.channel.vi);

  paragraph(doc, `1. Thành phần hồ sơ nộp gồm${r.documentsSource === 'catalog' ? ' (theo danh mục của thủ tục)' : ''}:`, { align: 'left' });
  table(
    doc,
    [
      { header: 'TT', width: 0.07, align: 'center' },
      { header: 'Tên giấy tờ', width: 0.5 },
      { header: r.documentsSource === 'attachments' ? 'Tệp đã nộp' : 'Hình thức', width: 0.3 },
      { header: 'Số lượng', width: 0.13, align: 'center' },
    ],
    r.documents.map((d, i) => [
      String(i + 1),
      d.name,
      d.files.length ? d.files.map((f) => f.fileName).join('\n') : d.originalRequired ? 'Bản chính' : 'Bản sao hoặc bản chính',
      String(d.files.length || d.copies || 1),
    ]),
  );
  field(doc, 'Số lượng hồ sơ', '01 (bộ)', { number: 2 });
  field(doc, 'Thời gian giải quyết hồ sơ theo quy định', r.timeLimit.vi, { number: 3 });
  field(doc, r.kind === 'receipt' ? 'Thời gian nhận hồ sơ' : 'Thời gian nộp hồ sơ', vietnameseDateTime(issuedAt), { number: 4 });
  field(
    doc,
    'Thời gian trả kết quả giải quyết hồ sơ',
    r.appointmentAt ? vietnameseDateTime(new Date(r.appointmentAt)) : r.kind === 'receipt' ? 'Không quy định' : 'Sẽ hẹn khi hồ sơ được tiếp nhận',
    { number: 5 },
  );
  field(doc, 'Đăng ký nhận kết quả tại', r.resultPlace.vi, { number: 6 });
  if (r.feeAmount !== null) field(doc, 'Phí, lệ phí', vnMoney(r.feeAmount), { number: 7 });
  paragraph(doc, `Tra cứu tình trạng hồ sơ bằng mã hồ sơ ${r.code} và số điện thoại hoặc số định danh của người nộp.`, { italic: true, size: 10, align: 'left' });

  signatures(doc, [
    { title: 'Người nộp hồ sơ', note: '(Ký và ghi rõ họ tên)', name: r.kind === 'receipt' ? null : r.applicant.name },
    r.kind === 'receipt'
      ? { title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: r.receivedBy?.name ?? null }
      : { title: 'Hệ thống tiếp nhận trực tuyến', note: '(Xác nhận tự động, chưa có cán bộ tiếp nhận)', name: null },
  ]);
  return finishPdf(doc, { demoNotice: r.demo, footer: r.code });
}
