/** The pure part of the monitoring settings (src/monitoring/settings.ts): checking and merging a change, reading stored values. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMUNE_LEVEL_NOT_APPLICABLE, DEFAULT_INDEX766_CONFIG, type Index766Config } from '../../src/core/index766.js';
import {
  applySettingsChange,
  changedKeys,
  sameIndex766Config,
  storedIndex766Config,
  storedThresholds,
  thresholdsValue,
  type MonitoringSettings,
} from '../../src/monitoring/settings.js';

const EMPTY: MonitoringSettings = { thresholds: {}, index766: null };

const ok = (current: MonitoringSettings, body: unknown) => {
  const r = applySettingsChange(current, body);
  assert.ok('change' in r, JSON.stringify(r));
  return r.change;
};
const fields = (current: MonitoringSettings, body: unknown) => {
  const r = applySettingsChange(current, body);
  assert.ok('problems' in r, 'expected problems');
  for (const p of r.problems) assert.ok(p.message && p.messageVi && p.message !== p.messageVi, JSON.stringify(p));
  return r.problems.map((p) => p.field);
};

describe('applySettingsChange: thresholds', () => {
  it('merges the indicators given into the current ones, with the direction of the indicator', () => {
    const current: MonitoringSettings = { thresholds: { due_soon: { direction: 'lower_is_better', green: 5, yellow: 20 } }, index766: null };
    const c = ok(current, { thresholds: { online_share: { green: 60, yellow: 40 } }, reason: '  quý I  ' });
    assert.deepEqual(c.next.thresholds, {
      due_soon: { direction: 'lower_is_better', green: 5, yellow: 20 },
      online_share: { direction: 'higher_is_better', green: 60, yellow: 40 },
    });
    assert.equal(c.reason, 'quý I');
    assert.equal(c.next.index766, null);
  });

  it('null, or the default values, drop the override; the direction may be restated but not changed', () => {
    const current: MonitoringSettings = { thresholds: { due_soon: { direction: 'lower_is_better', green: 5, yellow: 20 }, online_share: { direction: 'higher_is_better', green: 1, yellow: 0 } }, index766: null };
    const c = ok(current, { thresholds: { due_soon: null, online_share: { direction: 'higher_is_better', green: 70, yellow: 50 } } });
    assert.deepEqual(c.next.thresholds, {});
    assert.deepEqual(fields(EMPTY, { thresholds: { on_time_rate: { direction: 'lower_is_better', green: 1, yellow: 2 } } }), ['thresholds.on_time_rate']);
  });

  it('accepts the edges: equal green and yellow, 0 and the maximum, decimals for points', () => {
    const c = ok(EMPTY, { thresholds: { online_share: { green: 100, yellow: 0 }, overdue_pending: { green: 3, yellow: 3 }, group_1: { green: 18, yellow: 10.5 } } });
    assert.deepEqual(thresholdsValue(c.next.thresholds), { overdue_pending: { green: 3, yellow: 3 }, online_share: { green: 100, yellow: 0 }, group_1: { green: 18, yellow: 10.5 } });
  });

  it('lists every problem, each with its field', () => {
    assert.deepEqual(
      fields(EMPTY, {
        thresholds: {
          online_share: { green: 40, yellow: 60 }, // higher is better: green < yellow
          overdue_pending: { green: 6, yellow: 5 }, // lower is better: green > yellow
          nope: { green: 1, yellow: 1 },
          group_2: { green: 21, yellow: 10 }, // group 2 has 20 points
          due_soon: { green: Number.NaN, yellow: 1 },
          satisfaction: { green: 90, yellow: 80, red: 0 },
        },
      }),
      ['thresholds.online_share', 'thresholds.overdue_pending', 'thresholds.nope', 'thresholds.group_2', 'thresholds.due_soon', 'thresholds.satisfaction'],
    );
    assert.deepEqual(fields(EMPTY, { thresholds: null }), ['thresholds']);
    assert.deepEqual(fields(EMPTY, { thresholds: { online_share: 70 } }), ['thresholds.online_share']);
    assert.deepEqual(fields(EMPTY, null), ['body']);
    assert.deepEqual(fields(EMPTY, {}), ['body']);
    assert.deepEqual(fields(EMPTY, { thresholds: {}, extra: 1 }), ['extra']);
    assert.deepEqual(fields(EMPTY, { thresholds: {}, reason: 5 }), ['reason']);
  });

  it('keeps the list of problems short for a huge bad body', () => {
    const thresholds = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x${i}`, {}]));
    assert.equal(fields(EMPTY, { thresholds }).length, 40);
  });
});

describe('applySettingsChange: the index configuration', () => {
  const bands = [
    { grade: 'xuat_sac', minScore: 92 },
    { grade: 'tot', minScore: 82 },
    { grade: 'kha', minScore: 65 },
    { grade: 'trung_binh', minScore: 50 },
    { grade: 'yeu', minScore: 0 },
  ];

  it('merges the keys given into the current configuration; notApplicable per unit kind', () => {
    const c = ok(EMPTY, { index766: { gradeBands: bands, notApplicable: { commune: ['1.1'] } } });
    const cfg = c.next.index766!;
    assert.deepEqual(cfg.gradeBands, bands);
    assert.deepEqual(cfg.notApplicable.commune, ['1.1']);
    assert.deepEqual(cfg.notApplicable.ward, [...COMMUNE_LEVEL_NOT_APPLICABLE]);
    assert.deepEqual(cfg.group3MaxPoints, { '3.1': 4, '3.2': 4, '3.3': 4 });
    // A later change of the split keeps the bands set before.
    const c2 = ok(c.next, { index766: { group3MaxPoints: { '3.1': 2, '3.2': 6, '3.3': 4 } } });
    assert.deepEqual(c2.next.index766!.gradeBands, bands);
    assert.deepEqual(c2.next.index766!.group3MaxPoints, { '3.1': 2, '3.2': 6, '3.3': 4 });
  });

  it('a configuration equal to the default (in any list order) is no override; null resets', () => {
    const reordered = { commune: [...COMMUNE_LEVEL_NOT_APPLICABLE].reverse() };
    assert.equal(ok(EMPTY, { index766: { notApplicable: reordered } }).next.index766, null);
    const changed = ok(EMPTY, { index766: { gradeBands: bands } }).next;
    assert.equal(ok(changed, { index766: null }).next.index766, null);
  });

  it('names each problem under index766.', () => {
    assert.deepEqual(fields(EMPTY, { index766: { gradeBands: bands.slice(0, 4) } }), ['index766.gradeBands']);
    assert.deepEqual(fields(EMPTY, { index766: { group3MaxPoints: { '3.1': 4, '3.2': 4 } } }), ['index766.group3MaxPoints']);
    assert.deepEqual(fields(EMPTY, { index766: { notApplicable: { commune: ['1.1', '1.1'] } } }), ['index766.notApplicable.commune']);
    assert.deepEqual(fields(EMPTY, { index766: { colour: 1 } }), ['index766.colour']);
    assert.deepEqual(fields(EMPTY, { index766: [] }), ['index766']);
  });

  it('writes nothing of a change with any problem (thresholds valid, index not)', () => {
    const r = applySettingsChange(EMPTY, { thresholds: { online_share: { green: 60, yellow: 40 } }, index766: { gradeBands: [] } });
    assert.ok('problems' in r);
  });
});

describe('reading stored values', () => {
  it('checks each stored threshold again and drops what is no longer valid', () => {
    assert.deepEqual(
      storedThresholds({ online_share: { green: 60, yellow: 40 }, due_soon: { green: 50, yellow: 1 }, gone: { green: 1, yellow: 0 }, satisfaction: 'x' }),
      { online_share: { direction: 'higher_is_better', green: 60, yellow: 40 } },
    );
    assert.deepEqual(storedThresholds(null), {});
    assert.deepEqual(storedThresholds([1]), {});
  });

  it('falls back to the default configuration (null) when the stored one is not valid', () => {
    assert.equal(storedIndex766Config(undefined), null);
    assert.equal(storedIndex766Config({ gradeBands: [] }), null);
    const cfg: Index766Config = { ...DEFAULT_INDEX766_CONFIG, group3MaxPoints: { '3.1': 3, '3.2': 3, '3.3': 6 } };
    assert.deepEqual(storedIndex766Config(JSON.parse(JSON.stringify(cfg))), cfg);
  });

  it('compares configurations and tells which settings changed', () => {
    assert.ok(sameIndex766Config(DEFAULT_INDEX766_CONFIG, JSON.parse(JSON.stringify(DEFAULT_INDEX766_CONFIG)) as Index766Config));
    const other: Index766Config = { ...DEFAULT_INDEX766_CONFIG, notApplicable: { ...DEFAULT_INDEX766_CONFIG.notApplicable, nation: ['1.1'] } };
    assert.ok(!sameIndex766Config(DEFAULT_INDEX766_CONFIG, other));
    const t: MonitoringSettings = { thresholds: { due_soon: { direction: 'lower_is_better', green: 1, yellow: 2 } }, index766: null };
    assert.deepEqual(changedKeys(EMPTY, EMPTY), []);
    assert.deepEqual(changedKeys(EMPTY, t), ['thresholds']);
    assert.deepEqual(changedKeys(t, { ...t, index766: other }), ['index766']);
    assert.deepEqual(changedKeys({ ...t, index766: other }, EMPTY), ['thresholds', 'index766']);
  });
});
