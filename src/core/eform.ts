/**
 * E-forms (tờ khai điện tử) as catalog data: the definition of a procedure's form, the check of
 * a definition an administrator writes, and the check of what an applicant fills in.
 *
 * Pure and free of Node imports: the browser app imports this file too, so the form is
 * validated identically in the page and on the server.
 *
 * Values by field type (JSON):
 *   text, textarea, phone, email, id_number, date (YYYY-MM-DD), select (an option value) → string
 *   number → finite number;  checkbox → boolean
 * An optional field may be absent, null or (for strings) blank. A required checkbox must be true
 * (a commitment such as "I declare the information is true").
 */

export interface Bilingual {
  vi: string;
  en: string;
}

export const FORM_FIELD_TYPES = ['text', 'textarea', 'date', 'number', 'select', 'checkbox', 'phone', 'email', 'id_number'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** Identity facts from the login (VNeID stand-in) a field may be prefilled with. */
export const PREFILL_SOURCES = ['fullName', 'idNumber', 'phone', 'email', 'address'] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

export interface FormOption {
  value: string;
  label: Bilingual;
}

export interface FormField {
  /** Key in formData, e.g. childFullName. */
  key: string;
  label: Bilingual;
  type: FormFieldType;
  required?: boolean;
  /** Text-like fields (text, textarea): length bounds in characters. */
  minLength?: number;
  maxLength?: number;
  /** number fields: bounds. */
  min?: number;
  max?: number;
  /** text/textarea: the whole value must match (anchored), with the message to show when not. */
  pattern?: string;
  patternMessage?: Bilingual;
  /** select: the choices. */
  options?: FormOption[];
  prefill?: PrefillSource;
  help?: Bilingual;
}

export type FormDefinition = FormField[];

/** Same shape as the API's field errors (src/platform/errors.ts). */
export interface FormFieldError {
  field: string;
  message: string;
  messageVi: string;
}

export type FormData = Record<string, unknown>;
export type IdentityFacts = Partial<Record<PrefillSource, string | null>>;

export const MAX_FORM_FIELDS = 100;
export const KEY_PATTERN = /^[a-z][A-Za-z0-9_]{0,39}$/;
/** Default length limits when a definition gives none. */
export const DEFAULT_MAX_LENGTH: Record<'text' | 'textarea', number> = { text: 200, textarea: 2000 };
const MAX_PATTERN_LENGTH = 300;
const MAX_LABEL_LENGTH = 300;
const MAX_HELP_LENGTH = 1000;
const MAX_OPTIONS = 200;

const TEXT_TYPES: readonly FormFieldType[] = ['text', 'textarea'];
/** Which field types each identity fact may prefill. */
const PREFILL_TYPES: Record<PrefillSource, readonly FormFieldType[]> = {
  fullName: ['text'],
  idNumber: ['id_number', 'text'],
  phone: ['phone', 'text'],
  email: ['email', 'text'],
  address: ['text', 'textarea'],
};
const FIELD_PROPS = new Set(['key', 'label', 'type', 'required', 'minLength', 'maxLength', 'min', 'max', 'pattern', 'patternMessage', 'options', 'prefill', 'help']);

/** Vietnamese mobile (03, 05, 07, 08, 09) or landline (02x) numbers: 0 or +84 then 9 digits. */
export const VN_PHONE = /^(?:0|\+84)(?:[35789]\d{8}|2\d{9})$/;
/** Căn cước / CCCD (12 digits) or the old CMND (9 digits). */
export const ID_NUMBER = /^(?:\d{12}|\d{9})$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const err = (field: string, message: string, messageVi: string): FormFieldError => ({ field, message, messageVi });
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isBilingual = (x: unknown, max: number): x is Bilingual =>
  isObject(x) &&
  Object.keys(x).every((k) => k === 'vi' || k === 'en') &&
  typeof x.vi === 'string' &&
  typeof x.en === 'string' &&
  x.vi.trim() !== '' &&
  x.en.trim() !== '' &&
  x.vi.length <= max &&
  x.en.length <= max;
const isNonNegInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30, no 2026-2-3). */
export function isStrictDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

function compilePattern(p: string): RegExp | null {
  try {
    return new RegExp(`^(?:${p})$`, 'u');
  } catch {
    return null;
  }
}

