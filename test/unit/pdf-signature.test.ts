import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { createPdf, finishPdf, formTitle, paragraph } from '../../src/platform/pdf.js';
import { generateSelfSignedP12, openP12, validateP12, type SigningKey } from '../../src/signing/keys.js';
import { signPdfWithKey, SIGNING_REASON } from '../../src/signing/sign.js';
import { parsePdfDate, verifyPdf } from '../../src/signing/verify.js';
import { AppError } from '../../src/platform/errors.js';

const NOW = new Date('2026-03-04T03:00:00Z');

async function samplePdf(): Promise<Buffer> {
  const doc = createPdf({ title: 'Kết quả (mô phỏng)' });
  formTitle(doc, 'KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
  paragraph(doc, 'Đã cấp giấy khai sinh (mô phỏng). Đắk Lắk.');
  return finishPdf(doc, { demoNotice: true });
}

describe('PDF signatures (PAdES, CMS detached)', () => {
  let key: Omit<SigningKey, 'unitCode'>;
  let unsigned: Buffer;
  let signed: Buffer;

  before(async () => {
    const p12 = generateSelfSignedP12({ commonName: 'UBND Phường Buôn Ma Thuột', now: NOW, passphrase: 'bí mật' });
    key = openP12(p12, 'bí mật');
    unsigned = await samplePdf();
    signed = await signPdfWithKey(unsigned, key, { signingTime: NOW });
  });

  it('a generated PKCS#12 opens with its passphrase and names the unit (Vietnamese intact)', () => {
    assert.equal(key.facts.commonName, 'UBND Phường Buôn Ma Thuột');
    assert.equal(key.facts.organization, 'motcua (mô phỏng)');
    assert.match(key.facts.serial, /^[0-9A-F]+$/);
    const years = (key.facts.notAfter.getTime() - NOW.getTime()) / (365.25 * 86400_000);
    assert.ok(years > 2.9 && years < 3.1, String(years));
  });

  it('a wrong passphrase, garbage, and an expired certificate are refused with bilingual 400s', () => {
    const p12 = generateSelfSignedP12({ commonName: 'X', now: NOW, passphrase: 'right', years: 1 });
    const wrong = (() => {
      try {
        openP12(p12, 'wrong');
      } catch (e) {
        return e;
      }
    })() as AppError;
    assert.ok(wrong instanceof AppError);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.code, 'invalid_passphrase');
    assert.match(wrong.messageVi, /Mật khẩu/);
    assert.throws(() => openP12(Buffer.from('not a p12 at all'), 'x'), (e: AppError) => e.status === 400 && /PKCS#12/.test(e.messageVi));
    assert.throws(() => validateP12(p12, 'right', new Date('2028-01-01T00:00:00Z')), (e: AppError) => e.status === 400 && /hết hạn/.test(e.messageVi));
    assert.doesNotThrow(() => validateP12(p12, 'right', NOW));
  });

  it('the signed PDF has a /Sig dictionary with ETSI.CAdES.detached, ByteRange, name, reason, time', () => {
    const text = signed.toString('latin1');
    assert.match(text, /\/Type \/Sig/);
    assert.match(text, /\/SubFilter \/ETSI\.CAdES\.detached/);
    assert.match(text, /\/ByteRange \[0 \d+ \d+ \d+\]/);
    assert.ok(signed.subarray(0, unsigned.length).equals(unsigned), 'incremental update: the original bytes come first');
  });

  it('a signed PDF verifies intact, with the signer, time, reason', async () => {
    const r = await verifyPdf(signed, { isKnown: (sha) => sha === key.facts.sha256 });
    assert.deepEqual(r.problems, []);
    assert.equal(r.signed, true);
    assert.equal(r.intact, true);
    assert.equal(r.signer?.commonName, 'UBND Phường Buôn Ma Thuột');
    assert.equal(r.signer?.organization, 'motcua (mô phỏng)');
    assert.equal(r.signer?.serial, key.facts.serial);
    assert.equal(r.signedAt, NOW.toISOString());
    assert.equal(r.certificateValidAtSigning, true);
    assert.equal(r.knownSigner, true);
    assert.equal(r.reason, SIGNING_REASON);
    assert.equal(r.subFilter, 'ETSI.CAdES.detached');
    assert.equal(r.certificate?.sha256, key.facts.sha256, 'the embedded certificate is byte-identical');
  });

  it('an unknown certificate verifies intact but not as a known signer', async () => {
    const r = await verifyPdf(signed, { isKnown: () => false });
    assert.equal(r.intact, true);
    assert.equal(r.knownSigner, false);
  });

  it('one byte flipped inside each signed range makes it not intact', async () => {
    const [b, c] = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(signed.toString('latin1'))!.slice(1).map(Number) as [number, number];
    // Inside the page content (first range) and inside the trailer (second range).
    for (const pos of [Math.floor(b / 3), c + 20]) {
      const copy = Buffer.from(signed);
      copy[pos] = copy[pos]! ^ 0x01;
      const r = await verifyPdf(copy);
      assert.equal(r.signed, true);
      assert.equal(r.intact, false, `flipped at ${pos}`);
      assert.ok(r.problems.includes('digest_mismatch'), r.problems.join());
    }
  });

  it('a changed visible word (same length) is detected', async () => {
    // The info dictionary's title is in the signed range as UTF-16 hex or literal; change a byte of "/Producer" value instead.
    const text = signed.toString('latin1');
    const at = text.indexOf('/Creator');
    assert.ok(at > 0);
    const copy = Buffer.from(signed);
    copy.write('X', at + 12, 'latin1');
    assert.equal((await verifyPdf(copy)).intact, false);
  });

  it('bytes appended after the end are not covered, so not intact', async () => {
    const r = await verifyPdf(Buffer.concat([signed, Buffer.from('\n% appended\n')]));
    assert.equal(r.signed, true);
    assert.equal(r.intact, false);
    assert.ok(r.problems.includes('not_whole_file'));
  });

  it('a tampered signature value is refused', async () => {
    const s = signed.toString('latin1');
    const [b] = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(s)!.slice(1).map(Number) as [number];
    const copy = Buffer.from(signed);
    // The RSA signature is the last non-zero part of the hex; flip a hex digit in the middle of the CMS.
    const hex = s.slice(b + 1, s.indexOf('>', b));
    const used = hex.replace(/(00)+$/, '').length;
    const pos = b + 1 + used - 20;
    copy.write(copy.toString('latin1', pos, pos + 1) === 'a' ? 'b' : 'a', pos, 'latin1');
    const r = await verifyPdf(copy);
    assert.equal(r.intact, false);
    assert.ok(r.problems.includes('signature_invalid'), r.problems.join());
  });

  it('a signature made with another key but claiming this certificate is refused', async () => {
    const other = openP12(generateSelfSignedP12({ commonName: 'Kẻ giả mạo', now: NOW, passphrase: 'x' }), 'x');
    const forged = await signPdfWithKey(unsigned, { ...key, privateKeyPem: other.privateKeyPem }, { signingTime: NOW });
    const r = await verifyPdf(forged);
    assert.equal(r.intact, false);
    assert.ok(r.problems.includes('signature_invalid'));
  });

  it('property: any byte changed outside the signature value makes it not intact, and nothing throws', async () => {
    const [b, c] = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(signed.toString('latin1'))!.slice(1).map(Number) as [number, number];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: signed.length - 1 }), fc.integer({ min: 1, max: 255 }), async (pos, x) => {
        const copy = Buffer.from(signed);
        copy[pos] = copy[pos]! ^ x;
        const r = await verifyPdf(copy);
        if (pos < b || pos >= c) assert.equal(r.intact, false, `changed at ${pos}`);
      }),
      { numRuns: 150 },
    );
  });

  it('property: truncated or random prefixes never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: signed.length - 1 }), async (n) => {
        const r = await verifyPdf(signed.subarray(0, n));
        assert.equal(r.intact, false);
      }),
      { numRuns: 60 },
    );
  });

  it('an unsigned PDF is not signed', async () => {
    const r = await verifyPdf(unsigned);
    assert.equal(r.signed, false);
    assert.equal(r.intact, false);
    assert.deepEqual(r.problems, ['no_signature']);
    assert.equal((await verifyPdf(crypto.randomBytes(2000))).signed, false);
  });

  it('PDF dates parse with offsets', () => {
    assert.equal(parsePdfDate("D:20260304100000+07'00'")?.toISOString(), '2026-03-04T03:00:00.000Z');
    assert.equal(parsePdfDate('D:20260304030000Z')?.toISOString(), '2026-03-04T03:00:00.000Z');
    assert.equal(parsePdfDate('nonsense'), null);
  });
});
