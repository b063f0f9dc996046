/** The queue's applicant filter: identifiers matched exactly, anything else as part of the name. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyApplicantQuery } from '../../src/core/applicant-query.js';

describe('applicant filter', () => {
  it('takes a citizen ID number as an identifier (ID number or phone column)', () => {
    assert.deepEqual(classifyApplicantQuery('066190000777'), { kind: 'identifier', idNumbers: ['066190000777'], phones: ['066190000777', '+8466190000777'] });
    assert.deepEqual(classifyApplicantQuery(' 066.190.000-777 '), classifyApplicantQuery('066190000777'));
  });

  it('takes a phone number in the home or the international form', () => {
    const home = classifyApplicantQuery('0905 000 777');
    assert.equal(home.kind, 'identifier');
    assert.ok(home.kind === 'identifier' && home.phones.includes('0905000777') && home.phones.includes('+84905000777'));
    const intl = classifyApplicantQuery('+84 905 000 777');
    assert.deepEqual(intl, { kind: 'identifier', idNumbers: [], phones: ['+84905000777', '0905000777'] });
  });

  it('takes a code with letters (passport, business) as an ID number, as typed and upper-cased', () => {
    assert.deepEqual(classifyApplicantQuery('c1234567'), { kind: 'identifier', idNumbers: ['c1234567', 'C1234567'], phones: [] });
  });

  it('takes names and short numbers as part of a name', () => {
    assert.deepEqual(classifyApplicantQuery('Trần Thị'), { kind: 'name', likePattern: '%Trần Thị%' });
    assert.deepEqual(classifyApplicantQuery('  tran   thi '), { kind: 'name', likePattern: '%tran thi%' });
    assert.equal(classifyApplicantQuery('1234').kind, 'name');
    assert.equal(classifyApplicantQuery('Nguyễn Văn 2').kind, 'name');
  });

  it('escapes LIKE wildcards so they match themselves', () => {
    assert.deepEqual(classifyApplicantQuery('50%_a\\b'), { kind: 'name', likePattern: '%50\\%\\_a\\\\b%' });
  });

  it('never leaves an unescaped wildcard inside a name pattern', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 40 }), (s) => {
        const q = classifyApplicantQuery(s);
        if (q.kind !== 'name') return;
        const inner = q.likePattern.slice(1, -1);
        // Every %, _ or \ inside is preceded by an escaping backslash.
        const stripped = inner.replace(/\\[\\%_]/g, '');
        assert.ok(!/[\\%_]/.test(stripped), `${JSON.stringify(s)} → ${q.likePattern}`);
      }),
    );
  });

  it('identifiers hold at least five digits, so no name is taken for one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 40 }), (s) => {
        const q = classifyApplicantQuery(s);
        if (q.kind === 'identifier') assert.ok((s.match(/[0-9]/g) ?? []).length >= 5, s);
      }),
    );
  });
});
