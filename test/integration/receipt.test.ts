/**
 * The receipt (form 1 of Circular 03/2025) through HTTP: the confirmation of online submission
 * before receipt, the receipt with appointment and receiving official after it, the documents from
 * the dossier's attachments (or the catalog when none), the PDF with exactly extractable
 * Vietnamese text, and scope (another citizen, staff of another commune, anonymous).
 */
import { BIRTH_FORM } from '../helpers/forms.js';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describeEachDatabase, json } from '../helpers/harness.js';
import { receiptPdf, type ReceiptData } from '../../src/dossiers/receipt.js';
import { DEMO_NOTICE } from '../../src/platform/pdf.js';

let keyN = 0;
const key = () => `receipt-${Date.now()}-${++keyN}`;

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


const APPLICANT = { fullName: 'Đặng Thị Ngọc Ánh (mô phỏng)', idNumber: '066190000777', phone: '0905000777' };

describeEachDatabase('receipt (form 1)', (env) => {
  let owner: { userId: number; headers: Record<string, string> };
  let code = '';

  it('an online dossier not yet received gets a confirmation of online submission, without appointment or official', async () => {
    env().setNow('2026-03-02T01:30:00Z'); // Mon 08:30 +07
    owner = await env().citizen('vneid-receipt-1', APPLICANT);
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...owner.headers, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH_FORM, applicant: { address: 'Số 1 Lê Duẩn, Buôn Ma Thuột', email: 'anh@example.vn' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    code = json<{ code: string }>(res).code;
    const r = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt`, headers: owner.headers });
    assert.equal(r.statusCode, 200, r.body);
    const body = json<ReceiptData>(r);
    assert.equal(body.kind, 'online_submission');
    assert.equal(body.title.vi, 'Giấy xác nhận nộp hồ sơ trực tuyến');
    assert.equal(body.receivedBy, null);
    assert.equal(body.appointmentAt, null);
    assert.equal(body.receivedAt, null);
    assert.equal(body.applicant.name, APPLICANT.fullName);
    assert.equal(body.procedure.name, 'Đăng ký khai sinh');
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  it('after receipt: form 1 with the appointment, the official who received it and the catalog documents of the case', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const desk = await env().login('motcua.bmt');
    const rec = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...desk, 'idempotency-key': key() }, payload: { type: 'receive' } });
    assert.equal(rec.statusCode, 200, rec.body);
    const r = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt`, headers: owner.headers });
    assert.equal(r.statusCode, 200, r.body);
    const body = json<ReceiptData>(r);
    assert.equal(body.kind, 'receipt');
    assert.equal(body.title.vi, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    assert.equal(body.receivedBy?.name, 'Nguyễn Thị Một Cửa (mô phỏng)');
    assert.equal(body.receivedAt, '2026-03-02T02:00:00.000Z');
    assert.ok(body.appointmentAt, 'an appointment is given');
    assert.equal(body.documentsSource, 'catalog');
    const catalog = await env()
      .ctx.db.selectFrom('procedure_documents')
      .select(['name', 'case_codes'])
      .where('procedure_code', '=', '1.001193')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      body.documents.map((d) => d.name),
      catalog.filter((d) => d.case_codes.length === 0 || d.case_codes.includes('DUNG_HAN')).map((d) => d.name),
    );
    assert.ok(body.documents.length > 0);
    assert.equal(body.issuer.unitCode, 'H15.001');
    assert.match(body.issuer.parentName ?? '', /^Ủy ban nhân dân Phường/);
    assert.equal(body.issuer.place, 'Đắk Lắk');
    assert.equal(body.applicant.address, 'Số 1 Lê Duẩn, Buôn Ma Thuột');
    assert.equal(body.pdfUrl, `/api/dossiers/${code}/receipt.pdf`);
  });

  it('lists the attached files under the procedure document they were uploaded for', async () => {
    const d = await env().ctx.db.selectFrom('dossiers').select(['id']).where('code', '=', code).executeTakeFirstOrThrow();
    const doc1 = await env().ctx.db.selectFrom('procedure_documents').select(['seq', 'name']).where('procedure_code', '=', '1.001193').orderBy('seq').executeTakeFirstOrThrow();
    for (const [seq, name] of [[doc1.seq, 'giấy-chứng-sinh.pdf'], [null, 'ghi-chú-thêm.png']] as const) {
      await env()
        .ctx.db.insertInto('attachments')
        .values({
          public_id: crypto.randomUUID(),
          owner_user_id: owner.userId,
          dossier_id: d.id,
          procedure_code: '1.001193',
          document_seq: seq,
          file_name: name,
          content_type: name.endsWith('.pdf') ? 'application/pdf' : 'image/png',
          size_bytes: 1234,
          sha256: crypto.createHash('sha256').update(name).digest('hex'),
          storage_key: `test/${crypto.randomUUID()}`,
          created_at: new Date('2026-03-02T01:20:00Z'),
        } as never)
        .execute();
    }
    const body = json<ReceiptData>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt`, headers: owner.headers }));
    assert.equal(body.documentsSource, 'attachments');
    assert.deepEqual(
      body.documents.map((x) => [x.name, x.files.map((f) => f.fileName)]),
      [
        [doc1.name, ['giấy-chứng-sinh.pdf']],
        ['Giấy tờ khác', ['ghi-chú-thêm.png']],
      ],
    );
  });

  it('the PDF is form 1 with exactly extractable Vietnamese text', async () => {
    const res = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt.pdf`, headers: owner.headers });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), new RegExp(`giay-tiep-nhan-${code.replace(/\./g, '\\.')}\\.pdf`));
    const bytes = res.rawPayload;
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = await pdfText(bytes);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      `Mã hồ sơ: ${code}`,
      'Đăng ký khai sinh',
      APPLICANT.fullName,
      APPLICANT.idNumber,
      'Nguyễn Thị Một Cửa (mô phỏng)',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'giấy-chứng-sinh.pdf',
      'Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút', // same-day procedure received at 09:00
    ]) {
      assert.ok(text.includes(s), `PDF text should contain "${s}":\n${text}`);
    }
    // Not a demo installation in this suite: no "simulated" notice.
    assert.ok(!text.includes('mô phỏng phục vụ trình diễn'));
  });

  it('in demo mode the PDF says it is a simulated document', async () => {
    const body = json<ReceiptData>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt`, headers: owner.headers }));
    const text = await pdfText(await receiptPdf({ ...body, demo: true }));
    assert.ok(text.includes(DEMO_NOTICE), text);
  });

  it('staff in scope may read it; another citizen, staff of another commune and anonymous may not', async () => {
    const leader = await env().login('lanhdao.bmt');
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt`, headers: leader })).statusCode, 200);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt.pdf`, headers: leader })).statusCode, 200);

    const other = await env().citizen('vneid-receipt-other', { fullName: 'Người khác (mô phỏng)', idNumber: '066190000888', phone: '0905000888' });
    const elsewhere = await env().login('motcua.hoaphu');
    for (const headers of [other.headers, elsewhere]) {
      for (const url of [`/api/dossiers/${code}/receipt`, `/api/dossiers/${code}/receipt.pdf`]) {
        const r = await env().app.inject({ method: 'GET', url, headers });
        // Like GET /api/dossiers/:code: out of scope is "not found", so existence is not revealed.
        assert.equal(r.statusCode, 404, `${url}: ${r.body}`);
        assert.ok(!r.body.includes(APPLICANT.fullName));
      }
    }
    const anon = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/receipt.pdf` });
    assert.equal(anon.statusCode, 401);
  });
});
