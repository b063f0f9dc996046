/**
 * The dossier forms of Circular 03/2025/TT-VPCP (Annex I) served per dossier, by URL name:
 *
 *   supplement-request  form 2  Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ     owner + staff in scope
 *   refusal             form 3  Phiếu từ chối tiếp nhận giải quyết hồ sơ    owner + staff in scope
 *   apology             form 4  Phiếu xin lỗi và hẹn lại ngày trả kết quả   owner + staff in scope
 *   stop-notice         form 5  Thông báo dừng giải quyết hồ sơ             owner + staff in scope
 *   control-sheet       form 6  Phiếu kiểm soát quá trình giải quyết hồ sơ  staff in scope only
 *
 * Form 1 (the receipt) is /api/dossiers/:code/receipt.pdf; form 7 (the register) is per unit.
 */
import type { AppContext } from '../../platform/context.js';
import type { ScopedDossierRow } from '../repository.js';
import { apologyData, apologyPdf, APOLOGY_TITLE } from './apology.js';
import { controlSheetData, controlSheetPdf, CONTROL_SHEET_TITLE } from './control-sheet.js';
import { refusalData, refusalPdf, REFUSAL_TITLE } from './refusal.js';
import { stopNoticeData, stopNoticePdf, STOP_NOTICE_TITLE } from './stop-notice.js';
import { supplementRequestData, supplementRequestPdf, SUPPLEMENT_REQUEST_TITLE } from './supplement-request.js';

export interface DossierForm {
  number: number;
  title: { vi: string; en: string };
  /** File name stem, ASCII (e.g. "phieu-yeu-cau-bo-sung"). */
  fileStem: string;
  /** May the citizen who owns the dossier have it (a notice addressed to them)? */
  forOwner: boolean;
  /** The PDF, or a 404 "form not applicable" when the dossier's log has no such event. */
  render(ctx: AppContext, row: ScopedDossierRow): Promise<Buffer>;
}

export const DOSSIER_FORMS = {
  'supplement-request': {
    number: 2,
    title: SUPPLEMENT_REQUEST_TITLE,
    fileStem: 'phieu-yeu-cau-bo-sung',
    forOwner: true,
    render: async (ctx, row) => supplementRequestPdf(await supplementRequestData(ctx, row)),
  },
  refusal: { number: 3, title: REFUSAL_TITLE, fileStem: 'phieu-tu-choi', forOwner: true, render: async (ctx, row) => refusalPdf(await refusalData(ctx, row)) },
  apology: { number: 4, title: APOLOGY_TITLE, fileStem: 'phieu-xin-loi', forOwner: true, render: async (ctx, row) => apologyPdf(await apologyData(ctx, row)) },
  'stop-notice': { number: 5, title: STOP_NOTICE_TITLE, fileStem: 'thong-bao-dung', forOwner: true, render: async (ctx, row) => stopNoticePdf(await stopNoticeData(ctx, row)) },
  'control-sheet': { number: 6, title: CONTROL_SHEET_TITLE, fileStem: 'phieu-kiem-soat', forOwner: false, render: async (ctx, row) => controlSheetPdf(await controlSheetData(ctx, row)) },
} satisfies Record<string, DossierForm>;

export type DossierFormName = keyof typeof DOSSIER_FORMS;
export const DOSSIER_FORM_NAMES = Object.keys(DOSSIER_FORMS) as DossierFormName[];
