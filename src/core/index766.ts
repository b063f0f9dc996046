/**
 * The Decision 766 service index (Quyết định 766/QĐ-TTg, 2022: "Bộ chỉ số chỉ đạo, điều hành và
 * đánh giá chất lượng phục vụ người dân, doanh nghiệp"), as the National Public Service Portal
 * computes it: 100 points in six groups (domain.md §5). Pure: the caller counts dossiers and
 * procedures for one unit and one period (`Index766Facts`); this module turns the counts into
 * scores, with every numerator, denominator, ratio and formula shown so that each number can be
 * explained.
 *
 * ## The sub-indicators
 *
 * R = numerator ÷ denominator × 100 (percent). "Linear" = max × R ÷ 100; "full from T%" =
 * max × min(1, R ÷ T).
 *
 * | id  | max  | numerator ÷ denominator (fact names)                                       | scoring        |
 * |-----|------|----------------------------------------------------------------------------|----------------|
 * | 1.1 | 6    | proceduresAnnouncedOnTime ÷ proceduresInScope                              | linear         |
 * | 1.2 | 4    | proceduresPublishedOnTime ÷ proceduresInScope                              | linear         |
 * | 1.3 | 2    | proceduresPublishedComplete ÷ proceduresInScope                            | linear         |
 * | 1.4 | 6    | dossiersSynced ÷ dossiersReceived                                          | linear         |
 * | 2.1 | 20   | dossiersFinishedOnTime ÷ dossiersReceived                                  | linear         |
 * | 3.1 | 4 *  | proceduresOnline ÷ proceduresInScope                                       | full from 80%  |
 * | 3.2 | 4 *  | onlineDossiers ÷ dossiersReceived                                          | full from 50%  |
 * | 3.3 | 4 *  | fullOnlineDossiers ÷ fullOnlineEligibleDossiers                            | linear         |
 * | 4.1 | 6    | A = dossiersPaidOnline ÷ dossiersWithFee                                   | 6·A            |
 * | 4.2 | 2    | B = proceduresWithOnlinePayment ÷ proceduresWithFee                        | min(2, 2.5·B)  |
 * | 4.3 | 2.5  | C = proceduresWithOnlinePaymentSetUp ÷ proceduresWithFee                   | 2.5·C          |
 * | 5.1 | 6    | paperResultDossiersWithElectronicFile ÷ paperResultDossiers                | linear         |
 * | 5.2 | 4    | dossiersDigitised ÷ dossiersReceived                                       | linear         |
 * | 5.3 | 2    | electronicCopyCertifications ÷ copyCertifications                          | linear         |
 * | 5.4 | 2    | dossiersReusingData ÷ dossiersReceived                                     | full from 80%  |
 * | 5.5 | 4    | dossiersLinkedToPersonalStorage ÷ dossiersFinished                         | linear         |
 * | 5.6 | 2    | dossiersUsingPopulationDb ÷ dossiersReceived                               | linear         |
 * | 5.7 | 2    | proceduresConnectedToPopulationDb ÷ proceduresInScope                      | linear         |
 * | 6.1 | 6    | complaintsHandledOnTime ÷ complaints                                       | linear ‡       |
 * | 6.2 | 6    | complaintHandlingSatisfied ÷ complaintHandlingRatings                      | linear ‡       |
 * | 6.3 | 6    | (satisfactionBase − lateDossiers − dossiersWithComplaintOrDislike) ÷ satisfactionBase | full from 90% |
 *
 * \* Group 3's split of its 12 points is **(verify)** in domain.md: it is configuration
 *   (`Index766Config.group3MaxPoints`), default 4 / 4 / 4 (no item is named as weightier).
 * ‡ With no complaints in the period (`complaints` = 0) 6.1 and 6.2 score full marks, provided
 *   the unit received dossiers (`dossiersReceived` > 0): a unit with no dossiers and no complaints
 *   has nothing to be satisfied with, and scoring it full would put an idle unit at the top of
 *   the ranking, so there both items are N/A ('no_dossiers').
 * 4.2: min(2, 2.5·B) = 2 × min(1, B ÷ 80%), so it is "full from 80%" with max 2.
 * 6.3: R = 100% − (% late + % with a complaint or a "dislike"), at least 0; a dossier both late
 *   and disliked counts twice, as the formula says.
 *
 * 2.1 follows §5 literally (on time ÷ received): a dossier still pending within its limit counts
 *   against the unit until it is settled; the heatmap's on-time rate of settled dossiers shows the
 *   other view.
 *
 * Group maxima: 18, 20, 12, 10, 22, 18 = 100. Group 4's items add up to 10.5 (6 + 2 + 2.5), so
 * the group is capped at 10 (a unit loses nothing for the first half point missed).
 *
 * ## What the caller counts (the facts)
 *
 * Every dossier count is over the same population of dossiers for the unit and period; the
 * monitoring module uses the "received total" of form II.06a (received in the period + carried
 * over) so that the index and the periodic report agree. `dossiersFinishedOnTime` counts early and
 * on-time dossiers by the rule of domain.md §3 (`classifyFinished` in timeliness.ts): a dossier
 * with **more than one supplement request counts as late**, whatever its dates, so it is not in
 * `dossiersFinishedOnTime` and it is in `lateDossiers`. The facts carry that already counted.
 *
 * ## Not applicable (N/A)
 *
 * An item is N/A when its denominator is 0 (nothing to measure) or when it does not apply to the
 * kind of unit (`Index766Config.notApplicable`). Default for communes and wards
 * (`COMMUNE_LEVEL_NOT_APPLICABLE`): 1.1, 1.2, 1.3, 3.1 and 5.7. Announcing procedures, publishing
 * them in the national database, choosing which are offered online and connecting them to the
 * population database are acts of the province (its chairman announces every procedure carried
 * out in the province, commune-level ones included; the provincial system is what connects): a
 * commune cannot change them, and they would be the same figure for all 102 communes. This list is
 * **(verify)** against the national portal, hence configuration.
 *
 * How N/A affects the totals (chosen for fair ranking, so that a unit is neither punished nor
 * rewarded for what it cannot be measured on, and the national weights of the groups hold):
 * - group: `points` = sum of the applicable items' points, out of `maxPoints` = the sum of their
 *   maxima (at most the group's maximum, for group 4's cap); `score` = points ÷ maxPoints × the
 *   group's nominal maximum, i.e. the N/A items' weight is spread over the group's other items.
 *   A group with no applicable item is N/A.
 * - total: `points` = sum of the applicable groups' scores, out of `maxPoints` = the sum of their
 *   nominal maxima (100 when every group applies); `score` = points ÷ maxPoints × 100. So a unit
 *   with no fee at all (group 4 N/A) is scored out of 90 and rescaled to 100.
 * Example: a commune (1.1–1.3 N/A) with 95% synced has group 1 = 6 × 95% = 5.7 of 6 → 17.1 of 18.
 *
 * ## Rounding
 *
 * Every figure is computed exactly (fractions of integers, no intermediate rounding) and only the
 * figures shown are rounded, to 2 decimals, half away from zero (1.005 → 1.01, −1.005 → −1.01).
 * So the total is rounded from the exact sum of the group scores and may differ from the sum of
 * the rounded group scores by at most 0.03. Grades and ranks use the rounded total, the figure
 * people read: two units shown with the same score share a rank.
 * For speed (a heatmap scores every unit) `computeIndex766` first computes with doubles and redoes
 * the unit with fractions whenever a figure lies within 1e-6 of a rounding boundary, so its
 * figures always equal the exact values rounded (property-tested against computeIndex766Exact).
 */

export interface Bilingual {
  vi: string;
  en: string;
}

// ---------------------------------------------------------------------------------------------
// Exact fractions

