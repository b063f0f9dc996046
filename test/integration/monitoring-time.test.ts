/**
 * Where time goes (issue 5 item 9) through HTTP on both databases: dossiers driven through the
 * dossier API at known instants, whose step times, averages, ratios and goal line are computed by
 * hand below; who may see what and bad input; and monitoring_steps_monthly kept by every writer
 * (live actions, the simulator) equal to its rebuild from the action log.
 *
 * Working hours (default calendar): Mon–Fri 07:00–11:30 and 13:30–17:00, 8 h a day. H15-HT-05
 * and H15-DKKD-01 both have a limit of 3 working days (24 h) and steps desk, specialist, leader,
 * return, so their step norms are shares of 24 h by weight 1 : 6 : 2: specialist 16 h, leader
 * 5 h 20 min. H15-DKKD-01 has a service norm of 2 working days (16 h).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { act, freshKey } from '../helpers/dossier-api.js';
import { assertBilingual } from '../helpers/monitoring-fixture.js';
import { simulateDossiers } from '../../src/seed/simulate.js';
import { rebuildStepAggregates } from '../../src/monitoring/step-aggregates.js';
import type { TimeViewBody } from '../../src/monitoring/time-view.js';

type Headers = Record<string, string>;
const H = 3_600_000;
const MIN = 60_000;
const SPECIALIST_NORM = 16 * H;
const LEADER_NORM = 5 * H + 20 * MIN;

/** The answer of GET /api/monitoring/time, as the route declares it (src/monitoring/time-view.ts). */
type TimeBody = Static<typeof TimeViewBody>;
type StepView = TimeBody['stepTotals'][number];

async function getTime(env: TestEnv, headers: Headers, query: string): Promise<TimeBody> {
  const res = await env.app.inject({ method: 'GET', url: `/api/monitoring/time?${query}`, headers });
  assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
  return json<TimeBody>(res);
}

/** Vietnam local time → the instant (UTC+7). */
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

const stepOf = (b: TimeBody, procedure: string, step: string) => {
  const s = b.steps.find((x) => x.procedure.code === procedure && x.step === step);
  assert.ok(s, `${procedure} ${step}`);
  return s;
};
const pick = (s: StepView) => [s.handovers, s.early, s.onTime, s.late, s.totalWorkingMs, s.avgWorkingMs, s.avgNormMs, s.ratio];

async function stepRows(env: TestEnv) {
  type Raw = { unit_code: string; month: string; procedure_code: string; step: string } & Record<'handovers' | 'early' | 'on_time' | 'late' | 'working_ms' | 'norm_ms' | 'with_norm', unknown>;
  const r = await sql<Raw>`select unit_code, month::text, procedure_code, step, handovers, early, on_time, late, working_ms, norm_ms, with_norm
                                               from monitoring_steps_monthly order by unit_code, month, procedure_code, step`.execute(env.ctx.db);
  return r.rows.map((x) => ({ ...x, handovers: Number(x.handovers), early: Number(x.early), on_time: Number(x.on_time), late: Number(x.late), working_ms: Number(x.working_ms), norm_ms: Number(x.norm_ms), with_norm: Number(x.with_norm) }));
}

