/**
 * The Decision 766 index view (issue 5 item 7) through HTTP on both databases: a fixed data set
 * driven through the dossier API at known dates (test/helpers/monitoring-fixture.ts, shared with
 * monitoring-heatmap.test.ts), whose index is computed by hand below; the index's groups equal
 * the heatmap's group cells; N/A for what does not apply to wards and communes; ranks within peer
 * groups; who may see what; bad input; and aggregates that contradict themselves shown as a note,
 * not a 500.
 *
 * The hand computation, for a ward or commune with R received in total (received in the period +
 * carried over), O online, T settled early or on time, S settled of which L late, no dossier with
 * a fee, digitised, reusing data or with an electronic result, and no complaint:
 * - group 1: 1.1–1.3 do not apply to wards and communes, 1.4 is not tracked → N/A;
 * - group 2 = 20 × T ÷ R;
 * - group 3: 3.1 does not apply; 3.2 = 4 × min(1; (O ÷ R) ÷ 50%); 3.3 = 4 × full online ÷
 *   eligible (the online birth registration G: 1 ÷ 1; N/A without it) → (3.2 + 3.3) ÷ max × 12;
 * - group 4: 4.1 N/A (no dossier with a fee), 4.2 = 0 of 2 (no online payment), 4.3 = 2.5 × C
 *   with C = procedures set up for online payment ÷ procedures with a fee, both from the procedure
 *   catalogue (the one input not driven here: read from the answer, `catalogue` below) → group 4 =
 *   2.5 × C ÷ 4.5 × 10;
 * - group 5: 5.1 (÷ settled), 5.2 and 5.4 (÷ received) score 0; the others N/A → 0 (N/A without
 *   dossiers);
 * - group 6: 6.1, 6.2 full marks (no complaint), 6.3 = 6 × min(1; (S − L) ÷ S ÷ 90%) → (12 + 6.3);
 * - total = (group 2 + 3 + 4 + 5 + 6) ÷ 82 × 100 (group 1 N/A).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Static } from '@sinclair/typebox';
import { describeEachDatabase } from '../helpers/harness.js';
import { assertBilingual, buildMonitoringFixture, getJson } from '../helpers/monitoring-fixture.js';
import { INDEX766_FACT_NAMES } from '../../src/core/index766.js';
import type { IndexTableBody, IndexUnitBody } from '../../src/monitoring/index-view.js';

type Headers = Record<string, string>;
/** The answers of GET /api/monitoring/index and /index/unit, as the routes declare them (src/monitoring/index-view.ts). */
type Table = Static<typeof IndexTableBody>;
type Row = Table['rows'][number];
type UnitIndex = Static<typeof IndexUnitBody>;
interface Heatmap {
  rows: Array<{ unit: { code: string }; cells: Record<string, { value: number | null; note: string | null }> }>;
}

const rowOf = (t: Table, code: string) => {
  const r = t.rows.find((x) => x.unit.code === code);
  assert.ok(r, `row ${code}`);
  return r;
};
const scores = (r: { groups: Array<{ score: number | null }> }) => r.groups.map((g) => g.score);
const item = (u: UnitIndex, id: string) => {
  const i = u.groups.flatMap((g) => g.items).find((x) => x.id === id);
  assert.ok(i, `item ${id}`);
  return i;
};
/** What the table says of a unit: total, grade, the six groups, peer group, rank, ranked units. */
const summary = (r: Row) => [r.score, r.grade?.id ?? null, scores(r), r.peerGroup, r.rank, r.ranked];

const BMT = 'H15.001'; // Phường Buôn Ma Thuột (ward)
const HP = 'H15.015'; // Xã Hòa Phú (commune)
const IDLE = 'H15.050'; // a commune without dossiers
const DEPT = 'H15.S02'; // Sở Tư pháp (department), without dossiers here

