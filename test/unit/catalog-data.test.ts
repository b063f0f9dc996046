/** The seed catalog (src/catalog/data/procedures.json, fields.json) checked without a database. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateTimeLimit, type TimeLimitKind } from '../../src/core/calendar.js';
import { validateFeeRule } from '../../src/core/fees.js';
import { foldVietnamese } from '../../src/core/text.js';
import { parseProcedure, searchTextOf, searchWords, VERIFICATION_KEYS, type Procedure } from '../../src/catalog/procedures.js';
import { seedFields, seedProcedures } from '../../src/catalog/seed.js';
import { dakLakUnits } from '../../src/catalog/units.js';

const raw = seedProcedures() as Array<Record<string, unknown>>;
const fields = seedFields();
const parsed = raw.map((x) => parseProcedure(x));
const procs: Procedure[] = parsed.flatMap((r) => (r.ok ? [r.value] : []));

/** Folded, without punctuation: "Đăng ký nhận cha, mẹ, con" → "dang ky nhan cha me con". */
const norm = (s: string) => foldVietnamese(s).replace(/[^a-z0-9]+/g, ' ').trim();
const byName = (fragment: string) => procs.filter((p) => norm(p.name).includes(norm(fragment)));

describe('seed catalog: shape', () => {
  it('every procedure passes the same validation as the API and the import', () => {
    parsed.forEach((r, i) => {
      assert.ok(r.ok, `${String(raw[i]?.code)}: ${r.ok ? '' : JSON.stringify(r.issues)}`);
    });
    assert.equal(procs.length, raw.length);
  });

  it('has at least 32 procedures over at least 6 fields, commune and province level', () => {
    assert.ok(procs.length >= 32, `${procs.length} procedures`);
    const used = new Set(procs.map((p) => p.field));
    assert.ok(used.size >= 6, `${used.size} fields`);
    assert.ok(procs.some((p) => p.level === 'commune'));
    assert.ok(procs.some((p) => p.level === 'province'));
  });

  it('codes are unique; national codes only where the domain notes give them', () => {
    const codes = procs.map((p) => p.code);
    assert.equal(new Set(codes).size, codes.length);
    const national = new Set(['1.001193', '1.000894', '1.000656', '2.000815', '2.000884', '2.000908']);
    for (const p of procs) {
      if (p.nationalCode !== null) {
        assert.ok(national.has(p.nationalCode), `${p.code} has an unverified national code`);
        assert.equal(p.code, p.nationalCode);
        assert.equal(p.verification.code, 'verified', p.code);
      } else {
        assert.match(p.code, /^H15-[A-Z]+-\d{2}$/, p.code);
        assert.equal(p.verification.code, 'to_verify', p.code);
      }
    }
    for (const n of national) assert.ok(codes.includes(n), `missing ${n}`);
  });

  it('fields: short codes, Vietnamese and English names, every one used, every used one listed', () => {
    const codes = fields.map((f) => f.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const f of fields) {
      assert.match(f.code, /^[A-Z]{2,5}$/);
      assert.ok(f.name && f.nameEn, f.code);
      assert.ok(procs.some((p) => p.field === f.code), `field ${f.code} has no procedure`);
    }
    for (const p of procs) assert.ok(codes.includes(p.field), `${p.code}: unknown field ${p.field}`);
    for (const c of ['HT', 'CT', 'CU', 'DKKD', 'DN', 'XD', 'DD', 'LLTP', 'BTXH']) assert.ok(codes.includes(c), c);
  });

  it('implementing units exist with the right kind; commune-level ones run in every commune and ward', () => {
    const units = new Map(dakLakUnits().map((u) => [u.code, u.kind]));
    for (const p of procs) {
      if (p.level === 'commune') {
        assert.deepEqual([...p.implementingUnitKinds].sort(), ['commune', 'ward'], p.code);
        assert.deepEqual(p.implementingUnits, [], p.code);
      } else {
        assert.deepEqual(p.implementingUnitKinds, [], p.code);
        assert.ok(p.implementingUnits.length > 0, p.code);
        for (const u of p.implementingUnits) assert.equal(units.get(u), 'department', `${p.code}: ${u}`);
      }
    }
    // Departments named in the brief, by the order of dak-lak-units.json.
    const dept = (name: string) => dakLakUnits().find((u) => u.name === name)?.code;
    assert.equal(dept('Sở Tư pháp'), 'H15.S02');
    assert.equal(dept('Sở Tài chính'), 'H15.S03');
    assert.equal(dept('Sở Xây dựng'), 'H15.S05');
    assert.equal(dept('Sở Nông nghiệp và Môi trường'), 'H15.S06');
  });
});

