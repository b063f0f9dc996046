/**
 * The monitoring aggregates (issue 5 §1) on both databases: moved by every writer (dossier actions
 * through HTTP, walk-in submission, the simulator's bulk path), equal to what the dossiers table
 * says when counted directly, and equal to a rebuild from the action log on a simulated quarter.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { act, freshKey } from '../helpers/dossier-api.js';
import { simulateDossiers } from '../../src/seed/simulate.js';
import { rebuildAggregates } from '../../src/monitoring/aggregates.js';
import { paidOnlineQuery, readPaidOnline } from '../../src/monitoring/flag-flows.js';
import { dueSoonEnds, flowQueries } from '../../src/monitoring/flows.js';

type Row = Record<string, unknown>;

async function snapshot(env: TestEnv) {
  const db = env.ctx.db;
  const daily = await sql<Row>`select unit_code, day::text, procedure_code, channel, field_code, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies
                               from monitoring_daily where received + settled_early + settled_on_time + settled_late + supplement_requests + apologies > 0
                               order by unit_code, day, procedure_code, channel`.execute(db);
  const field = await sql<Row>`select day::text, unit_code, field_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies
                               from monitoring_daily_field where received + settled_early + settled_on_time + settled_late + supplement_requests + apologies > 0
                               order by day, unit_code, field_code, channel`.execute(db);
  const monthly = await sql<Row>`select month::text, unit_code, field_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies
                                 from monitoring_monthly_field where received + settled_early + settled_on_time + settled_late + supplement_requests + apologies > 0
                                 order by month, unit_code, field_code, channel`.execute(db);
  const open = await sql<Row>`select unit_code, procedure_code, channel, due_day::text, field_code, open_count
                              from monitoring_open where open_count <> 0 order by unit_code, procedure_code, channel, due_day`.execute(db);
  const flagCols = FLAGS.flatMap((f) => [f, `${f}_settled`]).join(', ');
  const flagDaily = await sql<Row>`select unit_code, day::text, procedure_code, channel, field_code, ${sql.raw(flagCols)}
                                   from monitoring_flag_daily where ${sql.raw(FLAGS.flatMap((f) => [f, `${f}_settled`]).join(' + '))} > 0
                                   order by unit_code, day, procedure_code, channel`.execute(db);
  const flagField = await sql<Row>`select day::text, unit_code, field_code, channel, ${sql.raw(flagCols)}
                                   from monitoring_flag_daily_field where ${sql.raw(FLAGS.flatMap((f) => [f, `${f}_settled`]).join(' + '))} > 0
                                   order by day, unit_code, field_code, channel`.execute(db);
  const flagMonthly = await sql<Row>`select month::text, unit_code, field_code, channel, ${sql.raw(flagCols)}
                                     from monitoring_flag_monthly_field where ${sql.raw(FLAGS.flatMap((f) => [f, `${f}_settled`]).join(' + '))} > 0
                                     order by month, unit_code, field_code, channel`.execute(db);
  // The unit roll-ups (migration 025); rows emptied by a rebuild's delete stay at zero.
  const unitMonthly = await sql<Row>`select month::text, unit_code, channel, received, settled_early, settled_on_time, settled_late, settled_working_ms, supplement_requests, apologies
                                     from monitoring_monthly_unit where received + settled_early + settled_on_time + settled_late + settled_working_ms + supplement_requests + apologies <> 0
                                     order by month, unit_code, channel`.execute(db);
  const flagUnitMonthly = await sql<Row>`select month::text, unit_code, channel, ${sql.raw(flagCols)}
                                         from monitoring_flag_monthly_unit where ${sql.raw(FLAGS.flatMap((f) => [f, `${f}_settled`]).join(' + '))} <> 0
                                         order by month, unit_code, channel`.execute(db);
  const openTotal = await sql<Row>`select unit_code, open_count, open_online from monitoring_open_total where open_count <> 0 or open_online <> 0 order by unit_code`.execute(db);
  const openMonth = await sql<Row>`select unit_code, due_month::text, open_count from monitoring_open_month where open_count <> 0 order by unit_code, due_month`.execute(db);
  const paidMonthly = await sql<Row>`select month::text, unit_code, procedure_code, field_code, paid_online from monitoring_paid_monthly where paid_online <> 0 order by month, unit_code, procedure_code`.execute(db);
  return {
    paidMonthly: paidMonthly.rows,
    openTotal: openTotal.rows,
    openMonth: openMonth.rows,
    daily: daily.rows,
    field: field.rows,
    monthly: monthly.rows,
    open: open.rows,
    flagDaily: flagDaily.rows,
    flagField: flagField.rows,
    flagMonthly: flagMonthly.rows,
    unitMonthly: unitMonthly.rows,
    flagUnitMonthly: flagUnitMonthly.rows,
  };
}

/** Rows of a per-field monthly table summed over the fields, keyed month|unit|channel (as the unit roll-ups). */
function sumOverFields(rows: Row[], cols: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${String(r.month)}|${String(r.unit_code)}|${Number(r.channel)}`;
    const v = out.get(k) ?? cols.map(() => 0);
    out.set(k, v.map((x, i) => x + Number(r[cols[i]!])));
  }
  return out;
}

/** The unit roll-ups equal the per-field monthly tables summed over the fields (migration 025). */
function assertUnitRollups(agg: Awaited<ReturnType<typeof snapshot>>) {
  const flowCols = ['received', 'settled_early', 'settled_on_time', 'settled_late', 'settled_working_ms', 'supplement_requests', 'apologies'];
  const flagCols = FLAGS.flatMap((f) => [f, `${f}_settled`]);
  for (const [unitRows, fieldRows, cols, name] of [
    [agg.unitMonthly, agg.monthly, flowCols, 'monitoring_monthly_unit'],
    [agg.flagUnitMonthly, agg.flagMonthly, flagCols, 'monitoring_flag_monthly_unit'],
  ] as const) {
    const expected = sumOverFields([...fieldRows], cols);
    const actual = new Map(unitRows.map((r) => [`${String(r.month)}|${String(r.unit_code)}|${Number(r.channel)}`, cols.map((c) => Number(r[c]))]));
    assert.ok(actual.size > 0, `${name} has rows`);
    assert.deepEqual(actual, new Map([...expected].filter(([, v]) => v.some((x) => x !== 0))), `${name} = the per-field table summed`);
  }
}

/** The flags of migration 020, in bit order (1, 2, 4, …). */
const FLAGS = ['fo_eligible', 'full_online', 'with_fee', 'paid_online', 'digitised', 'reusing', 'paper_result', 'paper_e_result', 'disliked'] as const;

/**
 * The flag aggregates counted straight from the dossiers: each flag of a received dossier on the
 * day it was received and, once settled, on the day it was settled; and each dossier's stored
 * flags equal to what its facts say now (monitoring_flags_compute).
 */
async function flagsFromDossiers(env: TestEnv) {
  const db = env.ctx.db;
  const local = (col: string) => sql.raw(`((${col} at time zone 'UTC') + interval '7 hours')::date::text`);
  const stale = await sql<Row>`select code, monitoring_flags, monitoring_flags_compute(d) as computed from dossiers d
                               where monitoring_flags is distinct from monitoring_flags_compute(d)`.execute(db);
  const bits = FLAGS.map((f, i) => sql.raw(`sum(((monitoring_flags & ${1 << i}) <> 0)::int)::int as ${f}`));
  const received = await sql<Row>`select deciding_unit as unit_code, ${local('received_at')} as day, procedure_code, channel, ${sql.join(bits)}
                                  from dossiers where received_at is not null group by 1, 2, 3, 4`.execute(db);
  const settled = await sql<Row>`select deciding_unit as unit_code, ${local('finished_at')} as day, procedure_code, channel, ${sql.join(bits)}
                                 from dossiers where received_at is not null and finished_at is not null group by 1, 2, 3, 4`.execute(db);
  const byKey = new Map<string, Record<string, number>>();
  const add = (r: Row, suffix: string) => {
    const k = `${String(r.unit_code)}|${String(r.day)}|${String(r.procedure_code)}|${Number(r.channel)}`;
    const v = byKey.get(k) ?? Object.fromEntries(FLAGS.flatMap((f) => [[f, 0], [`${f}_settled`, 0]]));
    for (const f of FLAGS) v[`${f}${suffix}`]! += Number(r[f]);
    byKey.set(k, v);
  };
  for (const r of received.rows) add(r, '');
  for (const r of settled.rows) add(r, '_settled');
  return { stale: stale.rows, byKey };
}

/** The same figures counted straight from the dossiers table (what the aggregates stand for). */
async function fromDossiers(env: TestEnv) {
  const db = env.ctx.db;
  const local = (col: string) => sql.raw(`((${col} at time zone 'UTC') + interval '7 hours')::date::text`);
  const received = await sql<Row>`select deciding_unit as unit_code, ${local('received_at')} as day, procedure_code, channel, count(*)::int as n
                                  from dossiers where received_at is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db);
  const settled = await sql<Row>`select deciding_unit as unit_code, ${local('finished_at')} as day, timeliness, count(*)::int as n
                                 from dossiers where received_at is not null and finished_at is not null group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  const open = await sql<Row>`select deciding_unit as unit_code, procedure_code, channel, coalesce(${local('legal_appointment_at')}, 'infinity') as due_day, count(*)::int as n
                              from dossiers where received_at is not null and finished_at is null group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db);
  return { received: received.rows, settled: settled.rows, open: open.rows };
}

