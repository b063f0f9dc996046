/**
 * Storage of the electronic copies of a dossier's documents (dossier_documents, migration 013):
 * one row per dossier and required document, replaced when a newer copy is recorded. Called inside
 * the transaction that writes the action the copy belongs to (digitise, supplement); submission
 * records its copies in its own single statement (submit.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { DB, DossierDocumentsTable } from '../platform/db-types.js';

export type CopySource = DossierDocumentsTable['source'];

export interface CopyRecord {
  dossierId: number;
  documentSeq: number;
  attachmentId: number;
  source: CopySource;
  reusedFromDossierId: number | null;
  at: Date;
  by: number | null;
}

/** Records `c` as the document's copy, replacing an earlier one; returns the attachment it replaced, if any. */
export async function recordCopy(trx: Kysely<DB>, c: CopyRecord): Promise<{ replacedAttachmentId: number | null }> {
  const prior = await trx
    .selectFrom('dossier_documents')
    .select('attachment_id')
    .where('dossier_id', '=', c.dossierId)
    .where('document_seq', '=', c.documentSeq)
    .executeTakeFirst();
  await trx
    .insertInto('dossier_documents')
    .values({
      dossier_id: c.dossierId,
      document_seq: c.documentSeq,
      attachment_id: c.attachmentId,
      source: c.source,
      reused_from_dossier_id: c.reusedFromDossierId,
      digitised_at: c.at,
      digitised_by: c.by,
    })
    .onConflict((oc) =>
      oc.constraint('dossier_documents_pkey').doUpdateSet({
        attachment_id: (eb) => eb.ref('excluded.attachment_id'),
        source: (eb) => eb.ref('excluded.source'),
        reused_from_dossier_id: (eb) => eb.ref('excluded.reused_from_dossier_id'),
        digitised_at: (eb) => eb.ref('excluded.digitised_at'),
        digitised_by: (eb) => eb.ref('excluded.digitised_by'),
      }),
    )
    .execute();
  return { replacedAttachmentId: prior && prior.attachment_id !== c.attachmentId ? prior.attachment_id : null };
}

/**
 * Files just linked to a dossier (a supplement's): each one given for a required document becomes
 * that document's copy (the newest papers the applicant provided); the first file of a document wins.
 */
export async function recordLinkedFiles(
  trx: Kysely<DB>,
  dossierId: number,
  files: ReadonlyArray<{ id: number; document_seq: number | null }>,
  source: 'upload' | 'scan',
  at: Date,
  by: number | null,
): Promise<void> {
  const first = new Map<number, number>();
  for (const f of [...files].sort((a, b) => a.id - b.id)) {
    if (f.document_seq !== null && !first.has(f.document_seq)) first.set(f.document_seq, f.id);
  }
  if (first.size === 0) return;
  await trx
    .insertInto('dossier_documents')
    .values(
      [...first].map(([seq, attachmentId]) => ({
        dossier_id: dossierId,
        document_seq: seq,
        attachment_id: attachmentId,
        source,
        reused_from_dossier_id: null,
        digitised_at: at,
        digitised_by: by,
      })),
    )
    .onConflict((oc) =>
      oc.constraint('dossier_documents_pkey').doUpdateSet({
        attachment_id: (eb) => eb.ref('excluded.attachment_id'),
        source: (eb) => eb.ref('excluded.source'),
        reused_from_dossier_id: sql<null>`null`,
        digitised_at: (eb) => eb.ref('excluded.digitised_at'),
        digitised_by: (eb) => eb.ref('excluded.digitised_by'),
      }),
    )
    .execute();
}