/**
 * Checks a form definition written by an administrator (catalog PUT, import, seed). Paths are
 * relative to the form: `<index>.<property>` (callers prefix them with `form.`).
 */
export function validateFormDefinition(def: unknown): FormFieldError[] {
  if (!Array.isArray(def)) return [err('', 'must be a list of fields', 'phải là danh sách các trường')];
  const out: FormFieldError[] = [];
  if (def.length > MAX_FORM_FIELDS) out.push(err('', `at most ${MAX_FORM_FIELDS} fields`, `tối đa ${MAX_FORM_FIELDS} trường`));
  const seen = new Set<string>();
  def.forEach((f: unknown, i) => {
    const at = (prop: string) => `${i}.${prop}`;
    if (!isObject(f)) {
      out.push(err(String(i), 'must be an object describing a field', 'phải là một đối tượng mô tả trường'));
      return;
    }
    for (const k of Object.keys(f)) {
      if (!FIELD_PROPS.has(k)) out.push(err(at(k), 'is not a known property of a form field', 'không phải thuộc tính của trường biểu mẫu'));
    }
    if (typeof f.key !== 'string' || !KEY_PATTERN.test(f.key)) {
      out.push(err(at('key'), 'must start with a lower-case letter, then letters, digits or _ (at most 40)', 'phải bắt đầu bằng chữ thường, tiếp theo là chữ, số hoặc _ (tối đa 40 ký tự)'));
    } else if (seen.has(f.key)) {
      out.push(err(at('key'), `"${f.key}" is used by another field`, `"${f.key}" đã được dùng cho trường khác`));
    } else {
      seen.add(f.key);
    }
    if (!isBilingual(f.label, MAX_LABEL_LENGTH)) {
      out.push(err(at('label'), `must be {vi, en}, both non-empty (at most ${MAX_LABEL_LENGTH} characters)`, `phải có dạng {vi, en}, không để trống (tối đa ${MAX_LABEL_LENGTH} ký tự)`));
    }
    if (f.help !== undefined && !isBilingual(f.help, MAX_HELP_LENGTH)) {
      out.push(err(at('help'), `must be {vi, en}, both non-empty (at most ${MAX_HELP_LENGTH} characters)`, `phải có dạng {vi, en}, không để trống (tối đa ${MAX_HELP_LENGTH} ký tự)`));
    }
    if (f.required !== undefined && typeof f.required !== 'boolean') out.push(err(at('required'), 'must be true or false', 'phải là true hoặc false'));
    const type = f.type as FormFieldType;
    if (!(FORM_FIELD_TYPES as readonly unknown[]).includes(f.type)) {
      out.push(err(at('type'), `must be one of ${FORM_FIELD_TYPES.join(', ')}`, `phải là một trong ${FORM_FIELD_TYPES.join(', ')}`));
      return;
    }
    const textual = TEXT_TYPES.includes(type);
    const only = (prop: string, allowed: boolean, en: string, vi: string) => {
      if (f[prop] !== undefined && !allowed) out.push(err(at(prop), `only for ${en} fields`, `chỉ dùng cho trường ${vi}`));
    };
    only('minLength', textual, 'text and textarea', 'text và textarea');
    only('maxLength', textual, 'text and textarea', 'text và textarea');
    only('pattern', textual, 'text and textarea', 'text và textarea');
    only('patternMessage', textual, 'text and textarea', 'text và textarea');
    only('min', type === 'number', 'number', 'number');
    only('max', type === 'number', 'number', 'number');
    only('options', type === 'select', 'select', 'select');
    if (textual) {
      for (const p of ['minLength', 'maxLength'] as const) {
        if (f[p] !== undefined && (!isNonNegInt(f[p]) || (f[p] as number) > 100_000)) {
          out.push(err(at(p), 'must be a whole number from 0 to 100000', 'phải là số nguyên từ 0 đến 100000'));
        }
      }
      if (isNonNegInt(f.minLength) && isNonNegInt(f.maxLength) && f.minLength > f.maxLength) {
        out.push(err(at('minLength'), 'must not exceed maxLength', 'không được lớn hơn maxLength'));
      }
      if (f.pattern !== undefined) {
        if (typeof f.pattern !== 'string' || f.pattern === '' || f.pattern.length > MAX_PATTERN_LENGTH || !compilePattern(f.pattern)) {
          out.push(err(at('pattern'), `must be a valid regular expression (at most ${MAX_PATTERN_LENGTH} characters)`, `phải là biểu thức chính quy hợp lệ (tối đa ${MAX_PATTERN_LENGTH} ký tự)`));
        }
        if (!isBilingual(f.patternMessage, MAX_LABEL_LENGTH)) {
          out.push(err(at('patternMessage'), 'is required with a pattern: {vi, en} telling the applicant what to write', 'bắt buộc khi có pattern: {vi, en} hướng dẫn người nộp cách ghi'));
        }
      } else if (f.patternMessage !== undefined) {
        out.push(err(at('patternMessage'), 'only with a pattern', 'chỉ dùng khi có pattern'));
      }
    }
    if (type === 'number') {
      for (const p of ['min', 'max'] as const) {
        if (f[p] !== undefined && (typeof f[p] !== 'number' || !Number.isFinite(f[p]))) out.push(err(at(p), 'must be a number', 'phải là số'));
      }
      if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) out.push(err(at('min'), 'must not exceed max', 'không được lớn hơn max'));
    }
    if (type === 'select') {
      if (!Array.isArray(f.options) || f.options.length === 0 || f.options.length > MAX_OPTIONS) {
        out.push(err(at('options'), `a select needs 1 to ${MAX_OPTIONS} options`, `trường chọn cần từ 1 đến ${MAX_OPTIONS} lựa chọn`));
      } else {
        const values = new Set<string>();
        f.options.forEach((o: unknown, j) => {
          const ok =
            isObject(o) &&
            Object.keys(o).every((k) => k === 'value' || k === 'label') &&
            typeof o.value === 'string' &&
            o.value.trim() !== '' &&
            o.value.length <= 100 &&
            isBilingual(o.label, MAX_LABEL_LENGTH);
          if (!ok) {
            out.push(err(at(`options.${j}`), 'must be {value, label: {vi, en}} with a non-empty value', 'phải có dạng {value, label: {vi, en}}, value không để trống'));
          } else if (values.has(o.value as string)) {
            out.push(err(at(`options.${j}.value`), `"${String(o.value)}" is listed twice`, `"${String(o.value)}" bị lặp lại`));
          } else {
            values.add(o.value as string);
          }
        });
      }
    }
    if (f.prefill !== undefined) {
      if (!(PREFILL_SOURCES as readonly unknown[]).includes(f.prefill)) {
        out.push(err(at('prefill'), `must be one of ${PREFILL_SOURCES.join(', ')}`, `phải là một trong ${PREFILL_SOURCES.join(', ')}`));
      } else if (!PREFILL_TYPES[f.prefill as PrefillSource].includes(type)) {
        out.push(err(at('prefill'), `${String(f.prefill)} cannot fill a ${type} field`, `${String(f.prefill)} không điền được vào trường kiểu ${type}`));
      }
    }
  });
  return out;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export interface ValidateOptions {
  /** Drafts: missing required fields are allowed; whatever is given must still be right. */
  partial?: boolean;
  /** Prefix of error paths; default "formData". */
  path?: string;
}

