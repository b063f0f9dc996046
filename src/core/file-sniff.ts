/**
 * What an uploaded file really is, from its first bytes, and whether to accept it.
 *
 * Only PDF, JPEG and PNG documents are accepted. The name's extension and the type the browser
 * declared must agree with the bytes, so an executable renamed "giay-khai-sinh.pdf" is refused
 * whatever it claims to be. Pure: the page uses the same rules to warn before uploading.
 */

export const ACCEPTED_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

/** Extensions allowed for each accepted type. */
export const EXTENSIONS: Record<AcceptedType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/** How many leading bytes the checks need. */
export const SNIFF_BYTES = 16;

export type Sniffed =
  | { kind: 'accepted'; type: AcceptedType }
  | { kind: 'refused'; what: { en: string; vi: string } };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const KNOWN_BAD: Array<[readonly number[], string, string]> = [
  [ascii('MZ'), 'a Windows program (.exe/.dll)', 'một chương trình Windows (.exe/.dll)'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a Linux program (ELF)', 'một chương trình Linux (ELF)'],
  [[0xcf, 0xfa, 0xed, 0xfe], 'a macOS program', 'một chương trình macOS'],
  [[0xce, 0xfa, 0xed, 0xfe], 'a macOS program', 'một chương trình macOS'],
  [[0xca, 0xfe, 0xba, 0xbe], 'a Java or macOS program', 'một chương trình Java hoặc macOS'],
  [ascii('#!'), 'a script', 'một tệp lệnh (script)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or a Word/Excel file)', 'một tệp nén ZIP (hoặc tệp Word/Excel)'],
  [ascii('Rar!'), 'a RAR archive', 'một tệp nén RAR'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive', 'một tệp nén 7-Zip'],
  [[0x1f, 0x8b], 'a gzip archive', 'một tệp nén gzip'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Office document', 'một tài liệu Office cũ'],
  [ascii('GIF8'), 'a GIF image (use JPEG or PNG)', 'ảnh GIF (hãy dùng JPEG hoặc PNG)'],
];

/** Identifies the file from its first bytes (at least the first SNIFF_BYTES when available). */
export function sniff(head: Uint8Array): Sniffed {
  if (startsWith(head, ascii('%PDF-'))) return { kind: 'accepted', type: 'application/pdf' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'accepted', type: 'image/jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'accepted', type: 'image/png' };
  for (const [sig, en, vi] of KNOWN_BAD) if (startsWith(head, sig)) return { kind: 'refused', what: { en, vi } };
  const text = String.fromCharCode(...head.subarray(0, SNIFF_BYTES)).trimStart().toLowerCase();
  if (text.startsWith('<')) return { kind: 'refused', what: { en: 'a web page or XML/SVG file', vi: 'một trang web hoặc tệp XML/SVG' } };
  if (head.length === 0) return { kind: 'refused', what: { en: 'an empty file', vi: 'một tệp rỗng' } };
  return { kind: 'refused', what: { en: 'not a PDF, JPEG or PNG file', vi: 'không phải tệp PDF, JPEG hoặc PNG' } };
}

export type UploadCheck =
  | { ok: true; contentType: AcceptedType }
  | { ok: false; code: 'unsupported_file_type' | 'file_type_mismatch'; message: string; messageVi: string };

/** Declared types browsers send that say nothing about the file. */
const VAGUE_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/x-download']);
/** Common aliases of the accepted types. */
const TYPE_ALIASES: Record<string, AcceptedType> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf', 'image/x-png': 'image/png' };

export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * Accepts a file only when its bytes are PDF, JPEG or PNG, its extension is one of that type's,
 * and the declared content type (if it says anything) is that type.
 */
export function checkUpload(fileName: string, declaredType: string, head: Uint8Array): UploadCheck {
  const s = sniff(head);
  if (s.kind === 'refused') {
    return {
      ok: false,
      code: 'unsupported_file_type',
      message: `"${fileName}" is ${s.what.en}. Only PDF, JPEG and PNG documents are accepted.`,
      messageVi: `Tệp "${fileName}" là ${s.what.vi}. Chỉ nhận tài liệu PDF, JPEG hoặc PNG.`,
    };
  }
  const ext = extensionOf(fileName);
  const declared = declaredType.split(';')[0]!.trim().toLowerCase();
  const declaredAs = TYPE_ALIASES[declared] ?? declared;
  const extOk = EXTENSIONS[s.type].includes(ext);
  const typeOk = VAGUE_TYPES.has(declared) || declaredAs === s.type;
  if (!extOk || !typeOk) {
    const real = s.type === 'application/pdf' ? 'PDF' : s.type === 'image/jpeg' ? 'JPEG' : 'PNG';
    return {
      ok: false,
      code: 'file_type_mismatch',
      message: `"${fileName}" contains a ${real} file but is named or declared as something else; rename it with .${EXTENSIONS[s.type][0]} and try again.`,
      messageVi: `Tệp "${fileName}" có nội dung ${real} nhưng tên hoặc kiểu khai báo không khớp; hãy đổi đuôi tệp thành .${EXTENSIONS[s.type][0]} rồi thử lại.`,
    };
  }
  return { ok: true, contentType: s.type };
}
