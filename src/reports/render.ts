/**
 * Forms II.06a and II.07a as files: XLSX (exceljs) and PDF (pdfkit with the embedded DejaVu fonts
 * of platform/pdf.ts), with the form's columns and Vietnamese headings, a totals row, the period,
 * the reporting unit, when it was made, where the pending split was counted, and "DỮ LIỆU MÔ
 * PHỎNG" (simulated data) in demo mode. Official documents: Vietnamese only, like the forms of
 * Circular 03/2025 (dossiers/forms); the API and the email around them are bilingual.
 */
import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { BODY_SIZE, ensureSpace, finishPdf, FONTS, formTitle, nationalHeader, paragraph, signatures, table, vietnameseDate, vietnameseDateTime, type Column, type Pdf } from '../platform/pdf.js';
import { FORM_INFO, type ReportData } from './data.js';
import { FIGURE_KEYS, type ReportFigures } from './figures.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_TYPE = 'application/pdf';

export const DEMO_LABEL = 'DỮ LIỆU MÔ PHỎNG';
const DEMO_LINE = `${DEMO_LABEL} – không có giá trị pháp lý / SIMULATED DATA – not legally valid`;

/** The column groups of the forms and their columns, numbered as on the paper form. */
const GROUPS = [
  { title: 'Số hồ sơ nhận giải quyết', keys: ['receivedTotal', 'receivedOnline', 'receivedDirect', 'carriedOver'] },
  { title: 'Số hồ sơ đã giải quyết', keys: ['settledTotal', 'settledEarly', 'settledOnTime', 'settledLate'] },
  { title: 'Số hồ sơ đang giải quyết', keys: ['pendingTotal', 'pendingWithin', 'pendingOverdue'] },
] as const;

export const COLUMN_HEADINGS: Record<keyof ReportFigures, { heading: string; short: string; number: string }> = {
  receivedTotal: { heading: 'Tổng số', short: 'Tổng số', number: '(1)=(2)+(3)+(4)' },
  receivedOnline: { heading: 'Trong kỳ: trực tuyến', short: 'Trực tuyến', number: '(2)' },
  receivedDirect: { heading: 'Trong kỳ: trực tiếp, dịch vụ bưu chính công ích', short: 'Trực tiếp, bưu chính', number: '(3)' },
  carriedOver: { heading: 'Từ kỳ trước chuyển sang', short: 'Từ kỳ trước', number: '(4)' },
  settledTotal: { heading: 'Tổng số', short: 'Tổng số', number: '(5)=(6)+(7)+(8)' },
  settledEarly: { heading: 'Trước hạn', short: 'Trước hạn', number: '(6)' },
  settledOnTime: { heading: 'Đúng hạn', short: 'Đúng hạn', number: '(7)' },
  settledLate: { heading: 'Quá hạn', short: 'Quá hạn', number: '(8)' },
  pendingTotal: { heading: 'Tổng số', short: 'Tổng số', number: '(9)=(10)+(11)' },
  pendingWithin: { heading: 'Trong hạn', short: 'Trong hạn', number: '(10)' },
  pendingOverdue: { heading: 'Quá hạn', short: 'Quá hạn', number: '(11)' },
  onTimeRate: { heading: 'Tỷ lệ giải quyết trước hạn và đúng hạn (%)', short: 'Tỷ lệ đúng hạn (%)', number: '(12)=((6)+(7))÷(5)×100' },
};

const dmy = (d: string) => d.split('-').reverse().join('/');
const nameColumn = (d: ReportData) => (FORM_INFO[d.form].by === 'unit' ? 'Đơn vị' : 'Lĩnh vực');

/** The issuing body in the header: the People's Committee of the root, or the department under it. */
function agencyOf(d: ReportData): { agencyParent: string | null; agency: string; place: string } {
  const province = d.province?.name ?? d.root.name;
  const place = province.replace(/^(Tỉnh|Thành phố)\s+/, '');
  switch (d.root.kind) {
    case 'province':
      return { agencyParent: null, agency: `Ủy ban nhân dân ${d.root.name}`, place };
    case 'ward':
    case 'commune':
      return { agencyParent: province, agency: `Ủy ban nhân dân ${d.root.name}`, place };
    case 'department':
      return { agencyParent: `Ủy ban nhân dân ${province}`, agency: d.root.name, place };
    default:
      return { agencyParent: null, agency: d.root.name, place };
  }
}

