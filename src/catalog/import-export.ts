/**
 * Catalog export and import as CSV or XLSX, in one format an administrator can edit in Excel.
 *
 * ONE ROW PER CASE (trường hợp). The procedure columns are repeated on every row of the
 * procedure; on the second and later rows of a procedure they may be left blank (= same as its
 * first row) but a non-blank value must equal the first row's. Row 1 is the header of column
 * keys below (any order; unknown or missing columns refuse the file). Lists are separated by
 * "|". Booleans: true/false (also 1/0, yes/no, có/không, x/blank). Amounts are whole đồng
 * ("50000", "50.000" and "50,000" all read as 50000). The CSV is UTF-8 with a BOM (so Excel
 * shows Vietnamese correctly) and CRLF line ends; the XLSX has the data on the sheet
 * "Thủ tục" and a guide on the sheet "Hướng dẫn".
 *
 *   procedure_code          Mã thủ tục: national code (1.001193) or provincial (H15-HT-01)
 *   national_code           Mã quốc gia, blank if none (then equal to procedure_code if given)
 *   name, name_en           Tên thủ tục (Vietnamese, English)
 *   field_code              Mã lĩnh vực (HT, CT, CU, DKKD, DN, XD, DD, LLTP, BTXH, ...)
 *   level                   commune | province
 *   implementing_body       Cơ quan thực hiện (text)
 *   implementing_unit_kinds commune|ward (commune level) or province|department; may be blank
 *   implementing_units      unit codes, e.g. H15.S02
 *   applicant_types         citizen|business
 *   legal_basis             Căn cứ pháp lý (text)
 *   result_type             paper | electronic | both
 *   result_name             Tên kết quả
 *   online_level            none | partial | full
 *   full_online_eligible    true | false
 *   no_boundary             true | false (phi địa giới hành chính)
 *   steps                   desk|specialist|leader|return
 *   aliases                 everyday names, "|"-separated
 *   verify_time_limit, verify_fee, verify_documents, verify_legal_basis, verify_code
 *                           verified | to_verify
 *   active                  true | false
 *   source                  Nguồn (text)
 *   documents               JSON array of {name, nameEn, copies, originalRequired, required, caseCodes, note}
 *   form                    JSON array of e-form fields (see src/core/eform.ts); [] = no e-form
 *   case_code, case_name, case_name_en
 *   time_limit_kind         working_days | hours | days | same_day | none
 *   time_limit_value        number (0 or blank for same_day / none; 0.5 allowed)
 *   service_norm_kind       blank (none) | working_days | hours | days | same_day
 *   service_norm_value      number
 *   fee_kind                free | fixed | per_page
 *   fee_amount, fee_unit    fixed: amount and dossier|copy|contract|case (unit may be blank)
 *   fee_rate, fee_later_rate, fee_later_from_page, fee_cap_per_copy    per_page
 *   fee_note                text
 *
 * Import upserts every procedure of the file (each replaced whole: cases in row order, documents
 * as listed); procedures absent from the file are left as they are. It is all or nothing: every
 * row is checked first and a bad row is reported as { row, reason, reasonVi } with its
 * spreadsheet row number (header = row 1); if any row is bad, nothing is written.
 */
import ExcelJS from 'exceljs';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { stringify as stringifyCsvSync } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { FeeRule } from '../core/fees.js';
import { AppError, type FieldError } from '../platform/errors.js';
import type { DB } from '../platform/db-types.js';
import {
  inTransaction,
  loadCatalog,
  parseProcedure,
  referenceIssues,
  VERIFICATION_KEYS,
  writeProcedures,
  type Procedure,
  type ProcedureCase,
} from './procedures.js';

export type CatalogFormat = 'csv' | 'xlsx';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
/** Bad rows reported at most (the message gives the total). */
const MAX_REPORTED_ROWS = 200;

export const CONTENT_TYPES: Record<CatalogFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const DATA_SHEET = 'Thủ tục';
export const GUIDE_SHEET = 'Hướng dẫn';

interface Column {
  key: string;
  vi: string;
  en: string;
  /** Procedure-level (repeated on each case row) or case-level. */
  scope: 'procedure' | 'case';
  numeric?: boolean;
  width?: number;
}

const col = (key: string, scope: Column['scope'], vi: string, en: string, extra: Partial<Column> = {}): Column => ({ key, scope, vi, en, ...extra });

