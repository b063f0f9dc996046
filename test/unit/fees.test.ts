import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkFeeRule,
  computeFee,
  describeFee,
  MAX_FEE_AMOUNT,
  validateFeeRule,
  type FeeRule,
} from '../../src/core/fees.js';

/** Certified copy from the original (2.000815), Circular 226/2016/TT-BTC. */
const COPY: FeeRule = { kind: 'per_page', rate: 2000, laterRate: 1000, laterFromPage: 3, capPerCopy: 200000 };
const SIGNATURE: FeeRule = { kind: 'fixed', amount: 10000, unit: 'case' };
const CONTRACT: FeeRule = { kind: 'fixed', amount: 50000, unit: 'contract' };
const FREE: FeeRule = { kind: 'free' };

describe('computeFee: free', () => {
  it('is 0 whatever the pages and copies', () => {
    assert.equal(computeFee(FREE), 0);
    assert.equal(computeFee(FREE, { pages: 50, copies: 7 }), 0);
    assert.equal(computeFee({ kind: 'free', note: 'Miễn lệ phí' }, { pages: 0, copies: 0 }), 0);
  });
});

describe('computeFee: fixed', () => {
  it('per case / contract / dossier ignores pages and copies', () => {
    assert.equal(computeFee(SIGNATURE), 10000);
    assert.equal(computeFee(SIGNATURE, { pages: 9, copies: 3 }), 10000);
    assert.equal(computeFee(CONTRACT, { copies: 4 }), 50000);
    assert.equal(computeFee({ kind: 'fixed', amount: 20000 }, { copies: 2 }), 20000);
    assert.equal(computeFee({ kind: 'fixed', amount: 20000, unit: 'dossier' }, { copies: 2 }), 20000);
  });
  it('per copy multiplies by copies (default 1)', () => {
    const rule: FeeRule = { kind: 'fixed', amount: 8000, unit: 'copy' };
    assert.equal(computeFee(rule), 8000);
    assert.equal(computeFee(rule, { copies: 3 }), 24000);
    assert.equal(computeFee(rule, { copies: 0 }), 0);
  });
});

describe('computeFee: per page (certified copy 2.000815)', () => {
  const table: Array<[pages: number, copies: number, expected: number]> = [
    [0, 1, 0],
    [1, 1, 2000],
    [2, 1, 4000],
    [3, 1, 5000], // page 3 at the later rate
    [4, 1, 6000],
    [10, 1, 12000],
    [100, 1, 102000],
    [197, 1, 199000],
    [198, 1, 200000], // exactly the cap
    [199, 1, 200000], // capped
    [1000, 1, 200000],
    [1, 3, 6000],
    [3, 2, 10000],
    [500, 3, 600000], // cap applies per copy
    [5, 0, 0],
  ];
  for (const [pages, copies, expected] of table) {
    it(`${pages} page(s) × ${copies} cop${copies === 1 ? 'y' : 'ies'} = ${expected} đ`, () => {
      assert.equal(computeFee(COPY, { pages, copies }), expected);
    });
  }
  it('defaults to one page and one copy', () => {
    assert.equal(computeFee(COPY), 2000);
    assert.equal(computeFee(COPY, { pages: 4 }), 6000);
    assert.equal(computeFee(COPY, { copies: 2 }), 4000);
  });
  it('laterFromPage 2 charges the later rate from the second page', () => {
    const r: FeeRule = { kind: 'per_page', rate: 5000, laterRate: 3000, laterFromPage: 2, capPerCopy: 1_000_000 };
    assert.equal(computeFee(r, { pages: 1 }), 5000);
    assert.equal(computeFee(r, { pages: 2 }), 8000);
    assert.equal(computeFee(r, { pages: 5 }), 17000);
  });
  it('a later rate above the first rate is honoured (no assumption that it is cheaper)', () => {
    const r: FeeRule = { kind: 'per_page', rate: 1000, laterRate: 4000, laterFromPage: 3, capPerCopy: 9000 };
    assert.equal(computeFee(r, { pages: 3 }), 6000);
    assert.equal(computeFee(r, { pages: 4 }), 9000);
    assert.equal(computeFee(r, { pages: 5 }), 9000);
  });
});

