/**
 * The Decision 766 index (domain.md §5): every sub-indicator hand-computed, the full-marks
 * thresholds (80%, 50%, 90%) at, just below and just above, the payment formula and its caps,
 * N/A (denominator 0, criteria not for communes), group 6 without complaints, rounding half away
 * from zero on exact fractions, grade bands, ranking, and properties.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkIndex766Config,
  checkIndex766Facts,
  COMMUNE_LEVEL_NOT_APPLICABLE,
  computeIndex766,
  computeIndex766Exact,
  computeIndex766GroupScores,
  DEFAULT_INDEX766_CONFIG,
  fractionFromDecimal,
  gradeOf,
  INDEX766_FACT_KEYS,
  INDEX766_GROUPS,
  MOTCUA_NOT_TRACKED,
  rankByScore,
  roundFraction,
  SUB_INDICATOR_IDS,
  SUB_INDICATORS,
  type Fraction,
  type Index766Config,
  type Index766Facts,
  type Index766Result,
  type IndexUnitKind,
  type SubIndicatorId,
} from '../../src/core/index766.js';

const ZERO_FACTS = Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, 0])) as unknown as Index766Facts;
const facts = (over: Partial<Index766Facts>): Index766Facts => ({ ...ZERO_FACTS, ...over });
const item = (r: Index766Result, id: SubIndicatorId) => r.groups.flatMap((g) => g.items).find((i) => i.id === id)!;
const group = (r: Index766Result, g: number) => r.groups.find((x) => x.group === g)!;
const frac = (num: bigint, den: bigint): Fraction => ({ num, den });
const sameFraction = (a: Fraction, b: Fraction) => a.num * b.den === b.num * a.den;
const fsum = (xs: Fraction[]) => xs.reduce((s, x) => frac(s.num * x.den + x.num * s.den, s.den * x.den), frac(0n, 1n));

/**
 * A department for one quarter; every item's arithmetic is in the test below.
 * 5.3 has no copy certification (denominator 0 → N/A).
 */
const F: Index766Facts = {
  proceduresInScope: 200,
  proceduresAnnouncedOnTime: 180,
  proceduresPublishedOnTime: 150,
  proceduresPublishedComplete: 190,
  dossiersReceived: 1000,
  dossiersSynced: 950,
  dossiersFinishedOnTime: 920,
  proceduresOnline: 150,
  onlineDossiers: 450,
  fullOnlineEligibleDossiers: 400,
  fullOnlineDossiers: 100,
  dossiersWithFee: 300,
  dossiersPaidOnline: 90,
  proceduresWithFee: 40,
  proceduresWithOnlinePayment: 10,
  proceduresWithOnlinePaymentSetUp: 20,
  paperResultDossiers: 500,
  paperResultDossiersWithElectronicFile: 400,
  dossiersDigitised: 700,
  copyCertifications: 0,
  electronicCopyCertifications: 0,
  dossiersReusingData: 200,
  dossiersFinished: 900,
  dossiersLinkedToPersonalStorage: 450,
  dossiersUsingPopulationDb: 600,
  proceduresConnectedToPopulationDb: 50,
  complaints: 10,
  complaintsHandledOnTime: 8,
  complaintHandlingRatings: 5,
  complaintHandlingSatisfied: 4,
  satisfactionBase: 900,
  lateDossiers: 45,
  dossiersWithComplaintOrDislike: 18,
};