export const COLUMNS: readonly Column[] = [
  col('procedure_code', 'procedure', 'Mã thủ tục (mã quốc gia hoặc mã của tỉnh)', 'Procedure code (national or provincial)', { width: 14 }),
  col('national_code', 'procedure', 'Mã quốc gia (để trống nếu chưa có)', 'National code (blank if none)', { width: 12 }),
  col('name', 'procedure', 'Tên thủ tục', 'Procedure name', { width: 50 }),
  col('name_en', 'procedure', 'Tên tiếng Anh', 'English name', { width: 40 }),
  col('field_code', 'procedure', 'Mã lĩnh vực', 'Field code', { width: 8 }),
  col('level', 'procedure', 'Cấp thực hiện: commune (xã) | province (tỉnh)', 'Level: commune | province', { width: 10 }),
  col('implementing_body', 'procedure', 'Cơ quan thực hiện', 'Implementing body', { width: 30 }),
  col('implementing_unit_kinds', 'procedure', 'Loại đơn vị thực hiện, cách nhau bởi |: commune|ward hoặc province|department', 'Implementing unit kinds, |-separated', { width: 14 }),
  col('implementing_units', 'procedure', 'Mã đơn vị thực hiện, cách nhau bởi | (vd. H15.S02)', 'Implementing unit codes, |-separated', { width: 12 }),
  col('applicant_types', 'procedure', 'Đối tượng: citizen (công dân) | business (tổ chức, doanh nghiệp)', 'Applicant types, |-separated', { width: 16 }),
  col('legal_basis', 'procedure', 'Căn cứ pháp lý', 'Legal basis', { width: 50 }),
  col('result_type', 'procedure', 'Loại kết quả: paper (giấy) | electronic (điện tử) | both (cả hai)', 'Result type: paper | electronic | both', { width: 10 }),
  col('result_name', 'procedure', 'Tên kết quả', 'Result name', { width: 30 }),
  col('online_level', 'procedure', 'Mức độ trực tuyến: none | partial (một phần) | full (toàn trình)', 'Online level: none | partial | full', { width: 10 }),
  col('full_online_eligible', 'procedure', 'Đủ điều kiện trực tuyến toàn trình: true | false', 'Eligible for full online: true | false', { width: 8 }),
  col('no_boundary', 'procedure', 'Phi địa giới hành chính: true | false', 'No administrative boundary: true | false', { width: 8 }),
  col('steps', 'procedure', 'Các bước xử lý, cách nhau bởi | (desk|specialist|leader|return)', 'Processing steps, |-separated', { width: 28 }),
  col('step_norms', 'procedure', 'Định mức giờ làm việc từng bước, vd. specialist=16|leader=4 (để trống: chia theo thời hạn)', 'Working hours per step, e.g. specialist=16|leader=4 (empty: a share of the time limit)', { width: 24 }),
  col('aliases', 'procedure', 'Tên gọi thông dụng, cách nhau bởi |', 'Everyday names, |-separated', { width: 40 }),
  col('verify_time_limit', 'procedure', 'Thời hạn: verified (đã xác minh) | to_verify (cần xác minh)', 'Time limit: verified | to_verify', { width: 10 }),
  col('verify_fee', 'procedure', 'Phí, lệ phí: verified | to_verify', 'Fee: verified | to_verify', { width: 10 }),
  col('verify_documents', 'procedure', 'Thành phần hồ sơ: verified | to_verify', 'Documents: verified | to_verify', { width: 10 }),
  col('verify_legal_basis', 'procedure', 'Căn cứ pháp lý: verified | to_verify', 'Legal basis: verified | to_verify', { width: 10 }),
  col('verify_code', 'procedure', 'Mã thủ tục: verified | to_verify', 'Code: verified | to_verify', { width: 10 }),
  col('active', 'procedure', 'Đang áp dụng: true | false', 'Active: true | false', { width: 8 }),
  col('source', 'procedure', 'Nguồn', 'Source', { width: 30 }),
  col('documents', 'procedure', 'Thành phần hồ sơ (JSON): [{"name","nameEn","copies","originalRequired","required","caseCodes","note"}]', 'Documents (JSON array)', { width: 60 }),
  col('form', 'procedure', 'Biểu mẫu điện tử: mảng JSON các trường (key, label, type, required...); [] nếu không có', 'E-form: JSON array of fields (key, label, type, required...); [] for none', { width: 6 }),
  col('case_code', 'case', 'Mã trường hợp', 'Case code', { width: 16 }),
  col('case_name', 'case', 'Tên trường hợp', 'Case name', { width: 30 }),
  col('case_name_en', 'case', 'Tên trường hợp (tiếng Anh)', 'Case name (English)', { width: 30 }),
  col('time_limit_kind', 'case', 'Loại thời hạn: working_days (ngày làm việc) | hours (giờ) | days (ngày) | same_day (trong ngày) | none (không quy định)', 'Time limit kind', { width: 14 }),
  col('time_limit_value', 'case', 'Thời hạn (số; 0 với same_day/none)', 'Time limit value (0 for same_day/none)', { width: 8, numeric: true }),
  col('service_norm_kind', 'case', 'Định mức phục vụ của tỉnh (để trống nếu không có): working_days | hours | days | same_day', 'Service norm kind (blank if none)', { width: 14 }),
  col('service_norm_value', 'case', 'Định mức (số)', 'Service norm value', { width: 8, numeric: true }),
  col('fee_kind', 'case', 'Loại phí: free (miễn phí) | fixed (cố định) | per_page (theo trang)', 'Fee kind: free | fixed | per_page', { width: 10 }),
  col('fee_amount', 'case', 'Mức phí cố định (đồng)', 'Fixed amount (VND)', { width: 10, numeric: true }),
  col('fee_unit', 'case', 'Đơn vị tính: dossier (hồ sơ) | copy (bản) | contract (hợp đồng) | case (trường hợp)', 'Fixed fee unit', { width: 10 }),
  col('fee_rate', 'case', 'Phí mỗi trang (đồng)', 'Rate per page (VND)', { width: 10, numeric: true }),
  col('fee_later_rate', 'case', 'Phí mỗi trang từ trang fee_later_from_page (đồng)', 'Rate per page from the later page on (VND)', { width: 10, numeric: true }),
  col('fee_later_from_page', 'case', 'Áp dụng phí sau từ trang thứ', 'Later rate from page', { width: 8, numeric: true }),
  col('fee_cap_per_copy', 'case', 'Mức tối đa mỗi bản (đồng)', 'Cap per copy (VND)', { width: 10, numeric: true }),
  col('fee_note', 'case', 'Ghi chú về phí', 'Fee note', { width: 30 }),
];
const KEYS = COLUMNS.map((c) => c.key);
const PROCEDURE_KEYS = COLUMNS.filter((c) => c.scope === 'procedure').map((c) => c.key);

