/**
 * Verifying the signature of a PDF, with nothing trusted from the file but its bytes:
 *
 * 1. The signature dictionary: the last /ByteRange [a b c d] in the file with numeric values.
 * 2. Coverage: a = 0, the gap [b, c) is exactly the "<hex>" value of /Contents of that same
 *    dictionary, and c + d is the length of the file: every byte but the signature is signed,
 *    and nothing was appended after signing (an incremental update after the signature fails).
 * 3. The CMS SignedData in /Contents (parsed with node-forge's ASN.1 reader): the signer's
 *    message-digest attribute equals the hash (SHA-256/384/512) of the two byte ranges, the
 *    content-type attribute is id-data, a signing-certificate-v2 attribute, when present, names the
 *    signer's certificate, and the signature over the DER of the signed attributes verifies with
 *    the public key of the signer's certificate (Node's crypto.verify; RSA PKCS#1 v1.5 or ECDSA).
 *
 * intact = 2 and 3 all hold. The certificate is not checked against a trust list here: the
 * caller says whether it is a known signing key (knownSigner), and whether the signing time lies
 * in the certificate's validity period is reported separately (the time is the one the signer
 * wrote, /M or the signing-time attribute, not a trusted timestamp).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { certificateFacts, type CertificateFacts } from './keys.js';
import { der, OID } from './cms.js';

const { asn1 } = forge;
type Node = forge.asn1.Asn1;

export type VerifyProblem =
  | 'no_signature'
  | 'byte_range_invalid'
  | 'not_whole_file'
  | 'cms_unreadable'
  | 'no_signer_certificate'
  | 'digest_mismatch'
  | 'signed_attributes_missing'
  | 'certificate_binding_mismatch'
  | 'signature_invalid'
  | 'unsupported_algorithm';

export interface VerifyResult {
  signed: boolean;
  intact: boolean;
  signer: { commonName: string | null; organization: string | null; serial: string; subject: string; issuer: string } | null;
  certificate: { notBefore: string; notAfter: string; sha256: string } | null;
  signedAt: string | null;
  certificateValidAtSigning: boolean | null;
  knownSigner: boolean;
  subFilter: string | null;
  reason: string | null;
  location: string | null;
  problems: VerifyProblem[];
}

export const PROBLEM_TEXT: Record<VerifyProblem, { vi: string; en: string }> = {
  no_signature: { vi: 'Tệp không có chữ ký số.', en: 'The file carries no digital signature.' },
  byte_range_invalid: { vi: 'Vùng dữ liệu được ký (ByteRange) không hợp lệ.', en: 'The signed byte range is malformed.' },
  not_whole_file: {
    vi: 'Chữ ký không bao trùm toàn bộ tệp: tệp đã bị thêm hoặc bớt nội dung sau khi ký.',
    en: 'The signature does not cover the whole file: content was added or removed after signing.',
  },
  cms_unreadable: { vi: 'Không đọc được dữ liệu chữ ký (CMS).', en: 'The signature data (CMS) cannot be read.' },
  no_signer_certificate: { vi: 'Không tìm thấy chứng thư số của người ký trong chữ ký.', en: 'The signer’s certificate is not in the signature.' },
  digest_mismatch: { vi: 'Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).', en: 'The content was altered after signing (digest mismatch).' },
  signed_attributes_missing: { vi: 'Chữ ký thiếu các thuộc tính bắt buộc.', en: 'The signature lacks the required signed attributes.' },
  certificate_binding_mismatch: { vi: 'Chứng thư số trong chữ ký không khớp với chứng thư đã được ký.', en: 'The certificate does not match the one bound in the signature.' },
  signature_invalid: { vi: 'Chữ ký số không hợp lệ với khóa công khai của chứng thư.', en: 'The signature does not verify with the certificate’s public key.' },
  unsupported_algorithm: { vi: 'Thuật toán chữ ký chưa được hỗ trợ.', en: 'The signature algorithm is not supported.' },
};

const HASHES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512', [OID.sha1]: 'sha1' };
/** Signature algorithms: rsaEncryption (hash from the digest algorithm) or a combined OID. */
const SIG_ALGS: Record<string, { kind: 'rsa' | 'ecdsa'; hash: string | null }> = {
  [OID.rsaEncryption]: { kind: 'rsa', hash: null },
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1' },
  [OID.sha256WithRSA]: { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '1.2.840.10045.2.1': { kind: 'ecdsa', hash: null },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
};

interface SigDict {
  range: [number, number, number, number];
  /** Offset of "/ByteRange" in the file. */
  at: number;
  /** The signature dictionary's object text (latin1), from "obj" to "endobj", the /Contents value excluded. */
  text: string;
}

/** The last signature dictionary with a filled-in ByteRange, or null. */
function findSignature(pdf: Buffer): SigDict | null {
  const s = pdf.toString('latin1');
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m;
  if (!last) return null;
  const range = last.slice(1, 5).map(Number) as [number, number, number, number];
  const objStart = Math.max(0, s.lastIndexOf(' obj', last.index));
  const endObj = s.indexOf('endobj', last.index);
  const objEnd = endObj < 0 ? s.length : endObj;
  const [, b, c] = range;
  // The dictionary's text without the (long) /Contents value.
  const text = b > objStart && c < objEnd && b < c ? s.slice(objStart, b) + s.slice(c, objEnd) : s.slice(objStart, objEnd);
  return { range, at: last.index, text };
}

/** A PDF literal string's bytes, escapes resolved. `src` starts after "(". */
function literalString(src: string): Buffer | null {
  const out: number[] = [];
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const n = src[++i];
      if (n === undefined) return null;
      const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in map) out.push(map[n]!);
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(src[i + 1] ?? '')) oct += src[++i];
        out.push(parseInt(oct, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        if (n === '\r' && src[i + 1] === '\n') i++;
      } else out.push(n.charCodeAt(0));
    } else if (ch === '(') {
      depth++;
      out.push(40);
    } else if (ch === ')') {
      if (depth === 0) return Buffer.from(out);
      depth--;
      out.push(41);
    } else out.push(ch.charCodeAt(0) & 0xff);
  }
  return null;
}