/** Rounded to 2 decimals as the answers are (positive figures). */
const r2 = (x: number) => Math.round(x * 100) / 100;
const fact = (u: UnitIndex, key: string) => {
  const f = u.facts.find((x) => x.key === key);
  assert.ok(f, key);
  return f.value;
};
/** Group 4 when only 4.3 scores (see the module comment): 2.5 × C ÷ 4.5 × 10. */
const group4 = (c: number) => ((2.5 * c) / 4.5) * 10;
/** 6.3 of S settled of which L late: 6 × min(1; (S − L) ÷ S ÷ 90%). */
const item63 = (settled: number, late: number) => 6 * Math.min(1, (settled - late) / settled / 0.9);

describeEachDatabase('monitoring index (Decision 766): a fixed data set computed by hand', (env) => {
  let leader: Headers;
  const PERIOD = 'from=2026-03-02&to=2026-03-10';

  before(async () => {
    const e = env();
    leader = await e.login('lanhdao.tinh');
    await buildMonitoringFixture(e, 'idx', 'Chỉ Số');
  });

  /** The catalogue's counts (procedures with a fee, set up for online payment, offered online). */
  const catalogue = { local: 0, province: 0, provinceOnline: 0 };
  let expected: { bmt: number; hp: number; province: number; g4: number; g4Province: number; g3Province: number };

  before(async () => {
    const e = env();
    const c = async (unit: string) => {
      const u = await getJson<UnitIndex>(e, leader, `/api/monitoring/index/unit?unit=${unit}&${PERIOD}`);
      return { c: fact(u, 'proceduresWithOnlinePaymentSetUp') / fact(u, 'proceduresWithFee'), online: fact(u, 'proceduresOnline') / fact(u, 'proceduresInScope') };
    };
    const [bmt, hp, prov] = [await c(BMT), await c(HP), await c('H15')];
    assert.equal(hp.c, bmt.c, 'a ward and a commune carry out the same commune-level procedures');
    assert.ok(bmt.c > 0 && bmt.c < 1 && prov.c > 0, 'the catalogue has procedures with fees, some set up for online payment');
    catalogue.local = bmt.c;
    catalogue.province = prov.c;
    catalogue.provinceOnline = prov.online;
    const g4 = group4(catalogue.local);
    // Buôn Ma Thuột: R = 8 (A B C D E F G + H carried over), O = 1 (G), T = 4 (A H B G), S = 5 (A H B C
    // G), L = 1 (C): groups 10; (1 + 4) ÷ 8 × 12 = 7.5; g4; 0; 12 + 6 × 80 ÷ 90 = 17.33.
    const bmtTotal = ((10 + 7.5 + g4 + 0 + 12 + item63(5, 1)) / 82) * 100;
    // Hòa Phú: R = 1 (I), O = 0, T = 0, S = 1, L = 1 (I): groups 0; 0 (3.3 N/A: 0 ÷ 4 × 12); g4; 0; 12.
    const hpTotal = ((0 + 0 + g4 + 0 + 12 + item63(1, 1)) / 82) * 100;
    // The province (every item applies but those not tracked): R = 9, O = 1, T = 4, S = 6, L = 2;
    // 3.1 = 4 × min(1; online procedures ÷ 80%).
    const g3Province = 4 * Math.min(1, (catalogue.provinceOnline * 100) / 80) + (4 * (100 / 9)) / 50 + 4;
    const g4Province = group4(catalogue.province);
    const provinceTotal = (((20 * 4) / 9 + g3Province + g4Province + 0 + 12 + item63(6, 2)) / 82) * 100;
    expected = { bmt: r2(bmtTotal), hp: r2(hpTotal), province: r2(provinceTotal), g4: r2(g4), g4Province: r2(g4Province), g3Province: r2(g3Province) };
  });

  it('scores, grades and ranks of the units and of the province, as computed by hand', async () => {
    const t = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}`);
    assert.equal(t.root.code, 'H15');
    assert.deepEqual(t.period, { kind: 'custom', from: '2026-03-02', to: '2026-03-10', days: 9 });
    assert.equal(t.rows.length, 118);
    assert.equal(t.rows[0]!.unit.code, 'H15');
    assert.deepEqual(t.groups.map((g) => g.maxPoints), [18, 20, 12, 10, 22, 18]);
    const { g4 } = expected;
    const bmt = rowOf(t, BMT);
    assert.deepEqual(summary(bmt), [expected.bmt, 'yeu', [null, 10, 7.5, g4, 0, 17.33], 'local', 1, 2]);
    assert.deepEqual([bmt.maxPoints, bmt.peers, bmt.note], [82, 102, null]);
    assert.deepEqual(bmt.grade!.name, { vi: 'Yếu', en: 'Weak' });
    assert.ok(expected.bmt > 40 && expected.bmt < 50, `${expected.bmt}: below 50, "Yếu"`);
    assert.deepEqual(summary(rowOf(t, HP)), [expected.hp, 'yeu', [null, 0, 0, g4, 0, 12], 'local', 2, 2]);
    // The province: group 2 = 20 × 4 ÷ 9; group 6 = 12 + 6 × (4 ÷ 6) ÷ 90%; not ranked.
    const total = t.rows[0]!;
    assert.deepEqual([total.isTotal, ...summary(total)], [true, expected.province, 'yeu', [null, 8.89, expected.g3Province, expected.g4Province, 0, 16.44], null, null, 0]);
    // Without dossiers: only the catalogue's group 4 — a score, but no rank, and why.
    const idle = rowOf(t, IDLE);
    assert.deepEqual([...summary(idle), idle.note], [r2(group4(catalogue.local) * 10), 'yeu', [null, null, null, g4, null, null], 'local', null, 2, 'no_dossiers']);
    assert.match(t.notes.no_dossiers!.en, /not ranked/);
    // Departments are ranked among themselves (none has dossiers here).
    const dept = rowOf(t, DEPT);
    assert.deepEqual([dept.peerGroup, dept.rank, dept.peers, dept.ranked, dept.note], ['department', null, 15, 0, 'no_dossiers']);
    assert.deepEqual(t.peerGroups, [
      { id: 'department', name: { vi: 'Sở, ban, ngành', en: 'Departments' }, units: 15, ranked: 0 },
      { id: 'local', name: { vi: 'Phường, xã', en: 'Wards and communes' }, units: 102, ranked: 2 },
    ]);
    assert.match(t.formulas.rank.en, /wards and communes together/);
    // A unit with nothing to measure at all: no score.
    const none = t.rows.filter((r) => r.score === null);
    assert.ok(none.every((r) => r.note === 'no_score' && r.grade === null && r.rank === null));
  });

  it('each group equals the heatmap’s group cell of every row, for a custom range, a month, a quarter and a day', async () => {
    for (const q of [PERIOD, 'period=month&from=2026-03-17', 'period=quarter&from=2026-02-10', 'period=day&from=2026-03-06']) {
      const t = await getJson<Table>(env(), leader, `/api/monitoring/index?${q}`);
      const h = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${q}`);
      assert.equal(t.rows.length, h.rows.length);
      const cells = new Map(h.rows.map((r) => [r.unit.code, r.cells]));
      for (const r of t.rows) {
        for (const g of r.groups) assert.equal(g.score, cells.get(r.unit.code)![`group_${g.group}`]!.value, `${q} ${r.unit.code} group ${g.group}`);
      }
      assert.ok(t.rows.filter((r) => !r.isTotal && r.groups[1]!.score !== null).length >= 2, `${q}: units to compare`);
    }
  });

  it('presets: month, quarter, year and week as computed by hand', async () => {
    const { g4 } = expected;
    const month = await getJson<Table>(env(), leader, '/api/monitoring/index?period=month&from=2026-03-17');
    assert.deepEqual(month.period, { kind: 'month', from: '2026-03-01', to: '2026-03-31', days: 31 });
    assert.deepEqual(summary(rowOf(month, BMT)), [expected.bmt, 'yeu', [null, 10, 7.5, g4, 0, 17.33], 'local', 1, 2]);
    assert.deepEqual(summary(rowOf(month, HP)), [expected.hp, 'yeu', [null, 0, 0, g4, 0, 12], 'local', 2, 2]);
    // The quarter and the year: Hòa Phú R = 2 (J, I), T = 1 (J), S = 2, L = 1: group 2 = 10,
    // group 6 = 12 + 6 × 50 ÷ 90. Buôn Ma Thuột received H within them: as above.
    const hpQuarter = r2(((10 + 0 + group4(catalogue.local) + 0 + 12 + item63(2, 1)) / 82) * 100);
    for (const q of ['period=quarter&from=2026-02-10', 'period=year&from=2026-03-01']) {
      const t = await getJson<Table>(env(), leader, `/api/monitoring/index?${q}`);
      assert.deepEqual(summary(rowOf(t, HP)), [hpQuarter, 'yeu', [null, 10, 0, g4, 0, 15.33], 'local', 2, 2], q);
      assert.deepEqual(summary(rowOf(t, BMT)), [expected.bmt, 'yeu', [null, 10, 7.5, g4, 0, 17.33], 'local', 1, 2], q);
    }
    // ISO week 2–8 March at Buôn Ma Thuột: R = 5 (A B C D + H), O = 0, T = 3 (A H B), S = 4, L = 1
    // (C), G not yet there (3.3 N/A): groups 12; 0; g4; 0; 12 + 6 × 75 ÷ 90 = 17.
    const week = await getJson<Table>(env(), leader, '/api/monitoring/index?period=week&from=2026-03-04');
    assert.deepEqual(week.period, { kind: 'week', from: '2026-03-02', to: '2026-03-08', days: 7 });
    const bmtWeek = r2(((12 + 0 + group4(catalogue.local) + 0 + 12 + item63(4, 1)) / 82) * 100);
    assert.deepEqual(summary(rowOf(week, BMT)), [bmtWeek, 'yeu', [null, 12, 0, g4, 0, 17], 'local', 1, 2]);
    // A field: every dossier here is Hộ tịch; another field has none.
    const ht = await getJson<Table & { field: { code: string } }>(env(), leader, `/api/monitoring/index?${PERIOD}&field=HT`);
    assert.equal(ht.field.code, 'HT');
    assert.deepEqual([rowOf(ht, BMT).groups[1]!.score, rowOf(ht, HP).groups[1]!.score, rowOf(ht, BMT).rank], [10, 0, 1]);
    const ct = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}&field=CT`);
    assert.deepEqual([rowOf(ct, BMT).groups[1]!.score, rowOf(ct, BMT).rank, ct.rows[0]!.groups[1]!.score], [null, null, null]);
  });

  it('sorting by a group, the total or the rank keeps the total first and N/A last', async () => {
    const desc = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}&sort=group_2`);
    assert.deepEqual(desc.sort, { key: 'group_2', dir: 'desc' });
    assert.deepEqual(desc.rows.slice(0, 3).map((r) => r.unit.code), ['H15', BMT, HP]);
    assert.equal(desc.rows.at(-1)!.groups[1]!.score, null);
    const asc = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}&sort=group_2&dir=asc`);
    assert.deepEqual(asc.rows.slice(0, 3).map((r) => r.unit.code), ['H15', HP, BMT]);
    const total = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}&sort=total`);
    const scored = total.rows.slice(1).map((r) => r.score);
    const firstNull = scored.indexOf(null);
    assert.ok(firstNull > 0 && scored.slice(firstNull).every((x) => x === null), 'N/A last');
    for (let i = 1; i < firstNull; i++) assert.ok(scored[i - 1]! >= scored[i]!, 'highest first');
    // By rank: the departments first (none ranked), then wards and communes by rank.
    const rank = await getJson<Table>(env(), leader, `/api/monitoring/index?${PERIOD}&sort=rank`);
    assert.deepEqual(rank.sort, { key: 'rank', dir: 'asc' });
    assert.ok(rank.rows.slice(1, 16).every((r) => r.peerGroup === 'department'));
    assert.deepEqual(rank.rows.slice(16, 18).map((r) => [r.unit.code, r.rank]), [[BMT, 1], [HP, 2]]);
  });

  it('one unit: every sub-indicator with numerator, denominator, counts, ratio, points, formula and calculation', async () => {
    const u = await getJson<UnitIndex>(env(), leader, `/api/monitoring/index/unit?unit=${BMT}&${PERIOD}`);
    assert.deepEqual([u.unit.code, u.score, u.maxPoints, u.grade?.id, u.hasUnitsBelow], [BMT, expected.bmt, 82, 'yeu', false]);
    assert.deepEqual([u.peerGroup, u.rank, u.peers, u.ranked, u.rankNote], ['local', 1, 102, 2, null]);
    assert.deepEqual(u.peerGroupName, { vi: 'Phường, xã', en: 'Wards and communes' });
    assert.deepEqual(scores(u), [null, 10, 7.5, expected.g4, 0, 17.33]);
    assert.deepEqual(u.groups.flatMap((g) => g.items.map((i) => i.id)), ['1.1', '1.2', '1.3', '1.4', '2.1', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.7', '6.1', '6.2', '6.3']);

    const i21 = item(u, '2.1');
    assert.deepEqual([i21.numerator, i21.denominator, i21.ratio, i21.points, i21.maxPoints, i21.applicable], [4, 8, 50, 10, 20, true]);
    assert.deepEqual(i21.numeratorFacts, [{ key: 'dossiersFinishedOnTime', name: INDEX766_FACT_NAMES.dossiersFinishedOnTime, value: 4 }]);
    assert.deepEqual(i21.denominatorFact, { key: 'dossiersReceived', name: INDEX766_FACT_NAMES.dossiersReceived, value: 8 });
    assert.deepEqual(i21.calculation, { vi: '4 ÷ 8 = 50,00% → 10,00 / 20', en: '4 ÷ 8 = 50.00% → 10.00 / 20' });
    assert.match(i21.formula.en, /^20 × R ÷ 100; R = dossiers settled early or on time ÷ dossiers received/);
    const i32 = item(u, '3.2');
    assert.deepEqual([i32.numerator, i32.denominator, i32.ratio, i32.points, i32.maxPoints], [1, 8, 12.5, 1, 4]);
    assert.deepEqual(i32.calculation, { vi: '1 ÷ 8 = 12,50% → 1,00 / 4', en: '1 ÷ 8 = 12.50% → 1.00 / 4' });
    assert.deepEqual([item(u, '3.3').numerator, item(u, '3.3').denominator, item(u, '3.3').points], [1, 1, 4]);
    assert.deepEqual(u.groups[2]!.calculation, { vi: '5,00 ÷ 8,00 × 12 = 7,50 / 12', en: '5.00 ÷ 8.00 × 12 = 7.50 / 12' });
    const g4 = expected.g4.toFixed(2);
    assert.deepEqual(u.totalCalculation!.en, `(10.00 + 7.50 + ${g4} + 0.00 + 17.33) ÷ 82 × 100 = ${expected.bmt.toFixed(2)}`);
    assert.deepEqual(u.totalCalculation!.vi, `(10,00 + 7,50 + ${g4.replace('.', ',')} + 0,00 + 17,33) ÷ 82 × 100 = ${expected.bmt.toFixed(2).replace('.', ',')}`);

    // N/A: the criteria that do not apply to wards and communes, those not tracked, zero denominators.
    for (const id of ['1.1', '1.2', '1.3', '3.1', '5.7']) {
      const x = item(u, id);
      assert.deepEqual([x.applicable, x.notApplicableReason, x.ratio, x.points], [false, 'not_for_unit_kind', null, null], id);
      assert.match(x.notApplicableText!.vi, /Không áp dụng với loại đơn vị này/);
      assert.match(x.notApplicableText!.en, /Does not apply to this kind of unit/);
      assert.equal(x.calculation.en, 'does not apply to this kind of unit');
    }
    assert.deepEqual([item(u, '1.4').notApplicableReason, item(u, '1.4').points], ['not_tracked', null]);
    assert.match(item(u, '1.4').notApplicableText!.en, /national system/);
    const i41 = item(u, '4.1');
    assert.deepEqual([i41.applicable, i41.notApplicableReason, i41.numerator, i41.denominator], [false, 'zero_denominator', 0, 0]);
    assert.match(i41.notApplicableText!.en, /Denominator 0/);
    assert.equal(u.groups[0]!.applicable, false, 'group 1: nothing applies to a ward');
    // 6.1 and 6.2: full marks without complaints; 6.3 explained by the counts it subtracts.
    assert.deepEqual([item(u, '6.1').points, item(u, '6.1').fullMarksWithoutComplaints], [6, true]);
    const i63 = item(u, '6.3');
    assert.deepEqual([i63.numerator, i63.denominator, i63.ratio, i63.points, i63.numeratorIsShortfall], [4, 5, 80, 5.33, true]);
    assert.deepEqual(i63.numeratorFacts.map((f) => [f.key, f.value]), [['lateDossiers', 1], ['dossiersWithComplaintOrDislike', 0]]);
    assert.equal(i63.calculation.en, '100% − (1 + 0) ÷ 5 = 80.00% → 5.33 / 6');
    assert.equal(fact(u, 'onlineDossiers'), 1);

    // The criteria of wards and communes apply to a department (not tracked, or scored there).
    const dept = await getJson<UnitIndex>(env(), leader, `/api/monitoring/index/unit?unit=${DEPT}&${PERIOD}`);
    assert.deepEqual([item(dept, '1.1').notApplicableReason, item(dept, '3.1').applicable, item(dept, '6.1').notApplicableReason], ['not_tracked', true, 'no_dossiers']);
    assert.deepEqual([dept.peerGroup, dept.rank, dept.rankNote], ['department', null, 'no_dossiers']);

    // The province: the total, not ranked.
    const prov = await getJson<UnitIndex>(env(), leader, `/api/monitoring/index/unit?${PERIOD}`);
    assert.deepEqual([prov.unit.code, prov.hasUnitsBelow, prov.score, prov.rank, prov.rankNote], ['H15', true, expected.province, null, 'total_not_ranked']);
    assert.equal(item(prov, '2.1').calculation.en, '4 ÷ 9 = 44.44% → 8.89 / 20');
    // A desk is not a row of the province's table: not ranked, and why.
    const desk = await getJson<UnitIndex>(env(), leader, `/api/monitoring/index/unit?unit=${BMT}.MC&${PERIOD}`);
    assert.deepEqual([desk.unit.code, desk.rank, desk.rankNote], [`${BMT}.MC`, null, 'not_a_row']);
  });

  it('who may see what: a unit leader sees their unit only; desk officers and citizens 403', async () => {
    const e = env();
    const bmt = await e.login('lanhdao.bmt');
    const own = await getJson<Table>(e, bmt, `/api/monitoring/index?${PERIOD}`);
    assert.equal(own.root.code, BMT);
    assert.deepEqual(own.rows.map((r) => [r.unit.code, r.isTotal, r.score, r.rank]), [[BMT, true, expected.bmt, null]]);
    const ownUnit = await getJson<UnitIndex>(e, bmt, `/api/monitoring/index/unit?${PERIOD}`);
    assert.deepEqual([ownUnit.unit.code, ownUnit.score, ownUnit.rank, ownUnit.rankNote], [BMT, expected.bmt, null, 'total_not_ranked']);
    for (const url of ['/api/monitoring/index?unit=H15', `/api/monitoring/index?unit=${HP}`, '/api/monitoring/index/unit?unit=H15', `/api/monitoring/index/unit?unit=${HP}`]) {
      assertBilingual(await e.app.inject({ method: 'GET', url, headers: bmt }), 403);
    }
    assertBilingual(await e.app.inject({ method: 'GET', url: `/api/monitoring/index/unit?unit=${BMT}`, headers: await e.login('lanhdao.stp') }), 403);
    for (const user of ['motcua.bmt', 'chuyenvien.bmt', 'motcua.tinh']) {
      const h = await e.login(user);
      for (const url of ['/api/monitoring/index', `/api/monitoring/index/unit?unit=${BMT}`]) assertBilingual(await e.app.inject({ method: 'GET', url, headers: h }), 403);
    }
    const citizen = await e.citizen(`vneid-idx-scope-${e.kind}`);
    assertBilingual(await e.app.inject({ method: 'GET', url: '/api/monitoring/index', headers: citizen.headers }), 403);
    assertBilingual(await e.app.inject({ method: 'GET', url: '/api/monitoring/index' }), 401);
    const admin = await getJson<Table>(e, await e.login('admin'), `/api/monitoring/index?${PERIOD}`);
    assert.equal(rowOf(admin, BMT).score, expected.bmt);
  });

  it('bad input: bilingual 400 (404 for an unknown unit or field)', async () => {
    const bad: Array<[string, number, string?]> = [
      ['/api/monitoring/index?from=2026-03-10&to=2026-03-02', 400, 'to'],
      ['/api/monitoring/index?from=2023-01-01&to=2026-01-01', 400, 'to'],
      ['/api/monitoring/index?from=2026-02-30&to=2026-03-02', 400, 'from'],
      ['/api/monitoring/index?period=fortnight', 400, 'period'],
      ['/api/monitoring/index?period=month&from=2026-03-01&to=2026-03-31', 400, 'to'],
      ['/api/monitoring/index?sort=group_7', 400, 'sort'],
      ['/api/monitoring/index?dir=up', 400, 'dir'],
      ['/api/monitoring/index?colour=red', 400],
      ['/api/monitoring/index?unit=H99', 404],
      ['/api/monitoring/index?field=NOPE', 404],
      ['/api/monitoring/index/unit?unit=H15%27--', 400, 'unit'],
      ['/api/monitoring/index/unit?from=2026-03-10&to=2026-03-02', 400, 'to'],
      ['/api/monitoring/index/unit?period=custom&to=2026-03-01', 400, 'from'],
      ['/api/monitoring/index/unit?unit=H99', 404],
    ];
    for (const [url, status, field] of bad) assertBilingual(await env().app.inject({ method: 'GET', url, headers: leader }), status, field);
    // Both routes are documented.
    const docs = await env().app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(docs.statusCode, 200);
    const paths = (docs.json() as { paths: Record<string, { get?: { summary?: string } }> }).paths;
    for (const p of ['/api/monitoring/index', '/api/monitoring/index/unit']) assert.match(paths[p]?.get?.summary ?? '', /766/, p);
  });

  // Last: it corrupts Hòa Phú's aggregates.
  it('aggregates that contradict themselves: a bilingual note, not a 500', async () => {
    const e = env();
    // 5 more settled on time on 9 March than Hòa Phú ever received: on time > received total.
    const r = await e.ctx.db
      .updateTable('monitoring_daily_field')
      .set((eb) => ({ settled_on_time: eb('settled_on_time', '+', 5) }))
      .where('unit_code', '=', HP)
      .where('day', '=', '2026-03-09' as never)
      .executeTakeFirst();
    assert.ok(Number(r.numUpdatedRows) > 0, 'the row of 9 March');
    // The same on March's monthly rows, as every writer does (whole months are read there; the
    // unit roll-up of migration 025 follows by its trigger).
    const m = await sql`update monitoring_monthly_field m set settled_on_time = m.settled_on_time + 5
                          from monitoring_daily_field d
                         where d.unit_code = ${HP} and d.day = '2026-03-09' and m.month = '2026-03-01'
                           and m.unit_code = d.unit_code and m.field_code = d.field_code and m.channel = d.channel`.execute(e.ctx.db);
    assert.equal(Number(m.numAffectedRows), Number(r.numUpdatedRows), 'the month of 9 March');
    const t = await getJson<Table>(e, leader, `/api/monitoring/index?${PERIOD}`);
    const hp = rowOf(t, HP);
    assert.deepEqual([...summary(hp), hp.note], [null, null, [null, null, null, null, null, null], 'local', null, 1, 'inconsistent']);
    assert.match(t.notes.inconsistent!.vi, /không nhất quán/);
    assert.match(t.notes.inconsistent!.en, /inconsistent/);
    assert.deepEqual(summary(rowOf(t, BMT)).slice(0, 5), [expected.bmt, 'yeu', [null, 10, 7.5, expected.g4, 0, 17.33], 'local', 1]);
    const u = await getJson<UnitIndex>(e, leader, `/api/monitoring/index/unit?unit=${HP}&${PERIOD}`);
    assert.deepEqual([u.note, u.score, u.groups.length, u.rankNote], ['inconsistent', null, 0, 'inconsistent']);
  });
});
