/**
 * VietQR (NAPAS 247) payloads for a bank transfer: an EMVCo merchant-presented QR string made of
 * tag–length–value fields, ending with a CRC16/CCITT-FALSE checksum over everything before it,
 * "6304" included. Pure: no I/O. Used to show "pay by bank transfer" next to the online payment.
 *
 *   00 payload format indicator "01"
 *   01 point of initiation: "11" static (no amount), "12" dynamic (one transfer, amount set)
 *   38 consumer account information (NAPAS): 00 GUID "A000000727",
 *      01 beneficiary organisation { 00 bank BIN (6 digits), 01 account number }, 02 service "QRIBFTTA"
 *   53 currency "704" (VND)   54 amount (whole đồng)   58 country "VN"
 *   62 additional data: 08 purpose of transaction (the payment reference)
 *   63 CRC (4 upper-case hex digits)
 */

export const NAPAS_GUID = 'A000000727';
/** Transfer to an account (QRIBFTTC would be to a card). */
export const SERVICE_TO_ACCOUNT = 'QRIBFTTA';
export const CURRENCY_VND = '704';
/** Banks accept at most 25 characters of transfer content through the QR purpose field. */
export const MAX_PURPOSE_LENGTH = 25;
/** EMVCo field 54 holds at most 13 characters. */
export const MAX_AMOUNT = 9_999_999_999_999;

export interface VietQrInput {
  bankBin: string;
  accountNumber: string;
  /** Whole đồng; omitted = a static QR where the payer types the amount. */
  amount?: number;
  /** Transfer content, e.g. the payment reference: ASCII letters, digits, space, '-', '.', at most 25 characters. */
  purpose?: string;
}

export interface VietQrParsed {
  payloadFormat: string;
  initiation: 'static' | 'dynamic';
  guid: string;
  bankBin: string;
  accountNumber: string;
  service: string;
  currency: string;
  amount: number | null;
  country: string;
  purpose: string | null;
  crc: string;
}

export class VietQrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VietQrError';
  }
}

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR. */
export function crc16CcittFalse(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

function tlv(tag: string, value: string): string {
  if (value.length > 99) throw new VietQrError(`field ${tag} is longer than 99 characters`);
  return tag + String(value.length).padStart(2, '0') + value;
}

const PURPOSE_PATTERN = /^[A-Za-z0-9 .-]*$/;

/** Why this input cannot make a payload, or null when it can. */
export function vietQrProblem(input: VietQrInput): string | null {
  if (!/^\d{6}$/.test(input.bankBin)) return 'bankBin must be 6 digits';
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.accountNumber)) return 'accountNumber must be 1–19 letters or digits';
  if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > MAX_AMOUNT)) {
    return `amount must be a whole number of đồng from 1 to ${MAX_AMOUNT}`;
  }
  if (input.purpose !== undefined) {
    if (input.purpose.length > MAX_PURPOSE_LENGTH) return `purpose must be at most ${MAX_PURPOSE_LENGTH} characters`;
    if (!PURPOSE_PATTERN.test(input.purpose)) return "purpose may hold only ASCII letters, digits, space, '-' and '.'";
  }
  return null;
}

/** Builds the payload; throws VietQrError when vietQrProblem finds a problem. */
export function buildVietQr(input: VietQrInput): string {
  const problem = vietQrProblem(input);
  if (problem) throw new VietQrError(problem);
  const beneficiary = tlv('00', input.bankBin) + tlv('01', input.accountNumber);
  const account = tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', SERVICE_TO_ACCOUNT);
  let s = tlv('00', '01') + tlv('01', input.amount !== undefined ? '12' : '11') + tlv('38', account) + tlv('53', CURRENCY_VND);
  if (input.amount !== undefined) s += tlv('54', String(input.amount));
  s += tlv('58', 'VN');
  if (input.purpose) s += tlv('62', tlv('08', input.purpose));
  s += '6304';
  return s + hex4(crc16CcittFalse(s));
}

/** Splits a TLV string into its fields, in order; throws on a malformed length. */
export function parseTlv(s: string): Array<{ tag: string; value: string }> {
  const out: Array<{ tag: string; value: string }> = [];
  let i = 0;
  while (i < s.length) {
    const tag = s.slice(i, i + 2);
    const lenText = s.slice(i + 2, i + 4);
    if (!/^\d{2}$/.test(tag) || !/^\d{2}$/.test(lenText)) throw new VietQrError(`malformed field at position ${i}`);
    const len = Number(lenText);
    const value = s.slice(i + 4, i + 4 + len);
    if (value.length !== len) throw new VietQrError(`field ${tag} at position ${i} is cut short`);
    out.push({ tag, value });
    i += 4 + len;
  }
  return out;
}

/** True when the payload ends with "6304" + the CRC of everything up to and including "6304". */
export function vietQrCrcValid(payload: string): boolean {
  if (payload.length < 8 || payload.slice(-8, -4) !== '6304') return false;
  return hex4(crc16CcittFalse(payload.slice(0, -4))) === payload.slice(-4).toUpperCase();
}

/** Reads a payload back (CRC checked); throws VietQrError when it is not a NAPAS transfer QR. */
export function parseVietQr(payload: string): VietQrParsed {
  if (!vietQrCrcValid(payload)) throw new VietQrError('CRC does not match');
  const fields = new Map(parseTlv(payload).map((f) => [f.tag, f.value]));
  const need = (m: Map<string, string>, tag: string, where: string) => {
    const v = m.get(tag);
    if (v === undefined) throw new VietQrError(`missing field ${where}${tag}`);
    return v;
  };
  const account = new Map(parseTlv(need(fields, '38', '')).map((f) => [f.tag, f.value]));
  const beneficiary = new Map(parseTlv(need(account, '01', '38.')).map((f) => [f.tag, f.value]));
  const additional = fields.has('62') ? new Map(parseTlv(fields.get('62')!).map((f) => [f.tag, f.value])) : new Map<string, string>();
  const init = need(fields, '01', '');
  if (init !== '11' && init !== '12') throw new VietQrError(`unknown point of initiation "${init}"`);
  const amountText = fields.get('54');
  if (amountText !== undefined && !/^\d+(\.\d+)?$/.test(amountText)) throw new VietQrError(`amount "${amountText}" is not a number`);
  return {
    payloadFormat: need(fields, '00', ''),
    initiation: init === '12' ? 'dynamic' : 'static',
    guid: need(account, '00', '38.'),
    bankBin: need(beneficiary, '00', '38.01.'),
    accountNumber: need(beneficiary, '01', '38.01.'),
    service: need(account, '02', '38.'),
    currency: need(fields, '53', ''),
    amount: amountText === undefined ? null : Number(amountText),
    country: need(fields, '58', ''),
    purpose: additional.get('08') ?? null,
    crc: need(fields, '63', ''),
  };
}
