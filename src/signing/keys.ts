/**
 * Signing keys: one PKCS#12 file (private key + X.509 certificate, with its chain if any) per
 * signing unit, configured by an admin. In demo mode a unit without a key gets a self-signed
 * certificate on first use (RSA 2048, CN = the unit's name, O = "motcua (mô phỏng)", 3 years),
 * stored the same way, so a demo can sign results out of the box; such signatures are simulated.
 *
 * The PKCS#12 is parsed with node-forge (RSA keys); certificates are read with Node's
 * X509Certificate. The passphrase is stored beside the file (see the COMMENT in migration 011:
 * production should supply it from a secret store).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, badRequest, notFound } from '../platform/errors.js';

export interface CertificateFacts {
  subject: string;
  commonName: string | null;
  organization: string | null;
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  sha256: string;
}

export interface SigningKey {
  unitCode: string;
  /** PEM (PKCS#8) of the private key, for crypto.sign. */
  privateKeyPem: string;
  /** The signer's certificate (DER). */
  certificate: Buffer;
  /** Other certificates in the file (issuers), DER. */
  chain: Buffer[];
  facts: CertificateFacts;
}

const toBuf = (binary: string) => Buffer.from(binary, 'binary');
const certDer = (c: forge.pki.Certificate) => toBuf(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes());

/** One attribute of a distinguished name as Node prints it ("CN=...\nO=..."). */
function nameAttr(name: string, key: string): string | null {
  for (const line of name.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && line.slice(0, i) === key) return line.slice(i + 1);
  }
  return null;
}

/** Facts of an X.509 certificate (DER), for display and matching. */
export function certificateFacts(der: Buffer): CertificateFacts {
  const x = new crypto.X509Certificate(der);
  return {
    subject: x.subject.split('\n').join(', '),
    commonName: nameAttr(x.subject, 'CN'),
    organization: nameAttr(x.subject, 'O'),
    issuer: x.issuer.split('\n').join(', '),
    serial: x.serialNumber.toUpperCase(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    sha256: crypto.createHash('sha256').update(der).digest('hex'),
  };
}

const invalidP12 = (en: string, vi: string) => badRequest('invalid_signing_key', en, vi, [{ field: 'p12', message: en, messageVi: vi }]);

/**
 * Opens a PKCS#12 file: the private key, the certificate whose public key matches it, and the
 * other certificates. Throws 400 (bilingual) for a file that does not parse, a wrong passphrase,
 * no key, no matching certificate, or a key type other than RSA.
 */
export function openP12(p12: Buffer, passphrase: string): Omit<SigningKey, 'unitCode'> {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn = forge.asn1.fromDer(p12.toString('binary'));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn, false, passphrase);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/MAC could not be verified|Invalid password/i.test(msg)) {
      throw badRequest('invalid_passphrase', 'The passphrase does not open this PKCS#12 file.', 'Mật khẩu không mở được tệp PKCS#12 này.', [
        { field: 'passphrase', message: 'Wrong passphrase.', messageVi: 'Sai mật khẩu.' },
      ]);
    }
    if (/unsupported|OID/i.test(msg)) throw invalidP12('The PKCS#12 file uses an unsupported algorithm or key type (RSA keys are supported).', 'Tệp PKCS#12 dùng thuật toán hoặc loại khóa chưa hỗ trợ (hỗ trợ khóa RSA).');
    throw invalidP12('The file is not a readable PKCS#12 (.p12/.pfx) file.', 'Tệp không phải tệp PKCS#12 (.p12/.pfx) đọc được.');
  }
  const bagsOf = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(forge.pki.oids.keyBag!)].find((b) => b.key);
  if (!keyBag?.key) throw invalidP12('The PKCS#12 file holds no (RSA) private key.', 'Tệp PKCS#12 không chứa khóa bí mật (RSA).');
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = bagsOf(forge.pki.oids.certBag!)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  if (!certs.length) throw invalidP12('The PKCS#12 file holds no certificate.', 'Tệp PKCS#12 không chứa chứng thư số.');
  const mine = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!mine) throw invalidP12('No certificate in the file matches its private key.', 'Không có chứng thư số nào trong tệp khớp với khóa bí mật.');
  const certificate = certDer(mine);
  return {
    privateKeyPem: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
    certificate,
    chain: certs.filter((c) => c !== mine).map(certDer),
    facts: certificateFacts(certificate),
  };
}