/** A text string entry (/Key (...)) of the dictionary: UTF-16BE with a BOM, or PDFDocEncoding (read as Latin-1). */
function textEntry(dict: string, key: string): string | null {
  const m = new RegExp(`/${key}\\s*(?:\\(|<([0-9A-Fa-f\\s]*)>)`).exec(dict);
  if (!m) return null;
  const bytes = m[1] !== undefined ? Buffer.from(m[1].replace(/\s/g, ''), 'hex') : literalString(dict.slice(m.index + m[0].length));
  if (!bytes) return null;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1');
}

/** "D:YYYYMMDDHHmmSSOHH'mm'" → Date (missing parts default as the PDF spec says). */
export function parsePdfDate(v: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(v);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y!, +mo - 1, +d, +h, +mi, +se);
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (+oh * 60 + +om) : 0;
  const t = utc - offset * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

const children = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);
const isCtx = (n: Node, tag: number) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === tag;
const oidOf = (n: Node | undefined) => (n && n.type === asn1.Type.OID && typeof n.value === 'string' ? asn1.derToOid(n.value) : null);
const bytesOf = (n: Node | undefined) => (n && typeof n.value === 'string' ? Buffer.from(n.value, 'binary') : null);
/** INTEGER bytes as unsigned upper-case hex without leading zeros. */
const intHex = (b: Buffer) => b.toString('hex').replace(/^(00)+(?=.)/, '').toUpperCase();

interface Parsed {
  certificates: Buffer[];
  signerSerial: string | null;
  digestHash: string | null;
  signedAttrs: Node | null;
  sigAlg: string | null;
  signature: Buffer | null;
}

