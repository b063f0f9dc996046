/**
 * VietQR payloads: CRC16/CCITT-FALSE against known values (the standard check value, and payloads
 * whose CRC was computed independently with Python's binascii.crc_hqx(data, 0xFFFF)), structure,
 * round trip, and refusals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildVietQr,
  crc16CcittFalse,
  MAX_PURPOSE_LENGTH,
  parseTlv,
  parseVietQr,
  vietQrCrcValid,
  VietQrError,
  vietQrProblem,
} from '../../src/core/vietqr.js';

describe('crc16CcittFalse', () => {
  it('gives the standard check value 0x29B1 for "123456789"', () => {
    assert.equal(crc16CcittFalse('123456789'), 0x29b1);
  });
  it('gives 0xFFFF (the initial value) for no data', () => {
    assert.equal(crc16CcittFalse(''), 0xffff);
  });
  it('matches an independent implementation on sample VietQR bodies', () => {
    // python3: '%04X' % binascii.crc_hqx(s.encode(), 0xFFFF)
    assert.equal(
      crc16CcittFalse('00020101021238540010A00000072701240006970415011000000000000208QRIBFTTA5303704540480005802VN62160812TT8K3Q2M9XRA6304'),
      0xffe1,
    );
    assert.equal(crc16CcittFalse('00020101021138540010A00000072701240006970436011012345678900208QRIBFTTA53037045802VN6304'), 0xbe57);
  });
});

describe('buildVietQr', () => {
  it('builds the exact dynamic payload: amount, purpose, CRC', () => {
    const s = buildVietQr({ bankBin: '970415', accountNumber: '0000000000', amount: 8000, purpose: 'TT8K3Q2M9XRA' });
    assert.equal(s, '00020101021238540010A00000072701240006970415011000000000000208QRIBFTTA5303704540480005802VN62160812TT8K3Q2M9XRA6304FFE1');
  });
  it('builds a static payload (no amount, no purpose) with point of initiation 11', () => {
    const s = buildVietQr({ bankBin: '970436', accountNumber: '1234567890' });
    assert.equal(s, '00020101021138540010A00000072701240006970436011012345678900208QRIBFTTA53037045802VN6304BE57');
  });
  it('reads back every field', () => {
    const s = buildVietQr({ bankBin: '970415', accountNumber: '113366668888', amount: 1_234_567, purpose: 'HS H15.001-260302-0001' });
    assert.deepEqual(parseVietQr(s), {
      payloadFormat: '01',
      initiation: 'dynamic',
      guid: 'A000000727',
      bankBin: '970415',
      accountNumber: '113366668888',
      service: 'QRIBFTTA',
      currency: '704',
      amount: 1_234_567,
      country: 'VN',
      purpose: 'HS H15.001-260302-0001',
      crc: s.slice(-4),
    });
    assert.deepEqual(
      parseTlv(s).map((f) => f.tag),
      ['00', '01', '38', '53', '54', '58', '62', '63'],
    );
  });
  it('refuses bad input with a reason, and never builds it', () => {
    const bad = [
      { bankBin: '97041', accountNumber: '1' },
      { bankBin: '970415', accountNumber: '' },
      { bankBin: '970415', accountNumber: '12345678901234567890' },
      { bankBin: '970415', accountNumber: '1', amount: 0 },
      { bankBin: '970415', accountNumber: '1', amount: 1.5 },
      { bankBin: '970415', accountNumber: '1', amount: -5 },
      { bankBin: '970415', accountNumber: '1', purpose: 'x'.repeat(MAX_PURPOSE_LENGTH + 1) },
      { bankBin: '970415', accountNumber: '1', purpose: 'Lệ phí' },
    ];
    for (const input of bad) {
      assert.ok(vietQrProblem(input), JSON.stringify(input));
      assert.throws(() => buildVietQr(input), VietQrError);
    }
  });
  it('detects a changed character (CRC) and a cut payload', () => {
    const s = buildVietQr({ bankBin: '970415', accountNumber: '0000000000', amount: 8000, purpose: 'TT1' });
    const tampered = s.replace('54048000', '54049000');
    assert.equal(vietQrCrcValid(tampered), false);
    assert.throws(() => parseVietQr(tampered), /CRC/);
    assert.throws(() => parseTlv(s.slice(0, 30)), VietQrError);
  });
});

describe('VietQR properties', () => {
  const purposeArb = fc.stringMatching(/^[A-Za-z0-9 .-]{1,25}$/);
  it('any valid account, amount and purpose parse back to themselves with a valid CRC', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{6}$/),
        fc.stringMatching(/^[0-9A-Za-z]{1,19}$/),
        fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).filter((n) => n <= 9_999_999_999_999), { nil: undefined }),
        fc.option(purposeArb, { nil: undefined }),
        (bankBin, accountNumber, amount, purpose) => {
          const s = buildVietQr({ bankBin, accountNumber, amount, purpose });
          assert.ok(vietQrCrcValid(s));
          const p = parseVietQr(s);
          assert.equal(p.bankBin, bankBin);
          assert.equal(p.accountNumber, accountNumber);
          assert.equal(p.amount, amount ?? null);
          assert.equal(p.purpose, purpose ?? null);
          assert.equal(p.initiation, amount === undefined ? 'static' : 'dynamic');
          assert.equal(p.crc, crc16CcittFalse(s.slice(0, -4)).toString(16).toUpperCase().padStart(4, '0'));
        },
      ),
      { numRuns: 300 },
    );
  });
  it('changing any one character of a payload is detected', () => {
    const s = buildVietQr({ bankBin: '970415', accountNumber: '0123456789', amount: 75_000, purpose: 'TTABCDEF123456' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: s.length - 1 }), fc.constantFrom(...'0123456789ABCDEFXYZ'), (i, c) => {
        fc.pre(s[i] !== c);
        assert.equal(vietQrCrcValid(s.slice(0, i) + c + s.slice(i + 1)), false);
      }),
      { numRuns: 300 },
    );
  });
});