describe('every sub-indicator, hand-computed (a department: everything applies)', () => {
  const r = computeIndex766(F, 'department');
  // [id, numerator, denominator, R %, points, max]
  const expected: Array<[SubIndicatorId, number, number, number | null, number | null, number]> = [
    ['1.1', 180, 200, 90, 5.4, 6], //     180/200 = 90%; 6 × 0.90 = 5.40
    ['1.2', 150, 200, 75, 3, 4], //       150/200 = 75%; 4 × 0.75 = 3.00
    ['1.3', 190, 200, 95, 1.9, 2], //     190/200 = 95%; 2 × 0.95 = 1.90
    ['1.4', 950, 1000, 95, 5.7, 6], //    950/1000 = 95%; 6 × 0.95 = 5.70
    ['2.1', 920, 1000, 92, 18.4, 20], //  920/1000 = 92%; 20 × 0.92 = 18.40
    ['3.1', 150, 200, 75, 3.75, 4], //    75% < 80%: 4 × 75/80 = 3.75
    ['3.2', 450, 1000, 45, 3.6, 4], //    45% < 50%: 4 × 45/50 = 3.60
    ['3.3', 100, 400, 25, 1, 4], //       25%, linear: 4 × 0.25 = 1.00
    ['4.1', 90, 300, 30, 1.8, 6], //      A = 0.3: 6 × 0.3 = 1.80
    ['4.2', 10, 40, 25, 0.63, 2], //      B = 0.25: min(2, 2.5 × 0.25 = 0.625) = 0.625 → 0.63 (half away)
    ['4.3', 20, 40, 50, 1.25, 2.5], //    C = 0.5: 2.5 × 0.5 = 1.25
    ['5.1', 400, 500, 80, 4.8, 6], //     80%: 6 × 0.8 = 4.80
    ['5.2', 700, 1000, 70, 2.8, 4], //    70%: 4 × 0.7 = 2.80
    ['5.3', 0, 0, null, null, 2], //      no copy certification: N/A
    ['5.4', 200, 1000, 20, 0.5, 2], //    20% < 80%: 2 × 20/80 = 0.50
    ['5.5', 450, 900, 50, 2, 4], //       50%: 4 × 0.5 = 2.00
    ['5.6', 600, 1000, 60, 1.2, 2], //    60%: 2 × 0.6 = 1.20
    ['5.7', 50, 200, 25, 0.5, 2], //      25%: 2 × 0.25 = 0.50
    ['6.1', 8, 10, 80, 4.8, 6], //        80%: 6 × 0.8 = 4.80
    ['6.2', 4, 5, 80, 4.8, 6], //         80%: 6 × 0.8 = 4.80
    ['6.3', 837, 900, 93, 6, 6], //       late 45/900 = 5%, complaint or dislike 18/900 = 2%: R = 100 − 7 = 93% ≥ 90% → 6
  ];
  for (const [id, n, d, ratio, points, max] of expected) {
    it(`${id}: ${n} ÷ ${d} → R ${ratio ?? 'N/A'}, ${points ?? 'N/A'} of ${max}`, () => {
      const i = item(r, id);
      assert.equal(i.numerator, n);
      assert.equal(i.denominator, d);
      assert.equal(i.ratio, ratio);
      assert.equal(i.points, points);
      assert.equal(i.maxPoints, max);
      assert.equal(i.applicable, points !== null);
    });
  }

  it('group totals and the index', () => {
    // 1: 5.4 + 3 + 1.9 + 5.7 = 16 of 18
    // 2: 18.4 of 20
    // 3: 3.75 + 3.6 + 1 = 8.35 of 12
    // 4: 1.8 + 0.625 + 1.25 = 3.675 of 10 → 3.68 (exact 3.675, half away; the item shows 0.63)
    // 5: 4.8 + 2.8 + 0.5 + 2 + 1.2 + 0.5 = 11.8 of 20 (5.3 N/A) → score 11.8 / 20 × 22 = 12.98
    // 6: 4.8 + 4.8 + 6 = 15.6 of 18
    // total: 16 + 18.4 + 8.35 + 3.675 + 12.98 + 15.6 = 75.005 → 75.01 (exact, half away)
    const scores = r.groups.map((g) => [g.points, g.maxPoints, g.score]);
    assert.deepEqual(scores, [
      [16, 18, 16],
      [18.4, 20, 18.4],
      [8.35, 12, 8.35],
      [3.68, 10, 3.68],
      [11.8, 20, 12.98],
      [15.6, 18, 15.6],
    ]);
    assert.deepEqual(r.total, { points: 75.01, maxPoints: 100, score: 75.01 });
    assert.equal(r.grade, 'kha');
  });

  it('explains each score with its numbers, in both languages', () => {
    assert.deepEqual(item(r, '3.1').calculation, { vi: '150 ÷ 200 = 75,00% → 3,75 / 4', en: '150 ÷ 200 = 75.00% → 3.75 / 4' });
    assert.deepEqual(item(r, '4.3').calculation, { vi: '20 ÷ 40 = 50,00% → 1,25 / 2,5', en: '20 ÷ 40 = 50.00% → 1.25 / 2.5' });
    assert.deepEqual(item(r, '6.3').calculation.en, '100% − (45 + 18) ÷ 900 = 93.00% → 6.00 / 6');
    assert.equal(item(r, '5.3').calculation.en, 'denominator 0 → not applicable');
    assert.match(item(r, '4.2').formula.en, /^min\(2; 2\.5 × B\)/);
    assert.match(item(r, '4.2').formula.vi, /^min\(2; 2,5 × B\)/);
    for (const d of SUB_INDICATORS) assert.ok(d.formula.vi && d.formula.en && d.name.vi && d.name.en, d.id);
  });
});

describe('a commune: the criteria of the province do not apply, and their weight is spread', () => {
  const r = computeIndex766(F, 'commune');

  it('1.1, 1.2, 1.3, 3.1 and 5.7 are N/A for communes and wards by default', () => {
    assert.deepEqual(COMMUNE_LEVEL_NOT_APPLICABLE, ['1.1', '1.2', '1.3', '3.1', '5.7']);
    for (const kind of ['commune', 'ward'] as const) {
      const res = computeIndex766(F, kind);
      const na = res.groups.flatMap((g) => g.items).filter((i) => i.notApplicableReason === 'not_for_unit_kind').map((i) => i.id);
      assert.deepEqual(na, ['1.1', '1.2', '1.3', '3.1', '5.7'], kind);
      assert.equal(item(res, '1.1').points, null);
      assert.equal(item(res, '1.1').calculation.en, 'does not apply to this kind of unit');
    }
    for (const kind of ['department', 'province', 'nation'] as const) {
      assert.ok(computeIndex766(F, kind).groups.flatMap((g) => g.items).every((i) => i.notApplicableReason !== 'not_for_unit_kind'), kind);
    }
  });

  it('groups rescaled over the applicable maxima, total over 100', () => {
    // 1: only 1.4: 5.7 of 6 → 5.7 / 6 × 18 = 17.1
    // 3: 3.2 + 3.3 = 3.6 + 1 = 4.6 of 8 → 4.6 / 8 × 12 = 6.9
    // 5: 4.8 + 2.8 + 0.5 + 2 + 1.2 = 11.3 of 18 (5.3, 5.7 N/A) → 11.3 / 18 × 22 = 13.8111… → 13.81
    // total: 17.1 + 18.4 + 6.9 + 3.675 + 13.8111… + 15.6 = 75.4861… → 75.49
    assert.deepEqual([group(r, 1).points, group(r, 1).maxPoints, group(r, 1).score], [5.7, 6, 17.1]);
    assert.deepEqual([group(r, 3).points, group(r, 3).maxPoints, group(r, 3).score], [4.6, 8, 6.9]);
    assert.deepEqual([group(r, 5).points, group(r, 5).maxPoints, group(r, 5).score], [11.3, 18, 13.81]);
    assert.deepEqual(r.total, { points: 75.49, maxPoints: 100, score: 75.49 });
  });

  it('what a commune cannot influence does not move its score', () => {
    const worse = computeIndex766({ ...F, proceduresAnnouncedOnTime: 0, proceduresOnline: 0, proceduresConnectedToPopulationDb: 0 }, 'commune');
    assert.deepEqual(worse.total, r.total);
    assert.notDeepEqual(computeIndex766({ ...F, proceduresAnnouncedOnTime: 0 }, 'department').total, computeIndex766(F, 'department').total);
  });

  it('the list is configuration: with none N/A a commune scores like a department', () => {
    const config: Index766Config = { ...DEFAULT_INDEX766_CONFIG, notApplicable: { ...DEFAULT_INDEX766_CONFIG.notApplicable, commune: [] } };
    assert.deepEqual(computeIndex766(F, 'commune', config).total, computeIndex766(F, 'department').total);
    const only61: Index766Config = { ...DEFAULT_INDEX766_CONFIG, notApplicable: { ...DEFAULT_INDEX766_CONFIG.notApplicable, department: ['6.1'] } };
    assert.equal(item(computeIndex766(F, 'department', only61), '6.1').notApplicableReason, 'not_for_unit_kind');
  });
});