describe('computeFee: bad counts', () => {
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e9]) {
    it(`rejects pages=${bad} and copies=${bad}`, () => {
      assert.throws(() => computeFee(COPY, { pages: bad }), RangeError);
      assert.throws(() => computeFee(COPY, { copies: bad }), RangeError);
      assert.throws(() => computeFee(FREE, { copies: bad }), RangeError);
    });
  }
});

describe('validateFeeRule', () => {
  it('accepts the rules of the catalog and returns a clean copy', () => {
    assert.deepEqual(validateFeeRule(COPY), COPY);
    assert.deepEqual(validateFeeRule(SIGNATURE), SIGNATURE);
    assert.deepEqual(validateFeeRule({ kind: 'free' }), { kind: 'free' });
    assert.deepEqual(validateFeeRule({ kind: 'free', note: 'Miễn lệ phí' }), { kind: 'free', note: 'Miễn lệ phí' });
    assert.deepEqual(validateFeeRule({ kind: 'fixed', amount: 1 }), { kind: 'fixed', amount: 1 });
    // An empty note is dropped so that exports stay stable.
    assert.deepEqual(validateFeeRule({ kind: 'fixed', amount: 5, note: '' }), { kind: 'fixed', amount: 5 });
    assert.deepEqual(validateFeeRule({ ...COPY, rate: 0 }), { ...COPY, rate: 0 });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /object/],
    ['a number', 5, /object/],
    ['an array', [], /object/],
    ['no kind', { amount: 5 }, /kind/],
    ['unknown kind', { kind: 'percent', amount: 5 }, /kind/],
    ['unknown key', { kind: 'free', amount: 5 }, /unknown key/],
    ['fixed without amount', { kind: 'fixed' }, /amount/],
    ['fixed negative', { kind: 'fixed', amount: -1 }, /amount/],
    ['fixed fractional', { kind: 'fixed', amount: 0.5 }, /amount/],
    ['fixed as text', { kind: 'fixed', amount: '10000' }, /amount/],
    ['fixed zero', { kind: 'fixed', amount: 0 }, /free/],
    ['fixed too large', { kind: 'fixed', amount: MAX_FEE_AMOUNT + 1 }, /amount/],
    ['fixed bad unit', { kind: 'fixed', amount: 5, unit: 'page' }, /unit/],
    ['per_page missing cap', { kind: 'per_page', rate: 1, laterRate: 1, laterFromPage: 3 }, /capPerCopy/],
    ['per_page laterFromPage 1', { ...COPY, laterFromPage: 1 }, /laterFromPage/],
    ['per_page laterFromPage fractional', { ...COPY, laterFromPage: 2.5 }, /laterFromPage/],
    ['per_page cap 0', { ...COPY, capPerCopy: 0 }, /capPerCopy/],
    ['per_page both rates 0', { ...COPY, rate: 0, laterRate: 0 }, /free/],
    ['per_page negative later rate', { ...COPY, laterRate: -1000 }, /laterRate/],
    ['note not text', { kind: 'free', note: 5 }, /note/],
    ['note too long', { kind: 'free', note: 'x'.repeat(501) }, /note/],
  ];
  for (const [name, input, re] of bad) {
    it(`refuses ${name} with a reason in both languages`, () => {
      const r = validateFeeRule(input);
      assert.equal(typeof r, 'string');
      assert.match(r as string, re);
      const c = checkFeeRule(input);
      assert.ok('problem' in c && c.problem.reasonVi.length > 0);
    });
  }
});