const VERIFY_COLUMNS: Record<(typeof VERIFICATION_KEYS)[number], string> = {
  timeLimit: 'verify_time_limit',
  fee: 'verify_fee',
  documents: 'verify_documents',
  legalBasis: 'verify_legal_basis',
  code: 'verify_code',
};

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

const bool = (b: boolean) => (b ? 'true' : 'false');
const num = (n: number | undefined | null) => (n === undefined || n === null ? '' : String(n));

function feeCells(fee: FeeRule): Record<string, string> {
  const base = { fee_kind: fee.kind, fee_amount: '', fee_unit: '', fee_rate: '', fee_later_rate: '', fee_later_from_page: '', fee_cap_per_copy: '', fee_note: fee.note ?? '' };
  if (fee.kind === 'fixed') return { ...base, fee_amount: num(fee.amount), fee_unit: fee.unit ?? '' };
  if (fee.kind === 'per_page') {
    return { ...base, fee_rate: num(fee.rate), fee_later_rate: num(fee.laterRate), fee_later_from_page: num(fee.laterFromPage), fee_cap_per_copy: num(fee.capPerCopy) };
  }
  return base;
}

function caseCells(c: ProcedureCase): Record<string, string> {
  return {
    case_code: c.code,
    case_name: c.name,
    case_name_en: c.nameEn,
    time_limit_kind: c.timeLimit.kind,
    time_limit_value: num(c.timeLimit.value),
    service_norm_kind: c.serviceNorm?.kind ?? '',
    service_norm_value: num(c.serviceNorm?.value),
    ...feeCells(c.fee),
  };
}

