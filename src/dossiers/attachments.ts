/**
 * Documents applicants upload for their dossiers (thành phần hồ sơ): upload, download, delete.
 *
 * An upload is checked whole before anything is kept: who is uploading, for which procedure and
 * which required document, its size and its real type (src/core/file-sniff.ts). Then the bytes
 * go to the file store and the row to the database; if the row cannot be written the bytes are
 * removed again, so a refused upload leaves neither a file nor a row.
 *
 * An attachment belongs to its uploader until it is submitted with a dossier (submit.ts); from
 * then on it belongs to the dossier: it can no longer be deleted, and the staff who may see the
 * dossier may download it.
 */
import crypto from 'node:crypto';
import multipart from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { checkUpload, SNIFF_BYTES } from '../core/file-sniff.js';
import type { Actor } from '../identity/actor.js';
import { requireActor } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { AppError, forbidden, invalidField, notFound } from '../platform/errors.js';
import { createFileStore, type FileStore } from '../platform/files.js';
import type { App } from '../platform/http.js';
import { rateLimit } from '../platform/rate-limit.js';
import { ErrorBody, withErrors } from '../platform/schemas.js';
import { canSee } from './act.js';
import { selectScopedDossier, type ScopedDossierRow } from './repository.js';

export const AttachmentId = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'Attachment id (UUID) returned by POST /api/attachments.',
});

export const AttachmentView = Type.Object(
  {
    id: Type.String(),
    procedureCode: Type.String(),
    documentSeq: Type.Union([Type.Integer(), Type.Null()], { description: 'Required document (procedure documents seq) this file is for; null = other.' }),
    documentName: Type.Union([Type.Object({ vi: Type.String(), en: Type.String() }), Type.Null()]),
    fileName: Type.String(),
    contentType: Type.String(),
    sizeBytes: Type.Integer(),
    sha256: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
);
export type AttachmentViewT = Static<typeof AttachmentView>;

/** Uploads per user per hour: generous for a family's paperwork, a wall for a script. */
export const UPLOAD_RATE = { limit: 60, windowSeconds: 3600 };
/** Applicants; desk officers scan walk-in papers; specialists scan papers to digitise them (digitise.ts). */
const UPLOAD_ROLES = ['citizen', 'desk_officer', 'specialist'] as const;

interface AttachmentRow {
  public_id: string;
  procedure_code: string;
  document_seq: number | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
  doc_name?: string | null;
  doc_name_en?: string | null;
}

export function attachmentView(r: AttachmentRow): AttachmentViewT {
  return {
    id: r.public_id,
    procedureCode: r.procedure_code,
    documentSeq: r.document_seq,
    documentName: r.doc_name ? { vi: r.doc_name, en: r.doc_name_en || r.doc_name } : null,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    createdAt: r.created_at.toISOString(),
  };
}

/** Attachments with the name of the document they satisfy, for a dossier or a draft. */
export async function listAttachments(db: Kysely<DB>, by: { dossierId: number } | { draftId: number }): Promise<AttachmentViewT[]> {
  let q = db
    .selectFrom('attachments as a')
    .leftJoin('procedure_documents as pd', (j) => j.onRef('pd.procedure_code', '=', 'a.procedure_code').onRef('pd.seq', '=', 'a.document_seq'))
    .select(['a.public_id', 'a.procedure_code', 'a.document_seq', 'a.file_name', 'a.content_type', 'a.size_bytes', 'a.sha256', 'a.created_at', 'pd.name as doc_name', 'pd.name_en as doc_name_en']);
  q = 'dossierId' in by ? q.where('a.dossier_id', '=', by.dossierId) : q.where('a.draft_id', '=', by.draftId);
  const rows = await q.orderBy('a.document_seq').orderBy('a.id').limit(500).execute();
  return rows.map(attachmentView);
}

/** The file name as kept: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string, fallbackExt: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/["<>|:*?]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .trim();
  if (base === '' || base === '.' || base === '..') return `tai-lieu.${fallbackExt}`;
  if (base.length <= 255) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot) : '';
  return base.slice(0, 255 - ext.length) + ext;
}

/** Bilingual errors for the multipart plugin's own errors (the size limit is answered by tooLarge). */
function uploadError(code: string): AppError | null {
  switch (code) {
    case 'FST_FILES_LIMIT':
      return new AppError(400, 'too_many_files', 'Send one file per upload.', 'Mỗi lần tải lên chỉ gửi một tệp.', [{ field: 'file', message: 'one file per upload', messageVi: 'mỗi lần chỉ một tệp' }]);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError(400, 'too_many_fields', 'Too many form fields; send procedureCode, documentSeq and file only.', 'Quá nhiều trường; chỉ gửi procedureCode, documentSeq và file.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data.', 'Hãy gửi tệp dưới dạng multipart/form-data.');
    case 'FST_PROTO_VIOLATION':
      return new AppError(400, 'invalid_input', 'A form field name is not allowed.', 'Tên trường không được phép.');
    default:
      return null;
  }
}

const tooLarge = (limit: number) => {
  const mb = Math.round((limit / 1_048_576) * 10) / 10;
  return new AppError(413, 'file_too_large', `The file is larger than ${mb} MB; scan at a lower resolution or split it, then try again.`, `Tệp lớn hơn ${mb} MB; hãy quét với độ phân giải thấp hơn hoặc tách nhỏ tệp rồi thử lại.`, [
    { field: 'file', message: `at most ${mb} MB`, messageVi: `tối đa ${mb} MB` },
  ]);
};

interface UploadInput {
  procedureCode: string;
  documentSeq: number | null;
  fileName: string;
  declaredType: string;
  bytes: Buffer;
}

async function readUpload(request: import('fastify').FastifyRequest, maxBytes: number): Promise<UploadInput> {
  if (!request.isMultipart()) throw uploadError('FST_INVALID_MULTIPART_CONTENT_TYPE')!;
  const fields: Record<string, string> = {};
  let file: { name: string; type: string; bytes: Buffer } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw invalidField(part.fieldname, 'unexpected file field; send the file as "file"', 'trường tệp không đúng; hãy gửi tệp trong trường "file"');
        }
        file = { name: part.filename ?? '', type: part.mimetype ?? '', bytes: await part.toBuffer() };
      } else {
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    const mapped = uploadError(code);
    if (mapped) throw mapped;
    throw err;
  }
  for (const k of Object.keys(fields)) {
    if (k !== 'procedureCode' && k !== 'documentSeq') throw invalidField(k, 'is not a field of this upload', 'không phải trường của yêu cầu tải lên');
  }
  const procedureCode = (fields.procedureCode ?? '').trim();
  if (!procedureCode || procedureCode.length > 40) throw invalidField('procedureCode', 'is required', 'là bắt buộc');
  let documentSeq: number | null = null;
  const rawSeq = (fields.documentSeq ?? '').trim();
  if (rawSeq !== '') {
    if (!/^[1-9][0-9]{0,2}$/.test(rawSeq)) throw invalidField('documentSeq', 'must be the number of a required document (1, 2, ...)', 'phải là số thứ tự của thành phần hồ sơ (1, 2, ...)');
    documentSeq = Number(rawSeq);
  }
  if (!file) throw invalidField('file', 'is required: choose a PDF, JPEG or PNG file', 'là bắt buộc: hãy chọn tệp PDF, JPEG hoặc PNG');
  if (file.bytes.length === 0) throw invalidField('file', 'is empty', 'là tệp rỗng');
  return { procedureCode, documentSeq, fileName: file.name, declaredType: file.type, bytes: file.bytes };
}

