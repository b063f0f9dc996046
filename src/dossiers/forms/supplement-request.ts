/**
 * Form 2 of Circular 03/2025/TT-VPCP (Annex I): "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", the
 * single request listing everything the applicant must add, from the latest `request_supplement`
 * action: its reason and its numbered list of missing documents exactly as the official wrote
 * them, the date, and the official who asked.
 */
import type { AppContext } from '../../platform/context.js';
import { finishPdf, field, paragraph, signatures, vietnameseDateTime } from '../../platform/pdf.js';
import type { ScopedDossierRow } from '../repository.js';
import { dossierBasics, formNotApplicable, issuerInText, loadLoggedActions } from './common.js';
import { dossierLines, startNotice } from './layout.js';

export const SUPPLEMENT_REQUEST_TITLE = { vi: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', en: 'Request to supplement the dossier' } as const;

export async function supplementRequestData(ctx: AppContext, row: ScopedDossierRow) {
  const actions = await loadLoggedActions(ctx.db, row.id, ['request_supplement']);
  const last = actions.at(-1);
  if (!last) {
    throw formNotApplicable('Phiếu yêu cầu bổ sung hồ sơ', 'The supplement request (form 2)', row.code, 'chưa có yêu cầu bổ sung hồ sơ', 'no supplement has been requested');
  }
  const missing = Array.isArray(last.payload.missing) ? (last.payload.missing as unknown[]).map(String) : [];
  return {
    ...(await dossierBasics(ctx, row)),
    requestedAt: last.at,
    requestNumber: actions.length,
    reason: last.reason ?? '',
    missing,
    official: last.actorName,
  };
}

export type SupplementRequestData = Awaited<ReturnType<typeof supplementRequestData>>;

export async function supplementRequestPdf(d: SupplementRequestData): Promise<Buffer> {
  const doc = startNotice(d, { formNumber: 2, title: SUPPLEMENT_REQUEST_TITLE.vi, issuedAt: d.requestedAt });
  paragraph(doc, `${issuerInText(d.issuer)} đã nhận hồ sơ sau:`, { align: 'left' });
  dossierLines(doc, d, { received: d.receivedAt !== null });
  if (d.receivedAt) field(doc, 'Thời gian tiếp nhận', vietnameseDateTime(d.receivedAt));
  paragraph(doc, 'Sau khi xem xét, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { align: 'left' });
  d.missing.forEach((m, i) => paragraph(doc, `${i + 1}. ${m}`, { indent: 18, align: 'left' }));
  field(doc, 'Lý do', d.reason);
  if (d.requestNumber > 1) paragraph(doc, `(Yêu cầu bổ sung lần thứ ${d.requestNumber})`, { italic: true, align: 'left' });
  paragraph(
    doc,
    'Thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết; ngày hẹn trả kết quả được tính lại khi Ông/Bà nộp đủ hồ sơ bổ sung. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với người hướng dẫn dưới đây.',
    { italic: true, size: 10 },
  );
  signatures(doc, [
    { title: 'Người nộp hồ sơ', note: '(Ký và ghi rõ họ tên)', name: null },
    { title: 'Người hướng dẫn', note: '(Ký và ghi rõ họ tên)', name: d.official },
  ]);
  return finishPdf(doc, { demoNotice: d.demo, footer: d.code });
}
