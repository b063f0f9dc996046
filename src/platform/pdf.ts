/**
 * PDF plumbing for the administrative forms (Circular 03/2025/TT-VPCP, Annex I, forms 1–7):
 * a document with the DejaVu fonts embedded (the 14 standard PDF fonts cannot encode "Đ" or most
 * Vietnamese letters; embedded TrueType subsets also carry the ToUnicode map, so the text can be
 * searched and extracted exactly), the national header with the motto, titles, numbered
 * key–value lines, tables that continue over page breaks with their header repeated, signature
 * blocks, page footers (page numbers, the "simulated" notice in demo mode) and buffer output.
 *
 *   const doc = createPdf({ title: 'Giấy tiếp nhận hồ sơ' });
 *   nationalHeader(doc, { agencyParent: 'UBND TỈNH ĐẮK LẮK', agency: 'UBND PHƯỜNG ...' });
 *   formTitle(doc, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
 *   const pdf = await finishPdf(doc, { demoNotice: true });
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const fontPath = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);

/** Registered font names: serif like the official forms (Times-like), sans for small print. */
export const FONTS = {
  regular: 'Serif',
  bold: 'Serif-Bold',
  italic: 'Serif-Italic',
  boldItalic: 'Serif-BoldItalic',
  sans: 'Sans',
} as const;

const FONT_FILES: Record<string, string> = {
  [FONTS.regular]: 'DejaVuSerif.ttf',
  [FONTS.bold]: 'DejaVuSerif-Bold.ttf',
  [FONTS.italic]: 'DejaVuSerif-Italic.ttf',
  [FONTS.boldItalic]: 'DejaVuSerif-BoldItalic.ttf',
  [FONTS.sans]: 'DejaVuSans.ttf',
};

export type Pdf = PDFKit.PDFDocument;

export const BODY_SIZE = 11;

/** Text as Unicode NFC: the fonts have precomposed Vietnamese letters, and extraction gives back what was written. */
const nfc = (s: string) => s.normalize('NFC');

export function createPdf(info: { title: string; subject?: string; author?: string }): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 64, right: 56 },
    bufferPages: true,
    info: { Title: nfc(info.title), Subject: nfc(info.subject ?? info.title), Author: nfc(info.author ?? 'motcua'), Creator: 'motcua' },
    lang: 'vi-VN',
  } as PDFKit.PDFDocumentOptions);
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, fontPath(file));
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  return doc;
}

const contentWidth = (doc: Pdf) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** Starts a new page when fewer than `height` points are left on this one. */
export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

/**
 * The header of an administrative document: the issuing body on the left (its parent in capitals
 * above it, name in bold, a short rule), the national name and motto on the right (motto in bold,
 * underlined by a rule), then the document number and the place and date line.
 */
export function nationalHeader(
  doc: Pdf,
  h: { agencyParent?: string | null; agency: string; number?: string | null; placeDate?: string | null },
): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const leftW = width * 0.42;
  const rightX = left + leftW;
  const rightW = width - leftW;
  const top = doc.y;

  doc.fontSize(10.5);
  let yLeft = top;
  if (h.agencyParent) {
    doc.font(FONTS.regular).text(nfc(h.agencyParent.toUpperCase()), left, yLeft, { width: leftW, align: 'center' });
    yLeft = doc.y;
  }
  doc.font(FONTS.bold).text(nfc(h.agency.toUpperCase()), left, yLeft, { width: leftW, align: 'center' });
  yLeft = doc.y + 2;
  rule(doc, left + leftW * 0.3, left + leftW * 0.7, yLeft);

  doc.font(FONTS.bold).fontSize(10.5).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightW, align: 'center' });
  doc.font(FONTS.bold).fontSize(11).text('Độc lập - Tự do - Hạnh phúc', rightX, doc.y, { width: rightW, align: 'center' });
  const yRight = doc.y + 2;
  const mottoW = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  rule(doc, rightX + (rightW - mottoW) / 2, rightX + (rightW + mottoW) / 2, yRight);

  let y = Math.max(yLeft, yRight) + 8;
  doc.fontSize(10.5);
  if (h.number) doc.font(FONTS.regular).text(nfc(h.number), left, y, { width: leftW, align: 'center' });
  if (h.placeDate) doc.font(FONTS.italic).text(nfc(h.placeDate), rightX, y, { width: rightW, align: 'center' });
  y = Math.max(doc.y, y) + 14;
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  doc.x = left;
  doc.y = y;
}

