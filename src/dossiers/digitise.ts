/**
 * Digitising one document of a received dossier (số hóa thành phần hồ sơ): the desk officer or
 * specialist of the unit holding the dossier records its electronic copy, either
 *  - a scan they uploaded (POST /api/attachments with the dossier's procedure), or a file already
 *    in this dossier not yet given for another document; or
 *  - the copy of the same document digitised in an earlier dossier of the same applicant (one of
 *    the offers of documents.ts): the new row points at the same attachment, no bytes are copied.
 * It is the dossier action `digitise` (src/core/dossier-machine.ts), so it lands in the action log
 * with actor, time and payload, in the same transaction as the copy's row; the status never moves.
 */
import { sql } from 'kysely';
import { roleMayAct, TransitionError } from '../core/dossier-machine.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField, notFound } from '../platform/errors.js';
import { actOnDossier, canAct, canSee, transitionToAppError } from './act.js';
import { recordCopy } from './document-copies.js';
import { caseDocuments, documentsView, earlierCopies, offersFor, staffDossier, type DocumentView } from './documents.js';
import { selectScopedDossier, type ScopedDossierRow } from './repository.js';

export type DigitiseInput = { attachmentId: string } | { reuseFrom: { dossierCode: string; documentSeq: number } };

export interface DigitiseResult {
  replayed: boolean;
  document: DocumentView;
}

export async function digitiseDocument(ctx: AppContext, actor: Actor, code: string, seq: number, input: DigitiseInput, idempotencyKey: string): Promise<DigitiseResult> {
  // Scope and role first, as for every action (act.ts), so nothing below tells an outsider anything.
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  if (!canAct(actor, row)) {
    throw new AppError(403, 'out_of_scope', `The dossier is now held by unit ${row.current_unit}, outside your jurisdiction.`, `Hồ sơ đang do đơn vị ${row.current_unit} xử lý, ngoài phạm vi của bạn.`);
  }
  if (!roleMayAct('digitise', { role: actor.role, userId: actor.userId, isOwner: actor.role === 'citizen' && row.owner_id === actor.userId })) {
    throw transitionToAppError(
      new TransitionError('role_not_allowed', `Your role (${actor.role}) may not digitise the documents of this dossier.`, `Vai trò của bạn (${actor.role}) không được số hóa thành phần hồ sơ này.`),
    );
  }
  const doc = (await caseDocuments(ctx.db, row)).find((d) => d.seq === seq);
  if (!doc) {
    throw notFound(`Document ${seq} of procedure ${row.procedure_code} (case ${row.case_code})`, `thành phần hồ sơ số ${seq} của thủ tục ${row.procedure_code} (trường hợp ${row.case_code})`, `${code}/${seq}`);
  }

  let reuse: { attachmentId: number; dossierId: number; publicId: string; dossierCode: string } | null = null;
  if ('reuseFrom' in input) {
    const wanted = input.reuseFrom;
    const offer = offersFor(await earlierCopies(ctx.db, actor, row), row, doc).find((c) => c.offer.dossierCode === wanted.dossierCode && c.offer.documentSeq === wanted.documentSeq);
    if (!offer) {
      throw invalidField(
        'reuseFrom',
        `dossier ${wanted.dossierCode} has no digitised copy of this document (number ${wanted.documentSeq}) that can be reused here: it must be an earlier dossier of the same applicant (same ID number) that you may see`,
        `hồ sơ ${wanted.dossierCode} không có bản số hóa của giấy tờ này (số ${wanted.documentSeq}) để dùng lại: phải là hồ sơ trước đó của cùng người nộp (cùng số định danh) thuộc phạm vi của bạn`,
      );
    }
    const publicId = await ctx.db.selectFrom('attachments').select('public_id').where('id', '=', offer.attachmentId).executeTakeFirstOrThrow();
    reuse = { attachmentId: offer.attachmentId, dossierId: offer.dossierId, publicId: publicId.public_id, dossierCode: offer.offer.dossierCode };
  }
  const attachmentId = reuse ? reuse.publicId : (input as { attachmentId: string }).attachmentId.toLowerCase();

  const r = await actOnDossier(
    ctx,
    actor,
    code,
    { type: 'digitise', documentSeq: seq, attachmentId, ...(reuse ? { reusedFromDossier: reuse.dossierCode } : {}) },
    idempotencyKey,
    {
      within: async (trx, held, at) => {
        if (reuse) {
          await recordCopy(trx, { dossierId: held.id, documentSeq: seq, attachmentId: reuse.attachmentId, source: 'reuse', reusedFromDossierId: reuse.dossierId, at, by: actor.userId });
          return;
        }
        // The official's own upload for this procedure, not yet in a dossier (it joins this one);
        // or a file already in this dossier that is not given for another document.
        const file = await trx
          .updateTable('attachments')
          .set({ dossier_id: held.id, draft_id: null, document_seq: seq })
          .where('public_id', '=', attachmentId)
          .where((eb) =>
            eb.or([
              eb.and([eb('dossier_id', 'is', null), eb('owner_user_id', '=', actor.userId), eb('procedure_code', '=', held.procedure_code)]),
              eb.and([eb('dossier_id', '=', held.id), eb.or([eb('document_seq', 'is', null), eb('document_seq', '=', seq)])]),
            ]),
          )
          .returning(['id', sql<string>`(select u.role from users u where u.id = attachments.owner_user_id)`.as('owner_role')])
          .executeTakeFirst();
        if (!file) {
          throw invalidField(
            'attachmentId',
            `file ${attachmentId} is neither your upload for procedure ${held.procedure_code} nor a file of this dossier free for this document; upload the scan again`,
            `tệp ${attachmentId} không phải tệp bạn tải lên cho thủ tục ${held.procedure_code}, cũng không phải tệp của hồ sơ này dành cho giấy tờ này; hãy tải bản quét lên lại`,
          );
        }
        await recordCopy(trx, { dossierId: held.id, documentSeq: seq, attachmentId: file.id, source: file.owner_role === 'citizen' ? 'upload' : 'scan', reusedFromDossierId: null, at, by: actor.userId });
      },
    },
  );
  const view = await documentsView(ctx.db, actor, r.row ?? (await staffDossier(ctx.db, actor, code)));
  return { replayed: r.replayed, document: view.documents.find((d) => d.seq === seq)! };
}
