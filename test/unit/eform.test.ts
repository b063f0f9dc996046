/** E-form definitions and form data (src/core/eform.ts): examples and properties. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FORM_FIELD_TYPES,
  isStrictDate,
  normaliseFormData,
  prefillValues,
  validateFormData,
  validateFormDefinition,
  type FormDefinition,
  type FormField,
} from '../../src/core/eform.js';
import { seedProcedures } from '../../src/catalog/seed.js';

const L = (vi: string, en: string) => ({ vi, en });
const BIRTH: FormDefinition = [
  { key: 'requesterName', label: L('Họ tên người yêu cầu', 'Applicant'), type: 'text', required: true, maxLength: 100, prefill: 'fullName' },
  { key: 'requesterIdNumber', label: L('Số CCCD', 'ID number'), type: 'id_number', required: true, prefill: 'idNumber' },
  { key: 'requesterPhone', label: L('Điện thoại', 'Phone'), type: 'phone', required: true, prefill: 'phone' },
  { key: 'requesterEmail', label: L('Thư điện tử', 'Email'), type: 'email', prefill: 'email' },
  { key: 'relationship', label: L('Quan hệ với trẻ', 'Relationship'), type: 'select', required: true, options: [{ value: 'cha', label: L('Cha', 'Father') }, { value: 'me', label: L('Mẹ', 'Mother') }] },
  { key: 'childDateOfBirth', label: L('Ngày sinh', 'Date of birth'), type: 'date', required: true },
  { key: 'copies', label: L('Số bản sao', 'Copies'), type: 'number', min: 0, max: 10 },
  { key: 'note', label: L('Ghi chú', 'Note'), type: 'textarea', maxLength: 20 },
  { key: 'code', label: L('Mã', 'Code'), type: 'text', pattern: '[0-9]{10}', patternMessage: L('Mã gồm 10 chữ số.', 'The code has 10 digits.') },
  { key: 'commitment', label: L('Tôi cam đoan', 'I declare'), type: 'checkbox', required: true },
];
const GOOD = {
  requesterName: 'Trần Thị Bình',
  requesterIdNumber: '066190000001',
  requesterPhone: '0905000001',
  relationship: 'me',
  childDateOfBirth: '2026-02-28',
  commitment: true,
};
const fields = (errs: Array<{ field: string }>) => errs.map((e) => e.field).sort();

describe('validateFormDefinition', () => {
  it('accepts a well-formed definition and every form of the seed catalog', () => {
    assert.deepEqual(validateFormDefinition(BIRTH), []);
    for (const p of seedProcedures() as Array<{ code: string; form: unknown }>) {
      assert.deepEqual(validateFormDefinition(p.form), [], p.code);
      assert.ok((p.form as unknown[]).length > 0, `${p.code} has an e-form`);
    }
  });

  it('reports duplicate keys, unknown types, selects without options, and properties in the wrong place', () => {
    const bad = [
      { key: 'a', label: L('A', 'A'), type: 'text' },
      { key: 'a', label: L('B', 'B'), type: 'text' },
      { key: 'b', label: L('B', 'B'), type: 'colour' },
      { key: 'c', label: L('C', 'C'), type: 'select' },
      { key: 'd', label: L('D', 'D'), type: 'number', maxLength: 3 },
      { key: 'e', label: L('E', 'E'), type: 'text', pattern: '[0-9]+' },
      { key: 'f', label: L('F', 'F'), type: 'text', pattern: '([', patternMessage: L('x', 'x') },
      { key: 'g', label: L('', 'G'), type: 'text' },
      { key: 'Bad Key', label: L('H', 'H'), type: 'text' },
      { key: 'i', label: L('I', 'I'), type: 'select', options: [{ value: 'x', label: L('X', 'X') }, { value: 'x', label: L('Y', 'Y') }] },
      { key: 'j', label: L('J', 'J'), type: 'number', min: 5, max: 1 },
      { key: 'k', label: L('K', 'K'), type: 'date', prefill: 'fullName' },
      { key: 'l', label: L('L', 'L'), type: 'text', colour: 'red' },
    ];
    assert.deepEqual(fields(validateFormDefinition(bad)), [
      '1.key',
      '10.min',
      '11.prefill',
      '12.colour',
      '2.type',
      '3.options',
      '4.maxLength',
      '5.patternMessage',
      '6.pattern',
      '7.label',
      '8.key',
      '9.options.1.value',
    ]);
    assert.equal(validateFormDefinition({ not: 'a list' }).length, 1);
    for (const e of validateFormDefinition(bad)) assert.ok(e.message && e.messageVi, 'bilingual');
  });
});

describe('validateFormData', () => {
  it('accepts a complete, valid form', () => {
    assert.deepEqual(validateFormData(BIRTH, GOOD), []);
    assert.deepEqual(validateFormData(BIRTH, { ...GOOD, requesterEmail: 'binh@example.vn', copies: 2, note: 'ok', code: '0123456789', requesterPhone: '+84905000001' }), []);
  });

  it('names each bad field as formData.<key> with a message in both languages that names the field', () => {
    const errs = validateFormData(BIRTH, {
      requesterName: '',
      requesterIdNumber: '12345',
      requesterPhone: '12345',
      requesterEmail: 'not-an-email',
      relationship: 'chu',
      childDateOfBirth: '2026-02-30',
      copies: 11,
      note: 'x'.repeat(21),
      code: '12',
      commitment: false,
      nickname: 'Tí',
    });
    assert.deepEqual(fields(errs), [
      'formData.childDateOfBirth',
      'formData.code',
      'formData.commitment',
      'formData.copies',
      'formData.nickname',
      'formData.note',
      'formData.relationship',
      'formData.requesterEmail',
      'formData.requesterIdNumber',
      'formData.requesterName',
      'formData.requesterPhone',
    ]);
    const byField = Object.fromEntries(errs.map((e) => [e.field, e]));
    assert.match(byField['formData.requesterName']!.messageVi, /^Họ tên người yêu cầu: bắt buộc/);
    assert.match(byField['formData.requesterName']!.message, /^Applicant: is required/);
    assert.match(byField['formData.code']!.messageVi, /10 chữ số/);
    assert.match(byField['formData.childDateOfBirth']!.messageVi, /YYYY-MM-DD/);
  });

  it('types are strict: a number as text, a date as a timestamp, a checkbox as "yes" are refused', () => {
    assert.deepEqual(fields(validateFormData(BIRTH, { ...GOOD, copies: '2' })), ['formData.copies']);
    assert.deepEqual(fields(validateFormData(BIRTH, { ...GOOD, childDateOfBirth: '2026-02-28T00:00:00Z' })), ['formData.childDateOfBirth']);
    assert.deepEqual(fields(validateFormData(BIRTH, { ...GOOD, commitment: 'yes' })), ['formData.commitment']);
    assert.deepEqual(fields(validateFormData(BIRTH, { ...GOOD, requesterName: 42 })), ['formData.requesterName']);
    assert.deepEqual(fields(validateFormData(BIRTH, { ...GOOD, copies: Number.NaN })), ['formData.copies']);
    assert.equal(validateFormData(BIRTH, 'x').length, 1);
    assert.equal(validateFormData(BIRTH, [GOOD]).length, 1);
  });

  it('partial (drafts): missing required fields are fine, wrong values are not', () => {
    assert.deepEqual(validateFormData(BIRTH, {}, { partial: true }), []);
    assert.deepEqual(validateFormData(BIRTH, { childDateOfBirth: '' }, { partial: true }), []);
    assert.deepEqual(fields(validateFormData(BIRTH, { requesterPhone: '123' }, { partial: true })), ['formData.requesterPhone']);
    assert.deepEqual(fields(validateFormData(BIRTH, { x: 1 }, { partial: true })), ['formData.x']);
  });

  it('phone numbers, ID numbers and dates as Vietnam writes them', () => {
    const one = (key: string, v: unknown) => validateFormData(BIRTH, { ...GOOD, [key]: v }).length === 0;
    for (const ok of ['0912345678', '0381234567', '02838234567', '02623812345', '+84912345678']) assert.ok(one('requesterPhone', ok), ok);
    for (const bad of ['912345678', '0112345678', '09123456789', '0912 345 678', '+8412345']) assert.ok(!one('requesterPhone', bad), bad);
    for (const ok of ['066190000001', '123456789']) assert.ok(one('requesterIdNumber', ok), ok);
    for (const bad of ['12345678901', '0661900000012', 'A66190000001']) assert.ok(!one('requesterIdNumber', bad), bad);
    assert.ok(isStrictDate('2024-02-29') && !isStrictDate('2025-02-29') && !isStrictDate('2026-2-3') && !isStrictDate('2026-13-01'));
    assert.ok(isStrictDate('2000-02-29') && !isStrictDate('1900-02-29'));
  });

  it('prefill takes the login identity; normalise trims and drops blanks', () => {
    assert.deepEqual(prefillValues(BIRTH, { fullName: ' Trần Thị Bình ', idNumber: '066190000001', phone: null }), { requesterName: 'Trần Thị Bình', requesterIdNumber: '066190000001' });
    assert.deepEqual(normaliseFormData(BIRTH, { requesterName: '  An ', note: '   ', copies: 0, commitment: true, other: 1 }), { requesterName: 'An', copies: 0, commitment: true });
  });
});

// ------------------------------------------------------------------------------- properties
const label = fc.record({ vi: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''), en: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '') });
const arbField: fc.Arbitrary<FormField> = fc
  .record({
    type: fc.constantFrom(...FORM_FIELD_TYPES),
    required: fc.boolean(),
    label,
    n: fc.integer({ min: 0, max: 50 }),
    options: fc.uniqueArray(fc.stringMatching(/^[a-z_]{1,8}$/), { minLength: 1, maxLength: 5 }),
  })
  .map(({ type, required, label, n, options }) => {
    const f: FormField = { key: 'k', label, type, required };
    if (type === 'select') f.options = options.map((v) => ({ value: v, label }));
    if (type === 'number') Object.assign(f, { min: -n, max: n });
    if (type === 'text' || type === 'textarea') f.maxLength = n + 1;
    return f;
  });
const arbForm: fc.Arbitrary<FormDefinition> = fc
  .array(arbField, { maxLength: 8 })
  .map((fs) => fs.map((f, i) => ({ ...f, key: `f${i}` })));

/** A valid value for a field, as an arbitrary. */
function valueOf(f: FormField): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'text':
    case 'textarea':
      // À-ỹ spans U+00C0–U+1EF9, which holds U+1680 (Ogham space mark): a value that is only
      // white space is "not filled in", so it is not a valid value of a required field.
      return fc
        .stringMatching(/^[A-Za-zÀ-ỹ0-9]{1,8}$/)
        .map((s) => s.slice(0, f.maxLength ?? 8))
        .filter((s) => s.trim() === s);
    case 'number':
      return fc.integer({ min: f.min ?? 0, max: f.max ?? 0 });
    case 'select':
      return fc.constantFrom(...f.options!.map((o) => o.value));
    case 'checkbox':
      return fc.constant(true);
    case 'date':
      return fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'phone':
      return fc.tuple(fc.constantFrom('03', '05', '07', '08', '09'), fc.stringMatching(/^[0-9]{8}$/)).map(([a, b]) => a + b);
    case 'email':
      return fc.constantFrom('a@b.vn', 'cong.dan@example.com');
    case 'id_number':
      return fc.oneof(fc.stringMatching(/^[0-9]{12}$/), fc.stringMatching(/^[0-9]{9}$/));
  }
}
const arbFormWithData = arbForm.chain((form) =>
  fc.tuple(fc.constant(form), form.length ? fc.tuple(...form.map(valueOf)) : fc.constant([] as unknown[])).map(([form, values]) => ({
    form,
    data: Object.fromEntries(form.map((f, i) => [f.key, values[i]])),
  })),
);

