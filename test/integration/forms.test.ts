/**
 * Forms 2–7 of Circular 03/2025/TT-VPCP (Annex I) through HTTP: dossiers walked through the states
 * with the API (supplement request and supplement, apology, forwarding, finish, return; a refusal;
 * a stop), then each form fetched as PDF and its Vietnamese text extracted exactly; the control
 * sheet's rows from the action log; the register as PDF and as XLSX read back; scope and
 * bilingual 400s.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';
import { controlSheetData } from '../../src/dossiers/forms/control-sheet.js';
import { PDF_MAX_ROWS, REGISTER_COLUMNS, registerPdf, type RegisterRow } from '../../src/dossiers/forms/register.js';
import type { AppError } from '../../src/platform/errors.js';
import { TIMELINESS_VI } from '../../src/dossiers/forms/common.js';
import { selectScopedDossier, type ScopedDossierRow } from '../../src/dossiers/repository.js';

let keyN = 0;
const key = () => `forms-${Date.now()}-${++keyN}`;

async function pdfText(data: Buffer | Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  let out = '';
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const tc = await page.getTextContent();
    for (const item of tc.items) {
      if ('str' in item) out += item.str + (item.hasEOL ? '\n' : '');
    }
    out += '\n';
  }
  await pdf.destroy();
  return out;
}

/** Text in table cells wraps: compare without whitespace (every letter and mark still has to match). */
const squash = (s: string) => s.replace(/\s+/g, '');

function assertHas(text: string, expected: readonly string[], opts: { wrapped?: boolean } = {}) {
  for (const s of expected) {
    const ok = opts.wrapped ? squash(text).includes(squash(s)) : text.includes(s);
    assert.ok(ok, `PDF text should contain "${s}":\n${text}`);
  }
}

type Err = { error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; messageVi: string }> } };

const DESK = 'Nguyễn Thị Một Cửa (mô phỏng)';
const SPECIALIST = 'Trần Văn Chuyên Viên (mô phỏng)';
const LEADER = 'Lê Văn Lãnh Đạo (mô phỏng)';
const APPLICANT_A = 'Hoàng Thị Thủy Tiên (mô phỏng)';
const MISSING = ['Bản sao Giấy xác nhận thông tin về cư trú', 'Tờ khai có chữ ký của người yêu cầu (bản chính)'];
const SUPPLEMENT_REASON = 'Hồ sơ thiếu giấy tờ chứng minh nơi cư trú';
const APOLOGY_REASON = 'Cần xác minh thêm thông tin với Công an phường';
const REFUSAL_REASON = 'Hồ sơ không thuộc thẩm quyền giải quyết của Phường';
const STOP_REASON = 'Phát hiện giấy tờ nộp kèm bị tẩy xóa, sửa chữa';

async function act(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>) {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
  assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
}

async function walkIn(env: TestEnv, desk: Record<string, string>, name: string) {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...desk, 'idempotency-key': key() },
    payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name, phone: '0912000777', idNumber: '066190000555' } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<{ code: string }>(res).code;
}

