/**
 * Heatmap columns and colour bands (issue 5 item 2): the indicator table, `band` at, just below
 * and just above each default threshold in both directions, admin thresholds checked, the cells
 * taken from the Decision 766 index, and "falling fastest" between two periods.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  band,
  checkThresholds,
  fallingFastest,
  HEATMAP_INDICATOR_IDS,
  HEATMAP_INDICATORS,
  heatmapIndicator,
  thresholdsFor,
  valuesFromIndex,
  type BandThresholds,
  type HeatmapIndicatorId,
} from '../../src/core/heatmap.js';
import { computeIndex766, INDEX766_FACT_KEYS, type Index766Facts } from '../../src/core/index766.js';

const t = (id: HeatmapIndicatorId) => thresholdsFor(id);

describe('the columns', () => {
  it('are the indicators of issue 5 item 2, in order, with unit and direction', () => {
    assert.deepEqual(HEATMAP_INDICATOR_IDS, [
      'on_time_rate', 'overdue_pending', 'due_soon', 'online_share', 'full_online_share', 'online_payment_share',
      'digitisation_rate', 'reuse_rate', 'satisfaction', 'group_1', 'group_2', 'group_3', 'group_4', 'group_5', 'group_6',
    ]);
    const lower = HEATMAP_INDICATORS.filter((i) => i.direction === 'lower_is_better').map((i) => i.id);
    assert.deepEqual(lower, ['overdue_pending', 'due_soon']);
    assert.deepEqual(HEATMAP_INDICATORS.filter((i) => i.unit === 'count').map((i) => i.id), ['overdue_pending', 'due_soon']);
    assert.deepEqual(HEATMAP_INDICATORS.filter((i) => i.unit === 'points').map((i) => i.maxValue), [18, 20, 12, 10, 22, 18]);
    for (const i of HEATMAP_INDICATORS) {
      assert.ok(i.name.vi && i.name.en, i.id);
      assert.equal(i.defaultThresholds.direction, i.direction, i.id);
      assert.deepEqual(checkThresholds(i.id, i.defaultThresholds), { thresholds: i.defaultThresholds }, i.id);
    }
    assert.equal(heatmapIndicator('group_5').name.vi, 'Nhóm 5: Số hóa hồ sơ');
    assert.throws(() => heatmapIndicator('nope' as HeatmapIndicatorId), RangeError);
  });

  it('default thresholds, as documented', () => {
    const table = Object.fromEntries(HEATMAP_INDICATORS.map((i) => [i.id, [i.defaultThresholds.green, i.defaultThresholds.yellow]]));
    assert.deepEqual(table, {
      on_time_rate: [98, 95],
      overdue_pending: [0, 5],
      due_soon: [10, 30],
      online_share: [70, 50],
      full_online_share: [50, 25],
      online_payment_share: [50, 25],
      digitisation_rate: [90, 70],
      reuse_rate: [80, 50],
      satisfaction: [90, 80],
      group_1: [14.4, 10.8], // 80% and 60% of 18
      group_2: [16, 12],
      group_3: [9.6, 7.2],
      group_4: [8, 6],
      group_5: [17.6, 13.2],
      group_6: [14.4, 10.8],
    });
  });
});

describe('band: at, just below and just above each threshold', () => {
  it('higher is better: on-time rate 98 / 95', () => {
    assert.equal(band(100, t('on_time_rate')), 'green');
    assert.equal(band(98.01, t('on_time_rate')), 'green');
    assert.equal(band(98, t('on_time_rate')), 'green');
    assert.equal(band(97.99, t('on_time_rate')), 'yellow');
    assert.equal(band(95.01, t('on_time_rate')), 'yellow');
    assert.equal(band(95, t('on_time_rate')), 'yellow');
    assert.equal(band(94.99, t('on_time_rate')), 'red');
    assert.equal(band(0, t('on_time_rate')), 'red');
  });

  it("the index's own thresholds: online share 70 / 50, reuse 80 / 50, satisfaction 90 / 80", () => {
    const cases: Array<[HeatmapIndicatorId, number, string]> = [
      ['online_share', 70.01, 'green'], ['online_share', 70, 'green'], ['online_share', 69.99, 'yellow'],
      ['online_share', 50.01, 'yellow'], ['online_share', 50, 'yellow'], ['online_share', 49.99, 'red'],
      ['reuse_rate', 80, 'green'], ['reuse_rate', 79.99, 'yellow'], ['reuse_rate', 80.01, 'green'], ['reuse_rate', 49.99, 'red'],
      ['satisfaction', 90, 'green'], ['satisfaction', 89.99, 'yellow'], ['satisfaction', 90.01, 'green'],
      ['satisfaction', 80, 'yellow'], ['satisfaction', 79.99, 'red'],
      ['full_online_share', 25, 'yellow'], ['full_online_share', 24.99, 'red'],
      ['online_payment_share', 50, 'green'], ['digitisation_rate', 89.99, 'yellow'], ['digitisation_rate', 69.99, 'red'],
    ];
    for (const [id, v, expected] of cases) assert.equal(band(v, t(id)), expected, `${id} ${v}`);
  });

  it('lower is better: overdue 0 / 5, due soon 10 / 30', () => {
    assert.equal(band(0, t('overdue_pending')), 'green');
    assert.equal(band(1, t('overdue_pending')), 'yellow');
    assert.equal(band(5, t('overdue_pending')), 'yellow');
    assert.equal(band(6, t('overdue_pending')), 'red');
    assert.equal(band(9, t('due_soon')), 'green');
    assert.equal(band(10, t('due_soon')), 'green');
    assert.equal(band(11, t('due_soon')), 'yellow');
    assert.equal(band(30, t('due_soon')), 'yellow');
    assert.equal(band(31, t('due_soon')), 'red');
  });

  it('group scores: 80% / 60% of the maximum (group 1: 14.4 / 10.8)', () => {
    assert.equal(band(14.4, t('group_1')), 'green');
    assert.equal(band(14.39, t('group_1')), 'yellow');
    assert.equal(band(10.8, t('group_1')), 'yellow');
    assert.equal(band(10.79, t('group_1')), 'red');
    assert.equal(band(17.6, t('group_5')), 'green');
    assert.equal(band(17.59, t('group_5')), 'yellow');
  });

  it('N/A', () => {
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(band(v, t('on_time_rate')), 'na');
  });

  it('property: a better value never gets a worse band', () => {
    const order = { green: 0, yellow: 1, red: 2, na: 3 } as const;
    const thresholds = fc
      .tuple(fc.constantFrom('higher_is_better', 'lower_is_better' as const), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }))
      .map(([direction, a, b]): BandThresholds =>
        direction === 'higher_is_better' ? { direction, green: Math.max(a, b), yellow: Math.min(a, b) } : { direction, green: Math.min(a, b), yellow: Math.max(a, b) },
      );
    fc.assert(
      fc.property(thresholds, fc.double({ min: -10, max: 110, noNaN: true }), fc.double({ min: -10, max: 110, noNaN: true }), (th, x, y) => {
        const [worse, better] = th.direction === 'higher_is_better' ? [Math.min(x, y), Math.max(x, y)] : [Math.max(x, y), Math.min(x, y)];
        assert.ok(order[band(better, th)] <= order[band(worse, th)]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('admin thresholds', () => {
  it('accepted within range, green no worse than yellow; an override is used', () => {
    assert.deepEqual(checkThresholds('online_share', { green: 90, yellow: 70 }), { thresholds: { direction: 'higher_is_better', green: 90, yellow: 70 } });
    assert.deepEqual(checkThresholds('overdue_pending', { direction: 'lower_is_better', green: 2, yellow: 2 }), {
      thresholds: { direction: 'lower_is_better', green: 2, yellow: 2 },
    });
    const province = { online_share: { direction: 'higher_is_better', green: 90, yellow: 70 } as BandThresholds };
    assert.equal(band(80, thresholdsFor('online_share', province)), 'yellow'); // the province target 90%
    assert.equal(band(80, thresholdsFor('online_share')), 'green');
    assert.deepEqual(thresholdsFor('satisfaction', province), t('satisfaction'));
  });

  it('refused, with the reason in both languages', () => {
    const bad: Array<[HeatmapIndicatorId, unknown, RegExp]> = [
      ['online_share', { green: 50, yellow: 70 }, /'green' must be at least 'yellow'/],
      ['overdue_pending', { green: 6, yellow: 5 }, /'green' must be at most 'yellow'/],
      ['online_share', { green: 101, yellow: 50 }, /from 0 to 100/],
      ['group_4', { green: 10.5, yellow: 6 }, /from 0 to 10/],
      ['due_soon', { green: -1, yellow: 5 }, /≥ 0/],
      ['online_share', { green: '90', yellow: 50 }, /'green'/],
      ['online_share', { yellow: 50 }, /'green'/],
      ['online_share', { green: 90, yellow: 50, red: 10 }, /unknown key\(s\): red/],
      ['online_share', { direction: 'lower_is_better', green: 10, yellow: 50 }, /cannot be changed/],
      ['online_share', null, /must be an object/],
      ['online_share', [90, 50], /must be an object/],
    ];
    for (const [id, x, reason] of bad) {
      const res = checkThresholds(id, x);
      assert.ok('problem' in res, JSON.stringify(x));
      assert.match(res.problem.reason, reason);
      assert.ok(res.problem.reasonVi.length > 0);
    }
  });
});

describe('cells from the Decision 766 index', () => {
  const F = Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, 0])) as unknown as Index766Facts;
  const facts: Index766Facts = {
    ...F,
    proceduresInScope: 200,
    proceduresAnnouncedOnTime: 180,
    dossiersReceived: 1000,
    dossiersSynced: 950,
    dossiersFinishedOnTime: 920,
    onlineDossiers: 450, // 45%
    fullOnlineEligibleDossiers: 400,
    fullOnlineDossiers: 100, // 25%
    dossiersWithFee: 300,
    dossiersPaidOnline: 90, // 30%
    dossiersDigitised: 700, // 70%
    dossiersReusingData: 200, // 20%
    satisfactionBase: 900,
    lateDossiers: 45,
    dossiersWithComplaintOrDislike: 18, // 100 − 5 − 2 = 93%
  };

  it('the ratios and group scores, so the heatmap and the index agree', () => {
    const r = computeIndex766(facts, 'department');
    const v = valuesFromIndex(r);
    assert.deepEqual(v, {
      online_share: 45,
      full_online_share: 25,
      online_payment_share: 30,
      digitisation_rate: 70,
      reuse_rate: 20,
      satisfaction: 93,
      group_1: r.groups[0]!.score,
      group_2: 18.4, // 20 × 92%
      group_3: r.groups[2]!.score,
      group_4: r.groups[3]!.score,
      group_5: r.groups[4]!.score,
      group_6: 18, // no complaints (6 + 6) + satisfaction 93% ≥ 90% (6)
    });
    assert.equal(band(v.online_share, t('online_share')), 'red');
    assert.equal(band(v.satisfaction, t('satisfaction')), 'green');
  });

  it('N/A stays N/A', () => {
    const r = computeIndex766({ ...facts, dossiersWithFee: 0, dossiersPaidOnline: 0 }, 'department');
    const v = valuesFromIndex(r);
    assert.equal(v.online_payment_share, null);
    assert.equal(v.group_4, null); // no procedure with fees either: the whole group is N/A
    assert.equal(band(v.group_4, t('group_4')), 'na');
  });
});

describe('falling fastest between two periods', () => {
  const pairs = [
    { unitId: 'H15.015', indicator: 'overdue_pending' as const, previous: 0, current: 10 }, //  +10 dossiers / band 5 = 2
    { unitId: 'H15.001', indicator: 'on_time_rate' as const, previous: 98, current: 92 }, //     −6 points / band 3 = 2
    { unitId: 'H15.001', indicator: 'online_share' as const, previous: 60, current: 65 }, //     better: left out
    { unitId: 'H15.S02', indicator: 'satisfaction' as const, previous: 95, current: 94 }, //     −1 / band 10 = 0.1
    { unitId: 'H15.S02', indicator: 'group_2' as const, previous: 18, current: 14 }, //          −4 / band (16 − 12) = 1
    { unitId: 'H15.020', indicator: 'due_soon' as const, previous: null, current: 5 }, //       no previous: left out
    { unitId: 'H15.021', indicator: 'reuse_rate' as const, previous: 50, current: 50 }, //       unchanged: left out
    { unitId: 'H15.022', indicator: 'online_share' as const, previous: 70.1, current: 69.9 }, // −0.2 / band 20 = 0.01
  ];

  it('worst first, measured in widths of the yellow band; ties by unit, then column', () => {
    const falls = fallingFastest(pairs);
    assert.deepEqual(
      falls.map((f) => [f.unitId, f.indicator, f.delta, f.drop, f.previousBand, f.currentBand]),
      [
        ['H15.001', 'on_time_rate', -6, 2, 'green', 'red'],
        ['H15.015', 'overdue_pending', 10, 2, 'green', 'red'],
        ['H15.S02', 'group_2', -4, 1, 'green', 'yellow'],
        ['H15.S02', 'satisfaction', -1, 0.1, 'green', 'green'],
        ['H15.022', 'online_share', -0.2, 0.01, 'green', 'yellow'],
      ],
    );
    assert.deepEqual(fallingFastest(pairs, { limit: 2 }).map((f) => f.unitId), ['H15.001', 'H15.015']);
    assert.deepEqual(fallingFastest([]), []);
  });

  it("uses the admin's thresholds for the width", () => {
    const thresholds = { on_time_rate: { direction: 'higher_is_better', green: 98, yellow: 88 } as BandThresholds }; // band 10: −6 → 0.6
    const falls = fallingFastest(pairs, { thresholds });
    assert.deepEqual(falls.find((f) => f.indicator === 'on_time_rate')!.drop, 0.6);
    assert.equal(falls[0]!.indicator, 'overdue_pending');
    // green = yellow: a width of 1
    const flat = { due_soon: { direction: 'lower_is_better', green: 5, yellow: 5 } as BandThresholds };
    assert.equal(fallingFastest([{ unitId: 'X', indicator: 'due_soon', previous: 3, current: 7 }], { thresholds: flat })[0]!.drop, 4);
  });

  it('property: only pairs that got worse, sorted by drop', () => {
    const pair = fc.record({
      unitId: fc.constantFrom('A', 'B', 'C'),
      indicator: fc.constantFrom(...HEATMAP_INDICATOR_IDS),
      previous: fc.option(fc.integer({ min: 0, max: 10000 }).map((x) => x / 100)),
      current: fc.option(fc.integer({ min: 0, max: 10000 }).map((x) => x / 100)),
    });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 30 }), (ps) => {
        const falls = fallingFastest(ps);
        for (const f of falls) {
          const dir = heatmapIndicator(f.indicator).direction;
          assert.ok(dir === 'higher_is_better' ? f.current < f.previous : f.current > f.previous);
          assert.ok(f.drop > 0);
        }
        for (let i = 1; i < falls.length; i++) assert.ok(falls[i - 1]!.drop >= falls[i]!.drop);
        const worse = ps.filter((p) => p.previous !== null && p.current !== null && (heatmapIndicator(p.indicator).direction === 'higher_is_better' ? p.current < p.previous : p.current > p.previous));
        assert.equal(falls.length, worse.length);
      }),
      { numRuns: 300 },
    );
  });
});