describe('seed catalog: required procedures', () => {
  const required: Array<[string, string | null]> = [
    ['Đăng ký khai sinh', '1.001193'],
    ['Đăng ký kết hôn', '1.000894'],
    ['Đăng ký khai tử', '1.000656'],
    ['nhận cha, mẹ, con', null],
    ['thay đổi, cải chính hộ tịch', null],
    ['xác nhận tình trạng hôn nhân', null],
    ['bản sao trích lục hộ tịch', null],
    ['Chứng thực bản sao từ bản chính', '2.000815'],
    ['Chứng thực chữ ký', '2.000884'],
    ['Chứng thực hợp đồng, giao dịch', null],
    ['Cấp bản sao từ sổ gốc', '2.000908'],
    ['Đăng ký thường trú', null],
    ['Đăng ký tạm trú', null],
    ['Đăng ký thành lập hộ kinh doanh', null],
    ['giấy phép xây dựng nhà ở riêng lẻ', null],
    ['Cấp đổi Giấy chứng nhận quyền sử dụng đất', null],
    ['Phiếu lý lịch tư pháp', null],
    ['công ty trách nhiệm hữu hạn một thành viên', null],
    ['trợ cấp xã hội hàng tháng', null],
    ['chi phí mai táng', null],
  ];
  for (const [name, code] of required) {
    it(`${name}${code ? ` (${code})` : ''}`, () => {
      const hits = byName(name);
      assert.ok(hits.length >= 1, `no procedure named like "${name}"`);
      if (code) assert.ok(hits.some((p) => p.code === code), `${name} should be ${code}`);
    });
  }
});

describe('seed catalog: facts from the domain notes', () => {
  const get = (code: string) => {
    const p = procs.find((x) => x.code === code);
    assert.ok(p, code);
    return p;
  };

  it('khai sinh: on time free and same day; late case present', () => {
    const p = get('1.001193');
    assert.deepEqual(p.cases.map((c) => c.code), ['DUNG_HAN', 'QUA_HAN']);
    assert.equal(p.cases[0]?.fee.kind, 'free');
    assert.equal(p.cases[0]?.timeLimit.kind, 'same_day');
    assert.equal(p.verification.timeLimit, 'verified');
    assert.equal(p.verification.fee, 'to_verify');
  });

  it('kết hôn: same day without verification, 5 working days with it, free', () => {
    const p = get('1.000894');
    assert.deepEqual(p.cases.map((c) => [c.timeLimit.kind, c.timeLimit.value, c.fee.kind]), [
      ['same_day', 0, 'free'],
      ['working_days', 5, 'free'],
    ]);
  });

  it('nhận cha, mẹ, con: 3 and 8 working days; thay đổi, cải chính: 3 and 6', () => {
    const nccm = byName('Đăng ký nhận cha, mẹ, con').find((p) => !p.name.includes('khai sinh'));
    assert.deepEqual(nccm?.cases.map((c) => c.timeLimit.value), [3, 8]);
    assert.deepEqual(byName('thay đổi, cải chính hộ tịch')[0]?.cases.map((c) => c.timeLimit.value), [3, 6]);
  });

  it('chứng thực bản sao: per page 2,000 / 1,000 from page 3 / cap 200,000, same day, no boundary, short steps', () => {
    const p = get('2.000815');
    const { note: _note, ...fee } = p.cases[0]!.fee as { note?: string };
    assert.deepEqual(fee, { kind: 'per_page', rate: 2000, laterRate: 1000, laterFromPage: 3, capPerCopy: 200000 });
    assert.equal(p.cases[0]?.timeLimit.kind, 'same_day');
    assert.equal(p.noBoundary, true);
    assert.deepEqual(p.steps, ['desk', 'leader', 'return']);
    assert.equal(p.verification.fee, 'verified');
  });

  it('chứng thực chữ ký 10,000 per case; hợp đồng 50,000 per contract within 2 working days; sổ gốc free', () => {
    assert.equal((get('2.000884').cases[0]?.fee as { amount: number }).amount, 10000);
    const hd = byName('Chứng thực hợp đồng, giao dịch')[0]!;
    assert.deepEqual(hd.cases[0]?.timeLimit, { kind: 'working_days', value: 2 });
    assert.equal((hd.cases[0]?.fee as { amount: number; unit: string }).amount, 50000);
    assert.equal((hd.cases[0]?.fee as { unit: string }).unit, 'contract');
    assert.equal(get('2.000908').cases[0]?.fee.kind, 'free');
  });

  it('GPXD nhà ở riêng lẻ: 15 calendar days, marked to verify', () => {
    const p = byName('giấy phép xây dựng nhà ở riêng lẻ')[0]!;
    assert.deepEqual(p.cases[0]?.timeLimit, { kind: 'days', value: 15 });
    assert.equal(p.verification.timeLimit, 'to_verify');
  });

  it('plausible limits from the notes: thường trú 7, tạm trú 3, hộ kinh doanh 3, cấp đổi GCN 5, TTHN 3 (working days)', () => {
    const limit = (name: string) => byName(name)[0]?.cases[0]?.timeLimit;
    assert.deepEqual(limit('Đăng ký thường trú'), { kind: 'working_days', value: 7 });
    assert.deepEqual(limit('Đăng ký tạm trú'), { kind: 'working_days', value: 3 });
    assert.deepEqual(limit('Đăng ký thành lập hộ kinh doanh'), { kind: 'working_days', value: 3 });
    assert.deepEqual(limit('Cấp đổi Giấy chứng nhận quyền sử dụng đất'), { kind: 'working_days', value: 5 });
    assert.deepEqual(limit('xác nhận tình trạng hôn nhân'), { kind: 'working_days', value: 3 });
  });

  it('business registration sits with Sở Tài chính (H15.S03), judicial records with Sở Tư pháp (H15.S02)', () => {
    for (const p of procs.filter((x) => x.field === 'DN')) assert.deepEqual(p.implementingUnits, ['H15.S03'], p.code);
    for (const p of procs.filter((x) => x.field === 'LLTP')) assert.deepEqual(p.implementingUnits, ['H15.S02'], p.code);
  });

  it('some procedures are without administrative boundaries (certification, judicial records, civil status copies)', () => {
    const nb = procs.filter((p) => p.noBoundary);
    assert.ok(nb.length >= 3);
    assert.ok(nb.some((p) => p.field === 'CT'));
    assert.ok(nb.some((p) => p.field === 'LLTP'));
    assert.ok(nb.some((p) => p.field === 'HT'));
  });
});

