/** Amounts in Vietnamese words, as on a receipt: hand-written expectations, then properties. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { amountInWordsVi, numberInWordsVi } from '../../src/core/money-words.js';

describe('numberInWordsVi', () => {
  const cases: Array<[number, string]> = [
    [0, 'không'],
    [1, 'một'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi bốn'],
    [25, 'hai mươi lăm'],
    [55, 'năm mươi lăm'],
    [100, 'một trăm'],
    [101, 'một trăm lẻ một'],
    [105, 'một trăm lẻ năm'],
    [110, 'một trăm mười'],
    [115, 'một trăm mười lăm'],
    [121, 'một trăm hai mươi mốt'],
    [1000, 'một nghìn'],
    [1001, 'một nghìn không trăm lẻ một'],
    [1010, 'một nghìn không trăm mười'],
    [2000, 'hai nghìn'],
    [3000, 'ba nghìn'],
    [8000, 'tám nghìn'],
    [15_000, 'mười lăm nghìn'],
    [75_000, 'bảy mươi lăm nghìn'],
    [200_000, 'hai trăm nghìn'],
    [1_000_000, 'một triệu'],
    [1_005_000, 'một triệu không trăm lẻ năm nghìn'],
    [1_000_005, 'một triệu không trăm lẻ năm'],
    [2_500_000, 'hai triệu năm trăm nghìn'],
    [12_345_678, 'mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám'],
    [1_000_000_000, 'một tỷ'],
    [1_000_000_001, 'một tỷ không trăm lẻ một'],
    [2_000_300_000, 'hai tỷ ba trăm nghìn'],
    [1_234_000_000_000, 'một nghìn hai trăm ba mươi bốn tỷ'],
    [5_000_000_000_000_000, 'năm triệu tỷ'],
  ];
  for (const [n, words] of cases) {
    it(`${n} → ${words}`, () => assert.equal(numberInWordsVi(n), words));
  }
  it('refuses negative, fractional and unsafe numbers', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) assert.throws(() => numberInWordsVi(n), RangeError);
  });
});

describe('amountInWordsVi', () => {
  it('capitalises and adds "đồng"', () => {
    assert.equal(amountInWordsVi(8000), 'Tám nghìn đồng');
    assert.equal(amountInWordsVi(0), 'Không đồng');
    assert.equal(amountInWordsVi(1_005_000), 'Một triệu không trăm lẻ năm nghìn đồng');
  });
});

describe('properties', () => {
  const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
  it('only known words, single spaces, never "mươi một"/"mười năm"/"mươi năm"', () => {
    const known = new Set([...DIGIT_WORDS, 'mười', 'mươi', 'mốt', 'lăm', 'lẻ', 'trăm', 'nghìn', 'triệu', 'tỷ']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const w = numberInWordsVi(n);
        assert.doesNotMatch(w, /^ | $| {2}/);
        for (const t of w.split(' ')) assert.ok(known.has(t), `${n}: unknown word ${t}`);
        assert.doesNotMatch(w, /mươi một|mười năm|mươi năm|mười lẻ/);
      }),
      { numRuns: 2000 },
    );
  });
  it('words are different for different numbers (below one billion)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 999_999_999 }), (a, b) => {
        fc.pre(a !== b);
        assert.notEqual(numberInWordsVi(a), numberInWordsVi(b));
      }),
      { numRuns: 2000 },
    );
  });
  it('parsing the words back (a small reader written from the rules) gives the number', () => {
    const read = (w: string): number => {
      let total = 0;
      let group = 0;
      let billions = 0;
      let last = 0;
      const tokens = w.split(' ');
      for (const t of tokens) {
        const d = DIGIT_WORDS.indexOf(t);
        if (d >= 0) {
          last = d;
        } else if (t === 'mốt') {
          last = 1;
        } else if (t === 'lăm') {
          last = 5;
        } else if (t === 'mười') {
          group += 10;
        } else if (t === 'mươi') {
          group += last * 10;
          last = 0;
        } else if (t === 'trăm') {
          group += last * 100;
          last = 0;
        } else if (t === 'nghìn' || t === 'triệu') {
          total += (group + last) * (t === 'nghìn' ? 1000 : 1_000_000);
          group = 0;
          last = 0;
        } else if (t === 'tỷ') {
          billions = (billions + total + group + last) * 1e9;
          total = 0;
          group = 0;
          last = 0;
        }
        // 'lẻ' only marks a missing ten.
      }
      return billions + total + group + last;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        assert.equal(read(numberInWordsVi(n)), n);
      }),
      { numRuns: 2000 },
    );
  });
});
