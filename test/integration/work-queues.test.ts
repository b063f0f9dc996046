/**
 * The staff queues "at my step" and "returned", and the filters of the queue page (procedure,
 * field, channel, applicant) on GET /api/work/dossiers and GET /api/work/counts: each list holds
 * exactly the right dossiers, each tab's count is its list's length under the same filters, the
 * jurisdiction holds, and bad filters are refused in both languages.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { act, freshKey } from '../helpers/dossier-api.js';
import { sampleFormData } from '../helpers/forms.js';

type Headers = Record<string, string>;
type Counts = { unit: string; cap: number; queues: Record<string, { count: number; more: boolean }> };
type Item = { code: string; statusCode: number; currentStep: string; channel: number; procedureCode: string; applicantName: string; currentUnit: string };

/** Each tab's list, as the workspace asks for it. */
const QUEUE_LISTS: Record<string, string> = {
  awaiting_receipt: 'status=1',
  at_my_step: 'status=2&status=4&status=9&step=mine',
  processing: 'status=2&status=4',
  supplement_requested: 'status=5',
  payment_requested: 'status=6',
  due_today: 'due=today',
  due_soon: 'due=soon',
  overdue: 'due=overdue',
  finished: 'status=9',
  returned: 'status=10',
};

async function walkIn(env: TestEnv, desk: Headers, procedureCode: string, applicant: Record<string, string>, channel: 1 | 3 = 1): Promise<string> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...desk, 'idempotency-key': freshKey('wq') },
    payload: { procedureCode, caseCode: 'MAC_DINH', channel, applicant },
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<{ code: string }>(res).code;
}

async function get(env: TestEnv, headers: Headers, url: string) {
  return env.app.inject({ method: 'GET', url, headers });
}

