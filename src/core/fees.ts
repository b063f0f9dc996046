/**
 * Fees and charges (phí, lệ phí) of a procedure case, as data an administrator edits, and the
 * amount due for a dossier. Pure: no I/O. Amounts are whole đồng.
 *
 * - free:      nothing to pay (e.g. birth registration on time, Law on Civil Status Art. 11).
 * - fixed:     one amount per dossier / contract / case, or per copy (multiplied by copies).
 * - per_page:  certified copies (Circular 226/2016/TT-BTC): `rate` per page for pages
 *              1 .. laterFromPage-1, `laterRate` per page from page `laterFromPage` on, at most
 *              `capPerCopy` per copy, times the number of copies.
 */

export type FixedFeeUnit = 'dossier' | 'copy' | 'contract' | 'case';
export const FIXED_FEE_UNITS: readonly FixedFeeUnit[] = ['dossier', 'copy', 'contract', 'case'];

export type FeeRule =
  | { kind: 'free'; note?: string }
  | { kind: 'fixed'; amount: number; unit?: FixedFeeUnit; note?: string }
  | { kind: 'per_page'; rate: number; laterRate: number; laterFromPage: number; capPerCopy: number; note?: string };

export type FeeKind = FeeRule['kind'];
export const FEE_KINDS: readonly FeeKind[] = ['free', 'fixed', 'per_page'];

/** Upper bound of any amount (1 billion đồng): protects against typos, not a legal rule. */
export const MAX_FEE_AMOUNT = 1_000_000_000;
/** Upper bound of pages and copies accepted by computeFee. */
export const MAX_PAGES = 100_000;
export const MAX_COPIES = 10_000;
export const MAX_FEE_NOTE_LENGTH = 500;

export interface FeeRuleProblem {
  reason: string;
  reasonVi: string;
}

const KEYS: Record<FeeKind, readonly string[]> = {
  free: ['kind', 'note'],
  fixed: ['kind', 'amount', 'unit', 'note'],
  per_page: ['kind', 'rate', 'laterRate', 'laterFromPage', 'capPerCopy', 'note'],
};

function isAmount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_FEE_AMOUNT;
}

const amountProblem = (key: string): FeeRuleProblem => ({
  reason: `'${key}' must be a whole number of đồng from 0 to ${MAX_FEE_AMOUNT}`,
  reasonVi: `'${key}' phải là số đồng nguyên từ 0 đến ${MAX_FEE_AMOUNT}`,
});

/**
 * Checks a fee rule given as untrusted data (JSON, a spreadsheet). Returns the rule (a fresh object
 * with only the known keys) or the problem in English and Vietnamese.
 */