describe('items whose facts are not tracked', () => {
  const config: Index766Config = { ...DEFAULT_INDEX766_CONFIG, notTracked: MOTCUA_NOT_TRACKED };

  it('are N/A with their own reason, and the groups spread over what is known', () => {
    const r = computeIndex766(F, 'department', config);
    const na = r.groups.flatMap((g) => g.items).filter((i) => i.notApplicableReason === 'not_tracked').map((i) => i.id);
    assert.deepEqual(na, ['1.1', '1.2', '1.3', '1.4', '5.3', '5.5', '5.6', '5.7']);
    assert.equal(item(r, '1.4').points, null);
    assert.equal(item(r, '1.4').applicable, false);
    // group 1 has no item left: N/A, and the total is over the other five groups' 82 points
    assert.equal(group(r, 1).applicable, false);
    assert.equal(r.total.maxPoints, 82);
    // group 5 keeps 5.1, 5.2, 5.4: their maxima 6 + 4 + 2 = 12 scaled to 22
    assert.equal(group(r, 5).maxPoints, 12);
    const g5 = item(r, '5.1').points! + item(r, '5.2').points! + item(r, '5.4').points!;
    assert.equal(group(r, 5).score, Math.round((g5 / 12) * 22 * 100) / 100);
  });

  it('a commune criterion stays "not for this kind of unit" even when also not tracked', () => {
    const r = computeIndex766(F, 'commune', config);
    assert.equal(item(r, '1.1').notApplicableReason, 'not_for_unit_kind');
    assert.equal(item(r, '1.4').notApplicableReason, 'not_tracked');
  });

  it('moving an untracked fact moves nothing', () => {
    const a = computeIndex766(F, 'department', config);
    const b = computeIndex766({ ...F, dossiersSynced: 0, dossiersUsingPopulationDb: 0, electronicCopyCertifications: 0 }, 'department', config);
    assert.deepEqual(a.total, b.total);
  });
});

describe('full-marks thresholds: at, just below, just above', () => {
  const pts = (over: Partial<Index766Facts>, id: SubIndicatorId) => item(computeIndex766(facts(over), 'department'), id).points;

  it('3.1 procedures online, full from 80% (max 4)', () => {
    assert.equal(pts({ proceduresInScope: 50, proceduresOnline: 40 }, '3.1'), 4); //        80% → 4
    assert.equal(pts({ proceduresInScope: 500, proceduresOnline: 399 }, '3.1'), 3.99); //   79.8%: 4 × 79.8/80 = 3.99
    assert.equal(pts({ proceduresInScope: 50, proceduresOnline: 39 }, '3.1'), 3.9); //      78%: 4 × 78/80 = 3.90
    assert.equal(pts({ proceduresInScope: 50, proceduresOnline: 41 }, '3.1'), 4); //        82%: capped at 4, not 4.1
    assert.equal(pts({ proceduresInScope: 50, proceduresOnline: 50 }, '3.1'), 4); //        100% → 4
    // 79.99%: 4 × 79.99/80 = 3.9995 exactly: shown 4.00 (half away), yet below full marks
    const e = computeIndex766Exact(facts({ proceduresInScope: 10000, proceduresOnline: 7999 }), 'department').groups[2]!.items[0]!;
    assert.equal(e.id, '3.1');
    assert.ok(sameFraction(e.points!, frac(39995n, 10000n)));
    assert.equal(roundFraction(e.points!), 4);
  });

  it('3.2 online dossiers, full from 50% (max 4)', () => {
    assert.equal(pts({ dossiersReceived: 1000, onlineDossiers: 500 }, '3.2'), 4); //   50% → 4
    assert.equal(pts({ dossiersReceived: 1000, onlineDossiers: 499 }, '3.2'), 3.99); // 49.9%: 4 × 49.9/50 = 3.992 → 3.99
    assert.equal(pts({ dossiersReceived: 1000, onlineDossiers: 501 }, '3.2'), 4); //   50.1% → 4
    assert.equal(pts({ dossiersReceived: 4, onlineDossiers: 1 }, '3.2'), 2); //        25%: 4 × 25/50 = 2
  });

  it('5.4 reuse of digitised data, full from 80% (max 2)', () => {
    assert.equal(pts({ dossiersReceived: 100, dossiersReusingData: 80 }, '5.4'), 2); //    80% → 2
    assert.equal(pts({ dossiersReceived: 100, dossiersReusingData: 79 }, '5.4'), 1.98); // 79%: 2 × 79/80 = 1.975 → 1.98 (half away)
    assert.equal(pts({ dossiersReceived: 100, dossiersReusingData: 81 }, '5.4'), 2); //    81% → 2
  });

  it('6.3 satisfaction with procedures, full from 90% (max 6)', () => {
    const sat = (late: number, disliked: number) =>
      pts({ dossiersReceived: 1000, satisfactionBase: 1000, lateDossiers: late, dossiersWithComplaintOrDislike: disliked }, '6.3');
    assert.equal(sat(60, 40), 6); //   100 − (6 + 4) = 90% → 6
    assert.equal(sat(60, 41), 5.99); // 100 − 10.1 = 89.9%: 6 × 89.9/90 = 5.9933… → 5.99
    assert.equal(sat(60, 39), 6); //   90.1% → 6
    assert.equal(sat(300, 250), 3); // 100 − (30 + 25) = 45%: 6 × 45/90 = 3
    // more late and disliked than dossiers (a dossier can be both): R = 0, not negative
    const r = computeIndex766(facts({ dossiersReceived: 10, satisfactionBase: 10, lateDossiers: 8, dossiersWithComplaintOrDislike: 7 }), 'department');
    assert.deepEqual([item(r, '6.3').numerator, item(r, '6.3').ratio, item(r, '6.3').points], [0, 0, 0]);
  });
});

