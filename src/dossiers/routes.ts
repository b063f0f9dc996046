/** HTTP routes of the dossier core. Thin: parse, call the use case, answer. */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { requireActor, requireStaff } from '../identity/http-auth.js';
import type { App } from '../platform/http.js';
import type { AppContext } from '../platform/context.js';
import { Cursor, withErrors } from '../platform/schemas.js';
import { actOnDossier } from './act.js';
import { getDossier, getHistory, myDossiers, scopedView, workQueue } from './queries.js';
import { SubmitAttachments, submitDossier } from './submit.js';
import { AttachmentView } from './attachments.js';
import { registerImportRoute } from './import.js';
import { ActionBody, toCommand } from './commands.js';
import { QueueFilterQuery } from './queue-schema.js';

const IdempotencyHeaders = Type.Object(
  { 'idempotency-key': Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-chosen key; a repeat with the same key returns the same result.' }) },
  { additionalProperties: true },
);

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code, e.g. H15.001-260302-0001' });
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());

export const DossierView = Type.Object(
  {
    code: Type.String(),
    procedureCode: Type.String(),
    procedureName: NStr,
    caseCode: Type.String(),
    channel: Type.Integer(),
    status: Type.String(),
    statusCode: Type.Integer({ minimum: 1, maximum: 10 }),
    statusName: Name,
    receivingUnit: Type.String(),
    decidingUnit: Type.String(),
    currentUnit: Type.String(),
    currentStep: Type.String(),
    stepDueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Staff only: when the current step is due by its norm (never after the appointment).' }),
    assigneeId: Type.Union([Type.Integer(), Type.Null()]),
    applicant: Type.Object({ type: Type.String(), name: Type.String(), idNumber: NStr, phone: NStr, email: NStr, address: NStr }),
    formData: Type.Record(Type.String(), Type.Unknown()),
    submittedAt: Type.String({ format: 'date-time' }),
    receivedAt: NStr,
    appointmentAt: NStr,
    legalAppointmentAt: NStr,
    clockPaused: Type.Boolean(),
    supplementRequestCount: Type.Integer(),
    apologyCount: Type.Integer(),
    feeAmount: Type.Union([Type.Integer(), Type.Null()]),
    paidAt: NStr,
    transferSentAt: NStr,
    transferReceivedAt: NStr,
    transferReturnedAt: NStr,
    finishedAt: NStr,
    returnedAt: NStr,
    timeliness: NStr,
    pendingTimeliness: NStr,
    allowedActions: Type.Array(Type.String()),
    version: Type.Integer(),
    attachments: Type.Optional(Type.Array(AttachmentView, { description: 'Documents submitted (uploads), with the required document each is for; in GET /api/dossiers/:code and the submit response.' })),
    signedResult: Type.Optional(
      Type.Union(
        [Type.Object({ verificationCode: Type.String(), signedAt: Type.String({ format: 'date-time' }), downloadUrl: Type.String(), verifyUrl: Type.String() }), Type.Null()],
        { description: 'GET /api/dossiers/:code only: the digitally signed result, once issued (null before).' },
      ),
    ),
  },
  { $id: 'Dossier' },
);

const SubmitBody = Type.Object(
  {
    procedureCode: Type.String({ minLength: 1, maxLength: 40 }),
    caseCode: Type.String({ minLength: 1, maxLength: 40 }),
    channel: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
    receivingUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    decidingUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    applicant: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Union([Type.Literal('citizen'), Type.Literal('business')])),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          idNumber: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{6,20}$' })),
          phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9]{8,15}$' })),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
          address: Type.Optional(Type.String({ maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
    ),
    formData: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 200 })),
    pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    attachments: SubmitAttachments,
    postalTrackingNumber: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$', description: 'Postal dossiers (channel 3): tracking number (mã bưu gửi) of the parcel that brought it, e.g. EE123456789VN.' }),
    ),
  },
  { additionalProperties: false },
);

function idempotencyKey(request: FastifyRequest): string {
  const v = request.headers['idempotency-key'];
  return (Array.isArray(v) ? v[0] : v) as string;
}