describe('describeFee', () => {
  it('is bilingual', () => {
    assert.deepEqual(describeFee(FREE), { vi: 'Miễn phí', en: 'Free' });
    assert.match(describeFee(SIGNATURE).vi, /10\.000 đồng\/trường hợp/);
    assert.match(describeFee(COPY).vi, /từ trang thứ 3/);
    assert.match(describeFee(COPY).en, /per copy/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const amount = fc.integer({ min: 0, max: 1_000_000 });
const perPage = fc
  .record({ rate: amount, laterRate: amount, laterFromPage: fc.integer({ min: 2, max: 50 }), capPerCopy: fc.integer({ min: 1, max: 5_000_000 }) })
  .filter((r) => r.rate > 0 || r.laterRate > 0)
  .map((r): FeeRule => ({ kind: 'per_page', ...r }));
const fixed = fc
  .record({ amount: fc.integer({ min: 1, max: 5_000_000 }), unit: fc.constantFrom(undefined, 'dossier', 'copy', 'contract', 'case' as const) })
  .map((r): FeeRule => (r.unit ? { kind: 'fixed', amount: r.amount, unit: r.unit } : { kind: 'fixed', amount: r.amount }));
const anyRule = fc.oneof(perPage, fixed, fc.constant<FeeRule>({ kind: 'free' }));
const pages = fc.integer({ min: 0, max: 2000 });
const copies = fc.integer({ min: 0, max: 50 });

describe('fee properties', () => {
  it('every generated rule is valid and survives validation unchanged', () => {
    fc.assert(fc.property(anyRule, (r) => assert.deepEqual(validateFeeRule(r), r)));
  });

  it('the fee is a non-negative whole number of đồng', () => {
    fc.assert(
      fc.property(anyRule, pages, copies, (r, p, c) => {
        const f = computeFee(r, { pages: p, copies: c });
        assert.ok(Number.isSafeInteger(f) && f >= 0, String(f));
      }),
    );
  });

  it('is monotone in pages and in copies', () => {
    fc.assert(
      fc.property(anyRule, pages, pages, copies, (r, a, b, c) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(computeFee(r, { pages: lo, copies: c }) <= computeFee(r, { pages: hi, copies: c }));
      }),
    );
    fc.assert(
      fc.property(anyRule, pages, copies, copies, (r, p, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(computeFee(r, { pages: p, copies: lo }) <= computeFee(r, { pages: p, copies: hi }));
      }),
    );
  });

  it('a per-page fee never exceeds cap × copies, and is linear in copies', () => {
    fc.assert(
      fc.property(perPage, pages, copies, (r, p, c) => {
        if (r.kind !== 'per_page') return;
        const f = computeFee(r, { pages: p, copies: c });
        assert.ok(f <= r.capPerCopy * c);
        assert.equal(f, computeFee(r, { pages: p, copies: 1 }) * c);
      }),
    );
  });

  it('a per-page fee below the cap equals the sum of page prices', () => {
    fc.assert(
      fc.property(perPage, pages, (r, p) => {
        if (r.kind !== 'per_page') return;
        let sum = 0;
        for (let i = 1; i <= p; i++) sum += i < r.laterFromPage ? r.rate : r.laterRate;
        assert.equal(computeFee(r, { pages: p }), Math.min(sum, r.capPerCopy));
      }),
    );
  });

  it('free is always 0', () => {
    fc.assert(fc.property(pages, copies, (p, c) => assert.equal(computeFee({ kind: 'free' }, { pages: p, copies: c }), 0)));
  });

  it('validateFeeRule never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const r = validateFeeRule(x);
        assert.ok(typeof r === 'string' || typeof r === 'object');
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ kind: fc.constantFrom('free', 'fixed', 'per_page', 'x'), amount: fc.anything(), rate: fc.anything(), laterRate: fc.anything(), laterFromPage: fc.anything(), capPerCopy: fc.anything() }, { requiredKeys: ['kind'] }),
        (x) => {
          const r = validateFeeRule(x);
          if (typeof r !== 'string') assert.ok(computeFee(r, { pages: 3, copies: 2 }) >= 0);
        },
      ),
    );
  });
});
