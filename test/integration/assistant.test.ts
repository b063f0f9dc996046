/**
 * POST /api/assistant/ask through HTTP on both databases (issue 6): answers about procedures come
 * from the catalog (checked against GET /api/procedures/:code, never against numbers typed here);
 * a dossier's status only with its code and the matching phone, or to staff who may see it;
 * officials' work queues and indicators within their scope; "I don't know" with the search link;
 * bad input; and the optional generative phrasing against a local fake endpoint, used only when
 * it keeps every fact.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { act, freshKey } from '../helpers/dossier-api.js';

interface Answer {
  answer: string;
  procedures: Array<{ code: string; name: string; score: number }>;
  actions: Array<{ label: string; href: string }>;
  dossiers: Array<{ code: string; href: string }>;
  kind: string;
  lang: 'vi' | 'en';
  rephrased: boolean;
}

interface ProcedureDetail {
  code: string;
  name: string;
  cases: Array<{ name: string; fee: { kind: string } }>;
  documents: Array<{ name: string }>;
}

async function ask(env: TestEnv, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await env.app.inject({ method: 'POST', url: '/api/assistant/ask', payload: body, headers });
  assert.equal(res.statusCode, 200, res.body);
  return json<Answer>(res);
}

// A stand-in for an OpenAI-compatible endpoint: it either rephrases faithfully (same text with a
// friendlier opening) or invents a fee.
let fakeMode: 'faithful' | 'invents' = 'faithful';
const fakeLlm = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const msg = (JSON.parse(body) as { messages: Array<{ content: string }> }).messages[1]!.content;
    const content = fakeMode === 'faithful' ? `Chào bạn, thông tin như sau:\n${msg}` : `${msg}\nNgoài ra phải nộp thêm 50.000 đồng.`;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
  });
});
await new Promise<void>((r) => fakeLlm.listen(0, '127.0.0.1', r));
after(() => fakeLlm.close());
const FAKE_URL = `http://127.0.0.1:${(fakeLlm.address() as AddressInfo).port}/v1`;

describeEachDatabase(
  'assistant: answers from facts',
  (env) => {
    let birth: ProcedureDetail;
    before(async () => {
      env().setNow('2026-11-20T02:00:00Z'); // Friday 09:00 in Vietnam
      const res = await env().app.inject({ method: 'GET', url: '/api/procedures/1.001193' });
      assert.equal(res.statusCode, 200);
      birth = json<ProcedureDetail>(res);
    });

    it('"làm giấy khai sinh cho con cần gì": the documents, fee and time limit of birth registration, with a link to submit', async () => {
      const a = await ask(env(), { question: 'làm giấy khai sinh cho con cần gì' });
      assert.equal(a.kind, 'procedure');
      assert.equal(a.lang, 'vi');
      assert.equal(a.procedures[0]!.code, '1.001193');
      for (const d of birth.documents) assert.ok(a.answer.includes(d.name), `document: ${d.name}`);
      for (const c of birth.cases) assert.ok(a.answer.includes(`• ${c.name}:`), `case: ${c.name}`);
      assert.match(a.answer, /Phí, lệ phí:/);
      assert.match(a.answer, /Miễn phí/);
      assert.match(a.answer, /Thời hạn giải quyết:/);
      // same-day procedure asked on Friday 09:00 → due the same day at closing time
      assert.match(a.answer, /hẹn trả kết quả vào \d\d:\d\d thứ Sáu, 20\/11\/2026/);
      assert.ok(a.actions.some((x) => x.href === '/nop-ho-so/1.001193'));
      assert.ok(a.actions.some((x) => x.href === '/thu-tuc/1.001193'));
    });

    it('the same without diacritics, with a typo, colloquially and in English', async () => {
      for (const q of ['lam giay khai sinh cho con can gi', 'dang ky khia sinh can giay to gi', 'How do I register a birth? What documents?']) {
        const a = await ask(env(), { question: q });
        assert.equal(a.procedures[0]?.code, '1.001193', q);
      }
      const en = await ask(env(), { question: 'How do I register a birth? What documents?' });
      assert.equal(en.lang, 'en');
      assert.match(en.answer, /Documents to prepare:/);
    });

    it('a fee for the applicant situation is computed from the catalog rule, never typed here', async () => {
      const a = await ask(env(), { question: 'lệ phí đăng ký kết hôn bao nhiêu' });
      assert.equal(a.kind, 'procedure');
      assert.match(a.answer, /^Phí, lệ phí:$/m);
      assert.doesNotMatch(a.answer, /Giấy tờ cần chuẩn bị/, 'only what was asked');
    });

    it('a question outside the catalog: "I don\'t know", the contact and the search link', async () => {
      const a = await ask(env(), { question: 'mua vé tàu hỏa Sài Gòn Hà Nội' });
      assert.equal(a.kind, 'no_match');
      assert.deepEqual(a.procedures, []);
      assert.match(a.answer, /chưa tìm thấy/);
      assert.match(a.answer, /Liên hệ: Đường dây nóng thử nghiệm/);
      assert.ok(a.actions.some((x) => x.href.startsWith('/tim-kiem?q=')));
    });

    it('a greeting', async () => {
      const a = await ask(env(), { question: 'Xin chào' });
      assert.equal(a.kind, 'greeting');
    });

    it('a dossier only with its code and the matching phone; its missing documents once a supplement is asked', async () => {
      const desk = await env().login('motcua.bmt');
      const specialist = await env().login('chuyenvien.bmt');
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': freshKey('asst') },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Lê Văn Hỏi (mô phỏng)', phone: '0905123456' } },
      });
      assert.equal(res.statusCode, 201, res.body);
      const code = json<{ code: string }>(res).code;

      const noPhone = await ask(env(), { question: `hồ sơ ${code} đến đâu rồi` });
      assert.equal(noPhone.kind, 'dossier_needs_verification');
      assert.ok(!noPhone.answer.includes('Trạng thái'), 'no detail without verification');
      assert.deepEqual(noPhone.dossiers, []);
      const wrong = await ask(env(), { question: `hồ sơ ${code} đến đâu rồi`, phone: '0905999999' });
      assert.equal(wrong.kind, 'dossier_not_found');
      assert.deepEqual(wrong.dossiers, []);
      const right = await ask(env(), { question: 'hồ sơ của tôi đến đâu rồi', dossierCode: code, phone: '0905 123 456' });
      assert.equal(right.kind, 'dossier');
      assert.match(right.answer, /Trạng thái: /);
      assert.match(right.answer, /Ngày hẹn trả kết quả: /);
      assert.deepEqual(right.dossiers.map((d) => d.code), [code]);

      await act(env(), specialist, code, { type: 'request_supplement', reason: 'Thiếu giấy tờ (mô phỏng)', missing: ['Tờ khai có chữ ký'] });
      const missing = await ask(env(), { question: 'hồ sơ còn thiếu gì', dossierCode: code, phone: '0905123456' });
      assert.match(missing.answer, /Cần bổ sung/);
      assert.match(missing.answer, /• Tờ khai có chữ ký/);

      // staff who may see it need no phone; staff of another commune get the verification answer
      const staffView = await ask(env(), { question: `tình trạng hồ sơ ${code}` }, specialist);
      assert.equal(staffView.kind, 'dossier');
      assert.equal(staffView.dossiers[0]!.href, `/can-bo/ho-so/${encodeURIComponent(code)}`);
      const other = await ask(env(), { question: `tình trạng hồ sơ ${code}` }, await env().login('motcua.hoaphu'));
      assert.equal(other.kind, 'dossier_needs_verification');
    });

    it('officials: dossiers due today and overdue in their own scope only', async () => {
      const desk = await env().login('motcua.bmt');
      // Same-day procedure received now: due today.
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': freshKey('asst') },
        payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', applicant: { name: 'Trần Thị Hạn (mô phỏng)', phone: '0905123457' } },
      });
      assert.equal(res.statusCode, 201, res.body);
      const code = json<{ code: string }>(res).code;
      const bmt = await ask(env(), { question: 'hồ sơ nào đến hạn hôm nay?' }, desk);
      assert.equal(bmt.kind, 'staff_due_today');
      assert.ok(bmt.dossiers.some((d) => d.code === code), 'the dossier due today is listed');
      assert.ok(bmt.actions.some((x) => x.href === '/can-bo?tab=due_today'));
      const hp = await ask(env(), { question: 'hồ sơ nào đến hạn hôm nay?' }, await env().login('motcua.hoaphu'));
      assert.ok(!hp.dossiers.some((d) => d.code === code), 'not in another commune');
      const overdue = await ask(env(), { question: 'có hồ sơ nào quá hạn không' }, desk);
      assert.equal(overdue.kind, 'staff_overdue');
      // a citizen asking the same gets no work queue
      const citizen = await ask(env(), { question: 'hồ sơ nào đến hạn hôm nay?' });
      assert.ok(!citizen.kind.startsWith('staff_'));
    });

    it('a leader: the unit on an indicator, equal to the heatmap', async () => {
      const leader = await env().login('lanhdao.bmt');
      const a = await ask(env(), { question: 'tỷ lệ giải quyết đúng hạn tháng này thế nào' }, leader);
      assert.equal(a.kind, 'staff_indicator');
      const h = await env().app.inject({ method: 'GET', url: '/api/monitoring/heatmap?period=month', headers: leader });
      const cell = json<{ rows: Array<{ cells: Record<string, { value: number | null; formula: string | null }> }> }>(h).rows[0]!.cells.on_time_rate!;
      if (cell.formula) assert.ok(a.answer.includes(cell.formula), `${a.answer} ~ ${cell.formula}`);
      // a specialist (no monitoring role) does not get the indicator
      const s = await ask(env(), { question: 'tỷ lệ giải quyết đúng hạn tháng này thế nào' }, await env().login('chuyenvien.bmt'));
      assert.notEqual(s.kind, 'staff_indicator');
    });

    it('bad input: a bilingual 400', async () => {
      for (const payload of [{ question: '' }, { question: 'x'.repeat(501) }, { question: 'hi', other: 1 }, {}, { question: 'khai sinh', lang: 'fr' }]) {
        const res = await env().app.inject({ method: 'POST', url: '/api/assistant/ask', payload });
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        const e = json<{ error: { message: string; messageVi: string } }>(res).error;
        assert.ok(e.message && e.messageVi && e.message !== e.messageVi);
      }
    });
  },
  { env: { ASSISTANT_CONTACT: 'Đường dây nóng thử nghiệm (không phải số thật)' } },
);

describeEachDatabase(
  'assistant: optional generative phrasing',
  (env) => {
    it('a faithful rephrasing is used; one that invents a fee is not', async () => {
      env().setNow('2026-11-20T02:00:00Z');
      fakeMode = 'faithful';
      const a = await ask(env(), { question: 'lệ phí đăng ký khai sinh' });
      assert.equal(a.rephrased, true);
      assert.match(a.answer, /^Chào bạn, thông tin như sau:/);
      assert.equal(a.procedures[0]!.code, '1.001193', 'citations kept');
      fakeMode = 'invents';
      const b = await ask(env(), { question: 'lệ phí đăng ký khai sinh' });
      assert.equal(b.rephrased, false);
      assert.doesNotMatch(b.answer, /50\.000/);
      assert.equal(b.procedures[0]!.code, '1.001193');
    });
  },
  { env: { ASSISTANT_LLM_URL: FAKE_URL } },
);
