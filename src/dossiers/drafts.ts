/**
 * Drafts of online submissions (one per applicant and procedure, see migration 006) and the
 * identity facts the portal prefills forms with.
 *
 * A draft may be incomplete — that is what it is for — but what it holds is checked as the
 * submission will be (types, formats, no unknown fields), so a saved draft never surprises the
 * applicant later with a wrong date or phone number.
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { normaliseFormData, validateFormData, type FormDefinition } from '../core/eform.js';
import type { Actor } from '../identity/actor.js';
import { requireActor, requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { badRequest, invalidField, notFound, type FieldError } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { AttachmentId, AttachmentView, listAttachments } from './attachments.js';

const ProcedureParams = Type.Object({ procedureCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' }) });

export const DraftBody = Type.Object(
  {
    caseCode: Type.String({ minLength: 1, maxLength: 40 }),
    formData: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 200, default: {} }),
    attachmentIds: Type.Array(AttachmentId, { maxItems: 50, uniqueItems: true, default: [] }),
  },
  { additionalProperties: false },
);
type DraftInput = Static<typeof DraftBody>;

export const DraftView = Type.Object({
  procedureCode: Type.String(),
  procedureName: Type.String(),
  caseCode: Type.String(),
  formData: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(AttachmentView),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PrefillView = Type.Object({
  fullName: Type.String(),
  idNumber: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()], { description: 'The identity provider\'s address claim (address.formatted), when given.' }),
});

const invalidDraft = (fields: FieldError[]) =>
  badRequest('invalid_input', 'The draft has invalid fields; see "fields".', 'Bản nháp có trường không hợp lệ; xem danh sách "fields".', fields);

async function saveDraft(ctx: AppContext, actor: Actor, procedureCode: string, input: DraftInput) {
  const pc = await ctx.db
    .selectFrom('procedures as p')
    .leftJoin('procedure_cases as c', (j) => j.onRef('c.procedure_code', '=', 'p.code').on('c.code', '=', input.caseCode))
    .select(['p.code', 'p.name', 'p.active', 'p.online_level', 'p.form', 'c.code as case_code'])
    .where('p.code', '=', procedureCode)
    .executeTakeFirst();
  if (!pc || !pc.active) throw notFound('Procedure', 'thủ tục', procedureCode);
  if (pc.online_level === 'none') {
    throw invalidField('procedureCode', 'this procedure cannot be submitted online; go to the one-stop desk', 'thủ tục này chưa cung cấp trực tuyến; vui lòng nộp tại Bộ phận Một cửa');
  }
  if (!pc.case_code) throw invalidField('caseCode', `procedure ${procedureCode} has no case "${input.caseCode}"`, `thủ tục ${procedureCode} không có trường hợp "${input.caseCode}"`);
  const form = pc.form as FormDefinition;
  const problems = validateFormData(form, input.formData, { partial: true });

  const ids = input.attachmentIds.map((x) => x.toLowerCase());
  if (ids.length) {
    const found = await ctx.db
      .selectFrom('attachments')
      .select(['public_id', 'owner_user_id', 'dossier_id', 'procedure_code'])
      .where('public_id', 'in', ids)
      .execute();
    ids.forEach((id, i) => {
      const a = found.find((x) => x.public_id === id);
      const at = `attachmentIds.${i}`;
      if (!a || a.owner_user_id !== actor.userId) problems.push({ field: at, message: 'no such upload of yours', messageVi: 'không có tệp này trong các tệp bạn đã tải lên' });
      else if (a.dossier_id !== null) problems.push({ field: at, message: 'already submitted with a dossier', messageVi: 'đã được nộp cùng một hồ sơ' });
      else if (a.procedure_code !== procedureCode) problems.push({ field: at, message: `was uploaded for procedure ${a.procedure_code}`, messageVi: `được tải lên cho thủ tục ${a.procedure_code}` });
    });
  }
  if (problems.length) throw invalidDraft(problems);

  const at = ctx.now();
  const formData = JSON.stringify(normaliseFormData(form, input.formData));
  const draftId = await ctx.db.transaction().execute(async (trx) => {
    const d = await trx
      .insertInto('dossier_drafts')
      .values({ owner_user_id: actor.userId, procedure_code: procedureCode, case_code: input.caseCode, form_data: formData, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['owner_user_id', 'procedure_code']).doUpdateSet({ case_code: input.caseCode, form_data: formData, updated_at: at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    // The draft lists exactly the given uploads: others it listed before are released (kept, not deleted).
    let release = trx.updateTable('attachments').set({ draft_id: null }).where('draft_id', '=', d.id);
    if (ids.length) release = release.where('public_id', 'not in', ids);
    await release.execute();
    if (ids.length) {
      await trx
        .updateTable('attachments')
        .set({ draft_id: d.id })
        .where('public_id', 'in', ids)
        .where('owner_user_id', '=', actor.userId)
        .where('dossier_id', 'is', null)
        .execute();
    }
    return d.id;
  });
  return loadDraft(ctx, actor, procedureCode, draftId);
}

async function loadDraft(ctx: AppContext, actor: Actor, procedureCode: string, id?: number) {
  let q = ctx.db
    .selectFrom('dossier_drafts as d')
    .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
    .select(['d.id', 'd.procedure_code', 'p.name as procedure_name', 'd.case_code', 'd.form_data', 'd.created_at', 'd.updated_at'])
    .where('d.owner_user_id', '=', actor.userId)
    .where('d.procedure_code', '=', procedureCode);
  if (id !== undefined) q = q.where('d.id', '=', id);
  const d = await q.executeTakeFirst();
  if (!d) throw notFound('Draft', 'bản nháp', procedureCode);
  return {
    procedureCode: d.procedure_code,
    procedureName: d.procedure_name,
    caseCode: d.case_code,
    formData: d.form_data,
    attachments: await listAttachments(ctx.db, { draftId: d.id }),
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  };
}

const MAX_DRAFTS_LISTED = 100;

export function registerDraftRoutes(app: App, ctx: AppContext): void {
  const citizen = (request: Parameters<typeof requireActor>[0]) => requireRole(request, ['citizen']);

  app.put(
    '/api/drafts/:procedureCode',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Lưu bản nháp / Save a draft',
        description: 'Citizens. One draft per procedure (saving again replaces it). formData may be incomplete, but every value given must be valid for the procedure\'s e-form; attachmentIds are your own uploads for this procedure, not yet submitted.',
        params: ProcedureParams,
        body: DraftBody,
        response: withErrors({ 200: DraftView }),
      },
    },
    async (request) => saveDraft(ctx, citizen(request), request.params.procedureCode, request.body),
  );

  app.get(
    '/api/drafts',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Bản nháp của tôi / My drafts',
        description: `Citizens; most recently saved first (at most ${MAX_DRAFTS_LISTED}).`,
        response: withErrors({
          200: Type.Object({
            items: Type.Array(Type.Object({ procedureCode: Type.String(), procedureName: Type.String(), caseCode: Type.String(), attachmentCount: Type.Integer(), updatedAt: Type.String({ format: 'date-time' }) })),
          }),
        }),
      },
    },
    async (request) => {
      const actor = citizen(request);
      const rows = await ctx.db
        .selectFrom('dossier_drafts as d')
        .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
        .select(['d.procedure_code', 'p.name', 'd.case_code', 'd.updated_at'])
        .select(sql<number>`(select count(*) from attachments a where a.draft_id = d.id)`.as('n'))
        .where('d.owner_user_id', '=', actor.userId)
        .orderBy('d.updated_at', 'desc')
        .limit(MAX_DRAFTS_LISTED)
        .execute();
      return {
        items: rows.map((r) => ({ procedureCode: r.procedure_code, procedureName: r.name, caseCode: r.case_code, attachmentCount: Number(r.n), updatedAt: r.updated_at.toISOString() })),
      };
    },
  );

  app.get(
    '/api/drafts/:procedureCode',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Mở bản nháp / Open a draft',
        params: ProcedureParams,
        response: withErrors({ 200: DraftView }),
      },
    },
    async (request) => loadDraft(ctx, citizen(request), request.params.procedureCode),
  );

  app.delete(
    '/api/drafts/:procedureCode',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Xóa bản nháp / Delete a draft',
        description: 'The uploads it listed are kept (delete them with DELETE /api/attachments/:id).',
        params: ProcedureParams,
        response: { 204: Type.Null(), ...withErrors({}) },
      },
    },
    async (request, reply) => {
      const actor = citizen(request);
      const r = await ctx.db
        .deleteFrom('dossier_drafts')
        .where('owner_user_id', '=', actor.userId)
        .where('procedure_code', '=', request.params.procedureCode)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFound('Draft', 'bản nháp', request.params.procedureCode);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/prefill',
    {
      schema: {
        tags: ['identity'],
        summary: 'Thông tin điền sẵn vào biểu mẫu / Identity facts for form prefill',
        description: 'The logged-in person\'s identity as the identity provider gave it; e-form fields with `prefill` take these values.',
        response: withErrors({ 200: PrefillView }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const u = await ctx.db.selectFrom('users').select(['full_name', 'id_number', 'phone', 'email', 'address']).where('id', '=', actor.userId).executeTakeFirst();
      if (!u) throw notFound('User', 'người dùng', String(actor.userId));
      return { fullName: u.full_name, idNumber: u.id_number, phone: u.phone, email: u.email, address: u.address };
    },
  );
}