/** Every item of a list, following the keyset cursor with small pages. */
async function listAll(env: TestEnv, headers: Headers, query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await get(env, headers, `/api/work/dossiers?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    const page = json<{ items: Item[]; nextCursor: string | null }>(res);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('too many pages');
}

const codes = (items: Item[]) => items.map((i) => i.code).sort();

async function counts(env: TestEnv, headers: Headers, filters: string): Promise<Counts> {
  const res = await get(env, headers, `/api/work/counts?unit=H15.001${filters ? `&${filters}` : ''}`);
  assert.equal(res.statusCode, 200, res.body);
  return json<Counts>(res);
}

function assertBilingual(res: { statusCode: number; body: string }, status: number, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  const e = (JSON.parse(res.body) as { error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string }> } }).error;
  assert.ok(e.message.length > 0 && e.messageVi.length > 0 && e.message !== e.messageVi, res.body);
  if (field) assert.ok(e.fields?.some((f) => f.field === field) || e.message.includes(field), `names ${field}: ${res.body}`);
}

describeEachDatabase('work queues: at my step, returned, filters', (env) => {
  let desk: Headers;
  let specialist: Headers;
  let leader: Headers;
  let hoaPhuDesk: Headers;
  /** The fixture dossiers by role in the story. */
  const d: Record<string, string> = {};

  before(async () => {
    const e = env();
    e.setNow('2026-03-02T02:00:00Z'); // Mon 09:00 +07
    desk = await e.login('motcua.bmt');
    specialist = await e.login('chuyenvien.bmt');
    leader = await e.login('lanhdao.bmt');
    hoaPhuDesk = await e.login('motcua.hoaphu');
    const ids = Object.fromEntries(
      (await e.ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['chuyenvien.bmt', 'lanhdao.bmt']).execute()).map((u) => [u.username, Number(u.id)]),
    );

    // Received, waiting at the specialist's step, unassigned (Hộ tịch, in person).
    d.atSpecialist = await walkIn(e, desk, 'H15-HT-05', { name: 'Trần Thị Lọc (mô phỏng)', idNumber: '066190001001', phone: '0912300001' });
    // Assigned to the specialist (Chứng thực, by post): processing at the specialist's step.
    d.assignedToSpecialist = await walkIn(e, desk, 'H15-CT-01', { name: 'Nguyễn Văn Bình (mô phỏng)', phone: '0912300002' }, 3);
    await act(e, leader, d.assignedToSpecialist, { type: 'assign', assigneeId: ids['chuyenvien.bmt'] });
    // At the specialist's step but assigned to the leader: not the specialist's.
    d.assignedElsewhere = await walkIn(e, desk, 'H15-HT-05', { name: 'Lê Thị Trần (mô phỏng)', phone: '0912300003' });
    await act(e, leader, d.assignedElsewhere, { type: 'assign', assigneeId: ids['lanhdao.bmt'] });
    // A procedure without a specialist (Chứng thực): received straight to the leader's step.
    d.atLeader = await walkIn(e, desk, '2.000815', { name: 'Phạm Văn Dũng (mô phỏng)', phone: '0912300004' });
    // Finished: the result waits at the desk's return step.
    d.finished = await walkIn(e, desk, 'H15-HT-05', { name: 'Hoàng Văn Em (mô phỏng)', phone: '0912300005' });
    await act(e, leader, d.finished, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });
    // Returned to the applicant.
    d.returned = await walkIn(e, desk, 'H15-HT-05', { name: 'Võ Thị Phúc (mô phỏng)', phone: '0912300006' });
    await act(e, leader, d.returned, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });
    await act(e, desk, d.returned, { type: 'return_result', method: 'in_person' });
    // Sent back to the desk by the specialist (processing at the desk's step).
    d.backAtDesk = await walkIn(e, desk, 'H15-HT-05', { name: 'Đặng Thị Giang (mô phỏng)', phone: '0912300007' });
    await act(e, specialist, d.backAtDesk, { type: 'forward', toStep: 'desk' });
    // Waiting for the applicant's supplement (at the specialist's step, but not waiting for them).
    d.supplement = await walkIn(e, desk, 'H15-HT-05', { name: 'Bùi Văn Hùng (mô phỏng)', phone: '0912300008' });
    await act(e, specialist, d.supplement, { type: 'request_supplement', reason: 'Thiếu giấy tờ (mô phỏng)', missing: ['Bản sao CCCD'] });
    // Online, waiting for receipt at the desk step (status 1: its own queue).
    const citizen = await e.citizen(`vneid-wq-${e.kind}`, { fullName: 'Trần Thị Hoa (mô phỏng)', idNumber: '066190001009', phone: '0912300009' });
    const online = await e.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...citizen.headers, 'idempotency-key': freshKey('wq') },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193', { childFullName: 'Trần Minh Khoa' }) },
    });
    assert.equal(online.statusCode, 201, online.body);
    d.online = json<{ code: string }>(online).code;
    // Another commune, same applicant as the first: never in Buôn Ma Thuột's queues.
    d.hoaPhu = await walkIn(e, hoaPhuDesk, 'H15-HT-05', { name: 'Trần Thị Lọc (mô phỏng)', idNumber: '066190001001', phone: '0912300001' });
  });

  it('at my step: each role sees the dossiers waiting at its own steps, unassigned or assigned to them', async () => {
    assert.deepEqual(codes(await listAll(env(), desk, QUEUE_LISTS.at_my_step!)), [d.backAtDesk, d.finished].sort());
    assert.deepEqual(codes(await listAll(env(), specialist, QUEUE_LISTS.at_my_step!)), [d.atSpecialist, d.assignedToSpecialist].sort());
    assert.deepEqual(codes(await listAll(env(), leader, QUEUE_LISTS.at_my_step!)), [d.atLeader]);
    // step=mine alone means the same statuses (2, 4, 9).
    assert.deepEqual(codes(await listAll(env(), desk, 'step=mine')), [d.backAtDesk, d.finished].sort());
    const items = await listAll(env(), specialist, 'step=mine');
    assert.ok(items.every((i) => i.currentStep === 'specialist' && [2, 4].includes(i.statusCode)), JSON.stringify(items));
    // With a status given, that status only: the desk's finished results waiting to be returned.
    assert.deepEqual(codes(await listAll(env(), desk, 'step=mine&status=9')), [d.finished]);
    // The province leader only watches: no step is theirs.
    const province = await env().login('lanhdao.tinh');
    assert.deepEqual(await listAll(env(), province, 'unit=H15&step=mine'), []);
    assert.equal((await counts(env(), province, '')).queues.at_my_step!.count, 0);
  });

  it('returned: the results handed back', async () => {
    assert.deepEqual(codes(await listAll(env(), desk, QUEUE_LISTS.returned!)), [d.returned]);
    assert.equal((await counts(env(), desk, '')).queues.returned!.count, 1);
  });

  it('filters by procedure, field, channel and applicant return exactly the right dossiers', async () => {
    const open = (extra: string) => listAll(env(), desk, extra);
    // Field CT (Chứng thực): the two Chứng thực dossiers, none of Hộ tịch.
    assert.deepEqual(codes(await open('field=CT')), [d.assignedToSpecialist, d.atLeader].sort());
    assert.deepEqual(codes(await open('field=HT&procedure=1.001193')), [d.online]);
    assert.deepEqual(codes(await open('procedure=2.000815')), [d.atLeader]);
    // A field with procedures but no dossiers here.
    assert.deepEqual(await open('field=DKKD'), []);
    // Channel: by post (3) and online (2).
    assert.deepEqual(codes(await open('channel=3')), [d.assignedToSpecialist]);
    assert.deepEqual(codes(await open('channel=2')), [d.online]);
    assert.deepEqual(codes(await open('field=CT&channel=1')), [d.atLeader]);
    // Applicant: ID number, phone (with spaces, international form), exact only.
    assert.deepEqual(codes(await open('applicant=066190001001')), [d.atSpecialist]);
    assert.deepEqual(codes(await open(`applicant=${encodeURIComponent('0912 300 002')}`)), [d.assignedToSpecialist]);
    assert.deepEqual(codes(await open(`applicant=${encodeURIComponent('+84912300004')}`)), [d.atLeader]);
    assert.deepEqual(await open('applicant=091230000'), [], 'a phone prefix is not a match');
    assert.deepEqual(codes(await open('applicant=066190001009')), [d.online], 'the online applicant’s ID number');
    // Applicant: part of the name, any case, with or without diacritics.
    assert.deepEqual(codes(await open(`applicant=${encodeURIComponent('tran thi')}`)), [d.atSpecialist, d.online].sort());
    assert.deepEqual(codes(await open(`applicant=${encodeURIComponent('TRẦN')}`)), [d.atSpecialist, d.assignedElsewhere, d.online].sort());
    assert.deepEqual(codes(await open(`applicant=${encodeURIComponent('dang thi giang')}`)), [d.backAtDesk]);
    // LIKE wildcards typed by a person match themselves, not everything.
    assert.deepEqual(await open(`applicant=${encodeURIComponent('%%')}`), []);
    assert.deepEqual(await open(`applicant=${encodeURIComponent('__')}`), []);
    // Filters on the new queues.
    assert.deepEqual(codes(await listAll(env(), desk, `${QUEUE_LISTS.returned}&applicant=${encodeURIComponent('vo thi phuc')}`)), [d.returned]);
    assert.deepEqual(await listAll(env(), desk, `${QUEUE_LISTS.returned}&field=CT`), []);
    assert.deepEqual(codes(await listAll(env(), specialist, `${QUEUE_LISTS.at_my_step}&field=CT`)), [d.assignedToSpecialist]);
    assert.deepEqual(codes(await listAll(env(), specialist, `${QUEUE_LISTS.at_my_step}&applicant=066190001001`)), [d.atSpecialist]);
  });

  it('each tab’s count equals its list’s length under the same filters, for every role', async () => {
    const filterSets = ['', 'field=CT', 'field=HT', 'procedure=H15-HT-05', 'channel=1', 'field=CT&channel=1', `applicant=${encodeURIComponent('tran thi')}`, 'applicant=0912300005', 'field=DKKD'];
    const nonZero = new Set<string>();
    for (const [who, headers] of [
      ['desk', desk],
      ['specialist', specialist],
      ['leader', leader],
    ] as const) {
      for (const filters of filterSets) {
        const c = await counts(env(), headers, filters);
        assert.deepEqual(Object.keys(c.queues), Object.keys(QUEUE_LISTS), 'the queues, in tab order');
        for (const [q, list] of Object.entries(QUEUE_LISTS)) {
          const items = await listAll(env(), headers, filters ? `${list}&${filters}` : list);
          assert.equal(c.queues[q]!.count, items.length, `${who} ${q} ${filters}`);
          assert.equal(c.queues[q]!.more, false);
          if (items.length) nonZero.add(q);
        }
      }
    }
    // The comparison is not between empty lists only.
    for (const q of ['awaiting_receipt', 'at_my_step', 'processing', 'supplement_requested', 'finished', 'returned']) assert.ok(nonZero.has(q), q);
    const c = await counts(env(), desk, 'field=CT');
    assert.equal(c.queues.processing!.count, 2);
    assert.equal(c.queues.at_my_step!.count, 0);
    assert.equal((await counts(env(), desk, '')).queues.at_my_step!.count, 2);
  });

  it('a desk officer of Hòa Phú cannot query Buôn Ma Thuột’s queues or counts, with or without filters', async () => {
    for (const url of [
      '/api/work/dossiers?unit=H15.001',
      '/api/work/dossiers?unit=H15.001&step=mine',
      '/api/work/dossiers?unit=H15.001&status=10',
      '/api/work/dossiers?unit=H15.001&applicant=066190001001',
      '/api/work/dossiers?unit=H15.001&field=ZZ',
      '/api/work/counts?unit=H15.001',
      '/api/work/counts?unit=H15.001&field=CT',
      '/api/work/counts?unit=H15.001&applicant=066190001001',
    ]) {
      const res = await get(env(), hoaPhuDesk, url);
      assertBilingual(res, 403);
      assert.match(json<{ error: { messageVi: string } }>(res).error.messageVi, /phạm vi/);
    }
    // Their own queue has their dossier, found by the same applicant; Buôn Ma Thuột's is not in it.
    assert.deepEqual(codes(await listAll(env(), hoaPhuDesk, 'applicant=066190001001')), [d.hoaPhu]);
    assert.deepEqual(codes(await listAll(env(), desk, 'applicant=066190001001')), [d.atSpecialist]);
  });

  it('refuses bad filters with a bilingual 400 (list and counts), and an unknown field or procedure with a bilingual 404', async () => {
    const long = 'a'.repeat(101);
    const bad: Array<[string, string]> = [
      ['field=' + encodeURIComponent('C T'), 'field'],
      ['field=' + 'F'.repeat(21), 'field'],
      ['field=', 'field'],
      ['procedure=' + encodeURIComponent('../x'), 'procedure'],
      ['channel=4', 'channel'],
      ['channel=post', 'channel'],
      ['applicant=' + long, 'applicant'],
      ['applicant=a', 'applicant'],
      ['applicant=' + encodeURIComponent('   '), 'applicant'],
      ['applicant=' + encodeURIComponent('Trần\u0001'), 'applicant'],
    ];
    for (const [q, field] of bad) {
      assertBilingual(await get(env(), desk, `/api/work/dossiers?${q}`), 400, field);
      assertBilingual(await get(env(), desk, `/api/work/counts?${q}`), 400, field);
    }
    assertBilingual(await get(env(), desk, '/api/work/dossiers?step=yours'), 400, 'step');
    // step and status choose a list; the counts are of every tab at once.
    assertBilingual(await get(env(), desk, '/api/work/counts?step=mine'), 400, 'step');
    for (const url of ['/api/work/dossiers?field=ZZ', '/api/work/counts?field=ZZ', '/api/work/counts?procedure=9.999999']) {
      const res = await get(env(), desk, url);
      assertBilingual(res, 404);
      assert.match(res.body, /ZZ|9\.999999/);
    }
    assert.match(json<{ error: { messageVi: string } }>(await get(env(), desk, '/api/work/dossiers?field=ZZ')).error.messageVi, /lĩnh vực/);
  });
});