async function storeUpload(ctx: AppContext, files: FileStore, actor: Actor, input: UploadInput): Promise<AttachmentViewT> {
  const proc = await ctx.db
    .selectFrom('procedures as p')
    .leftJoin('procedure_documents as pd', (j) => j.onRef('pd.procedure_code', '=', 'p.code').on('pd.seq', '=', input.documentSeq ?? 0))
    .select(['p.code', 'p.active', 'pd.seq', 'pd.name', 'pd.name_en'])
    .where('p.code', '=', input.procedureCode)
    .executeTakeFirst();
  if (!proc || !proc.active) throw invalidField('procedureCode', `unknown procedure "${input.procedureCode}"`, `không có thủ tục "${input.procedureCode}"`);
  if (input.documentSeq !== null && proc.seq === null) {
    throw invalidField('documentSeq', `procedure ${proc.code} has no document number ${input.documentSeq}`, `thủ tục ${proc.code} không có thành phần hồ sơ số ${input.documentSeq}`);
  }
  const check = checkUpload(input.fileName, input.declaredType, input.bytes.subarray(0, SNIFF_BYTES));
  if (!check.ok) throw new AppError(415, check.code, check.message, check.messageVi, [{ field: 'file', message: check.message, messageVi: check.messageVi }]);

  const publicId = crypto.randomUUID();
  const at = ctx.now();
  const storageKey = `attachments/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${publicId}`;
  const sha256 = crypto.createHash('sha256').update(input.bytes).digest('hex');
  const ext = check.contentType === 'application/pdf' ? 'pdf' : check.contentType === 'image/png' ? 'png' : 'jpg';
  await files.put(storageKey, input.bytes, check.contentType);
  try {
    const row = await ctx.db
      .insertInto('attachments')
      .values({
        public_id: publicId,
        owner_user_id: actor.userId,
        procedure_code: proc.code,
        document_seq: input.documentSeq,
        file_name: cleanFileName(input.fileName, ext),
        content_type: check.contentType,
        size_bytes: input.bytes.length,
        sha256,
        storage_key: storageKey,
        created_at: at,
      })
      .returning(['public_id', 'procedure_code', 'document_seq', 'file_name', 'content_type', 'size_bytes', 'sha256', 'created_at'])
      .executeTakeFirstOrThrow();
    return attachmentView({ ...row, doc_name: proc.name, doc_name_en: proc.name_en });
  } catch (err) {
    await files.delete(storageKey).catch(() => undefined);
    throw err;
  }
}

