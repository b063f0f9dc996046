/**
 * Digitisation of dossier documents (issue 4 item 4, index group 5), through HTTP on both databases:
 * copies recorded at submission (walk-in scans, online uploads) and by the action digitise (a
 * scan, or the reuse of an earlier dossier's copy of the same applicant: once-only), the reuse
 * offers and their limits (same applicant, earlier, within the official's jurisdiction), who may
 * do it, the download of a copy, and the facts the index reads (digitisationFacts), hand-counted.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';
import { SAMPLE, upload } from '../helpers/uploads.js';
import { digitisationFacts } from '../../src/dossiers/digitisation-facts.js';

type Headers = Record<string, string>;

interface Copy {
  source: 'scan' | 'upload' | 'reuse';
  fileName: string;
  sizeBytes: number;
  sha256: string;
  digitisedAt: string;
  digitisedBy: string | null;
  reusedFrom: string | null;
  downloadUrl: string;
}
interface Offer {
  dossierCode: string;
  documentSeq: number;
  procedureCode: string;
  fileName: string;
  downloadUrl: string;
}
interface Doc {
  seq: number;
  name: { vi: string; en: string };
  required: boolean;
  copy: Copy | null;
  reuseOffers: Offer[];
}
interface Docs {
  code: string;
  mayDigitise: boolean;
  digitised: boolean;
  documents: Doc[];
}
interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string }> };
}

const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-digitise-'));
process.once('exit', () => fs.rmSync(filesDir, { recursive: true, force: true }));

const ID_A = '066200000101';
const ID_B = '066200000202';
const BIRTH = '1.001193'; // documents 1–3 required, 4 optional; result "both"
const MARRIAGE = '1.000894'; // document 3 is the same identity document as BIRTH's 3; result "paper"
const ABSENCE = 'H15-CU-04'; // documents 1–2 required; result "electronic"

describeEachDatabase(
  'digitisation: copies, reuse (once-only), scope and index facts',
  (env) => {
    const H = {} as Record<'desk' | 'specialist' | 'leader' | 'deskHp' | 'specialistHp' | 'leaderHp' | 'centre' | 'province' | 'citizenA' | 'citizenB', Headers>;
    let specialistId = 0;
    let specialistHpId = 0;
    let deskId = 0;
    let clock = new Date('2026-03-02T02:00:00Z').getTime(); // Monday 09:00 in Vietnam
    const e = (): TestEnv => env();
    /** Moves the clock on by a minute, so "earlier" dossiers are strictly earlier. */
    const tick = (minutes = 1) => {
      clock += minutes * 60_000;
      e().setNow(new Date(clock));
    };
    const key = () => crypto.randomUUID();

    async function scan(headers: Headers, procedureCode: string, documentSeq?: number, bytes = SAMPLE.pdf()): Promise<string> {
      const res = await upload(e(), headers, { procedureCode, ...(documentSeq ? { documentSeq } : {}), name: `ban-quet-${documentSeq ?? 'khac'}.pdf`, bytes });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ id: string }>(res).id;
    }

    /** A walk-in dossier received at once by `desk`, with these scans. */
    async function walkIn(desk: Headers, procedureCode: string, caseCode: string, applicant: { idNumber?: string; phone?: string }, scans: Array<{ seq: number }>): Promise<string> {
      tick();
      const attachments = [];
      for (const s of scans) attachments.push({ id: await scan(desk, procedureCode, s.seq) });
      const res = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': key() },
        payload: { procedureCode, caseCode, channel: 1, applicant: { name: 'Nguyễn Văn Số Hóa (mô phỏng)', phone: '0905000111', ...applicant }, attachments },
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ code: string }>(res).code;
    }

    const docs = async (headers: Headers, code: string): Promise<Docs> => {
      const res = await e().app.inject({ method: 'GET', url: `/api/dossiers/${code}/documents`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return json<Docs>(res);
    };
    const doc = (d: Docs, seq: number) => d.documents.find((x) => x.seq === seq)!;
    const digitise = (headers: Headers, code: string, seq: number, body: Record<string, unknown>, idem = key()): Promise<LightMyRequestResponse> =>
      e().app.inject({ method: 'POST', url: `/api/dossiers/${code}/documents/${seq}/digitise`, headers: { ...headers, 'idempotency-key': idem }, payload: body });
    const act = async (headers: Headers, code: string, body: Record<string, unknown>) => {
      const res = await e().app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
      assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
      return json<{ statusCode: number }>(res);
    };
    const idOf = async (code: string) => Number((await e().ctx.db.selectFrom('dossiers').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
    /** Everything digitisation may write, to check that a refusal wrote nothing. */
    async function snapshot() {
      const r = await sql<{ h: string }>`
        select (select count(*) from dossier_actions)::text || '|' ||
               (select coalesce(md5(string_agg(x::text, ',' order by x::text)), '') from dossier_documents x) || '|' ||
               (select coalesce(md5(string_agg(a.id || ':' || coalesce(a.dossier_id::text, '-') || ':' || coalesce(a.document_seq::text, '-'), ',' order by a.id)), '') from attachments a) || '|' ||
               (select coalesce(md5(string_agg(d.id || ':' || d.version, ',' order by d.id)), '') from dossiers d) as h`.execute(e().ctx.db);
      return r.rows[0]!.h;
    }
    function assertError(res: LightMyRequestResponse, status: number, code?: string, field?: string): void {
      assert.equal(res.statusCode, status, res.body);
      const b = json<ErrorBody>(res);
      if (code) assert.equal(b.error.code, code, res.body);
      assert.ok(b.error.message.length > 0 && b.error.messageVi.length > 0 && b.error.message !== b.error.messageVi, 'bilingual');
      if (field) assert.ok(b.error.fields?.some((f) => f.field === field), `names ${field}: ${res.body}`);
    }

    before(async () => {
      e().setNow(new Date(clock));
      H.desk = await e().login('motcua.bmt');
      H.specialist = await e().login('chuyenvien.bmt');
      H.leader = await e().login('lanhdao.bmt');
      H.deskHp = await e().login('motcua.hoaphu');
      H.specialistHp = await e().login('chuyenvien.hoaphu');
      H.leaderHp = await e().login('lanhdao.hoaphu');
      H.centre = await e().login('motcua.tinh');
      H.province = await e().login('lanhdao.tinh');
      H.citizenA = (await e().citizen('digitise-a', { idNumber: ID_A })).headers;
      H.citizenB = (await e().citizen('digitise-b', { idNumber: ID_B })).headers;
      const users = await e().ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['chuyenvien.bmt', 'chuyenvien.hoaphu', 'motcua.bmt']).execute();
      specialistId = Number(users.find((u) => u.username === 'chuyenvien.bmt')!.id);
      specialistHpId = Number(users.find((u) => u.username === 'chuyenvien.hoaphu')!.id);
      deskId = Number(users.find((u) => u.username === 'motcua.bmt')!.id);
    });

    // Shared story, in order: an earlier marriage dossier M and birth dossier W1 of applicant A at
    // Buôn Ma Thuột; later W2 of A reuses their copies.
    let M = '';
    let W1 = '';
    let W2 = '';
    let O = ''; // A's online dossier, not received

    it('submission records copies: the desk’s walk-in scans as "scan", an applicant’s online uploads as "upload" (first file of a document)', async () => {
      M = await walkIn(H.desk, MARRIAGE, 'KHONG_XAC_MINH', { idNumber: ID_A }, [{ seq: 1 }, { seq: 3 }]);
      W1 = await walkIn(H.desk, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, [{ seq: 1 }, { seq: 2 }]);
      const d = await docs(H.desk, W1);
      assert.deepEqual(d.documents.map((x) => [x.seq, x.required, x.copy?.source ?? null]), [
        [1, true, 'scan'],
        [2, true, 'scan'],
        [3, true, null],
        [4, false, null],
      ]);
      assert.equal(d.digitised, false, 'document 3 is still on paper only');
      assert.equal(d.mayDigitise, true);
      assert.equal(doc(d, 1).copy!.digitisedBy, (await e().ctx.db.selectFrom('users').select('full_name').where('id', '=', deskId).executeTakeFirstOrThrow()).full_name);
      const rows = await e().ctx.db.selectFrom('dossier_documents').selectAll().where('dossier_id', '=', await idOf(W1)).orderBy('document_seq').execute();
      assert.deepEqual(rows.map((r) => [r.document_seq, r.source, Number(r.digitised_by), r.reused_from_dossier_id]), [
        [1, 'scan', deskId, null],
        [2, 'scan', deskId, null],
      ]);

      // Online: two files for document 1 (the first is the copy), one for document 3, one "other".
      tick();
      const first = await scan(H.citizenA, BIRTH, 1);
      const second = await scan(H.citizenA, BIRTH, 1);
      const third = await scan(H.citizenA, BIRTH, 3);
      const other = await scan(H.citizenA, BIRTH);
      const res = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...H.citizenA, 'idempotency-key': key() },
        payload: { procedureCode: BIRTH, caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData(BIRTH), attachments: [{ id: second }, { id: first }, { id: third }, { id: other }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      const online = (O = json<{ code: string }>(res).code);
      const copies = await e()
        .ctx.db.selectFrom('dossier_documents as dd')
        .innerJoin('attachments as a', 'a.id', 'dd.attachment_id')
        .select(['dd.document_seq', 'dd.source', 'a.public_id'])
        .where('dd.dossier_id', '=', await idOf(online))
        .orderBy('dd.document_seq')
        .execute();
      assert.deepEqual(copies.map((c) => [c.document_seq, c.source, c.public_id]), [
        [1, 'upload', first],
        [3, 'upload', third],
      ]);
    });

    it('digitise by scan: the desk officer uploads document 3 and records it; one digitise action, status unchanged, the file joins the dossier', async () => {
      tick();
      const bytes = SAMPLE.pdf();
      const att = await scan(H.desk, BIRTH, 3, bytes);
      const before_ = await e().ctx.db.selectFrom('dossiers').select(['status_code', 'version', 'action_count']).where('code', '=', W1).executeTakeFirstOrThrow();
      tick();
      const idem = key();
      const res = await digitise(H.desk, W1, 3, { attachmentId: att }, idem);
      assert.equal(res.statusCode, 200, res.body);
      const d3 = json<Doc>(res);
      assert.equal(d3.seq, 3);
      assert.equal(d3.copy?.source, 'scan');
      assert.equal(d3.copy?.fileName, 'ban-quet-3.pdf');
      assert.equal(d3.copy?.digitisedAt, new Date(clock).toISOString());
      assert.equal(d3.copy?.reusedFrom, null);

      const id = await idOf(W1);
      const after_ = await e().ctx.db.selectFrom('dossiers').select(['status_code', 'version', 'action_count']).where('code', '=', W1).executeTakeFirstOrThrow();
      assert.equal(after_.status_code, before_.status_code, 'status unchanged');
      assert.equal(after_.action_count, before_.action_count + 1);
      const action = await e().ctx.db.selectFrom('dossier_actions').selectAll().where('dossier_id', '=', id).where('seq', '=', after_.action_count).executeTakeFirstOrThrow();
      assert.equal(action.type, 'digitise');
      assert.equal(Number(action.actor_id), deskId);
      assert.equal(action.actor_role, 'desk_officer');
      assert.equal(action.actor_unit, 'H15.001');
      assert.equal(action.from_status, 2);
      assert.equal(action.to_status, 2);
      assert.deepEqual(action.payload, { documentSeq: 3, attachmentId: att });
      assert.equal(new Date(action.at).toISOString(), new Date(clock).toISOString());
      const a = await e().ctx.db.selectFrom('attachments').select(['dossier_id', 'document_seq']).where('public_id', '=', att).executeTakeFirstOrThrow();
      assert.deepEqual([Number(a.dossier_id), a.document_seq], [id, 3]);
      assert.equal((await docs(H.desk, W1)).digitised, true, 'documents 1–3 (the required ones) have copies; 4 is optional');

      // The copy downloads for staff who see the dossier.
      const file = await e().app.inject({ method: 'GET', url: d3.copy!.downloadUrl, headers: H.leader });
      assert.equal(file.statusCode, 200, file.body);
      assert.deepEqual(file.rawPayload, bytes);
      assert.equal(file.headers['x-content-type-options'], 'nosniff');

      // A repeat with the same key: replayed, nothing more written.
      const snap = await snapshot();
      const again = await digitise(H.desk, W1, 3, { attachmentId: att }, idem);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(await snapshot(), snap);

      // The history shows it to staff by name; the applicant's timeline has no step for it.
      const h = json<{ items: Array<{ type: string; typeName: { vi: string; en: string } }> }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/history`, headers: H.desk }));
      const item = h.items.find((i) => i.type === 'digitise')!;
      assert.deepEqual(item.typeName, { vi: 'Số hóa thành phần hồ sơ', en: 'Digitise a document' });
      const tl = json<{ steps: Array<{ kind: string }> }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/timeline`, headers: H.desk }));
      assert.deepEqual(tl.steps.map((s) => s.kind), ['submitted', 'received', 'appointment']);
    });

    it('a specialist digitises during processing, replacing a copy; the earlier file stays in the dossier', async () => {
      await act(H.desk, W1, { type: 'assign', assigneeId: specialistId });
      tick();
      const old = await e().ctx.db.selectFrom('dossier_documents').select('attachment_id').where('dossier_id', '=', await idOf(W1)).where('document_seq', '=', 1).executeTakeFirstOrThrow();
      const att = await scan(H.specialist, BIRTH, 1);
      const res = await digitise(H.specialist, W1, 1, { attachmentId: att });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<Doc>(res).copy?.source, 'scan');
      assert.equal(json<Doc>(res).copy?.digitisedBy, (await e().ctx.db.selectFrom('users').select('full_name').where('id', '=', specialistId).executeTakeFirstOrThrow()).full_name);
      const oldFile = await e().ctx.db.selectFrom('attachments').select('dossier_id').where('id', '=', old.attachment_id).executeTakeFirstOrThrow();
      assert.equal(Number(oldFile.dossier_id), await idOf(W1), 'the replaced scan is still part of the dossier');
      const action = await e().ctx.db.selectFrom('dossier_actions').select(['type', 'from_status', 'to_status', 'actor_role']).where('dossier_id', '=', await idOf(W1)).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(action, { type: 'digitise', from_status: 4, to_status: 4, actor_role: 'specialist' });
    });

    it('reuse: a later dossier of the same applicant is offered the earlier copies (same procedure and number, or same document name); reusing records the same file, no copy of the bytes', async () => {
      W2 = await walkIn(H.desk, BIRTH, 'QUA_HAN', { idNumber: ID_A }, []);
      const d = await docs(H.desk, W2);
      assert.equal(d.mayDigitise, true);
      assert.equal(d.digitised, false);
      // Document 1: W1's copy (same procedure and number); M's document 1 is another paper (the
      // marriage form); the online dossier O is not received yet, its uploads are not offered.
      assert.deepEqual(doc(d, 1).reuseOffers.map((o) => [o.dossierCode, o.documentSeq]), [[W1, 1]]);
      assert.deepEqual(doc(d, 2).reuseOffers.map((o) => [o.dossierCode, o.documentSeq]), [[W1, 2]]);
      // Document 3, the identity document: W1's (same number) and M's (same name, another procedure), newest first.
      assert.deepEqual(doc(d, 3).reuseOffers.map((o) => [o.dossierCode, o.documentSeq, o.procedureCode]), [
        [W1, 3, BIRTH],
        [M, 3, MARRIAGE],
      ]);
      assert.deepEqual(doc(d, 4).reuseOffers, [], 'no earlier copy of the power of attorney');
      assert.ok(!JSON.stringify(d).includes(O), 'nothing of the dossier not yet received');

      // Once received, O's uploads are offered too (newest first).
      await act(H.desk, O, { type: 'receive' });
      assert.deepEqual(doc(await docs(H.desk, W2), 1).reuseOffers.map((o) => o.dossierCode), [O, W1]);

      // Reuse M's identity document for W2's document 3.
      const mDoc3 = await e().ctx.db.selectFrom('dossier_documents').select('attachment_id').where('dossier_id', '=', await idOf(M)).where('document_seq', '=', 3).executeTakeFirstOrThrow();
      const attachmentsBefore = Number((await sql<{ n: string }>`select count(*)::text as n from attachments`.execute(e().ctx.db)).rows[0]!.n);
      tick();
      const res = await digitise(H.desk, W2, 3, { reuseFrom: { dossierCode: M, documentSeq: 3 } });
      assert.equal(res.statusCode, 200, res.body);
      const d3 = json<Doc>(res);
      assert.equal(d3.copy?.source, 'reuse');
      assert.equal(d3.copy?.reusedFrom, M);
      const row = await e().ctx.db.selectFrom('dossier_documents').selectAll().where('dossier_id', '=', await idOf(W2)).where('document_seq', '=', 3).executeTakeFirstOrThrow();
      assert.equal(Number(row.attachment_id), Number(mDoc3.attachment_id), 'the same attachment as M’s');
      assert.equal(Number(row.reused_from_dossier_id), await idOf(M));
      assert.equal(row.source, 'reuse');
      assert.equal(Number((await sql<{ n: string }>`select count(*)::text as n from attachments`.execute(e().ctx.db)).rows[0]!.n), attachmentsBefore, 'no file copied');
      const attOfM = await e().ctx.db.selectFrom('attachments').select(['public_id', 'dossier_id']).where('id', '=', row.attachment_id).executeTakeFirstOrThrow();
      assert.equal(Number(attOfM.dossier_id), await idOf(M), 'the file still belongs to M');
      const action = await e().ctx.db.selectFrom('dossier_actions').select(['type', 'payload', 'actor_role']).where('dossier_id', '=', await idOf(W2)).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(action, { type: 'digitise', payload: { documentSeq: 3, attachmentId: attOfM.public_id, reusedFromDossier: M }, actor_role: 'desk_officer' });

      // W2's copy downloads with M's bytes, for the holder of W2.
      const mine = await e().app.inject({ method: 'GET', url: d3.copy!.downloadUrl, headers: H.desk });
      const theirs = await e().app.inject({ method: 'GET', url: `/api/dossiers/${M}/documents/3/file`, headers: H.desk });
      assert.equal(mine.statusCode, 200, mine.body);
      assert.deepEqual(mine.rawPayload, theirs.rawPayload);

      // Reuse W1's documents 1 and 2 as well: W2 is then digitised, and every copy is reused.
      for (const seq of [1, 2]) assert.equal((await digitise(H.desk, W2, seq, { reuseFrom: { dossierCode: W1, documentSeq: seq } })).statusCode, 200);
      const after_ = await docs(H.desk, W2);
      assert.equal(after_.digitised, true);
      assert.deepEqual(after_.documents.map((x) => x.copy?.source ?? null), ['reuse', 'reuse', 'reuse', null]);
    });

    it('offers stop at the applicant, the past and the official’s jurisdiction', async () => {
      // Later dossiers are not offered to earlier ones.
      const w1 = await docs(H.desk, W1);
      assert.ok(!JSON.stringify(w1.documents.map((x) => x.reuseOffers)).includes(W2), 'W2 is later than W1');
      assert.deepEqual(doc(w1, 3).reuseOffers.map((o) => o.dossierCode), [M]);
      // Another applicant (another ID number) sees nothing of A's.
      const b = await walkIn(H.desk, BIRTH, 'DUNG_HAN', { idNumber: ID_B }, []);
      assert.ok((await docs(H.desk, b)).documents.every((x) => x.reuseOffers.length === 0));
      // A dossier without an ID number gets no offers, and cannot reuse.
      const anon = await walkIn(H.desk, BIRTH, 'DUNG_HAN', {}, []);
      assert.ok((await docs(H.desk, anon)).documents.every((x) => x.reuseOffers.length === 0));
      let snap = await snapshot();
      assertError(await digitise(H.desk, anon, 3, { reuseFrom: { dossierCode: M, documentSeq: 3 } }), 400, 'invalid_input', 'reuseFrom');
      assert.equal(await snapshot(), snap, 'nothing written');
      // Another applicant's copy cannot be reused by naming it.
      snap = await snapshot();
      assertError(await digitise(H.desk, b, 3, { reuseFrom: { dossierCode: M, documentSeq: 3 } }), 400, 'invalid_input', 'reuseFrom');
      assert.equal(await snapshot(), snap, 'nothing written');

      // Xã Hòa Phú receives A too: its desk is offered Hòa Phú's own copies only, never Buôn Ma Thuột's.
      const hp1 = await walkIn(H.deskHp, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, [{ seq: 1 }]);
      const hp2 = await walkIn(H.deskHp, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, []);
      const hp = await docs(H.deskHp, hp2);
      assert.deepEqual(doc(hp, 1).reuseOffers.map((o) => o.dossierCode), [hp1]);
      assert.deepEqual(doc(hp, 3).reuseOffers, [], 'M, W1, W2 are Buôn Ma Thuột’s');
      snap = await snapshot();
      assertError(await digitise(H.deskHp, hp2, 3, { reuseFrom: { dossierCode: W1, documentSeq: 3 } }), 400, 'invalid_input', 'reuseFrom');
      assert.equal(await snapshot(), snap, 'nothing written');
      // …and Buôn Ma Thuột's desk is not offered Hòa Phú's copy.
      const w3 = await walkIn(H.desk, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, []);
      const w3Docs = await docs(H.desk, w3);
      assert.ok(!JSON.stringify(w3Docs).includes(hp1), 'Hòa Phú’s dossier is outside Buôn Ma Thuột');
      // W2 reused W1's copy of document 1 (the specialist's scan): one file, offered once, from the newest dossier.
      assert.deepEqual(doc(w3Docs, 1).reuseOffers.map((o) => o.dossierCode), [W2, O]);
      assert.deepEqual(doc(w3Docs, 3).reuseOffers.map((o) => o.dossierCode), [W2, O, W1], 'M’s identity document is W2’s copy: offered once, as W2’s');
      // Whoever may not digitise now is offered nothing (the leader; the desk on a finished-and-returned dossier).
      const asLeader = await docs(H.leader, w3);
      assert.equal(asLeader.mayDigitise, false);
      assert.ok(asLeader.documents.every((x) => x.reuseOffers.length === 0));
    });

    it('who may digitise: the holding unit’s desk officer and specialist; others are refused and nothing is written', async () => {
      const w = await walkIn(H.desk, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, []);
      const scans: Record<string, string> = {
        leader: crypto.randomUUID(),
        province: crypto.randomUUID(),
        deskHp: await scan(H.deskHp, BIRTH, 1),
        specialistHp: await scan(H.specialistHp, BIRTH, 1),
        centre: await scan(H.centre, BIRTH, 1),
        citizenA: await scan(H.citizenA, BIRTH, 1),
      };
      const cases: Array<[keyof typeof H, number, string]> = [
        ['leader', 403, 'role_not_allowed'],
        ['province', 403, 'role_not_allowed'],
        ['deskHp', 404, 'not_found'],
        ['specialistHp', 404, 'not_found'],
        ['centre', 404, 'not_found'],
        ['citizenA', 404, 'not_found'], // not their dossier
      ];
      for (const [who, status, code] of cases) {
        const snap = await snapshot();
        tick();
        assertError(await digitise(H[who], w, 1, { attachmentId: scans[who]! }), status, code);
        assertError(await digitise(H[who], w, 1, { reuseFrom: { dossierCode: W1, documentSeq: 1 } }), status, code);
        assert.equal(await snapshot(), snap, `${who}: nothing written`);
      }
      // The applicant, on their own received dossier: like any action their role may not do.
      let snap = await snapshot();
      assertError(await digitise(H.citizenA, O, 1, { attachmentId: scans.citizenA! }), 403, 'role_not_allowed');
      assert.equal(await snapshot(), snap, 'owner: nothing written');
      // Reading: the list and the copies are for officials who see the dossier.
      assertError(await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/documents`, headers: H.deskHp }), 404, 'not_found');
      assertError(await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/documents/1/file`, headers: H.specialistHp }), 404, 'not_found');
      assertError(await e().app.inject({ method: 'GET', url: `/api/dossiers/${O}/documents`, headers: H.citizenA }), 403, 'forbidden');
      assertError(await e().app.inject({ method: 'GET', url: `/api/dossiers/${O}/documents/1/file`, headers: H.citizenA }), 403, 'forbidden');
      assertError(await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/documents/4/file`, headers: H.desk }), 404, 'not_found');
      assert.equal((await e().app.inject({ method: 'GET', url: `/api/dossiers/${W1}/documents`, headers: H.province })).statusCode, 200, 'the province leader watches');

      // The statuses: not before receipt, not after the end.
      tick();
      const fresh = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...H.citizenA, 'idempotency-key': key() },
        payload: { procedureCode: BIRTH, caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData(BIRTH) },
      });
      assert.equal(fresh.statusCode, 201, fresh.body);
      const waiting = json<{ code: string }>(fresh).code;
      const early = await scan(H.desk, BIRTH, 1);
      snap = await snapshot();
      assertError(await digitise(H.desk, waiting, 1, { attachmentId: early }), 409, 'action_not_allowed');
      assert.equal(await snapshot(), snap, 'nothing written');
      assert.equal((await docs(H.desk, waiting)).mayDigitise, false);
      await act(H.leader, w, { type: 'finish' });
      await act(H.desk, w, { type: 'return_result', method: 'in_person' });
      const att = await scan(H.desk, BIRTH, 1);
      snap = await snapshot();
      assertError(await digitise(H.desk, w, 1, { attachmentId: att }), 409, 'action_not_allowed');
      assert.equal(await snapshot(), snap, 'nothing written');
    });

    it('bad scans: another official’s upload, another procedure’s, one already in another dossier or given for another document → 400 naming attachmentId, nothing written', async () => {
      const w = await walkIn(H.desk, BIRTH, 'DUNG_HAN', { idNumber: ID_A }, [{ seq: 2 }]);
      const inW = (await e().ctx.db.selectFrom('attachments').select('public_id').where('dossier_id', '=', await idOf(w)).executeTakeFirstOrThrow()).public_id;
      const inW1 = (await e().ctx.db.selectFrom('attachments').select('public_id').where('dossier_id', '=', await idOf(W1)).executeTakeFirstOrThrow()).public_id;
      const bad = [
        await scan(H.specialist, BIRTH, 1), // the specialist's, not the desk officer's
        await scan(H.desk, MARRIAGE, 1), // for another procedure
        inW1, // part of another dossier
        inW, // this dossier's copy of document 2, not free for document 1
        crypto.randomUUID(), // nobody's
      ];
      for (const id of bad) {
        const snap = await snapshot();
        tick();
        assertError(await digitise(H.desk, w, 1, { attachmentId: id }), 400, 'invalid_input', 'attachmentId');
        assert.equal(await snapshot(), snap, `${id}: nothing written`);
      }
      // A document the case does not have → 404; a copy of this dossier can be re-recorded for its own document.
      assertError(await digitise(H.desk, w, 9, { attachmentId: await scan(H.desk, BIRTH) }), 404, 'not_found');
      assert.equal((await digitise(H.desk, w, 2, { attachmentId: inW })).statusCode, 200);
      // A file of the dossier given for no document can be designated.
      const loose = await scan(H.desk, BIRTH);
      assert.equal((await digitise(H.desk, w, 4, { attachmentId: loose })).statusCode, 200);
      assert.equal((await e().ctx.db.selectFrom('attachments').select('document_seq').where('public_id', '=', loose).executeTakeFirstOrThrow()).document_seq, 4);
      assert.equal((await digitise(H.desk, w, 1, { attachmentId: loose })).statusCode, 400, 'now given for document 4');
    });

    it('a supplement’s files for a document become its copies (the newest papers)', async () => {
      tick();
      const res = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...H.citizenA, 'idempotency-key': key() },
        payload: { procedureCode: BIRTH, caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData(BIRTH), attachments: [{ id: await scan(H.citizenA, BIRTH, 2) }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      const code = json<{ code: string }>(res).code;
      await act(H.desk, code, { type: 'receive' });
      await act(H.desk, code, { type: 'request_supplement', reason: 'Giấy chứng sinh mờ', missing: ['Giấy chứng sinh'] });
      tick();
      const newer = await scan(H.citizenA, BIRTH, 2);
      await act(H.citizenA, code, { type: 'supplement', documents: ['Giấy chứng sinh'], attachmentIds: [newer] });
      const copy = await e()
        .ctx.db.selectFrom('dossier_documents as dd')
        .innerJoin('attachments as a', 'a.id', 'dd.attachment_id')
        .select(['a.public_id', 'dd.source'])
        .where('dd.dossier_id', '=', await idOf(code))
        .where('dd.document_seq', '=', 2)
        .executeTakeFirstOrThrow();
      assert.deepEqual(copy, { public_id: newer, source: 'upload' });
    });

    it('index group 5: digitisationFacts counts the dossiers received in the period (hand-counted)', async () => {
      // Xã Hòa Phú on Tuesday 2026-03-17 (nothing else happens there that day).
      clock = new Date('2026-03-17T01:30:00Z').getTime();
      tick();
      const f1 = await walkIn(H.deskHp, BIRTH, 'DUNG_HAN', { idNumber: ID_B }, [{ seq: 1 }, { seq: 2 }, { seq: 3 }]); // digitised
      const f2 = await walkIn(H.deskHp, BIRTH, 'DUNG_HAN', { idNumber: ID_B }, [{ seq: 1 }]);
      for (const seq of [2, 3]) assert.equal((await digitise(H.deskHp, f2, seq, { reuseFrom: { dossierCode: f1, documentSeq: seq } })).statusCode, 200); // digitised, reusing
      const f3 = await walkIn(H.deskHp, MARRIAGE, 'KHONG_XAC_MINH', { idNumber: ID_B }, [{ seq: 1 }]); // document 3 missing
      await walkIn(H.deskHp, BIRTH, 'QUA_HAN', { idNumber: ID_B }, [{ seq: 4 }]); // only the optional document
      const f5 = await walkIn(H.deskHp, ABSENCE, 'MAC_DINH', { idNumber: ID_B }, [{ seq: 1 }, { seq: 2 }]); // digitised; electronic result
      tick();
      const notReceived = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...H.citizenB, 'idempotency-key': key() },
        payload: { procedureCode: BIRTH, caseCode: 'DUNG_HAN', receivingUnit: 'H15.015', formData: sampleFormData(BIRTH), attachments: [{ id: await scan(H.citizenB, BIRTH, 1) }] },
      });
      assert.equal(notReceived.statusCode, 201, notReceived.body);
      // Results: F1 (birth, result on paper and electronic) finished and signed; F2 finished,
      // not signed; F3 (marriage, paper) finished; F5 (electronic result) finished.
      for (const c of [f1, f2, f3, f5]) {
        await act(H.deskHp, c, { type: 'assign', assigneeId: specialistHpId });
        await act(H.leaderHp, c, { type: 'finish', resultSummary: 'Đã giải quyết (mô phỏng)' });
      }
      const signed = await e().app.inject({ method: 'POST', url: `/api/dossiers/${f1}/result`, headers: H.leaderHp });
      assert.equal(signed.statusCode, 201, signed.body);
      // The next day: received outside the period.
      clock = new Date('2026-03-18T02:00:00Z').getTime();
      await walkIn(H.deskHp, BIRTH, 'DUNG_HAN', { idNumber: ID_B }, [{ seq: 1 }, { seq: 2 }, { seq: 3 }]);

      const day = { from: new Date('2026-03-16T17:00:00Z'), to: new Date('2026-03-17T17:00:00Z') };
      assert.deepEqual(await digitisationFacts(e().ctx.db, { units: ['H15.015'], ...day }), {
        received: 5, // F1, F2, F3, F4, F5 (the online one is not received; the next day's is outside)
        digitised: 3, // F1, F2, F5
        reusing: 1, // F2
        finished: 3, // F1, F2, F3 (F5's result is electronic only; F4 is not finished)
        withElectronicResult: 1, // F1
      });
      assert.deepEqual(await digitisationFacts(e().ctx.db, { units: ['H15.001'], ...day }), { received: 0, digitised: 0, reusing: 0, finished: 0, withElectronicResult: 0 });
      assert.deepEqual(await digitisationFacts(e().ctx.db, { units: [], ...day }), { received: 0, digitised: 0, reusing: 0, finished: 0, withElectronicResult: 0 });
      const twoDays = await digitisationFacts(e().ctx.db, { units: ['H15.015', 'H15.001'], from: day.from, to: new Date('2026-03-18T17:00:00Z') });
      assert.deepEqual([twoDays.received, twoDays.digitised], [6, 4]);
    });
  },
  { env: { MOTCUA_FILES_DIR: filesDir, MOTCUA_DEMO: 'true' } },
);
