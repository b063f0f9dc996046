import { it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase, type TestEnv } from '../helpers/harness.js';
import { generateSelfSignedP12 } from '../../src/signing/keys.js';

const key = () => crypto.randomUUID();
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-signing-'));

interface Dossier {
  code: string;
  statusCode: number;
}

async function act(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>) {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
  assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
  return res.json() as Dossier;
}

/** A walk-in dossier at Buôn Ma Thuột taken to status 9 (finished) by its leader. */
async function finishedDossier(env: TestEnv, staff: { desk: Record<string, string>; specialist: Record<string, string>; leader: Record<string, string> }, summary: string) {
  env.setNow('2026-03-02T02:00:00Z');
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...staff.desk, 'idempotency-key': key() },
    payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Nguyễn Văn Bình (mô phỏng)', phone: '0912000001' } },
  });
  assert.equal(res.statusCode, 201, res.body);
  const d = res.json() as Dossier;
  const users = await env.ctx.db.selectFrom('users').select(['id', 'username']).execute();
  const specialistId = users.find((u) => u.username === 'chuyenvien.bmt')!.id;
  env.setNow('2026-03-02T03:00:00Z');
  await act(env, staff.desk, d.code, { type: 'assign', assigneeId: specialistId });
  env.setNow('2026-03-03T03:00:00Z');
  await act(env, staff.specialist, d.code, { type: 'forward' });
  env.setNow('2026-03-04T03:00:00Z');
  const fin = await act(env, staff.leader, d.code, { type: 'finish', resultSummary: summary });
  assert.equal(fin.statusCode, 9);
  return d.code;
}

const verify = (env: TestEnv, pdf: Buffer) =>
  env.app.inject({ method: 'POST', url: '/api/verify', headers: { 'content-type': 'application/pdf' }, payload: pdf });

