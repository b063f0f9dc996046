/**
 * Form 4 of Circular 03/2025/TT-VPCP (Annex I): "Phiếu xin lỗi và hẹn lại ngày trả kết quả", from
 * the `apologize` action: the reason for the delay, the appointment the applicant had been given
 * and the new one, and the leader who signed it.
 */
import type { AppContext } from '../../platform/context.js';
import { field, finishPdf, paragraph, signatures, vietnameseDateTime } from '../../platform/pdf.js';
import type { ScopedDossierRow } from '../repository.js';
import { dossierBasics, formNotApplicable, issuerInText, loadLoggedActions } from './common.js';
import { dossierLines, startNotice } from './layout.js';

export const APOLOGY_TITLE = { vi: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology with a new appointment' } as const;

const asDate = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);

export async function apologyData(ctx: AppContext, row: ScopedDossierRow) {
  const act = (await loadLoggedActions(ctx.db, row.id, ['apologize'])).at(-1);
  if (!act) throw formNotApplicable('Phiếu xin lỗi và hẹn lại', 'The apology (form 4)', row.code, 'chưa có thư xin lỗi, hẹn lại ngày trả kết quả', 'no apology has been issued');
  return {
    ...(await dossierBasics(ctx, row)),
    apologizedAt: act.at,
    reason: act.reason ?? '',
    previousAppointmentAt: asDate(act.payload.previousAppointmentAt),
    newAppointmentAt: asDate(act.payload.appointmentAt),
    official: act.actorName,
  };
}

export type ApologyData = Awaited<ReturnType<typeof apologyData>>;

export async function apologyPdf(d: ApologyData): Promise<Buffer> {
  const doc = startNotice(d, { formNumber: 4, title: APOLOGY_TITLE.vi, issuedAt: d.apologizedAt });
  const body = issuerInText(d.issuer);
  paragraph(doc, `${body} đã tiếp nhận hồ sơ sau:`, { align: 'left' });
  dossierLines(doc, d, { received: true });
  if (d.receivedAt) field(doc, 'Thời gian tiếp nhận', vietnameseDateTime(d.receivedAt));
  field(doc, 'Thời gian hẹn trả kết quả giải quyết hồ sơ', d.previousAppointmentAt ? vietnameseDateTime(d.previousAppointmentAt) : 'Không quy định');
  paragraph(doc, 'Tuy nhiên đến nay, cơ quan, đơn vị chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn với lý do:', { align: 'left' });
  paragraph(doc, d.reason, { bold: true, indent: 18, align: 'left' });
  paragraph(doc, `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${body} xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả như sau:`, { align: 'left' });
  field(doc, 'Thời gian hẹn trả kết quả mới', d.newAppointmentAt ? vietnameseDateTime(d.newAppointmentAt) : null);
  paragraph(doc, 'Rất mong nhận được sự thông cảm của Ông/Bà./.', { align: 'left' });
  signatures(doc, [{ title: 'Thủ trưởng cơ quan, đơn vị', note: '(Ký, ghi rõ họ tên và đóng dấu)', name: d.official }]);
  return finishPdf(doc, { demoNotice: d.demo, footer: d.code });
}
