/**
 * The leaders' heatmap, hot spots and drill-down (issue 5 items 2–4) through HTTP on both
 * databases: a fixed data set driven through the dossier API at known dates, whose cells are
 * computed by hand below; a simulated quarter where the total row is the sum of the unit rows and
 * every drilled cell explains itself down to exactly as many dossier codes as its numbers; bad
 * input; and who may see what.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { freshKey } from '../helpers/dossier-api.js';
import { assertBilingual, buildMonitoringFixture, getJson } from '../helpers/monitoring-fixture.js';
import { simulateDossiers } from '../../src/seed/simulate.js';
import { HEATMAP_INDICATOR_IDS } from '../../src/core/heatmap.js';
import { COMPUTED_INDICATORS } from '../../src/monitoring/cells.js';
import { COMPOSITE_INDICATORS } from '../../src/monitoring/drill.js';

/** Cells whose numbers are counts of dossiers (the group scores other than 2 sum items' points). */
const COUNTED = COMPUTED_INDICATORS.filter((i) => !COMPOSITE_INDICATORS.includes(i));

type Headers = Record<string, string>;
interface Cell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  band: string;
  formula: string | null;
  note: string | null;
}
interface Row {
  unit: { code: string; kind: string };
  isTotal: boolean;
  cells: Record<string, Cell>;
}
interface Heatmap {
  root: { code: string };
  period: { kind: string; from: string; to: string; days: number };
  today: string;
  rows: Row[];
  indicators: Array<{ id: string; computed: boolean; timeframe: string; formula: { vi: string; en: string } }>;
  notes: Record<string, { vi: string; en: string }>;
}
interface Drill {
  cell: Cell;
  procedures: Array<{ procedure: { code: string }; numerator: number | null; denominator: number | null; value: number | null }>;
}
interface DossierPage {
  items: Array<{ code: string; link: string; procedureCode: string }>;
  nextCursor: string | null;
}