function parseCms(contents: Buffer): Parsed | null {
  let root: Node;
  try {
    root = asn1.fromDer(contents.toString('binary'), { parseAllBytes: false, decodeBitStrings: false } as unknown as boolean);
  } catch {
    return null;
  }
  const [type, wrapped] = children(root);
  if (oidOf(type) !== OID.signedData || !wrapped || !isCtx(wrapped, 0)) return null;
  const sd = children(children(wrapped)[0]);
  const certsNode = sd.find((n) => isCtx(n, 0));
  const signerInfos = sd[sd.length - 1];
  const si = children(children(signerInfos)[0]);
  if (si.length < 5) return null;
  const [, sid, digestAlg, ...rest] = si;
  const signedAttrs = rest[0] && isCtx(rest[0], 0) ? rest[0] : null;
  const after = signedAttrs ? rest.slice(1) : rest;
  const sigAlgNode = after[0];
  const sigNode = after[1];
  // sid: IssuerAndSerialNumber (SEQUENCE) or [0] SubjectKeyIdentifier.
  const serialBytes = sid && sid.type === asn1.Type.SEQUENCE && sid.tagClass === asn1.Class.UNIVERSAL ? bytesOf(children(sid)[1]) : null;
  return {
    certificates: children(certsNode).filter((n) => n.type === asn1.Type.SEQUENCE).map(der),
    signerSerial: serialBytes ? intHex(serialBytes) : null,
    digestHash: HASHES[oidOf(children(digestAlg)[0]) ?? ''] ?? null,
    signedAttrs,
    sigAlg: oidOf(children(sigAlgNode)[0]),
    signature: bytesOf(sigNode),
  };
}

function attribute(attrs: Node, type: string): Node | null {
  for (const a of children(attrs)) {
    const [t, values] = children(a);
    if (oidOf(t) === type) return children(values)[0] ?? null;
  }
  return null;
}

function empty(problems: VerifyProblem[], signed: boolean, extra: Partial<VerifyResult> = {}): VerifyResult {
  return {
    signed,
    intact: false,
    signer: null,
    certificate: null,
    signedAt: null,
    certificateValidAtSigning: null,
    knownSigner: false,
    subFilter: null,
    reason: null,
    location: null,
    problems,
    ...extra,
  };
}

export interface VerifyOptions {
  /** Is the certificate (SHA-256 of its DER, hex) a known signing key? */
  isKnown?: (certificateSha256: string) => Promise<boolean> | boolean;
}

