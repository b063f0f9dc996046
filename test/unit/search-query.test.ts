import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import {
  buildPlan,
  correctionKeys,
  deletions,
  editDistance,
  foldTerm,
  isCorrectable,
  likeEscape,
  MAX_CORRECTIONS,
  MAX_QUERY_WORDS,
  MAX_TERM_WORDS,
  MAX_VARIANTS,
  phrases,
  pickCorrections,
  tokenize,
  type Lexicon,
} from '../../src/core/search-query.js';

const lexicon: Lexicon = new Map([
  ['gpxd', ['giấy phép xây dựng']],
  ['so do', ['giấy chứng nhận quyền sử dụng đất']],
  ['ki', ['ký']],
  ['thu tuc', []],
  ['birth registration', ['đăng ký khai sinh']],
]);

describe('tokenize', () => {
  it('folds diacritics and case, cuts at punctuation, keeps codes whole', () => {
    assert.deepEqual(tokenize('Đăng ký  KHAI SINH, cho con!'), ['dang', 'ky', 'khai', 'sinh', 'cho', 'con']);
    assert.deepEqual(tokenize('1.001193 H15-HT-01'), ['1.001193', 'h15-ht-01']);
    assert.deepEqual(tokenize('sổ đỏ.'), ['so', 'do']);
    assert.deepEqual(tokenize('   '), []);
    assert.deepEqual(tokenize('%'), ['%']);
  });
  it('NFC and NFD input give the same words', () => {
    const s = 'Giấy phép xây dựng';
    assert.deepEqual(tokenize(s.normalize('NFD')), tokenize(s.normalize('NFC')));
  });
  it(`keeps at most ${MAX_QUERY_WORDS} words, each without diacritics or upper case`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const words = tokenize(s);
        assert.ok(words.length <= MAX_QUERY_WORDS);
        for (const w of words) {
          assert.notEqual(w, '');
          assert.equal(w, w.toLowerCase());
          assert.doesNotMatch(w, /[\u0300-\u036fđĐ\s]/);
        }
      }),
    );
  });
  it('is idempotent: tokenizing the joined words gives them back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const words = tokenize(s);
        assert.deepEqual(tokenize(words.join(' ')), words);
      }),
    );
  });
});

describe('foldTerm and phrases', () => {
  it('folds a term to single-spaced words', () => {
    assert.equal(foldTerm('  Sổ   Đỏ '), 'so do');
    assert.equal(foldTerm('GCNQSDĐ'), 'gcnqsdd');
    assert.equal(foldTerm('!!'), '');
  });
  it(`lists every run of 1..${MAX_TERM_WORDS} words`, () => {
    assert.deepEqual(phrases(['a', 'b', 'c']).sort(), ['a', 'a b', 'a b c', 'b', 'b c', 'c']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 10 }), (ws) => {
        const ps = phrases(ws);
        for (const p of ps) assert.ok(p.split(' ').length <= MAX_TERM_WORDS && ws.join(' ').includes(p));
        for (const w of ws) assert.ok(ps.includes(w));
      }),
    );
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one', () => {
    assert.equal(editDistance('sinh', 'sinh'), 0);
    assert.equal(editDistance('sinhh', 'sinh'), 1);
    assert.equal(editDistance('sin', 'sinh'), 1);
    assert.equal(editDistance('xinh', 'sinh'), 1);
    assert.equal(editDistance('dnag', 'dang'), 1);
    assert.equal(editDistance('kahi', 'khai'), 1);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('kinh', 'sinh'), 1);
    assert.equal(editDistance('doanh', 'dinh'), 2);
  });
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'h', 'n'), maxLength: 8 });
  it('is a metric (identity, symmetry, triangle inequality)', () => {
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        assert.equal(editDistance(a, b) === 0, a === b);
        assert.equal(editDistance(a, b), editDistance(b, a));
        // OSA is not a true metric for triangle in general; Levenshtein bound holds: d(a,c) <= d(a,b) + d(b,c) + 1
        assert.ok(editDistance(a, c) <= editDistance(a, b) + editDistance(b, c) + 1);
        assert.ok(editDistance(a, b) <= Math.max(a.length, b.length));
      }),
    );
  });
  it('a word one edit away always shares a lookup key with it (so search_words finds it)', () => {
    fc.assert(
      fc.property(word.filter((w) => w.length >= 2), fc.nat(), fc.constantFrom('insert', 'delete', 'substitute', 'swap'), (w, at, op) => {
        const i = at % w.length;
        const typo =
          op === 'insert' ? w.slice(0, i) + 'x' + w.slice(i)
          : op === 'delete' ? w.slice(0, i) + w.slice(i + 1)
          : op === 'substitute' ? w.slice(0, i) + 'x' + w.slice(i + 1)
          : i + 1 < w.length ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w;
        if (typo === w) return;
        const stored = new Set([w, ...deletions(w)]);
        assert.ok(correctionKeys(typo).some((k) => stored.has(k)), `${w} / ${typo}`);
        assert.ok(editDistance(w, typo) <= 1);
      }),
    );
  });
});

describe('pickCorrections', () => {
  it('keeps words one edit away, the ones the typed word begins first', () => {
    assert.deepEqual(pickCorrections('sin', ['sinh', 'tin', 'son', 'sinh', 'xa', 'sin']), ['sinh', 'son', 'tin']);
    assert.deepEqual(pickCorrections('sinhh', ['sinh', 'kinh']), ['sinh']);
    assert.deepEqual(pickCorrections('zzzz', ['sinh', 'khai']), []);
  });
  it(`never returns the word itself, a word two edits away or more than ${MAX_CORRECTIONS}`, () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'h'), minLength: 1, maxLength: 6 }), fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'h'), maxLength: 7 })), (w, cs) => {
        const out = pickCorrections(w, cs);
        assert.ok(out.length <= MAX_CORRECTIONS);
        for (const c of out) assert.ok(c !== w && editDistance(w, c) === 1 && cs.includes(c));
        assert.equal(new Set(out).size, out.length);
      }),
    );
  });
});