/** Every dossier code of a drilled list, following the cursor. */
async function drillCodes(env: TestEnv, headers: Headers, query: string, limit = 200): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page: DossierPage = await getJson<DossierPage>(env, headers, `/api/monitoring/drill/dossiers?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    for (const it of page.items) assert.equal(it.link, `/can-bo/ho-so/${encodeURIComponent(it.code)}`);
    codes.push(...page.items.map((x) => x.code));
    cursor = page.nextCursor;
    if (!cursor) {
      assert.equal(new Set(codes).size, codes.length, 'no dossier listed twice');
      return codes;
    }
  }
  throw new Error('too many pages');
}

const rowOf = (h: Heatmap, code: string) => {
  const r = h.rows.find((x) => x.unit.code === code);
  assert.ok(r, `row ${code}`);
  return r;
};

/** value / numerator / denominator / band of a cell, for compact asserts. */
const vnd = (c: Cell) => [c.value, c.numerator, c.denominator, c.band];

describeEachDatabase('monitoring heatmap: a fixed data set computed by hand', (env) => {
  let leader: Headers;
  const d: Record<string, string> = {};
  const PERIOD = 'from=2026-03-02&to=2026-03-10';

  before(async () => {
    const e = env();
    leader = await e.login('lanhdao.tinh');
    Object.assign(d, await buildMonitoringFixture(e, 'hm', 'Giám Hộ'));

    // The appointments the hand computation assumes.
    const rows = await e.ctx.db.selectFrom('dossiers').select(['code', 'legal_appointment_at']).where('code', 'in', Object.values(d)).execute();
    const by = new Map(rows.map((r) => [r.code, r]));
    const due = (k: string) => by.get(d[k]!)!.legal_appointment_at!.toISOString();
    assert.equal(due('J'), '2026-02-26T02:00:00.000Z');
    assert.equal(due('H'), '2026-03-04T02:00:00.000Z');
    assert.equal(due('A'), '2026-03-05T02:00:00.000Z');
    assert.equal(due('D'), '2026-03-05T02:00:00.000Z');
    assert.equal(due('I'), '2026-03-06T02:00:00.000Z');
    assert.equal(due('E'), '2026-03-12T02:00:00.000Z');
    assert.equal(due('F'), '2026-03-13T01:00:00.000Z');
  });

  it('cells of the units and of the province total, as computed by hand', async () => {
    const h = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${PERIOD}`);
    assert.equal(h.root.code, 'H15');
    assert.deepEqual(h.period, { kind: 'custom', from: '2026-03-02', to: '2026-03-10', days: 9 });
    assert.equal(h.today, '2026-03-10');
    // The province first, then 15 departments (14 + the service centre), 14 wards, 88 communes.
    assert.equal(h.rows.length, 118);
    assert.equal(h.rows[0]!.unit.code, 'H15');
    assert.ok(h.rows[0]!.isTotal && h.rows.slice(1).every((r) => !r.isTotal));
    assert.deepEqual([...new Set(h.rows.slice(1).map((r) => r.unit.kind))], ['department', 'ward', 'commune']);
    assert.deepEqual(h.indicators.map((i) => i.id), HEATMAP_INDICATOR_IDS);

    // Buôn Ma Thuột (H15.001): received A B C D E F G (G online), H carried over: 8 in total;
    // settled A (early), B H G (on time), C (late); D overdue; E due soon.
    const bmt = rowOf(h, 'H15.001').cells;
    assert.deepEqual(vnd(bmt.on_time_rate!), [80, 4, 5, 'red']);
    assert.deepEqual(vnd(bmt.overdue_pending!), [1, 1, null, 'yellow']);
    assert.deepEqual(vnd(bmt.due_soon!), [1, 1, null, 'green']);
    assert.deepEqual(vnd(bmt.online_share!), [12.5, 1, 8, 'red']);
    assert.deepEqual(vnd(bmt.group_2!), [10, 4, 8, 'red']);
    assert.deepEqual([bmt.on_time_rate!.formula, bmt.online_share!.formula, bmt.group_2!.formula], ['(1 + 3) ÷ 5 × 100%', '1 ÷ 8 × 100%', '20 × 4 ÷ 8']);
    // Hòa Phú (H15.015): I received and settled late; J belongs to the previous period.
    const hp = rowOf(h, 'H15.015').cells;
    assert.deepEqual(vnd(hp.on_time_rate!), [0, 0, 1, 'red']);
    assert.deepEqual(vnd(hp.online_share!), [0, 0, 1, 'red']);
    assert.deepEqual(vnd(hp.group_2!), [0, 0, 1, 'red']);
    assert.deepEqual(vnd(hp.overdue_pending!), [0, 0, null, 'green']);
    // The province: 9 received in total, 6 settled of which 4 on time.
    const total = h.rows[0]!.cells;
    assert.deepEqual(vnd(total.on_time_rate!), [66.67, 4, 6, 'red']);
    assert.deepEqual(vnd(total.online_share!), [11.11, 1, 9, 'red']);
    assert.deepEqual(vnd(total.group_2!), [8.89, 4, 9, 'red']);
    assert.deepEqual(vnd(total.overdue_pending!), [1, 1, null, 'yellow']);
    assert.deepEqual(vnd(total.due_soon!), [1, 1, null, 'green']);
    // A unit without dossiers: N/A where the denominator is 0, and why.
    const idle = rowOf(h, 'H15.050').cells;
    assert.deepEqual(vnd(idle.on_time_rate!), [null, 0, 0, 'na']);
    assert.equal(idle.on_time_rate!.note, 'no_settled');
    assert.match(h.notes.no_settled!.en, /denominator 0/);
    assert.deepEqual(vnd(idle.overdue_pending!), [0, 0, null, 'green']);
    // The other Decision 766 columns (walk-ins of H15-HT-05: paper result, no fee, not eligible
    // for full online; G: 1.001193, eligible, submitted online, free case, paper and electronic result).
    // 3.3: G is the only eligible dossier and it is online: 1 ÷ 1.
    assert.deepEqual(vnd(bmt.full_online_share!), [100, 1, 1, 'green']);
    // 4.1: no dossier had a fee: N/A (denominator 0).
    assert.deepEqual([...vnd(bmt.online_payment_share!), bmt.online_payment_share!.note], [null, 0, 0, 'na', 'zero_denominator']);
    // 5.2, 5.4: no copy was made of any document: 0 of the 8.
    assert.deepEqual(vnd(bmt.digitisation_rate!), [0, 0, 8, 'red']);
    assert.deepEqual(vnd(bmt.reuse_rate!), [0, 0, 8, 'red']);
    // 6.3: 5 settled, 1 late (C), none disliked: 100% − 1 ÷ 5 = 80% (yellow from 80).
    assert.deepEqual(vnd(bmt.satisfaction!), [80, 4, 5, 'yellow']);
    assert.equal(bmt.satisfaction!.formula, '100% − (1 + 0) ÷ 5 × 100%');
    // Group 1: 1.1–1.3 do not apply to a ward, 1.4 (sync to the national portal) is not tracked.
    assert.deepEqual([...vnd(bmt.group_1!), bmt.group_1!.note], [null, null, null, 'na', 'not_tracked']);
    // Group 3: 3.1 N/A for a ward; 3.2 = 4 × 12.5 ÷ 50 = 1; 3.3 = 4 × 100% = 4 → 5 ÷ 8 × 12 = 7.5.
    assert.deepEqual(vnd(bmt.group_3!), [7.5, 5, 8, 'yellow']);
    assert.equal(bmt.group_3!.formula, '(1 + 4) ÷ 8 × 12');
    // Group 4: 4.1 N/A; 4.2 B = 0 of the 20 commune procedures with a fee; 4.3 C = 16 of 20 set
    // up (with a fee and offered online) → 2.5 × 0.8 = 2 → 2 ÷ 4.5 × 10 = 4.44.
    assert.deepEqual(vnd(bmt.group_4!), [4.44, 2, 4.5, 'red']);
    // Group 5: 5.1 0 of the 5 paper results settled has a signed electronic file; 5.2, 5.4 0 →
    // 0 of 12 (5.3, 5.5, 5.6 not tracked, 5.7 not for a ward).
    assert.deepEqual(vnd(bmt.group_5!), [0, 0, 12, 'red']);
    // Group 6: no complaints → 6.1 and 6.2 full (6 + 6); 6.3 = 6 × 80 ÷ 90 = 5.33 → 17.33 of 18.
    assert.deepEqual(vnd(bmt.group_6!), [17.33, 17.33, 18, 'green']);
    // The province: 3.1 applies (33 of its 37 procedures online: 89.19% ≥ 80 → 4); 3.2 = 4 × 11.11 ÷ 50
    // = 0.89; 3.3 = 4 → 8.89 ÷ 12 × 12.
    assert.deepEqual(vnd(total.group_3!), [8.89, 8.89, 12, 'yellow']);
    assert.deepEqual(vnd(total.full_online_share!), [100, 1, 1, 'green']);
    assert.equal(total.satisfaction!.formula, '100% − (2 + 0) ÷ 6 × 100%');
    assert.match(h.notes.not_tracked!.en, /national system/);
    assert.match(h.notes.not_tracked!.vi, /hệ thống quốc gia/);
    for (const i of h.indicators) {
      assert.ok(i.formula.vi && i.formula.en && i.formula.vi !== i.formula.en, i.id);
      assert.equal(i.computed, COMPUTED_INDICATORS.includes(i.id as never), i.id);
    }
    assert.match(h.indicators.find((i) => i.id === 'online_share')!.formula.en, /carried over/);
  });

  it('presets: the month containing a date gives the same cells; week and quarter resolve in Vietnam time', async () => {
    const month = await getJson<Heatmap>(env(), leader, '/api/monitoring/heatmap?period=month&from=2026-03-17');
    assert.deepEqual(month.period, { kind: 'month', from: '2026-03-01', to: '2026-03-31', days: 31 });
    assert.deepEqual(vnd(rowOf(month, 'H15.001').cells.on_time_rate!), [80, 4, 5, 'red']);
    assert.deepEqual(vnd(rowOf(month, 'H15.001').cells.online_share!), [12.5, 1, 8, 'red']);
    const week = await getJson<Heatmap>(env(), leader, '/api/monitoring/heatmap?period=week&from=2026-03-08');
    assert.deepEqual(week.period, { kind: 'week', from: '2026-03-02', to: '2026-03-08', days: 7 });
    // 2–8 March: A B C D received, H carried over; A H B C settled (3 on time of 4).
    assert.deepEqual(vnd(rowOf(week, 'H15.001').cells.on_time_rate!), [75, 3, 4, 'red']);
    assert.deepEqual(vnd(rowOf(week, 'H15.001').cells.online_share!), [0, 0, 5, 'red']);
    const quarter = await getJson<Heatmap>(env(), leader, '/api/monitoring/heatmap?period=quarter&from=2026-02-10');
    assert.deepEqual(quarter.period, { kind: 'quarter', from: '2026-01-01', to: '2026-03-31', days: 90 });
    // The whole quarter: J is in Hòa Phú's cells now.
    assert.deepEqual(vnd(rowOf(quarter, 'H15.015').cells.on_time_rate!), [50, 1, 2, 'red']);
    const day = await getJson<Heatmap>(env(), leader, '/api/monitoring/heatmap?period=day&from=2026-03-06');
    // 6 March: C settled late; received total = C and D, open when the day began.
    assert.deepEqual(vnd(rowOf(day, 'H15.001').cells.on_time_rate!), [0, 0, 1, 'red']);
    assert.deepEqual(vnd(rowOf(day, 'H15.001').cells.group_2!), [0, 0, 2, 'red']);
    const noQuery = await getJson<Heatmap>(env(), leader, '/api/monitoring/heatmap');
    assert.deepEqual(noQuery.period, month.period, 'default: this month');
  });

  it('sorting by a column keeps the total first and puts N/A last', async () => {
    const asc = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${PERIOD}&sort=on_time_rate&dir=asc`);
    assert.deepEqual(asc.rows.slice(0, 3).map((r) => r.unit.code), ['H15', 'H15.015', 'H15.001']);
    assert.equal(asc.rows.at(-1)!.cells.on_time_rate!.value, null);
    const desc = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${PERIOD}&sort=overdue_pending&dir=desc`);
    assert.deepEqual(desc.rows.slice(0, 2).map((r) => r.unit.code), ['H15', 'H15.001']);
  });

  it('filter by field: only Hộ tịch counts; another field is empty', async () => {
    const ht = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${PERIOD}&field=HT`);
    assert.deepEqual(vnd(rowOf(ht, 'H15.001').cells.on_time_rate!), [80, 4, 5, 'red']);
    const ct = await getJson<Heatmap & { field: { code: string } }>(env(), leader, `/api/monitoring/heatmap?${PERIOD}&field=CT`);
    assert.equal(ct.field.code, 'CT');
    assert.deepEqual(vnd(ct.rows[0]!.cells.on_time_rate!), [null, 0, 0, 'na']);
    assert.deepEqual(vnd(ct.rows[0]!.cells.overdue_pending!), [0, 0, null, 'green']);
  });

  it('hot spots: red cells worst first, falling fastest against the previous 9 days, dossiers due within 2 working days', async () => {
    const hs = await getJson<{
      previousPeriod: { from: string; to: string };
      red: Array<{ unit: { code: string }; indicator: string; value: number; severity: number }>;
      redCount: number;
      falling: Array<{ unit: { code: string }; indicator: string; previous: number; current: number; drop: number }>;
      dueSoon: { items: Array<{ code: string; link: string; unit: { code: string }; legalAppointmentAt: string }>; more: boolean };
    }>(env(), leader, `/api/monitoring/hotspots?${PERIOD}`);
    assert.deepEqual(hs.previousPeriod, { kind: 'custom', from: '2026-02-21', to: '2026-03-01', days: 9 });
    // Severity = distance past the yellow threshold in widths of the yellow band.
    const red = hs.red.map((r) => [r.unit.code, r.indicator, r.value, r.severity]);
    assert.deepEqual(red.slice(0, 13), [
      ['H15.015', 'on_time_rate', 0, 31.67], // (95 − 0) ÷ 3
      ['H15.015', 'satisfaction', 0, 8], // I settled late: 100% − 100% = 0; (80 − 0) ÷ 10
      ['H15.001', 'on_time_rate', 80, 5], // (95 − 80) ÷ 3
      ['H15.001', 'digitisation_rate', 0, 3.5], // (70 − 0) ÷ 20
      ['H15.015', 'digitisation_rate', 0, 3.5],
      ['H15.001', 'group_5', 0, 3], // (13.2 − 0) ÷ 4.4
      ['H15.015', 'group_2', 0, 3], // (12 − 0) ÷ 4
      ['H15.015', 'group_3', 0, 3], // 3.2 = 0, 3.3 N/A (nothing eligible): 0; (7.2 − 0) ÷ 2.4
      ['H15.015', 'group_5', 0, 3],
      ['H15.015', 'online_share', 0, 2.5], // (50 − 0) ÷ 20
      ['H15.001', 'online_share', 12.5, 1.88],
      ['H15.001', 'reuse_rate', 0, 1.67], // (50 − 0) ÷ 30
      ['H15.015', 'reuse_rate', 0, 1.67],
    ]);
    // The rest: group 4 of every unit carrying out procedures with a fee (no online payment yet:
    // B = 0, C = 16 of 20 → 4.44; (6 − 4.44) ÷ 2), the 102 wards and communes among them.
    assert.ok(red.slice(13).every(([, id, v, sev]) => id === 'group_4' && v === 4.44 && sev === 0.78));
    assert.ok(hs.redCount >= 13 + 102);
    // Hòa Phú settled J early before and I late now; Buôn Ma Thuột's satisfaction item had no
    // settled dossier before (N/A, group 6 = 12 of 12 → 18) and is 80% now (17.33).
    assert.deepEqual(
      hs.falling.map((f) => [f.unit.code, f.indicator, f.previous, f.current, f.drop]),
      [
        ['H15.015', 'on_time_rate', 100, 0, 33.33],
        ['H15.015', 'satisfaction', 100, 0, 10],
        ['H15.015', 'group_2', 20, 0, 5],
        ['H15.015', 'group_6', 18, 12, 1.67], // (18 − 12) ÷ 3.6
        ['H15.001', 'group_6', 18, 17.33, 0.19],
      ],
    );
    assert.deepEqual(hs.dueSoon.items.map((x) => [x.code, x.unit.code, x.legalAppointmentAt, x.link]), [[d.E, 'H15.001', '2026-03-12T02:00:00.000Z', `/can-bo/ho-so/${d.E}`]]);
    assert.equal(hs.dueSoon.more, false);
  });

  it('drill-down: the procedures behind a cell, then exactly the dossiers counted', async () => {
    const drill = await getJson<Drill>(env(), leader, `/api/monitoring/drill?unit=H15.001&indicator=on_time_rate&${PERIOD}`);
    assert.deepEqual(vnd(drill.cell), [80, 4, 5, 'red']);
    assert.deepEqual(
      drill.procedures.map((p) => [p.procedure.code, p.numerator, p.denominator, p.value]),
      [
        ['H15-HT-05', 3, 4, 75],
        ['1.001193', 1, 1, 100],
      ],
    );
    const list = async (q: string) => (await drillCodes(env(), leader, `${PERIOD}&${q}`, 2)).sort();
    const sorted = (...ks: string[]) => ks.map((k) => d[k]!).sort();
    assert.deepEqual(await list('unit=H15.001&indicator=on_time_rate&part=numerator'), sorted('A', 'B', 'G', 'H'));
    assert.deepEqual(await list('unit=H15.001&indicator=on_time_rate&part=denominator'), sorted('A', 'B', 'C', 'G', 'H'));
    assert.deepEqual(await list('unit=H15.001&indicator=on_time_rate&part=denominator&procedure=H15-HT-05'), sorted('A', 'B', 'C', 'H'));
    assert.deepEqual(await list('unit=H15.001&indicator=online_share&part=numerator'), sorted('G'));
    assert.deepEqual(await list('unit=H15.001&indicator=online_share&part=denominator'), sorted('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'));
    assert.deepEqual(await list('unit=H15.001&indicator=group_2&part=numerator'), sorted('A', 'B', 'G', 'H'));
    assert.deepEqual(await list('unit=H15.001&indicator=overdue_pending&part=numerator'), sorted('D'));
    assert.deepEqual(await list('unit=H15.001&indicator=due_soon&part=numerator'), sorted('E'));
    // The province's cell: both communes.
    assert.deepEqual(await list('unit=H15&indicator=on_time_rate&part=denominator'), sorted('A', 'B', 'C', 'G', 'H', 'I'));
    assert.deepEqual(await list('unit=H15&indicator=group_2&part=denominator'), sorted('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'));
    // The previous period of Hòa Phú.
    assert.deepEqual((await drillCodes(env(), leader, 'from=2026-02-21&to=2026-03-01&unit=H15.015&indicator=on_time_rate&part=numerator')).sort(), sorted('J'));
  });

  it('who may see what: leaders of their jurisdiction only; bilingual refusals', async () => {
    const e = env();
    const bmt = await e.login('lanhdao.bmt');
    const own = await getJson<Heatmap>(e, bmt, `/api/monitoring/heatmap?${PERIOD}`);
    assert.equal(own.root.code, 'H15.001');
    assert.deepEqual(own.rows.map((r) => r.unit.code), ['H15.001']);
    assert.deepEqual(vnd(own.rows[0]!.cells.on_time_rate!), [80, 4, 5, 'red']);
    const admin = await getJson<Heatmap>(e, await e.login('admin'), `/api/monitoring/heatmap?${PERIOD}`);
    assert.equal(admin.rows.length, 118);
    for (const url of ['/api/monitoring/heatmap?unit=H15', '/api/monitoring/heatmap?unit=H15.015', '/api/monitoring/hotspots?unit=H15', '/api/monitoring/drill?unit=H15.015&indicator=on_time_rate', '/api/monitoring/drill/dossiers?unit=H15&indicator=on_time_rate&part=numerator']) {
      assertBilingual(await e.app.inject({ method: 'GET', url, headers: bmt }), 403);
    }
    // The department leader cannot see a commune.
    assertBilingual(await e.app.inject({ method: 'GET', url: '/api/monitoring/heatmap?unit=H15.001', headers: await e.login('lanhdao.stp') }), 403);
    for (const user of ['motcua.bmt', 'chuyenvien.bmt', 'motcua.tinh']) {
      const h = await e.login(user);
      for (const url of ['/api/monitoring/heatmap', '/api/monitoring/hotspots', '/api/monitoring/drill?indicator=on_time_rate', '/api/monitoring/drill/dossiers?indicator=on_time_rate&part=numerator']) {
        assertBilingual(await e.app.inject({ method: 'GET', url, headers: h }), 403);
      }
    }
    const citizen = await e.citizen(`vneid-hm-scope-${e.kind}`);
    assertBilingual(await e.app.inject({ method: 'GET', url: '/api/monitoring/heatmap', headers: citizen.headers }), 403);
    assertBilingual(await e.app.inject({ method: 'GET', url: '/api/monitoring/heatmap' }), 401);
  });

  it('bad input: bilingual 400 (or 404 for an unknown unit, field or procedure)', async () => {
    const e = env();
    const bad: Array<[string, number, string?]> = [
      ['/api/monitoring/heatmap?from=2026-03-10&to=2026-03-02', 400, 'to'],
      ['/api/monitoring/heatmap?from=2023-01-01&to=2026-01-01', 400, 'to'], // a day over 3 years
      ['/api/monitoring/heatmap?from=2026-02-30&to=2026-03-02', 400, 'from'],
      ['/api/monitoring/heatmap?from=2026-3-1&to=2026-03-02', 400, 'from'],
      ['/api/monitoring/heatmap?from=2026-03-01', 400, 'to'], // custom needs both
      ['/api/monitoring/heatmap?period=custom&to=2026-03-01', 400, 'from'],
      ['/api/monitoring/heatmap?period=month&from=2026-03-01&to=2026-03-31', 400, 'to'],
      ['/api/monitoring/heatmap?period=fortnight', 400, 'period'],
      ['/api/monitoring/heatmap?sort=nope', 400, 'sort'],
      ['/api/monitoring/heatmap?dir=up', 400, 'dir'],
      ['/api/monitoring/heatmap?colour=red', 400],
      ['/api/monitoring/heatmap?unit=H15%27--', 400, 'unit'],
      ['/api/monitoring/heatmap?unit=H99', 404],
      ['/api/monitoring/heatmap?field=NOPE', 404],
      ['/api/monitoring/hotspots?from=2026-03-10&to=2026-03-02', 400, 'to'],
      ['/api/monitoring/drill?unit=H15.001', 400, 'indicator'],
      ['/api/monitoring/drill?unit=H15.001&indicator=group_5', 400, 'indicator'], // a score over several items
      ['/api/monitoring/drill?unit=H15.001&indicator=nope', 400, 'indicator'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=on_time_rate', 400, 'part'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=overdue_pending&part=denominator', 400, 'part'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=group_1&part=numerator', 400, 'indicator'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=on_time_rate&part=numerator&cursor=bm90LWEtY3Vyc29y', 400, 'cursor'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=on_time_rate&part=numerator&cursor=!!', 400, 'cursor'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=on_time_rate&part=numerator&limit=0', 400, 'limit'],
      ['/api/monitoring/drill/dossiers?unit=H15.001&indicator=on_time_rate&part=numerator&procedure=NOPE', 404],
    ];
    for (const [url, status, field] of bad) assertBilingual(await e.app.inject({ method: 'GET', url, headers: leader }), status, field);
  });

  // Last: it changes Hòa Phú's calendar.
  it("due soon counts by each unit's own calendar", async () => {
    const e = env();
    // Hòa Phú works Monday, Tuesday and Friday only: from Tuesday 10 March its 2nd working day
    // ahead is Monday 16 (Buôn Ma Thuột's is Thursday 12).
    const day = [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }];
    const hours = await e.app.inject({ method: 'PUT', url: '/api/calendar/hours/H15.015', headers: await e.login('admin'), payload: { weekly: { 1: day, 2: day, 5: day } } });
    assert.equal(hours.statusCode, 200, hours.body);
    // 1 working day from Tuesday 09:00: 6 hours on Tuesday, 2 on Friday → due Friday 13 March,
    // the same day as F at Buôn Ma Thuột, which is not due soon there.
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...(await e.login('motcua.hoaphu')), 'idempotency-key': freshKey('hm') },
      payload: { procedureCode: 'H15-CU-03', caseCode: 'MAC_DINH', applicant: { name: 'Cư Trú K (mô phỏng)', phone: '0905000112' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const k = json<{ code: string }>(res).code;
    const due = await e.ctx.db.selectFrom('dossiers').select('legal_appointment_at').where('code', '=', k).executeTakeFirstOrThrow();
    assert.equal(due.legal_appointment_at!.toISOString(), '2026-03-13T02:00:00.000Z');

    const h = await getJson<Heatmap>(e, leader, `/api/monitoring/heatmap?${PERIOD}`);
    assert.deepEqual(vnd(rowOf(h, 'H15.015').cells.due_soon!), [1, 1, null, 'green']);
    assert.deepEqual(vnd(rowOf(h, 'H15.001').cells.due_soon!), [1, 1, null, 'green']);
    assert.deepEqual(vnd(h.rows[0]!.cells.due_soon!), [2, 2, null, 'green']);
    assert.deepEqual((await drillCodes(e, leader, `${PERIOD}&unit=H15&indicator=due_soon&part=numerator`)).sort(), [d.E!, k].sort());
    const hs = await getJson<{ dueSoon: { items: Array<{ code: string }> } }>(e, leader, `/api/monitoring/hotspots?${PERIOD}`);
    assert.deepEqual(hs.dueSoon.items.map((x) => x.code), [d.E, k]);
  });
});

describeEachDatabase('monitoring heatmap: a simulated quarter explains itself', (env) => {
  let leader: Headers;

  before(async () => {
    env().setNow('2026-03-31T09:00:00Z');
    await simulateDossiers(env().ctx, { dossiers: 1500, days: 91, seed: 11 });
    leader = await env().login('lanhdao.tinh');
  });

  // Month: carried over read from the days since the period began; quarter: from the days before
  // it; a custom range across months; the field filter.
  for (const q of ['period=month&from=2026-03-05', 'period=quarter&from=2026-03-05', 'from=2026-02-10&to=2026-03-15', 'period=month&from=2026-02-01&field=HT']) {
    it(`the total row is the sum of the unit rows; cells drill down to as many dossiers as they count (${q})`, { timeout: 300_000 }, async () => {
      const h = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${q}`);
      const [total, ...units] = h.rows;
      for (const id of COUNTED) {
        const sum = (k: 'numerator' | 'denominator') => units.reduce((s, r) => s + (r.cells[id]![k] ?? 0), 0);
        assert.equal(total!.cells[id]!.numerator, sum('numerator'), `${id} numerator`);
        assert.equal(total!.cells[id]!.denominator ?? 0, sum('denominator'), `${id} denominator`);
      }
      assert.ok(total!.cells.on_time_rate!.denominator! > 50, 'enough settled dossiers to compare');
      assert.ok(total!.cells.online_share!.denominator! > total!.cells.on_time_rate!.denominator! / 2);

      // The busiest units, a hot spot, and the total.
      const busiest = [...units].sort((a, b) => (b.cells.online_share!.denominator ?? 0) - (a.cells.online_share!.denominator ?? 0)).slice(0, 2);
      const worst = [...units].filter((r) => r.cells.on_time_rate!.value !== null).sort((a, b) => a.cells.on_time_rate!.value! - b.cells.on_time_rate!.value!)[0]!;
      for (const row of [total!, ...busiest, worst]) {
        for (const id of COUNTED) {
          const cell = row.cells[id]!;
          const base = `${q}&unit=${row.unit.code}&indicator=${id}`;
          const drill = await getJson<Drill>(env(), leader, `/api/monitoring/drill?${base}`);
          assert.deepEqual(vnd(drill.cell), vnd(cell), `${row.unit.code} ${id}: drill cell = heatmap cell`);
          assert.equal(drill.procedures.reduce((s, p) => s + (p.numerator ?? 0), 0), cell.numerator, `${row.unit.code} ${id}: procedures add up`);
          assert.equal(drill.procedures.reduce((s, p) => s + (p.denominator ?? 0), 0), cell.denominator ?? 0, `${row.unit.code} ${id}: procedures add up`);
          const num = await drillCodes(env(), leader, `${base}&part=numerator`);
          assert.equal(num.length, cell.numerator, `${row.unit.code} ${id}: numerator dossiers`);
          if (cell.denominator !== null) {
            const den = await drillCodes(env(), leader, `${base}&part=denominator`);
            assert.equal(den.length, cell.denominator, `${row.unit.code} ${id}: denominator dossiers`);
            const inDen = new Set(den);
            assert.ok(num.every((c) => inDen.has(c)), `${row.unit.code} ${id}: the numerator is part of the denominator`);
          }
        }
        // One procedure of the cell down to its dossiers.
        const drill = await getJson<Drill>(env(), leader, `/api/monitoring/drill?${q}&unit=${row.unit.code}&indicator=online_share`);
        const p = drill.procedures[0];
        if (p) {
          const codes = await drillCodes(env(), leader, `${q}&unit=${row.unit.code}&indicator=online_share&part=denominator&procedure=${p.procedure.code}`);
          assert.equal(codes.length, p.denominator);
        }
      }
    });
  }

  it('hot spots of the simulated quarter are red cells of the heatmap; falling ones compare with the previous quarter', { timeout: 120_000 }, async () => {
    const q = 'period=month&from=2026-03-05';
    const h = await getJson<Heatmap>(env(), leader, `/api/monitoring/heatmap?${q}`);
    const hs = await getJson<{
      red: Array<{ unit: { code: string }; indicator: string; value: number; severity: number }>;
      redCount: number;
      falling: Array<{ unit: { code: string }; indicator: string; current: number; previous: number; drop: number }>;
      dueSoon: { items: Array<{ code: string }> };
    }>(env(), leader, `/api/monitoring/hotspots?${q}`);
    const redInMap = h.rows.slice(1).flatMap((r) => Object.entries(r.cells).filter(([, c]) => c.band === 'red').map(([id]) => `${r.unit.code}|${id}`));
    assert.equal(hs.redCount, redInMap.length);
    assert.ok(hs.red.length > 0, 'the simulator makes hot spots');
    for (const r of hs.red) {
      assert.ok(redInMap.includes(`${r.unit.code}|${r.indicator}`));
      assert.equal(rowOf(h, r.unit.code).cells[r.indicator]!.value, r.value);
    }
    for (let i = 1; i < hs.red.length; i++) assert.ok(hs.red[i - 1]!.severity >= hs.red[i]!.severity, 'worst first');
    for (let i = 1; i < hs.falling.length; i++) assert.ok(hs.falling[i - 1]!.drop >= hs.falling[i]!.drop, 'fastest first');
    for (const f of hs.falling) assert.equal(rowOf(h, f.unit.code).cells[f.indicator]!.value, f.current);
    // The due-soon list is part of the due-soon cells.
    const dueSoon = await drillCodes(env(), leader, `${q}&unit=H15&indicator=due_soon&part=numerator`);
    assert.ok(hs.dueSoon.items.every((x) => dueSoon.includes(x.code)));
  });
});