/** The lines under the title, shared by both formats. */
export function reportLines(d: ReportData): string[] {
  const by = FORM_INFO[d.form].by === 'unit' ? 'theo đơn vị giải quyết' : 'theo lĩnh vực';
  return [
    `Đơn vị báo cáo: ${d.root.name} (${d.root.code}) – ${by}`,
    `Kỳ báo cáo: từ ngày ${dmy(d.period.from)} đến ngày ${dmy(d.period.to)}`,
    d.pendingAt.source === 'period_end'
      ? `Số hồ sơ đang giải quyết tính đến hết ngày ${dmy(d.pendingAt.day)}`
      : `Số hồ sơ đang giải quyết tính đến thời điểm lập biểu (ngày ${dmy(d.pendingAt.day)})`,
    `Lập lúc: ${vietnameseDateTime(d.generatedAt)}`,
  ];
}

/** How the columns are counted (printed under the table). */
export function reportNotes(d: ReportData): string[] {
  const notes = [
    'Ghi chú:',
    `- Từ kỳ trước chuyển sang (4): hồ sơ tiếp nhận trước ngày ${dmy(d.period.from)} và chưa giải quyết xong trước ngày đó.`,
    '- Trước hạn, đúng hạn, quá hạn: so ngày giải quyết xong với ngày hẹn trả kết quả theo quy định (tính theo ngày, giờ Việt Nam); hồ sơ tính cho đơn vị giải quyết.',
    d.pendingAt.source === 'period_end'
      ? `- Đang giải quyết quá hạn (11): ngày hẹn trả theo quy định trước ngày ${dmy(d.pendingAt.day)}; trong hạn (10): từ ngày đó trở đi hoặc không có ngày hẹn.`
      : `- Đang giải quyết quá hạn (11): ngày hẹn trả theo quy định trước ngày ${dmy(d.pendingAt.day)} (ngày lập biểu); trong hạn (10): từ ngày đó trở đi hoặc không có ngày hẹn.`,
    '- Số liệu tổng hợp tự động từ hệ thống, cùng nguồn với bản đồ nhiệt theo dõi, điều hành.',
  ];
  if (!d.consistent) notes.push('- Lưu ý: số hồ sơ đang giải quyết đếm từ hồ sơ khác số liệu tổng hợp; cần tổng hợp lại (monitoring:rebuild).');
  return notes;
}

const formatCount = (n: number) => n.toLocaleString('vi-VN');
const formatRate = (n: number | null) => (n === null ? '-' : n.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const cellText = (f: ReportFigures, k: keyof ReportFigures) => (k === 'onTimeRate' ? formatRate(f.onTimeRate) : formatCount(f[k] as number));

export const fileStem = (d: ReportData) => `${FORM_INFO[d.form].number}-${d.root.code}-${d.period.from}_${d.period.to}`;

// ---- PDF ----------------------------------------------------------------------------------------

const PDF_WIDTHS = { n: 0.04, name: 0.2 };
const NUM_W = (1 - PDF_WIDTHS.n - PDF_WIDTHS.name) / FIGURE_KEYS.length;
const PDF_FONT = 7.5;

const require = createRequire(import.meta.url);
const FONT_FILES: Record<string, string> = {
  [FONTS.regular]: 'DejaVuSerif.ttf',
  [FONTS.bold]: 'DejaVuSerif-Bold.ttf',
  [FONTS.italic]: 'DejaVuSerif-Italic.ttf',
  [FONTS.boldItalic]: 'DejaVuSerif-BoldItalic.ttf',
  [FONTS.sans]: 'DejaVuSans.ttf',
};

/**
 * An A4 landscape document with the forms' fonts registered under the names platform/pdf.ts uses,
 * so its helpers (header, title, table, signatures, footer) draw on it as on createPdf's portrait
 * pages: the form's 14 columns with seven-digit counts do not fit a portrait page.
 */
function createLandscapePdf(info: { title: string; subject: string }): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 48, bottom: 56, left: 56, right: 48 },
    bufferPages: true,
    info: { Title: info.title.normalize('NFC'), Subject: info.subject.normalize('NFC'), Author: 'motcua', Creator: 'motcua' },
    lang: 'vi-VN',
  } as PDFKit.PDFDocumentOptions);
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  return doc;
}