describe('group 4: 6·A + min(2, 2.5·B) + 2.5·C, capped at 10', () => {
  const pay = (withFee: number, paid: number, procs: number, withPayment: number, setUp: number) =>
    computeIndex766(
      facts({ dossiersWithFee: withFee, dossiersPaidOnline: paid, proceduresWithFee: procs, proceduresWithOnlinePayment: withPayment, proceduresWithOnlinePaymentSetUp: setUp }),
      'department',
    );

  it('B: 2.5·B reaches the cap of 2 at 80%', () => {
    assert.equal(item(pay(1, 1, 100, 80, 0), '4.2').points, 2); //   2.5 × 0.80 = 2
    assert.equal(item(pay(1, 1, 100, 79, 0), '4.2').points, 1.98); // 2.5 × 0.79 = 1.975 → 1.98
    assert.equal(item(pay(1, 1, 100, 81, 0), '4.2').points, 2); //   2.5 × 0.81 = 2.025 → min 2
    assert.equal(item(pay(1, 1, 100, 100, 0), '4.2').points, 2); //  2.5 × 1 = 2.5 → min 2
  });

  it('A and C are linear', () => {
    const r = pay(200, 50, 8, 0, 2);
    assert.equal(item(r, '4.1').points, 1.5); //  6 × 50/200 = 1.5
    assert.equal(item(r, '4.3').points, 0.63); // 2.5 × 2/8 = 0.625 → 0.63
  });

  it('the items add up to 10.5: the group is capped at 10', () => {
    // 6 × 1 + 2 + 2.5 × 1 = 10.5 → 10
    let g = group(pay(10, 10, 10, 10, 10), 4);
    assert.deepEqual([g.points, g.maxPoints, g.score], [10, 10, 10]);
    // 6 + 2 + 2.5 × 0.8 = 10 → 10
    g = group(pay(10, 10, 10, 10, 8), 4);
    assert.deepEqual([g.points, g.score], [10, 10]);
    // 6 + 2 + 2.5 × 0.6 = 9.5
    g = group(pay(10, 10, 10, 10, 6), 4);
    assert.deepEqual([g.points, g.score], [9.5, 9.5]);
    // 6 × 0.9 + 2 + 2.5 = 9.9
    g = group(pay(10, 9, 10, 10, 10), 4);
    assert.deepEqual([g.points, g.score], [9.9, 9.9]);
  });

  it('no dossier with a fee: A is N/A, B and C rescaled to 10', () => {
    // B = 1 → 2, C = 0.5 → 1.25: 3.25 of 4.5 → 3.25 / 4.5 × 10 = 7.2222… → 7.22
    const g = group(pay(0, 0, 4, 4, 2), 4);
    assert.equal(g.items[0]!.notApplicableReason, 'zero_denominator');
    assert.deepEqual([g.points, g.maxPoints, g.score], [3.25, 4.5, 7.22]);
  });

  it('no fees at all: the group is N/A and the index is out of 90, rescaled to 100', () => {
    const r = computeIndex766({ ...F, dossiersWithFee: 0, dossiersPaidOnline: 0, proceduresWithFee: 0, proceduresWithOnlinePayment: 0, proceduresWithOnlinePaymentSetUp: 0 }, 'department');
    assert.deepEqual([group(r, 4).applicable, group(r, 4).score], [false, null]);
    // 16 + 18.4 + 8.35 + 12.98 + 15.6 = 71.33 of 90 → 71.33 / 90 × 100 = 79.2555… → 79.26
    assert.deepEqual(r.total, { points: 71.33, maxPoints: 90, score: 79.26 });
    assert.equal(r.grade, 'kha');
  });
});

