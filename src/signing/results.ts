/**
 * The electronic result of a finished dossier: a PDF built from the dossier and its `finish`
 * action, signed with the deciding unit's key, stored in the file store and recorded once in
 * signed_results with a short public verification code printed on the document.
 *
 * Who: a unit leader or a specialist whose jurisdiction covers the deciding unit; when: at status
 * 9 (processing finished, result not yet returned); how often: once per dossier (a second request
 * is a 409 that names the existing code).
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { inJurisdiction, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, forbidden, notFound } from '../platform/errors.js';
import { createFileStore } from '../platform/files.js';
import { createPdf, field, finishPdf, formTitle, nationalHeader, paragraph, signatures, vietnameseDate, vietnameseDateTime } from '../platform/pdf.js';
import { canSee } from '../dossiers/act.js';
import { selectScopedDossier, type ScopedDossierRow } from '../dossiers/repository.js';
import { signPdf } from './sign.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 10 characters of RFC 4648 base32 (50 random bits). */
export function newVerificationCode(): string {
  const bytes = crypto.randomBytes(10);
  return Array.from(bytes, (b) => BASE32[b & 31]).join('');
}

export const VERIFICATION_CODE = /^[A-Z2-7]{10}$/;

export interface SignedResultView {
  dossierCode: string;
  verificationCode: string;
  sha256: string;
  unitCode: string;
  signerSubject: string;
  signedAt: string;
  sizeBytes: number;
  downloadUrl: string;
  verifyUrl: string;
}

const MAY_SIGN = ['unit_leader', 'specialist'] as const;

