/** Where time goes (issue 5 item 9): the pure parts of the step aggregate and of the time view. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localMonth, stepDeltaOf } from '../../src/monitoring/step-aggregates.js';
import { baselineOf, limitLength, percent, ratio, slowestSteps, stepFigures, trendMonths, type MonthSums } from '../../src/monitoring/time-view.js';

const H = 3_600_000;

describe('stepDeltaOf', () => {
  const at = new Date('2026-03-31T18:00:00Z'); // 1 April 01:00 in Vietnam

  it('a step left with its time and norm: one hand-over in the local month', () => {
    assert.deepEqual(stepDeltaOf({ fromStep: 'leader', stepTimeliness: 'late', at, payload: { stepWorkingMs: 16 * H, stepNormMs: 19_200_000 } }), {
      month: '2026-04-01',
      step: 'leader',
      counts: { handovers: 1, early: 0, onTime: 0, late: 1, workingMs: 16 * H, normMs: 19_200_000, withNorm: 1 },
    });
    assert.equal(localMonth(at, 0), '2026-03-01', 'in UTC it is still March');
  });

  it('without a norm the hand-over counts, its norm does not', () => {
    const d = stepDeltaOf({ fromStep: 'return', stepTimeliness: 'on_time', at, payload: { stepWorkingMs: 5400000 } });
    assert.deepEqual(d?.counts, { handovers: 1, early: 0, onTime: 1, late: 0, workingMs: 5_400_000, normMs: 0, withNorm: 0 });
  });

  it('nothing for an action that leaves no step with a known time', () => {
    assert.equal(stepDeltaOf({ fromStep: 'specialist', stepTimeliness: 'early', at, payload: {} }), null, 'a re-assignment, or an action before migration 023');
    assert.equal(stepDeltaOf({ fromStep: 'specialist', stepTimeliness: null, at, payload: { stepWorkingMs: H } }), null);
    assert.equal(stepDeltaOf({ fromStep: null, stepTimeliness: 'early', at, payload: { stepWorkingMs: H } }), null);
    assert.equal(stepDeltaOf({ fromStep: 'leader', stepTimeliness: 'early', at, payload: { stepWorkingMs: '3600000' } }), null, 'only numbers');
  });
});

describe('limitLength', () => {
  it('working days and hours exactly; calendar days and same day approximately; none has no length', () => {
    assert.deepEqual(limitLength('working_days', 3), { kind: 'working_days', value: 3, workingMs: 24 * H, approximate: false });
    assert.deepEqual(limitLength('working_days', 0.5), { kind: 'working_days', value: 0.5, workingMs: 4 * H, approximate: false });
    assert.deepEqual(limitLength('hours', 4), { kind: 'hours', value: 4, workingMs: 4 * H, approximate: false });
    // 7 calendar days ≈ 5 working days = 40 h.
    assert.deepEqual(limitLength('days', 7), { kind: 'days', value: 7, workingMs: 40 * H, approximate: true });
    assert.deepEqual(limitLength('same_day', 0), { kind: 'same_day', value: 0, workingMs: 8 * H, approximate: true });
    assert.equal(limitLength('none', 0).workingMs, null);
  });
});

describe('ratios, shares and step figures', () => {
  it('rounds a ratio to 3 decimals and a share to 2; nothing over zero', () => {
    assert.equal(ratio(17, 24), 0.708);
    assert.equal(ratio(1, 0), null);
    assert.equal(ratio(null, 3), null);
    assert.equal(percent(1, 3), 33.33);
    assert.equal(percent(0, 0), null);
  });

  it('averages a step over its hand-overs and its norm over those that had one', () => {
    const f = stepFigures({ step: 'leader', handovers: 4, early: 1, onTime: 1, late: 2, workingMs: 30 * H, normMs: 3 * 5 * H, withNorm: 3 });
    assert.deepEqual(f, { step: 'leader', handovers: 4, early: 1, onTime: 1, late: 2, lateShare: 50, totalWorkingMs: 30 * H, avgWorkingMs: 7.5 * H, avgNormMs: 5 * H, ratio: 1.5 });
  });

  it('ranks the slowest steps by ratio, then total time; steps without a norm are left out', () => {
    const s = [
      { id: 'a', ratio: 1.2, totalWorkingMs: 10 },
      { id: 'b', ratio: null, totalWorkingMs: 999 },
      { id: 'c', ratio: 2, totalWorkingMs: 1 },
      { id: 'd', ratio: 1.2, totalWorkingMs: 50 },
    ];
    assert.deepEqual(slowestSteps(s).map((x) => x.id), ['c', 'd', 'a']);
    assert.deepEqual(slowestSteps(s, 1).map((x) => x.id), ['c']);
  });
});

describe('the goal line', () => {
  const months: MonthSums[] = [
    { month: '2024-11', settled: 0, workingMs: 0 },
    ...Array.from({ length: 14 }, (_, i) => {
      const n = 2024 * 12 + 11 + i; // December 2024 onwards
      return { month: `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`, settled: 2, workingMs: 2 * (i + 1) * H };
    }),
  ];

  it('baseline: the first 12 months with settled dossiers, weighted by dossiers', () => {
    const b = baselineOf(months);
    // December 2024 … November 2025: averages 1 h … 12 h, 2 dossiers each → 6.5 h.
    assert.deepEqual(b, { kind: 'first_12_months', year: null, from: '2024-12', to: '2025-11', months: 12, settled: 24, avgWorkingMs: 6.5 * H });
  });

  it('baseline: a calendar year; none without settled dossiers in it', () => {
    // 2025: January … December = months 2 … 13 → average 7.5 h.
    assert.deepEqual(baselineOf(months, 2025), { kind: 'year', year: 2025, from: '2025-01', to: '2025-12', months: 12, settled: 24, avgWorkingMs: 7.5 * H });
    assert.equal(baselineOf(months, 2023), null);
    assert.equal(baselineOf([]), null);
  });

  it('trend: from the first month with data, at least 12 and at most 24 months, ending with the period', () => {
    const t = trendMonths(months, '2026-01');
    assert.equal(t.length, 14);
    assert.deepEqual(t[0], { month: '2024-12', settled: 2, avgWorkingMs: H });
    assert.deepEqual(t.at(-1), { month: '2026-01', settled: 2, avgWorkingMs: 14 * H });
    const short = trendMonths([{ month: '2026-01', settled: 1, workingMs: H }], '2026-02');
    assert.equal(short.length, 12);
    assert.deepEqual(short.slice(-2), [
      { month: '2026-01', settled: 1, avgWorkingMs: H },
      { month: '2026-02', settled: 0, avgWorkingMs: null },
    ]);
    assert.equal(trendMonths(months, '2027-12').length, 24);
    assert.equal(trendMonths(months, '2027-12')[0]!.month, '2026-01');
    // The first month with data may lie before the months passed (the server reads only the trend's window).
    assert.equal(trendMonths([], '2026-03', '2024-01').length, 24);
    assert.equal(trendMonths([], '2026-03', '2025-10').length, 12);
    assert.equal(trendMonths([], '2026-03', null).length, 12);
  });
});