describeEachDatabase('where time goes: a fixed data set computed by hand', (env) => {
  let bmtLeader: Headers;
  let province: Headers;

  before(async () => {
    const e = env();
    const desk = await e.login('motcua.bmt');
    const specialist = await e.login('chuyenvien.bmt');
    bmtLeader = await e.login('lanhdao.bmt');
    const hpDesk = await e.login('motcua.hoaphu');
    const hpSpecialist = await e.login('chuyenvien.hoaphu');
    const hpLeader = await e.login('lanhdao.hoaphu');
    province = await e.login('lanhdao.tinh');
    const walkIn = async (headers: Headers, procedureCode: string, name: string) => {
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...headers, 'idempotency-key': freshKey('time') },
        payload: { procedureCode, caseCode: 'MAC_DINH', applicant: { name: `${name} (mô phỏng)`, phone: '0905000222' } },
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ code: string }>(res).code;
    };
    const at = (local: string) => e.setNow(vn(local));

    // F (January, H15.001, HT-05): specialist Mon 08:00 → 16:00 = 3.5 + 2.5 = 6 h; leader Mon
    // 16:00 → Tue 08:00 = 1 + 1 = 2 h; processing 8 h.
    at('2026-01-05T08:00');
    const f = await walkIn(desk, 'H15-HT-05', 'Thời Gian F');
    at('2026-01-05T16:00');
    await act(e, specialist, f, { type: 'forward' });
    at('2026-01-06T08:00');
    await act(e, bmtLeader, f, { type: 'finish' });

    // A (H15.001, HT-05): specialist Mon 2 Mar 08:00 → 14:00 = 3.5 + 0.5 = 4 h (early); leader
    // 14:00 → Tue 09:00 = 3 + 2 = 5 h, due Tue 09:20 (on time); processing 9 h, due Thu: early.
    at('2026-03-02T08:00');
    const a = await walkIn(desk, 'H15-HT-05', 'Thời Gian A');
    // D (Hòa Phú H15.015, HT-05): specialist 1 h, leader 1 h, processing 2 h.
    const d = await walkIn(hpDesk, 'H15-HT-05', 'Thời Gian D');
    // B (H15.001, HT-05), received Mon 09:00.
    at('2026-03-02T09:00');
    const b = await walkIn(desk, 'H15-HT-05', 'Thời Gian B');
    await act(e, hpSpecialist, d, { type: 'forward' });
    at('2026-03-02T10:00');
    await act(e, hpLeader, d, { type: 'finish' });
    await act(e, specialist, b, { type: 'request_supplement', reason: 'Thiếu tờ khai', missing: ['Tờ khai'] });
    at('2026-03-02T14:00');
    await act(e, specialist, a, { type: 'forward' });
    // C (H15.001, DKKD-01): specialist Tue 08:00 → 10:00 = 2 h; leader 10:00 → 11:00 = 1 h; processing 3 h.
    at('2026-03-03T08:00');
    const c = await walkIn(desk, 'H15-DKKD-01', 'Thời Gian C');
    at('2026-03-03T09:00');
    await act(e, bmtLeader, a, { type: 'finish' });
    // B's supplement: Mon 10:00 → Tue 10:00 = 8 working hours of waiting.
    at('2026-03-03T10:00');
    await act(e, desk, b, { type: 'supplement', documents: ['Tờ khai'] });
    await act(e, specialist, c, { type: 'forward' });
    at('2026-03-03T11:00');
    await act(e, bmtLeader, c, { type: 'finish' });
    // B: specialist Mon 09:00 → Wed 10:00 = 6 + 8 + 3 = 17 h − 8 h waiting = 9 h (due Thu 09:00: early).
    at('2026-03-04T10:00');
    await act(e, specialist, b, { type: 'forward' });
    // B: leader Wed 10:00 → Fri 10:00 = 5 + 8 + 3 = 16 h, due Thu 07:20: late. Processing Mon 09:00
    // → Fri 10:00 = 33 h − 8 h = 25 h; appointment Fri 09:00, finished the same day: on time.
    at('2026-03-06T10:00');
    await act(e, bmtLeader, b, { type: 'finish' });
    // E (H15.001, HT-05), still open: specialist Mon 9 Mar 08:00 → 13:30 = 3.5 h.
    at('2026-03-09T08:00');
    const eCode = await walkIn(desk, 'H15-HT-05', 'Thời Gian E');
    at('2026-03-09T13:30');
    await act(e, specialist, eCode, { type: 'forward' });
    e.setNow('2026-03-20T03:00:00Z');
  });

  it('per procedure: settled, average processing time against the legal limit and the service norm', async () => {
    const t = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01');
    assert.equal(t.root.code, 'H15.001');
    assert.deepEqual(t.period.from, '2026-03-01');
    // A 9 h + B 25 h + C 3 h = 37 h over 3 dossiers.
    assert.deepEqual(t.totals, { settled: 3, late: 0, lateShare: 0, avgWorkingMs: (37 * H) / 3 });
    assert.deepEqual(
      t.procedures.map((p) => p.procedure.code),
      ['H15-HT-05', 'H15-DKKD-01'],
      'closest to the legal limit first',
    );
    const [ht, dk] = t.procedures;
    assert.deepEqual([ht!.settled, ht!.early, ht!.onTime, ht!.late, ht!.lateShare, ht!.avgWorkingMs], [2, 1, 1, 0, 0, 17 * H]);
    assert.deepEqual(ht!.limit, { kind: 'working_days', value: 3, workingMs: 24 * H, approximate: false, casesDiffer: false });
    assert.equal(ht!.serviceNorm, null);
    assert.equal(ht!.limitRatio, 0.708, '17 h ÷ 24 h');
    assert.equal(ht!.serviceNormRatio, null);
    assert.deepEqual([dk!.settled, dk!.avgWorkingMs, dk!.limit?.workingMs, dk!.serviceNorm?.workingMs], [1, 3 * H, 24 * H, 16 * H]);
    assert.equal(dk!.limitRatio, 0.125, '3 h ÷ 24 h');
    assert.equal(dk!.serviceNormRatio, 0.188, '3 h ÷ 16 h');
  });

  it('per step: time at the step against its norm, late share; the slowest steps', async () => {
    const t = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01');
    assert.deepEqual(t.stepMonths, { from: '2026-03', to: '2026-03' });
    // Specialist of HT-05: A 4 h, B 9 h, E 3.5 h (all early) = 16.5 h.
    assert.deepEqual(pick(stepOf(t, 'H15-HT-05', 'specialist')), [3, 3, 0, 0, 16.5 * H, 5.5 * H, SPECIALIST_NORM, 0.344]);
    // Leader of HT-05: A 5 h on time, B 16 h late = 21 h.
    const htLeader = stepOf(t, 'H15-HT-05', 'leader');
    assert.deepEqual(pick(htLeader), [2, 0, 1, 1, 21 * H, 10.5 * H, LEADER_NORM, 1.969]);
    assert.equal(htLeader.lateShare, 50);
    assert.deepEqual(pick(stepOf(t, 'H15-DKKD-01', 'specialist')), [1, 1, 0, 0, 2 * H, 2 * H, SPECIALIST_NORM, 0.125]);
    assert.deepEqual(pick(stepOf(t, 'H15-DKKD-01', 'leader')), [1, 1, 0, 0, 1 * H, 1 * H, LEADER_NORM, 0.188]);
    assert.equal(t.steps.length, 4, 'the return step is never left in these dossiers');
    assert.deepEqual(
      t.steps.map((s) => `${s.procedure.code}/${s.step}`),
      ['H15-DKKD-01/specialist', 'H15-DKKD-01/leader', 'H15-HT-05/specialist', 'H15-HT-05/leader'],
      'by procedure, then in the order of its steps',
    );
    assert.deepEqual(
      t.slowest.map((s) => `${s.procedure.code}/${s.step}`),
      ['H15-HT-05/leader', 'H15-HT-05/specialist', 'H15-DKKD-01/leader', 'H15-DKKD-01/specialist'],
    );
    // Over both procedures: specialist 18.5 h / 4 = 4.625 h; leader 22 h / 3.
    assert.deepEqual(
      t.stepTotals.map((s) => [s.step, s.handovers, s.late, s.avgWorkingMs, s.avgNormMs, s.ratio]),
      [
        ['specialist', 4, 0, 4.625 * H, SPECIALIST_NORM, 0.289],
        ['leader', 3, 1, (22 * H) / 3, LEADER_NORM, 1.375],
      ],
    );
    // A week: the procedures settled in it, the step figures of its whole month.
    const week = await getTime(env(), bmtLeader, 'period=week&from=2026-03-09');
    assert.equal(week.totals.settled, 0);
    assert.deepEqual(week.procedures, []);
    assert.equal(stepOf(week, 'H15-HT-05', 'specialist').handovers, 3);
  });

  it('the trend against the goal line: 70% of the first 12 months with data, or of a given year', async () => {
    const t = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01');
    // Baseline: January (F, 8 h) and March (37 h over 3): 45 h over 4 dossiers = 11.25 h.
    assert.deepEqual(t.trend.baseline && { ...t.trend.baseline, label: undefined }, {
      kind: 'first_12_months',
      year: null,
      from: '2026-01',
      to: '2026-03',
      months: 2,
      settled: 4,
      avgWorkingMs: 11.25 * H,
      label: undefined,
    });
    assert.match(t.trend.baseline!.label.vi, /12|2 tháng/);
    assert.equal(t.trend.goalRatio, 0.7);
    assert.equal(t.trend.goalWorkingMs, 28_350_000, '70% of 11.25 h = 7.875 h');
    // March's 12.33 h is 9.63% above the baseline: the goal is not met.
    assert.deepEqual(t.trend.current, { avgWorkingMs: (37 * H) / 3, reductionPercent: -9.63, goalMet: false });
    assert.equal(t.trend.months.length, 12, 'at least 12 months, ending with the period');
    assert.equal(t.trend.months[0]!.month, '2025-04');
    assert.deepEqual(t.trend.months.slice(-3), [
      { month: '2026-01', settled: 1, avgWorkingMs: 8 * H },
      { month: '2026-02', settled: 0, avgWorkingMs: null },
      { month: '2026-03', settled: 3, avgWorkingMs: (37 * H) / 3 },
    ]);

    const y = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01&baselineYear=2026');
    assert.equal(y.trend.baseline?.kind, 'year');
    assert.equal(y.trend.baseline?.avgWorkingMs, 11.25 * H);
    assert.equal(y.trend.baseline?.label.en, 'Average of the year 2026');
    const none = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01&baselineYear=2025');
    assert.equal(none.trend.baseline, null, 'no dossier settled in 2025');
    assert.equal(none.trend.goalWorkingMs, null);
    assert.deepEqual(none.trend.current, { avgWorkingMs: (37 * H) / 3, reductionPercent: null, goalMet: null });
  });

  it('scope: the province sees every unit, a unit leader only theirs; a field narrows it', async () => {
    const p = await getTime(env(), province, 'period=month&from=2026-03-01');
    assert.equal(p.root.code, 'H15');
    // Plus D at Hòa Phú: 2 h. 39 h over 4.
    assert.deepEqual([p.totals.settled, p.totals.avgWorkingMs], [4, (39 * H) / 4]);
    assert.equal(stepOf(p, 'H15-HT-05', 'specialist').handovers, 4);
    const hp = await getTime(env(), province, 'period=month&from=2026-03-01&unit=H15.015');
    assert.deepEqual([hp.totals.settled, hp.totals.avgWorkingMs], [1, 2 * H]);
    // D's leader step: entered Mon 09:00, due 16:20 the same day, left at 10:00: on time (by day).
    assert.deepEqual(pick(stepOf(hp, 'H15-HT-05', 'leader')), [1, 0, 1, 0, H, H, LEADER_NORM, 0.188]);
    const field = await getTime(env(), bmtLeader, 'period=month&from=2026-03-01&field=DKKD');
    assert.deepEqual(field.procedures.map((x) => x.procedure.code), ['H15-DKKD-01']);
    assert.deepEqual(field.steps.map((x) => x.procedure.code), ['H15-DKKD-01', 'H15-DKKD-01']);
    assert.equal(field.trend.baseline?.settled, 1);

    assertBilingual(await env().app.inject({ method: 'GET', url: '/api/monitoring/time?unit=H15.015', headers: bmtLeader }), 403);
    const specialist = await env().login('chuyenvien.bmt');
    assertBilingual(await env().app.inject({ method: 'GET', url: '/api/monitoring/time', headers: specialist }), 403);
    const anon = await env().app.inject({ method: 'GET', url: '/api/monitoring/time' });
    assert.equal(anon.statusCode, 401);
  });

  it('bad input: 400 in both languages, naming the parameter', async () => {
    const get = (q: string) => env().app.inject({ method: 'GET', url: `/api/monitoring/time?${q}`, headers: bmtLeader });
    assertBilingual(await get('baselineYear=abc'), 400, 'baselineYear');
    assertBilingual(await get('baselineYear=1999'), 400, 'baselineYear');
    assertBilingual(await get('from=2026-03-10&to=2026-03-01'), 400, 'to');
    assertBilingual(await get('period=fortnight'), 400, 'period');
    assertBilingual(await get('unit=H15.001;drop'), 400, 'unit');
    assertBilingual(await get('field=NOPE'), 404);
    assertBilingual(await get('unit=H99'), 404);
  });
});

