/**
 * A dossier's documents as the officials see them (thành phần hồ sơ, index group 5): each document
 * the procedure asks for in the dossier's case, its electronic copy if there is one (scanned at
 * the desk, uploaded online, or reused), and — for an official who may digitise it now — the
 * copies of the same document already digitised in the applicant's earlier dossiers (the
 * once-only principle: the same paper is not scanned twice).
 *
 * A reuse offer is a copy in an earlier dossier (submitted before this one, and received: a desk
 * has checked its papers) of the same applicant (the same ID number; a dossier without one gets
 * no offers) that the official may see, of a document with the same name (compared without case,
 * diacritics and extra spaces) or the same procedure and number. Staff only: an applicant never sees another dossier's documents here.
 */
import type { Kysely } from 'kysely';
import { allowedActions } from '../core/dossier-machine.js';
import { foldVietnamese } from '../core/text.js';
import { isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { forbidden, notFound } from '../platform/errors.js';
import { canAct, canSee } from './act.js';
import { rowToState, selectScopedDossier, type ScopedDossierRow } from './repository.js';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface CopyView {
  source: 'scan' | 'upload' | 'reuse';
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  digitisedAt: string;
  digitisedBy: string | null;
  /** For a reused copy: the earlier dossier it was taken from. */
  reusedFrom: string | null;
  downloadUrl: string;
}

export interface ReuseOffer {
  dossierCode: string;
  documentSeq: number;
  procedureCode: string;
  procedureName: string;
  documentName: Bilingual | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  digitisedAt: string;
  downloadUrl: string;
}

export interface DocumentView {
  seq: number;
  name: Bilingual;
  required: boolean;
  copies: number;
  originalRequired: boolean;
  copy: CopyView | null;
  reuseOffers: ReuseOffer[];
}

export interface DocumentsView {
  code: string;
  procedureCode: string;
  caseCode: string;
  /** May this official digitise the dossier's documents now (the action digitise is allowed to them)? */
  mayDigitise: boolean;
  /** Every required document has an electronic copy. */
  digitised: boolean;
  documents: DocumentView[];
}

/** Offers shown per document (newest first). */
const MAX_OFFERS = 10;
/** Copies of earlier dossiers read per request: one applicant's history, with room to spare. */
const MAX_CANDIDATES = 500;

const copyUrl = (code: string, seq: number) => `/api/dossiers/${encodeURIComponent(code)}/documents/${seq}/file`;
/** Document names compared as a person reads them: no case, no diacritics, single spaces. */
export const sameName = (a: string, b: string) => fold(a) === fold(b);
const fold = (s: string) => foldVietnamese(s).replace(/\s+/g, ' ').trim();

/** The dossier for a staff request; 403 for non-staff, 404 when out of sight (existence not revealed). */
export async function staffDossier(db: Kysely<DB>, actor: Actor, code: string): Promise<ScopedDossierRow> {
  if (!isStaff(actor)) throw forbidden('This is for officials only.', 'Chức năng này chỉ dành cho cán bộ.');
  const row = (await selectScopedDossier(db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

/** May the actor digitise this dossier's documents now (holds it, role and status allow)? */
export function mayDigitise(actor: Actor, row: ScopedDossierRow): boolean {
  return canAct(actor, row) && allowedActions(rowToState(row), { role: actor.role, userId: actor.userId, isOwner: false }).includes('digitise');
}

export interface CaseDocument {
  seq: number;
  name: string;
  name_en: string;
  required: boolean;
  copies: number;
  original_required: boolean;
}

/** The documents the procedure asks for in the dossier's case, in order. */
export async function caseDocuments(db: Kysely<DB>, row: Pick<ScopedDossierRow, 'procedure_code' | 'case_code'>): Promise<CaseDocument[]> {
  const docs = await db
    .selectFrom('procedure_documents')
    .select(['seq', 'name', 'name_en', 'required', 'copies', 'original_required', 'case_codes'])
    .where('procedure_code', '=', row.procedure_code)
    .orderBy('seq')
    .execute();
  return docs.filter((d) => d.case_codes.length === 0 || d.case_codes.includes(row.case_code)).map(({ case_codes: _c, ...d }) => d);
}

/** A copy in an earlier dossier of the same applicant, as found for offers. */
export interface Candidate {
  dossierId: number;
  attachmentId: number;
  offer: ReuseOffer;
  docName: string | null;
}

/**
 * Copies digitised in earlier, received dossiers of this dossier's applicant that the actor may
 * see, newest dossier first; none without an ID number.
 */
export async function earlierCopies(db: Kysely<DB>, actor: Actor, row: ScopedDossierRow): Promise<Candidate[]> {
  if (!row.applicant_id_number || !actor.unitPath) return [];
  const rows = await db
    .selectFrom('dossiers as o')
    .innerJoin('dossier_documents as dd', 'dd.dossier_id', 'o.id')
    .innerJoin('attachments as a', 'a.id', 'dd.attachment_id')
    .innerJoin('procedures as p', 'p.code', 'o.procedure_code')
    .innerJoin('units as cu', 'cu.code', 'o.current_unit')
    .innerJoin('units as ru', 'ru.code', 'o.receiving_unit')
    .innerJoin('units as du', 'du.code', 'o.deciding_unit')
    .leftJoin('procedure_documents as pd', (j) => j.onRef('pd.procedure_code', '=', 'o.procedure_code').onRef('pd.seq', '=', 'dd.document_seq'))
    .select([
      'o.id as dossier_id',
      'o.code',
      'o.owner_id',
      'o.procedure_code',
      'p.name as procedure_name',
      'cu.path as current_path',
      'ru.path as receiving_path',
      'du.path as deciding_path',
      'dd.document_seq',
      'dd.attachment_id',
      'dd.digitised_at',
      'a.file_name',
      'a.content_type',
      'a.size_bytes',
      'pd.name as doc_name',
      'pd.name_en as doc_name_en',
    ])
    .where('o.applicant_id_number', '=', row.applicant_id_number)
    .where('o.submitted_at', '<', row.submitted_at)
    .where('o.received_at', 'is not', null)
    .where('o.id', '<>', row.id)
    .orderBy('o.submitted_at', 'desc')
    .orderBy('o.id', 'desc')
    .orderBy('dd.document_seq')
    .limit(MAX_CANDIDATES)
    .execute();
  return rows
    .filter((r) => canSee(actor, r))
    .map((r) => ({
      dossierId: r.dossier_id,
      attachmentId: r.attachment_id,
      docName: r.doc_name,
      offer: {
        dossierCode: r.code,
        documentSeq: r.document_seq,
        procedureCode: r.procedure_code,
        procedureName: r.procedure_name,
        documentName: r.doc_name ? { vi: r.doc_name, en: r.doc_name_en || r.doc_name } : null,
        fileName: r.file_name,
        contentType: r.content_type,
        sizeBytes: Number(r.size_bytes),
        digitisedAt: r.digitised_at.toISOString(),
        downloadUrl: copyUrl(r.code, r.document_seq),
      },
    }));
}

/** The candidates that are copies of `doc` of `row`'s procedure: same name, or same procedure and number; one per file. */
export function offersFor(candidates: readonly Candidate[], row: Pick<ScopedDossierRow, 'procedure_code'>, doc: Pick<CaseDocument, 'seq' | 'name'>): Candidate[] {
  const seen = new Set<number>();
  return candidates.filter((c) => {
    const match = (c.offer.procedureCode === row.procedure_code && c.offer.documentSeq === doc.seq) || (c.docName !== null && sameName(c.docName, doc.name));
    if (!match || seen.has(c.attachmentId)) return false;
    seen.add(c.attachmentId);
    return true;
  });
}

/** GET /api/dossiers/:code/documents. */
export async function listDocuments(ctx: AppContext, actor: Actor, code: string): Promise<DocumentsView> {
  const row = await staffDossier(ctx.db, actor, code);
  return documentsView(ctx.db, actor, row);
}

export async function documentsView(db: Kysely<DB>, actor: Actor, row: ScopedDossierRow): Promise<DocumentsView> {
  const may = mayDigitise(actor, row);
  const [docs, copies, candidates] = await Promise.all([
    caseDocuments(db, row),
    db
      .selectFrom('dossier_documents as dd')
      .innerJoin('attachments as a', 'a.id', 'dd.attachment_id')
      .leftJoin('users as u', 'u.id', 'dd.digitised_by')
      .leftJoin('dossiers as r', 'r.id', 'dd.reused_from_dossier_id')
      .select(['dd.document_seq', 'dd.source', 'dd.digitised_at', 'a.file_name', 'a.content_type', 'a.size_bytes', 'a.sha256', 'u.full_name', 'r.code as reused_from'])
      .where('dd.dossier_id', '=', row.id)
      .execute(),
    may ? earlierCopies(db, actor, row) : Promise.resolve([]),
  ]);
  const documents = docs.map((d): DocumentView => {
    const c = copies.find((x) => x.document_seq === d.seq);
    return {
      seq: d.seq,
      name: { vi: d.name, en: d.name_en || d.name },
      required: d.required,
      copies: d.copies,
      originalRequired: d.original_required,
      copy: c
        ? {
            source: c.source,
            fileName: c.file_name,
            contentType: c.content_type,
            sizeBytes: Number(c.size_bytes),
            sha256: c.sha256,
            digitisedAt: c.digitised_at.toISOString(),
            digitisedBy: c.full_name ?? null,
            reusedFrom: c.reused_from ?? null,
            downloadUrl: copyUrl(row.code, d.seq),
          }
        : null,
      reuseOffers: offersFor(candidates, row, d)
        .slice(0, MAX_OFFERS)
        .map((o) => o.offer),
    };
  });
  return {
    code: row.code,
    procedureCode: row.procedure_code,
    caseCode: row.case_code,
    mayDigitise: may,
    digitised: documents.some((d) => d.copy) && documents.every((d) => !d.required || d.copy),
    documents,
  };
}

/** The stored copy of document `seq` of the dossier, for staff who may see the dossier; 404 otherwise. */
export async function copyFile(ctx: AppContext, actor: Actor, code: string, seq: number) {
  const row = await staffDossier(ctx.db, actor, code);
  const a = await ctx.db
    .selectFrom('dossier_documents as dd')
    .innerJoin('attachments as a', 'a.id', 'dd.attachment_id')
    .select(['a.storage_key', 'a.content_type', 'a.file_name', 'a.sha256'])
    .where('dd.dossier_id', '=', row.id)
    .where('dd.document_seq', '=', seq)
    .executeTakeFirst();
  if (!a) throw notFound('Digitised copy of document', 'bản số hóa của thành phần hồ sơ', `${code}/${seq}`);
  return a;
}