describe('group 6: complaints', () => {
  const base = { dossiersReceived: 100, satisfactionBase: 100, lateDossiers: 5 };

  it('no complaints: 6.1 and 6.2 score full whatever the ratings', () => {
    const r = computeIndex766(facts(base), 'department');
    for (const id of ['6.1', '6.2'] as const) {
      assert.deepEqual([item(r, id).applicable, item(r, id).ratio, item(r, id).points, item(r, id).fullMarksWithoutComplaints], [true, null, 6, true], id);
      assert.equal(item(r, id).calculation.en, 'no complaints in the period → 6 / 6');
    }
    // 6.3: 100 − 5 = 95% → 6; group 6 + 6 + 6 = 18
    assert.deepEqual([group(r, 6).points, group(r, 6).score], [18, 18]);
    // stale ratings of an earlier complaint change nothing
    assert.equal(item(computeIndex766(facts({ ...base, complaintHandlingRatings: 3 }), 'department'), '6.2').points, 6);
  });

  it('complaints, none handled on time and none rated: 6.1 = 0, 6.2 N/A', () => {
    const r = computeIndex766(facts({ ...base, complaints: 4 }), 'department');
    assert.equal(item(r, '6.1').points, 0);
    assert.equal(item(r, '6.1').fullMarksWithoutComplaints, false);
    assert.equal(item(r, '6.2').notApplicableReason, 'zero_denominator');
    // (0 + 6) of 12 → 6 / 12 × 18 = 9
    assert.deepEqual([group(r, 6).points, group(r, 6).maxPoints, group(r, 6).score], [6, 12, 9]);
  });

  it('no dossiers and no complaints: nothing to be satisfied with, N/A (an idle unit does not top the ranking)', () => {
    const r = computeIndex766(ZERO_FACTS, 'department');
    assert.equal(item(r, '6.1').notApplicableReason, 'no_dossiers');
    assert.equal(item(r, '6.2').notApplicableReason, 'no_dossiers');
    assert.ok(r.groups.every((g) => !g.applicable && g.score === null));
    assert.deepEqual(r.total, { points: null, maxPoints: null, score: null });
    assert.equal(r.grade, null);
  });
});

describe('a denominator of 0 makes the item N/A (6.1: the no-complaint rule instead)', () => {
  for (const d of SUB_INDICATORS) {
    it(`${d.id} (${d.denominator} = 0)`, () => {
      // everything else full; complaints > 0 so that 6.1/6.2 are not scored by the no-complaint rule
      const full = Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, 10])) as unknown as Index766Facts;
      const over: Partial<Index766Facts> = { lateDossiers: 0, dossiersWithComplaintOrDislike: 0, [d.denominator]: 0 };
      for (const other of SUB_INDICATORS) if (other.denominator === d.denominator && 'fact' in other.numerator) over[other.numerator.fact] = 0;
      const r = computeIndex766({ ...full, ...over }, 'department');
      const i = item(r, d.id);
      if (d.id === '6.1') {
        // no complaints while there are dossiers: the group 6 rule scores full marks instead
        assert.deepEqual([i.applicable, i.fullMarksWithoutComplaints, i.ratio, i.points], [true, true, null, 6]);
        return;
      }
      assert.deepEqual([i.applicable, i.notApplicableReason, i.ratio, i.points], [false, 'zero_denominator', null, null]);
    });
  }
});

describe('rounding: half away from zero, on exact values', () => {
  it('roundFraction', () => {
    assert.equal(roundFraction(frac(201n, 200n)), 1.01); // 1.005
    assert.equal(roundFraction(frac(-201n, 200n)), -1.01); // −1.005
    assert.equal(roundFraction(frac(10049n, 10000n)), 1); // 1.0049
    assert.equal(roundFraction(frac(107n, 40n)), 2.68); // 2.675 (the double 2.675 is below it: toFixed gives 2.67)
    assert.equal(roundFraction(frac(1n, 3n)), 0.33);
    assert.equal(roundFraction(frac(2n, 3n)), 0.67);
    assert.equal(roundFraction(frac(1n, 8n)), 0.13); // 0.125
    assert.ok(Object.is(roundFraction(frac(-1n, 1000n)), 0)); // no −0
    assert.equal(roundFraction(frac(7n, 8n), 0), 1);
    assert.equal((2.675).toFixed(2), '2.67'); // why fractions: the naive figure is wrong
  });

  it('fractionFromDecimal takes up to 4 decimals', () => {
    assert.ok(sameFraction(fractionFromDecimal(2.5), frac(5n, 2n)));
    assert.ok(sameFraction(fractionFromDecimal(4.1234), frac(41234n, 10000n)));
    assert.throws(() => fractionFromDecimal(0.00001), RangeError);
    assert.throws(() => fractionFromDecimal(Number.NaN), RangeError);
  });

  it('points of exactly x.xx5: 1.1 with 67 of 400 procedures → 6 × 16.75% = 1.005 → 1.01', () => {
    const r = computeIndex766(facts({ proceduresInScope: 400, proceduresAnnouncedOnTime: 67 }), 'department');
    assert.equal(item(r, '1.1').ratio, 16.75);
    assert.equal(item(r, '1.1').points, 1.01);
    assert.equal(Math.round(((6 * 67) / 400) * 100) / 100, 1); // the float shortcut would say 1.00
  });

  it('a ratio of exactly x.xx5: 201 of 20000 synced → R = 1.005% → 1.01; 6 × 1.005% = 0.0603 → 0.06', () => {
    const r = computeIndex766(facts({ dossiersReceived: 20000, dossiersSynced: 201 }), 'department');
    assert.equal(item(r, '1.4').ratio, 1.01);
    assert.equal(item(r, '1.4').points, 0.06);
  });

  it('the total is rounded from the exact group scores, not from the rounded ones', () => {
    // 400 procedures, no dossier: groups 1, 3 and 5 apply (their procedure items), 2, 4 and 6 are N/A.
    // 1.1 = 6 × 67/400 = 1.005; 1.2 = 4 × 50/400 = 0.5; 1.3 = 0 of 2; 1.4 N/A
    //   group 1: 1.505 of 12 (shown 1.51) → 1.505 / 12 × 18 = 2.2575 (shown 2.26)
    // 3.1 = 0 of 4 → group 3 = 0; 5.7 = 0 of 2 → group 5 = 0
    // total: 2.2575 of 18 + 12 + 22 = 52 → 2.2575 / 52 × 100 = 4.3413… → 4.34
    //   (from the shown 2.26 it would be 4.3461… → 4.35)
    const r = computeIndex766(facts({ proceduresInScope: 400, proceduresAnnouncedOnTime: 67, proceduresPublishedOnTime: 50 }), 'department');
    assert.deepEqual([group(r, 1).points, group(r, 1).maxPoints, group(r, 1).score], [1.51, 12, 2.26]);
    assert.deepEqual(r.groups.map((g) => g.score), [2.26, null, 0, null, 0, null]);
    assert.deepEqual(r.total, { points: 2.26, maxPoints: 52, score: 4.34 });
  });
});

