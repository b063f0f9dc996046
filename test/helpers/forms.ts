/**
 * Valid e-form data for tests, built from the catalog's own form definitions, so a test that
 * submits online stays valid when an administrator's form changes.
 *
 *   payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', formData: sampleFormData('1.001193') }
 */
import type { FormDefinition, FormField } from '../../src/core/eform.js';
import { seedProcedures } from '../../src/catalog/seed.js';

const SAMPLES: Record<string, unknown> = {
  text: 'Nguyễn Văn Mẫu (mô phỏng)',
  textarea: 'Nội dung mô phỏng cho kiểm thử.',
  date: '2026-02-20',
  phone: '0912345678',
  email: 'mau@example.vn',
  id_number: '066190000123',
  checkbox: true,
};

function sample(f: FormField): unknown {
  if (f.type === 'select') return f.options![0]!.value;
  if (f.type === 'number') return f.min !== undefined ? Math.max(f.min, 1) : 1;
  if ((f.type === 'text' || f.type === 'textarea') && f.pattern) {
    // The patterns in the seed catalog: enterprise code, household business code, bank account.
    for (const candidate of ['0123456789', '40A8001234', '12345678']) if (new RegExp(`^(?:${f.pattern})$`, 'u').test(candidate)) return candidate;
    throw new Error(`no sample value for pattern ${f.pattern} (field ${f.key})`);
  }
  return SAMPLES[f.type];
}

export function formOf(procedureCode: string): FormDefinition {
  const p = (seedProcedures() as Array<{ code: string; form: FormDefinition }>).find((x) => x.code === procedureCode);
  if (!p) throw new Error(`no procedure ${procedureCode} in the seed catalog`);
  return p.form;
}

/** A complete, valid formData (required fields only, plus `extra`). */
export function sampleFormData(procedureCode: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of formOf(procedureCode)) if (f.required) out[f.key] = sample(f);
  return { ...out, ...extra };
}

/** A complete, valid e-form of 1.001193 (Đăng ký khai sinh), for tests that check names in what is produced. */
export const BIRTH_FORM: Record<string, unknown> = {
  requesterAddress: 'Thôn 3, xã Hòa Phú (mô phỏng)',
  relationshipToChild: 'me',
  childFullName: 'Nguyễn Minh Khang',
  childDateOfBirth: '2026-02-20',
  childSex: 'nam',
  childPlaceOfBirth: 'Bệnh viện Đa khoa tỉnh Đắk Lắk',
  childEthnicity: 'Kinh',
  childNationality: 'Việt Nam',
  commitment: true,
};