function procedureCells(p: Procedure): Record<string, string> {
  const cells: Record<string, string> = {
    procedure_code: p.code,
    national_code: p.nationalCode ?? '',
    name: p.name,
    name_en: p.nameEn,
    field_code: p.field,
    level: p.level,
    implementing_body: p.implementingBody,
    implementing_unit_kinds: p.implementingUnitKinds.join('|'),
    implementing_units: p.implementingUnits.join('|'),
    applicant_types: p.applicantTypes.join('|'),
    legal_basis: p.legalBasis,
    result_type: p.resultType,
    result_name: p.resultName,
    online_level: p.onlineLevel,
    full_online_eligible: bool(p.fullOnlineEligible),
    no_boundary: bool(p.noBoundary),
    steps: p.steps.join('|'),
    step_norms: Object.entries(p.stepNorms ?? {}).map(([k, v]) => `${k}=${v}`).join('|'),
    aliases: p.aliases.join('|'),
    active: bool(p.active),
    source: p.source,
    documents: JSON.stringify(
      p.documents.map((d) => ({
        name: d.name,
        nameEn: d.nameEn,
        copies: d.copies,
        originalRequired: d.originalRequired,
        required: d.required,
        caseCodes: d.caseCodes,
        note: d.note,
      })),
    ),
    form: JSON.stringify(p.form),
  };
  for (const k of VERIFICATION_KEYS) cells[VERIFY_COLUMNS[k]] = p.verification[k];
  return cells;
}

/** The table (header + one row per case) of a catalog. */
export function catalogTable(procs: readonly Procedure[]): string[][] {
  const rows: string[][] = [KEYS.slice()];
  for (const p of procs) {
    const pc = procedureCells(p);
    for (const c of p.cases) {
      const cells = { ...pc, ...caseCells(c) };
      rows.push(KEYS.map((k) => cells[k] ?? ''));
    }
  }
  return rows;
}

export function tableToCsv(rows: readonly string[][]): Buffer {
  return Buffer.from(stringifyCsvSync(rows as string[][], { bom: true, record_delimiter: '\r\n' }), 'utf8');
}

export async function tableToXlsx(rows: readonly string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  // Fixed dates: the same catalog gives the same workbook.
  wb.created = new Date('2025-07-01T00:00:00Z');
  wb.modified = new Date('2025-07-01T00:00:00Z');
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width ?? 12, style: c.numeric ? {} : { numFmt: '@' } }));
  rows.forEach((r, i) => {
    const values = r.map((v, j) => {
      const c = COLUMNS[j];
      if (i > 0 && c?.numeric && v !== '' && Number.isFinite(Number(v))) return Number(v);
      return v;
    });
    ws.addRow(values);
  });
  const header = ws.getRow(1);
  header.font = { bold: true };
  COLUMNS.forEach((c, j) => {
    header.getCell(j + 1).note = `${c.vi}\n${c.en}`;
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const guide = wb.addWorksheet(GUIDE_SHEET);
  guide.columns = [
    { header: 'Cột / Column', key: 'key', width: 24 },
    { header: 'Ý nghĩa', key: 'vi', width: 80 },
    { header: 'Meaning', key: 'en', width: 60 },
  ];
  guide.getRow(1).font = { bold: true };
  guide.addRows(COLUMNS.map((c) => ({ key: c.key, vi: c.vi, en: c.en })));
  guide.addRow({});
  guide.addRow({ key: 'Ghi chú', vi: 'Mỗi dòng là một trường hợp của thủ tục. Các cột của thủ tục lặp lại trên mỗi dòng; từ dòng thứ hai của cùng thủ tục có thể để trống (lấy theo dòng đầu). Nhập tệp sẽ ghi đè các thủ tục có trong tệp; nếu có dòng lỗi thì không ghi gì cả.', en: 'One row per case. Procedure columns repeat on every row and may be left blank after the first row of a procedure. Import replaces the procedures in the file; if any row is bad, nothing is written.' });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportCatalog(db: Kysely<DB>, format: CatalogFormat): Promise<{ body: Buffer; contentType: string; filename: string }> {
  const table = catalogTable(await loadCatalog(db));
  const body = format === 'csv' ? tableToCsv(table) : await tableToXlsx(table);
  return { body, contentType: CONTENT_TYPES[format], filename: `danh-muc-thu-tuc.${format}` };
}

// ---------------------------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------------------------

/** A data row with its 1-based spreadsheet row number (the header is row 1). */
interface SheetRow {
  row: number;
  cells: string[];
}

const notCsv = (detail: string, detailVi: string) =>
  new AppError(400, 'not_csv', `The file is not a valid CSV file: ${detail}`, `Tệp không phải là tệp CSV hợp lệ: ${detailVi}`);
const notXlsx = (detail: string, detailVi: string) =>
  new AppError(400, 'not_xlsx', `The file is not a valid Excel (.xlsx) workbook: ${detail}`, `Tệp không phải là sổ tính Excel (.xlsx) hợp lệ: ${detailVi}`);

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Guesses the format of an upload from its first bytes. */
export function sniffFormat(buf: Buffer): CatalogFormat | null {
  if (buf.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  if (buf.length === 0) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, Math.min(buf.length, 64 * 1024)));
  } catch {
    // A cut in the middle of a multi-byte character at the 64 KB boundary is still text.
    if (buf.length <= 64 * 1024) return null;
  }
  return buf.includes(0) ? null : 'csv';
}