describe('isCorrectable and likeEscape', () => {
  it('only letter words of 3 or more letters are corrected', () => {
    assert.ok(isCorrectable('sinhh'));
    assert.ok(!isCorrectable('ki'));
    assert.ok(!isCorrectable('1.000656'));
    assert.ok(!isCorrectable('h15-ht-01'));
  });
  it('escapes LIKE wildcards', () => {
    assert.equal(likeEscape('50%_a\\b'), '50\\%\\_a\\\\b');
  });
});

describe('buildPlan', () => {
  it('a plain query: one group per word, the literal reading', () => {
    const p = buildPlan('Đăng ký khai sinh', lexicon, new Set(['dang', 'ky', 'khai', 'sinh']));
    assert.deepEqual(p.words, ['dang', 'ky', 'khai', 'sinh']);
    assert.deepEqual(p.groups.map((g) => [g.kind, g.alternatives]), [['word', ['dang']], ['word', ['ky']], ['word', ['khai']], ['word', ['sinh']]]);
    assert.deepEqual(p.variants, ['dang ky khai sinh']);
  });
  it('abbreviations and everyday names become alternatives, longest term first', () => {
    const p = buildPlan('GPXD', lexicon);
    assert.deepEqual(p.groups, [{ source: 'gpxd', alternatives: ['gpxd', 'giay phep xay dung'], kind: 'lexicon' }]);
    assert.ok(p.variants.includes('giay phep xay dung'));
    const s = buildPlan('sổ đỏ', lexicon);
    assert.deepEqual(s.groups.map((g) => g.alternatives), [['so do', 'giay chung nhan quyen su dung dat']]);
    const en = buildPlan('birth registration', lexicon);
    assert.ok(en.variants.includes('dang ky khai sinh'));
  });
  it('unknown words get their corrections; known words are never corrected', () => {
    const cands = new Map([['sinhh', ['sinh', 'kinh']], ['sin', ['sinh', 'tin']]]);
    const p = buildPlan('khai sinhh', lexicon, new Set(['khai']), cands);
    assert.deepEqual(p.groups[1], { source: 'sinhh', alternatives: ['sinhh', 'sinh'], kind: 'corrected' });
    assert.ok(p.variants.includes('khai sinh'));
    const q = buildPlan('dang ki khai sin', lexicon, new Set(['dang', 'khai']), cands);
    assert.ok(q.variants.includes('dang ky khai sinh'), q.variants.join(' | '));
    const known = buildPlan('khai sinhh', lexicon, new Set(['khai', 'sinhh']), cands);
    assert.equal(known.groups[1]?.kind, 'word');
  });
  it('filler words are dropped unless nothing else is left', () => {
    const p = buildPlan('thủ tục đăng ký kết hôn', lexicon);
    assert.deepEqual(p.groups.map((g) => g.source), ['dang', 'ky', 'ket', 'hon']);
    assert.ok(p.variants.includes('thu tuc dang ky ket hon'));
    const only = buildPlan('thủ tục', lexicon);
    assert.deepEqual(only.groups.map((g) => g.source), ['thu tuc']);
  });
  it('an empty query has no groups', () => {
    assert.deepEqual(buildPlan(' ,, ', lexicon).groups, []);
  });
  it(`any query: one group per kept span, every group offers its own words, at most ${MAX_VARIANTS} distinct readings`, () => {
    const words = fc.constantFrom('so', 'do', 'gpxd', 'ki', 'thu', 'tuc', 'khai', 'sinh', 'birth', 'registration', 'xyz');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 12 }), (ws) => {
        const p = buildPlan(ws.join(' '), lexicon);
        assert.ok(p.variants.length <= MAX_VARIANTS);
        assert.equal(new Set(p.variants).size, p.variants.length);
        if (ws.length === 0) return assert.deepEqual(p.groups, []);
        assert.ok(p.groups.length >= 1);
        for (const g of p.groups) {
          assert.equal(g.alternatives[0], g.source);
          assert.ok(p.words.join(' ').includes(g.source));
        }
      }),
    );
  });
});

describe('the seed lexicon (src/catalog/data/search-lexicon.json)', () => {
  const terms = (createRequire(import.meta.url)('../../src/catalog/data/search-lexicon.json') as { terms: Array<{ term: string; expansions: string[]; note?: string }> }).terms;
  it('has distinct folded terms of at most 4 words, and expansions that differ from their term', () => {
    const seen = new Set<string>();
    for (const t of terms) {
      const f = foldTerm(t.term);
      assert.ok(f !== '' && f.split(' ').length <= MAX_TERM_WORDS, t.term);
      assert.ok(!seen.has(f), `${t.term} twice`);
      seen.add(f);
      for (const e of t.expansions) assert.ok(foldTerm(e) !== '' && foldTerm(e) !== f, `${t.term} → ${e}`);
    }
  });
  it('covers the abbreviations and everyday names the portal promises', () => {
    const have = new Set(terms.map((t) => foldTerm(t.term)));
    for (const t of ['cccd', 'gpxd', 'so do', 'so hong', 'lltp', 'hkd', 'dkkd', 'gcn', 'qsdd', 'birth registration', 'marriage', 'building permit', 'criminal record']) {
      assert.ok(have.has(t), t);
    }
  });
});
