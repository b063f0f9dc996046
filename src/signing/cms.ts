/**
 * A detached CMS SignedData (RFC 5652) as PAdES baseline B asks for (ETSI EN 319 142-1,
 * SubFilter ETSI.CAdES.detached): SHA-256 digest, signed attributes content-type,
 * message-digest and signing-certificate-v2 (RFC 5035, binds the signer's certificate), no
 * signing-time attribute (PAdES takes the time from the signature dictionary's /M).
 *
 * Built with node-forge's ASN.1 DER writer; the RSA signature is made by Node's crypto (forge's
 * pkcs7 writer only knows three attributes, not signing-certificate-v2).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
const T = asn1.Type;
const U = asn1.Class.UNIVERSAL;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
} as const;

type Node = forge.asn1.Asn1;

const seq = (items: Node[]) => asn1.create(U, T.SEQUENCE, true, items);
const set = (items: Node[]) => asn1.create(U, T.SET, true, items);
const oid = (o: string) => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
const int = (n: number) => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (b: Buffer) => asn1.create(U, T.OCTETSTRING, false, b.toString('binary'));
const nul = () => asn1.create(U, T.NULL, false, '');
// Bit strings left undecoded, so certificates re-encode to exactly their original bytes.
const fromDer = (b: Buffer) => asn1.fromDer(b.toString('binary'), { decodeBitStrings: false } as unknown as boolean);
export const der = (n: Node) => Buffer.from(asn1.toDer(n).getBytes(), 'binary');

/** A certificate's issuer Name and serialNumber, as the raw ASN.1 nodes of its TBSCertificate. */
function issuerAndSerial(certificate: Buffer): { issuer: Node; serial: Node } {
  const cert = fromDer(certificate);
  const tbs = (cert.value as Node[])[0]!;
  const parts = tbs.value as Node[];
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, ...
  const off = parts[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: parts[off]!, issuer: parts[off + 2]! };
}

/** DER SET OF: the elements sorted by their encodings (X.690 11.6). */
function derSetOf(items: Node[]): Node {
  const sorted = items.map((n) => ({ n, b: der(n) })).sort((a, b) => Buffer.compare(a.b, b.b));
  return set(sorted.map((x) => x.n));
}

export interface CmsSignInput {
  /** The bytes signed (the PDF without the /Contents value). */
  content: Buffer;
  certificate: Buffer;
  chain?: Buffer[];
  privateKeyPem: string;
}

export function signDetachedCms(input: CmsSignInput): Buffer {
  const digest = crypto.createHash('sha256').update(input.content).digest();
  const { issuer, serial } = issuerAndSerial(input.certificate);
  const certHash = crypto.createHash('sha256').update(input.certificate).digest();
  const attr = (type: string, value: Node) => seq([oid(type), set([value])]);
  const attrs = derSetOf([
    attr(OID.contentType, oid(OID.data)),
    attr(OID.messageDigest, octets(digest)),
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the
    // default hash (SHA-256) omitted, the hash and the issuerSerial (GeneralNames [4] directoryName).
    attr(
      OID.signingCertificateV2,
      seq([
        seq([
          seq([
            octets(certHash),
            seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])]), serial]),
          ]),
        ]),
      ]),
    ),
  ]);
  // The signature is over the DER of the attributes as a SET OF (tag 0x31).
  const signature = crypto.sign('sha256', der(attrs), input.privateKeyPem);
  const signedAttrs = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs.value as Node[]);
  const sha256Alg = seq([oid(OID.sha256), nul()]);
  const signerInfo = seq([
    int(1),
    seq([issuer, serial]),
    sha256Alg,
    signedAttrs,
    seq([oid(OID.sha256WithRSA), nul()]),
    octets(signature),
  ]);
  const certs = [input.certificate, ...(input.chain ?? [])].map(fromDer);
  const signedData = seq([
    int(1),
    set([seq([oid(OID.sha256), nul()])]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}