/**
 * Checks what an applicant filled in against the definition. Returns every problem, each with
 * the path `formData.<key>` and a message in English and Vietnamese naming the field.
 */
export function validateFormData(def: FormDefinition, data: unknown, opts: ValidateOptions = {}): FormFieldError[] {
  const base = opts.path ?? 'formData';
  if (!isObject(data)) return [err(base, 'must be an object of field values', 'phải là đối tượng gồm các giá trị của biểu mẫu')];
  const out: FormFieldError[] = [];
  const byKey = new Map(def.map((f) => [f.key, f]));
  for (const k of Object.keys(data)) {
    if (!byKey.has(k)) out.push(err(`${base}.${k}`, 'is not a field of this form', 'không phải là trường của biểu mẫu này'));
  }
  for (const f of def) {
    const v = data[f.key];
    const at = `${base}.${f.key}`;
    const bad = (en: string, vi: string) => out.push(err(at, `${f.label.en}: ${en}`, `${f.label.vi}: ${vi}`));
    if (blank(v) || (f.type === 'checkbox' && v === false)) {
      if (f.required && !opts.partial) {
        if (f.type === 'checkbox') bad('must be ticked', 'cần đánh dấu xác nhận');
        else bad('is required', 'bắt buộc phải nhập');
      }
      if (v === undefined || v === null || v === false || typeof v === 'string') continue;
    }
    switch (f.type) {
      case 'checkbox':
        if (typeof v !== 'boolean') bad('must be true or false', 'phải là có hoặc không (true/false)');
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a number', 'phải là số');
        else if (f.min !== undefined && v < f.min) bad(`must be at least ${f.min}`, `phải từ ${f.min} trở lên`);
        else if (f.max !== undefined && v > f.max) bad(`must be at most ${f.max}`, `không được lớn hơn ${f.max}`);
        break;
      default: {
        if (typeof v !== 'string') {
          bad('must be text', 'phải là chuỗi ký tự');
          break;
        }
        checkText(f, v, bad);
      }
    }
  }
  return out;
}