describe('properties', () => {
  it('generated definitions are valid', () => {
    fc.assert(fc.property(arbForm, (form) => validateFormDefinition(form).length === 0));
  });

  it('valid data is accepted, in full and in part', () => {
    fc.assert(
      fc.property(arbFormWithData, ({ form, data }) => {
        assert.deepEqual(validateFormData(form, data), []);
        assert.deepEqual(validateFormData(form, {}, { partial: true }), []);
      }),
    );
  });

  it('any key not in the form is refused, and only that key is named', () => {
    fc.assert(
      fc.property(arbFormWithData, fc.stringMatching(/^[a-z]{1,10}$/), ({ form, data }, extra) => {
        fc.pre(!form.some((f) => f.key === extra));
        assert.deepEqual(fields(validateFormData(form, { ...data, [extra]: 'x' })), [`formData.${extra}`]);
      }),
    );
  });

  it('removing a required field names exactly that field, unless partial', () => {
    fc.assert(
      fc.property(arbFormWithData, fc.nat(), ({ form, data }, pick) => {
        const required = form.filter((f) => f.required);
        fc.pre(required.length > 0);
        const f = required[pick % required.length]!;
        const { [f.key]: _gone, ...rest } = data;
        assert.deepEqual(fields(validateFormData(form, rest)), [`formData.${f.key}`]);
        assert.deepEqual(validateFormData(form, rest, { partial: true }), []);
      }),
    );
  });

  it('a value of the wrong JSON type is always refused', () => {
    fc.assert(
      fc.property(arbFormWithData, fc.nat(), ({ form, data }, pick) => {
        fc.pre(form.length > 0);
        const f = form[pick % form.length]!;
        const wrong = f.type === 'number' ? 'not a number' : f.type === 'checkbox' ? 1 : 12345;
        assert.deepEqual(fields(validateFormData(form, { ...data, [f.key]: wrong })), [`formData.${f.key}`]);
      }),
    );
  });

  it('isStrictDate agrees with the calendar for every day from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === s;
        return isStrictDate(s) === real;
      }),
    );
  });
});