describe('facts are checked', () => {
  it('negative, fractional, missing and unknown counts', () => {
    const bad = { ...F, dossiersReceived: -1, onlineDossiers: 1.5, extra: 3 } as Record<string, unknown>;
    delete bad.complaints;
    const res = checkIndex766Facts(bad);
    assert.ok('problems' in res);
    assert.deepEqual(res.problems.map((p) => p.field).sort(), ['complaints', 'dossiersReceived', 'extra', 'onlineDossiers']);
    assert.ok(res.problems.every((p) => p.reason && p.reasonVi));
    assert.ok('problems' in checkIndex766Facts(null));
    assert.ok('problems' in checkIndex766Facts([1, 2]));
  });

  it('a numerator above its denominator is refused, and compute throws', () => {
    const res = checkIndex766Facts({ ...F, lateDossiers: 901 });
    assert.ok('problems' in res);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0]!.reason, 'Late dossiers (901) cannot exceed Dossiers considered for satisfaction (900)');
    assert.match(res.problems[0]!.reasonVi, /Số hồ sơ trễ hạn \(901\) không thể lớn hơn/);
    assert.throws(() => computeIndex766({ ...F, onlineDossiers: 1001 }, 'department'), /Online dossiers \(1001\) cannot exceed Dossiers received \(1000\)/);
    assert.ok('facts' in checkIndex766Facts(F));
  });
});

describe('configuration', () => {
  it('the default configuration passes its own check', () => {
    const res = checkIndex766Config(JSON.parse(JSON.stringify(DEFAULT_INDEX766_CONFIG)));
    assert.ok('config' in res);
    assert.deepEqual(res.config, DEFAULT_INDEX766_CONFIG);
  });

  it("group 3's split is configuration (default 4 / 4 / 4)", () => {
    assert.deepEqual(DEFAULT_INDEX766_CONFIG.group3MaxPoints, { '3.1': 4, '3.2': 4, '3.3': 4 });
    const config: Index766Config = { ...DEFAULT_INDEX766_CONFIG, group3MaxPoints: { '3.1': 3, '3.2': 6.5, '3.3': 2.5 } };
    const r = computeIndex766(F, 'department', config);
    // 3.1: 3 × 75/80 = 2.8125 → 2.81; 3.2: 6.5 × 45/50 = 5.85; 3.3: 2.5 × 0.25 = 0.625 → 0.63; group 9.2875 → 9.29
    assert.deepEqual([item(r, '3.1').points, item(r, '3.2').points, item(r, '3.3').points], [2.81, 5.85, 0.63]);
    assert.deepEqual([item(r, '3.2').maxPoints, group(r, 3).points, group(r, 3).score], [6.5, 9.29, 9.29]);
  });

  it('refuses a bad split, unknown kinds or items, and bad grade bands, in both languages', () => {
    const ok = JSON.parse(JSON.stringify(DEFAULT_INDEX766_CONFIG));
    const problems = (x: unknown) => {
      const res = checkIndex766Config(x);
      assert.ok('problems' in res, JSON.stringify(x));
      assert.ok(res.problems.every((p) => p.reason && p.reasonVi));
      return res.problems.map((p) => p.field);
    };
    assert.deepEqual(problems({ ...ok, group3MaxPoints: { '3.1': 4, '3.2': 4, '3.3': 3 } }), ['group3MaxPoints']); // 11
    assert.deepEqual(problems({ ...ok, group3MaxPoints: { '3.1': 0, '3.2': 6, '3.3': 6 } }), ['group3MaxPoints.3.1']);
    assert.deepEqual(problems({ ...ok, group3MaxPoints: { '3.1': 12 } }), ['group3MaxPoints']);
    assert.deepEqual(problems({ ...ok, notApplicable: { commune: ['9.9'] } }), ['notApplicable.commune']);
    assert.deepEqual(problems({ ...ok, notApplicable: { district: [] } }), ['notApplicable.district']);
    assert.deepEqual(problems({ ...ok, notApplicable: { commune: ['1.1', '1.1'] } }), ['notApplicable.commune']);
    const bands = ok.gradeBands as Array<{ grade: string; minScore: number }>;
    assert.deepEqual(problems({ ...ok, gradeBands: bands.slice(1) }), ['gradeBands']);
    assert.deepEqual(problems({ ...ok, gradeBands: bands.map((b, i) => (i === 1 ? { ...b, minScore: 95 } : b)) }), ['gradeBands']); // not decreasing
    assert.deepEqual(problems({ ...ok, gradeBands: bands.map((b, i) => (i === 4 ? { ...b, minScore: 10 } : b)) }), ['gradeBands']); // last not 0
    assert.deepEqual(problems({ ...ok, gradeBands: [...bands].reverse() }), ['gradeBands']);
    assert.deepEqual(problems({ ...ok, colour: 'red' }), ['colour']);
    assert.deepEqual(problems('x'), ['']);
    // missing unit kinds default to no exception
    const res = checkIndex766Config({ ...ok, notApplicable: { commune: ['1.1'] } });
    assert.ok('config' in res);
    assert.deepEqual(res.config.notApplicable.department, []);
  });
});

