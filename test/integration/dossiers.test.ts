/**
 * The dossier lifecycle through HTTP on a real database: submission (walk-in and online),
 * idempotency, every step to the returned result, the paused clock, the 409 on a wrong action,
 * concurrent dossier codes, the queue, and the historical import.
 */
import { it } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';

type Dossier = {
  code: string;
  status: string;
  statusCode: number;
  appointmentAt: string | null;
  legalAppointmentAt: string | null;
  version: number;
  timeliness: string | null;
  currentStep: string;
  stepDueAt: string | null;
  channel: number;
  currentUnit: string;
  allowedActions: string[];
  clockPaused: boolean;
  finishedAt: string | null;
};

let keyN = 0;
const key = () => `test-${Date.now()}-${++keyN}`;

async function submitWalkIn(env: TestEnv, headers: Record<string, string>, body: Record<string, unknown> = {}) {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...headers, 'idempotency-key': key() },
    payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Nguyễn Văn A (mô phỏng)', phone: '0912000001' }, ...body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<Dossier>(res);
}

async function act(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>, expect = 200) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/dossiers/${code}/actions`,
    headers: { ...headers, 'idempotency-key': key() },
    payload: body,
  });
  assert.equal(res.statusCode, expect, `${String(body.type)}: ${res.body}`);
  return json<Dossier>(res);
}

describeEachDatabase('dossier lifecycle', (env) => {
  let desk: Record<string, string>;
  let specialist: Record<string, string>;
  let leader: Record<string, string>;

  it('logs in the staff of Phường Buôn Ma Thuột', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00 +07
    desk = await env().login('motcua.bmt');
    specialist = await env().login('chuyenvien.bmt');
    leader = await env().login('lanhdao.bmt');
  });

  it('a walk-in dossier is received at once with a code and an appointment in working days', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Monday 2 March 2026, 09:00 in Vietnam
    const d = await submitWalkIn(env(), desk);
    assert.match(d.code, /^H15\.001-260302-\d{4}$/);
    assert.equal(d.statusCode, 2);
    assert.equal(d.status, 'received');
    // 3 working days = 24 working hours from Mon 09:00 → Thu 09:00.
    assert.equal(d.appointmentAt, '2026-03-05T02:00:00.000Z');
    assert.deepEqual(d.allowedActions.includes('forward'), true);
  });

  it('the whole path to the returned result, each step in the history', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    const users = await env().ctx.db.selectFrom('users').select(['id', 'username']).execute();
    const specialistId = users.find((u) => u.username === 'chuyenvien.bmt')!.id;
    env().setNow('2026-03-02T03:00:00Z');
    await act(env(), desk, d.code, { type: 'assign', assigneeId: specialistId });
    env().setNow('2026-03-03T03:00:00Z');
    const fw = await act(env(), specialist, d.code, { type: 'forward' });
    assert.equal(fw.currentStep, 'leader');
    env().setNow('2026-03-04T03:00:00Z'); // Wed, before the Thursday appointment
    const fin = await act(env(), leader, d.code, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });
    assert.equal(fin.statusCode, 9);
    assert.equal(fin.timeliness, 'early');
    env().setNow('2026-03-05T03:00:00Z');
    const ret = await act(env(), desk, d.code, { type: 'return_result', method: 'in_person' });
    assert.equal(ret.statusCode, 10);
    assert.equal(ret.finishedAt, fin.finishedAt);
    const h = json<{ items: Array<{ seq: number; type: string; toStatus: number; actorName: string | null; at: string }> }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/history`, headers: desk }),
    );
    assert.deepEqual(h.items.map((i) => i.type), ['submit', 'receive', 'assign', 'forward', 'finish', 'return_result']);
    assert.deepEqual(h.items.map((i) => i.seq), [1, 2, 3, 4, 5, 6]);
    assert.ok(h.items.every((i) => i.actorName));
  });

  it('an action not allowed from the current status is a 409 naming both, and nothing changes', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    const res = await env().app.inject({
      method: 'POST',
      url: `/api/dossiers/${d.code}/actions`,
      headers: { ...desk, 'idempotency-key': key() },
      payload: { type: 'return_result', method: 'in_person' },
    });
    assert.equal(res.statusCode, 409);
    const e = json<{ error: { code: string; message: string; messageVi: string } }>(res).error;
    assert.equal(e.code, 'action_not_allowed');
    assert.match(e.message, /return_result/);
    assert.match(e.message, /status 2/);
    assert.match(e.messageVi, /Trả kết quả/);
    assert.match(e.messageVi, /Được tiếp nhận/);
    const after = json<Dossier>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}`, headers: desk }));
    assert.equal(after.version, d.version);
    assert.equal(after.statusCode, 2);
  });

  it('a repeated action (same Idempotency-Key) is applied once', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    const k = key();
    const send = () =>
      env().app.inject({ method: 'POST', url: `/api/dossiers/${d.code}/actions`, headers: { ...desk, 'idempotency-key': k }, payload: { type: 'forward' } });
    const a = await send();
    const b = await send();
    assert.equal(a.statusCode, 200);
    assert.equal(b.statusCode, 200);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.equal(json<Dossier>(a).version, json<Dossier>(b).version);
  });

  it('online: a citizen submits (status 1); a double submit makes one dossier; the desk receives it', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const { headers } = await env().citizen('vneid-test-1', { fullName: 'Trần Thị Bình (mô phỏng)', idNumber: '066190000001', phone: '0905000001' });
    const k = key();
    const body = { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193', { childFullName: 'Trần Minh An' }) };
    const [r1, r2] = await Promise.all([
      env().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...headers, 'idempotency-key': k }, payload: body }),
      env().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...headers, 'idempotency-key': k }, payload: body }),
    ]);
    const codes = [r1, r2].map((r) => json<Dossier>(r).code);
    assert.equal(codes[0], codes[1]);
    assert.deepEqual([r1.statusCode, r2.statusCode].sort(), [200, 201]);
    const d = json<Dossier>(r1);
    assert.equal(d.statusCode, 1);
    assert.equal(d.appointmentAt, null);
    // Same key, different body → 409.
    const r3 = await env().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...headers, 'idempotency-key': k }, payload: { ...body, caseCode: 'QUA_HAN' } });
    assert.equal(r3.statusCode, 409);
    // The desk receives it at 15:30: same-day procedure received after 15:00 → due 17:00 next working day.
    env().setNow('2026-03-02T08:30:00Z');
    const recv = await act(env(), desk, d.code, { type: 'receive' });
    assert.equal(recv.statusCode, 2);
    assert.equal(recv.appointmentAt, '2026-03-03T10:00:00.000Z');
    const mine = json<{ items: Dossier[] }>(await env().app.inject({ method: 'GET', url: '/api/me/dossiers', headers }));
    assert.deepEqual(mine.items.map((x) => x.code), [d.code]);
  });

  it('a supplement request pauses the clock; the appointment moves by the working time waited', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00
    const d = await submitWalkIn(env(), desk); // due Thu 05 March 09:00
    env().setNow('2026-03-03T02:00:00Z'); // Tue 09:00
    const s1 = await act(env(), specialist, d.code, { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: ['Bản sao CCCD'] });
    assert.equal(s1.statusCode, 5);
    assert.equal(s1.clockPaused, true);
    // Applicant comes back Thu 05 March 09:00: waited 2 working days (16 h).
    env().setNow('2026-03-05T02:00:00Z');
    const s2 = await act(env(), desk, d.code, { type: 'supplement', documents: ['Bản sao CCCD'] });
    assert.equal(s2.statusCode, 4);
    assert.equal(s2.clockPaused, false);
    // Thu 09:00 + 16 working hours = Mon 09 March 09:00.
    assert.equal(s2.appointmentAt, '2026-03-09T02:00:00.000Z');
    assert.equal(s2.legalAppointmentAt, '2026-03-09T02:00:00.000Z');
  });

  it('a second supplement request makes the dossier late even when finished early', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    for (let i = 0; i < 2; i++) {
      await act(env(), desk, d.code, { type: 'request_supplement', reason: 'Thiếu', missing: ['Giấy tờ'] });
      await act(env(), desk, d.code, { type: 'supplement' });
    }
    const fin = await act(env(), leader, d.code, { type: 'finish' });
    assert.equal(fin.timeliness, 'late');
  });

  it('an apology moves the appointment the applicant was given, not the legal one; once only', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    const ap = await act(env(), leader, d.code, { type: 'apologize', reason: 'Cần xác minh thêm', newAppointmentAt: '2026-03-10T09:00:00.000Z' });
    assert.equal(ap.appointmentAt, '2026-03-10T09:00:00.000Z');
    assert.equal(ap.legalAppointmentAt, '2026-03-05T02:00:00.000Z');
    await act(env(), leader, d.code, { type: 'apologize', reason: 'Lần hai', newAppointmentAt: '2026-03-12T09:00:00.000Z' }, 409);
  });

  it('the queue lists the unit’s open dossiers, soonest due first, pages without gaps or repeats', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    for (let i = 0; i < 5; i++) await submitWalkIn(env(), desk);
    const seen: string[] = [];
    let cursor: string | null = null;
    let lastDue = '';
    do {
      const url: string = `/api/work/dossiers?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await env().app.inject({ method: 'GET', url, headers: desk });
      assert.equal(res.statusCode, 200, res.body);
      const page = json<{ items: Array<{ code: string; appointmentAt: string | null; currentUnit: string }>; nextCursor: string | null }>(res);
      for (const it of page.items) {
        assert.equal(it.currentUnit, 'H15.001');
        const due = it.appointmentAt ?? '9999';
        assert.ok(due >= lastDue, 'ordered by appointment');
        lastDue = due;
        seen.push(it.code);
      }
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    const total = await env().ctx.db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('current_unit', '=', 'H15.001')
      .where('status_code', 'in', [1, 2, 4, 5, 6])
      .executeTakeFirstOrThrow();
    assert.equal(seen.length, Number(total.n));
    // Overdue filter: move the clock past every appointment.
    env().setNow('2026-03-20T02:00:00Z');
    const res = await env().app.inject({ method: 'GET', url: '/api/work/dossiers?due=overdue&limit=200', headers: desk });
    assert.equal(res.statusCode, 200, res.body);
    const overdue = json<{ items: Array<{ appointmentAt: string; pendingTimeliness: string }> }>(res);
    assert.ok(overdue.items.length > 0);
    assert.ok(overdue.items.every((i) => i.appointmentAt < '2026-03-20T02:00:00Z' && i.pendingTimeliness === 'overdue'));
  });

  it('concurrent submissions get distinct, consecutive codes', async () => {
    env().setNow('2026-03-06T02:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => submitWalkIn(env(), desk)));
    const seqs = results.map((r) => Number(r.code.split('-')[2])).sort((a, b) => a - b);
    assert.equal(new Set(seqs).size, 12);
    assert.deepEqual(seqs, Array.from({ length: 12 }, (_, i) => seqs[0]! + i));
  });

  it('the daily sequence keeps all its digits past 9,999', async () => {
    env().setNow('2026-03-10T02:00:00Z');
    await env().ctx.db.insertInto('dossier_code_counters').values({ unit_code: 'H15.001', day: '2026-03-10', last_value: 9998 }).execute();
    const a = await submitWalkIn(env(), desk);
    const b = await submitWalkIn(env(), desk);
    assert.equal(a.code, 'H15.001-260310-9999');
    assert.equal(b.code, 'H15.001-260310-10000');
  });

  it('simultaneous actions on one dossier: each applied once, the log stays contiguous, none lost', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk);
    const users = await env().ctx.db.selectFrom('users').select(['id', 'username']).execute();
    const specialistId = users.find((u) => u.username === 'chuyenvien.bmt')!.id;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        env().app.inject({
          method: 'POST',
          url: `/api/dossiers/${d.code}/actions`,
          headers: { ...desk, 'idempotency-key': `concurrent-${i}` },
          payload: { type: 'assign', assigneeId: specialistId },
        }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 200).length;
    assert.ok(results.every((r) => r.statusCode === 200 || (r.statusCode === 409 && r.json().error.code === 'concurrent_update')), results.map((r) => r.body).join('\n'));
    assert.ok(ok >= 1);
    const actions = await env().ctx.db.selectFrom('dossier_actions as a').innerJoin('dossiers as x', 'x.id', 'a.dossier_id').select(['a.seq', 'a.type', 'x.action_count', 'x.version']).where('x.code', '=', d.code).orderBy('a.seq').execute();
    assert.deepEqual(actions.map((a) => a.seq), Array.from({ length: actions.length }, (_, i) => i + 1));
    assert.equal(actions.filter((a) => a.type === 'assign').length, ok);
    assert.equal(actions[0]!.action_count, actions.length);
    assert.equal(actions[0]!.version, actions.length);
  });

  it('a no-boundary procedure received in one commune is decided in another, with transfer dates', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk, { procedureCode: '2.000815', caseCode: 'MAC_DINH', decidingUnit: 'H15.015', pages: 3 });
    assert.equal(d.currentUnit, 'H15.001');
    const sent = await act(env(), desk, d.code, { type: 'forward', toUnit: 'H15.015', toStep: 'leader' });
    assert.equal(sent.currentUnit, 'H15.015');
    const other = await env().login('lanhdao.hoaphu');
    const acc = await act(env(), other, d.code, { type: 'accept_transfer' });
    assert.ok((acc as Dossier & { transferReceivedAt: string | null }).transferReceivedAt);
    const fin = await act(env(), other, d.code, { type: 'finish' });
    assert.equal(fin.statusCode, 9);
    const back = await act(env(), other, d.code, { type: 'forward', toUnit: 'H15.001' });
    assert.equal(back.statusCode, 9);
    assert.equal(back.currentUnit, 'H15.001');
    const ret = await act(env(), desk, d.code, { type: 'return_result', method: 'post', trackingNumber: 'EB123456789VN' });
    assert.equal(ret.statusCode, 10);
    const full = json<{ transferSentAt: string; transferReceivedAt: string; transferReturnedAt: string; feeAmount: number }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}`, headers: desk }),
    );
    assert.ok(full.transferSentAt && full.transferReceivedAt && full.transferReturnedAt);
    assert.equal(full.feeAmount, 5000); // 2,000 + 2,000 + 1,000 for 3 pages
  });

  it('imports historical dossiers from NDJSON: good lines in, bad lines named, a repeat skipped', async () => {
    const admin = await env().login('admin');
    const good = {
      code: 'H15.015-250110-0001',
      procedureCode: 'H15-HT-05',
      caseCode: 'MAC_DINH',
      channel: 1,
      receivingUnit: 'H15.015',
      applicant: { name: 'Lê Văn Cũ (mô phỏng)', phone: '0912000002' },
      submittedAt: '2025-01-10T02:00:00Z',
      actions: [
        { type: 'receive', at: '2025-01-10T02:00:00Z' },
        { type: 'forward', at: '2025-01-10T03:00:00Z' },
        { type: 'finish', at: '2025-01-14T03:00:00Z' },
        { type: 'return_result', at: '2025-01-15T03:00:00Z', method: 'in_person' },
      ],
    };
    const illegal = { ...good, code: 'H15.015-250110-0002', actions: [{ type: 'finish', at: '2025-01-10T03:00:00Z' }] };
    const body = [JSON.stringify(good), '{not json', JSON.stringify(illegal), JSON.stringify({ ...good, code: 'H15.015-250110-0003', procedureCode: 'NOPE' })].join('\n');
    const send = () =>
      env().app.inject({ method: 'POST', url: '/api/dossiers/import', headers: { ...admin, 'content-type': 'application/x-ndjson' }, payload: body });
    const r = json<{ accepted: number; skipped: number; rejected: Array<{ line: number; reason: string; reasonVi: string }> }>(await send());
    assert.equal(r.accepted, 1);
    assert.deepEqual(r.rejected.map((x) => x.line), [2, 3, 4]);
    assert.match(r.rejected[1]!.reason, /finish/);
    assert.ok(r.rejected.every((x) => x.reasonVi));
    const d = json<Dossier>(await env().app.inject({ method: 'GET', url: '/api/dossiers/H15.015-250110-0001', headers: admin }));
    assert.equal(d.statusCode, 10);
    // received Fri 10 Jan 09:00, 3 working days → Wed 15 Jan 09:00; finished Tue 14 → early
    assert.equal(d.timeliness, 'early');
    const none = await env().ctx.db.selectFrom('dossiers').select('code').where('code', 'in', ['H15.015-250110-0002', 'H15.015-250110-0003']).execute();
    assert.equal(none.length, 0);
    const again = json<{ accepted: number; skipped: number }>(await send());
    assert.equal(again.accepted, 0);
    assert.equal(again.skipped, 1);
  });
  it('each hand-over is judged against its own step norm: a late specialist step inside an on-time dossier', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00; 3 working days → appointment Thu 09:00
    const d = await submitWalkIn(env(), desk);
    // The specialist's share: 6 of 9 shares of 24 working hours = 16 h → Wed 09:00.
    assert.equal(d.currentStep, 'specialist');
    assert.equal(d.stepDueAt, '2026-03-04T02:00:00.000Z');
    env().setNow('2026-03-05T01:00:00Z'); // Thu 08:00: after the step's due day, before the appointment
    const fw = await act(env(), specialist, d.code, { type: 'forward' });
    assert.equal(fw.currentStep, 'leader');
    assert.equal(fw.stepDueAt, '2026-03-05T02:00:00.000Z', 'the leader step is capped at the appointment');
    env().setNow('2026-03-05T01:30:00Z');
    const fin = await act(env(), leader, d.code, { type: 'finish' });
    assert.equal(fin.timeliness, 'on_time');
    const h = json<{ items: Array<{ type: string; stepTimeliness: string | null; payload: Record<string, unknown> }> }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/history`, headers: desk }),
    );
    const byType = Object.fromEntries(h.items.map((i) => [i.type, i]));
    assert.equal(byType.forward?.stepTimeliness, 'late');
    assert.equal(byType.finish?.stepTimeliness, 'on_time');
    assert.equal(byType.forward?.payload.stepDueAt, '2026-03-05T02:00:00.000Z');
    // Finished: the return step is due at the appointment.
    assert.equal(fin.currentStep, 'return');
    assert.equal(fin.stepDueAt, fin.appointmentAt);
  });

  it('a dossier received by post records the parcel’s tracking number; other channels cannot carry one', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const d = await submitWalkIn(env(), desk, { channel: 3, postalTrackingNumber: 'EE123456789VN' });
    assert.equal(d.channel, 3);
    const h = json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/history`, headers: desk }),
    );
    assert.equal(h.items[0]?.type, 'submit');
    assert.equal(h.items[0]?.payload.postalTrackingNumber, 'EE123456789VN');
    const post = (body: Record<string, unknown>) =>
      env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': key() },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Nguyễn Văn B (mô phỏng)' }, ...body },
      });
    const before = await env().ctx.db.selectFrom('dossiers').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const walkIn = await post({ channel: 1, postalTrackingNumber: 'EE123456789VN' });
    assert.equal(walkIn.statusCode, 400, walkIn.body);
    assert.ok(walkIn.json().error.fields.some((f: { field: string; messageVi: string }) => f.field === 'postalTrackingNumber' && /bưu chính/.test(f.messageVi)));
    assert.equal((await post({ channel: 3, postalTrackingNumber: 'EE 123/456' })).statusCode, 400);
    const after = await env().ctx.db.selectFrom('dossiers').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n, 'nothing written');
    // Returned by post: the tracking number of the result's shipment is required and kept.
    env().setNow('2026-03-02T03:00:00Z');
    await act(env(), specialist, d.code, { type: 'forward' });
    await act(env(), leader, d.code, { type: 'finish' });
    await act(env(), desk, d.code, { type: 'return_result', method: 'post' }, 400);
    const ret = await act(env(), desk, d.code, { type: 'return_result', method: 'post', trackingNumber: 'RR987654321VN' });
    assert.equal(ret.statusCode, 10);
    const h2 = json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/history`, headers: desk }),
    );
    assert.deepEqual(h2.items.at(-1)?.payload, { method: 'post', trackingNumber: 'RR987654321VN' });
  });

  it('the action log and the audit log are append-only: the database refuses UPDATE and DELETE', async () => {
    const db = env().ctx.db;
    const row = await db.selectFrom('dossier_actions').select(['id', 'reason']).orderBy('id').executeTakeFirstOrThrow();
    const refused = async (statement: ReturnType<typeof sql>) => {
      await assert.rejects(statement.execute(db), (e: Error) => /append-only/.test(e.message) && /chỉ được ghi thêm/.test(e.message));
    };
    await refused(sql`update dossier_actions set reason = 'rewritten' where id = ${row.id}`);
    await refused(sql`delete from dossier_actions where id = ${row.id}`);
    const after = await db.selectFrom('dossier_actions').select(['id', 'reason']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, row, 'the action is untouched');
    await sql`insert into audit_log (at, action, object_type, object_id, details) values (now(), 'test', 'test', 'x', '{}')`.execute(db);
    await refused(sql`update audit_log set action = 'rewritten' where object_type = 'test'`);
    await refused(sql`delete from audit_log where object_type = 'test'`);
  });
});
