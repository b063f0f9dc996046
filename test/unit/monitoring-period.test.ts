/** Periods of the monitoring views: presets in Vietnam time, custom ranges, limits, the previous period. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latestEnd, presetContaining, previousPeriod, resolvePeriod, startOfVietnamDay, vietnamDate, type Period } from '../../src/monitoring/period.js';

const ok = (r: ReturnType<typeof resolvePeriod>): Period => {
  assert.ok('period' in r, JSON.stringify(r));
  return r.period;
};
const problem = (r: ReturnType<typeof resolvePeriod>) => {
  assert.ok('problem' in r, JSON.stringify(r));
  assert.ok(r.problem.message && r.problem.messageVi && r.problem.message !== r.problem.messageVi);
  return r.problem.field;
};
const range = (p: Period) => [p.from, p.to, p.days];

describe('presets', () => {
  it('day, ISO week (Monday to Sunday, across a year end), month, calendar quarter, year', () => {
    assert.deepEqual(range(presetContaining('day', '2026-03-10')), ['2026-03-10', '2026-03-10', 1]);
    assert.deepEqual(range(presetContaining('week', '2026-03-10')), ['2026-03-09', '2026-03-15', 7]);
    assert.deepEqual(range(presetContaining('week', '2026-03-09')), ['2026-03-09', '2026-03-15', 7]); // a Monday
    assert.deepEqual(range(presetContaining('week', '2026-03-15')), ['2026-03-09', '2026-03-15', 7]); // a Sunday
    assert.deepEqual(range(presetContaining('week', '2026-01-01')), ['2025-12-29', '2026-01-04', 7]);
    assert.deepEqual(range(presetContaining('month', '2026-02-14')), ['2026-02-01', '2026-02-28', 28]);
    assert.deepEqual(range(presetContaining('month', '2028-02-29')), ['2028-02-01', '2028-02-29', 29]);
    assert.deepEqual(range(presetContaining('month', '2026-12-31')), ['2026-12-01', '2026-12-31', 31]);
    assert.deepEqual(range(presetContaining('quarter', '2026-01-01')), ['2026-01-01', '2026-03-31', 90]);
    assert.deepEqual(range(presetContaining('quarter', '2026-06-30')), ['2026-04-01', '2026-06-30', 91]);
    assert.deepEqual(range(presetContaining('quarter', '2026-08-15')), ['2026-07-01', '2026-09-30', 92]);
    assert.deepEqual(range(presetContaining('quarter', '2026-12-31')), ['2026-10-01', '2026-12-31', 92]);
    assert.deepEqual(range(presetContaining('year', '2028-07-01')), ['2028-01-01', '2028-12-31', 366]);
  });

  it('resolve around today (default: this month); `to` belongs to custom ranges only', () => {
    assert.deepEqual(ok(resolvePeriod({}, '2026-03-10')), { kind: 'month', from: '2026-03-01', to: '2026-03-31', days: 31 });
    assert.deepEqual(range(ok(resolvePeriod({ period: 'week' }, '2026-03-10'))), ['2026-03-09', '2026-03-15', 7]);
    assert.deepEqual(range(ok(resolvePeriod({ period: 'quarter', from: '2025-11-20' }, '2026-03-10'))), ['2025-10-01', '2025-12-31', 92]);
    assert.equal(problem(resolvePeriod({ period: 'month', to: '2026-03-31' }, '2026-03-10')), 'to');
  });
});

describe('custom ranges', () => {
  it('need both dates in order, at most 3 years', () => {
    assert.deepEqual(ok(resolvePeriod({ from: '2026-03-02', to: '2026-03-10' }, '2026-03-10')), { kind: 'custom', from: '2026-03-02', to: '2026-03-10', days: 9 });
    assert.deepEqual(range(ok(resolvePeriod({ period: 'custom', from: '2026-03-02', to: '2026-03-02' }, '2026-03-10'))), ['2026-03-02', '2026-03-02', 1]);
    assert.equal(problem(resolvePeriod({ from: '2026-03-02' }, '2026-03-10')), 'to');
    assert.equal(problem(resolvePeriod({ to: '2026-03-02' }, '2026-03-10')), 'from');
    assert.equal(problem(resolvePeriod({ period: 'custom' }, '2026-03-10')), 'from');
    assert.equal(problem(resolvePeriod({ from: '2026-03-03', to: '2026-03-02' }, '2026-03-10')), 'to');
    assert.equal(latestEnd('2023-01-01'), '2025-12-31');
    assert.equal(latestEnd('2024-02-29'), '2027-02-28');
    assert.equal(ok(resolvePeriod({ from: '2023-01-01', to: '2025-12-31' }, '2026-03-10')).days, 1096);
    assert.equal(problem(resolvePeriod({ from: '2023-01-01', to: '2026-01-01' }, '2026-03-10')), 'to');
  });
});

describe('the previous period', () => {
  it('is the preset before, or the same number of days just before a custom range', () => {
    assert.deepEqual(range(previousPeriod(presetContaining('day', '2026-03-01'))), ['2026-02-28', '2026-02-28', 1]);
    assert.deepEqual(range(previousPeriod(presetContaining('week', '2026-01-01'))), ['2025-12-22', '2025-12-28', 7]);
    assert.deepEqual(range(previousPeriod(presetContaining('month', '2026-03-10'))), ['2026-02-01', '2026-02-28', 28]);
    assert.deepEqual(range(previousPeriod(presetContaining('quarter', '2026-01-10'))), ['2025-10-01', '2025-12-31', 92]);
    assert.deepEqual(range(previousPeriod(presetContaining('year', '2026-01-10'))), ['2025-01-01', '2025-12-31', 365]);
    assert.deepEqual(previousPeriod({ kind: 'custom', from: '2026-03-02', to: '2026-03-10', days: 9 }), { kind: 'custom', from: '2026-02-21', to: '2026-03-01', days: 9 });
  });
});

describe('Vietnam time', () => {
  it('a local day runs from 17:00 UTC the day before', () => {
    assert.equal(vietnamDate(new Date('2026-03-01T16:59:59.999Z')), '2026-03-01');
    assert.equal(vietnamDate(new Date('2026-03-01T17:00:00Z')), '2026-03-02');
    assert.equal(startOfVietnamDay('2026-03-02').toISOString(), '2026-03-01T17:00:00.000Z');
  });
});