/** An exact rational number, `den` > 0, in lowest terms. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

function frac(num: bigint, den: bigint = 1n): Fraction {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

const ZERO = frac(0n);
const add = (a: Fraction, b: Fraction) => frac(a.num * b.den + b.num * a.den, a.den * b.den);
const mul = (a: Fraction, b: Fraction) => frac(a.num * b.num, a.den * b.den);
const div = (a: Fraction, b: Fraction) => frac(a.num * b.den, a.den * b.num);
const cmp = (a: Fraction, b: Fraction) => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
const fmin = (a: Fraction, b: Fraction) => (cmp(a, b) <= 0 ? a : b);
const fint = (n: number) => frac(BigInt(n));

/** A decimal with at most 4 decimals (configuration values such as 2.5) as an exact fraction. */
export function fractionFromDecimal(x: number): Fraction {
  const scaled = Math.round(x * 10_000);
  if (!Number.isFinite(x) || Math.abs(scaled / 10_000 - x) > 1e-9) throw new RangeError(`${x} is not a decimal with at most 4 decimals`);
  return frac(BigInt(scaled), 10_000n);
}

/** Rounds half away from zero to `decimals` places: 1.005 → 1.01, −1.005 → −1.01, 1.0049 → 1. */
export function roundFraction(f: Fraction, decimals = 2): number {
  const scale = 10n ** BigInt(decimals);
  const negative = f.num < 0n;
  const scaled = (negative ? -f.num : f.num) * scale;
  let q = scaled / f.den;
  if (2n * (scaled % f.den) >= f.den) q += 1n;
  if (q === 0n) return 0;
  const value = Number(q) / Number(scale);
  return negative ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Facts

/**
 * Counts for one unit and one period. Whole numbers ≥ 0; a numerator never exceeds its
 * denominator (checkIndex766Facts). Comments name the sub-indicators that use each count.
 */
export interface Index766Facts {
  /** Procedures the unit carries out (1.1, 1.2, 1.3, 3.1, 5.7). */
  proceduresInScope: number;
  /** 1.1: announced (công bố) on time. */
  proceduresAnnouncedOnTime: number;
  /** 1.2: published (công khai) on time in the national database of procedures. */
  proceduresPublishedOnTime: number;
  /** 1.3: published with all mandatory components. */
  proceduresPublishedComplete: number;
  /** Dossiers of the period: II.06a's received total (1.4, 2.1, 3.2, 5.2, 5.4, 5.6). */
  dossiersReceived: number;
  /** 1.4: synced to the National Public Service Portal. */
  dossiersSynced: number;
  /** 2.1: finished early or on time (more than one supplement request → late, not counted). */
  dossiersFinishedOnTime: number;
  /** 3.1: procedures offered as an online public service (partial or full). */
  proceduresOnline: number;
  /** 3.2: dossiers submitted online. */
  onlineDossiers: number;
  /** 3.3 denominator: dossiers of procedures eligible for full online. */
  fullOnlineEligibleDossiers: number;
  /** 3.3: of those, dossiers done fully online (toàn trình). */
  fullOnlineDossiers: number;
  /** 4.1 denominator: dossiers with a fee or charge. */
  dossiersWithFee: number;
  /** 4.1 (A): of those, paid online. */
  dossiersPaidOnline: number;
  /** 4.2, 4.3 denominator: procedures with a fee or charge. */
  proceduresWithFee: number;
  /** 4.2 (B): of those, procedures with at least one dossier paid online in the period. */
  proceduresWithOnlinePayment: number;
  /** 4.3 (C): of those, procedures whose fees are set up for online payment. */
  proceduresWithOnlinePaymentSetUp: number;
  /** 5.1 denominator: finished dossiers whose result is a paper document. */
  paperResultDossiers: number;
  /** 5.1: of those, with an electronic result file issued as well. */
  paperResultDossiersWithElectronicFile: number;
  /** 5.2: dossiers whose components were digitised. */
  dossiersDigitised: number;
  /** 5.3 denominator: copy certifications (chứng thực bản sao từ bản chính) done. */
  copyCertifications: number;
  /** 5.3: of those, issued as an electronic certified copy. */
  electronicCopyCertifications: number;
  /** 5.4: dossiers reusing already digitised data instead of new paper. */
  dossiersReusingData: number;
  /** 5.5 denominator: dossiers finished in the period. */
  dossiersFinished: number;
  /** 5.5: of those, with the result linked to the applicant's personal electronic storage. */
  dossiersLinkedToPersonalStorage: number;
  /** 5.6: dossiers that used the national population database. */
  dossiersUsingPopulationDb: number;
  /** 5.7: procedures connected to the national population database. */
  proceduresConnectedToPopulationDb: number;
  /** 6.1 denominator: complaints (phản ánh, kiến nghị) due in the period. */
  complaints: number;
  /** 6.1: of those, handled within 15 working days. */
  complaintsHandledOnTime: number;
  /** 6.2 denominator: ratings of how a complaint was handled. */
  complaintHandlingRatings: number;
  /** 6.2: of those, satisfied. */
  complaintHandlingSatisfied: number;
  /** 6.3 denominator: dossiers considered for satisfaction (those settled in the period). */
  satisfactionBase: number;
  /** 6.3: of those, late (more than one supplement request included). */
  lateDossiers: number;
  /** 6.3: of those, with a complaint or a "dislike" rating. */
  dossiersWithComplaintOrDislike: number;
}

export type Index766FactKey = keyof Index766Facts;

/** What each count is, for drill-down pages and error messages. */
export const INDEX766_FACT_NAMES: Record<Index766FactKey, Bilingual> = {
  proceduresInScope: { vi: 'Số TTHC thuộc phạm vi', en: 'Procedures in scope' },
  proceduresAnnouncedOnTime: { vi: 'Số TTHC công bố đúng hạn', en: 'Procedures announced on time' },
  proceduresPublishedOnTime: { vi: 'Số TTHC công khai đúng hạn', en: 'Procedures published on time' },
  proceduresPublishedComplete: { vi: 'Số TTHC công khai đầy đủ thành phần bắt buộc', en: 'Procedures published with all mandatory components' },
  dossiersReceived: { vi: 'Số hồ sơ tiếp nhận', en: 'Dossiers received' },
  dossiersSynced: { vi: 'Số hồ sơ đồng bộ lên Cổng DVC quốc gia', en: 'Dossiers synced to the national portal' },
  dossiersFinishedOnTime: { vi: 'Số hồ sơ giải quyết trước hạn và đúng hạn', en: 'Dossiers settled early or on time' },
  proceduresOnline: { vi: 'Số TTHC cung cấp dịch vụ công trực tuyến', en: 'Procedures offered online' },
  onlineDossiers: { vi: 'Số hồ sơ trực tuyến', en: 'Online dossiers' },
  fullOnlineEligibleDossiers: { vi: 'Số hồ sơ của TTHC đủ điều kiện trực tuyến toàn trình', en: 'Dossiers of procedures eligible for full online' },
  fullOnlineDossiers: { vi: 'Số hồ sơ trực tuyến toàn trình', en: 'Full-online dossiers' },
  dossiersWithFee: { vi: 'Số hồ sơ có phí, lệ phí', en: 'Dossiers with a fee' },
  dossiersPaidOnline: { vi: 'Số hồ sơ thanh toán trực tuyến', en: 'Dossiers paid online' },
  proceduresWithFee: { vi: 'Số TTHC có phí, lệ phí', en: 'Procedures with fees' },
  proceduresWithOnlinePayment: { vi: 'Số TTHC có phát sinh thanh toán trực tuyến', en: 'Procedures with at least one online payment' },
  proceduresWithOnlinePaymentSetUp: { vi: 'Số TTHC đã cấu hình thanh toán trực tuyến', en: 'Procedures set up for online payment' },
  paperResultDossiers: { vi: 'Số hồ sơ có kết quả là bản giấy', en: 'Dossiers whose result is a paper document' },
  paperResultDossiersWithElectronicFile: { vi: 'Số hồ sơ kết quả giấy có cấp kết quả điện tử', en: 'Of those, with an electronic result file' },
  dossiersDigitised: { vi: 'Số hồ sơ được số hóa', en: 'Dossiers digitised' },
  copyCertifications: { vi: 'Số việc chứng thực bản sao từ bản chính', en: 'Copy certifications' },
  electronicCopyCertifications: { vi: 'Số việc chứng thực bản sao điện tử', en: 'Electronic copy certifications' },
  dossiersReusingData: { vi: 'Số hồ sơ tái sử dụng dữ liệu số hóa', en: 'Dossiers reusing digitised data' },
  dossiersFinished: { vi: 'Số hồ sơ đã giải quyết', en: 'Dossiers settled' },
  dossiersLinkedToPersonalStorage: { vi: 'Số hồ sơ có kết quả đồng bộ vào kho dữ liệu cá nhân', en: "Dossiers linked to the applicant's personal storage" },
  dossiersUsingPopulationDb: { vi: 'Số hồ sơ khai thác CSDL quốc gia về dân cư', en: 'Dossiers using the national population database' },
  proceduresConnectedToPopulationDb: { vi: 'Số TTHC kết nối CSDL quốc gia về dân cư', en: 'Procedures connected to the national population database' },
  complaints: { vi: 'Số phản ánh, kiến nghị', en: 'Complaints' },
  complaintsHandledOnTime: { vi: 'Số phản ánh, kiến nghị xử lý đúng hạn', en: 'Complaints handled on time' },
  complaintHandlingRatings: { vi: 'Số đánh giá việc xử lý phản ánh, kiến nghị', en: 'Ratings of complaint handling' },
  complaintHandlingSatisfied: { vi: 'Số đánh giá hài lòng với việc xử lý', en: 'Satisfied with complaint handling' },
  satisfactionBase: { vi: 'Số hồ sơ xét mức độ hài lòng', en: 'Dossiers considered for satisfaction' },
  lateDossiers: { vi: 'Số hồ sơ trễ hạn', en: 'Late dossiers' },
  dossiersWithComplaintOrDislike: { vi: 'Số hồ sơ có phản ánh hoặc đánh giá không hài lòng', en: 'Dossiers with a complaint or a dislike' },
};

export const INDEX766_FACT_KEYS = Object.keys(INDEX766_FACT_NAMES) as Index766FactKey[];

// ---------------------------------------------------------------------------------------------
// Definitions

export type Index766GroupNo = 1 | 2 | 3 | 4 | 5 | 6;
export const INDEX766_GROUP_NOS: readonly Index766GroupNo[] = [1, 2, 3, 4, 5, 6];

export const INDEX766_GROUPS: Record<Index766GroupNo, { name: Bilingual; maxPoints: number }> = {
  1: { name: { vi: 'Công khai, minh bạch', en: 'Transparency' }, maxPoints: 18 },
  2: { name: { vi: 'Tiến độ giải quyết', en: 'Progress of settlement' }, maxPoints: 20 },
  3: { name: { vi: 'Dịch vụ công trực tuyến', en: 'Online public services' }, maxPoints: 12 },
  4: { name: { vi: 'Thanh toán trực tuyến', en: 'Online payment' }, maxPoints: 10 },
  5: { name: { vi: 'Số hóa hồ sơ', en: 'Digitisation of dossiers' }, maxPoints: 22 },
  6: { name: { vi: 'Mức độ hài lòng', en: 'Satisfaction' }, maxPoints: 18 },
};

export const SUB_INDICATOR_IDS = [
  '1.1', '1.2', '1.3', '1.4', '2.1', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3',
  '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.7', '6.1', '6.2', '6.3',
] as const;
export type SubIndicatorId = (typeof SUB_INDICATOR_IDS)[number];
type Group3Id = '3.1' | '3.2' | '3.3';

export interface SubIndicatorDefinition {
  id: SubIndicatorId;
  group: Index766GroupNo;
  name: Bilingual;
  /** The counted fact, or (6.3) the facts subtracted from the denominator. */
  numerator: { fact: Index766FactKey } | { shortfallOf: readonly Index766FactKey[] };
  denominator: Index766FactKey;
  /** Maximum points; group 3's come from `Index766Config.group3MaxPoints`. */
  maxPoints: number | 'config';
  /** Full marks from this ratio R (percent); 100 = linear. */
  fullFromPercent: number;
  /** 6.1, 6.2: full marks when the unit had no complaints in the period (but had dossiers). */
  fullWhenNoComplaints: boolean;
  formula: Bilingual;
}

const def = (
  id: SubIndicatorId,
  name: Bilingual,
  numerator: SubIndicatorDefinition['numerator'],
  denominator: Index766FactKey,
  maxPoints: number | 'config',
  fullFromPercent: number,
  formula: Bilingual,
  fullWhenNoComplaints = false,
): SubIndicatorDefinition => ({ id, group: Number(id[0]) as Index766GroupNo, name, numerator, denominator, maxPoints, fullFromPercent, fullWhenNoComplaints, formula });

const NO_COMPLAINTS: Bilingual = { vi: '; không có phản ánh, kiến nghị trong kỳ → 6', en: '; no complaints in the period → 6' };

export const SUB_INDICATORS: readonly SubIndicatorDefinition[] = [
  def('1.1', { vi: 'Công bố TTHC đúng hạn', en: 'Procedures announced on time' }, { fact: 'proceduresAnnouncedOnTime' }, 'proceduresInScope', 6, 100, {
    vi: '6 × R ÷ 100; R = số TTHC công bố đúng hạn ÷ số TTHC thuộc phạm vi × 100%',
    en: '6 × R ÷ 100; R = procedures announced on time ÷ procedures in scope × 100%',
  }),
  def('1.2', { vi: 'Công khai TTHC đúng hạn trên CSDL quốc gia về TTHC', en: 'Procedures published on time in the national database' }, { fact: 'proceduresPublishedOnTime' }, 'proceduresInScope', 4, 100, {
    vi: '4 × R ÷ 100; R = số TTHC công khai đúng hạn ÷ số TTHC thuộc phạm vi × 100%',
    en: '4 × R ÷ 100; R = procedures published on time ÷ procedures in scope × 100%',
  }),
  def('1.3', { vi: 'Công khai đầy đủ thành phần bắt buộc của TTHC', en: 'Procedures published with all mandatory components' }, { fact: 'proceduresPublishedComplete' }, 'proceduresInScope', 2, 100, {
    vi: '2 × R ÷ 100; R = số TTHC công khai đầy đủ ÷ số TTHC thuộc phạm vi × 100%',
    en: '2 × R ÷ 100; R = procedures published in full ÷ procedures in scope × 100%',
  }),
  def('1.4', { vi: 'Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia', en: 'Dossiers synced to the National Public Service Portal' }, { fact: 'dossiersSynced' }, 'dossiersReceived', 6, 100, {
    vi: '6 × R ÷ 100; R = số hồ sơ đồng bộ ÷ số hồ sơ tiếp nhận × 100%',
    en: '6 × R ÷ 100; R = dossiers synced ÷ dossiers received × 100%',
  }),
  def('2.1', { vi: 'Hồ sơ giải quyết đúng hạn', en: 'Dossiers settled on time' }, { fact: 'dossiersFinishedOnTime' }, 'dossiersReceived', 20, 100, {
    vi: '20 × R ÷ 100; R = số hồ sơ giải quyết trước hạn và đúng hạn ÷ số hồ sơ tiếp nhận × 100%',
    en: '20 × R ÷ 100; R = dossiers settled early or on time ÷ dossiers received × 100%',
  }),
  def('3.1', { vi: 'TTHC cung cấp dịch vụ công trực tuyến', en: 'Procedures offered online' }, { fact: 'proceduresOnline' }, 'proceduresInScope', 'config', 80, {
    vi: 'điểm tối đa × min(1; R ÷ 80); R = số TTHC cung cấp DVC trực tuyến ÷ số TTHC thuộc phạm vi × 100%',
    en: 'max × min(1; R ÷ 80); R = procedures offered online ÷ procedures in scope × 100%',
  }),
  def('3.2', { vi: 'Hồ sơ trực tuyến', en: 'Online dossiers' }, { fact: 'onlineDossiers' }, 'dossiersReceived', 'config', 50, {
    vi: 'điểm tối đa × min(1; R ÷ 50); R = số hồ sơ trực tuyến ÷ số hồ sơ tiếp nhận × 100%',
    en: 'max × min(1; R ÷ 50); R = online dossiers ÷ dossiers received × 100%',
  }),
  def('3.3', { vi: 'Hồ sơ trực tuyến toàn trình', en: 'Full-online dossiers' }, { fact: 'fullOnlineDossiers' }, 'fullOnlineEligibleDossiers', 'config', 100, {
    vi: 'điểm tối đa × R ÷ 100; R = số hồ sơ trực tuyến toàn trình ÷ số hồ sơ của TTHC đủ điều kiện toàn trình × 100%',
    en: 'max × R ÷ 100; R = full-online dossiers ÷ dossiers of procedures eligible for full online × 100%',
  }),
  def('4.1', { vi: 'Hồ sơ thanh toán trực tuyến (A)', en: 'Dossiers paid online (A)' }, { fact: 'dossiersPaidOnline' }, 'dossiersWithFee', 6, 100, {
    vi: '6 × A; A = số hồ sơ thanh toán trực tuyến ÷ số hồ sơ có phí, lệ phí',
    en: '6 × A; A = dossiers paid online ÷ dossiers with a fee',
  }),
  def('4.2', { vi: 'TTHC có phát sinh thanh toán trực tuyến (B)', en: 'Procedures with an online payment (B)' }, { fact: 'proceduresWithOnlinePayment' }, 'proceduresWithFee', 2, 80, {
    vi: 'min(2; 2,5 × B); B = số TTHC có ít nhất 1 hồ sơ thanh toán trực tuyến ÷ số TTHC có phí, lệ phí',
    en: 'min(2; 2.5 × B); B = procedures with at least 1 online payment ÷ procedures with fees',
  }),
  def('4.3', { vi: 'TTHC đã cấu hình thanh toán trực tuyến (C)', en: 'Procedures set up for online payment (C)' }, { fact: 'proceduresWithOnlinePaymentSetUp' }, 'proceduresWithFee', 2.5, 100, {
    vi: '2,5 × C; C = số TTHC đã cấu hình thanh toán trực tuyến ÷ số TTHC có phí, lệ phí',
    en: '2.5 × C; C = procedures set up for online payment ÷ procedures with fees',
  }),
  def('5.1', { vi: 'Cấp kết quả điện tử khi kết quả là bản giấy', en: 'Electronic results where the result is a paper document' }, { fact: 'paperResultDossiersWithElectronicFile' }, 'paperResultDossiers', 6, 100, {
    vi: '6 × R ÷ 100; R = số hồ sơ kết quả giấy có cấp kết quả điện tử ÷ số hồ sơ có kết quả là bản giấy × 100%',
    en: '6 × R ÷ 100; R = paper-result dossiers with an electronic result file ÷ dossiers whose result is paper × 100%',
  }),
  def('5.2', { vi: 'Hồ sơ được số hóa', en: 'Dossiers digitised' }, { fact: 'dossiersDigitised' }, 'dossiersReceived', 4, 100, {
    vi: '4 × R ÷ 100; R = số hồ sơ được số hóa ÷ số hồ sơ tiếp nhận × 100%',
    en: '4 × R ÷ 100; R = dossiers digitised ÷ dossiers received × 100%',
  }),
  def('5.3', { vi: 'Chứng thực bản sao điện tử từ bản chính', en: 'Electronic certified copies' }, { fact: 'electronicCopyCertifications' }, 'copyCertifications', 2, 100, {
    vi: '2 × R ÷ 100; R = số việc chứng thực bản sao điện tử ÷ số việc chứng thực bản sao × 100%',
    en: '2 × R ÷ 100; R = electronic copy certifications ÷ copy certifications × 100%',
  }),
  def('5.4', { vi: 'Hồ sơ tái sử dụng dữ liệu số hóa', en: 'Dossiers reusing digitised data' }, { fact: 'dossiersReusingData' }, 'dossiersReceived', 2, 80, {
    vi: '2 × min(1; R ÷ 80); R = số hồ sơ tái sử dụng dữ liệu số hóa ÷ số hồ sơ tiếp nhận × 100%',
    en: '2 × min(1; R ÷ 80); R = dossiers reusing digitised data ÷ dossiers received × 100%',
  }),
  def('5.5', { vi: 'Kết quả đồng bộ vào kho dữ liệu cá nhân', en: "Results linked to the applicant's personal storage" }, { fact: 'dossiersLinkedToPersonalStorage' }, 'dossiersFinished', 4, 100, {
    vi: '4 × R ÷ 100; R = số hồ sơ có kết quả đồng bộ vào kho dữ liệu cá nhân ÷ số hồ sơ đã giải quyết × 100%',
    en: "4 × R ÷ 100; R = dossiers linked to the applicant's storage ÷ dossiers settled × 100%",
  }),
  def('5.6', { vi: 'Hồ sơ khai thác CSDL quốc gia về dân cư', en: 'Dossiers using the national population database' }, { fact: 'dossiersUsingPopulationDb' }, 'dossiersReceived', 2, 100, {
    vi: '2 × R ÷ 100; R = số hồ sơ khai thác CSDL dân cư ÷ số hồ sơ tiếp nhận × 100%',
    en: '2 × R ÷ 100; R = dossiers using the population database ÷ dossiers received × 100%',
  }),
  def('5.7', { vi: 'TTHC kết nối CSDL quốc gia về dân cư', en: 'Procedures connected to the national population database' }, { fact: 'proceduresConnectedToPopulationDb' }, 'proceduresInScope', 2, 100, {
    vi: '2 × R ÷ 100; R = số TTHC kết nối CSDL dân cư ÷ số TTHC thuộc phạm vi × 100%',
    en: '2 × R ÷ 100; R = procedures connected to the population database ÷ procedures in scope × 100%',
  }),
  def('6.1', { vi: 'Phản ánh, kiến nghị xử lý đúng hạn (15 ngày làm việc)', en: 'Complaints handled on time (15 working days)' }, { fact: 'complaintsHandledOnTime' }, 'complaints', 6, 100, {
    vi: '6 × R ÷ 100; R = số phản ánh, kiến nghị xử lý đúng hạn ÷ số phản ánh, kiến nghị × 100%' + NO_COMPLAINTS.vi,
    en: '6 × R ÷ 100; R = complaints handled on time ÷ complaints × 100%' + NO_COMPLAINTS.en,
  }, true),
  def('6.2', { vi: 'Hài lòng với việc xử lý phản ánh, kiến nghị', en: 'Satisfaction with complaint handling' }, { fact: 'complaintHandlingSatisfied' }, 'complaintHandlingRatings', 6, 100, {
    vi: '6 × R ÷ 100; R = số đánh giá hài lòng ÷ số đánh giá việc xử lý × 100%' + NO_COMPLAINTS.vi,
    en: '6 × R ÷ 100; R = satisfied ratings ÷ ratings of complaint handling × 100%' + NO_COMPLAINTS.en,
  }, true),
  def('6.3', { vi: 'Mức độ hài lòng khi thực hiện TTHC', en: 'Satisfaction with procedures' }, { shortfallOf: ['lateDossiers', 'dossiersWithComplaintOrDislike'] }, 'satisfactionBase', 6, 90, {
    vi: '6 × min(1; R ÷ 90); R = 100% − (% hồ sơ trễ hạn + % hồ sơ có phản ánh hoặc không hài lòng), tối thiểu 0',
    en: '6 × min(1; R ÷ 90); R = 100% − (% late + % with a complaint or a dislike), at least 0',
  }),
];

// ---------------------------------------------------------------------------------------------
// Configuration

/** Unit kinds as stored (units.kind), without the desk. */
export type IndexUnitKind = 'nation' | 'province' | 'department' | 'ward' | 'commune';
export const INDEX_UNIT_KINDS: readonly IndexUnitKind[] = ['nation', 'province', 'department', 'ward', 'commune'];

export type GradeId = 'xuat_sac' | 'tot' | 'kha' | 'trung_binh' | 'yeu';
export const GRADE_IDS: readonly GradeId[] = ['xuat_sac', 'tot', 'kha', 'trung_binh', 'yeu'];
export const GRADE_NAMES: Record<GradeId, Bilingual> = {
  xuat_sac: { vi: 'Xuất sắc', en: 'Excellent' },
  tot: { vi: 'Tốt', en: 'Good' },
  kha: { vi: 'Khá', en: 'Fair' },
  trung_binh: { vi: 'Trung bình', en: 'Average' },
  yeu: { vi: 'Yếu', en: 'Weak' },
};

/** A total score at or above `minScore` (and below the band above) earns `grade`. */
export interface GradeBand {
  grade: GradeId;
  minScore: number;
}

export interface Index766Config {
  /** Group 3's 12 points over its three items, (verify) in domain.md: each > 0, summing to 12. */
  group3MaxPoints: Record<Group3Id, number>;
  /** Items that do not apply to a kind of unit. */
  notApplicable: Record<IndexUnitKind, readonly SubIndicatorId[]>;
  /** The five grades, best first, `minScore` strictly decreasing, the last at 0. */
  gradeBands: readonly GradeBand[];
  /**
   * Items whose facts the system computing the index does not hold (N/A, 'not_tracked'): not an
   * admin's setting, a statement of what the data can show (see MOTCUA_NOT_TRACKED).
   */
  notTracked?: readonly SubIndicatorId[];
}

/** Acts of the province that a commune or ward cannot change (module comment). (verify) */
export const COMMUNE_LEVEL_NOT_APPLICABLE: readonly SubIndicatorId[] = ['1.1', '1.2', '1.3', '3.1', '5.7'];

/**
 * Default grade bands. No official bands exist (domain.md §5); these follow the usual
 * Vietnamese 100-point scales: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu below.
 * (Đắk Lắk's 83.19–84.05 in 2025 is "Tốt".)
 */
export const DEFAULT_GRADE_BANDS: readonly GradeBand[] = [
  { grade: 'xuat_sac', minScore: 90 },
  { grade: 'tot', minScore: 80 },
  { grade: 'kha', minScore: 70 },
  { grade: 'trung_binh', minScore: 50 },
  { grade: 'yeu', minScore: 0 },
];

export const DEFAULT_INDEX766_CONFIG: Index766Config = {
  group3MaxPoints: { '3.1': 4, '3.2': 4, '3.3': 4 },
  notApplicable: { nation: [], province: [], department: [], ward: COMMUNE_LEVEL_NOT_APPLICABLE, commune: COMMUNE_LEVEL_NOT_APPLICABLE },
  gradeBands: DEFAULT_GRADE_BANDS,
};

/**
 * The items motcua cannot compute from its own data (each needs a national system it is not
 * connected to): announcement and publication of procedures in the national database (1.1–1.3),
 * synchronisation with the National Public Service Portal (1.4), electronic certified copies
 * (5.3, the national e-certification system), the applicant's personal storage (5.5) and the
 * national population database (5.6, 5.7). They are N/A ('not_tracked') rather than 0, and the
 * group scores spread over the items that are known, as for any N/A item.
 */
export const MOTCUA_NOT_TRACKED: readonly SubIndicatorId[] = ['1.1', '1.2', '1.3', '1.4', '5.3', '5.5', '5.6', '5.7'];

export interface Index766Problem {
  field: string;
  reason: string;
  reasonVi: string;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks a configuration given as untrusted data (an admin's edit). Returns a fresh config, or
 * the problems in English and Vietnamese.
 */
export function checkIndex766Config(x: unknown): { config: Index766Config } | { problems: Index766Problem[] } {
  const problems: Index766Problem[] = [];
  const fail = (field: string, reason: string, reasonVi: string) => problems.push({ field, reason, reasonVi });
  if (!isPlainObject(x)) {
    fail('', 'the index configuration must be an object', 'cấu hình chỉ số phải là một đối tượng');
    return { problems };
  }
  for (const key of Object.keys(x)) {
    if (!['group3MaxPoints', 'notApplicable', 'gradeBands'].includes(key)) fail(key, `unknown key '${key}'`, `khóa '${key}' không được chấp nhận`);
  }

  const g3 = x.group3MaxPoints;
  const group3MaxPoints: Record<Group3Id, number> = { '3.1': 0, '3.2': 0, '3.3': 0 };
  if (!isPlainObject(g3) || Object.keys(g3).sort().join(',') !== '3.1,3.2,3.3') {
    fail('group3MaxPoints', "'group3MaxPoints' must give points for exactly '3.1', '3.2' and '3.3'", "'group3MaxPoints' phải cho điểm của đúng '3.1', '3.2' và '3.3'");
  } else {
    let total = ZERO;
    let allValid = true;
    for (const id of ['3.1', '3.2', '3.3'] as const) {
      const v = g3[id];
      let f: Fraction | null = null;
      try {
        if (typeof v === 'number' && v > 0) f = fractionFromDecimal(v);
      } catch {
        f = null;
      }
      if (f === null) {
        allValid = false;
        fail(`group3MaxPoints.${id}`, `points of ${id} must be a number above 0 with at most 4 decimals`, `điểm của ${id} phải là số lớn hơn 0, tối đa 4 chữ số thập phân`);
      } else {
        group3MaxPoints[id] = v as number;
        total = add(total, f);
      }
    }
    if (allValid && cmp(total, fint(12)) !== 0) {
      fail('group3MaxPoints', "the points of '3.1', '3.2' and '3.3' must add up to 12", "tổng điểm của '3.1', '3.2' và '3.3' phải bằng 12");
    }
  }

  const na = x.notApplicable;
  const notApplicable = {} as Record<IndexUnitKind, SubIndicatorId[]>;
  if (!isPlainObject(na)) {
    fail('notApplicable', "'notApplicable' must map each unit kind to a list of sub-indicators", "'notApplicable' phải gán mỗi loại đơn vị với danh sách chỉ tiêu");
  } else {
    for (const key of Object.keys(na)) {
      if (!(INDEX_UNIT_KINDS as readonly string[]).includes(key)) fail(`notApplicable.${key}`, `unknown unit kind '${key}'`, `loại đơn vị '${key}' không hợp lệ`);
    }
    for (const kind of INDEX_UNIT_KINDS) {
      const list = na[kind] ?? [];
      if (!Array.isArray(list) || list.some((id) => !(SUB_INDICATOR_IDS as readonly unknown[]).includes(id)) || new Set(list).size !== list.length) {
        fail(
          `notApplicable.${kind}`,
          `'notApplicable.${kind}' must be a list of distinct sub-indicators (${SUB_INDICATOR_IDS.join(', ')})`,
          `'notApplicable.${kind}' phải là danh sách các chỉ tiêu không trùng nhau (${SUB_INDICATOR_IDS.join(', ')})`,
        );
      } else {
        notApplicable[kind] = [...(list as SubIndicatorId[])];
      }
    }
  }

  const bands = x.gradeBands;
  const gradeBands: GradeBand[] = [];
  const bandsProblem = () =>
    fail(
      'gradeBands',
      `'gradeBands' must list ${GRADE_IDS.join(', ')} in this order, each with a minScore from 0 to 100, strictly decreasing, the last 0`,
      `'gradeBands' phải liệt kê ${GRADE_IDS.join(', ')} theo thứ tự này, mỗi mức có minScore từ 0 đến 100, giảm dần, mức cuối bằng 0`,
    );
  if (!Array.isArray(bands) || bands.length !== GRADE_IDS.length) {
    bandsProblem();
  } else {
    const bandOk = (b: unknown, i: number): b is GradeBand => {
      if (!isPlainObject(b) || Object.keys(b).some((k) => k !== 'grade' && k !== 'minScore') || b.grade !== GRADE_IDS[i]) return false;
      const ms = b.minScore;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 100) return false;
      if (i > 0 && ms >= gradeBands[i - 1]!.minScore) return false; // strictly decreasing
      return i < GRADE_IDS.length - 1 || ms === 0;
    };
    let ok = true;
    for (const [i, b] of (bands as unknown[]).entries()) {
      if (!bandOk(b, i)) {
        ok = false;
        break;
      }
      gradeBands.push({ grade: b.grade, minScore: b.minScore });
    }
    if (!ok) bandsProblem();
  }

  return problems.length > 0 ? { problems } : { config: { group3MaxPoints, notApplicable, gradeBands } };
}

/** The grade of a (rounded) total score; null for N/A. */
export function gradeOf(score: number | null, bands: readonly GradeBand[] = DEFAULT_GRADE_BANDS): GradeId | null {
  if (score === null || !Number.isFinite(score)) return null;
  return bands.find((b) => score >= b.minScore)?.grade ?? null;
}

// ---------------------------------------------------------------------------------------------
// Checking the facts

const numeratorFacts = (d: SubIndicatorDefinition): readonly Index766FactKey[] => ('fact' in d.numerator ? [d.numerator.fact] : d.numerator.shortfallOf);

/** Each numerator with its denominator, once (the pairs checkIndex766Facts compares). */
let numeratorPairs: ReadonlyArray<readonly [Index766FactKey, Index766FactKey]> | null = null;

/**
 * The common case of checkIndex766Facts without building anything: exactly the known counts, all
 * whole numbers ≥ 0, no numerator above its denominator. A heatmap checks every row of a province.
 */
function factsAreSound(x: unknown): x is Index766Facts {
  if (!isPlainObject(x)) return false;
  let keys = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
    keys++;
    if (!(k in INDEX766_FACT_NAMES)) return false;
    const v = x[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return false;
  }
  if (keys !== INDEX766_FACT_KEYS.length) return false;
  if (numeratorPairs === null) {
    const seen = new Map<string, readonly [Index766FactKey, Index766FactKey]>();
    for (const d of SUB_INDICATORS) for (const n of numeratorFacts(d)) seen.set(`${n}/${d.denominator}`, [n, d.denominator]);
    numeratorPairs = [...seen.values()];
  }
  const f = x as Record<string, number>;
  for (const [n, d] of numeratorPairs) if (f[n]! > f[d]!) return false;
  return true;
}

/** Every count a whole number ≥ 0, and no numerator above its denominator. */
export function checkIndex766Facts(x: unknown): { facts: Index766Facts } | { problems: Index766Problem[] } {
  if (factsAreSound(x)) return { facts: x };
  if (!isPlainObject(x)) return { problems: [{ field: '', reason: 'the facts must be an object of counts', reasonVi: 'số liệu phải là một đối tượng gồm các số đếm' }] };
  const problems: Index766Problem[] = [];
  const facts = {} as Index766Facts;
  for (const key of Object.keys(x)) {
    if (!(key in INDEX766_FACT_NAMES)) problems.push({ field: key, reason: `unknown count '${key}'`, reasonVi: `số đếm '${key}' không hợp lệ` });
  }
  for (const key of INDEX766_FACT_KEYS) {
    const v = x[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      const name = INDEX766_FACT_NAMES[key];
      problems.push({ field: key, reason: `${name.en} (${key}) must be a whole number ≥ 0`, reasonVi: `${name.vi} (${key}) phải là số nguyên ≥ 0` });
    } else {
      facts[key] = v;
    }
  }
  if (problems.length > 0) return { problems };
  let seen: Set<string> | null = null;
  for (const d of SUB_INDICATORS) {
    for (const n of numeratorFacts(d)) {
      if (facts[n] <= facts[d.denominator]) continue;
      const pair = `${n}/${d.denominator}`;
      seen ??= new Set<string>();
      if (seen.has(pair)) continue;
      seen.add(pair);
      const nn = INDEX766_FACT_NAMES[n];
      const dn = INDEX766_FACT_NAMES[d.denominator];
      problems.push({
        field: n,
        reason: `${nn.en} (${facts[n]}) cannot exceed ${dn.en} (${facts[d.denominator]})`,
        reasonVi: `${nn.vi} (${facts[n]}) không thể lớn hơn ${dn.vi} (${facts[d.denominator]})`,
      });
    }
  }
  return problems.length > 0 ? { problems } : { facts };
}

// ---------------------------------------------------------------------------------------------
// Scoring

/**
 * Why an item is N/A; 'no_dossiers': 6.1, 6.2 of a unit with neither dossiers nor complaints;
 * 'not_tracked': its facts live in a national system the index's data does not include.
 */
export type NotApplicableReason = 'not_for_unit_kind' | 'not_tracked' | 'zero_denominator' | 'no_dossiers';

/** One sub-indicator; V is `number` (rounded to 2 decimals) or `Fraction` (exact). */
export interface SubIndicatorResult<V = number> {
  id: SubIndicatorId;
  group: Index766GroupNo;
  name: Bilingual;
  /** The counted numerator (6.3: denominator − late − complaint or dislike, at least 0). */
  numerator: number;
  denominator: number;
  applicable: boolean;
  notApplicableReason: NotApplicableReason | null;
  /** 6.1, 6.2 scored full because the unit had no complaints. */
  fullMarksWithoutComplaints: boolean;
  /** R in percent; null when N/A or when there were no complaints (6.1, 6.2). */
  ratio: V | null;
  points: V | null;
  maxPoints: V;
  fullFromPercent: number;
  formula: Bilingual;
  /** The formula with this unit's numbers, e.g. "45 ÷ 50 = 90.00% → 6.00 / 6". */
  calculation: Bilingual;
}

export interface GroupResult<V = number> {
  group: Index766GroupNo;
  name: Bilingual;
  /** The national maximum of the group (18, 20, 12, 10, 22, 18). */
  nominalMaxPoints: number;
  applicable: boolean;
  /** Sum of the applicable items' points (capped at maxPoints: group 4). */
  points: V | null;
  /** Sum of the applicable items' maxima, at most nominalMaxPoints. */
  maxPoints: V | null;
  /** points ÷ maxPoints × nominalMaxPoints: the group's score with N/A items spread out. */
  score: V | null;
  items: SubIndicatorResult<V>[];
}

export interface Index766Result<V = number> {
  unitKind: IndexUnitKind;
  groups: GroupResult<V>[];
  total: {
    /** Sum of the applicable groups' scores. */
    points: V | null;
    /** Sum of the applicable groups' nominal maxima (100 when all apply). */
    maxPoints: V | null;
    /** points ÷ maxPoints × 100: the index, out of 100. */
    score: V | null;
  };
  /** From the rounded total score and the configured bands. */
  grade: GradeId | null;
}

/**
 * The arithmetic the scoring runs on: exact fractions, or doubles for speed. One scoring code
 * path serves both; `computeIndex766` uses doubles and falls back to fractions when a figure
 * lies within 1e-6 of a rounding boundary (the error of the doubles is below 1e-10 there).
 */
interface Arith<V> {
  int(n: number): V;
  /** numerator ÷ denominator × 100, both whole. */
  percent(numerator: number, denominator: number): V;
  decimal(x: number): V;
  add(a: V, b: V): V;
  mul(a: V, b: V): V;
  div(a: V, b: V): V;
  min(a: V, b: V): V;
  round(v: V): number;
}

const EXACT: Arith<Fraction> = {
  int: fint,
  percent: (n, d) => frac(BigInt(n) * 100n, BigInt(d)),
  decimal: fractionFromDecimal,
  add,
  mul,
  div,
  min: fmin,
  round: (v) => roundFraction(v),
};

const roundDouble = (v: number) => {
  const r = Math.round(Math.abs(v) * 100) / 100;
  return v < 0 && r !== 0 ? -r : r;
};

const DOUBLE: Arith<number> = {
  int: (n) => n,
  percent: (n, d) => (n * 100) / d,
  decimal: (x) => x,
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  min: Math.min,
  round: roundDouble,
};

/** True when rounding a double to 2 decimals could go either way because of its error. */
function nearRoundingBoundary(v: number | null): boolean {
  if (v === null) return false;
  const scaled = Math.abs(v) * 100;
  return Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6;
}

const shown = (n: number, lang: 'vi' | 'en', decimals: number | null = 2) => {
  const s = decimals === null ? String(n) : n.toFixed(decimals);
  return lang === 'vi' ? s.replace('.', ',') : s;
};

// Results are built as whole object literals: spreading into an object with null fields took
// about 20 µs per object on Node 20, too slow for a heatmap of every unit.
const maxPointsOf = (d: SubIndicatorDefinition, config: Index766Config): number => (d.maxPoints === 'config' ? config.group3MaxPoints[d.id as Group3Id] : d.maxPoints);

/** An item's figures without its text: what the score needs (itemFigures). */
interface ItemFigures<V> {
  id: SubIndicatorId;
  numerator: number;
  denominator: number;
  applicable: boolean;
  notApplicableReason: NotApplicableReason | null;
  fullMarksWithoutComplaints: boolean;
  ratio: V | null;
  points: V | null;
  maxPoints: V;
}

// The three literals below list the fields in one order (one object shape for the engine).
function notApplicableFigures<V>(id: SubIndicatorId, numerator: number, denominator: number, reason: NotApplicableReason, maxPoints: V): ItemFigures<V> {
  return { id, numerator, denominator, applicable: false, notApplicableReason: reason, fullMarksWithoutComplaints: false, ratio: null, points: null, maxPoints };
}

function itemFigures<V>(A: Arith<V>, d: SubIndicatorDefinition, facts: Index766Facts, kind: IndexUnitKind, config: Index766Config): ItemFigures<V> {
  const maxPoints = A.decimal(maxPointsOf(d, config));
  const denominator = facts[d.denominator];
  let numerator: number;
  if ('fact' in d.numerator) numerator = facts[d.numerator.fact];
  else {
    let short = 0;
    for (const k of d.numerator.shortfallOf) short += facts[k];
    numerator = Math.max(0, denominator - short);
  }
  if (config.notApplicable[kind].includes(d.id)) return notApplicableFigures(d.id, numerator, denominator, 'not_for_unit_kind', maxPoints);
  if (config.notTracked?.includes(d.id)) return notApplicableFigures(d.id, numerator, denominator, 'not_tracked', maxPoints);
  if (d.fullWhenNoComplaints && facts.complaints === 0 && facts.dossiersReceived === 0) return notApplicableFigures(d.id, numerator, denominator, 'no_dossiers', maxPoints);
  if (d.fullWhenNoComplaints && facts.complaints === 0) {
    return { id: d.id, numerator, denominator, applicable: true, notApplicableReason: null, fullMarksWithoutComplaints: true, ratio: null, points: maxPoints, maxPoints };
  }
  if (denominator === 0) return notApplicableFigures(d.id, numerator, denominator, 'zero_denominator', maxPoints);
  const ratio = A.percent(numerator, denominator);
  const points = A.mul(maxPoints, A.min(A.int(1), A.div(ratio, A.int(d.fullFromPercent))));
  return { id: d.id, numerator, denominator, applicable: true, notApplicableReason: null, fullMarksWithoutComplaints: false, ratio, points, maxPoints };
}

/** The calculation shown for an item, from its figures. */
function itemCalculation<V>(A: Arith<V>, d: SubIndicatorDefinition, x: ItemFigures<V>, facts: Index766Facts, config: Index766Config): Bilingual {
  const maxNumber = maxPointsOf(d, config);
  const max = (lang: 'vi' | 'en') => shown(maxNumber, lang, null);
  switch (x.notApplicableReason) {
    case 'not_for_unit_kind':
      return { vi: 'không áp dụng với loại đơn vị này', en: 'does not apply to this kind of unit' };
    case 'not_tracked':
      return { vi: 'chưa có số liệu: dữ liệu nằm ở hệ thống quốc gia chưa kết nối', en: 'no data: the facts are held by a national system not connected yet' };
    case 'no_dossiers':
      return { vi: 'không có hồ sơ và không có phản ánh, kiến nghị trong kỳ → không áp dụng', en: 'no dossiers and no complaints in the period → not applicable' };
    case 'zero_denominator':
      return { vi: 'mẫu số bằng 0 → không áp dụng', en: 'denominator 0 → not applicable' };
    case null:
      break;
  }
  if (x.fullMarksWithoutComplaints) return { vi: `không có phản ánh, kiến nghị trong kỳ → ${max('vi')} / ${max('vi')}`, en: `no complaints in the period → ${max('en')} / ${max('en')}` };
  const counts = 'fact' in d.numerator ? `${x.numerator} ÷ ${x.denominator}` : `100% − (${d.numerator.shortfallOf.map((k) => facts[k]).join(' + ')}) ÷ ${x.denominator}`;
  const calc = (lang: 'vi' | 'en') => `${counts} = ${shown(A.round(x.ratio!), lang)}% → ${shown(A.round(x.points!), lang)} / ${max(lang)}`;
  return { vi: calc('vi'), en: calc('en') };
}

function scoreItem<V>(A: Arith<V>, d: SubIndicatorDefinition, facts: Index766Facts, kind: IndexUnitKind, config: Index766Config): SubIndicatorResult<V> {
  const x = itemFigures(A, d, facts, kind, config);
  return {
    id: d.id,
    group: d.group,
    name: d.name,
    numerator: x.numerator,
    denominator: x.denominator,
    applicable: x.notApplicableReason === null,
    notApplicableReason: x.notApplicableReason,
    fullMarksWithoutComplaints: x.fullMarksWithoutComplaints,
    ratio: x.ratio,
    points: x.points,
    maxPoints: x.maxPoints,
    fullFromPercent: d.fullFromPercent,
    formula: d.formula,
    calculation: itemCalculation(A, d, x, facts, config),
  };
}

/** The sub-indicators of each group, in order. */
const ITEMS_OF_GROUP = new Map(INDEX766_GROUP_NOS.map((g) => [g, SUB_INDICATORS.filter((d) => d.group === g)]));

/** A group's points, maxima and score from its items' figures (N/A items left out). */
function groupTotals<V>(A: Arith<V>, nominal: number, items: readonly ItemFigures<V>[]): { applicable: boolean; points: V | null; maxPoints: V | null; score: V | null } {
  let maxSum: V = A.int(0);
  let pointSum: V = A.int(0);
  let any = false;
  for (const i of items) {
    if (i.notApplicableReason !== null) continue;
    any = true;
    maxSum = A.add(maxSum, i.maxPoints);
    pointSum = A.add(pointSum, i.points!);
  }
  if (!any) return { applicable: false, points: null, maxPoints: null, score: null };
  const maxPoints = A.min(A.int(nominal), maxSum);
  const points = A.min(maxPoints, pointSum);
  return { applicable: true, points, maxPoints, score: A.mul(A.div(points, maxPoints), A.int(nominal)) };
}

/** One group's items and score: it depends on its own items only, never on the other groups. */
function scoreGroup<V>(A: Arith<V>, g: Index766GroupNo, facts: Index766Facts, unitKind: IndexUnitKind, config: Index766Config): GroupResult<V> {
  const items = ITEMS_OF_GROUP.get(g)!.map((d) => scoreItem(A, d, facts, unitKind, config));
  const { name, maxPoints: nominal } = INDEX766_GROUPS[g];
  return { group: g, name, nominalMaxPoints: nominal, ...groupTotals(A, nominal, items), items };
}

function scoreIndex<V>(A: Arith<V>, facts: Index766Facts, unitKind: IndexUnitKind, config: Index766Config): Index766Result<V> {
  const sum = (xs: readonly V[]) => xs.reduce((s, x) => A.add(s, x), A.int(0));
  const groups = INDEX766_GROUP_NOS.map((g) => scoreGroup(A, g, facts, unitKind, config));
  const applicable = groups.filter((g) => g.applicable);
  if (applicable.length === 0) return { unitKind, groups, total: { points: null, maxPoints: null, score: null }, grade: null };
  const points = sum(applicable.map((g) => g.score!));
  const maxPoints = A.int(applicable.reduce((s, g) => s + g.nominalMaxPoints, 0));
  const score = A.mul(A.div(points, maxPoints), A.int(100));
  return { unitKind, groups, total: { points, maxPoints, score }, grade: gradeOf(A.round(score), config.gradeBands) };
}

function checkedFacts(facts: Index766Facts): Index766Facts {
  const checked = checkIndex766Facts(facts);
  if ('problems' in checked) throw new RangeError(checked.problems.map((p) => p.reason).join('; '));
  return checked.facts;
}

/**
 * The index with exact fractions (for tests and for anyone who needs to add figures up without
 * rounding). Throws a RangeError when the facts are not consistent (checkIndex766Facts).
 */
export function computeIndex766Exact(facts: Index766Facts, unitKind: IndexUnitKind, config: Index766Config = DEFAULT_INDEX766_CONFIG): Index766Result<Fraction> {
  return scoreIndex(EXACT, checkedFacts(facts), unitKind, config);
}

function roundGroups<V>(A: Arith<V>, groups: readonly GroupResult<V>[]): GroupResult[] {
  const r2 = (v: V | null) => (v === null ? null : A.round(v));
  return groups.map((g) => ({
    group: g.group,
    name: g.name,
    nominalMaxPoints: g.nominalMaxPoints,
    applicable: g.applicable,
    points: r2(g.points),
    maxPoints: r2(g.maxPoints),
    score: r2(g.score),
    items: g.items.map((i) => ({
      id: i.id,
      group: i.group,
      name: i.name,
      numerator: i.numerator,
      denominator: i.denominator,
      applicable: i.applicable,
      notApplicableReason: i.notApplicableReason,
      fullMarksWithoutComplaints: i.fullMarksWithoutComplaints,
      ratio: r2(i.ratio),
      points: r2(i.points),
      maxPoints: A.round(i.maxPoints),
      fullFromPercent: i.fullFromPercent,
      formula: i.formula,
      calculation: i.calculation,
    })),
  }));
}

function roundResult<V>(A: Arith<V>, r: Index766Result<V>): Index766Result {
  const r2 = (v: V | null) => (v === null ? null : A.round(v));
  return {
    unitKind: r.unitKind,
    groups: roundGroups(A, r.groups),
    total: { points: r2(r.total.points), maxPoints: r2(r.total.maxPoints), score: r2(r.total.score) },
    grade: r.grade,
  };
}

/**
 * The index of one unit for one period, every figure rounded to 2 decimals, half away from zero,
 * from its exact value. Throws a RangeError when the facts are not consistent.
 */
export function computeIndex766(facts: Index766Facts, unitKind: IndexUnitKind, config: Index766Config = DEFAULT_INDEX766_CONFIG): Index766Result {
  const checked = checkedFacts(facts);
  const fast = scoreIndex(DOUBLE, checked, unitKind, config);
  const figures = [
    ...fast.groups.flatMap((g) => [g.points, g.maxPoints, g.score, ...g.items.flatMap((i) => [i.ratio, i.points])]),
    fast.total.points,
    fast.total.score,
  ];
  if (figures.some(nearRoundingBoundary)) return roundResult(EXACT, scoreIndex(EXACT, checked, unitKind, config));
  return roundResult(DOUBLE, fast);
}

/** One item's figures as a heatmap cell needs them (computeIndex766GroupScores): no names or text. */
export interface ItemScore {
  id: SubIndicatorId;
  numerator: number;
  denominator: number;
  applicable: boolean;
  notApplicableReason: NotApplicableReason | null;
  fullMarksWithoutComplaints: boolean;
  ratio: number | null;
  points: number | null;
  maxPoints: number;
}

export interface GroupScore {
  group: Index766GroupNo;
  nominalMaxPoints: number;
  applicable: boolean;
  points: number | null;
  maxPoints: number | null;
  score: number | null;
  items: ItemScore[];
}

interface LeanGroup<V> {
  group: Index766GroupNo;
  nominal: number;
  totals: ReturnType<typeof groupTotals<V>>;
  items: ItemFigures<V>[];
}

// Plain loops below: a heatmap scores every row of a province on each request.
function leanGroup<V>(A: Arith<V>, g: Index766GroupNo, facts: Index766Facts, unitKind: IndexUnitKind, config: Index766Config): LeanGroup<V> {
  const defs = ITEMS_OF_GROUP.get(g)!;
  const items: ItemFigures<V>[] = [];
  for (const d of defs) items.push(itemFigures(A, d, facts, unitKind, config));
  const nominal = INDEX766_GROUPS[g].maxPoints;
  return { group: g, nominal, totals: groupTotals(A, nominal, items), items };
}

function leanNearBoundary<V>(g: LeanGroup<V>): boolean {
  const t = g.totals as { points: number | null; maxPoints: number | null; score: number | null };
  if (nearRoundingBoundary(t.points) || nearRoundingBoundary(t.maxPoints) || nearRoundingBoundary(t.score)) return true;
  for (const i of g.items as ItemFigures<number>[]) if (nearRoundingBoundary(i.ratio) || nearRoundingBoundary(i.points)) return true;
  return false;
}

function roundOrNull<V>(A: Arith<V>, v: V | null): number | null {
  return v === null ? null : A.round(v);
}

/** The items' figures rounded: doubles in place (the figures are the caller's own, just made), fractions into new objects. */
function roundItems<V>(A: Arith<V>, figures: ItemFigures<V>[]): ItemScore[] {
  if (A === (DOUBLE as unknown as Arith<V>)) {
    const own = figures as unknown as ItemFigures<number>[];
    for (const i of own) {
      i.ratio = i.ratio === null ? null : roundDouble(i.ratio);
      i.points = i.points === null ? null : roundDouble(i.points);
      i.maxPoints = roundDouble(i.maxPoints);
    }
    return own;
  }
  const items: ItemScore[] = [];
  for (const i of figures) {
    items.push({
      id: i.id,
      numerator: i.numerator,
      denominator: i.denominator,
      applicable: i.applicable,
      notApplicableReason: i.notApplicableReason,
      fullMarksWithoutComplaints: i.fullMarksWithoutComplaints,
      ratio: roundOrNull(A, i.ratio),
      points: roundOrNull(A, i.points),
      maxPoints: A.round(i.maxPoints),
    });
  }
  return items;
}

function roundLean<V>(A: Arith<V>, groups: readonly LeanGroup<V>[]): GroupScore[] {
  const out: GroupScore[] = [];
  for (const g of groups) {
    const items = roundItems(A, g.items);
    out.push({
      group: g.group,
      nominalMaxPoints: g.nominal,
      applicable: g.totals.applicable,
      points: roundOrNull(A, g.totals.points),
      maxPoints: roundOrNull(A, g.totals.maxPoints),
      score: roundOrNull(A, g.totals.score),
      items,
    });
  }
  return out;
}

/**
 * The figures of computeIndex766's groups (the same arithmetic and rounding, the same numbers) without
 * names, formulas or calculation text: a heatmap of a province scores every row of it on each
 * request, and the text was most of that time. Throws a RangeError when the facts are not consistent.
 */
export function computeIndex766GroupScores(
  facts: Index766Facts,
  unitKind: IndexUnitKind,
  groups: readonly Index766GroupNo[],
  config: Index766Config = DEFAULT_INDEX766_CONFIG,
): GroupScore[] {
  const checked = checkedFacts(facts);
  const fast: LeanGroup<number>[] = [];
  let near = false;
  for (const g of groups) {
    const x = leanGroup(DOUBLE, g, checked, unitKind, config);
    near ||= leanNearBoundary(x);
    fast.push(x);
  }
  if (!near) return roundLean(DOUBLE, fast);
  const exact: LeanGroup<Fraction>[] = [];
  for (const g of groups) exact.push(leanGroup(EXACT, g, checked, unitKind, config));
  return roundLean(EXACT, exact);
}

// ---------------------------------------------------------------------------------------------
// Ranking

export interface Ranked<T> {
  item: T;
  /** 1 = best; ties share a rank and the next rank skips ("1, 2, 2, 4"); null for N/A. */
  rank: number | null;
}

/**
 * Ranks by score, highest first. Equal scores share a rank (pass the rounded scores people see);
 * N/A (null or not finite) comes last without a rank. Ties and N/A keep the input order, so pass
 * the units sorted by code for a stable page.
 */
export function rankByScore<T>(items: readonly T[], scoreOf: (item: T) => number | null): Ranked<T>[] {
  const scored = items.map((item) => ({ item, score: scoreOf(item) }));
  const withScore = scored.filter((s): s is { item: T; score: number } => s.score !== null && Number.isFinite(s.score));
  const without = scored.filter((s) => s.score === null || !Number.isFinite(s.score));
  withScore.sort((a, b) => b.score - a.score);
  const ranked: Ranked<T>[] = [];
  withScore.forEach((s, i) => {
    const prev = withScore[i - 1];
    ranked.push({ item: s.item, rank: prev && prev.score === s.score ? ranked[i - 1]!.rank : i + 1 });
  });
  return [...ranked, ...without.map((s) => ({ item: s.item, rank: null }))];
}
