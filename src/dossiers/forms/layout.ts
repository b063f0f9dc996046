/**
 * The layout shared by the notices to the applicant (forms 2–5): the national header with the
 * issuing body, the dossier code as the document number, the place and date, the title with the
 * form's reference, "Kính gửi" (to) the applicant, and the dossier's identification lines.
 */
import { createPdf, field, formTitle, nationalHeader, paragraph, vietnameseDate, type Pdf } from '../../platform/pdf.js';
import type { DossierBasics } from './common.js';

/** "Mẫu số 02, Phụ lục I, Thông tư số 03/2025/TT-VPCP". */
export const formReference = (n: number) => `Mẫu số ${String(n).padStart(2, '0')}, Phụ lục I, Thông tư số 03/2025/TT-VPCP`;

export function startNotice(b: DossierBasics, opts: { formNumber: number; title: string; issuedAt: Date }): Pdf {
  const doc = createPdf({ title: `${opts.title} – ${b.code}`, subject: formReference(opts.formNumber) });
  nationalHeader(doc, {
    agencyParent: b.issuer.parentName,
    agency: b.issuer.name,
    number: `Mã hồ sơ: ${b.code}`,
    placeDate: `${b.issuer.place}, ${vietnameseDate(opts.issuedAt)}`,
  });
  formTitle(doc, opts.title.toUpperCase(), `(${formReference(opts.formNumber)})`);
  paragraph(doc, `Kính gửi: ${b.applicant.name}`, { bold: true, align: 'center' });
  return doc;
}

/** The lines that identify the dossier in a notice (its code is in the header). */
export function dossierLines(doc: Pdf, b: DossierBasics, opts: { received: boolean }): void {
  field(doc, opts.received ? 'Tiếp nhận hồ sơ của' : 'Hồ sơ của', b.applicant.name);
  if (b.applicant.idNumber) field(doc, 'Số định danh cá nhân / CCCD', b.applicant.idNumber);
  if (b.applicant.address) field(doc, 'Địa chỉ', b.applicant.address);
  if (b.applicant.phone) field(doc, 'Số điện thoại', b.applicant.phone);
  field(doc, 'Nội dung yêu cầu giải quyết', `${b.procedure.name} (mã thủ tục ${b.procedure.code})`);
}