/** The group band above the table's own header row (table() draws one header row). */
function groupBand(doc: Pdf): void {
  const left = doc.page.margins.left;
  const total = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const pad = 3;
  const cells: Array<{ text: string; w: number }> = [{ text: '', w: PDF_WIDTHS.n + PDF_WIDTHS.name }];
  for (const g of GROUPS) cells.push({ text: g.title, w: NUM_W * g.keys.length });
  cells.push({ text: '', w: NUM_W });
  doc.font(FONTS.bold).fontSize(PDF_FONT);
  const h = Math.max(...cells.map((c) => doc.heightOfString(c.text || ' ', { width: c.w * total - 2 * pad }))) + 2 * pad;
  const y = doc.y;
  doc.save().rect(left, y, total, h).fill('#eeeeee').restore();
  let x = left;
  doc.fillColor('black');
  for (const c of cells) {
    doc.save().lineWidth(0.5).rect(x, y, c.w * total, h).stroke().restore();
    if (c.text) doc.text(c.text.normalize('NFC'), x + pad, y + pad, { width: c.w * total - 2 * pad, align: 'center' });
    x += c.w * total;
  }
  doc.x = left;
  doc.y = y + h;
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
}

export async function reportPdf(d: ReportData): Promise<Buffer> {
  const info = FORM_INFO[d.form];
  const a = agencyOf(d);
  const doc = createLandscapePdf({ title: `Biểu số ${info.number} – ${d.root.name} – ${dmy(d.period.from)}–${dmy(d.period.to)}`, subject: info.title.vi });
  nationalHeader(doc, { agencyParent: a.agencyParent, agency: a.agency, number: `Biểu số ${info.number}`, placeDate: `${a.place}, ${vietnameseDate(d.generatedAt)}` });
  formTitle(doc, `BÁO CÁO ${info.title.vi.toUpperCase()}`, `(Biểu số ${info.number})`);
  if (d.demo) paragraph(doc, DEMO_LINE, { bold: true, align: 'center' });
  for (const line of reportLines(d)) paragraph(doc, line, { align: 'center', size: 10 });
  doc.moveDown(0.4);

  const columns: Column[] = [
    { header: 'STT', width: PDF_WIDTHS.n, align: 'center' },
    { header: nameColumn(d), width: PDF_WIDTHS.name },
    ...FIGURE_KEYS.map((k): Column => ({ header: `${COLUMN_HEADINGS[k].short} ${COLUMN_HEADINGS[k].number.replace(/=.*/, '')}`, width: NUM_W, align: 'right' })),
  ];
  const body = d.rows.map((r, i) => [String(i + 1), r.name, ...FIGURE_KEYS.map((k) => cellText(r.figures, k))]);
  body.push(['', 'Tổng cộng', ...FIGURE_KEYS.map((k) => cellText(d.total, k))]);
  ensureSpace(doc, 120);
  groupBand(doc);
  table(doc, columns, body, { fontSize: PDF_FONT });
  for (const n of reportNotes(d)) paragraph(doc, n, { size: 8.5, align: 'left' });
  doc.moveDown(0.5);
  signatures(doc, [
    { title: 'Người lập biểu', note: '(Ký và ghi rõ họ tên)', name: null },
    { title: 'Thủ trưởng đơn vị', note: '(Ký, ghi rõ họ tên và đóng dấu)', name: null },
  ]);
  return finishPdf(doc, { demoNotice: d.demo, footer: `Biểu số ${info.number} · ${d.root.code} · ${dmy(d.period.from)}–${dmy(d.period.to)}` });
}

// ---- XLSX ---------------------------------------------------------------------------------------

/** Columns: A STT, B code, C name, then the 12 figures (D…O). */
const FIRST_FIGURE_COL = 4;