async function scopedDossier(ctx: AppContext, actor: Actor, code: string): Promise<ScopedDossierRow> {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

export async function createSignedResult(ctx: AppContext, actor: Actor, code: string): Promise<SignedResultView> {
  const row = await scopedDossier(ctx, actor, code);
  if (!(MAY_SIGN as readonly string[]).includes(actor.role) || !inJurisdiction(actor, row.deciding_path)) {
    throw forbidden(
      'Only a leader or specialist of the deciding unit may issue the signed result.',
      'Chỉ lãnh đạo hoặc chuyên viên của đơn vị giải quyết mới được phát hành kết quả có ký số.',
    );
  }
  const existing = await ctx.db.selectFrom('signed_results').select('verification_code').where('dossier_id', '=', row.id).executeTakeFirst();
  if (existing) {
    throw new AppError(
      409,
      'result_already_signed',
      `The result of this dossier was already signed (verification code ${existing.verification_code}).`,
      `Kết quả của hồ sơ này đã được ký số (mã kiểm tra ${existing.verification_code}).`,
    );
  }
  if (row.status_code !== 9) {
    throw new AppError(
      409,
      'not_finished',
      'The signed result can be issued only when processing is finished (status 9) and before the result is returned.',
      'Chỉ phát hành kết quả ký số khi hồ sơ đã xử lý xong (trạng thái 9) và chưa trả kết quả.',
    );
  }

  const [unit, finish] = await Promise.all([
    ctx.db
      .selectFrom('units as u')
      .leftJoin('units as p', 'p.code', 'u.parent_code')
      .select(['u.code', 'u.name', 'u.kind', 'p.name as parent_name', 'p.kind as parent_kind'])
      .where('u.code', '=', row.deciding_unit)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('dossier_actions as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .select(['a.at', 'u.full_name', sql<string | null>`a.payload->>'resultSummary'`.as('summary')])
      .where('a.dossier_id', '=', row.id)
      .where('a.type', '=', 'finish')
      .orderBy('a.seq', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);

  const verificationCode = newVerificationCode();
  const now = ctx.now();
  const local = unit.kind === 'ward' || unit.kind === 'commune';
  const place = (unit.parent_kind === 'province' && unit.parent_name ? unit.parent_name : unit.name).replace(/^(Tỉnh|Thành phố)\s+/, '');
  const doc = createPdf({ title: `Kết quả giải quyết thủ tục hành chính – ${row.code}`, author: unit.name });
  nationalHeader(doc, {
    agencyParent: local ? null : unit.parent_name ? `Ủy ban nhân dân ${unit.parent_name}` : null,
    agency: local ? `Ủy ban nhân dân ${unit.name}` : unit.name,
    number: `Mã hồ sơ: ${row.code}`,
    placeDate: `${place}, ${vietnameseDate(now)}`,
  });
  formTitle(doc, 'KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', '(Bản điện tử có chữ ký số)');
  field(doc, 'Đơn vị giải quyết', unit.name, { number: 1 });
  field(doc, 'Mã hồ sơ', row.code, { number: 2 });
  field(doc, 'Thủ tục hành chính', `${row.procedure_name} (${row.procedure_code})`, { number: 3 });
  field(doc, 'Người nộp hồ sơ', row.applicant_name, { number: 4 });
  field(doc, 'Kết quả giải quyết', finish?.summary?.trim() || 'Hồ sơ đã được giải quyết xong.', { number: 5 });
  field(doc, 'Thời điểm hoàn thành xử lý', row.finished_at ? vietnameseDateTime(new Date(row.finished_at)) : null, { number: 6 });
  doc.moveDown(0.5);
  paragraph(
    doc,
    `Văn bản điện tử này được ký số bởi ${unit.name}. Mã kiểm tra: ${verificationCode}. Kiểm tra chữ ký và tính toàn vẹn tại trang /verify của Cổng dịch vụ công (tải tệp lên hoặc nhập mã kiểm tra).`,
    { italic: true },
  );
  paragraph(doc, `This electronic document is digitally signed. Verification code: ${verificationCode} (check it at /verify).`, { italic: true, size: 9 });
  signatures(doc, [{ title: 'Thủ trưởng đơn vị', note: '(Đã ký số)', name: finish?.full_name ?? null }]);
  const unsigned = await finishPdf(doc, { demoNotice: ctx.config.demo, footer: `${row.code} · Mã kiểm tra ${verificationCode}` });

  const { pdf, key } = await signPdf(ctx, unsigned, row.deciding_unit);
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  const storageKey = `results/${now.getUTCFullYear()}/${row.code.toLowerCase()}-${verificationCode.toLowerCase()}.pdf`;
  const store = createFileStore(ctx.config);
  await store.put(storageKey, pdf, 'application/pdf');

  const inserted = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('signed_results')
      .values({
        dossier_id: row.id,
        verification_code: verificationCode,
        storage_key: storageKey,
        sha256,
        unit_code: row.deciding_unit,
        signer_subject: key.facts.subject,
        certificate_sha256: key.facts.sha256,
        signed_at: now,
        signed_by: actor.userId,
      })
      .onConflict((oc) => oc.column('dossier_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) return false;
    await trx
      .insertInto('audit_log')
      .values({
        at: now,
        actor_id: actor.userId,
        action: 'dossier.result.sign',
        object_type: 'dossier',
        object_id: row.code,
        reason: null,
        details: JSON.stringify({ verificationCode, sha256, unit: row.deciding_unit, certificate: key.facts.sha256 }),
      })
      .execute();
    return true;
  });
  if (!inserted) {
    // Someone signed the same dossier at the same moment: theirs stands, this file goes.
    await store.delete(storageKey);
    throw new AppError(409, 'result_already_signed', 'The result of this dossier was already signed.', 'Kết quả của hồ sơ này đã được ký số.');
  }
  return view(row.code, { verification_code: verificationCode, sha256, unit_code: row.deciding_unit, signer_subject: key.facts.subject, signed_at: now }, pdf.length);
}

function view(
  dossierCode: string,
  r: { verification_code: string; sha256: string; unit_code: string; signer_subject: string; signed_at: Date },
  sizeBytes: number,
): SignedResultView {
  return {
    dossierCode,
    verificationCode: r.verification_code,
    sha256: r.sha256,
    unitCode: r.unit_code,
    signerSubject: r.signer_subject,
    signedAt: new Date(r.signed_at).toISOString(),
    sizeBytes,
    downloadUrl: `/api/dossiers/${dossierCode}/result.pdf`,
    verifyUrl: `/verify?code=${r.verification_code}`,
  };
}

const noResult = (code: string) =>
  new AppError(404, 'no_signed_result', `Dossier ${code} has no signed result yet.`, `Hồ sơ ${code} chưa có kết quả ký số.`);

/** The signed result PDF, for the owner and staff in scope. */
export async function getSignedResultPdf(ctx: AppContext, actor: Actor, code: string): Promise<{ pdf: Uint8Array; view: SignedResultView }> {
  const row = await scopedDossier(ctx, actor, code);
  const r = await ctx.db
    .selectFrom('signed_results')
    .select(['verification_code', 'sha256', 'unit_code', 'signer_subject', 'signed_at', 'storage_key'])
    .where('dossier_id', '=', row.id)
    .executeTakeFirst();
  if (!r) throw noResult(code);
  const pdf = await createFileStore(ctx.config).get(r.storage_key);
  if (!pdf) throw new Error(`signed result ${r.storage_key} of ${code} is missing from the file store`);
  return { pdf, view: view(code, r, pdf.byteLength) };
}

/** A stored result by its public verification code (no login): the bytes and what the register says. */
export async function findByVerificationCode(
  ctx: AppContext,
  verificationCode: string,
): Promise<{ pdf: Uint8Array; dossierCode: string; unitCode: string; unitName: string; procedureName: string; signedAt: Date; sha256: string } | null> {
  const r = await ctx.db
    .selectFrom('signed_results as s')
    .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
    .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
    .innerJoin('units as u', 'u.code', 's.unit_code')
    .select(['s.storage_key', 's.signed_at', 's.sha256', 's.unit_code', 'd.code', 'u.name as unit_name', 'p.name as procedure_name'])
    .where('s.verification_code', '=', verificationCode)
    .executeTakeFirst();
  if (!r) return null;
  const pdf = await createFileStore(ctx.config).get(r.storage_key);
  if (!pdf) throw new Error(`signed result ${r.storage_key} is missing from the file store`);
  return { pdf, dossierCode: r.code, unitCode: r.unit_code, unitName: r.unit_name, procedureName: r.procedure_name, signedAt: new Date(r.signed_at), sha256: r.sha256 };
}

/** The register entry whose stored file has exactly these bytes (SHA-256), if any. */
export async function findBySha256(ctx: AppContext, sha256: string): Promise<{ verificationCode: string; dossierCode: string } | null> {
  const r = await ctx.db
    .selectFrom('signed_results as s')
    .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
    .select(['s.verification_code', 'd.code'])
    .where('s.sha256', '=', sha256)
    .executeTakeFirst();
  return r ? { verificationCode: r.verification_code, dossierCode: r.code } : null;
}