describeEachDatabase('where time goes: the step aggregate equals its rebuild', (env) => {
  it('a simulated quarter plus live actions through HTTP: incremental = rebuilt from the action log', { timeout: 300_000 }, async () => {
    env().setNow('2026-03-31T09:00:00Z');
    await simulateDossiers(env().ctx, { dossiers: 600, days: 91, seed: 11 });
    const desk = await env().login('motcua.bmt');
    const specialist = await env().login('chuyenvien.bmt');
    const leader = await env().login('lanhdao.bmt');
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...desk, 'idempotency-key': freshKey('time-rb') },
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Lê Văn Dựng Lại (mô phỏng)', phone: '0905000333' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const code = json<{ code: string }>(res).code;
    env().setNow('2026-04-01T02:00:00Z');
    await act(env(), specialist, code, { type: 'forward' });
    await act(env(), leader, code, { type: 'finish' });

    // The historical import's bulk path: received Mon 10 Nov 2025 09:00, specialist to 11:00 (2 h,
    // early), leader 11:00 → Tue 09:00 = 0.5 + 3.5 + 2 = 6 h, due Tue 08:20: on time (same day).
    const admin = await env().login('admin');
    const line = {
      code: 'H15.015-251110-0901',
      procedureCode: 'H15-HT-05',
      caseCode: 'MAC_DINH',
      channel: 1,
      receivingUnit: 'H15.015',
      applicant: { name: 'Lê Văn Nhập (mô phỏng)', phone: '0912000009' },
      submittedAt: '2025-11-10T02:00:00Z',
      actions: [
        { type: 'receive', at: '2025-11-10T02:00:00Z' },
        { type: 'forward', at: '2025-11-10T04:00:00Z' },
        { type: 'finish', at: '2025-11-11T02:00:00Z' },
      ],
    };
    const imp = await env().app.inject({ method: 'POST', url: '/api/dossiers/import', headers: { ...admin, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(line) });
    assert.equal(json<{ accepted: number }>(imp).accepted, 1, imp.body);

    const incremental = await stepRows(env());
    const imported = incremental.filter((r) => r.unit_code === 'H15.015' && r.month === '2025-11-01');
    assert.deepEqual(
      imported.map((r) => [r.procedure_code, r.step, r.handovers, r.early, r.on_time, r.late, r.working_ms, r.norm_ms, r.with_norm]),
      [
        ['H15-HT-05', 'leader', 1, 0, 1, 0, 6 * H, LEADER_NORM, 1],
        ['H15-HT-05', 'specialist', 1, 1, 0, 0, 2 * H, SPECIALIST_NORM, 1],
      ],
    );
    assert.ok(incremental.length > 20, `a quarter of step rows (${incremental.length})`);
    assert.ok(incremental.every((r) => r.handovers === r.early + r.on_time + r.late && r.with_norm <= r.handovers && r.working_ms >= 0));
    const live = incremental.find((r) => r.unit_code === 'H15.001' && r.month === '2026-04-01' && r.procedure_code === 'H15-HT-05' && r.step === 'leader');
    assert.ok(live && live.handovers >= 1, 'the live finish is counted');
    await rebuildStepAggregates(env().ctx.db);
    assert.deepEqual(await stepRows(env()), incremental);
  });
});
