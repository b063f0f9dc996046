/**
 * Abandoned uploads (neither in a dossier nor in a draft) are removed after the grace period,
 * row and bytes; uploads in a dossier or a draft, and recent ones, are kept.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ABANDONED_UPLOAD_DAYS, purgeAbandonedUploads } from '../../src/dossiers/purge-uploads.js';
import { createFileStore } from '../../src/platform/files.js';
import { sampleFormData } from '../helpers/forms.js';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { SAMPLE, upload } from '../helpers/uploads.js';

const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-purge-'));
process.on('exit', () => fs.rmSync(filesDir, { recursive: true, force: true }));

describeEachDatabase(
  'abandoned uploads',
  (env) => {
    it('removes only unattached uploads older than the grace period, with their files', async () => {
      const e = env() as TestEnv;
      e.setNow('2026-03-02T02:00:00Z');
      const citizen = await e.citizen(`vneid-purge-${e.kind}`, { fullName: 'Lê Thị Purge (mô phỏng)', phone: '0905000777' });
      const up = async (seq: number) => {
        const res = await upload(e, citizen.headers, { procedureCode: '1.001193', documentSeq: seq, bytes: SAMPLE.pdf() });
        assert.equal(res.statusCode, 201, res.body);
        return json<{ id: string }>(res).id;
      };
      const abandoned = await up(2);
      const inDraft = await up(2);
      const inDossier = await up(3);
      const draft = await e.app.inject({ method: 'PUT', url: '/api/drafts/1.001193', headers: citizen.headers, payload: { caseCode: 'DUNG_HAN', formData: {}, attachmentIds: [inDraft] } });
      assert.equal(draft.statusCode, 200, draft.body);
      // Submitting 1.001193 deletes its draft (the draft's upload becomes loose); the dossier keeps its own upload.
      const sub = await e.app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...citizen.headers, 'idempotency-key': `purge-${e.kind}` },
        payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193'), attachments: [{ id: inDossier }] },
      });
      assert.equal(sub.statusCode, 201, sub.body);
      const keys = async () =>
        new Map((await e.ctx.db.selectFrom('attachments').select(['public_id', 'storage_key']).execute()).map((r) => [r.public_id, r.storage_key]));
      const before = await keys();
      const store = createFileStore(e.ctx.config);
      assert.ok(await store.get(before.get(abandoned)!), 'the abandoned file exists before the purge');

      // Within the grace period nothing goes.
      e.setNow(new Date(Date.parse('2026-03-02T02:00:00Z') + (ABANDONED_UPLOAD_DAYS - 1) * 86_400_000));
      assert.deepEqual(await purgeAbandonedUploads(e.ctx, store), { rows: 0, filesFailed: 0 });

      e.setNow(new Date(Date.parse('2026-03-02T02:00:00Z') + (ABANDONED_UPLOAD_DAYS + 1) * 86_400_000));
      const r = await purgeAbandonedUploads(e.ctx, store);
      const after = await keys();
      const expectedGone = [abandoned, inDraft];
      assert.equal(r.rows, 2);
      for (const id of expectedGone) {
        assert.equal(after.has(id), false, `${id} removed`);
        assert.equal(await store.get(before.get(id)!), null, `${id} bytes removed`);
      }
      assert.ok(after.has(inDossier), 'the dossier’s upload is kept');
      assert.ok(await store.get(after.get(inDossier)!), 'and its bytes');
      assert.deepEqual(await purgeAbandonedUploads(e.ctx, store), { rows: 0, filesFailed: 0 }, 'a second run finds nothing');
    });

    it('keeps an old upload that is listed in a draft', async () => {
      const e = env() as TestEnv;
      e.setNow('2026-04-01T02:00:00Z');
      const citizen = await e.citizen(`vneid-purge-draft-${e.kind}`);
      const res = await upload(e, citizen.headers, { procedureCode: '2.000815', bytes: SAMPLE.png(), name: 'ban-sao.png', type: 'image/png' });
      assert.equal(res.statusCode, 201, res.body);
      const id = json<{ id: string }>(res).id;
      const cases = json<{ cases: Array<{ code: string }> }>(await e.app.inject({ method: 'GET', url: '/api/procedures/2.000815' })).cases;
      const draft = await e.app.inject({ method: 'PUT', url: '/api/drafts/2.000815', headers: citizen.headers, payload: { caseCode: cases[0]!.code, formData: {}, attachmentIds: [id] } });
      assert.equal(draft.statusCode, 200, draft.body);
      e.setNow('2026-06-01T02:00:00Z');
      await purgeAbandonedUploads(e.ctx, createFileStore(e.ctx.config));
      const row = await e.ctx.db.selectFrom('attachments').select('public_id').where('public_id', '=', id).executeTakeFirst();
      assert.ok(row, 'kept while the draft lists it');
    });
  },
  { env: { MOTCUA_FILES_DIR: filesDir } },
);