function rule(doc: Pdf, x1: number, x2: number, y: number): void {
  doc.save().lineWidth(0.6).moveTo(x1, y).lineTo(x2, y).stroke().restore();
}

/** Centred bold title with an optional italic subtitle below. */
export function formTitle(doc: Pdf, title: string, subtitle?: string | null): void {
  const left = doc.page.margins.left;
  ensureSpace(doc, 60);
  doc.font(FONTS.bold).fontSize(13).text(nfc(title), left, doc.y, { width: contentWidth(doc), align: 'center' });
  if (subtitle) doc.font(FONTS.italic).fontSize(BODY_SIZE).text(nfc(subtitle), left, doc.y + 2, { width: contentWidth(doc), align: 'center' });
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  doc.x = left;
  doc.moveDown(0.8);
}

/** A paragraph of body text (optionally bold or italic, indented). */
export function paragraph(doc: Pdf, text: string, opts: { bold?: boolean; italic?: boolean; indent?: number; size?: number; align?: 'left' | 'center' | 'right' | 'justify' } = {}): void {
  const left = doc.page.margins.left + (opts.indent ?? 0);
  doc.font(opts.bold ? FONTS.bold : opts.italic ? FONTS.italic : FONTS.regular).fontSize(opts.size ?? BODY_SIZE);
  doc.text(nfc(text), left, doc.y, { width: contentWidth(doc) - (opts.indent ?? 0), align: opts.align ?? 'justify' });
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  doc.x = doc.page.margins.left;
  doc.moveDown(0.25);
}

/**
 * A numbered form line: "1. Label: value" with the label in regular and the value in bold; a
 * missing value prints dotted leaders, as on a paper form left for hand-filling.
 */
export function field(doc: Pdf, label: string, value: string | null | undefined, opts: { number?: string | number; indent?: number } = {}): void {
  const left = doc.page.margins.left + (opts.indent ?? 0);
  const width = contentWidth(doc) - (opts.indent ?? 0);
  const prefix = opts.number !== undefined ? `${opts.number}. ` : '';
  const shown = value && value.trim() ? value : '.'.repeat(40);
  ensureSpace(doc, 18);
  doc.font(FONTS.regular).fontSize(BODY_SIZE).text(nfc(`${prefix}${label}: `), left, doc.y, { width, continued: true });
  doc.font(FONTS.bold).text(nfc(shown), { width });
  doc.font(FONTS.regular);
  doc.x = doc.page.margins.left;
  doc.moveDown(0.2);
}