/** A self-signed certificate and its key as a PKCS#12 file (demo mode, and tests). */
export function generateSelfSignedP12(opts: { commonName: string; organization?: string; now: Date; years?: number; passphrase: string }): Buffer {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + crypto.randomBytes(15).toString('hex'); // positive, 16 bytes
  cert.validity.notBefore = new Date(opts.now.getTime() - 60_000);
  const until = new Date(opts.now);
  until.setUTCFullYear(until.getUTCFullYear() + (opts.years ?? 3));
  cert.validity.notAfter = until;
  const utf8 = forge.asn1.Type.UTF8;
  const attrs = [
    { shortName: 'CN', value: opts.commonName.normalize('NFC'), valueTagClass: utf8 },
    { shortName: 'O', value: (opts.organization ?? 'motcua (mô phỏng)').normalize('NFC'), valueTagClass: utf8 },
    { shortName: 'C', value: 'VN' },
  ] as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], opts.passphrase, { algorithm: 'aes256' });
  return toBuf(forge.asn1.toDer(p12).getBytes());
}

/** Checks an uploaded PKCS#12 for use now: it opens and its certificate is valid at `now`. */
export function validateP12(p12: Buffer, passphrase: string, now: Date): Omit<SigningKey, 'unitCode'> {
  const opened = openP12(p12, passphrase);
  if (opened.facts.notAfter.getTime() <= now.getTime()) {
    throw invalidP12(
      `The certificate expired on ${opened.facts.notAfter.toISOString()}.`,
      `Chứng thư số đã hết hạn từ ${opened.facts.notAfter.toISOString()}.`,
    );
  }
  if (opened.facts.notBefore.getTime() > now.getTime()) {
    throw invalidP12(
      `The certificate is not valid before ${opened.facts.notBefore.toISOString()}.`,
      `Chứng thư số chưa có hiệu lực trước ${opened.facts.notBefore.toISOString()}.`,
    );
  }
  return opened;
}

export interface SigningKeyView {
  unitCode: string;
  subject: string;
  commonName: string | null;
  organization: string | null;
  issuer: string;
  serial: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  generated: boolean;
  createdAt: string;
}

async function unitName(ctx: AppContext, unitCode: string): Promise<string> {
  const unit = await ctx.db.selectFrom('units').select(['name']).where('code', '=', unitCode).executeTakeFirst();
  if (!unit) throw notFound('Unit', 'đơn vị', unitCode);
  return unit.name;
}

/** Stores (replaces) the key of a unit after validating it; admin only (checked by the route). */
export async function putSigningKey(ctx: AppContext, actor: Actor, unitCode: string, p12Base64: string, passphrase: string): Promise<SigningKeyView> {
  await unitName(ctx, unitCode);
  const b64 = p12Base64.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw invalidP12('The file must be sent as base64.', 'Tệp phải được gửi ở dạng base64.');
  const p12 = Buffer.from(b64, 'base64');
  const now = ctx.now();
  const opened = validateP12(p12, passphrase, now);
  const f = opened.facts;
  const values = {
    unit_code: unitCode,
    p12,
    passphrase,
    subject: f.subject,
    serial: f.serial,
    certificate_sha256: f.sha256,
    not_before: f.notBefore,
    not_after: f.notAfter,
    generated: false,
    created_at: now,
    created_by: actor.userId || null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('signing_keys')
      .values(values)
      .onConflict((oc) => oc.column('unit_code').doUpdateSet({ ...values, unit_code: undefined }))
      .execute();
    await trx
      .insertInto('audit_log')
      .values({
        actor_id: actor.userId || null,
        action: 'signing.key.put',
        object_type: 'unit',
        object_id: unitCode,
        details: JSON.stringify({ subject: f.subject, serial: f.serial, sha256: f.sha256 }),
      })
      .execute();
  });
  return view(unitCode, f, false, now);
}

