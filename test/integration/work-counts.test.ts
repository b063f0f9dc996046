/**
 * GET /api/work/counts: the numbers on the workspace's queue tabs agree with the lists of
 * GET /api/work/dossiers (same filters), move with time (today / soon / overdue), and are only
 * for staff of the unit's jurisdiction.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';

type Counts = { unit: string; cap: number; queues: Record<string, { count: number; more: boolean }> };

const QUEUE_FILTERS: Record<string, string> = {
  awaiting_receipt: 'status=1',
  at_my_step: 'step=mine',
  processing: 'status=2&status=4',
  supplement_requested: 'status=5',
  payment_requested: 'status=6',
  due_today: 'due=today',
  due_soon: 'due=soon',
  overdue: 'due=overdue',
  finished: 'status=9',
  returned: 'status=10',
};

let keyN = 0;
const key = () => `wc-${Date.now()}-${++keyN}`;

async function post(env: TestEnv, headers: Record<string, string>, url: string, payload: Record<string, unknown>) {
  const res = await env.app.inject({ method: 'POST', url, headers: { ...headers, 'idempotency-key': key() }, payload });
  assert.ok(res.statusCode === 200 || res.statusCode === 201, `${url} ${JSON.stringify(payload)}: ${res.body}`);
  return json<{ code: string; statusCode: number }>(res);
}

async function counts(env: TestEnv, headers: Record<string, string>, unit = 'H15.001') {
  const res = await env.app.inject({ method: 'GET', url: `/api/work/counts?unit=${unit}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return json<Counts>(res);
}

/** Every item of a queue list, following the keyset cursor with small pages. */
async function listAll(env: TestEnv, headers: Record<string, string>, filter: string): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const url: string = `/api/work/dossiers?unit=H15.001&${filter}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await env.app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, res.body);
    const page = json<{ items: { code: string }[]; nextCursor: string | null }>(res);
    codes.push(...page.items.map((x) => x.code));
    cursor = page.nextCursor;
    if (!cursor) return codes;
  }
  throw new Error('too many pages');
}

async function assertCountsMatchLists(env: TestEnv, headers: Record<string, string>) {
  const c = await counts(env, headers);
  assert.deepEqual(Object.keys(c.queues).sort(), Object.keys(QUEUE_FILTERS).sort());
  for (const [q, filter] of Object.entries(QUEUE_FILTERS)) {
    const list = await listAll(env, headers, filter);
    assert.equal(c.queues[q]!.count, list.length, `queue ${q}`);
    assert.equal(c.queues[q]!.more, false);
  }
  return c;
}

describeEachDatabase('work queue counts', (env) => {
  let desk: Record<string, string>;
  let specialist: Record<string, string>;
  let leader: Record<string, string>;

  it('counts each queue of Phường Buôn Ma Thuột exactly as its list', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00 +07
    desk = await env().login('motcua.bmt');
    specialist = await env().login('chuyenvien.bmt');
    leader = await env().login('lanhdao.bmt');
    const empty = await assertCountsMatchLists(env(), desk);
    assert.equal(empty.unit, 'H15.001');
    assert.equal(empty.cap, 10_000);
    assert.ok(Object.values(empty.queues).every((q) => q.count === 0));

    // One online dossier waiting for receipt.
    const citizen = await env().citizen(`vneid-wc-${env().kind}`, { fullName: 'Trần Thị Đếm (mô phỏng)', idNumber: '066190000777', phone: '0905000777' });
    const online = await post(env(), citizen.headers, '/api/dossiers', {
      procedureCode: '1.001193',
      caseCode: 'DUNG_HAN',
      receivingUnit: 'H15.001',
      formData: sampleFormData('1.001193', { childFullName: 'Trần Minh Đếm' }),
    });
    assert.equal(online.statusCode, 1);
    // Five walk-ins, due Thu 05 March 09:00: two stay in processing, one waits for a supplement,
    // one for payment, one is finished.
    const walkIns = [];
    for (let i = 0; i < 5; i++) {
      walkIns.push(
        await post(env(), desk, '/api/dossiers', { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: `Người nộp ${i} (mô phỏng)`, phone: `091200010${i}` } }),
      );
    }
    const [, w2, w3, w4] = walkIns;
    await post(env(), specialist, `/api/dossiers/${w2!.code}/actions`, { type: 'request_supplement', reason: 'Thiếu giấy tờ (mô phỏng)', missing: ['Bản sao CCCD'] });
    await post(env(), specialist, `/api/dossiers/${w3!.code}/actions`, { type: 'request_payment', amount: 10000 });
    const fin = await post(env(), leader, `/api/dossiers/${w4!.code}/actions`, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });
    assert.equal(fin.statusCode, 9);

    const mon = await assertCountsMatchLists(env(), desk);
    assert.equal(mon.queues.awaiting_receipt!.count, 1);
    assert.equal(mon.queues.processing!.count, 2);
    assert.equal(mon.queues.supplement_requested!.count, 1);
    assert.equal(mon.queues.payment_requested!.count, 1);
    assert.equal(mon.queues.finished!.count, 1);
    // The desk's own step: the finished result waiting to be returned.
    assert.equal(mon.queues.at_my_step!.count, 1);
    assert.equal(mon.queues.returned!.count, 0);
    assert.equal(mon.queues.overdue!.count, 0);
    assert.equal(mon.queues.due_today!.count, 0);

    // Thu 08:00: the Thursday 09:00 appointments are due today and within 2 working days.
    env().setNow('2026-03-05T01:00:00Z');
    const thu = await assertCountsMatchLists(env(), desk);
    assert.ok(thu.queues.due_today!.count >= 2, JSON.stringify(thu.queues));
    assert.ok(thu.queues.due_soon!.count >= thu.queues.due_today!.count);
    assert.equal(thu.queues.overdue!.count, 0);

    // Fri: they are overdue.
    env().setNow('2026-03-06T02:00:00Z');
    const fri = await assertCountsMatchLists(env(), desk);
    assert.ok(fri.queues.overdue!.count >= 2, JSON.stringify(fri.queues));
    assert.equal(fri.queues.due_today!.count, 0);
    // The leader of the same ward sees the same numbers, except at their own step (nothing waits
    // at the leader's step: the walk-ins wait at the specialist's).
    const { at_my_step: leaderAtStep, ...leaderRest } = (await counts(env(), leader)).queues;
    const { at_my_step: deskAtStep, ...deskRest } = fri.queues;
    assert.deepEqual(leaderRest, deskRest);
    assert.equal(deskAtStep!.count, 1);
    assert.equal(leaderAtStep!.count, 0);
    assert.equal((await counts(env(), specialist)).queues.at_my_step!.count, 2, 'the two walk-ins still processing');
  });

  it("refuses another commune's unit, an unknown unit, citizens and visitors", async () => {
    const other = await env().app.inject({ method: 'GET', url: '/api/work/counts?unit=H15.015', headers: desk });
    assert.equal(other.statusCode, 403, other.body);
    const err = json<{ error: { message: string; messageVi: string } }>(other).error;
    assert.match(err.messageVi, /phạm vi/);
    const unknown = await env().app.inject({ method: 'GET', url: '/api/work/counts?unit=H15.999', headers: desk });
    assert.equal(unknown.statusCode, 404, unknown.body);
    const hoaphu = await env().login('motcua.hoaphu');
    const theirs = await env().app.inject({ method: 'GET', url: '/api/work/counts?unit=H15.001', headers: hoaphu });
    assert.equal(theirs.statusCode, 403, theirs.body);
    const own = await counts(env(), hoaphu, 'H15.015');
    assert.equal(own.queues.processing!.count, 0);
    const citizen = await env().citizen(`vneid-wc2-${env().kind}`);
    const asCitizen = await env().app.inject({ method: 'GET', url: '/api/work/counts', headers: citizen.headers });
    assert.equal(asCitizen.statusCode, 403, asCitizen.body);
    const anonymous = await env().app.inject({ method: 'GET', url: '/api/work/counts' });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    const bad = await env().app.inject({ method: 'GET', url: '/api/work/counts?unit=H15.001&status=1', headers: desk });
    assert.equal(bad.statusCode, 400, bad.body);
  });
});