describe('grade bands and ranking', () => {
  it('default bands at their boundaries', () => {
    const cases: Array<[number | null, string | null]> = [
      [100, 'xuat_sac'], [90, 'xuat_sac'], [89.99, 'tot'], [80, 'tot'], [79.99, 'kha'], [70, 'kha'],
      [69.99, 'trung_binh'], [50, 'trung_binh'], [49.99, 'yeu'], [0, 'yeu'], [null, null], [Number.NaN, null],
    ];
    for (const [score, grade] of cases) assert.equal(gradeOf(score), grade, String(score));
  });

  it('bands are configuration', () => {
    const bands = [
      { grade: 'xuat_sac', minScore: 95 },
      { grade: 'tot', minScore: 85 },
      { grade: 'kha', minScore: 75 },
      { grade: 'trung_binh', minScore: 60 },
      { grade: 'yeu', minScore: 0 },
    ] as const;
    assert.equal(gradeOf(90, bands), 'tot');
    assert.equal(computeIndex766(F, 'department', { ...DEFAULT_INDEX766_CONFIG, gradeBands: bands }).grade, 'kha'); // 75.01 ≥ 75
    assert.equal(computeIndex766(F, 'department', { ...DEFAULT_INDEX766_CONFIG, gradeBands: bands.map((b) => (b.grade === 'kha' ? { ...b, minScore: 75.02 } : b)) }).grade, 'trung_binh');
  });

  it('ties share a rank, the next rank skips, N/A comes last without a rank', () => {
    const units = [
      { code: 'A', score: 80 },
      { code: 'B', score: 90 },
      { code: 'C', score: null },
      { code: 'D', score: 80 },
      { code: 'E', score: 70 },
      { code: 'F', score: Number.NaN },
      { code: 'G', score: 0 },
    ];
    const ranked = rankByScore(units, (u) => u.score).map((r) => `${r.item.code}:${r.rank}`);
    assert.deepEqual(ranked, ['B:1', 'A:2', 'D:2', 'E:4', 'G:5', 'C:null', 'F:null']);
    assert.deepEqual(rankByScore([], () => 1), []);
    assert.deepEqual(rankByScore(['x', 'y'], () => 50).map((r) => r.rank), [1, 1]);
  });

  it('ranks units by their rounded index', () => {
    const results = [
      { unit: 'department', r: computeIndex766(F, 'department') }, // 75.01
      { unit: 'commune', r: computeIndex766(F, 'commune') }, // 75.49
      { unit: 'idle', r: computeIndex766(ZERO_FACTS, 'commune') }, // N/A
    ];
    assert.deepEqual(rankByScore(results, (x) => x.r.total.score).map((x) => [x.item.unit, x.rank]), [['commune', 1], ['department', 2], ['idle', null]]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Consistent facts: denominators first, numerators at most their denominators; zeros often. */
const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 100_000 }));
const anyFacts: fc.Arbitrary<Index766Facts> = fc
  .record(Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, count])) as Record<keyof Index766Facts, fc.Arbitrary<number>>)
  .map((raw) => {
    const f = { ...raw };
    for (const d of SUB_INDICATORS) {
      const nums = 'fact' in d.numerator ? [d.numerator.fact] : d.numerator.shortfallOf;
      for (const n of nums) f[n] = Math.min(f[n], f[d.denominator]);
    }
    return f;
  });
const anyKind = fc.constantFrom<IndexUnitKind>('nation', 'province', 'department', 'ward', 'commune');
const anyConfig: fc.Arbitrary<Index766Config> = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.subarray([...SUB_INDICATOR_IDS]))
  .filter(([a, b]) => a + b < 12)
  .map(([a, b, na]) => ({
    ...DEFAULT_INDEX766_CONFIG,
    group3MaxPoints: { '3.1': a, '3.2': b, '3.3': 12 - a - b },
    notApplicable: { ...DEFAULT_INDEX766_CONFIG.notApplicable, department: na },
  }));