export interface Column {
  header: string;
  /** Share of the content width (the shares should add up to 1). */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** A ruled table; rows that do not fit start a new page, where the header row is repeated. */
export function table(doc: Pdf, columns: readonly Column[], rows: ReadonlyArray<ReadonlyArray<string>>, opts: { fontSize?: number } = {}): void {
  const size = opts.fontSize ?? 10;
  const pad = 4;
  const left = doc.page.margins.left;
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));

  const heightOf = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(nfc(c || ' '), { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: readonly string[], font: string, h: number, shade: boolean) => {
    const y = doc.y;
    if (shade) doc.save().rect(left, y, total, h).fill('#eeeeee').restore();
    doc.font(font).fontSize(size).fillColor('black');
    cells.forEach((c, i) => {
      doc.save().lineWidth(0.5).rect(xs[i]!, y, widths[i]!, h).stroke().restore();
      doc.text(nfc(c), xs[i]! + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
    });
    doc.x = left;
    doc.y = y + h;
  };

  const headers = columns.map((c) => c.header);
  const headerH = heightOf(headers, FONTS.bold);
  ensureSpace(doc, headerH + 20);
  drawRow(headers, FONTS.bold, headerH, true);
  for (const row of rows) {
    const h = heightOf(row, FONTS.regular);
    if (doc.y + h > doc.page.maxY()) {
      doc.addPage();
      drawRow(headers, FONTS.bold, headerH, true);
    }
    drawRow(row, FONTS.regular, h, false);
  }
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  doc.moveDown(0.8);
}

export interface SignatureBlock {
  /** e.g. "NGƯỜI NỘP HỒ SƠ" / "NGƯỜI TIẾP NHẬN" (bold, capitals). */
  title: string;
  /** e.g. "(Ký và ghi rõ họ tên)" (italic). */
  note?: string | null;
  /** Printed name under the signing space; null leaves the space blank. */
  name?: string | null;
}

/** Signature blocks side by side at the foot of a form, kept together on one page. */
export function signatures(doc: Pdf, blocks: readonly SignatureBlock[]): void {
  const left = doc.page.margins.left;
  const w = contentWidth(doc) / Math.max(1, blocks.length);
  ensureSpace(doc, 120);
  const top = doc.y + 6;
  let bottom = top;
  blocks.forEach((b, i) => {
    const x = left + i * w;
    doc.font(FONTS.bold).fontSize(BODY_SIZE).text(nfc(b.title.toUpperCase()), x, top, { width: w, align: 'center' });
    if (b.note) doc.font(FONTS.italic).fontSize(10).text(nfc(b.note), x, doc.y, { width: w, align: 'center' });
    const nameY = doc.y + 56;
    if (b.name) doc.font(FONTS.bold).fontSize(BODY_SIZE).text(nfc(b.name), x, nameY, { width: w, align: 'center' });
    bottom = Math.max(bottom, b.name ? doc.y : nameY);
  });
  doc.font(FONTS.regular).fontSize(BODY_SIZE);
  doc.x = left;
  doc.y = bottom + 10;
}

/** "ngày 02 tháng 3 năm 2026" in the given UTC offset (Vietnam: 420). */
export function vietnameseDate(d: Date, utcOffsetMinutes = 420): string {
  const l = new Date(d.getTime() + utcOffsetMinutes * 60_000);
  return `ngày ${String(l.getUTCDate()).padStart(2, '0')} tháng ${String(l.getUTCMonth() + 1).padStart(2, '0')} năm ${l.getUTCFullYear()}`;
}

/** "09 giờ 30 phút, ngày 02 tháng 03 năm 2026". */
export function vietnameseDateTime(d: Date, utcOffsetMinutes = 420): string {
  const l = new Date(d.getTime() + utcOffsetMinutes * 60_000);
  return `${String(l.getUTCHours()).padStart(2, '0')} giờ ${String(l.getUTCMinutes()).padStart(2, '0')} phút, ${vietnameseDate(d, utcOffsetMinutes)}`;
}

export const DEMO_NOTICE =
  'Văn bản mô phỏng phục vụ trình diễn, không có giá trị pháp lý / Simulated demonstration document, not legally valid';

/**
 * Adds the footer to every page (page n/N, the demo notice when asked) and returns the bytes.
 * The footer is written inside the bottom margin with the margin lifted, so it never adds a page.
 */
export async function finishPdf(doc: Pdf, opts: { demoNotice: boolean; footer?: string | null }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    let y = doc.page.height - bottom + 14;
    doc.font(FONTS.sans).fontSize(8).fillColor('#444444');
    if (opts.demoNotice) {
      doc.text(DEMO_NOTICE, left, y, { width, align: 'center', lineBreak: false });
      y += 11;
    }
    const pageText = `Trang ${i - range.start + 1}/${range.count}${opts.footer ? ` · ${opts.footer}` : ''}`;
    doc.text(nfc(pageText), left, y, { width, align: 'center', lineBreak: false });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
