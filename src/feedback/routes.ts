/** HTTP routes of ratings and complaints (phản ánh, kiến nghị). Thin: parse, call, answer. */
import { Type } from '@sinclair/typebox';
import { MAX_COMPLAINT_CONTENT, MAX_RATING_COMMENT } from '../core/feedback.js';
import { requireActor, requireStaff } from '../identity/http-auth.js';
import type { App } from '../platform/http.js';
import type { AppContext } from '../platform/context.js';
import { Cursor, withErrors } from '../platform/schemas.js';
import { answerComplaint, fileComplaint, getComplaint, markProcessing, myComplaints, staffComplaints } from './complaints.js';
import { getRating, rateDossier } from './ratings.js';

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code' });
const ComplaintCode = Type.String({ maxLength: 80, pattern: '^PAKN-[A-Z0-9.]+-\\d{6}-\\d{4,}$', description: 'Complaint code, e.g. PAKN-H15.001-260302-0001' });
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const NStr = Type.Union([Type.String(), Type.Null()]);
const Level = Type.Union([Type.Literal('very_satisfied'), Type.Literal('satisfied'), Type.Literal('dissatisfied')], {
  description: 'Rất hài lòng / Hài lòng / Không hài lòng',
});
const Category = Type.Union([Type.Literal('phan_anh'), Type.Literal('kien_nghi')], { description: 'Phản ánh / Kiến nghị' });
const ComplaintStatus = Type.Union([Type.Literal('received'), Type.Literal('processing'), Type.Literal('answered')]);

const RatingView = Type.Object({
  dossierCode: Type.String(),
  rating: Type.Union([Type.Object({ level: Level, levelName: Name, comment: NStr, createdAt: Type.String() }), Type.Null()]),
  canRate: Type.Boolean(),
});

const ComplaintView = Type.Object(
  {
    code: Type.String(),
    category: Category,
    categoryName: Name,
    dossierCode: NStr,
    unitCode: Type.String(),
    unitName: NStr,
    content: Type.String(),
    receivedAt: Type.String(),
    dueAt: Type.String({ description: '15 working days after receipt, by the unit’s calendar.' }),
    status: ComplaintStatus,
    statusName: Name,
    answer: NStr,
    answeredAt: NStr,
    answeredBy: Type.Union([Type.Integer(), Type.Null()]),
    timeliness: Type.Union([Type.Literal('on_time'), Type.Literal('late'), Type.Literal('pending'), Type.Literal('overdue')]),
    answeredOnTime: Type.Union([Type.Boolean(), Type.Null()]),
    overdue: Type.Boolean(),
  },
  { $id: 'Complaint' },
);

const ComplaintPage = Type.Object({ items: Type.Array(ComplaintView), nextCursor: NStr });

export function registerFeedbackRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/dossiers/:code/rating',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Đánh giá mức độ hài lòng / Rate the service',
        description: 'By the applicant who owns the dossier, once the result is ready (9) or returned (10). Once per dossier: a second rating → 409.',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          { level: Level, comment: Type.Optional(Type.String({ maxLength: MAX_RATING_COMMENT })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: RatingView }),
      },
    },
    async (request, reply) => reply.status(201).send(await rateDossier(ctx, requireActor(request), request.params.code, request.body)),
  );

  app.get(
    '/api/dossiers/:code/rating',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Đánh giá của hồ sơ / The dossier’s rating',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: RatingView }),
      },
    },
    async (request) => getRating(ctx, requireActor(request), request.params.code),
  );

  app.post(
    '/api/complaints',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Gửi phản ánh, kiến nghị / File a complaint or recommendation',
        description:
          'By a logged-in applicant, about a dossier they own (goes to its receiving unit) or about a unit. Due 15 working days after receipt by that unit’s working calendar.',
        body: Type.Object(
          {
            category: Category,
            content: Type.String({ minLength: 1, maxLength: MAX_COMPLAINT_CONTENT }),
            dossierCode: Type.Optional(Code),
            unitCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: ComplaintView, 429: withErrors({})[400] }),
      },
    },
    async (request, reply) => reply.status(201).send(await fileComplaint(ctx, requireActor(request), request.body)),
  );

  app.get(
    '/api/me/complaints',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Phản ánh, kiến nghị của tôi / My complaints',
        querystring: Type.Object(
          { cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: ComplaintPage }),
      },
    },
    async (request) => myComplaints(ctx, requireActor(request), request.query.cursor, request.query.limit ?? 20),
  );

  app.get(
    '/api/complaints',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Phản ánh, kiến nghị của đơn vị / Complaints of my unit',
        description: 'Staff: complaints to their unit and the units below it, soonest due first; keyset-paginated. overdue=true: not answered and past due.',
        querystring: Type.Object(
          {
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(Type.Array(ComplaintStatus, { maxItems: 3 })),
            overdue: Type.Optional(Type.Boolean()),
            cursor: Type.Optional(Cursor),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: ComplaintPage }),
      },
    },
    async (request) => staffComplaints(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/complaints/:code',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Một phản ánh, kiến nghị / A complaint',
        params: Type.Object({ code: ComplaintCode }),
        response: withErrors({ 200: ComplaintView }),
      },
    },
    async (request) => getComplaint(ctx, requireActor(request), request.params.code),
  );

  app.post(
    '/api/complaints/:code/processing',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Tiếp nhận xử lý phản ánh / Start handling a complaint',
        description: 'Desk officer or leader of the unit (or a unit above it): received → processing.',
        params: Type.Object({ code: ComplaintCode }),
        response: withErrors({ 200: ComplaintView }),
      },
    },
    async (request) => markProcessing(ctx, requireStaff(request), request.params.code),
  );

  app.post(
    '/api/complaints/:code/answer',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Trả lời phản ánh, kiến nghị / Answer a complaint',
        description: 'Desk officer or leader of the unit (or a unit above it). Records whether it was answered within the 15 working days. Once: a second answer → 409.',
        params: Type.Object({ code: ComplaintCode }),
        body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: MAX_COMPLAINT_CONTENT }) }, { additionalProperties: false }),
        response: withErrors({ 200: ComplaintView }),
      },
    },
    async (request) => answerComplaint(ctx, requireStaff(request), request.params.code, request.body.answer),
  );
}