describe('properties', () => {
  it('every score within [0, max]; group points within the adjusted max; N/A exactly when nothing applies', () => {
    fc.assert(
      fc.property(anyFacts, anyKind, anyConfig, (f, kind, config) => {
        const r = computeIndex766(f, kind, config);
        for (const g of r.groups) {
          for (const i of g.items) {
            if (!i.applicable) assert.equal(i.points, null);
            else assert.ok(i.points! >= 0 && i.points! <= i.maxPoints, `${i.id} ${i.points} of ${i.maxPoints}`);
            if (i.ratio !== null) assert.ok(i.ratio >= 0 && i.ratio <= 100);
          }
          assert.equal(g.applicable, g.items.some((i) => i.applicable));
          if (g.applicable) {
            assert.ok(g.points! >= 0 && g.points! <= g.maxPoints! && g.maxPoints! <= g.nominalMaxPoints);
            assert.ok(g.score! >= 0 && g.score! <= g.nominalMaxPoints);
          }
        }
        if (r.total.score !== null) assert.ok(r.total.score >= 0 && r.total.score <= 100);
        assert.equal(r.total.score === null, r.groups.every((g) => !g.applicable));
      }),
      { numRuns: 300 },
    );
  });

  it('the heatmap’s lean scores are the full groups’ figures, number for number (with untracked items too)', () => {
    const withTracked = anyConfig.chain((c) => fc.boolean().map((t) => (t ? { ...c, notTracked: MOTCUA_NOT_TRACKED } : c)));
    const someGroups = fc.subarray([1, 2, 3, 4, 5, 6] as const, { minLength: 1 });
    fc.assert(
      fc.property(anyFacts, anyKind, withTracked, someGroups, (f, kind, config, groups) => {
        const full = computeIndex766(f, kind, config).groups.filter((g) => (groups as readonly number[]).includes(g.group));
        const lean = computeIndex766GroupScores(f, kind, groups, config);
        assert.deepEqual(
          lean,
          full.map((g) => ({
            group: g.group,
            nominalMaxPoints: g.nominalMaxPoints,
            applicable: g.applicable,
            points: g.points,
            maxPoints: g.maxPoints,
            score: g.score,
            items: g.items.map((i) => ({
              id: i.id,
              numerator: i.numerator,
              denominator: i.denominator,
              applicable: i.applicable,
              notApplicableReason: i.notApplicableReason,
              fullMarksWithoutComplaints: i.fullMarksWithoutComplaints,
              ratio: i.ratio,
              points: i.points,
              maxPoints: i.maxPoints,
            })),
          })),
        );
      }),
      { numRuns: 500 },
    );
    // Facts that contradict themselves are refused by both.
    const bad = { ...Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, 0])), dossiersFinishedOnTime: 5 } as unknown as Index766Facts;
    assert.throws(() => computeIndex766GroupScores(bad, 'commune', [2]), RangeError);
    assert.throws(() => computeIndex766(bad, 'commune'), RangeError);
  });

  it('the total is the sum of the groups (exactly; within 0.03 once rounded)', () => {
    fc.assert(
      fc.property(anyFacts, anyKind, (f, kind) => {
        const exact = computeIndex766Exact(f, kind);
        const applicable = exact.groups.filter((g) => g.applicable);
        if (applicable.length === 0) return;
        assert.ok(sameFraction(exact.total.points!, fsum(applicable.map((g) => g.score!))));
        assert.ok(sameFraction(exact.total.maxPoints!, fsum(applicable.map((g) => frac(BigInt(g.nominalMaxPoints), 1n)))));
        const r = computeIndex766(f, kind);
        const shown = r.groups.reduce((s, g) => s + (g.score ?? 0), 0);
        assert.ok(Math.abs(r.total.points! - shown) <= 0.03 + 1e-9, `${r.total.points} vs ${shown}`);
        if (applicable.length === 6) assert.equal(r.total.score, r.total.points);
      }),
      { numRuns: 300 },
    );
  });

  it('the rounded result is the exact one rounded', () => {
    fc.assert(
      fc.property(anyFacts, anyKind, (f, kind) => {
        const exact = computeIndex766Exact(f, kind);
        const r = computeIndex766(f, kind);
        exact.groups.forEach((g, gi) => {
          assert.equal(r.groups[gi]!.score, g.score && roundFraction(g.score));
          g.items.forEach((i, ii) => assert.equal(r.groups[gi]!.items[ii]!.points, i.points && roundFraction(i.points)));
        });
        assert.equal(r.total.score, exact.total.score && roundFraction(exact.total.score));
      }),
      { numRuns: 200 },
    );
  });

  it('monotone: one more dossier or procedure in a numerator never lowers an item, its group or the total', () => {
    const withFact = SUB_INDICATORS.filter((d) => 'fact' in d.numerator);
    fc.assert(
      fc.property(anyFacts, anyKind, fc.constantFrom(...withFact), (f, kind, d) => {
        const n = (d.numerator as { fact: keyof Index766Facts }).fact;
        if (f[n] >= f[d.denominator]) return;
        const before = computeIndex766Exact(f, kind);
        const after = computeIndex766Exact({ ...f, [n]: f[n] + 1 }, kind);
        const ge = (a: Fraction | null, b: Fraction | null) => (a === null ? b === null : a.num * b!.den >= b!.num * a.den);
        const ib = before.groups.flatMap((g) => g.items).find((i) => i.id === d.id)!;
        const ia = after.groups.flatMap((g) => g.items).find((i) => i.id === d.id)!;
        assert.ok(ge(ia.points, ib.points), d.id);
        assert.ok(ge(after.groups[d.group - 1]!.score, before.groups[d.group - 1]!.score), `group of ${d.id}`);
        assert.ok(ge(after.total.score, before.total.score), `total with ${d.id}`);
      }),
      { numRuns: 400 },
    );
  });

  it('monotone: one fewer late or disliked dossier never lowers satisfaction (6.3)', () => {
    fc.assert(
      fc.property(anyFacts, fc.constantFrom('lateDossiers', 'dossiersWithComplaintOrDislike' as const), (f, key) => {
        if (f[key] === 0) return;
        const before = item(computeIndex766(f, 'department'), '6.3').points;
        const after = item(computeIndex766({ ...f, [key]: f[key] - 1 }, 'department'), '6.3').points;
        assert.ok(before === null ? after === null : after! >= before);
      }),
      { numRuns: 200 },
    );
  });

  it('group maxima add up to 100 and the table matches domain.md §5', () => {
    assert.deepEqual(Object.values(INDEX766_GROUPS).map((g) => g.maxPoints), [18, 20, 12, 10, 22, 18]);
    const itemMax = (g: number) =>
      SUB_INDICATORS.filter((d) => d.group === g).reduce((s, d) => s + (d.maxPoints === 'config' ? DEFAULT_INDEX766_CONFIG.group3MaxPoints[d.id as '3.1'] : d.maxPoints), 0);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(itemMax), [18, 20, 12, 10.5, 22, 18]); // group 4 capped at 10
  });
});