describeEachDatabase('monitoring aggregates', (env) => {
  let desk: Record<string, string>;
  let specialist: Record<string, string>;
  let leader: Record<string, string>;

  it('a simulated quarter plus live actions: aggregates equal the dossiers counted directly', { timeout: 300_000 }, async () => {
    env().setNow('2026-03-31T09:00:00Z');
    const sim = await simulateDossiers(env().ctx, { dossiers: 1500, days: 91, seed: 7 });
    assert.equal(sim.dossiers, 1500);

    // Live actions through HTTP: walk-in received, processed and settled; another stopped; an
    // apology; an online dossier received, a supplement requested and given.
    desk = await env().login('motcua.bmt');
    specialist = await env().login('chuyenvien.bmt');
    leader = await env().login('lanhdao.bmt');
    const walkIn = async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': freshKey('agg') },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Nguyễn Văn Tổng Hợp (mô phỏng)', phone: '0905111222' } },
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ code: string }>(res).code;
    };
    const a = await walkIn();
    const b = await walkIn();
    const c = await walkIn();
    env().setNow('2026-04-01T02:00:00Z');
    await act(env(), specialist, a, { type: 'forward' });
    await act(env(), leader, a, { type: 'finish' });
    await act(env(), desk, a, { type: 'return_result', method: 'in_person' });
    await act(env(), leader, b, { type: 'stop', reason: 'Người nộp không bổ sung (mô phỏng)' });
    await act(env(), specialist, c, { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: ['Tờ khai'] });
    env().setNow('2026-04-03T02:00:00Z');
    await act(env(), desk, c, { type: 'supplement', documents: ['Tờ khai'] });
    await act(env(), leader, c, { type: 'apologize', reason: 'Cần xác minh thêm', newAppointmentAt: '2026-04-20T02:00:00Z' });

    // Facts that set dossier flags, written to their own tables as the use cases write them: an
    // online payment, a "dissatisfied" rating, a complaint (the triggers of migration 020 react).
    const ids = await sql<{ id: number; code: string }>`select id, code from dossiers where code in (${a}, ${b}, ${c})`.execute(env().ctx.db);
    const idOf = (code: string) => Number(ids.rows.find((r) => r.code === code)!.id);
    const citizen = await sql<{ id: number }>`select id from users where role = 'citizen' order by id limit 1`.execute(env().ctx.db);
    const anyUser = await sql<{ id: number }>`select id from users order by id limit 1`.execute(env().ctx.db);
    const userId = Number((citizen.rows[0] ?? anyUser.rows[0])!.id);
    await sql`update dossiers set fee_amount = 50000 where id = ${idOf(c)}`.execute(env().ctx.db);
    await sql`insert into payments (reference, dossier_id, amount, purpose, provider, method, status, created_by, created_at, expires_at, paid_at, receipt_number)
              values ('AGG-TEST-1', ${idOf(c)}, 50000, 'Lệ phí (mô phỏng)', 'local', 'online', 'paid', ${userId}, now(), now() + interval '1 hour', now(), 'BL-AGG-TEST')`.execute(env().ctx.db);
    await sql`insert into dossier_ratings (dossier_id, user_id, level, created_at) values (${idOf(a)}, ${userId}, 'dissatisfied', now())`.execute(env().ctx.db);
    await sql`insert into complaints (code, submitter_id, dossier_id, unit_code, category, content, received_at, due_at, updated_at)
              values ('PAKN-AGG-TEST', ${userId}, ${idOf(b)}, 'H15.001', 'phan_anh', 'Phản ánh (mô phỏng)', now(), now() + interval '20 days', now())`.execute(env().ctx.db);

    const agg = await snapshot(env());
    const direct = await fromDossiers(env());

    // Flags: stored = computed for every dossier, and the flag tables = the dossiers counted.
    const flags = await flagsFromDossiers(env());
    assert.deepEqual(flags.stale, [], 'every dossier carries the flags its facts give');
    const flagged = (code: string) => sql<{ f: number }>`select monitoring_flags as f from dossiers where code = ${code}`.execute(env().ctx.db).then((r) => Number(r.rows[0]!.f));
    assert.equal((await flagged(c)) & (4 | 8), 4 | 8, 'with a fee, paid online');
    assert.equal((await flagged(a)) & 256, 256, 'disliked (rating)');
    assert.equal((await flagged(b)) & 256, 256, 'disliked (complaint)');
    const aggFlags = new Map(agg.flagDaily.map((r) => [`${String(r.unit_code)}|${String(r.day)}|${String(r.procedure_code)}|${Number(r.channel)}`, Object.fromEntries(FLAGS.flatMap((f) => [[f, Number(r[f])], [`${f}_settled`, Number(r[`${f}_settled`])]]))]));
    const nonZero = [...flags.byKey].filter(([, v]) => Object.values(v).some((x) => x > 0));
    assert.ok(nonZero.length > 50, 'a quarter of flagged dossiers');
    assert.deepEqual(new Map(nonZero), aggFlags);
    const sumOf = (rows: Row[], col: string) => rows.reduce((t, r) => t + Number(r[col]), 0);
    for (const col of FLAGS.flatMap((f) => [f, `${f}_settled`])) {
      assert.equal(sumOf(agg.flagField, col), sumOf(agg.flagDaily, col), `${col}: per field = per procedure`);
      assert.equal(sumOf(agg.flagMonthly, col), sumOf(agg.flagDaily, col), `${col}: per month = per day`);
    }

    // Received per unit, day, procedure and channel.
    const receivedAgg = agg.daily.filter((r) => Number(r.received) > 0).map((r) => ({ unit_code: r.unit_code, day: r.day, procedure_code: r.procedure_code, channel: Number(r.channel), n: Number(r.received) }));
    assert.deepEqual(receivedAgg, direct.received.map((r) => ({ ...r, channel: Number(r.channel), n: Number(r.n) })));
    // Settled per unit, day and timeliness.
    const settledAgg: Row[] = [];
    const byKey = new Map<string, number>();
    for (const r of agg.daily) {
      for (const [col, t] of [['settled_early', 'early'], ['settled_on_time', 'on_time'], ['settled_late', 'late']] as const) {
        const n = Number(r[col]);
        if (n) byKey.set(`${String(r.unit_code)}|${String(r.day)}|${t}`, (byKey.get(`${String(r.unit_code)}|${String(r.day)}|${t}`) ?? 0) + n);
      }
    }
    for (const [k, n] of [...byKey.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const [unit_code, day, timeliness] = k.split('|');
      settledAgg.push({ unit_code, day, timeliness, n });
    }
    const settledDirect = direct.settled.map((r): Row => ({ ...r, n: Number(r.n) })).sort((x, y) => {
      const kx = `${String(x.unit_code)}|${String(x.day)}|${String(x.timeliness)}`;
      const ky = `${String(y.unit_code)}|${String(y.day)}|${String(y.timeliness)}`;
      return kx < ky ? -1 : kx > ky ? 1 : 0;
    });
    assert.deepEqual(settledAgg, settledDirect);
    // Open dossiers per unit, procedure, channel and legal due day.
    assert.deepEqual(
      agg.open.map((r) => ({ unit_code: r.unit_code, procedure_code: r.procedure_code, channel: Number(r.channel), due_day: r.due_day, n: Number(r.open_count) })),
      direct.open.map((r) => ({ ...r, channel: Number(r.channel), n: Number(r.n) })),
    );
    assert.ok(agg.open.every((r) => Number(r.open_count) > 0), 'no open count below zero');
    // The live actions are there: one supplement request and one apology at H15.001.
    const bmt = agg.daily.filter((r) => r.unit_code === 'H15.001' && r.procedure_code === 'H15-HT-05');
    assert.ok(bmt.some((r) => r.day === '2026-04-01' && Number(r.supplement_requests) >= 1));
    assert.ok(bmt.some((r) => r.day === '2026-04-03' && Number(r.apologies) >= 1));
    // The per-field rollup is the per-procedure table summed.
    const sums = new Map<string, number[]>();
    for (const r of agg.daily) {
      const k = `${String(r.day)}|${String(r.unit_code)}|${String(r.field_code)}|${String(r.channel)}`;
      const v = sums.get(k) ?? [0, 0, 0, 0, 0];
      sums.set(k, [v[0]! + Number(r.received), v[1]! + Number(r.settled_early), v[2]! + Number(r.settled_on_time), v[3]! + Number(r.settled_late), v[4]! + Number(r.settled_working_ms)]);
    }
    assert.equal(agg.field.length, sums.size);
    for (const r of agg.field) {
      const v = sums.get(`${String(r.day)}|${String(r.unit_code)}|${String(r.field_code)}|${String(r.channel)}`);
      assert.deepEqual([Number(r.received), Number(r.settled_early), Number(r.settled_on_time), Number(r.settled_late), Number(r.settled_working_ms)], v);
    }
    // The monthly rollup (migration 019) is the per-field table summed by calendar month.
    const months = new Map<string, number[]>();
    for (const r of agg.field) {
      const k = `${String(r.day).slice(0, 7)}-01|${String(r.unit_code)}|${String(r.field_code)}|${String(r.channel)}`;
      const v = months.get(k) ?? [0, 0, 0, 0, 0, 0, 0];
      const add = [r.received, r.settled_early, r.settled_on_time, r.settled_late, r.settled_working_ms, r.supplement_requests, r.apologies].map(Number);
      months.set(k, v.map((x, i) => x + add[i]!));
    }
    assert.ok(months.size > 0 && agg.monthly.length === months.size, 'one monthly row per month × unit × field × channel');
    for (const r of agg.monthly) {
      const v = months.get(`${String(r.month)}|${String(r.unit_code)}|${String(r.field_code)}|${String(r.channel)}`);
      assert.deepEqual([r.received, r.settled_early, r.settled_on_time, r.settled_late, r.settled_working_ms, r.supplement_requests, r.apologies].map(Number), v);
    }
    // The unit roll-ups (migration 025) are the monthly tables summed over the fields, and the open
    // totals monitoring_open summed per unit.
    assertUnitRollups(agg);
    const openByUnit = new Map<string, [number, number]>();
    for (const r of agg.open) {
      const v = openByUnit.get(String(r.unit_code)) ?? [0, 0];
      openByUnit.set(String(r.unit_code), [v[0] + Number(r.open_count), v[1] + (Number(r.channel) === 2 ? Number(r.open_count) : 0)]);
    }
    assert.ok(openByUnit.size > 0);
    assert.deepEqual(new Map(agg.openTotal.map((r) => [String(r.unit_code), [Number(r.open_count), Number(r.open_online)]])), openByUnit);
    // … and per unit × month of the due day (migration 026).
    const openByMonth = new Map<string, number>();
    for (const r of agg.open) {
      const k = `${String(r.unit_code)}|${String(r.due_day).slice(0, 7)}-01`;
      openByMonth.set(k, (openByMonth.get(k) ?? 0) + Number(r.open_count));
    }
    assert.ok(openByMonth.size > openByUnit.size, 'open dossiers due in several months');
    assert.deepEqual(new Map(agg.openMonth.map((r) => [`${String(r.unit_code)}|${String(r.due_month)}`, Number(r.open_count)])), new Map([...openByMonth].filter(([, v]) => v !== 0)));
    // Paid online per unit × procedure × month = the daily flag table summed by month.
    const paid = new Map<string, number>();
    for (const r of agg.flagDaily) {
      if (Number(r.paid_online) === 0) continue;
      const k = `${String(r.day).slice(0, 7)}-01|${String(r.unit_code)}|${String(r.procedure_code)}|${String(r.field_code)}`;
      paid.set(k, (paid.get(k) ?? 0) + Number(r.paid_online));
    }
    assert.ok(paid.size > 0, 'dossiers paid online');
    assert.deepEqual(new Map(agg.paidMonthly.map((r) => [`${String(r.month)}|${String(r.unit_code)}|${String(r.procedure_code)}|${String(r.field_code)}`, Number(r.paid_online)])), paid);
  });

  it('procedures paid online in a period (item 4.2): whole months and edge days read as the dossiers say', async () => {
    const db = env().ctx.db;
    const units = (await db.selectFrom('units').select('code').execute()).map((u) => u.code);
    const local = sql.raw(`((received_at at time zone 'UTC') + interval '7 hours')::date`);
    let seen = 0;
    const periods: Array<[string, string]> = [['2026-01-01', '2026-03-31'], ['2026-01-15', '2026-03-10'], ['2026-02-01', '2026-02-28'], ['2026-03-03', '2026-03-03'], ['2026-02-20', '2026-04-02']];
    for (const [from, to] of periods) {
      const direct = await sql<{ unit_code: string; procedure_code: string }>`
          select distinct deciding_unit as unit_code, procedure_code from dossiers
           where received_at is not null and (monitoring_flags & 8) <> 0 and ${local} between ${from}::date and ${to}::date`.execute(db);
      const expected = new Map<string, Set<string>>();
      for (const r of direct.rows) expected.set(r.unit_code, (expected.get(r.unit_code) ?? new Set()).add(r.procedure_code));
      const got = readPaidOnline((await paidOnlineQuery({ from, to }, { units }).execute(db)).rows);
      assert.deepEqual(got, expected, `${from} – ${to}`);
      seen += direct.rows.length;
    }
    assert.ok(seen > 0, 'dossiers paid online in the periods');
  });

  it('open dossiers now per unit (migrations 025, 026): overdue and due soon as monitoring_open says, whatever month today and the due-soon days fall in', async () => {
    const ctx = env().ctx;
    const units = await ctx.db.selectFrom('units').select(['code', 'path']).execute();
    const codes = units.map((u) => u.code);
    const months = await sql<{ n: number }>`select count(distinct date_trunc('month', due_day))::int as n from monitoring_open where open_count > 0 and due_day <> 'infinity'`.execute(ctx.db);
    assert.ok(months.rows[0]!.n >= 3, 'open dossiers due in three months or more');
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from monitoring_open where open_count > 0 and (due_day < '2026-03-20' or due_day >= '2026-05-29')`.execute(ctx.db)).rows[0]!.n, 0, 'the days below bracket the due days');
    // The simulation leaves dossiers open due from late March to early May. Before them all (those
    // of the later months read by month); the last day of March and a Tuesday before the 30 April
    // and 1 May holidays (due soon runs into the next month); mid-month; after them all.
    const [beforeAll, afterAll, crossing]: [string, string, string[]] = ['2026-03-20', '2026-05-29', ['2026-03-31', '2026-04-28']];
    for (const today of [beforeAll, ...crossing, '2026-04-10', afterAll]) {
      const now = { today, dueSoonEnd: await dueSoonEnds(ctx, units, today) };
      const q = flowQueries('unit', { from: today, to: today }, { units: codes }, now, false);
      const got = new Map((await q.open.execute(ctx.db)).rows.map((r) => [r.k, [Number(r.open), Number(r.open_online), Number(r.overdue), Number(r.due_soon)]]));
      const direct = await sql<{ unit_code: string; due_day: string; channel: number; n: number }>`
          select unit_code, due_day::text, channel, sum(open_count)::int as n from monitoring_open group by 1, 2, 3`.execute(ctx.db);
      const expected = new Map<string, [number, number, number, number]>();
      for (const r of direct.rows) {
        const v = expected.get(r.unit_code) ?? [0, 0, 0, 0];
        v[0] += r.n;
        if (r.channel === 2) v[1] += r.n;
        if (r.due_day !== 'infinity' && r.due_day < today) v[2] += r.n;
        else if (r.due_day !== 'infinity' && r.due_day <= now.dueSoonEnd.get(r.unit_code)!) v[3] += r.n;
        expected.set(r.unit_code, v);
      }
      const sums = [...expected.values()].reduce<number[]>((a, v) => a.map((x, i) => x + v[i]!), [0, 0, 0, 0]);
      if (crossing.includes(today)) assert.ok(sums[3]! > 0, `${today}: dossiers due soon, up to a day of the next month`);
      if (today === beforeAll) assert.equal(sums[2], 0, 'none overdue before the first due day');
      if (today === afterAll) assert.equal(sums[2], sums[0], 'all overdue after the last due day');
      assert.deepEqual(new Map([...got].filter(([, v]) => v.some((x) => x !== 0))), new Map([...expected].filter(([, v]) => v.some((x) => x !== 0))), today);
    }
  });

  it('rebuild from the action log equals the incremental aggregates', { timeout: 300_000 }, async () => {
    const before = await snapshot(env());
    assert.ok(before.daily.length > 100 && before.open.length > 10, 'a quarter of data to compare');
    const r = await rebuildAggregates(env().ctx.db, 420, { batch: 300 });
    assert.ok(r.dossiers >= 1503);
    const after = await snapshot(env());
    assert.deepEqual(after.open, before.open);
    assert.deepEqual(after.daily, before.daily);
    assert.deepEqual(after.field, before.field);
    assert.deepEqual(after.monthly, before.monthly);
    assert.ok(before.flagDaily.length > 50, 'flags to compare');
    assert.deepEqual(after.flagDaily, before.flagDaily);
    assert.deepEqual(after.flagField, before.flagField);
    assert.deepEqual(after.flagMonthly, before.flagMonthly);
    assert.deepEqual(after.unitMonthly, before.unitMonthly);
    assert.deepEqual(after.flagUnitMonthly, before.flagUnitMonthly);
    assert.deepEqual(after.openTotal, before.openTotal);
    assert.deepEqual(after.openMonth, before.openMonth);
    assert.deepEqual(after.paidMonthly, before.paidMonthly);
    assertUnitRollups(after);
  });

  it('a replayed action (same Idempotency-Key) moves nothing twice', async () => {
    env().setNow('2026-04-06T02:00:00Z');
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...desk, 'idempotency-key': freshKey('agg') },
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Trần Thị Lặp (mô phỏng)', phone: '0905111333' } },
    });
    const code = json<{ code: string }>(res).code;
    await act(env(), specialist, code, { type: 'forward' });
    const before = await snapshot(env());
    const key = freshKey('agg-replay');
    const finish = () =>
      env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...leader, 'idempotency-key': key }, payload: { type: 'finish' } });
    assert.equal((await finish()).statusCode, 200);
    const once = await snapshot(env());
    assert.equal((await finish()).statusCode, 200);
    assert.deepEqual(await snapshot(env()), once, 'the replay changed nothing');
    assert.notDeepEqual(once, before, 'the first finish moved the aggregates');
  });
});
