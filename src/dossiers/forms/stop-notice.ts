/**
 * Form 5 of Circular 03/2025/TT-VPCP (Annex I): the notice that processing of the dossier has been
 * stopped, from the `stop` action: the reason and the leader who decided it.
 */
import type { AppContext } from '../../platform/context.js';
import { field, finishPdf, paragraph, signatures, vietnameseDateTime } from '../../platform/pdf.js';
import type { ScopedDossierRow } from '../repository.js';
import { dossierBasics, formNotApplicable, issuerInText, loadLoggedActions } from './common.js';
import { dossierLines, startNotice } from './layout.js';

export const STOP_NOTICE_TITLE = { vi: 'Thông báo dừng giải quyết hồ sơ', en: 'Notice that processing has stopped' } as const;

export async function stopNoticeData(ctx: AppContext, row: ScopedDossierRow) {
  const act = (await loadLoggedActions(ctx.db, row.id, ['stop'])).at(-1);
  if (!act) throw formNotApplicable('Thông báo dừng giải quyết hồ sơ', 'The stop notice (form 5)', row.code, 'hồ sơ không bị dừng xử lý', 'processing was not stopped');
  return { ...(await dossierBasics(ctx, row)), stoppedAt: act.at, reason: act.reason ?? '', official: act.actorName };
}

export type StopNoticeData = Awaited<ReturnType<typeof stopNoticeData>>;

export async function stopNoticePdf(d: StopNoticeData): Promise<Buffer> {
  const doc = startNotice(d, { formNumber: 5, title: STOP_NOTICE_TITLE.vi, issuedAt: d.stoppedAt });
  paragraph(doc, `${issuerInText(d.issuer)} đã tiếp nhận hồ sơ sau:`, { align: 'left' });
  dossierLines(doc, d, { received: true });
  if (d.receivedAt) field(doc, 'Thời gian tiếp nhận', vietnameseDateTime(d.receivedAt));
  if (d.appointmentAt) field(doc, 'Thời gian hẹn trả kết quả', vietnameseDateTime(d.appointmentAt));
  paragraph(doc, `Cơ quan, đơn vị thông báo dừng giải quyết hồ sơ trên kể từ ${vietnameseDateTime(d.stoppedAt)} với lý do cụ thể như sau:`, { align: 'left' });
  paragraph(doc, d.reason, { bold: true, indent: 18, align: 'left' });
  paragraph(doc, 'Xin thông báo để Ông/Bà được biết./.', { align: 'left' });
  signatures(doc, [{ title: 'Thủ trưởng cơ quan, đơn vị', note: '(Ký, ghi rõ họ tên và đóng dấu)', name: d.official }]);
  return finishPdf(doc, { demoNotice: d.demo, footer: d.code });
}
