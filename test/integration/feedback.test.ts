/**
 * Ratings and complaints (phản ánh, kiến nghị) through HTTP on a real database: one rating per
 * finished dossier by its applicant; complaints due 15 working days after receipt by the unit's
 * calendar (weekends and holidays skipped), answered on time or late, seen and answered only
 * within the unit's jurisdiction; bad input refused in both languages.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, submitOnline } from '../helpers/dossier-api.js';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';

type ErrorBody = { error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> } };
type Complaint = {
  code: string;
  category: string;
  dossierCode: string | null;
  unitCode: string;
  content: string;
  receivedAt: string;
  dueAt: string;
  status: string;
  answer: string | null;
  answeredAt: string | null;
  timeliness: string;
  answeredOnTime: boolean | null;
  overdue: boolean;
};
type Rating = { dossierCode: string; rating: { level: string; levelName: { vi: string; en: string }; comment: string | null } | null; canRate: boolean };

function bilingual(res: { body: string }, code?: string): ErrorBody['error'] {
  const e = (JSON.parse(res.body) as ErrorBody).error;
  assert.ok(e.message && e.messageVi && e.message !== e.messageVi, res.body);
  if (code) assert.equal(e.code, code);
  return e;
}

async function fileComplaint(env: TestEnv, headers: Record<string, string>, body: Record<string, unknown>, expect = 201) {
  const res = await env.app.inject({ method: 'POST', url: '/api/complaints', headers, payload: body });
  assert.equal(res.statusCode, expect, res.body);
  return res;
}

describeEachDatabase('ratings and complaints', (env) => {
  let desk: Record<string, string>;
  let leader: Record<string, string>;
  let citizen: Record<string, string>;
  let other: Record<string, string>;
  let deskB: Record<string, string>;
  let specialistB: Record<string, string>;
  let provinceLeader: Record<string, string>;
  let finished: string;

  it('sets up staff of two communes and two citizens', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    desk = await env().login('motcua.bmt');
    leader = await env().login('lanhdao.bmt');
    deskB = await env().login('motcua.hoaphu');
    specialistB = await env().login('chuyenvien.hoaphu');
    provinceLeader = await env().login('lanhdao.tinh');
    citizen = (await env().citizen('vneid-fb-1', { fullName: 'Nguyễn Thị Hoa (mô phỏng)' })).headers;
    other = (await env().citizen('vneid-fb-2', { fullName: 'Phạm Văn Khác (mô phỏng)' })).headers;
  });

  it('rating: refused before the result (409), accepted once after it, a second rating → 409 in both languages', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    finished = await submitOnline(env(), citizen, '1.001193', 'QUA_HAN');
    const early = await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: citizen, payload: { level: 'satisfied' } });
    assert.equal(early.statusCode, 409);
    bilingual(early, 'not_finished');
    let view = json<Rating>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${finished}/rating`, headers: citizen }));
    assert.deepEqual(view, { dossierCode: finished, rating: null, canRate: false });

    await act(env(), desk, finished, { type: 'receive' });
    await act(env(), leader, finished, { type: 'finish' });
    view = json<Rating>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${finished}/rating`, headers: citizen }));
    assert.equal(view.canRate, true);

    // Someone else's dossier: 404; staff cannot rate for the applicant: 403.
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: other, payload: { level: 'dissatisfied' } })).statusCode, 404);
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: desk, payload: { level: 'satisfied' } })).statusCode, 403);
    // Bad input: unknown level, too long a comment, unknown field.
    for (const payload of [{ level: 'ok' }, { level: 'satisfied', comment: 'x'.repeat(1001) }, { level: 'satisfied', stars: 5 }, {}]) {
      const r = await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: citizen, payload });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
      assert.ok(bilingual(r).fields?.length);
    }

    const r1 = await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: citizen, payload: { level: 'very_satisfied', comment: '  Nhanh, chu đáo.  ' } });
    assert.equal(r1.statusCode, 201, r1.body);
    const rated = json<Rating>(r1);
    assert.equal(rated.rating?.level, 'very_satisfied');
    assert.equal(rated.rating?.comment, 'Nhanh, chu đáo.');
    assert.deepEqual(rated.rating?.levelName, { vi: 'Rất hài lòng', en: 'Very satisfied' });

    const r2 = await env().app.inject({ method: 'POST', url: `/api/dossiers/${finished}/rating`, headers: citizen, payload: { level: 'dissatisfied' } });
    assert.equal(r2.statusCode, 409);
    bilingual(r2, 'already_rated');
    const rows = await env().ctx.db.selectFrom('dossier_ratings as r').innerJoin('dossiers as d', 'd.id', 'r.dossier_id').select('r.level').where('d.code', '=', finished).execute();
    assert.deepEqual(rows, [{ level: 'very_satisfied' }]);
    // Staff in scope see it; the applicant can no longer rate.
    const staffView = json<Rating>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${finished}/rating`, headers: desk }));
    assert.equal(staffView.rating?.level, 'very_satisfied');
    assert.equal(staffView.canRate, false);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${finished}/rating`, headers: deskB })).statusCode, 404);
  });

  it('a returned result can be rated too', async () => {
    env().setNow('2026-03-02T03:00:00Z');
    const code = await submitOnline(env(), citizen, '1.001193', 'QUA_HAN');
    await act(env(), desk, code, { type: 'receive' });
    await act(env(), leader, code, { type: 'finish' });
    await act(env(), desk, code, { type: 'return_result', method: 'in_person' });
    const r = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/rating`, headers: citizen, payload: { level: 'dissatisfied' } });
    assert.equal(r.statusCode, 201, r.body);
  });

  it('scope: commune A staff neither see nor answer commune B complaints; B answers late; overdue filter', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00
    const b = json<Complaint>(await fileComplaint(env(), other, { category: 'kien_nghi', unitCode: 'H15.015', content: 'Đề nghị bố trí thêm quầy tiếp nhận (mô phỏng).' }));
    assert.match(b.code, /^PAKN-H15\.015-260302-0001$/);
    assert.equal(b.dueAt, '2026-03-23T02:00:00.000Z');
    // A complaint addressed to B's one-stop desk goes to the commune itself.
    const viaDesk = json<Complaint>(await fileComplaint(env(), other, { category: 'phan_anh', unitCode: 'H15.015.MC', content: 'Quầy đóng cửa sớm (mô phỏng).' }));
    assert.equal(viaDesk.unitCode, 'H15.015');
    const a = json<Complaint>(await fileComplaint(env(), citizen, { category: 'phan_anh', unitCode: 'H15.001', content: 'Thời gian chờ lâu (mô phỏng).' }));

    const listA = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?limit=200', headers: desk }));
    assert.ok(listA.items.every((x) => x.unitCode === 'H15.001'));
    assert.ok(listA.items.some((x) => x.code === a.code));
    const listB = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints', headers: deskB }));
    assert.deepEqual(listB.items.map((x) => x.code).sort(), [b.code, viaDesk.code].sort());
    assert.equal((await env().app.inject({ method: 'GET', url: '/api/complaints?unit=H15.015', headers: desk })).statusCode, 403);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/complaints/${b.code}`, headers: desk })).statusCode, 404);
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/complaints/${b.code}/answer`, headers: desk, payload: { answer: 'Không phải việc của tôi' } })).statusCode, 404);
    // The province leader sees every commune's complaints, but the answer is the unit's.
    const prov = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?limit=200', headers: provinceLeader }));
    assert.ok(prov.items.some((x) => x.code === a.code) && prov.items.some((x) => x.code === b.code));
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/complaints/${b.code}/answer`, headers: provinceLeader, payload: { answer: 'x' } })).statusCode, 403);
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/complaints/${b.code}/answer`, headers: specialistB, payload: { answer: 'x' } })).statusCode, 403);
    // Citizens do not list a unit's complaints.
    assert.equal((await env().app.inject({ method: 'GET', url: '/api/complaints', headers: citizen })).statusCode, 403);

    // Tue 24 March: B's complaint is overdue.
    env().setNow('2026-03-24T02:00:00Z');
    const overdue = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?overdue=true', headers: deskB }));
    assert.deepEqual(overdue.items.map((x) => x.code).sort(), [b.code, viaDesk.code].sort());
    assert.ok(overdue.items.every((x) => x.overdue && x.timeliness === 'overdue'));
    const late = json<Complaint>(await env().app.inject({ method: 'POST', url: `/api/complaints/${b.code}/answer`, headers: deskB, payload: { answer: 'Đã bố trí thêm một quầy (mô phỏng).' } }));
    assert.equal(late.answeredOnTime, false);
    assert.equal(late.timeliness, 'late');
    const stillOverdue = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?overdue=true', headers: deskB }));
    assert.deepEqual(stillOverdue.items.map((x) => x.code), [viaDesk.code]);
    const answered = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?status=answered', headers: deskB }));
    assert.deepEqual(answered.items.map((x) => x.code), [b.code]);
  });

  it('keyset pagination over a unit’s complaints: every complaint once, soonest due first', async () => {
    for (let i = 0; i < 5; i++) {
      env().setNow(new Date(Date.UTC(2026, 2, 3, 2, i)));
      await fileComplaint(env(), citizen, { category: 'phan_anh', unitCode: 'H15.001', content: `Phản ánh số ${i} (mô phỏng)` });
    }
    const all = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/complaints?limit=200', headers: desk })).items.map((x) => x.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/complaints?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json<{ items: Complaint[]; nextCursor: string | null }>(await env().app.inject({ method: 'GET', url, headers: desk }));
      seen.push(...page.items.map((x) => x.code));
      const dues = page.items.map((x) => x.dueAt);
      assert.deepEqual(dues, [...dues].sort());
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    assert.deepEqual(seen, all);
    assert.ok(pages >= 3);
    const bad = await env().app.inject({ method: 'GET', url: '/api/complaints?cursor=bm9wZQ', headers: desk });
    assert.equal(bad.statusCode, 400);
    bilingual(bad, 'invalid_cursor');
  });

  it('bad input is refused in both languages and nothing is written', async () => {
    env().setNow('2026-03-04T02:00:00Z');
    const before = await env().ctx.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ category: 'phan_anh', unitCode: 'H15.001', content: '' }, 400, 'content'],
      [{ category: 'phan_anh', unitCode: 'H15.001', content: '   ' }, 400, 'content'],
      [{ category: 'phan_anh', unitCode: 'H15.001', content: 'x'.repeat(4001) }, 400, 'content'],
      [{ category: 'khieu_nai', unitCode: 'H15.001', content: 'abc' }, 400, 'category'],
      [{ category: 'phan_anh', content: 'abc' }, 400, 'unitCode'],
      [{ category: 'phan_anh', unitCode: 'H99.999', content: 'abc' }, 400, 'unitCode'],
      [{ category: 'phan_anh', unitCode: 'VN', content: 'abc' }, 400, 'unitCode'],
      [{ category: 'phan_anh', dossierCode: finished, content: 'Không phải hồ sơ của tôi' }, 400, 'dossierCode'],
      [{ category: 'phan_anh', dossierCode: finished, unitCode: 'H15.015', content: 'abc' }, 400, 'unitCode'],
      [{ category: 'phan_anh', unitCode: 'H15.001', content: 'abc', extra: 1 }, 400, ''],
    ];
    for (const [payload, status, field] of cases) {
      // The dossier cases are sent by the other citizen (not the owner) except the unit mismatch one.
      const who = payload.dossierCode && payload.content === 'Không phải hồ sơ của tôi' ? other : citizen;
      const r = await fileComplaint(env(), who, payload, status);
      const e = bilingual(r);
      if (field) assert.ok(e.fields?.some((f) => f.field.endsWith(field) && f.messageVi), `${JSON.stringify(payload)} → ${r.body}`);
    }
    // Staff do not file complaints; an answer must have content.
    await fileComplaint(env(), desk, { category: 'phan_anh', unitCode: 'H15.001', content: 'abc' }, 403);
    const after = await env().ctx.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    const c = json<Complaint>(await fileComplaint(env(), citizen, { category: 'kien_nghi', unitCode: 'H15.001', content: 'Đề nghị (mô phỏng)' }));
    for (const payload of [{ answer: '' }, { answer: '   ' }, {}, { answer: 'x'.repeat(4001) }]) {
      const r = await env().app.inject({ method: 'POST', url: `/api/complaints/${c.code}/answer`, headers: desk, payload });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
      bilingual(r);
    }
    const still = json<Complaint>(await env().app.inject({ method: 'GET', url: `/api/complaints/${c.code}`, headers: desk }));
    assert.equal(still.status, 'received');
    assert.equal((await env().app.inject({ method: 'GET', url: '/api/complaints/PAKN-bad', headers: desk })).statusCode, 400);
  });
  it('complaint on a dossier: goes to its receiving unit, due 15 working days later across a weekend and the 27 Apr, 30 Apr and 1 May days off', async () => {
    env().setNow('2026-04-24T07:00:00Z'); // Friday 24 April 2026, 14:00 in Vietnam
    // Sessions of 2 March have lapsed by now: log in again.
    citizen = (await env().citizen('vneid-fb-1')).headers;
    other = (await env().citizen('vneid-fb-2')).headers;
    desk = await env().login('motcua.bmt');
    leader = await env().login('lanhdao.bmt');
    const res = await fileComplaint(env(), citizen, { category: 'phan_anh', dossierCode: finished, content: '  Cán bộ hẹn trả kết quả nhưng chưa trả.  ' });
    const c = json<Complaint>(res);
    assert.match(c.code, /^PAKN-H15\.001-260424-\d{4}$/);
    assert.equal(c.unitCode, 'H15.001');
    assert.equal(c.dossierCode, finished);
    assert.equal(c.content, 'Cán bộ hẹn trả kết quả nhưng chưa trả.');
    assert.equal(c.status, 'received');
    assert.equal(c.receivedAt, '2026-04-24T07:00:00.000Z');
    // 15th working day: 28, 29 Apr; 4–8, 11–15, 18, 19, 20 May → Wed 20 May 14:00 (+07).
    assert.equal(c.dueAt, '2026-05-20T07:00:00.000Z');
    assert.equal(c.timeliness, 'pending');

    const mine = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/me/complaints', headers: citizen }));
    assert.equal(mine.items[0]?.code, c.code, 'newest first');
    const othersCodes = json<{ items: Complaint[] }>(await env().app.inject({ method: 'GET', url: '/api/me/complaints', headers: other })).items.map((x) => x.code);
    assert.ok(othersCodes.length > 0 && !othersCodes.includes(c.code) && othersCodes.every((x) => !mine.items.some((m) => m.code === x)));
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/complaints/${c.code}`, headers: other })).statusCode, 404);

    // Handled by the desk, answered on the due date (after its hour): on time; audited.
    const proc = await env().app.inject({ method: 'POST', url: `/api/complaints/${c.code}/processing`, headers: desk });
    assert.equal(json<Complaint>(proc).status, 'processing');
    env().setNow('2026-05-20T09:30:00Z'); // 16:30 on the due date
    desk = await env().login('motcua.bmt');
    leader = await env().login('lanhdao.bmt');
    const ans = await env().app.inject({ method: 'POST', url: `/api/complaints/${c.code}/answer`, headers: desk, payload: { answer: 'Đã trả kết quả ngày 20/5 (mô phỏng).' } });
    assert.equal(ans.statusCode, 200, ans.body);
    const a = json<Complaint>(ans);
    assert.equal(a.status, 'answered');
    assert.equal(a.answeredOnTime, true);
    assert.equal(a.timeliness, 'on_time');
    const again = await env().app.inject({ method: 'POST', url: `/api/complaints/${c.code}/answer`, headers: leader, payload: { answer: 'Lần hai' } });
    assert.equal(again.statusCode, 409);
    bilingual(again, 'already_answered');
    const audit = await env().ctx.db.selectFrom('audit_log').select(['action', 'object_id']).where('object_type', '=', 'complaint').where('object_id', '=', c.code).orderBy('id').execute();
    assert.deepEqual(audit.map((x) => x.action), ['complaint.processing', 'complaint.answer']);
    // The applicant sees the answer.
    citizen = (await env().citizen('vneid-fb-1')).headers;
    const seen = json<Complaint>(await env().app.inject({ method: 'GET', url: `/api/complaints/${c.code}`, headers: citizen }));
    assert.equal(seen.answer, 'Đã trả kết quả ngày 20/5 (mô phỏng).');
  });
});