export async function reportXlsx(d: ReportData): Promise<Buffer> {
  const info = FORM_INFO[d.form];
  const a = agencyOf(d);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  wb.title = `Biểu số ${info.number} ${d.root.code} ${d.period.from}–${d.period.to}`;
  wb.created = d.generatedAt;
  const ws = wb.addWorksheet(info.number, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const lastCol = FIRST_FIGURE_COL + FIGURE_KEYS.length - 1;
  ws.columns = [
    { width: 6 },
    { width: 12 },
    { width: 44 },
    ...FIGURE_KEYS.map((k) => ({ width: k === 'onTimeRate' ? 14 : 12 })),
  ];
  const line = (text: string, opts: { bold?: boolean; size?: number; italic?: boolean; color?: string } = {}) => {
    const row = ws.addRow([text]);
    ws.mergeCells(row.number, 1, row.number, lastCol);
    row.getCell(1).font = { bold: opts.bold, italic: opts.italic, size: opts.size ?? 11, ...(opts.color ? { color: { argb: opts.color } } : {}) };
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    return row;
  };
  const head = ws.addRow([[a.agencyParent, a.agency].filter(Boolean).join(' – ').toUpperCase()]);
  ws.mergeCells(head.number, 1, head.number, 8);
  head.getCell(1).font = { bold: true };
  head.getCell(lastCol - 2).value = `Biểu số ${info.number}`;
  ws.mergeCells(head.number, lastCol - 2, head.number, lastCol);
  head.getCell(lastCol - 2).font = { bold: true };
  head.getCell(lastCol - 2).alignment = { horizontal: 'right' };
  line(`BÁO CÁO ${info.title.vi.toUpperCase()}`, { bold: true, size: 13 });
  if (d.demo) line(DEMO_LINE, { bold: true, color: 'FFC00000' });
  for (const l of reportLines(d)) line(l, { italic: true });
  ws.addRow([]);

  const border: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  const h1 = ws.addRow(['STT', FORM_INFO[d.form].by === 'unit' ? 'Mã đơn vị' : 'Mã lĩnh vực', nameColumn(d)]);
  const h2 = ws.addRow([]);
  const h3 = ws.addRow(['', '', '']);
  let col = FIRST_FIGURE_COL;
  for (const g of GROUPS) {
    h1.getCell(col).value = g.title;
    ws.mergeCells(h1.number, col, h1.number, col + g.keys.length - 1);
    for (const k of g.keys) {
      h2.getCell(col).value = COLUMN_HEADINGS[k].heading;
      h3.getCell(col).value = COLUMN_HEADINGS[k].number;
      col++;
    }
  }
  h1.getCell(col).value = COLUMN_HEADINGS.onTimeRate.heading;
  ws.mergeCells(h1.number, col, h2.number, col);
  h3.getCell(col).value = COLUMN_HEADINGS.onTimeRate.number;
  for (const c of [1, 2, 3]) ws.mergeCells(h1.number, c, h2.number, c);
  for (const r of [h1, h2, h3]) {
    for (let c = 1; c <= lastCol; c++) {
      const cell = r.getCell(c);
      cell.font = { bold: r !== h3, italic: r === h3, size: r === h3 ? 9 : 11 };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    }
  }
  h1.height = 30;
  h2.height = 45;

  const addFigures = (values: Array<string | number | null>, f: ReportFigures, bold = false) => {
    const row = ws.addRow([...values, ...FIGURE_KEYS.map((k) => f[k])]);
    for (let c = 1; c <= lastCol; c++) {
      const cell = row.getCell(c);
      cell.border = border;
      if (bold) cell.font = { bold: true };
      if (c >= FIRST_FIGURE_COL) cell.numFmt = c === lastCol ? '0.00' : '#,##0';
    }
    return row;
  };
  d.rows.forEach((r, i) => addFigures([i + 1, r.code, r.name], r.figures));
  addFigures(['', '', 'Tổng cộng'], d.total, true);
  ws.addRow([]);
  for (const n of reportNotes(d)) {
    const row = ws.addRow([n]);
    ws.mergeCells(row.number, 1, row.number, lastCol);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).font = { italic: n !== 'Ghi chú:', bold: n === 'Ghi chú:', size: 10 };
  }
  ws.views = [{ state: 'frozen', ySplit: h3.number, xSplit: 3 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