describeEachDatabase(
  'signed results and verification',
  (env) => {
    let desk: Record<string, string>;
    let specialist: Record<string, string>;
    let leader: Record<string, string>;
    let admin: Record<string, string>;
    let code: string;
    let pdf: Buffer;
    let verificationCode: string;

    it('logs in the staff', async () => {
      desk = await env().login('motcua.bmt');
      specialist = await env().login('chuyenvien.bmt');
      leader = await env().login('lanhdao.bmt');
      admin = await env().login('admin');
    });

    it('the result cannot be issued before the dossier is finished, nor by the desk officer', async () => {
      env().setNow('2026-03-02T02:00:00Z');
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': key() },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Trần Thị C (mô phỏng)', phone: '0912000002' } },
      });
      const open = (res.json() as Dossier).code;
      const early = await env().app.inject({ method: 'POST', url: `/api/dossiers/${open}/result`, headers: leader });
      assert.equal(early.statusCode, 409, early.body);
      assert.equal(early.json().error.code, 'not_finished');
      assert.match(early.json().error.messageVi, /trạng thái 9/);
      const byDesk = await env().app.inject({ method: 'POST', url: `/api/dossiers/${open}/result`, headers: desk });
      assert.equal(byDesk.statusCode, 403);
    });

    it('the leader of the deciding unit issues the signed result once (demo key generated on first use)', async () => {
      code = await finishedDossier(env(), { desk, specialist, leader }, 'Đã cấp bản sao trích lục khai sinh (mô phỏng)');
      env().setNow('2026-03-04T04:00:00Z');
      assert.equal(await env().ctx.db.selectFrom('signing_keys').select('unit_code').where('unit_code', '=', 'H15.001').executeTakeFirst(), undefined);
      const res = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/result`, headers: leader });
      assert.equal(res.statusCode, 201, res.body);
      const view = res.json() as { verificationCode: string; sha256: string; signerSubject: string; signedAt: string; downloadUrl: string };
      assert.match(view.verificationCode, /^[A-Z2-7]{10}$/);
      assert.match(view.signerSubject, /CN=Phường Buôn Ma Thuột/);
      assert.equal(view.signedAt, '2026-03-04T04:00:00.000Z');
      verificationCode = view.verificationCode;
      const keyRow = await env().ctx.db.selectFrom('signing_keys').select(['generated', 'subject']).where('unit_code', '=', 'H15.001').executeTakeFirstOrThrow();
      assert.equal(keyRow.generated, true);
      assert.match(keyRow.subject, /O=motcua \(mô phỏng\)/);

      const again = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/result`, headers: specialist });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'result_already_signed');
      assert.match(again.json().error.messageVi, new RegExp(verificationCode));

      const dl = await env().app.inject({ method: 'GET', url: view.downloadUrl, headers: desk });
      assert.equal(dl.statusCode, 200, dl.body);
      assert.equal(dl.headers['content-type'], 'application/pdf');
      pdf = dl.rawPayload;
      assert.equal(crypto.createHash('sha256').update(pdf).digest('hex'), view.sha256);
      const audit = await env().ctx.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'dossier.result.sign').where('object_id', '=', code).execute();
      assert.equal(audit.length, 1);
    });

    it('the result PDF carries the dossier, the procedure, the applicant, the summary and the code in Vietnamese', async () => {
      const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
      let text = '';
      for (let i = 1; i <= doc.numPages; i++) {
        const page = await doc.getPage(i);
        const c = await page.getTextContent();
        text += c.items.map((it) => ('str' in it ? it.str : '')).join(' ') + '\n';
      }
      for (const s of ['KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', code, 'Nguyễn Văn Bình (mô phỏng)', 'Đã cấp bản sao trích lục khai sinh (mô phỏng)', verificationCode]) {
        assert.ok(text.replace(/\s+/g, ' ').includes(s), `missing ${s}`);
      }
    });

    it('the downloaded result verifies: intact, signer, time, known, registered', async () => {
      const res = await verify(env(), pdf);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.signed, true);
      assert.equal(r.intact, true);
      assert.deepEqual(r.problems, []);
      assert.equal(r.signer.commonName, 'Phường Buôn Ma Thuột');
      assert.equal(r.signer.organization, 'motcua (mô phỏng)');
      assert.equal(r.signedAt, '2026-03-04T04:00:00.000Z');
      assert.equal(r.certificateValidAtSigning, true);
      assert.equal(r.knownSigner, true);
      assert.equal(r.verdict.code, 'valid');
      assert.match(r.verdict.vi, /hợp lệ/);
      assert.equal(r.registered.verificationCode, verificationCode);
      assert.equal(r.registered.sameFile, true);
    });

    it('a modified copy does not verify, and says why in both languages', async () => {
      const copy = Buffer.from(pdf);
      copy[200] = copy[200]! ^ 0x20;
      const r = (await verify(env(), copy)).json();
      assert.equal(r.signed, true);
      assert.equal(r.intact, false);
      assert.equal(r.verdict.code, 'altered');
      assert.match(r.verdict.vi, /thay đổi/);
      assert.ok(r.problems.some((p: { code: string; vi: string; en: string }) => p.code === 'digest_mismatch' && p.vi && p.en));
      assert.equal(r.registered, null);

      const appended = (await verify(env(), Buffer.concat([pdf, Buffer.from('\n%%EOF\n')]))).json();
      assert.equal(appended.intact, false);
    });

    it('an unsigned PDF and a non-PDF are told apart', async () => {
      const unsigned = pdf.subarray(0, pdf.indexOf('%%EOF') + 5);
      const r = (await verify(env(), Buffer.from(unsigned))).json();
      assert.equal(r.signed, false);
      assert.equal(r.verdict.code, 'unsigned');
      const bad = await verify(env(), Buffer.from('hello, not a pdf'));
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.json().error.messageVi);
      const huge = await verify(env(), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024, 0x20)]));
      assert.equal(huge.statusCode, 413);
      assert.ok(huge.json().error.messageVi, huge.body);
      const json = await env().app.inject({ method: 'POST', url: '/api/verify', payload: { a: 1 } });
      assert.ok([400, 415].includes(json.statusCode), String(json.statusCode));
    });

    it('GET /api/verify/:code verifies the stored result without login; unknown codes are 404', async () => {
      const res = await env().app.inject({ method: 'GET', url: `/api/verify/${verificationCode.toLowerCase()}` });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.intact, true);
      assert.equal(r.document.dossierCode, code);
      assert.equal(r.document.unitName, 'Phường Buôn Ma Thuột');
      const unknown = await env().app.inject({ method: 'GET', url: '/api/verify/AAAAAAAAAA' });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.json().error.messageVi, /mã kiểm tra/);
    });

    it('the result PDF is for the dossier’s scope only: another commune’s staff and anonymous get nothing', async () => {
      const other = await env().login('motcua.hoaphu');
      const res = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result.pdf`, headers: other });
      assert.equal(res.statusCode, 404);
      const otherLeader = await env().login('lanhdao.hoaphu');
      const post = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/result`, headers: otherLeader });
      assert.equal(post.statusCode, 404);
      const anon = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result.pdf` });
      assert.equal(anon.statusCode, 401);
    });

    it('the owner citizen downloads the result; another citizen cannot', async () => {
      // Fixture shortcut: the walk-in dossier is given to a citizen account as its owner (an online
      // submission needs uploads; the owner rule is the same canSee as every dossier route).
      const owner = await env().citizen(`vneid-sign-owner-${env().kind}`);
      const stranger = await env().citizen(`vneid-sign-other-${env().kind}`);
      await env().ctx.db.updateTable('dossiers').set({ owner_id: owner.userId }).where('code', '=', code).execute();
      const mine = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result.pdf`, headers: owner.headers });
      assert.equal(mine.statusCode, 200);
      assert.ok(mine.rawPayload.equals(pdf));
      const theirs = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result.pdf`, headers: stranger.headers });
      assert.equal(theirs.statusCode, 404);
      // The portal's dossier page shows who signed it, when, and links the download and /verify.
      const info = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result`, headers: owner.headers });
      assert.equal(info.statusCode, 200, info.body);
      const v = info.json() as { dossierCode: string; verificationCode: string; downloadUrl: string; verifyUrl: string; sizeBytes: number; sha256: string };
      assert.equal(v.dossierCode, code);
      assert.equal(v.downloadUrl, `/api/dossiers/${code}/result.pdf`);
      assert.equal(v.verifyUrl, `/verify?code=${v.verificationCode}`);
      assert.equal(v.sizeBytes, pdf.length);
      assert.equal(info.headers['cache-control'], 'private, no-store');
      assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result`, headers: stranger.headers })).statusCode, 404);
      assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/result` })).statusCode, 401);
      // The dossier itself says so (the portal shows the panel without asking for a result that may not exist).
      const dossier = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: owner.headers });
      assert.deepEqual(dossier.json().signedResult, { verificationCode: v.verificationCode, signedAt: dossier.json().signedResult.signedAt, downloadUrl: v.downloadUrl, verifyUrl: v.verifyUrl });
      assert.ok(!Number.isNaN(Date.parse(dossier.json().signedResult.signedAt)));
      const post = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/result`, headers: owner.headers });
      assert.equal(post.statusCode, 403);
    });

    it('the admin uploads a unit key: a bad passphrase is a bilingual 400, a good file replaces the key', async () => {
      const p12 = generateSelfSignedP12({ commonName: 'UBND xã Hòa Phú (thử nghiệm)', organization: 'Đơn vị thử', now: env().ctx.now(), passphrase: 'đúng-mật-khẩu' });
      const bad = await env().app.inject({ method: 'PUT', url: '/api/signing/keys/H15.015', headers: admin, payload: { p12: p12.toString('base64'), passphrase: 'sai' } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().error.code, 'invalid_passphrase');
      assert.ok(bad.json().error.message && bad.json().error.messageVi);
      assert.equal(bad.json().error.fields[0].field, 'passphrase');
      const junk = await env().app.inject({ method: 'PUT', url: '/api/signing/keys/H15.015', headers: admin, payload: { p12: Buffer.from('garbage garbage garbage').toString('base64'), passphrase: 'x' } });
      assert.equal(junk.statusCode, 400);
      assert.match(junk.json().error.messageVi, /PKCS#12/);
      const byLeader = await env().app.inject({ method: 'PUT', url: '/api/signing/keys/H15.015', headers: leader, payload: { p12: p12.toString('base64'), passphrase: 'đúng-mật-khẩu' } });
      assert.equal(byLeader.statusCode, 403);
      const none = await env().app.inject({ method: 'GET', url: '/api/signing/keys/H15.015', headers: admin });
      assert.equal(none.statusCode, 404);

      const ok = await env().app.inject({ method: 'PUT', url: '/api/signing/keys/H15.015', headers: admin, payload: { p12: p12.toString('base64'), passphrase: 'đúng-mật-khẩu' } });
      assert.equal(ok.statusCode, 200, ok.body);
      const got = await env().app.inject({ method: 'GET', url: '/api/signing/keys/H15.015', headers: leader });
      assert.equal(got.statusCode, 200);
      const facts = got.json();
      assert.equal(facts.commonName, 'UBND xã Hòa Phú (thử nghiệm)');
      assert.equal(facts.generated, false);
      assert.equal(Object.keys(facts).some((k) => /key|p12|passphrase/i.test(k) && k !== 'unitCode'), false);
      assert.ok(!got.body.includes('PRIVATE'));
    });

    it('a result signed before its unit’s key was replaced still verifies as signed by a known signer', async () => {
      const p12 = generateSelfSignedP12({ commonName: 'Phường Buôn Ma Thuột (khóa mới)', now: env().ctx.now(), passphrase: 'p' });
      const put = await env().app.inject({ method: 'PUT', url: '/api/signing/keys/H15.001', headers: admin, payload: { p12: p12.toString('base64'), passphrase: 'p' } });
      assert.equal(put.statusCode, 200, put.body);
      const r = (await verify(env(), pdf)).json();
      assert.equal(r.intact, true);
      assert.equal(r.knownSigner, true);
      assert.equal(r.signer.commonName, 'Phường Buôn Ma Thuột');
    });

    it('verification is rate-limited per client address, with a bilingual 429', async () => {
      const tiny = Buffer.from('%PDF-1.4\n%%EOF\n');
      let status = 200;
      let body = '';
      for (let i = 0; i < 40 && status === 200; i++) {
        const res = await verify(env(), tiny);
        status = res.statusCode;
        body = res.body;
      }
      assert.equal(status, 429, body);
      assert.ok(JSON.parse(body).error.messageVi);
      const byCode = await env().app.inject({ method: 'GET', url: `/api/verify/${verificationCode}` });
      assert.equal(byCode.statusCode, 429);
    });
  },
  { env: { MOTCUA_FILES_DIR: filesDir, MOTCUA_DEMO: 'true' } },
);