export function checkFeeRule(x: unknown): { rule: FeeRule } | { problem: FeeRuleProblem } {
  const fail = (reason: string, reasonVi: string) => ({ problem: { reason, reasonVi } });
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    return fail('a fee rule must be an object with a "kind"', 'quy tắc phí, lệ phí phải là một đối tượng có "kind"');
  }
  const o = x as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== 'string' || !(FEE_KINDS as readonly string[]).includes(kind)) {
    return fail(`"kind" must be one of: ${FEE_KINDS.join(', ')}`, `"kind" phải là một trong: ${FEE_KINDS.join(', ')}`);
  }
  const k = kind as FeeKind;
  const unknown = Object.keys(o).filter((key) => !KEYS[k].includes(key));
  if (unknown.length > 0) {
    return fail(
      `unknown key(s) for a '${k}' fee: ${unknown.join(', ')}`,
      `khóa không được chấp nhận với loại phí '${k}': ${unknown.join(', ')}`,
    );
  }
  let note: string | undefined;
  if (o.note !== undefined) {
    if (typeof o.note !== 'string' || o.note.length > MAX_FEE_NOTE_LENGTH) {
      return fail(
        `'note' must be text of at most ${MAX_FEE_NOTE_LENGTH} characters`,
        `'note' phải là văn bản tối đa ${MAX_FEE_NOTE_LENGTH} ký tự`,
      );
    }
    if (o.note !== '') note = o.note;
  }
  const withNote = <T extends object>(r: T): T => (note === undefined ? r : { ...r, note });
  switch (k) {
    case 'free':
      return { rule: withNote({ kind: 'free' as const }) };
    case 'fixed': {
      if (!isAmount(o.amount)) return { problem: amountProblem('amount') };
      if (o.amount === 0) {
        return fail("a 'fixed' fee of 0 must be written as kind 'free'", "phí cố định bằng 0 phải ghi là loại 'free' (miễn phí)");
      }
      if (o.unit !== undefined && !(FIXED_FEE_UNITS as readonly unknown[]).includes(o.unit)) {
        return fail(`'unit' must be one of: ${FIXED_FEE_UNITS.join(', ')}`, `'unit' phải là một trong: ${FIXED_FEE_UNITS.join(', ')}`);
      }
      const unit = o.unit as FixedFeeUnit | undefined;
      return { rule: withNote({ kind: 'fixed' as const, amount: o.amount, ...(unit ? { unit } : {}) }) };
    }
    case 'per_page': {
      for (const key of ['rate', 'laterRate', 'capPerCopy'] as const) {
        if (!isAmount(o[key])) return { problem: amountProblem(key) };
      }
      const lf = o.laterFromPage;
      if (typeof lf !== 'number' || !Number.isInteger(lf) || lf < 2 || lf > MAX_PAGES) {
        return fail(
          `'laterFromPage' must be a whole page number from 2 to ${MAX_PAGES}`,
          `'laterFromPage' phải là số trang nguyên từ 2 đến ${MAX_PAGES}`,
        );
      }
      const rate = o.rate as number;
      const laterRate = o.laterRate as number;
      const capPerCopy = o.capPerCopy as number;
      if (capPerCopy === 0) {
        return fail("'capPerCopy' must be greater than 0 (use kind 'free' for no fee)", "'capPerCopy' phải lớn hơn 0 (dùng loại 'free' nếu miễn phí)");
      }
      if (rate === 0 && laterRate === 0) {
        return fail("both rates are 0: use kind 'free'", "cả hai mức phí đều bằng 0: hãy dùng loại 'free'");
      }
      return { rule: withNote({ kind: 'per_page' as const, rate, laterRate, laterFromPage: lf, capPerCopy }) };
    }
  }
}

/** The fee rule, or the reason (English) why it is not one. */
export function validateFeeRule(x: unknown): FeeRule | string {
  const r = checkFeeRule(x);
  return 'rule' in r ? r.rule : r.problem.reason;
}

function count(name: string, v: number | undefined, def: number, max: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${name} must be a whole number from 0 to ${max}, got ${String(v)}`);
  }
  return v;
}

/**
 * The amount due in đồng. `pages` (default 1) matters for per_page rules, `copies` (default 1)
 * for per_page rules and fixed fees per copy. Zero pages or copies cost nothing for those rules.
 * Throws RangeError on negative, fractional or absurd counts.
 */
export function computeFee(rule: FeeRule, input: { pages?: number; copies?: number } = {}): number {
  const pages = count('pages', input.pages, 1, MAX_PAGES);
  const copies = count('copies', input.copies, 1, MAX_COPIES);
  switch (rule.kind) {
    case 'free':
      return 0;
    case 'fixed':
      return rule.unit === 'copy' ? rule.amount * copies : rule.amount;
    case 'per_page': {
      const early = Math.min(pages, rule.laterFromPage - 1);
      const later = pages - early;
      const perCopy = Math.min(rule.capPerCopy, early * rule.rate + later * rule.laterRate);
      return perCopy * copies;
    }
  }
}

/** One line describing the rule for a person, Vietnamese then English. */
export function describeFee(rule: FeeRule): { vi: string; en: string } {
  const d = (n: number) => n.toLocaleString('vi-VN');
  switch (rule.kind) {
    case 'free':
      return { vi: 'Miễn phí', en: 'Free' };
    case 'fixed': {
      const unitVi: Record<FixedFeeUnit, string> = { dossier: 'hồ sơ', copy: 'bản', contract: 'hợp đồng', case: 'trường hợp' };
      const u = rule.unit ?? 'dossier';
      return { vi: `${d(rule.amount)} đồng/${unitVi[u]}`, en: `${d(rule.amount)} VND per ${u}` };
    }
    case 'per_page':
      return {
        vi: `${d(rule.rate)} đồng/trang; từ trang thứ ${rule.laterFromPage}: ${d(rule.laterRate)} đồng/trang; tối đa ${d(rule.capPerCopy)} đồng/bản`,
        en: `${d(rule.rate)} VND per page; from page ${rule.laterFromPage}: ${d(rule.laterRate)} VND per page; at most ${d(rule.capPerCopy)} VND per copy`,
      };
  }
}
