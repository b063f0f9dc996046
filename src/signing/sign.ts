/**
 * Signing a PDF (PAdES baseline B, SubFilter ETSI.CAdES.detached): @signpdf/placeholder-plain
 * appends an incremental update with the signature dictionary (/Type /Sig, /ByteRange, /Contents
 * placeholder, /Name, /Reason, /Location, /M) and an invisible signature field; @signpdf/signpdf
 * fills the ByteRange and places the CMS made by cms.ts over every byte except /Contents.
 */
import { randomBytes } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { AppContext } from '../platform/context.js';
import { signDetachedCms } from './cms.js';
import { loadSigningKey, type SigningKey } from './keys.js';

export const SIGNING_REASON = 'Kết quả giải quyết thủ tục hành chính';
export const SIGNING_LOCATION = 'Đắk Lắk, Việt Nam';
/** Room for the CMS in /Contents (bytes): certificate chain of a few certificates and the signature. */
const SIGNATURE_LENGTH = 16384;

class CmsSigner extends Signer {
  constructor(private readonly key: Pick<SigningKey, 'certificate' | 'chain' | 'privateKeyPem'>) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return signDetachedCms({ content: pdfBuffer, certificate: this.key.certificate, chain: this.key.chain, privateKeyPem: this.key.privateKeyPem });
  }
}

/**
 * Vietnamese text in the signature dictionary. @signpdf writes non-ASCII strings as UTF-16 and
 * then encodes the dictionary as UTF-8, which garbles them; so each text goes in as an ASCII
 * token exactly as long as its UTF-16BE hex string, and the token "(...)" is then overwritten
 * in place by "<FEFF...>" (same length: no offset in the cross-reference table moves).
 */
class TextStrings {
  private readonly items: Array<{ token: string; hex: string }> = [];

  add(text: string): string {
    if (/^[\x20-\x7e]*$/.test(text) && !/[()\\]/.test(text)) return text;
    const utf16 = Buffer.from(`\ufeff${text.normalize('NFC')}`, 'utf16le').swap16();
    const hex = `<${utf16.toString('hex').toUpperCase()}>`;
    // The token with its parentheses has the hex string's length; random, so unique in the file.
    const token = randomBytes(hex.length).toString('hex').slice(0, hex.length - 2);
    this.items.push({ token, hex });
    return token;
  }

  fill(pdf: Buffer): Buffer {
    for (const { token, hex } of this.items) {
      const at = pdf.lastIndexOf(`(${token})`);
      if (at < 0) throw new Error('signature text placeholder not found');
      pdf.write(hex, at, 'latin1');
    }
    return pdf;
  }
}

export interface SignOptions {
  signingTime: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
}

/** Signs PDF bytes with a key already opened (tests, and signPdf below). */
export async function signPdfWithKey(pdf: Uint8Array, key: Pick<SigningKey, 'certificate' | 'chain' | 'privateKeyPem' | 'facts'>, opts: SignOptions): Promise<Buffer> {
  const texts = new TextStrings();
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf),
    reason: texts.add(opts.reason ?? SIGNING_REASON),
    contactInfo: texts.add(opts.contactInfo ?? ''),
    name: texts.add(key.facts.commonName ?? key.facts.subject),
    location: texts.add(opts.location ?? SIGNING_LOCATION),
    signingTime: opts.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'motcua',
  });
  return new SignPdf().sign(texts.fill(withPlaceholder), new CmsSigner(key), opts.signingTime);
}

/** Signs PDF bytes with the key of a signing unit (generated in demo mode when missing). */
export async function signPdf(ctx: AppContext, pdfBytes: Uint8Array, unitCode: string): Promise<{ pdf: Buffer; key: SigningKey }> {
  const key = await loadSigningKey(ctx, unitCode);
  const pdf = await signPdfWithKey(pdfBytes, key, { signingTime: ctx.now() });
  return { pdf, key };
}