export async function verifyPdf(bytes: Uint8Array, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = findSignature(pdf);
  if (!sig) return empty(['no_signature'], false);
  const [a, b, c, d] = sig.range;
  const dictFacts = {
    subFilter: /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(sig.text)?.[1] ?? null,
    reason: textEntry(sig.text, 'Reason'),
    location: textEntry(sig.text, 'Location'),
  };
  const problems: VerifyProblem[] = [];

  // 2. Coverage.
  const gapOk = b > 0 && c > b && c <= pdf.length && pdf[b] === 0x3c /* < */ && pdf[c - 1] === 0x3e; /* > */
  if (a !== 0 || !gapOk || sig.at >= b) return empty(['byte_range_invalid'], true, dictFacts);
  const hex = pdf.subarray(b + 1, c - 1).toString('latin1');
  if (!/^[0-9A-Fa-f\s]*$/.test(hex) || !/\/Contents\s*$/.test(pdf.subarray(Math.max(0, b - 32), b).toString('latin1'))) {
    return empty(['byte_range_invalid'], true, dictFacts);
  }
  if (c + d !== pdf.length) problems.push('not_whole_file');
  const end = Math.min(pdf.length, c + d);

  // 3. The CMS.
  const contents = Buffer.from(hex.replace(/\s/g, ''), 'hex');
  const cms = parseCms(contents);
  if (!cms) return empty([...problems, 'cms_unreadable'], true, dictFacts);
  const candidates = cms.certificates.filter((cert) => {
    try {
      return cms.signerSerial === null || certificateFacts(cert).serial === cms.signerSerial;
    } catch {
      return false;
    }
  });
  if (!candidates.length) return empty([...problems, 'no_signer_certificate'], true, dictFacts);

  const attrs = cms.signedAttrs;
  const md = attrs ? bytesOf(attribute(attrs, OID.messageDigest) ?? undefined) : null;
  const ct = attrs ? oidOf(attribute(attrs, OID.contentType) ?? undefined) : null;
  if (!attrs || !md || ct !== OID.data) problems.push('signed_attributes_missing');
  const alg = SIG_ALGS[cms.sigAlg ?? ''];
  const hash = alg?.hash ?? cms.digestHash;
  if (!cms.digestHash || !alg || !hash || !cms.signature) problems.push('unsupported_algorithm');
  else if (md) {
    const digest = crypto.createHash(cms.digestHash).update(pdf.subarray(a, b)).update(pdf.subarray(c, end)).digest();
    if (!digest.equals(md)) problems.push('digest_mismatch');
  }

  // The signature over the signed attributes, re-encoded as a SET OF (tag 0x31 instead of [0]).
  let signerCert: Buffer | null = null;
  if (attrs && alg && hash && cms.signature) {
    const signedBytes = der(attrs);
    signedBytes[0] = 0x31;
    for (const cert of candidates) {
      try {
        const key = new crypto.X509Certificate(cert).publicKey;
        if (key.asymmetricKeyType !== (alg.kind === 'rsa' ? 'rsa' : 'ec')) continue;
        if (crypto.verify(hash, signedBytes, key, cms.signature)) {
          signerCert = cert;
          break;
        }
      } catch {
        // an unreadable certificate or key cannot be the signer's
      }
    }
    if (!signerCert) problems.push('signature_invalid');
  }
  const cert = signerCert ?? candidates[0]!;
  let facts: CertificateFacts;
  try {
    facts = certificateFacts(cert);
  } catch {
    return empty([...problems, 'no_signer_certificate'], true, dictFacts);
  }

  // signing-certificate-v2, when present, must name this certificate.
  const scv2 = attrs ? attribute(attrs, OID.signingCertificateV2) : null;
  if (scv2) {
    const essCert = children(children(scv2)[0])[0];
    const parts = children(essCert);
    const hasAlg = parts[0]?.type === asn1.Type.SEQUENCE;
    const certHashAlg = hasAlg ? HASHES[oidOf(children(parts[0])[0]) ?? ''] : 'sha256';
    const certHash = bytesOf(hasAlg ? parts[1] : parts[0]);
    if (!certHashAlg || !certHash || !crypto.createHash(certHashAlg).update(cert).digest().equals(certHash)) problems.push('certificate_binding_mismatch');
  }

  const signingTimeNode = attrs ? attribute(attrs, OID.signingTime) : null;
  let signedAt: Date | null = null;
  if (signingTimeNode && typeof signingTimeNode.value === 'string') {
    signedAt = signingTimeNode.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(signingTimeNode.value) : asn1.generalizedTimeToDate(signingTimeNode.value);
  } else {
    const m = /\/M\s*\(/.exec(sig.text);
    const raw = m ? literalString(sig.text.slice(m.index + m[0].length)) : null;
    signedAt = raw ? parsePdfDate(raw.toString('latin1')) : null;
  }

  const knownSigner = opts.isKnown ? await opts.isKnown(facts.sha256) : false;
  return {
    signed: true,
    intact: problems.length === 0,
    signer: { commonName: facts.commonName, organization: facts.organization, serial: facts.serial, subject: facts.subject, issuer: facts.issuer },
    certificate: { notBefore: facts.notBefore.toISOString(), notAfter: facts.notAfter.toISOString(), sha256: facts.sha256 },
    signedAt: signedAt ? signedAt.toISOString() : null,
    certificateValidAtSigning: signedAt ? signedAt >= facts.notBefore && signedAt <= facts.notAfter : null,
    knownSigner,
    ...dictFacts,
    problems,
  };
}
