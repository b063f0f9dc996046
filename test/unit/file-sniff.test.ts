/** Upload content checks (src/core/file-sniff.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkUpload, extensionOf, sniff } from '../../src/core/file-sniff.js';

const bytes = (...xs: Array<number | string>) =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));
const PDF = bytes('%PDF-1.7\n%âãÏÓ\n');
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF', 0);
const PNG = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR');

describe('sniff', () => {
  it('recognises PDF, JPEG and PNG by their signatures', () => {
    assert.deepEqual(sniff(PDF), { kind: 'accepted', type: 'application/pdf' });
    assert.deepEqual(sniff(JPEG), { kind: 'accepted', type: 'image/jpeg' });
    assert.deepEqual(sniff(PNG), { kind: 'accepted', type: 'image/png' });
  });

  it('refuses programs, archives, web pages and the unknown, saying what they are', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [bytes('MZ', 0x90, 0), /Windows/],
      [bytes(0x7f, 'ELF', 2, 1), /Linux/],
      [bytes('PK', 3, 4, 20, 0), /ZIP/],
      [bytes('<!DOCTYPE html><html>'), /web page/],
      [bytes('  <svg xmlns='), /web page|SVG/],
      [bytes('#!/bin/sh\nrm -rf'), /script/],
      [bytes('GIF89a'), /GIF/],
      [bytes('hello world'), /not a PDF/],
      [bytes(), /empty/],
      [bytes('%PD'), /not a PDF/],
    ];
    for (const [b, what] of cases) {
      const s = sniff(b);
      assert.equal(s.kind, 'refused');
      if (s.kind === 'refused') {
        assert.match(s.what.en, what);
        assert.ok(s.what.vi.length > 0);
      }
    }
  });
});

describe('checkUpload', () => {
  it('accepts when bytes, extension and declared type agree (vague or alias types are fine)', () => {
    assert.deepEqual(checkUpload('giay-chung-sinh.pdf', 'application/pdf', PDF), { ok: true, contentType: 'application/pdf' });
    assert.deepEqual(checkUpload('ANH.JPG', 'image/jpeg', JPEG), { ok: true, contentType: 'image/jpeg' });
    assert.deepEqual(checkUpload('anh.jpeg', 'image/jpg', JPEG), { ok: true, contentType: 'image/jpeg' });
    assert.deepEqual(checkUpload('scan.png', 'application/octet-stream', PNG), { ok: true, contentType: 'image/png' });
    assert.deepEqual(checkUpload('scan.png', '', PNG), { ok: true, contentType: 'image/png' });
  });

  it('refuses a renamed executable whatever it claims, with a message in both languages', () => {
    const r = checkUpload('giay-khai-sinh.pdf', 'application/pdf', bytes('MZ', 0x90, 0, 3, 0));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, 'unsupported_file_type');
      assert.match(r.message, /Windows program/);
      assert.match(r.messageVi, /chương trình Windows/);
      assert.match(r.messageVi, /giay-khai-sinh\.pdf/);
    }
  });

  it('refuses when the name or the declared type disagrees with the bytes', () => {
    for (const [name, type, b] of [
      ['anh.pdf', 'application/pdf', PNG],
      ['to-khai.png', 'image/png', PDF],
      ['to-khai.pdf', 'image/png', PDF],
      ['to-khai', 'application/pdf', PDF],
      ['to-khai.pdf.exe', 'application/pdf', PDF],
    ] as const) {
      const r = checkUpload(name, type, b);
      assert.equal(r.ok, false, `${name} ${type}`);
      if (!r.ok) assert.equal(r.code, 'file_type_mismatch');
    }
  });

  it('extensionOf ignores folders and is case-insensitive', () => {
    assert.equal(extensionOf('C:\\Users\\a\\Scan.PDF'), 'pdf');
    assert.equal(extensionOf('/tmp/.pdf'), '');
    assert.equal(extensionOf('noext'), '');
  });

  it('property: no byte string that does not start with an accepted signature is ever accepted', () => {
    const accepted = (b: Uint8Array) =>
      (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) ||
      (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
      (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.constantFrom('a.pdf', 'a.jpg', 'a.png'), fc.constantFrom('application/pdf', 'image/jpeg', 'image/png', ''), (b, name, type) => {
        const r = checkUpload(name, type, b);
        return accepted(b) || !r.ok;
      }),
    );
  });

  it('property: a valid signature followed by anything is accepted under its own extension', () => {
    fc.assert(
      fc.property(fc.constantFrom<[Uint8Array, string, string]>([PDF, 'x.pdf', 'application/pdf'], [JPEG, 'x.jpg', 'image/jpeg'], [PNG, 'x.png', 'image/png']), fc.uint8Array({ maxLength: 64 }), ([sig, name, type], tail) => {
        const b = new Uint8Array([...sig, ...tail]);
        const r = checkUpload(name, type, b);
        return r.ok && r.contentType === type;
      }),
    );
  });
});