describe('seed catalog: every rule is valid data', () => {
  it('every fee rule is valid', () => {
    for (const p of raw) {
      for (const c of p.cases as Array<{ code: string; fee: unknown }>) {
        const r = validateFeeRule(c.fee);
        assert.notEqual(typeof r, 'string', `${String(p.code)}/${c.code}: ${String(r)}`);
      }
    }
  });

  it('every case has a valid time limit and a service norm no looser than it', () => {
    for (const p of procs) {
      assert.ok(p.cases.length >= 1, p.code);
      for (const c of p.cases) {
        assert.equal(validateTimeLimit(c.timeLimit.kind as TimeLimitKind, c.timeLimit.value), null, `${p.code}/${c.code}`);
        if (c.serviceNorm) {
          assert.equal(c.serviceNorm.kind, c.timeLimit.kind, `${p.code}/${c.code}: norm in the same unit`);
          assert.ok(c.serviceNorm.value < c.timeLimit.value, `${p.code}/${c.code}: norm tighter than the limit`);
        }
      }
    }
  });

  it('every verification key is present with a known value', () => {
    for (const p of raw) {
      const v = p.verification as Record<string, unknown>;
      assert.deepEqual(Object.keys(v).sort(), [...VERIFICATION_KEYS].sort(), String(p.code));
      for (const k of VERIFICATION_KEYS) assert.ok(v[k] === 'verified' || v[k] === 'to_verify', `${String(p.code)}.${k}`);
    }
  });

  it('every procedure has documents, a legal basis, a source, an English name and everyday aliases', () => {
    for (const p of procs) {
      assert.ok(p.documents.length >= 1, p.code);
      assert.ok(p.legalBasis.length > 10, p.code);
      assert.ok(p.source.length > 0, p.code);
      assert.ok(p.nameEn.length > 0, p.code);
      assert.ok(p.aliases.length >= 2, p.code);
      assert.ok(p.form.length >= 3, `${p.code}: an e-form (checked by validateFormDefinition in parseProcedure)`);
      for (const d of p.documents) assert.ok(d.nameEn.length > 0, `${p.code}: ${d.name}`);
      for (const c of p.cases) assert.ok(c.nameEn.length > 0, `${p.code}/${c.code}`);
    }
  });

  it('everyday names find their procedure (search text, with and without diacritics)', () => {
    const fieldName = new Map(fields.map((f) => [f.code, f.name]));
    const find = (q: string) =>
      procs.filter((p) => {
        const t = searchTextOf(p, fieldName.get(p.field) ?? '');
        return searchWords(q).every((w) => t.includes(w));
      }).map((p) => p.code);
    assert.ok(find('giấy khai sinh').includes('1.001193'));
    assert.ok(find('lam khai sinh').includes('1.001193'));
    assert.ok(find('so do').some((c) => c.startsWith('H15-DD-')));
    assert.ok(find('GPXD').some((c) => c.startsWith('H15-XD-')));
    assert.ok(find('LLTP').includes('H15-LLTP-01'));
    assert.ok(find('ho kinh doanh').includes('H15-DKKD-01'));
    assert.ok(find('sao y ban chinh').includes('2.000815'));
  });
});
