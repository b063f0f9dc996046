/**
 * Turns JSON-schema validation errors (ajv) into field-level messages in Vietnamese and English.
 */
import type { FieldError } from './errors.js';

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART_VI: Record<string, string> = { body: 'nội dung', querystring: 'tham số', params: 'đường dẫn', headers: 'tiêu đề' };

export function fieldErrorsFromAjv(errors: AjvLikeError[], part: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const p = e.params;
    let en: string;
    let vi: string;
    switch (e.keyword) {
      case 'required':
        field = field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty);
        en = 'is required';
        vi = 'là bắt buộc';
        break;
      case 'additionalProperties':
        field = field ? `${field}.${String(p.additionalProperty)}` : String(p.additionalProperty);
        en = 'is not a known field';
        vi = 'không phải là trường được chấp nhận';
        break;
      case 'type':
        en = `must be of type ${String(p.type)}`;
        vi = `phải có kiểu ${typeVi(String(p.type))}`;
        break;
      case 'minLength':
        en = `must have at least ${String(p.limit)} characters`;
        vi = `phải có ít nhất ${String(p.limit)} ký tự`;
        break;
      case 'maxLength':
        en = `must have at most ${String(p.limit)} characters`;
        vi = `chỉ được tối đa ${String(p.limit)} ký tự`;
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        en = `must be ${e.keyword === 'minimum' ? '>=' : '>'} ${String(p.limit)}`;
        vi = `phải ${e.keyword === 'minimum' ? '≥' : '>'} ${String(p.limit)}`;
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        en = `must be ${e.keyword === 'maximum' ? '<=' : '<'} ${String(p.limit)}`;
        vi = `phải ${e.keyword === 'maximum' ? '≤' : '<'} ${String(p.limit)}`;
        break;
      case 'minItems':
        en = `must have at least ${String(p.limit)} items`;
        vi = `phải có ít nhất ${String(p.limit)} mục`;
        break;
      case 'maxItems':
        en = `must have at most ${String(p.limit)} items`;
        vi = `chỉ được tối đa ${String(p.limit)} mục`;
        break;
      case 'enum':
      case 'const': {
        const allowed = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
        en = `must be one of: ${allowed.join(', ')}`;
        vi = `phải là một trong: ${allowed.join(', ')}`;
        break;
      }
      case 'anyOf':
      case 'oneOf':
        en = 'does not match any allowed form';
        vi = 'không khớp với dạng nào được chấp nhận';
        break;
      case 'pattern':
        en = 'has an invalid format';
        vi = 'sai định dạng';
        break;
      case 'format':
        en = `must be a valid ${String(p.format)}`;
        vi = `phải đúng định dạng ${String(p.format)}`;
        break;
      default:
        en = e.message ?? 'is invalid';
        vi = 'không hợp lệ';
    }
    field = field || PART_VI[part] ? field || part : part;
    const key = `${field}|${en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message: en, messageVi: vi });
  }
  // anyOf/oneOf produce noisy sub-errors; keep the specific ones first.
  return out.slice(0, 20);
}

function typeVi(t: string): string {
  return (
    {
      string: 'chuỗi',
      number: 'số',
      integer: 'số nguyên',
      boolean: 'đúng/sai',
      object: 'đối tượng',
      array: 'danh sách',
      null: 'rỗng',
    } as Record<string, string>
  )[t] ?? t;
}
