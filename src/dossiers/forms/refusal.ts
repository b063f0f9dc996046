/**
 * Form 3 of Circular 03/2025/TT-VPCP (Annex I): "Phiếu từ chối tiếp nhận giải quyết hồ sơ", from
 * the `refuse` action (only possible before receipt): the reason as the desk wrote it and the
 * official who refused.
 */
import type { AppContext } from '../../platform/context.js';
import { field, finishPdf, paragraph, signatures, vietnameseDateTime } from '../../platform/pdf.js';
import type { ScopedDossierRow } from '../repository.js';
import { dossierBasics, formNotApplicable, issuerInText, loadLoggedActions } from './common.js';
import { dossierLines, startNotice } from './layout.js';

export const REFUSAL_TITLE = { vi: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ', en: 'Refusal to receive the dossier' } as const;

export async function refusalData(ctx: AppContext, row: ScopedDossierRow) {
  const act = (await loadLoggedActions(ctx.db, row.id, ['refuse'])).at(-1);
  if (!act) throw formNotApplicable('Phiếu từ chối tiếp nhận hồ sơ', 'The refusal (form 3)', row.code, 'hồ sơ không bị từ chối tiếp nhận', 'the dossier was not refused');
  return { ...(await dossierBasics(ctx, row)), refusedAt: act.at, reason: act.reason ?? '', official: act.actorName };
}

export type RefusalData = Awaited<ReturnType<typeof refusalData>>;

export async function refusalPdf(d: RefusalData): Promise<Buffer> {
  const doc = startNotice(d, { formNumber: 3, title: REFUSAL_TITLE.vi, issuedAt: d.refusedAt });
  paragraph(doc, `${issuerInText(d.issuer)} đã nhận hồ sơ sau:`, { align: 'left' });
  dossierLines(doc, d, { received: false });
  field(doc, 'Thời gian nộp hồ sơ', vietnameseDateTime(d.submittedAt));
  paragraph(doc, 'Qua xem xét, cơ quan, đơn vị thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:', { align: 'left' });
  paragraph(doc, d.reason, { bold: true, indent: 18, align: 'left' });
  paragraph(doc, 'Xin thông báo để Ông/Bà được biết và thực hiện./.', { align: 'left' });
  signatures(doc, [{ title: 'Người tiếp nhận hồ sơ', note: '(Ký và ghi rõ họ tên)', name: d.official }]);
  return finishPdf(doc, { demoNotice: d.demo, footer: d.code });
}
