/**
 * An amount of đồng in Vietnamese words, as written on a receipt ("Số tiền bằng chữ"):
 * 8,000 → "Tám nghìn đồng"; 1,005,000 → "Một triệu không trăm lẻ năm nghìn đồng".
 *
 * Conventions (the usual ones of accounting forms): groups of three digits named nghìn, triệu,
 * tỷ (and nghìn tỷ, triệu tỷ above); a zero group is skipped; a group after the first that has
 * no hundreds says "không trăm"; a zero ten before a unit is "lẻ"; after "mươi" a 1 is "mốt"
 * and a 4 is "bốn" (never "tư", so it reads the same in every region); after a ten a 5 is "lăm".
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const GROUP_NAMES = ['', 'nghìn', 'triệu'] as const;

/** Words of 0 < n < 1000; `full` = not the leading group, so hundreds and "lẻ" are always said. */
function threeDigits(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const w: string[] = [];
  if (h > 0 || full) w.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0 && w.length > 0) w.push('lẻ');
  } else if (t === 1) {
    w.push('mười');
  } else {
    w.push(DIGITS[t]!, 'mươi');
  }
  if (u > 0) {
    if (u === 1 && t >= 2) w.push('mốt');
    else if (u === 5 && t >= 1) w.push('lăm');
    else w.push(DIGITS[u]!);
  }
  return w;
}

/** Words of 0 < n < 1e9. `full`: n is not the leading part of the number. */
function belowBillion(n: number, full: boolean): string[] {
  const groups = [Math.floor(n / 1_000_000), Math.floor(n / 1000) % 1000, n % 1000];
  const w: string[] = [];
  let started = full;
  groups.forEach((g, i) => {
    if (g === 0) return;
    w.push(...threeDigits(g, started));
    const name = GROUP_NAMES[2 - i]!;
    if (name) w.push(name);
    started = true;
  });
  return w;
}

function numberWords(n: number, full: boolean): string[] {
  if (n < 1_000_000_000) return belowBillion(n, full);
  const billions = Math.floor(n / 1_000_000_000);
  const rest = n % 1_000_000_000;
  const w = [...numberWords(billions, full), 'tỷ'];
  if (rest > 0) w.push(...belowBillion(rest, true));
  return w;
}

/** A whole, non-negative number in Vietnamese words (lower case), e.g. 21 → "hai mươi mốt". */
export function numberInWordsVi(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole non-negative number: ${n}`);
  if (n === 0) return DIGITS[0];
  return numberWords(n, false).join(' ');
}

/** "Tám nghìn đồng": the amount in words with a capital first letter, as on a receipt. */
export function amountInWordsVi(amount: number): string {
  const words = `${numberInWordsVi(amount)} đồng`;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
