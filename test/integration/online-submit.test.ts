/**
 * Online submission through HTTP on a real database: e-form checked against the catalog,
 * uploads linked to the dossier and the draft removed in the same write, idempotency, and
 * nothing written when anything is wrong.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleFormData } from '../helpers/forms.js';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { SAMPLE, upload } from '../helpers/uploads.js';

type Attachment = { id: string; documentSeq: number | null; documentName: { vi: string; en: string } | null; fileName: string; sha256: string };
type Dossier = {
  code: string;
  statusCode: number;
  channel: number;
  procedureCode: string;
  caseCode: string;
  appointmentAt: string | null;
  feeAmount: number | null;
  formData: Record<string, unknown>;
  applicant: { name: string; idNumber: string | null; phone: string | null };
  attachments?: Attachment[];
};
type ErrorBody = { error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> } };

const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-online-'));
process.on('exit', () => fs.rmSync(filesDir, { recursive: true, force: true }));

let n = 0;
const key = () => `online-${Date.now()}-${++n}`;

const BIRTH = {
  requesterAddress: 'Số 12 Phan Bội Châu, phường Buôn Ma Thuột (mô phỏng)',
  relationshipToChild: 'me',
  childFullName: 'Nguyễn Hoàng Gia Bảo',
  childDateOfBirth: '2026-02-26',
  childSex: 'nam',
  childPlaceOfBirth: 'Bệnh viện Đa khoa vùng Tây Nguyên',
  childEthnicity: 'Kinh',
  childNationality: 'Việt Nam',
  fatherFullName: 'Nguyễn Văn Hùng',
  motherFullName: 'Hoàng Thị Mai',
  commitment: true,
};

describeEachDatabase(
  'online submission',
  (env) => {
    let citizen: { userId: number; headers: Record<string, string> };
    let other: { userId: number; headers: Record<string, string> };
    let desk: Record<string, string>;
    const e = () => env() as TestEnv;
    const submit = (headers: Record<string, string>, body: Record<string, unknown>, k = key()) =>
      e().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...headers, 'idempotency-key': k }, payload: body });
    const counts = async () => {
      const [d, s, a] = await Promise.all([
        e().ctx.db.selectFrom('dossiers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        e().ctx.db.selectFrom('dossier_submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        e().ctx.db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).where('dossier_id', 'is not', null).executeTakeFirstOrThrow(),
      ]);
      return { dossiers: Number(d.n), submissions: Number(s.n), attached: Number(a.n) };
    };
    const uploadFor = async (headers: Record<string, string>, seq: number | undefined, kind: 'pdf' | 'jpeg' | 'png' = 'pdf', procedureCode = '1.001193') => {
      const ext = kind === 'jpeg' ? 'jpg' : kind;
      const res = await upload(e(), headers, { procedureCode, documentSeq: seq, name: `giay-to-${seq ?? 'khac'}.${ext}`, type: kind === 'pdf' ? 'application/pdf' : `image/${kind}`, bytes: SAMPLE[kind]() });
      assert.equal(res.statusCode, 201, res.body);
      return json<Attachment>(res);
    };

    before(async () => {
      e().setNow('2026-03-02T01:30:00Z'); // Mon 08:30 in Vietnam
      citizen = await e().citizen(`vneid-online-${e().kind}`, { fullName: 'Hoàng Thị Mai (mô phỏng)', idNumber: '066190000501', phone: '0905000501' });
      other = await e().citizen(`vneid-online-other-${e().kind}`);
      desk = await e().login('motcua.bmt');
    });

    it('1.001193 DUNG_HAN with form and uploads from a draft → status 1, channel 2, the case; the draft is gone, the uploads are the dossier’s', async () => {
      e().setNow('2026-03-02T01:30:00Z');
      const birthCert = await uploadFor(citizen.headers, 2, 'pdf');
      const idCard = await uploadFor(citizen.headers, 3, 'jpeg');
      const draft = await e().app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: citizen.headers, payload: { caseCode: 'DUNG_HAN', formData: { childFullName: BIRTH.childFullName }, attachmentIds: [birthCert.id, idCard.id] } });
      assert.equal(draft.statusCode, 200, draft.body);

      const res = await submit(citizen.headers, { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH, attachments: [{ id: birthCert.id }, { id: idCard.id }] });
      assert.equal(res.statusCode, 201, res.body);
      const d = json<Dossier>(res);
      assert.equal(d.statusCode, 1);
      assert.equal(d.channel, 2);
      assert.equal(d.procedureCode, '1.001193');
      assert.equal(d.caseCode, 'DUNG_HAN');
      assert.equal(d.feeAmount, null, 'birth registration on time is free');
      assert.equal(d.appointmentAt, null, 'the appointment is given at receipt');
      // Identity fields were prefilled from the login; blanks dropped; values trimmed.
      assert.equal(d.formData.requesterName, 'Hoàng Thị Mai (mô phỏng)');
      assert.equal(d.formData.requesterIdNumber, '066190000501');
      assert.equal(d.formData.requesterPhone, '0905000501');
      assert.equal(d.formData.childFullName, BIRTH.childFullName);
      assert.deepEqual(d.attachments?.map((a) => [a.id, a.documentSeq]), [[birthCert.id, 2], [idCard.id, 3]]);
      assert.match(d.attachments![0]!.documentName!.vi, /Giấy chứng sinh/);

      // The draft was deleted with the submission; the uploads can no longer be deleted.
      assert.equal((await e().app.inject({ method: 'GET', url: '/api/drafts/1.001193', headers: citizen.headers })).statusCode, 404);
      const del = await e().app.inject({ method: 'DELETE', url: `/api/attachments/${birthCert.id}`, headers: citizen.headers });
      assert.equal(del.statusCode, 409, del.body);
      const rows = await e().ctx.db.selectFrom('attachments as a').innerJoin('dossiers as d', 'd.id', 'a.dossier_id').select(['d.code', 'a.draft_id']).where('a.public_id', 'in', [birthCert.id, idCard.id]).execute();
      assert.deepEqual(rows.map((r) => [r.code, r.draft_id]), [[d.code, null], [d.code, null]]);

      // The dossier as the applicant and the desk see it lists the documents received.
      for (const h of [citizen.headers, desk]) {
        const v = json<Dossier>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}`, headers: h }));
        assert.deepEqual(v.attachments?.map((a) => a.id), [birthCert.id, idCard.id]);
      }
      // Staff of the receiving ward may now download the files; staff of another commune may not.
      const got = await e().app.inject({ method: 'GET', url: `/api/attachments/${birthCert.id}`, headers: desk });
      assert.equal(got.statusCode, 200);
      assert.equal(crypto.createHash('sha256').update(got.rawPayload).digest('hex'), birthCert.sha256);
      const hoaphu = await e().login('motcua.hoaphu');
      assert.equal((await e().app.inject({ method: 'GET', url: `/api/attachments/${birthCert.id}`, headers: hoaphu })).statusCode, 404);

      // The desk receives it at 09:00: a same-day procedure → appointment 17:00 that day.
      e().setNow('2026-03-02T02:00:00Z');
      const recv = await e().app.inject({ method: 'POST', url: `/api/dossiers/${d.code}/actions`, headers: { ...desk, 'idempotency-key': key() }, payload: { type: 'receive' } });
      assert.equal(recv.statusCode, 200, recv.body);
      assert.equal(json<Dossier>(recv).statusCode, 2);
      assert.equal(json<Dossier>(recv).appointmentAt, '2026-03-02T10:00:00.000Z');
    });

    it('the fee comes from the catalog: a certified copy of 3 pages is 2,000 + 2,000 + 1,000 đ', async () => {
      const res = await submit(citizen.headers, { procedureCode: '2.000815', caseCode: 'MAC_DINH', receivingUnit: 'H15.001', pages: 3, formData: sampleFormData('2.000815', { pageCount: 3 }) });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(json<Dossier>(res).feeAmount, 5000);
      assert.deepEqual(json<Dossier>(res).attachments, []);
    });

    it('bad form data → 400 with field-level bilingual errors; nothing written: no dossier, uploads unattached, draft kept', async () => {
      const a = await uploadFor(citizen.headers, 2);
      const put = await e().app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: citizen.headers, payload: { caseCode: 'DUNG_HAN', formData: { childFullName: 'Bé Na' }, attachmentIds: [a.id] } });
      assert.equal(put.statusCode, 200, put.body);
      const before_ = await counts();
      const { childSex: _s, ...withoutSex } = BIRTH;
      const res = await submit(citizen.headers, {
        procedureCode: '1.001193',
        caseCode: 'DUNG_HAN',
        receivingUnit: 'H15.001',
        formData: { ...withoutSex, childDateOfBirth: '2026-02-30', requesterPhone: '0123', relationshipToChild: 'hang_xom', nickname: 'Na', commitment: false },
        attachments: [{ id: a.id }],
      });
      assert.equal(res.statusCode, 400, res.body);
      const err = (JSON.parse(res.body) as ErrorBody).error;
      assert.equal(err.code, 'invalid_form');
      assert.match(err.messageVi, /Tờ khai/);
      assert.deepEqual(err.fields?.map((f) => f.field).sort(), [
        'formData.childDateOfBirth',
        'formData.childSex',
        'formData.commitment',
        'formData.nickname',
        'formData.relationshipToChild',
        'formData.requesterPhone',
      ]);
      for (const f of err.fields!) assert.ok(f.message && f.messageVi && f.message !== f.messageVi, `${f.field} in both languages`);
      assert.equal(err.fields!.find((f) => f.field === 'formData.childSex')!.messageVi, 'Giới tính: bắt buộc phải nhập');
      assert.deepEqual(await counts(), before_);
      const att = await e().ctx.db.selectFrom('attachments').select(['dossier_id', 'draft_id']).where('public_id', '=', a.id).executeTakeFirstOrThrow();
      assert.equal(att.dossier_id, null);
      assert.notEqual(att.draft_id, null);
      assert.equal((await e().app.inject({ method: 'GET', url: '/api/drafts/1.001193', headers: citizen.headers })).statusCode, 200);
      // An empty form online is refused as well: the required fields are named.
      const empty = await submit(other.headers, { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001' });
      assert.equal(empty.statusCode, 400);
      assert.ok((JSON.parse(empty.body) as ErrorBody).error.fields!.some((f) => f.field === 'formData.childFullName'));
      assert.deepEqual(await counts(), before_);
    });

    it('a double submit with the same Idempotency-Key makes one dossier and links the uploads once', async () => {
      const a = await uploadFor(citizen.headers, 2, 'png');
      const k = key();
      const body = { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH, attachments: [{ id: a.id }] };
      const before_ = await counts();
      const [r1, r2] = await Promise.all([submit(citizen.headers, body, k), submit(citizen.headers, body, k)]);
      assert.deepEqual([r1.statusCode, r2.statusCode].sort(), [200, 201], `${r1.body} ${r2.body}`);
      assert.equal(json<Dossier>(r1).code, json<Dossier>(r2).code);
      const r3 = await submit(citizen.headers, body, k);
      assert.equal(r3.statusCode, 200);
      assert.equal(json<Dossier>(r3).code, json<Dossier>(r1).code);
      assert.deepEqual(json<Dossier>(r3).attachments?.map((x) => x.id), [a.id]);
      assert.deepEqual(await counts(), { dossiers: before_.dossiers + 1, submissions: before_.submissions + 1, attached: before_.attached + 1 });
    });

    it('re-using submitted uploads, someone else’s uploads or uploads for another procedure fails cleanly; nothing written', async () => {
      const used = (await e().ctx.db.selectFrom('attachments').select('public_id').where('owner_user_id', '=', citizen.userId).where('dossier_id', 'is not', null).executeTakeFirstOrThrow()).public_id;
      const fresh = await uploadFor(citizen.headers, 2);
      const theirs = await uploadFor(other.headers, 2);
      const copyUpload = await uploadFor(citizen.headers, 1, 'pdf', '2.000815');
      const before_ = await counts();
      const body = (attachments: unknown[]) => ({ procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH, attachments });

      const reuse = await submit(citizen.headers, body([{ id: fresh.id }, { id: used }]));
      assert.equal(reuse.statusCode, 409, reuse.body);
      const re = (JSON.parse(reuse.body) as ErrorBody).error;
      assert.equal(re.code, 'attachment_already_submitted');
      assert.deepEqual(re.fields?.map((f) => f.field), ['attachments.1.id']);

      const bad = await submit(citizen.headers, body([{ id: theirs.id }, { id: copyUpload.id }, { id: fresh.id, documentSeq: 7 }, { id: fresh.id }]));
      assert.equal(bad.statusCode, 400, bad.body);
      assert.deepEqual((JSON.parse(bad.body) as ErrorBody).error.fields?.map((f) => f.field), ['attachments.0.id', 'attachments.1.id', 'attachments.2.documentSeq', 'attachments.3.id']);
      assert.deepEqual(await counts(), before_);
      const freshRow = await e().ctx.db.selectFrom('attachments').select('dossier_id').where('public_id', '=', fresh.id).executeTakeFirstOrThrow();
      assert.equal(freshRow.dossier_id, null);

      // documentSeq given at submission overrides the upload's.
      const ok = await submit(citizen.headers, body([{ id: fresh.id, documentSeq: 4 }]));
      assert.equal(ok.statusCode, 201, ok.body);
      assert.deepEqual(json<Dossier>(ok).attachments?.map((x) => [x.id, x.documentSeq]), [[fresh.id, 4]]);
    });

    it('walk-in at the desk: the form is optional (the signed paper declaration is the record), but what is given is checked', async () => {
      const walkIn = { procedureCode: '1.001193', caseCode: 'DUNG_HAN', channel: 1, applicant: { name: 'Y Bhăm Niê (mô phỏng)', phone: '0905000502' } };
      const none = await submit(desk, walkIn);
      assert.equal(none.statusCode, 201, none.body);
      const partial = await submit(desk, { ...walkIn, formData: { childFullName: 'H’Nhi Niê', childDateOfBirth: '2026-02-27' } });
      assert.equal(partial.statusCode, 201, partial.body);
      assert.equal(json<Dossier>(partial).statusCode, 2);
      assert.equal(json<Dossier>(partial).formData.childFullName, 'H’Nhi Niê');
      const before_ = await counts();
      const wrong = await submit(desk, { ...walkIn, formData: { childDateOfBirth: '27/02/2026', copiesRequested: 'hai' } });
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual((JSON.parse(wrong.body) as ErrorBody).error.fields?.map((f) => f.field).sort(), ['formData.childDateOfBirth', 'formData.copiesRequested']);
      assert.deepEqual(await counts(), before_);
    });

    it('supplement with files: the uploads join the dossier with the action, all or nothing', async () => {
      e().setNow('2026-03-02T02:00:00Z');
      const res = await submit(citizen.headers, { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH });
      assert.equal(res.statusCode, 201, res.body);
      const code = json<Dossier>(res).code;
      const act = (headers: Record<string, string>, body: Record<string, unknown>) =>
        e().app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
      assert.equal((await act(desk, { type: 'receive' })).statusCode, 200);
      assert.equal((await act(desk, { type: 'request_supplement', reason: 'Thiếu giấy chứng sinh', missing: ['Bản sao giấy chứng sinh'] })).statusCode, 200);

      const mine = await uploadFor(citizen.headers, 2, 'pdf');
      const theirs = await uploadFor(other.headers, 2, 'pdf');
      const otherProcedure = await uploadFor(citizen.headers, undefined, 'png', '2.000815');
      const versionBefore = json<Dossier & { version: number }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: citizen.headers })).version;

      // Someone else's file, or a file for another procedure: refused, nothing changes.
      for (const [i, bad] of [[1, [mine.id, theirs.id]], [0, [otherProcedure.id]]] as const) {
        const r = await act(citizen.headers, { type: 'supplement', documents: ['Bản sao giấy chứng sinh'], attachmentIds: bad });
        assert.equal(r.statusCode, 400, r.body);
        const err = (JSON.parse(r.body) as ErrorBody).error;
        assert.deepEqual(err.fields?.map((f) => f.field), [`attachmentIds.${i}`]);
        assert.ok(err.fields?.[0]?.messageVi);
      }
      const after = json<Dossier & { version: number; attachments: Attachment[] }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: citizen.headers }));
      assert.equal(after.version, versionBefore, 'no action written');
      assert.equal(after.statusCode, 5);
      assert.equal((await e().ctx.db.selectFrom('attachments').select('dossier_id').where('public_id', '=', mine.id).executeTakeFirstOrThrow()).dossier_id, null);

      // Files on another action type are refused.
      const wrongType = await act(desk, { type: 'forward', attachmentIds: [mine.id] });
      assert.equal(wrongType.statusCode, 400, wrongType.body);

      const ok = await act(citizen.headers, { type: 'supplement', documents: ['Bản sao giấy chứng sinh'], attachmentIds: [mine.id] });
      assert.equal(ok.statusCode, 200, ok.body);
      const v = json<Dossier & { attachments: Attachment[] }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: desk }));
      assert.equal(v.statusCode, 4, 'the clock resumes: back in processing');
      assert.deepEqual(v.attachments.map((a) => a.id), [mine.id]);
      assert.equal((await e().app.inject({ method: 'GET', url: `/api/attachments/${mine.id}`, headers: desk })).statusCode, 200, 'the desk can open the supplement');
      const action = await e().ctx.db.selectFrom('dossier_actions as a').innerJoin('dossiers as d', 'd.id', 'a.dossier_id').select('a.payload').where('d.code', '=', code).where('a.type', '=', 'supplement').executeTakeFirstOrThrow();
      assert.deepEqual((action.payload as { attachmentIds?: string[] }).attachmentIds, [mine.id]);
    });
  },
  { env: { MOTCUA_FILES_DIR: filesDir } },
);