function view(unitCode: string, f: CertificateFacts, generated: boolean, createdAt: Date): SigningKeyView {
  return {
    unitCode,
    subject: f.subject,
    commonName: f.commonName,
    organization: f.organization,
    issuer: f.issuer,
    serial: f.serial,
    sha256: f.sha256,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    generated,
    createdAt: createdAt.toISOString(),
  };
}

/** Certificate facts of a unit's key (never the key). 404 when the unit has none. */
export async function getSigningKeyView(ctx: AppContext, unitCode: string): Promise<SigningKeyView> {
  const row = await ctx.db.selectFrom('signing_keys').select(['p12', 'passphrase', 'generated', 'created_at']).where('unit_code', '=', unitCode).executeTakeFirst();
  if (!row) throw notFound('Signing key', 'khóa ký số', unitCode);
  const opened = openP12(Buffer.from(row.p12), row.passphrase);
  return view(unitCode, opened.facts, row.generated, new Date(row.created_at));
}

/**
 * Creates the demo key of a unit (self-signed) unless it has one; safe to race (the first insert
 * wins, the other generated key is dropped).
 */
export async function ensureDemoSigningKey(ctx: AppContext, unitCode: string): Promise<void> {
  const exists = await ctx.db.selectFrom('signing_keys').select('unit_code').where('unit_code', '=', unitCode).executeTakeFirst();
  if (exists) return;
  const name = await unitName(ctx, unitCode);
  const now = ctx.now();
  const passphrase = crypto.randomBytes(18).toString('base64url');
  const p12 = generateSelfSignedP12({ commonName: name, now, passphrase });
  const f = openP12(p12, passphrase).facts;
  await ctx.db
    .insertInto('signing_keys')
    .values({
      unit_code: unitCode,
      p12,
      passphrase,
      subject: f.subject,
      serial: f.serial,
      certificate_sha256: f.sha256,
      not_before: f.notBefore,
      not_after: f.notAfter,
      generated: true,
      created_at: now,
      created_by: null,
    })
    .onConflict((oc) => oc.column('unit_code').doNothing())
    .execute();
}

/**
 * The key a unit signs with. In demo mode a missing key is generated; otherwise a unit without a
 * key cannot sign (409, the admin must upload one).
 */
export async function loadSigningKey(ctx: AppContext, unitCode: string): Promise<SigningKey> {
  let row = await ctx.db.selectFrom('signing_keys').select(['p12', 'passphrase']).where('unit_code', '=', unitCode).executeTakeFirst();
  if (!row && ctx.config.demo) {
    await ensureDemoSigningKey(ctx, unitCode);
    row = await ctx.db.selectFrom('signing_keys').select(['p12', 'passphrase']).where('unit_code', '=', unitCode).executeTakeFirst();
  }
  if (!row) {
    throw new AppError(
      409,
      'no_signing_key',
      `Unit ${unitCode} has no signing key; an administrator must upload its PKCS#12 file.`,
      `Đơn vị ${unitCode} chưa có khóa ký số; quản trị viên cần tải lên tệp PKCS#12 của đơn vị.`,
    );
  }
  return { unitCode, ...openP12(Buffer.from(row.p12), row.passphrase) };
}

/**
 * Is this certificate (SHA-256 of its DER) one of the configured signing keys, or one that signed
 * a result issued here (a unit's key may have been replaced since)?
 */
export async function isKnownCertificate(ctx: AppContext, sha256: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('signing_keys').select('unit_code').where('certificate_sha256', '=', sha256).executeTakeFirst();
  if (row) return true;
  const used = await ctx.db.selectFrom('signed_results').select('id').where('certificate_sha256', '=', sha256).limit(1).executeTakeFirst();
  return !!used;
}