describeEachDatabase('forms 2–7 (Circular 03/2025)', (env) => {
  let desk: Record<string, string>;
  let specialist: Record<string, string>;
  let leader: Record<string, string>;
  let owner: { userId: number; headers: Record<string, string> };
  let codeA = '';
  let codeB = '';
  let codeC = '';
  const get = (url: string, headers?: Record<string, string>) => env().app.inject({ method: 'GET', url, headers: headers ?? {} });
  const form = (code: string, name: string, headers: Record<string, string>) => get(`/api/dossiers/${code}/forms/${name}.pdf`, headers);

  it('walks dossiers through the states with the API', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00 +07
    desk = await env().login('motcua.bmt');
    specialist = await env().login('chuyenvien.bmt');
    leader = await env().login('lanhdao.bmt');
    const specialistId = (await env().ctx.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.bmt').executeTakeFirstOrThrow()).id;

    // A: walk-in → assign → supplement requested and given → apology → forward → finish → returned.
    codeA = await walkIn(env(), desk, APPLICANT_A);
    env().setNow('2026-03-02T03:00:00Z');
    await act(env(), desk, codeA, { type: 'assign', assigneeId: Number(specialistId) });
    env().setNow('2026-03-02T04:00:00Z');
    await act(env(), specialist, codeA, { type: 'request_supplement', reason: SUPPLEMENT_REASON, missing: MISSING });
    env().setNow('2026-03-03T02:00:00Z');
    await act(env(), desk, codeA, { type: 'supplement', documents: ['Giấy xác nhận cư trú (bản sao)'], note: 'Đã nộp bổ sung tại quầy' });
    env().setNow('2026-03-03T03:00:00Z');
    await act(env(), leader, codeA, { type: 'apologize', reason: APOLOGY_REASON, newAppointmentAt: '2026-03-10T02:00:00.000Z' });
    env().setNow('2026-03-04T03:00:00Z');
    await act(env(), specialist, codeA, { type: 'forward' });
    env().setNow('2026-03-05T03:00:00Z');
    await act(env(), leader, codeA, { type: 'finish', resultSummary: 'Đã cấp bản sao trích lục (mô phỏng)' });
    env().setNow('2026-03-06T03:00:00Z');
    await act(env(), desk, codeA, { type: 'return_result', method: 'in_person' });

    // B: online by a citizen, refused at receipt.
    env().setNow('2026-03-02T05:00:00Z');
    owner = await env().citizen('vneid-forms-1', { fullName: 'Đặng Thị Ngọc Ánh (mô phỏng)', idNumber: '066190000999', phone: '0905000999' });
    const sub = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...owner.headers, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193') },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    codeB = json<{ code: string }>(sub).code;
    env().setNow('2026-03-02T06:00:00Z');
    await act(env(), desk, codeB, { type: 'refuse', reason: REFUSAL_REASON });

    // C: walk-in, stopped by the leader.
    env().setNow('2026-03-02T07:00:00Z');
    codeC = await walkIn(env(), desk, 'Lý Văn Đức (mô phỏng)');
    env().setNow('2026-03-02T08:00:00Z');
    await act(env(), leader, codeC, { type: 'stop', reason: STOP_REASON });
  });

  it('form 2: the supplement request lists what is missing, numbered, as the official wrote it', async () => {
    const res = await form(codeA, 'supplement-request', desk);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /phieu-yeu-cau-bo-sung-H15\.001-/);
    const text = await pdfText(res.rawPayload);
    assertHas(text, [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Mẫu số 02, Phụ lục I, Thông tư số 03/2025/TT-VPCP',
      `Mã hồ sơ: ${codeA}`,
      `Kính gửi: ${APPLICANT_A}`,
      `1. ${MISSING[0]}`,
      `2. ${MISSING[1]}`,
      `Lý do: ${SUPPLEMENT_REASON}`,
      'NGƯỜI HƯỚNG DẪN',
      SPECIALIST,
      'ngày 02 tháng 03 năm 2026',
    ]);
  });

  it('form 4: the apology with the reason, the original and the new appointment, signed by the leader', async () => {
    const res = await form(codeA, 'apology', desk);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const action = await env()
      .ctx.db.selectFrom('dossier_actions as a')
      .innerJoin('dossiers as d', 'd.id', 'a.dossier_id')
      .select('a.payload')
      .where('d.code', '=', codeA)
      .where('a.type', '=', 'apologize')
      .executeTakeFirstOrThrow();
    const prev = new Date(String(action.payload.previousAppointmentAt));
    const l = new Date(prev.getTime() + 7 * 3600_000);
    const p = (n: number) => String(n).padStart(2, '0');
    const prevText = `${p(l.getUTCHours())} giờ ${p(l.getUTCMinutes())} phút, ngày ${p(l.getUTCDate())} tháng ${p(l.getUTCMonth() + 1)} năm ${l.getUTCFullYear()}`;
    const text = await pdfText(res.rawPayload);
    assertHas(text, [
      'Độc lập - Tự do - Hạnh phúc',
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      'Mẫu số 04, Phụ lục I, Thông tư số 03/2025/TT-VPCP',
      `Mã hồ sơ: ${codeA}`,
      APPLICANT_A,
      APOLOGY_REASON,
      'Thời gian hẹn trả kết quả mới: 09 giờ 00 phút, ngày 10 tháng 03 năm 2026',
      LEADER,
    ]);
    // A long line: it may wrap.
    assertHas(text, [`Thời gian hẹn trả kết quả giải quyết hồ sơ: ${prevText}`], { wrapped: true });
  });

  it('form 6: the control sheet has one row per hand-over, with names, deadlines and early / on time / late', async () => {
    const row = (await selectScopedDossier(env().ctx.db).where('d.code', '=', codeA).executeTakeFirstOrThrow()) as ScopedDossierRow;
    const data = await controlSheetData(env().ctx, row);
    assert.deepEqual(
      data.rows.map((r) => [r.type, r.giver, r.receiver]),
      [
        ['receive', `${APPLICANT_A} (người nộp hồ sơ)`, DESK],
        ['assign', DESK, SPECIALIST],
        ['request_supplement', SPECIALIST, `${APPLICANT_A} (người nộp hồ sơ)`],
        ['supplement', `${APPLICANT_A} (người nộp hồ sơ)`, DESK],
        ['apologize', LEADER, `${APPLICANT_A} (người nộp hồ sơ)`],
        ['forward', SPECIALIST, LEADER],
        ['finish', LEADER, DESK],
        ['return_result', DESK, `${APPLICANT_A} (người nộp hồ sơ)`],
      ],
    );
    // Step timeliness as recorded on the actions by the dossier machine.
    const recorded = await env()
      .ctx.db.selectFrom('dossier_actions')
      .select(['type', 'step_timeliness'])
      .where('dossier_id', '=', row.id)
      .where('type', 'in', ['assign', 'forward', 'finish'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      data.rows.filter((r) => ['assign', 'forward', 'finish'].includes(r.type)).map((r) => r.timeliness),
      recorded.map((r) => r.step_timeliness),
    );
    assert.ok(recorded.every((r) => r.step_timeliness !== null));
    // The deadline of the forward is the specialist step's own due instant: its norm (16 of 24
    // working hours) from receipt on Mon 09:00 → Wed 09:00, moved by the 6 working hours waited for
    // the supplement (Mon 11:00 → Tue 09:00) → Wed 17:00.
    assert.equal(data.rows.find((r) => r.type === 'forward')!.deadline?.toISOString(), '2026-03-04T10:00:00.000Z');
    // The leader's: 5 h 20 min from the forward on Wed 10:00 → Thu 07:20.
    assert.equal(data.rows.find((r) => r.type === 'finish')!.deadline?.toISOString(), '2026-03-05T00:20:00.000Z');

    const res = await form(codeA, 'control-sheet', leader);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const text = await pdfText(res.rawPayload);
    assertHas(text, ['Độc lập - Tự do - Hạnh phúc', 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Mẫu số 06, Phụ lục I, Thông tư số 03/2025/TT-VPCP', `Mã hồ sơ: ${codeA}`, `Kèm theo hồ sơ của: ${APPLICANT_A}`]);
    assertHas(text, [DESK, SPECIALIST, LEADER, MISSING[0]!, APOLOGY_REASON, TIMELINESS_VI[recorded[0]!.step_timeliness!]!, '10/03/2026 09:00'], { wrapped: true });

    // The same sheet as XLSX (staff only): heading, then one row per hand-over with local times.
    const xlsx = await get(`/api/dossiers/${codeA}/forms/control-sheet.xlsx`, leader);
    assert.equal(xlsx.statusCode, 200, xlsx.body.slice(0, 300));
    assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const cells: string[][] = [];
    ws.eachRow((r) => cells.push((r.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : String(v ?? '')))));
    assert.ok(cells.some((r) => r[0] === 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ'));
    assert.ok(cells.some((r) => r[0] === 'Mã hồ sơ' && r[1] === codeA));
    const head = cells.findIndex((r) => r[0] === 'TT' && r[1] === 'Bước xử lý');
    assert.ok(head > 0);
    const body = cells.slice(head + 1, head + 1 + data.rows.length);
    assert.deepEqual(body.map((r) => [r[2], r[3]]), data.rows.map((r) => [r.giver, r.receiver]));
    // Local time written as such: the forward at Wed 10:00 (+07), due Wed 17:00.
    const fwd = body[data.rows.findIndex((r) => r.type === 'forward')]!;
    assert.equal(fwd[4], '2026-03-04T10:00:00.000Z');
    assert.equal(fwd[5], '2026-03-04T17:00:00.000Z');
    const ownerXlsx = await get(`/api/dossiers/${codeA}/forms/control-sheet.xlsx`, {});
    assert.equal(ownerXlsx.statusCode, 401);
    const unknown = await get(`/api/dossiers/${codeA}/forms/apology.xlsx`, leader);
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.messageVi, /control-sheet\.xlsx/);
  });

  it('form 3: the refusal with its reason, for the owner and the desk', async () => {
    for (const headers of [owner.headers, desk]) {
      const res = await form(codeB, 'refusal', headers);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      const text = await pdfText(res.rawPayload);
      assertHas(text, [
        'Độc lập - Tự do - Hạnh phúc',
        'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
        'Mẫu số 03, Phụ lục I, Thông tư số 03/2025/TT-VPCP',
        `Mã hồ sơ: ${codeB}`,
        'Kính gửi: Đặng Thị Ngọc Ánh (mô phỏng)',
        'Đăng ký khai sinh',
        REFUSAL_REASON,
        'NGƯỜI TIẾP NHẬN HỒ SƠ',
        DESK,
      ]);
    }
  });

  it('form 5: the stop notice with its reason and the leader', async () => {
    const res = await form(codeC, 'stop-notice', desk);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const text = await pdfText(res.rawPayload);
    assertHas(text, ['Độc lập - Tự do - Hạnh phúc', 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'Mẫu số 05, Phụ lục I, Thông tư số 03/2025/TT-VPCP', `Mã hồ sơ: ${codeC}`, 'Lý Văn Đức (mô phỏng)', STOP_REASON, LEADER]);
  });

  it('a form whose event is not in the log is a bilingual 404', async () => {
    for (const [code, name] of [
      [codeA, 'refusal'],
      [codeA, 'stop-notice'],
      [codeB, 'supplement-request'],
      [codeB, 'apology'],
      [codeC, 'apology'],
    ] as const) {
      const res = await form(code, name, desk);
      assert.equal(res.statusCode, 404, `${code} ${name}: ${res.body}`);
      const e = json<Err>(res).error;
      assert.equal(e.code, 'form_not_applicable');
      assert.ok(e.messageVi.includes(code) && /không áp dụng/.test(e.messageVi), e.messageVi);
      assert.ok(/does not apply/.test(e.message), e.message);
    }
  });

  it('scope: staff of another commune and another citizen get 404; the owner cannot get the control sheet', async () => {
    const elsewhere = await env().login('motcua.hoaphu');
    for (const name of ['supplement-request', 'apology', 'control-sheet']) {
      const res = await form(codeA, name, elsewhere);
      assert.equal(res.statusCode, 404, `${name}: ${res.body}`);
      assert.ok(!res.body.includes(APPLICANT_A));
    }
    const other = await env().citizen('vneid-forms-other', { fullName: 'Người khác (mô phỏng)', idNumber: '066190000111', phone: '0905000111' });
    assert.equal((await form(codeB, 'refusal', other.headers)).statusCode, 404);
    const sheet = await form(codeB, 'control-sheet', owner.headers);
    assert.equal(sheet.statusCode, 403, sheet.body);
    assert.match(json<Err>(sheet).error.messageVi, /nội bộ dành cho cán bộ/);
    assert.equal((await form(codeB, 'control-sheet', desk)).statusCode, 200);
    assert.equal((await form(codeB, 'refusal', {})).statusCode, 401);
  });

  it('an unknown form name is a bilingual 400 naming the valid ones', async () => {
    for (const name of ['receipt-x.pdf', 'refusal.docx', 'supplement-request', '7.pdf']) {
      const res = await get(`/api/dossiers/${codeA}/forms/${name}`, desk);
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      const e = json<Err>(res).error;
      assert.equal(e.fields?.[0]?.field, 'form');
      assert.match(e.messageVi, /không có biểu mẫu/);
      assert.match(e.message, /control-sheet\.pdf/);
    }
  });

  it('form 7 as PDF: one row per dossier of the unit in the period', async () => {
    const res = await get('/api/units/H15.001/register?from=2026-03-02&to=2026-03-02&format=pdf', desk);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    const text = await pdfText(res.rawPayload);
    assertHas(text, ['Độc lập - Tự do - Hạnh phúc', 'SỔ THEO DÕI HỒ SƠ', 'Mẫu số 07, Phụ lục I, Thông tư số 03/2025/TT-VPCP', 'Từ ngày 02/03/2026 đến ngày 02/03/2026']);
    assertHas(text, [codeA, codeB, codeC, APPLICANT_A, 'Đã trả kết quả', 'Không được tiếp nhận', 'Dừng xử lý', 'Không tiếp nhận'], { wrapped: true });
    const n = await env()
      .ctx.db.selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('receiving_unit', '=', 'H15.001')
      .where('submitted_at', '>=', new Date('2026-03-01T17:00:00Z'))
      .where('submitted_at', '<', new Date('2026-03-02T17:00:00Z'))
      .executeTakeFirstOrThrow();
    assert.ok(text.includes(`Tổng số hồ sơ: ${Number(n.n)};`), text);
    // The default format is PDF; the day after has none of them.
    const next = await pdfText((await get('/api/units/H15.001/register?from=2026-03-03&to=2026-03-03', desk)).rawPayload);
    assert.ok(!squash(next).includes(squash(codeA)));
    assert.ok(next.includes('Tổng số hồ sơ: 0;'), next);
  });

  it('form 7 as XLSX: a header row and one row per dossier, read back with exceljs', async () => {
    const res = await get('/api/units/H15.001/register?from=2026-03-01&to=2026-03-31&format=xlsx', leader);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(String(res.headers['content-disposition']), /so-theo-doi-ho-so-H15\.001-2026-03-01-2026-03-31\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.name, 'Sổ theo dõi hồ sơ');
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), REGISTER_COLUMNS.map((c) => c.header));
    const rows: Record<string, unknown>[] = [];
    ws.eachRow((r, i) => {
      if (i === 1) return;
      const v = r.values as unknown[];
      rows.push(Object.fromEntries(REGISTER_COLUMNS.map((c, k) => [c.key, v[k + 1] ?? null])));
    });
    const db = await env()
      .ctx.db.selectFrom('dossiers')
      .select(['code', 'applicant_name', 'timeliness', 'received_at'])
      .where('receiving_unit', '=', 'H15.001')
      .where('submitted_at', '>=', new Date('2026-02-28T17:00:00Z'))
      .where('submitted_at', '<', new Date('2026-03-31T17:00:00Z'))
      .orderBy('submitted_at')
      .orderBy('id')
      .execute();
    assert.deepEqual(rows.map((r) => r.code), db.map((d) => d.code));
    assert.deepEqual(rows.map((r) => r.n), db.map((_, i) => i + 1));
    const a = rows.find((r) => r.code === codeA)!;
    const dbA = db.find((d) => d.code === codeA)!;
    assert.equal(a.applicant, APPLICANT_A);
    assert.equal(a.procedureCode, 'H15-HT-05');
    assert.equal(a.result, 'Đã trả kết quả');
    assert.equal(a.timeliness, TIMELINESS_VI[dbA.timeliness!]);
    // Local wall time (09:00 +07) as an Excel date-time.
    assert.equal((a.receivedAt as Date).toISOString(), '2026-03-02T09:00:00.000Z');
    assert.equal((a.doneAt as Date).toISOString(), '2026-03-06T10:00:00.000Z');
    const b = rows.find((r) => r.code === codeB)!;
    assert.equal(b.result, 'Không được tiếp nhận');
    assert.equal(b.receivedAt, null);
    assert.equal(b.timeliness, 'Không tiếp nhận');
    assert.equal(rows.find((r) => r.code === codeC)!.result, 'Dừng xử lý');
  });

  it('form 7 reads large periods in keyset batches: 1,300 dossiers submitted at the same instant, each once, in order', async () => {
    const cols = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_name = 'dossiers' and table_schema = current_schema() and is_generated = 'NEVER'
        and column_name not in ('id', 'code', 'submitted_at')`.execute(env().ctx.db);
    const list = sql.raw(cols.rows.map((c) => `"${c.column_name}"`).join(', '));
    await sql`
      insert into dossiers (${list}, code, submitted_at)
      select ${list}, 'H15.001-260310-' || lpad(g::text, 4, '0'), ${new Date('2026-03-10T02:00:00Z')}
      from dossiers, generate_series(1, 1300) g where dossiers.code = ${codeC}`.execute(env().ctx.db);
    const res = await get('/api/units/H15.001/register?from=2026-03-10&to=2026-03-10&format=xlsx', desk);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const codes: string[] = [];
    wb.worksheets[0]!.eachRow((r, i) => {
      if (i > 1) codes.push(String((r.values as unknown[])[2]));
    });
    const expected = await env().ctx.db.selectFrom('dossiers').select('code').where('code', 'like', 'H15.001-260310-%').orderBy('id').execute();
    assert.equal(codes.length, 1300);
    assert.deepEqual(codes, expected.map((e) => e.code));
  });

  it('a PDF register beyond its row cap is a bilingual 400 pointing to the XLSX', async () => {
    const row: RegisterRow = { code: 'X', applicant: 'A', procedure: 'P', procedureCode: 'P', submittedAt: new Date(), receivedAt: null, appointmentAt: null, doneAt: null, result: '', timeliness: '' };
    async function* many() {
      for (let i = 0; i <= PDF_MAX_ROWS / 1000; i++) yield Array.from({ length: 1000 }, () => row);
    }
    const issuer = { unitCode: 'H15.001', parentName: null, name: 'X', unitName: 'X', place: 'Đắk Lắk' };
    const period = { from: '2026-03-01', to: '2026-03-31', fromAt: new Date(), toAt: new Date() };
    await assert.rejects(registerPdf({ issuer, period, demo: false, generatedAt: new Date() }, many()), (e: AppError) => {
      assert.equal(e.status, 400);
      assert.equal(e.code, 'too_many_rows');
      assert.match(e.messageVi, /format=xlsx/);
      return true;
    });
  });

  it('form 7 scope: staff of the unit or above; another commune 403; citizens 403', async () => {
    const province = await env().login('lanhdao.tinh');
    assert.equal((await get('/api/units/H15.001/register?from=2026-03-02&to=2026-03-02&format=xlsx', province)).statusCode, 200);
    const elsewhere = await env().login('motcua.hoaphu');
    const r = await get('/api/units/H15.001/register?from=2026-03-02&to=2026-03-02', elsewhere);
    assert.equal(r.statusCode, 403, r.body);
    assert.match(json<Err>(r).error.messageVi, /Sổ theo dõi hồ sơ của đơn vị H15\.001/);
    assert.equal((await get('/api/units/H15.001/register?from=2026-03-02&to=2026-03-02', owner.headers)).statusCode, 403);
    assert.equal((await get('/api/units/H15.999/register?from=2026-03-02&to=2026-03-02', desk)).statusCode, 404);
  });

  it('form 7 period: missing, malformed, reversed, too long dates and a wrong format are bilingual 400s', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['to=2026-03-02', 'from', /bắt buộc/],
      ['from=2026-3-2&to=2026-03-02', 'from', /không phải ngày/],
      ['from=2026-02-30&to=2026-03-02', 'from', /không phải ngày/],
      ['from=2026-03-05&to=2026-03-02', 'to', /trước ngày bắt đầu/],
      ['from=2025-03-01&to=2026-03-02', 'to', /tối đa 366 ngày/],
      ['from=2026-03-01&to=2026-03-02&format=doc', 'format', /pdf hoặc xlsx/],
    ];
    for (const [q, field, vi] of cases) {
      const res = await get(`/api/units/H15.001/register?${q}`, desk);
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      const e = json<Err>(res).error;
      assert.ok(e.message && e.messageVi, res.body);
      assert.equal(e.fields?.[0]?.field, field, res.body);
      assert.match(e.messageVi, vi);
    }
    // 366 days is allowed (a leap year's span).
    assert.equal((await get('/api/units/H15.001/register?from=2025-03-02&to=2026-03-02&format=xlsx', desk)).statusCode, 200);
  });
});