export function registerDossierRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Nộp hồ sơ / Submit a dossier',
        description:
          'Citizens submit online (channel 2; status 1 until the desk receives it). Desk officers record walk-in (1) or postal (3) dossiers, received at once with an appointment. A repeat with the same Idempotency-Key returns the same dossier (200 instead of 201).',
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: withErrors({ 200: DossierView, 201: DossierView }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const r = await submitDossier(ctx, actor, request.body, idempotencyKey(request));
      const view = r.row ? scopedView(r.row, actor, ctx.now()) : await getDossier(ctx, actor, r.code);
      reply.header('location', `/api/dossiers/${r.code}`);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send(view);
    },
  );

  app.get(
    '/api/dossiers/:code',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Xem hồ sơ / A dossier',
        description: 'Staff whose jurisdiction holds, received or decides the dossier, or the applicant who owns it.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: DossierView }),
      },
    },
    async (request) => getDossier(ctx, requireActor(request), request.params.code),
  );

  app.get(
    '/api/dossiers/:code/history',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Lịch sử xử lý / History of a dossier',
        params: Type.Object({ code: Code }),
        response: withErrors({
          200: Type.Object({
            code: Type.String(),
            items: Type.Array(
              Type.Object({
                seq: Type.Integer(),
                type: Type.String(),
                typeName: Name,
                at: Type.String(),
                actorRole: Type.String(),
                actorName: NStr,
                actorUnit: NStr,
                fromStatus: Type.Union([Type.Integer(), Type.Null()]),
                toStatus: Type.Integer(),
                fromUnit: NStr,
                toUnit: NStr,
                fromStep: NStr,
                toStep: NStr,
                stepTimeliness: NStr,
                reason: NStr,
                payload: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
          }),
        }),
      },
    },
    async (request) => getHistory(ctx, requireActor(request), request.params.code),
  );

  app.post(
    '/api/dossiers/:code/actions',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Thao tác trên hồ sơ / Act on a dossier',
        description:
          'Types: receive, refuse{reason}, assign{assigneeId}, forward{toStep?,toUnit?,assigneeId?}, accept_transfer, request_supplement{reason,missing[]}, supplement{documents?,attachmentIds?}, request_payment{amount}, confirm_payment{method?}, apologize{reason,newAppointmentAt}, stop{reason}, withdraw{reason}, finish{resultSummary?}, return_result{method:in_person|online|post,trackingNumber?}. 409 when the action is not allowed from the current status; nothing changes.',
        params: Type.Object({ code: Code }),
        headers: IdempotencyHeaders,
        body: ActionBody,
        response: withErrors({ 200: DossierView }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const cmd = toCommand(request.body);
      const r = await actOnDossier(ctx, actor, request.params.code, cmd, idempotencyKey(request), { attachmentIds: request.body.attachmentIds });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return r.row ? scopedView(r.row, actor, ctx.now()) : getDossier(ctx, actor, request.params.code);
    },
  );

  const QueueItem = Type.Object({
    code: Type.String(),
    procedureCode: Type.String(),
    procedureName: NStr,
    status: Type.String(),
    statusCode: Type.Integer(),
    channel: Type.Integer(),
    applicantName: Type.String(),
    currentUnit: Type.String(),
    currentStep: Type.String(),
    submittedAt: Type.String(),
    appointmentAt: NStr,
    pendingTimeliness: NStr,
  });

  app.get(
    '/api/work/dossiers',
    {
      schema: {
        tags: ['work'],
        summary: 'Hàng đợi hồ sơ của cán bộ / Staff work queue',
        description:
          'Dossiers held by a unit in your jurisdiction (default: open ones, status 1, 2, 4, 5, 6), soonest appointment first; keyset-paginated. `step=mine`: at a step your role works at, unassigned or assigned to you (default statuses 2, 4, 9: the "at my step" queue). Filters: procedure, field, channel, applicant (ID number or phone exact, otherwise part of the name), assignee=me. The tab counts (GET /api/work/counts) take the same filters.',
        querystring: Type.Object(
          {
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 10 }), { maxItems: 10 })),
            due: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('today'), Type.Literal('soon')])),
            step: Type.Optional(Type.Literal('mine', { description: 'At a step your role works at (desk officer: desk, return; specialist: specialist; unit leader: leader, signing).' })),
            ...QueueFilterQuery,
            assignee: Type.Optional(Type.Literal('me')),
            cursor: Type.Optional(Cursor),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(QueueItem), nextCursor: NStr }) }),
      },
    },
    async (request) => workQueue(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/me/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Hồ sơ của tôi / My dossiers (applicant)',
        querystring: Type.Object(
          { cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(DossierView), nextCursor: NStr }) }),
      },
    },
    async (request) => myDossiers(ctx, requireActor(request), request.query.cursor, request.query.limit ?? 20),
  );

  registerImportRoute(app, ctx);
}
