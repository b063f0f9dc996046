/**
 * Following a dossier through HTTP: the public timeline for the owner and staff in scope (what is
 * missing while a supplement is requested, the paused clock), and the lookup without login by
 * code plus phone (any spacing, +84) or ID number: one identical 404 for every kind of mismatch,
 * no personal data in the answer, and the rate limits per client and per code (429, Retry-After).
 */
import { BIRTH_FORM } from '../helpers/forms.js';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import type { TimelineView } from '../../src/dossiers/timeline.js';

let keyN = 0;
const key = () => `lookup-${Date.now()}-${++keyN}`;
let ipN = 0;
/** A fresh client address per test, so the per-client limit of one test does not touch another. */
const freshIp = () => `10.9.${Math.floor(++ipN / 250)}.${ipN % 250}`;


const APPLICANT = { name: 'Hoàng Thị Lệ Quyên (mô phỏng)', phone: '0912000111', idNumber: '066190000111', email: 'quyen@example.vn', address: 'Thôn 3, Hòa Phú' };

async function lookup(env: TestEnv, body: Record<string, unknown>, ip: string) {
  return env.app.inject({ method: 'POST', url: '/api/lookup', payload: body, remoteAddress: ip });
}

async function act(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>) {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
  assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
}

describeEachDatabase('follow: timeline and lookup', (env) => {
  let desk: Record<string, string>;
  let code = '';
  let owner: { userId: number; headers: Record<string, string> };

  it('an online dossier, received, then a supplement requested: the timeline shows exactly what is missing', async () => {
    env().setNow('2026-03-02T01:00:00Z'); // Mon 08:00 +07
    desk = await env().login('motcua.bmt');
    owner = await env().citizen('vneid-lookup-1', { fullName: APPLICANT.name, idNumber: APPLICANT.idNumber, phone: APPLICANT.phone });
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...owner.headers, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH_FORM, applicant: { email: APPLICANT.email, address: APPLICANT.address } },
    });
    assert.equal(res.statusCode, 201, res.body);
    code = json<{ code: string }>(res).code;
    env().setNow('2026-03-02T02:00:00Z');
    await act(env(), desk, code, { type: 'receive' });
    env().setNow('2026-03-02T03:00:00Z');
    await act(env(), desk, code, { type: 'request_supplement', reason: 'Giấy chứng sinh bị mờ, không đọc được', missing: ['Giấy chứng sinh (bản chụp rõ nét)', 'Giấy đăng ký kết hôn của cha mẹ'] });

    const r = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/timeline`, headers: owner.headers });
    assert.equal(r.statusCode, 200, r.body);
    const t = json<TimelineView>(r);
    assert.equal(t.code, code);
    assert.deepEqual(t.procedure, { code: '1.001193', name: 'Đăng ký khai sinh', nameEn: t.procedure.nameEn });
    assert.equal(t.case.code, 'DUNG_HAN');
    assert.deepEqual(t.status, { code: 5, slug: 'supplement_requested', vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' });
    assert.equal(t.clockPaused, true);
    assert.equal(t.timeliness.code, 'paused');
    assert.deepEqual(t.missing, {
      requestedAt: '2026-03-02T03:00:00.000Z',
      reason: 'Giấy chứng sinh bị mờ, không đọc được',
      items: ['Giấy chứng sinh (bản chụp rõ nét)', 'Giấy đăng ký kết hôn của cha mẹ'],
    });
    assert.deepEqual(t.steps.map((s) => s.kind), ['submitted', 'received', 'supplement_requested']);
    assert.equal(t.steps[0]!.label.vi, 'Nộp hồ sơ trực tuyến');
    assert.ok(t.appointmentAt);
  });

  it('staff in scope see the timeline; another citizen and staff of another commune get 404; anonymous 401', async () => {
    const leader = await env().login('lanhdao.bmt');
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/timeline`, headers: leader })).statusCode, 200);
    const other = await env().citizen('vneid-lookup-other', { fullName: 'Người lạ (mô phỏng)', idNumber: '066190000999', phone: '0905000999' });
    for (const headers of [other.headers, await env().login('motcua.hoaphu')]) {
      const r = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/timeline`, headers });
      assert.equal(r.statusCode, 404, r.body);
    }
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/timeline` })).statusCode, 401);
  });

  it('lookup by code and phone (with spaces, or +84), or by ID number, gives the same public timeline with no personal data', async () => {
    const ip = freshIp();
    const byPhone = await lookup(env(), { code, phoneOrIdNumber: '0912 000 111' }, ip);
    assert.equal(byPhone.statusCode, 200, byPhone.body);
    assert.equal(byPhone.headers['cache-control'], 'no-store');
    const byIntl = await lookup(env(), { code, phoneOrIdNumber: '+84 912 000 111' }, ip);
    assert.equal(byIntl.statusCode, 200, byIntl.body);
    const byId = await lookup(env(), { code: code.toLowerCase(), phoneOrIdNumber: ` ${APPLICANT.idNumber} ` }, ip);
    assert.equal(byId.statusCode, 200, byId.body);
    const t = json<TimelineView>(byPhone);
    assert.deepEqual(t.missing?.items, ['Giấy chứng sinh (bản chụp rõ nét)', 'Giấy đăng ký kết hôn của cha mẹ']);
    assert.equal(t.status.code, 5);
    assert.deepEqual(json(byIntl), t);
    assert.deepEqual(json(byId), t);
    for (const secret of [APPLICANT.name, 'Hoàng', APPLICANT.phone, '912000111', APPLICANT.idNumber, APPLICANT.email, APPLICANT.address]) {
      assert.ok(!byPhone.body.includes(secret), `the lookup answer must not contain "${secret}"`);
    }
  });

  it('a wrong phone, a wrong code, or both: the same 404 body', async () => {
    const ip = freshIp();
    const wrongPhone = await lookup(env(), { code, phoneOrIdNumber: '0912000112' }, ip);
    const wrongCode = await lookup(env(), { code: 'H15.001-260302-9999', phoneOrIdNumber: APPLICANT.phone }, ip);
    const both = await lookup(env(), { code: 'H15.015-250101-0001', phoneOrIdNumber: '0999999999' }, ip);
    const garbage = await lookup(env(), { code: 'not-a-code', phoneOrIdNumber: 'x' }, ip);
    const another = await lookup(env(), { code, phoneOrIdNumber: '0905000999' }, ip); // another citizen's phone
    for (const r of [wrongPhone, wrongCode, both, garbage, another]) assert.equal(r.statusCode, 404, r.body);
    const expected = {
      error: { code: 'lookup_no_match', message: 'No dossier matches what you entered.', messageVi: 'Không tìm thấy hồ sơ khớp với thông tin đã nhập.' },
    };
    for (const r of [wrongPhone, wrongCode, both, garbage, another]) assert.deepEqual(json(r), expected);
    assert.equal(wrongPhone.body, wrongCode.body);
    assert.equal(wrongCode.body, both.body);
    // Headers do not differ either (apart from the date).
    const strip = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'date'));
    assert.deepEqual(strip(wrongPhone.headers), strip(wrongCode.headers));
  });

  it('bad input is a bilingual 400, unknown fields refused', async () => {
    const ip = freshIp();
    const r = await lookup(env(), { code, phone: APPLICANT.phone }, ip);
    assert.equal(r.statusCode, 400);
    const e = json<{ error: { code: string; messageVi: string } }>(r).error;
    assert.equal(e.code, 'invalid_input');
    assert.ok(e.messageVi);
  });

  it('at most 10 lookups a minute from one client address: then 429 with Retry-After, bilingual', async () => {
    env().setNow('2026-03-02T05:00:00Z');
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      const r = await lookup(env(), { code: `H15.001-260302-${String(5000 + i)}`, phoneOrIdNumber: '0900000000' }, ip);
      assert.equal(r.statusCode, 404);
    }
    env().setNow('2026-03-02T05:00:20Z');
    const limited = await lookup(env(), { code, phoneOrIdNumber: APPLICANT.phone }, ip);
    assert.equal(limited.statusCode, 429, limited.body);
    const e = json<{ error: { code: string; message: string; messageVi: string } }>(limited).error;
    assert.equal(e.code, 'rate_limited');
    assert.match(e.messageVi, /thử lại sau \d+ giây/);
    assert.match(e.message, /try again in \d+ seconds/);
    const retry = Number(limited.headers['retry-after']);
    assert.ok(retry >= 39 && retry <= 41, `Retry-After ${String(limited.headers['retry-after'])}`);
    // Another client is not affected; the same client may look up again after the window.
    assert.equal((await lookup(env(), { code, phoneOrIdNumber: APPLICANT.phone }, freshIp())).statusCode, 200);
    env().setNow('2026-03-02T05:01:01Z');
    assert.equal((await lookup(env(), { code, phoneOrIdNumber: APPLICANT.phone }, ip)).statusCode, 200);
  });

  it('at most 20 lookups an hour for one code, whatever the client address', async () => {
    env().setNow('2026-03-02T07:00:00Z');
    const target = 'H15.001-260302-7777';
    for (let i = 0; i < 20; i++) {
      const r = await lookup(env(), { code: target, phoneOrIdNumber: `09000000${String(i).padStart(2, '0')}` }, freshIp());
      assert.equal(r.statusCode, 404);
    }
    const limited = await lookup(env(), { code: target, phoneOrIdNumber: '0900000099' }, freshIp());
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 3000);
    // Other codes are not affected.
    assert.equal((await lookup(env(), { code, phoneOrIdNumber: APPLICANT.phone }, freshIp())).statusCode, 200);
  });

  it('after the supplement the clock runs again; the lookup shows the new status, no missing list, the upcoming appointment', async () => {
    env().setNow('2026-03-02T08:00:00Z');
    await act(env(), owner.headers, code, { type: 'supplement', documents: ['giay-chung-sinh-ro.pdf'] });
    const t = json<TimelineView>(await lookup(env(), { code, phoneOrIdNumber: APPLICANT.phone }, freshIp()));
    assert.equal(t.status.code, 4); // back to processing, as the core resumes a received dossier
    assert.equal(t.clockPaused, false);
    assert.equal(t.missing, null);
    assert.deepEqual(t.steps.map((s) => s.kind), ['submitted', 'received', 'supplement_requested', 'supplemented', 'appointment']);
    // Anonymous viewers do not see the names of the uploaded files; the owner does.
    assert.equal(t.steps[3]!.documents, null);
    const own = json<TimelineView>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/timeline`, headers: owner.headers }));
    assert.deepEqual(own.steps[3]!.documents, ['giay-chung-sinh-ro.pdf']);
    assert.equal(t.steps[4]!.upcoming, true);
    assert.equal(t.steps[4]!.appointmentAt, t.appointmentAt);
    assert.equal(t.timeliness.code, 'within_limit');
  });
});