/** The attachment if the actor may read it: its uploader, or whoever may see the dossier it was submitted with. */
async function readableAttachment(ctx: AppContext, actor: Actor, id: string) {
  const a = await ctx.db.selectFrom('attachments').selectAll().where('public_id', '=', id.toLowerCase()).executeTakeFirst();
  if (!a) return null;
  if (a.owner_user_id === actor.userId) return a;
  if (a.dossier_id === null) return null;
  const d = (await selectScopedDossier(ctx.db).where('d.id', '=', a.dossier_id).executeTakeFirst()) as ScopedDossierRow | undefined;
  return d && canSee(actor, d) ? a : null;
}

/** RFC 6266 content-disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function registerAttachmentRoutes(app: App, ctx: AppContext, files: FileStore = createFileStore(ctx.config)): void {
  const maxBytes = ctx.config.files.maxUploadBytes;
  const Params = Type.Object({ id: AttachmentId });

  // Multipart only here, with tight limits: one file, three small fields.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { files: 1, fileSize: maxBytes, fields: 3, fieldSize: 200, parts: 4, fieldNameSize: 50, headerPairs: 100 },
    });
    scope.post(
      '/api/attachments',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Tải lên thành phần hồ sơ / Upload a document',
          description: `multipart/form-data with fields procedureCode, documentSeq (optional: which required document, see the procedure's documents[].seq) and one file (PDF, JPEG or PNG, at most ${Math.round(maxBytes / 1_048_576)} MB). The content is checked: a file whose bytes are not PDF/JPEG/PNG, or whose name or declared type disagree with its bytes, is refused (415). Citizens, desk officers and specialists (scans to digitise); ${UPLOAD_RATE.limit} uploads per hour per user.`,
          consumes: ['multipart/form-data'],
          response: { ...withErrors({ 201: AttachmentView }), 413: ErrorBody, 415: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        if (!(UPLOAD_ROLES as readonly string[]).includes(actor.role)) {
          throw forbidden('Only applicants, desk officers and specialists upload documents.', 'Chỉ người nộp hồ sơ, cán bộ một cửa và chuyên viên được tải lên giấy tờ.');
        }
        await rateLimit(ctx.db, `upload:user:${actor.userId}`, UPLOAD_RATE, ctx.now());
        const input = await readUpload(request, maxBytes);
        const view = await storeUpload(ctx, files, actor, input);
        reply.header('location', `/api/attachments/${view.id}`);
        return reply.status(201).send(view);
      },
    );
  });

  app.get(
    '/api/attachments/:id',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Tải về thành phần hồ sơ / Download a document',
        description: 'The uploader, the applicant who owns the dossier, or staff whose jurisdiction covers the dossier. 404 otherwise (existence is not revealed).',
        params: Params,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file.' }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const a = await readableAttachment(ctx, actor, request.params.id);
      if (!a) throw notFound('Attachment', 'tệp đính kèm', request.params.id);
      const bytes = await files.get(a.storage_key);
      if (!bytes) {
        throw new AppError(500, 'file_missing', 'The stored file is missing; the administrator has been told.', 'Không tìm thấy tệp đã lưu; quản trị viên đã được thông báo.');
      }
      return reply
        .header('content-type', a.content_type)
        .header('content-length', String(bytes.byteLength))
        .header('content-disposition', contentDisposition(a.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('etag', `"${a.sha256}"`)
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  app.delete(
    '/api/attachments/:id',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Xóa tệp đã tải lên / Delete an upload',
        description: 'The uploader, while the file is not yet part of a submitted dossier (409 after).',
        params: Params,
        response: { 204: Type.Null(), ...withErrors({}) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = request.params.id.toLowerCase();
      const gone = await ctx.db
        .deleteFrom('attachments')
        .where('public_id', '=', id)
        .where('owner_user_id', '=', actor.userId)
        .where('dossier_id', 'is', null)
        .returning('storage_key')
        .executeTakeFirst();
      if (!gone) {
        const a = await ctx.db.selectFrom('attachments').select(['owner_user_id', 'dossier_id']).where('public_id', '=', id).executeTakeFirst();
        if (a && a.owner_user_id === actor.userId && a.dossier_id !== null) {
          throw new AppError(409, 'attachment_submitted', 'This file was submitted with a dossier and can no longer be deleted.', 'Tệp này đã được nộp cùng hồ sơ nên không thể xóa.');
        }
        throw notFound('Attachment', 'tệp đính kèm', request.params.id);
      }
      await files.delete(gone.storage_key).catch((err: unknown) => request.log.warn({ err }, 'attachment file not deleted'));
      return reply.status(204).send(null);
    },
  );
}