export function readCsv(buf: Buffer): string[][] {
  if (buf.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw notCsv('it looks like an Excel workbook; send it with format=xlsx', 'tệp có vẻ là sổ tính Excel; hãy gửi với format=xlsx');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw notCsv('it is not UTF-8 text; in Excel save it as "CSV UTF-8"', 'tệp không phải văn bản UTF-8; trong Excel hãy lưu dạng "CSV UTF-8"');
  }
  if (text.includes('\u0000')) throw notCsv('it contains binary data', 'tệp chứa dữ liệu nhị phân');
  try {
    return parseCsvSync(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    const where = e.lines ? ` (line ${e.lines})` : '';
    const whereVi = e.lines ? ` (dòng ${e.lines})` : '';
    throw notCsv(`${e.message ?? 'parse error'}${where}`, `lỗi đọc tệp${whereVi}; kiểm tra dấu ngoặc kép và dấu phẩy`);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text;
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

export async function readXlsx(buf: Buffer): Promise<string[][]> {
  if (!buf.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw notXlsx('it is not a zip-based .xlsx file (old .xls and CSV are not read here)', 'tệp không phải định dạng .xlsx (không đọc tệp .xls cũ hoặc CSV ở đây)');
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (err) {
    throw notXlsx((err as Error).message, 'không đọc được nội dung sổ tính');
  }
  const ws = wb.getWorksheet(DATA_SHEET) ?? wb.worksheets[0];
  if (!ws) throw notXlsx('it has no worksheet', 'sổ tính không có trang tính nào');
  if (ws.rowCount > MAX_IMPORT_ROWS + 1) throw tooManyRows(ws.rowCount - 1);
  const width = Math.max(ws.getRow(1).cellCount, 1);
  const rows: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    const n = Math.max(width, row.cellCount);
    for (let c = 1; c <= n; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

const tooManyRows = (n: number) =>
  new AppError(400, 'import_too_large', `The file has ${n} rows; at most ${MAX_IMPORT_ROWS} are accepted.`, `Tệp có ${n} dòng; chỉ nhận tối đa ${MAX_IMPORT_ROWS} dòng.`);

// ---------------------------------------------------------------------------------------------
// Rows → procedures
// ---------------------------------------------------------------------------------------------

export interface RowProblem {
  row: number;
  reason: string;
  reasonVi: string;
}

export class ImportRejected extends AppError {
  constructor(readonly rows: RowProblem[], total: number) {
    super(
      400,
      'import_rejected',
      `The import was rejected: ${total} problem(s) in the file; nothing was written. See "rows".`,
      `Tệp nhập bị từ chối: có ${total} lỗi; chưa ghi dữ liệu nào. Xem danh sách "rows".`,
    );
  }

  override toBody() {
    const body = super.toBody();
    return { error: { ...body.error, rows: this.rows } };
  }
}

const BOOLS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, 'có': true, 'không': false, x: true, '': false };

type Cells = Record<string, string>;

interface Group {
  code: string;
  firstRow: number;
  proc: Cells;
  cases: Array<{ row: number; cells: Cells }>;
}

/** Column of an issue path from parseProcedure/referenceIssues, for messages. */
function columnOf(path: string): string {
  const [head, second, sub] = path.split('.');
  if (head === 'verification') {
    return (second && VERIFY_COLUMNS[second as keyof typeof VERIFY_COLUMNS]) ?? 'verify_*';
  }
  const top: Record<string, string> = {
    code: 'procedure_code',
    nationalCode: 'national_code',
    name: 'name',
    nameEn: 'name_en',
    field: 'field_code',
    level: 'level',
    implementingBody: 'implementing_body',
    implementingUnitKinds: 'implementing_unit_kinds',
    implementingUnits: 'implementing_units',
    applicantTypes: 'applicant_types',
    legalBasis: 'legal_basis',
    resultType: 'result_type',
    resultName: 'result_name',
    onlineLevel: 'online_level',
    fullOnlineEligible: 'full_online_eligible',
    noBoundary: 'no_boundary',
    steps: 'steps',
    stepNorms: 'step_norms',
    aliases: 'aliases',
    verification: 'verify_*',
    form: 'form',
    source: 'source',
    active: 'active',
    documents: 'documents',
  };
  if (head === 'cases') {
    const caseCols: Record<string, string> = {
      code: 'case_code',
      name: 'case_name',
      nameEn: 'case_name_en',
      timeLimit: 'time_limit_kind/time_limit_value',
      serviceNorm: 'service_norm_kind/service_norm_value',
      fee: 'fee_*',
    };
    return (sub && caseCols[sub]) ?? 'case';
  }
  return (head && top[head]) ?? head ?? path;
}

function issueToProblem(row: number, e: FieldError): RowProblem {
  const column = columnOf(e.field);
  const detail = e.field.startsWith('documents.') ? ` (${e.field})` : '';
  return { row, reason: `${column}${detail}: ${e.message}`, reasonVi: `${column}${detail}: ${e.messageVi}` };
}

class RowError extends Error {
  constructor(readonly column: string, readonly en: string, readonly vi: string) {
    super(en);
  }
}

function parseBool(column: string, v: string): boolean {
  const b = BOOLS[v.trim().toLowerCase()];
  if (b === undefined) throw new RowError(column, 'must be true or false', 'phải là true hoặc false');
  return b;
}

function parseList(v: string): string[] {
  return v.split('|').map((s) => s.trim()).filter((s) => s !== '');
}

/** "specialist=16|leader=4" → { specialist: 16, leader: 4 } (hours; a decimal comma is accepted). */
function parseStepNorms(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of parseList(v)) {
    const m = /^([a-z][a-z_]{0,29})\s*=\s*(\d+(?:[.,]\d+)?)$/.exec(item);
    if (!m) throw new RowError('step_norms', `"${item}" must be step=hours (e.g. specialist=16)`, `"${item}" phải có dạng bước=số giờ (vd. specialist=16)`);
    out[m[1]!] = Number(m[2]!.replace(',', '.'));
  }
  return out;
}

/** Whole đồng; accepts thousands separators ("50.000", "50,000", "50 000"). */
function parseAmount(column: string, v: string): number {
  const t = v.trim();
  if (/^\d+$/.test(t) || /^\d{1,3}([.,\s]\d{3})+$/.test(t)) return Number(t.replace(/[.,\s]/g, ''));
  throw new RowError(column, 'must be a whole number of đồng', 'phải là số đồng nguyên');
}

function parseNumber(column: string, v: string): number {
  const t = v.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) throw new RowError(column, 'must be a number (e.g. 3 or 0.5)', 'phải là một số (vd. 3 hoặc 0.5)');
  return Number(t);
}

function parseJsonArray(column: string, v: string): unknown[] {
  const t = v.trim();
  if (t === '') return [];
  let x: unknown;
  try {
    x = JSON.parse(t);
  } catch {
    throw new RowError(column, 'is not valid JSON', 'không phải JSON hợp lệ');
  }
  if (!Array.isArray(x)) throw new RowError(column, 'must be a JSON array [...]', 'phải là một mảng JSON [...]');
  return x;
}

function caseFromCells(c: Cells): Record<string, unknown> {
  const kind = c.time_limit_kind?.trim() ?? '';
  const tv = c.time_limit_value?.trim() ?? '';
  const timeLimit = { kind, value: tv === '' && (kind === 'same_day' || kind === 'none') ? 0 : parseNumber('time_limit_value', tv) };
  const nk = c.service_norm_kind?.trim() ?? '';
  const nv = c.service_norm_value?.trim() ?? '';
  let serviceNorm: { kind: string; value: number } | null = null;
  if (nk !== '') serviceNorm = { kind: nk, value: nv === '' && nk === 'same_day' ? 0 : parseNumber('service_norm_value', nv) };
  else if (nv !== '') throw new RowError('service_norm_kind', 'is required when service_norm_value is given', 'là bắt buộc khi có service_norm_value');

  const fee: Record<string, unknown> = { kind: c.fee_kind?.trim() ?? '' };
  const amounts: Array<[string, string]> = [
    ['fee_amount', 'amount'],
    ['fee_rate', 'rate'],
    ['fee_later_rate', 'laterRate'],
    ['fee_later_from_page', 'laterFromPage'],
    ['fee_cap_per_copy', 'capPerCopy'],
  ];
  for (const [column, key] of amounts) {
    const v = c[column]?.trim() ?? '';
    if (v !== '') fee[key] = parseAmount(column, v);
  }
  const unit = c.fee_unit?.trim() ?? '';
  if (unit !== '') fee.unit = unit;
  const feeNote = c.fee_note?.trim() ?? '';
  if (feeNote !== '') fee.note = feeNote;
  return { code: c.case_code ?? '', name: c.case_name ?? '', nameEn: c.case_name_en ?? '', timeLimit, serviceNorm, fee };
}

function procedureFromCells(p: Cells): Record<string, unknown> {
  const verification: Record<string, string> = {};
  for (const k of VERIFICATION_KEYS) verification[k] = p[VERIFY_COLUMNS[k]]?.trim() ?? '';
  const nationalCode = p.national_code?.trim() ?? '';
  return {
    code: p.procedure_code?.trim() ?? '',
    nationalCode: nationalCode === '' ? null : nationalCode,
    name: p.name ?? '',
    nameEn: p.name_en ?? '',
    field: p.field_code?.trim() ?? '',
    level: p.level?.trim() ?? '',
    implementingBody: p.implementing_body ?? '',
    implementingUnitKinds: parseList(p.implementing_unit_kinds ?? ''),
    implementingUnits: parseList(p.implementing_units ?? ''),
    applicantTypes: parseList(p.applicant_types ?? ''),
    legalBasis: p.legal_basis ?? '',
    resultType: p.result_type?.trim() ?? '',
    resultName: p.result_name ?? '',
    onlineLevel: p.online_level?.trim() ?? '',
    fullOnlineEligible: parseBool('full_online_eligible', p.full_online_eligible ?? ''),
    noBoundary: parseBool('no_boundary', p.no_boundary ?? ''),
    steps: parseList(p.steps ?? ''),
    stepNorms: parseStepNorms(p.step_norms ?? ''),
    aliases: parseList(p.aliases ?? ''),
    verification,
    active: (p.active ?? '').trim() === '' ? true : parseBool('active', p.active ?? ''),
    source: p.source ?? '',
    documents: parseJsonArray('documents', p.documents ?? ''),
    form: parseJsonArray('form', p.form ?? ''),
  };
}

const rowProblem = (row: number, e: RowError): RowProblem => ({ row, reason: `${e.column}: ${e.en}`, reasonVi: `${e.column}: ${e.vi}` });

export interface ParsedImport {
  procedures: Procedure[];
  /** Spreadsheet rows of each procedure: first row, then one per case in order. */
  rowsOf: Array<{ first: number; cases: number[] }>;
  problems: RowProblem[];
}

/** Checks the table without the database: header, rows, grouping, every procedure rule. */
export function tableToProcedures(table: readonly string[][]): ParsedImport {
  const problems: RowProblem[] = [];
  const header = (table[0] ?? []).map((h) => h.trim());
  const missing = KEYS.filter((k) => !header.includes(k));
  const unknown = header.filter((h) => h !== '' && !KEYS.includes(h));
  const dupHeader = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (missing.length || unknown.length || dupHeader.length) {
    const parts: string[] = [];
    const partsVi: string[] = [];
    if (missing.length) {
      parts.push(`missing column(s): ${missing.join(', ')}`);
      partsVi.push(`thiếu cột: ${missing.join(', ')}`);
    }
    if (unknown.length) {
      parts.push(`unknown column(s): ${unknown.join(', ')}`);
      partsVi.push(`cột không được chấp nhận: ${unknown.join(', ')}`);
    }
    if (dupHeader.length) {
      parts.push(`repeated column(s): ${dupHeader.join(', ')}`);
      partsVi.push(`cột bị lặp: ${dupHeader.join(', ')}`);
    }
    problems.push({
      row: 1,
      reason: `header: ${parts.join('; ')}. Start from an exported file (GET /api/catalog/export).`,
      reasonVi: `dòng tiêu đề: ${partsVi.join('; ')}. Hãy bắt đầu từ tệp đã xuất (GET /api/catalog/export).`,
    });
    return { procedures: [], rowsOf: [], problems };
  }

  const rows: SheetRow[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // blank row: ignored
    rows.push({ row: i + 2, cells });
  });
  if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows(rows.length);

  const groups = new Map<string, Group>();
  for (const r of rows) {
    const extra = r.cells.slice(header.length).filter((c) => c.trim() !== '');
    if (extra.length) {
      problems.push({ row: r.row, reason: 'the row has more cells than the header has columns', reasonVi: 'dòng có nhiều ô hơn số cột của dòng tiêu đề' });
      continue;
    }
    const cells: Cells = {};
    header.forEach((h, j) => {
      if (h !== '') cells[h] = r.cells[j] ?? '';
    });
    const code = (cells.procedure_code ?? '').trim();
    if (code === '') {
      problems.push({ row: r.row, reason: 'procedure_code: must not be empty', reasonVi: 'procedure_code: không được để trống' });
      continue;
    }
    const g = groups.get(code);
    if (!g) {
      const proc: Cells = {};
      for (const k of PROCEDURE_KEYS) proc[k] = cells[k] ?? '';
      groups.set(code, { code, firstRow: r.row, proc, cases: [{ row: r.row, cells }] });
      continue;
    }
    let consistent = true;
    for (const k of PROCEDURE_KEYS) {
      const v = cells[k] ?? '';
      if (v.trim() !== '' && v.trim() !== (g.proc[k] ?? '').trim()) {
        problems.push({
          row: r.row,
          reason: `${k}: differs from row ${g.firstRow}, the first row of procedure ${code} (leave it blank or make it equal)`,
          reasonVi: `${k}: khác với dòng ${g.firstRow} là dòng đầu của thủ tục ${code} (để trống hoặc ghi giống nhau)`,
        });
        consistent = false;
      }
    }
    if (consistent) g.cases.push({ row: r.row, cells });
  }

  const procedures: Procedure[] = [];
  const rowsOf: ParsedImport['rowsOf'] = [];
  for (const g of groups.values()) {
    let input: Record<string, unknown>;
    const cases: unknown[] = [];
    let bad = false;
    try {
      input = procedureFromCells(g.proc);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      problems.push(rowProblem(g.firstRow, err));
      continue;
    }
    for (const c of g.cases) {
      try {
        cases.push(caseFromCells(c.cells));
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        problems.push(rowProblem(c.row, err));
        bad = true;
      }
    }
    if (bad) continue;
    const parsed = parseProcedure({ ...input, cases });
    if (!parsed.ok) {
      for (const e of parsed.issues) {
        const m = /^cases\.(\d+)/.exec(e.field);
        const row = m ? (g.cases[Number(m[1])]?.row ?? g.firstRow) : g.firstRow;
        problems.push(issueToProblem(row, e));
      }
      continue;
    }
    procedures.push(parsed.value);
    rowsOf.push({ first: g.firstRow, cases: g.cases.map((c) => c.row) });
  }
  if (rows.length === 0 && problems.length === 0) {
    problems.push({ row: 2, reason: 'the file has no procedure rows', reasonVi: 'tệp không có dòng thủ tục nào' });
  }
  problems.sort((a, b) => a.row - b.row);
  return { procedures, rowsOf, problems };
}

function reject(problems: RowProblem[]): never {
  throw new ImportRejected(problems.slice(0, MAX_REPORTED_ROWS), problems.length);
}

/**
 * Imports a CSV or XLSX catalog: all rows valid → every procedure of the file written in one
 * transaction; otherwise ImportRejected with every bad row and nothing written.
 */
export async function importCatalog(
  db: Kysely<DB>,
  buf: Buffer,
  format: CatalogFormat,
  actorId: number | null,
): Promise<{ imported: number; cases: number }> {
  if (buf.length > MAX_IMPORT_BYTES) {
    throw new AppError(413, 'body_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`, `Tệp lớn hơn ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  }
  const table = format === 'csv' ? readCsv(buf) : await readXlsx(buf);
  const parsed = tableToProcedures(table);
  // Database checks run on the procedures that passed, so one answer lists every problem.
  const refs = await referenceIssues(db, parsed.procedures);
  const problems: RowProblem[] = [...parsed.problems];
  refs.forEach((issues, i) => {
    const rows = parsed.rowsOf[i];
    for (const e of issues) problems.push(issueToProblem(rows?.first ?? 1, e));
  });
  if (problems.length) reject(problems.sort((a, b) => a.row - b.row));

  await inTransaction(db, async (trx) => {
    await writeProcedures(trx, parsed.procedures);
    await trx
      .insertInto('audit_log')
      .values({
        actor_id: actorId,
        action: 'catalog.import',
        object_type: 'catalog',
        object_id: format,
        details: JSON.stringify({ procedures: parsed.procedures.map((p) => p.code), bytes: buf.length }),
      })
      .execute();
  });
  return { imported: parsed.procedures.length, cases: parsed.procedures.reduce((n, p) => n + p.cases.length, 0) };
}
