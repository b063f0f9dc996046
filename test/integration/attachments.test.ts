/**
 * Uploads, downloads and drafts through HTTP on a real database, with files in a local folder;
 * the file stores themselves (local folder, S3 against a signature-checking S3 server); and the
 * upload path once more with S3 configured.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import { LocalFileStore, S3FileStore } from '../../src/platform/files.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3.js';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { multipart, SAMPLE, upload } from '../helpers/uploads.js';

type Attachment = { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; documentSeq: number | null; documentName: { vi: string; en: string } | null };
type ErrorBody = { error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> } };

/** Every file under a folder (relative paths), to prove nothing was written. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function assertBilingualError(res: { statusCode: number; body: string }, status: number, code?: string): ErrorBody['error'] {
  assert.equal(res.statusCode, status, res.body);
  const e = (JSON.parse(res.body) as ErrorBody).error;
  if (code) assert.equal(e.code, code, res.body);
  assert.ok(e.message.length > 0 && e.messageVi.length > 0, 'message in English and Vietnamese');
  return e;
}

// ---------------------------------------------------------------------------------- file stores
describe('file stores', () => {
  let s3: FakeS3;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-store-'));
  before(async () => {
    s3 = await startFakeS3();
  });
  after(async () => {
    await s3.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('LocalFileStore: put, get, delete; no temporary files left; missing → null', async () => {
    const store = new LocalFileStore(tmp);
    const bytes = SAMPLE.pdf();
    await store.put('attachments/2026/03/abc-1', bytes, 'application/pdf');
    assert.deepEqual(Buffer.from((await store.get('attachments/2026/03/abc-1'))!), bytes);
    assert.deepEqual(filesUnder(tmp), [path.join('attachments', '2026', '03', 'abc-1')]);
    await store.put('attachments/2026/03/abc-1', Buffer.from('%PDF-2'), 'application/pdf');
    assert.equal(Buffer.from((await store.get('attachments/2026/03/abc-1'))!).toString(), '%PDF-2');
    await store.delete('attachments/2026/03/abc-1');
    await store.delete('attachments/2026/03/abc-1');
    assert.equal(await store.get('attachments/2026/03/abc-1'), null);
  });

  it('LocalFileStore: keys that could leave the folder are refused', async () => {
    const store = new LocalFileStore(tmp);
    for (const key of ['../escape', 'a/../../escape', '/etc/passwd', 'a//b', 'a/./b', 'A/B', 'a\\..\\b', '', 'a/..', '..']) {
      await assert.rejects(store.put(key, Buffer.from('x'), 'text/plain'), /invalid storage key|escapes/, key);
      await assert.rejects(store.get(key), /invalid storage key|escapes/, key);
    }
    assert.equal(fs.existsSync(path.join(path.dirname(tmp), 'escape')), false);
  });

  it('S3FileStore: put, get, delete against a server that checks the signature and the payload hash', async () => {
    const store = new S3FileStore({ endpoint: s3.url, bucket: s3.bucket, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
    const bytes = SAMPLE.png();
    await store.put('attachments/2026/03/key-1', bytes, 'image/png');
    assert.deepEqual(s3.objects.get('attachments/2026/03/key-1')?.body, bytes);
    assert.equal(s3.objects.get('attachments/2026/03/key-1')?.contentType, 'image/png');
    assert.deepEqual(Buffer.from((await store.get('attachments/2026/03/key-1'))!), bytes);
    assert.equal(await store.get('attachments/2026/03/missing'), null);
    await store.delete('attachments/2026/03/key-1');
    assert.equal(s3.objects.has('attachments/2026/03/key-1'), false);
    await assert.rejects(store.get('../other-bucket/x'), /invalid storage key/);
  });

  it('the S3 server refuses a wrong secret, an unknown key and a body that does not match its signed hash', async () => {
    const wrongSecret = new S3FileStore({ endpoint: s3.url, bucket: s3.bucket, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret' });
    await assert.rejects(wrongSecret.put('k/wrong-secret', Buffer.from('%PDF-'), 'application/pdf'), /HTTP 403/);
    const wrongKey = new S3FileStore({ endpoint: s3.url, bucket: s3.bucket, region: s3.region, accessKeyId: 'AKIAOTHER', secretAccessKey: s3.secretAccessKey });
    await assert.rejects(wrongKey.get('k/x'), /HTTP 403/);
    // A correctly signed request whose body differs from the signed payload hash.
    const client = new AwsClient({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, service: 's3', region: s3.region });
    const res = await client.fetch(`${s3.url}/${s3.bucket}/k/tampered`, { method: 'PUT', body: 'tampered', headers: { 'x-amz-content-sha256': sha(Buffer.from('original')) } });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /XAmzContentSHA256Mismatch/);
    // No Authorization at all.
    const anon = await fetch(`${s3.url}/${s3.bucket}/k/anon`, { method: 'PUT', body: 'x' });
    assert.equal(anon.status, 403);
    await anon.text();
    assert.equal(s3.objects.size, 0);
  });
});

// ------------------------------------------------------------------------- uploads through HTTP
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-files-'));
process.on('exit', () => fs.rmSync(filesDir, { recursive: true, force: true }));

describeEachDatabase(
  'attachments and drafts',
  (env) => {
    let citizen: { userId: number; headers: Record<string, string> };
    let other: { userId: number; headers: Record<string, string> };
    let desk: Record<string, string>;
    let specialist: Record<string, string>;
    const e = () => env() as TestEnv;
    const countRows = async () => Number((await e().ctx.db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      citizen = await e().citizen(`vneid-att-${e().kind}`, { fullName: 'Lê Thị Tải (mô phỏng)', idNumber: '066190000401', phone: '0905000401' });
      other = await e().citizen(`vneid-att-other-${e().kind}`);
      desk = await e().login('motcua.bmt');
      specialist = await e().login('chuyenvien.bmt');
    });

    it('uploads a PDF, a JPEG and a PNG: 201 with id, type, size and SHA-256; the bytes are in the folder', async () => {
      for (const [kind, name, type, seq] of [
        ['pdf', 'Giấy chứng sinh.pdf', 'application/pdf', 2],
        ['jpeg', 'cccd-mat-truoc.JPG', 'image/jpeg', 3],
        ['png', 'scan.png', 'image/png', undefined],
      ] as const) {
        const bytes = SAMPLE[kind]();
        const res = await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: seq, name, type, bytes });
        assert.equal(res.statusCode, 201, res.body);
        const a = json<Attachment>(res);
        assert.match(a.id, /^[0-9a-f-]{36}$/);
        assert.equal(a.fileName, name);
        assert.equal(a.contentType, type);
        assert.equal(a.sizeBytes, bytes.length);
        assert.equal(a.sha256, sha(bytes));
        assert.equal(a.documentSeq, seq ?? null);
        if (seq === 2) assert.match(a.documentName!.vi, /Giấy chứng sinh/);
        const row = await e().ctx.db.selectFrom('attachments').select(['storage_key', 'owner_user_id', 'dossier_id']).where('public_id', '=', a.id).executeTakeFirstOrThrow();
        assert.equal(row.owner_user_id, citizen.userId);
        assert.equal(row.dossier_id, null);
        assert.deepEqual(fs.readFileSync(path.join(filesDir, row.storage_key)), bytes);
      }
    });

    it('a file above the JSON body limit but within the upload limit is accepted (1.5 MB)', async () => {
      const bytes = Buffer.concat([SAMPLE.pdf(), crypto.randomBytes(1_500_000)]);
      const res = await upload(e(), citizen.headers, { procedureCode: '1.001193', bytes });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(json<Attachment>(res).sizeBytes, bytes.length);
    });

    it('a renamed executable is refused (415, bilingual, says what it is) and nothing is stored: no row, no file', async () => {
      const rows = await countRows();
      const files = filesUnder(filesDir);
      const res = await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: 2, name: 'giay-chung-sinh.pdf', type: 'application/pdf', bytes: SAMPLE.exe() });
      const err = assertBilingualError(res, 415, 'unsupported_file_type');
      assert.match(err.message, /Windows program/);
      assert.match(err.messageVi, /chương trình Windows/);
      assert.ok(err.fields?.some((f) => f.field === 'file'));
      assert.equal(await countRows(), rows);
      assert.deepEqual(filesUnder(filesDir), files);
    });

    it('a PNG named .pdf, an HTML page named .jpg → 415; nothing stored', async () => {
      const rows = await countRows();
      const files = filesUnder(filesDir);
      assertBilingualError(await upload(e(), citizen.headers, { procedureCode: '1.001193', name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE.png() }), 415, 'file_type_mismatch');
      assertBilingualError(await upload(e(), citizen.headers, { procedureCode: '1.001193', name: 'anh.jpg', type: 'image/jpeg', bytes: Buffer.from('<html><script>alert(1)</script></html>') }), 415, 'unsupported_file_type');
      assert.equal(await countRows(), rows);
      assert.deepEqual(filesUnder(filesDir), files);
    });

    it('a file over the limit → 413 with the limit in both languages; nothing stored', async () => {
      const rows = await countRows();
      const files = filesUnder(filesDir);
      const bytes = Buffer.concat([SAMPLE.pdf(), crypto.randomBytes(2 * 1_048_576 + 10)]);
      const err = assertBilingualError(await upload(e(), citizen.headers, { procedureCode: '1.001193', bytes }), 413, 'file_too_large');
      assert.match(err.message, /2 MB/);
      assert.match(err.messageVi, /2 MB/);
      assert.equal(await countRows(), rows);
      assert.deepEqual(filesUnder(filesDir), files);
    });

    it('bad uploads: missing file, unknown procedure, unknown document, two files, extra field, JSON body → 4xx naming the problem; nothing stored', async () => {
      const rows = await countRows();
      const files = filesUnder(filesDir);
      const noFile = multipart([{ name: 'procedureCode', value: '1.001193' }]);
      const r1 = await e().app.inject({ method: 'POST', url: '/api/attachments', headers: { ...citizen.headers, 'content-type': noFile.contentType }, payload: noFile.body });
      assert.ok(assertBilingualError(r1, 400).fields?.some((f) => f.field === 'file'));
      const r2 = await upload(e(), citizen.headers, { procedureCode: '9.999999', bytes: SAMPLE.pdf() });
      assert.ok(assertBilingualError(r2, 400).fields?.some((f) => f.field === 'procedureCode'));
      const r3 = await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: 9, bytes: SAMPLE.pdf() });
      assert.ok(assertBilingualError(r3, 400).fields?.some((f) => f.field === 'documentSeq'));
      const r4 = await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: 'two', bytes: SAMPLE.pdf() });
      assert.ok(assertBilingualError(r4, 400).fields?.some((f) => f.field === 'documentSeq'));
      const two = multipart([
        { name: 'procedureCode', value: '1.001193' },
        { name: 'file', file: { name: 'a.pdf', type: 'application/pdf', bytes: SAMPLE.pdf() } },
        { name: 'file', file: { name: 'b.pdf', type: 'application/pdf', bytes: SAMPLE.pdf() } },
      ]);
      const r5 = await e().app.inject({ method: 'POST', url: '/api/attachments', headers: { ...citizen.headers, 'content-type': two.contentType }, payload: two.body });
      assertBilingualError(r5, 400, 'too_many_files');
      const extra = multipart([
        { name: 'procedureCode', value: '1.001193' },
        { name: 'owner', value: '1' },
        { name: 'file', file: { name: 'a.pdf', type: 'application/pdf', bytes: SAMPLE.pdf() } },
      ]);
      const r6 = await e().app.inject({ method: 'POST', url: '/api/attachments', headers: { ...citizen.headers, 'content-type': extra.contentType }, payload: extra.body });
      assert.ok(assertBilingualError(r6, 400).fields?.some((f) => f.field === 'owner'));
      const r7 = await e().app.inject({ method: 'POST', url: '/api/attachments', headers: citizen.headers, payload: { procedureCode: '1.001193' } });
      assertBilingualError(r7, 415);
      assert.equal(await countRows(), rows);
      assert.deepEqual(filesUnder(filesDir), files);
    });

    it('who may upload: not logged in → 401; a unit leader → 403; a desk officer and a specialist (scans to digitise) → 201', async () => {
      const mp = multipart([{ name: 'procedureCode', value: '1.001193' }, { name: 'file', file: { name: 'a.pdf', type: 'application/pdf', bytes: SAMPLE.pdf() } }]);
      const anon = await e().app.inject({ method: 'POST', url: '/api/attachments', headers: { 'content-type': mp.contentType }, payload: mp.body });
      assertBilingualError(anon, 401);
      assertBilingualError(await upload(e(), await e().login('lanhdao.bmt'), { procedureCode: '1.001193', bytes: SAMPLE.pdf() }), 403);
      assert.equal((await upload(e(), specialist, { procedureCode: '1.001193', bytes: SAMPLE.pdf() })).statusCode, 201);
      assert.equal((await upload(e(), desk, { procedureCode: '1.001193', bytes: SAMPLE.pdf() })).statusCode, 201);
    });

    it('download: the owner gets the bytes with content-disposition and nosniff; another citizen and staff get 404', async () => {
      const bytes = SAMPLE.jpeg();
      const a = json<Attachment>(await upload(e(), citizen.headers, { procedureCode: '1.001193', name: 'Ảnh CCCD mặt trước; Đắk Lắk.jpg', type: 'image/jpeg', bytes }));
      const res = await e().app.inject({ method: 'GET', url: `/api/attachments/${a.id}`, headers: citizen.headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.rawPayload, bytes);
      assert.equal(res.headers['content-type'], 'image/jpeg');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const cd = String(res.headers['content-disposition']);
      assert.match(cd, /^attachment; filename="Anh CCCD mat truoc; Dak Lak\.jpg"; filename\*=UTF-8''/);
      assert.ok(cd.includes(encodeURIComponent(a.fileName)));
      for (const h of [other.headers, desk]) assertBilingualError(await e().app.inject({ method: 'GET', url: `/api/attachments/${a.id}`, headers: h }), 404, 'not_found');
      assertBilingualError(await e().app.inject({ method: 'GET', url: `/api/attachments/${a.id}` }), 401);
      assertBilingualError(await e().app.inject({ method: 'GET', url: `/api/attachments/${crypto.randomUUID()}`, headers: citizen.headers }), 404);
      assertBilingualError(await e().app.inject({ method: 'GET', url: '/api/attachments/..%2F..%2Fetc%2Fpasswd', headers: citizen.headers }), 400);
    });

    it('delete: not by another citizen (404); by the owner (204), then the row and the file are gone', async () => {
      const a = json<Attachment>(await upload(e(), citizen.headers, { procedureCode: '1.001193', bytes: SAMPLE.pdf() }));
      const key = (await e().ctx.db.selectFrom('attachments').select('storage_key').where('public_id', '=', a.id).executeTakeFirstOrThrow()).storage_key;
      assertBilingualError(await e().app.inject({ method: 'DELETE', url: `/api/attachments/${a.id}`, headers: other.headers }), 404);
      assert.ok(fs.existsSync(path.join(filesDir, key)));
      const res = await e().app.inject({ method: 'DELETE', url: `/api/attachments/${a.id}`, headers: citizen.headers });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal(fs.existsSync(path.join(filesDir, key)), false);
      assert.equal(await e().ctx.db.selectFrom('attachments').select('id').where('public_id', '=', a.id).executeTakeFirst(), undefined);
      assertBilingualError(await e().app.inject({ method: 'GET', url: `/api/attachments/${a.id}`, headers: citizen.headers }), 404);
    });

    it('drafts: save an incomplete form with uploads, restore it, list it, replace it, delete it', async () => {
      const a1 = json<Attachment>(await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: 2, bytes: SAMPLE.pdf() }));
      const a2 = json<Attachment>(await upload(e(), citizen.headers, { procedureCode: '1.001193', documentSeq: 3, name: 'cccd.png', type: 'image/png', bytes: SAMPLE.png() }));
      const put = await e().app.inject({
        method: 'PUT',
        url: '/api/drafts/1.001193',
        headers: citizen.headers,
        payload: { caseCode: 'DUNG_HAN', formData: { childFullName: '  Lê Minh Khôi ', childDateOfBirth: '2026-02-25', childSex: '' }, attachmentIds: [a1.id, a2.id] },
      });
      assert.equal(put.statusCode, 200, put.body);
      const got = await e().app.inject({ method: 'GET', url: '/api/drafts/1.001193', headers: citizen.headers });
      assert.equal(got.statusCode, 200, got.body);
      const d = json<{ caseCode: string; formData: Record<string, unknown>; attachments: Attachment[]; procedureName: string }>(got);
      assert.equal(d.caseCode, 'DUNG_HAN');
      assert.deepEqual(d.formData, { childFullName: 'Lê Minh Khôi', childDateOfBirth: '2026-02-25' });
      assert.deepEqual(d.attachments.map((x) => x.id).sort(), [a1.id, a2.id].sort());
      assert.equal(d.procedureName, 'Đăng ký khai sinh');
      const list = json<{ items: Array<{ procedureCode: string; attachmentCount: number }> }>(await e().app.inject({ method: 'GET', url: '/api/drafts', headers: citizen.headers }));
      assert.deepEqual(list.items, [{ ...list.items[0]!, procedureCode: '1.001193', attachmentCount: 2 }]);
      // Saving again replaces the form and the list of uploads.
      const again = await e().app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: citizen.headers, payload: { caseCode: 'QUA_HAN', formData: { childSex: 'nu' }, attachmentIds: [a2.id] } });
      assert.equal(again.statusCode, 200, again.body);
      const d2 = json<{ caseCode: string; formData: Record<string, unknown>; attachments: Attachment[] }>(again);
      assert.deepEqual([d2.caseCode, d2.formData, d2.attachments.map((x) => x.id)], ['QUA_HAN', { childSex: 'nu' }, [a2.id]]);
      // Another citizen sees none of it.
      assertBilingualError(await e().app.inject({ method: 'GET', url: '/api/drafts/1.001193', headers: other.headers }), 404);
      assert.deepEqual(json<{ items: unknown[] }>(await e().app.inject({ method: 'GET', url: '/api/drafts', headers: other.headers })).items, []);
      const del = await e().app.inject({ method: 'DELETE', url: '/api/drafts/1.001193', headers: citizen.headers });
      assert.equal(del.statusCode, 204);
      assertBilingualError(await e().app.inject({ method: 'GET', url: '/api/drafts/1.001193', headers: citizen.headers }), 404);
      // The uploads stay, released from the draft.
      const kept = await e().ctx.db.selectFrom('attachments').select(['draft_id']).where('public_id', 'in', [a1.id, a2.id]).execute();
      assert.deepEqual(kept.map((k) => k.draft_id), [null, null]);
    });

    it('drafts refuse wrong values (types, formats, unknown fields), someone else’s uploads, unknown cases; nothing saved', async () => {
      const mine = json<Attachment>(await upload(e(), other.headers, { procedureCode: '1.001193', bytes: SAMPLE.pdf() }));
      const wrongProc = json<Attachment>(await upload(e(), citizen.headers, { procedureCode: '2.000815', bytes: SAMPLE.pdf() }));
      const bad = await e().app.inject({
        method: 'PUT',
        url: '/api/drafts/1.001193',
        headers: citizen.headers,
        payload: { caseCode: 'DUNG_HAN', formData: { childDateOfBirth: '25/02/2026', requesterPhone: '12345', copiesRequested: '2', nickname: 'Tí' }, attachmentIds: [mine.id, wrongProc.id] },
      });
      const err = assertBilingualError(bad, 400, 'invalid_input');
      assert.deepEqual(err.fields?.map((f) => f.field).sort(), ['attachmentIds.0', 'attachmentIds.1', 'formData.childDateOfBirth', 'formData.copiesRequested', 'formData.nickname', 'formData.requesterPhone']);
      const dob = err.fields!.find((f) => f.field === 'formData.childDateOfBirth')!;
      assert.match(dob.messageVi, /Ngày, tháng, năm sinh: phải là ngày hợp lệ/);
      assert.match(dob.message, /Date of birth: must be a real date/);
      assertBilingualError(await e().app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: citizen.headers, payload: { caseCode: 'NOPE', formData: {} } }), 400);
      assertBilingualError(await e().app.inject({ method: 'PUT', url: '/api/drafts/9.999999', headers: citizen.headers, payload: { caseCode: 'X', formData: {} } }), 404);
      assertBilingualError(await e().app.inject({ method: 'PUT', url: '/api/drafts/2.000884', headers: citizen.headers, payload: { caseCode: 'MAC_DINH', formData: {} } }), 400);
      assertBilingualError(await e().app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: desk, payload: { caseCode: 'DUNG_HAN', formData: {} } }), 403);
      assert.equal(await e().ctx.db.selectFrom('dossier_drafts').select('id').where('owner_user_id', '=', citizen.userId).executeTakeFirst(), undefined);
    });

    it('GET /api/me/prefill gives the login identity for the form', async () => {
      const res = await e().app.inject({ method: 'GET', url: '/api/me/prefill', headers: citizen.headers });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json(res), { fullName: 'Lê Thị Tải (mô phỏng)', idNumber: '066190000401', phone: '0905000401', email: null, address: null });
      assertBilingualError(await e().app.inject({ method: 'GET', url: '/api/me/prefill' }), 401);
    });
  },
  { env: { MOTCUA_FILES_DIR: filesDir, UPLOAD_MAX_MB: '2' } },
);

// --------------------------------------------------------------------- the same through S3
const s3 = await startFakeS3();
after(() => s3.close());

describeEachDatabase(
  'attachments stored in S3-compatible storage',
  (env) => {
    it('upload, download and delete go through the bucket, signed', async () => {
      const { headers } = await env().citizen(`vneid-s3-${env().kind}`);
      const bytes = SAMPLE.pdf();
      const res = await upload(env(), headers, { procedureCode: '1.001193', bytes });
      assert.equal(res.statusCode, 201, res.body);
      const a = json<Attachment>(res);
      const row = await env().ctx.db.selectFrom('attachments').select('storage_key').where('public_id', '=', a.id).executeTakeFirstOrThrow();
      assert.deepEqual(s3.objects.get(row.storage_key)?.body, bytes);
      const got = await env().app.inject({ method: 'GET', url: `/api/attachments/${a.id}`, headers });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.rawPayload, bytes);
      const puts = s3.log.filter((l) => l.method === 'PUT').length;
      const refused = await upload(env(), headers, { procedureCode: '1.001193', bytes: SAMPLE.exe() });
      assert.equal(refused.statusCode, 415);
      assert.equal(s3.log.filter((l) => l.method === 'PUT').length, puts, 'nothing was sent to the bucket for the refused file');
      assert.equal((await env().app.inject({ method: 'DELETE', url: `/api/attachments/${a.id}`, headers })).statusCode, 204);
      assert.equal(s3.objects.has(row.storage_key), false);
      assert.ok(s3.log.every((l) => l.status < 400), JSON.stringify(s3.log));
    });
  },
  { env: { S3_ENDPOINT: s3.url, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_REGION: s3.region } },
);