/** Control characters (other than tab, and line breaks in a textarea) have no place in a form. */
function hasControlCharacters(s: string, multiline: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x09 || (multiline && (c === 0x0a || c === 0x0d))) continue;
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkText(f: FormField, v: string, bad: (en: string, vi: string) => void): void {
  const s = v.trim();
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.maxLength ?? DEFAULT_MAX_LENGTH[f.type];
      const len = [...s].length;
      if (f.minLength !== undefined && len < f.minLength) bad(`must be at least ${f.minLength} characters`, `phải có ít nhất ${f.minLength} ký tự`);
      else if (len > max) bad(`must be at most ${max} characters`, `không được quá ${max} ký tự`);
      else if (hasControlCharacters(s, f.type === 'textarea')) {
        bad('contains characters that are not allowed', 'có ký tự không được phép');
      } else if (f.pattern !== undefined && !compilePattern(f.pattern)?.test(s)) {
        bad(f.patternMessage?.en ?? 'has the wrong format', f.patternMessage?.vi ?? 'không đúng định dạng');
      }
      return;
    }
    case 'date':
      if (!isStrictDate(v)) bad('must be a real date written YYYY-MM-DD, e.g. 2026-03-02', 'phải là ngày hợp lệ dạng YYYY-MM-DD, ví dụ 2026-03-02');
      return;
    case 'phone':
      if (!VN_PHONE.test(v)) bad('must be a Vietnamese phone number, e.g. 0912345678 or +84912345678', 'phải là số điện thoại Việt Nam, ví dụ 0912345678 hoặc +84912345678');
      return;
    case 'email':
      if (v.length > 254 || !EMAIL.test(v)) bad('must be an email address, e.g. ten@example.vn', 'phải là địa chỉ thư điện tử, ví dụ ten@example.vn');
      return;
    case 'id_number':
      if (!ID_NUMBER.test(v)) bad('must be a 12-digit citizen ID (CCCD) or a 9-digit old ID card number', 'phải là số CCCD 12 chữ số hoặc số CMND cũ 9 chữ số');
      return;
    case 'select':
      if (!(f.options ?? []).some((o) => o.value === v)) {
        bad(`must be one of: ${(f.options ?? []).map((o) => o.value).join(', ')}`, `phải là một trong các lựa chọn: ${(f.options ?? []).map((o) => o.label.vi).join(', ')}`);
      }
      return;
    default:
      bad('has an unknown type', 'có kiểu không xác định');
  }
}

/**
 * The values the login identity gives for a form's prefilled fields (only facts that are known).
 * The page shows them filled in; the server uses it to fill absent identity fields on submit.
 */
export function prefillValues(def: FormDefinition, identity: IdentityFacts): FormData {
  const out: FormData = {};
  for (const f of def) {
    if (!f.prefill) continue;
    const v = identity[f.prefill];
    if (typeof v === 'string' && v.trim() !== '') out[f.key] = v.trim();
  }
  return out;
}

/** formData with blank strings and nulls dropped and strings trimmed: what is stored. */
export function normaliseFormData(def: FormDefinition, data: FormData): FormData {
  const out: FormData = {};
  const keys = new Set(def.map((f) => f.key));
  for (const [k, v] of Object.entries(data)) {
    if (!keys.has(k) || v === null || v === undefined) continue;
    if (typeof v === 'string') {
      const t = v.trim();
      if (t !== '') out[k] = t;
    } else {
      out[k] = v;
    }
  }
  return out;
}
