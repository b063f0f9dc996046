/**
 * HTTP routes of a dossier's documents and their digitisation (documents.ts, digitise.ts), for
 * officials: the documents with their electronic copies and reuse offers, digitising one, and
 * downloading a copy. Thin: parse, call, answer.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { requireActor, requireStaff } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField } from '../platform/errors.js';
import { createFileStore, type FileStore } from '../platform/files.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { AttachmentId, contentDisposition } from './attachments.js';
import { digitiseDocument, type DigitiseInput } from './digitise.js';
import { copyFile, listDocuments } from './documents.js';

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code, e.g. H15.001-260302-0001' });
const Seq = Type.Integer({ minimum: 1, maximum: 999, description: "The document's number in the procedure (documents[].seq)." });
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const NStr = Type.Union([Type.String(), Type.Null()]);

const IdempotencyHeaders = Type.Object(
  { 'idempotency-key': Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-chosen key; a repeat with the same key changes nothing more.' }) },
  { additionalProperties: true },
);

const Copy = Type.Object({
  source: Type.Union([Type.Literal('scan'), Type.Literal('upload'), Type.Literal('reuse')], { description: 'scan: by an official; upload: by the applicant online; reuse: from an earlier dossier.' }),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  digitisedAt: Type.String({ format: 'date-time' }),
  digitisedBy: NStr,
  reusedFrom: Type.Union([Type.String(), Type.Null()], { description: 'The earlier dossier a reused copy was taken from.' }),
  downloadUrl: Type.String(),
});

const Offer = Type.Object({
  dossierCode: Type.String(),
  documentSeq: Type.Integer(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  documentName: Type.Union([Name, Type.Null()]),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  digitisedAt: Type.String({ format: 'date-time' }),
  downloadUrl: Type.String(),
});

const Document = Type.Object({
  seq: Type.Integer(),
  name: Name,
  required: Type.Boolean(),
  copies: Type.Integer(),
  originalRequired: Type.Boolean(),
  copy: Type.Union([Copy, Type.Null()]),
  reuseOffers: Type.Array(Offer, { description: 'Copies of this document in earlier dossiers of the same applicant, when you may digitise now.' }),
});

const Documents = Type.Object({
  code: Type.String(),
  procedureCode: Type.String(),
  caseCode: Type.String(),
  mayDigitise: Type.Boolean(),
  digitised: Type.Boolean({ description: 'Every required document has an electronic copy.' }),
  documents: Type.Array(Document),
});

const DigitiseBody = Type.Object(
  {
    attachmentId: Type.Optional(AttachmentId),
    reuseFrom: Type.Optional(
      Type.Object(
        { dossierCode: Code, documentSeq: Seq },
        { additionalProperties: false, description: 'One of the reuseOffers of GET /api/dossiers/:code/documents.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'Either attachmentId (your scan, uploaded with POST /api/attachments) or reuseFrom.' },
);

function idempotencyKey(request: FastifyRequest): string {
  const v = request.headers['idempotency-key'];
  return (Array.isArray(v) ? v[0] : v) as string;
}

export function registerDocumentRoutes(app: App, ctx: AppContext, files: FileStore = createFileStore(ctx.config)): void {
  app.get(
    '/api/dossiers/:code/documents',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Thành phần hồ sơ và bản số hóa / A dossier’s documents and their electronic copies',
        description:
          'Officials who may see the dossier. Every document the procedure asks for in the dossier’s case, its electronic copy if any, and — when you may digitise now (mayDigitise) — copies of the same document (same name, or same procedure and number) in earlier dossiers of the same applicant (same ID number) within your jurisdiction, to reuse.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: Documents }),
      },
    },
    async (request) => listDocuments(ctx, requireStaff(request), request.params.code),
  );

  app.post(
    '/api/dossiers/:code/documents/:seq/digitise',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Số hóa một thành phần hồ sơ / Digitise a document',
        description:
          'The desk officer or specialist of the unit holding a received dossier (status 2, 4, 5, 6 or 9) records the electronic copy of document :seq: { attachmentId } — your scan uploaded with POST /api/attachments for this procedure, or a file of this dossier — or { reuseFrom: { dossierCode, documentSeq } } — one of the reuse offers (no bytes are copied). A newer copy replaces the old one. Recorded as the action "digitise" in the dossier’s history. 404 unknown document; 409 when the dossier’s status does not allow it.',
        params: Type.Object({ code: Code, seq: Seq }),
        headers: IdempotencyHeaders,
        body: DigitiseBody,
        response: withErrors({ 200: Document }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      if (b.attachmentId !== undefined && b.reuseFrom !== undefined) {
        throw new AppError(400, 'invalid_input', 'Give either attachmentId (a scan) or reuseFrom (an earlier copy), not both.', 'Chỉ gửi một trong hai: attachmentId (bản quét) hoặc reuseFrom (bản đã số hóa trước đó).', [
          { field: 'reuseFrom', message: 'not together with attachmentId', messageVi: 'không gửi cùng attachmentId' },
        ]);
      }
      if (b.attachmentId === undefined && b.reuseFrom === undefined) {
        throw invalidField('attachmentId', 'is required (or reuseFrom): upload the scan first', 'là bắt buộc (hoặc reuseFrom): hãy tải bản quét lên trước');
      }
      const input: DigitiseInput = b.reuseFrom ? { reuseFrom: b.reuseFrom } : { attachmentId: b.attachmentId! };
      const r = await digitiseDocument(ctx, actor, request.params.code, request.params.seq, input, idempotencyKey(request));
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return r.document;
    },
  );

  app.get(
    '/api/dossiers/:code/documents/:seq/file',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Tải bản số hóa / Download a digitised copy',
        description: 'Officials who may see the dossier (also for a copy reused from a dossier outside their jurisdiction). 404 when the document has no copy.',
        params: Type.Object({ code: Code, seq: Seq }),
        response: withErrors({ 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file.' }) }),
      },
    },
    async (request, reply) => {
      const a = await copyFile(ctx, requireStaff(request), request.params.code, request.params.seq);
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
}
