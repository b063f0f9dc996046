/**
 * HTTP routes for following a dossier: its public timeline, the anonymous lookup by code plus
 * phone or ID number, and the receipt (form 1) as JSON and PDF.
 */
import { Type } from '@sinclair/typebox';
import { requireActor } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { ErrorBody, withErrors } from '../platform/schemas.js';
import { LookupRateLimited, lookupDossier } from './lookup.js';
import { receiptData, receiptPdf } from './receipt.js';
import { getTimeline } from './timeline.js';

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code, e.g. H15.001-260302-0001' });
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const NStr = Type.Union([Type.String(), Type.Null()]);
const NInt = Type.Union([Type.Integer(), Type.Null()]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Step = Type.Object({
  kind: Type.String({ description: 'submitted | received | refused | processing | transferred | transfer_returned | supplement_requested | supplemented | payment_requested | paid | apology | appointment_changed | result_ready | returned | stopped | withdrawn | status_changed | appointment (upcoming)' }),
  at: Type.String({ format: 'date-time' }),
  label: Name,
  statusCode: NInt,
  upcoming: Type.Boolean(),
  reason: NStr,
  missing: Nullable(Type.Array(Type.String())),
  documents: Nullable(Type.Array(Type.String())),
  appointmentAt: NStr,
  previousAppointmentAt: NStr,
  amount: NInt,
  returnMethod: NStr,
  returnMethodLabel: Nullable(Name),
  trackingNumber: NStr,
  timeliness: NStr,
});

export const TimelineBody = Type.Object(
  {
    code: Type.String(),
    procedure: Type.Object({ code: Type.String(), name: Type.String(), nameEn: NStr }),
    case: Type.Object({ code: Type.String(), name: Type.String(), nameEn: NStr }),
    channel: Type.Object({ code: Type.Integer(), vi: Type.String(), en: Type.String() }),
    receivingUnit: Type.Object({ code: Type.String(), name: Type.String(), nameEn: NStr }),
    status: Type.Object({ code: Type.Integer(), slug: Type.String(), vi: Type.String(), en: Type.String() }),
    submittedAt: Type.String({ format: 'date-time' }),
    receivedAt: NStr,
    appointmentAt: NStr,
    timeliness: Type.Object(
      { code: Type.String(), vi: Type.String(), en: Type.String() },
      { description: 'early | on_time | late (finished); within_limit | overdue (open, clock running); paused (waiting for a supplement); not_started (not received yet); not_applicable' },
    ),
    clockPaused: Type.Boolean(),
    missing: Nullable(
      Type.Object(
        { requestedAt: Type.String(), reason: NStr, items: Type.Array(Type.String()) },
        { description: 'While a supplement is requested: the reason and everything missing, exactly as the desk wrote them.' },
      ),
    ),
    steps: Type.Array(Step),
  },
  { $id: 'DossierTimeline' },
);

const ReceiptBody = Type.Object({
  kind: Type.Union([Type.Literal('receipt'), Type.Literal('online_submission')]),
  title: Name,
  formReference: Type.String(),
  demo: Type.Boolean(),
  code: Type.String(),
  issuer: Type.Object({ unitCode: Type.String(), parentName: NStr, name: Type.String(), unitName: Type.String(), unitNameEn: NStr, place: Type.String() }),
  applicant: Type.Object({ type: Type.String(), name: Type.String(), idNumber: NStr, phone: NStr, email: NStr, address: NStr }),
  procedure: Type.Object({ code: Type.String(), name: Type.String(), nameEn: NStr }),
  case: Type.Object({ code: Type.String(), name: Type.String(), nameEn: NStr }),
  channel: Type.Object({ code: Type.Integer(), vi: Type.String(), en: Type.String() }),
  status: Type.Object({ code: Type.Integer(), vi: Type.String(), en: Type.String() }),
  documentsSource: Type.Union([Type.Literal('attachments'), Type.Literal('catalog')]),
  documents: Type.Array(
    Type.Object({
      seq: NInt,
      name: Type.String(),
      nameEn: NStr,
      copies: NInt,
      originalRequired: Nullable(Type.Boolean()),
      files: Type.Array(Type.Object({ id: Type.String(), fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() })),
    }),
  ),
  timeLimit: Name,
  submittedAt: Type.String(),
  receivedAt: NStr,
  appointmentAt: NStr,
  feeAmount: NInt,
  resultPlace: Name,
  receivedBy: Nullable(Type.Object({ name: Type.String() })),
  pdfUrl: Type.String(),
});

export function registerFollowRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/dossiers/:code/timeline',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Tiến trình hồ sơ / Public timeline of a dossier',
        description:
          'The steps the applicant sees (internal hand-overs hidden), the appointment, early/on time/late, and what is missing while a supplement is requested. For the applicant who owns it and staff in scope; 404 otherwise.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: TimelineBody }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return getTimeline(ctx, requireActor(request), request.params.code);
    },
  );

  app.post(
    '/api/lookup',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Tra cứu hồ sơ / Look a dossier up (no login)',
        description:
          'By dossier code plus the applicant’s phone number (spaces and +84 accepted) or ID number. Same 404 for a wrong code, a wrong phone/ID or both. Limited to 10 lookups a minute per client address and 20 an hour per code (429 with Retry-After). No personal data in the answer.',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 60 }),
            phoneOrIdNumber: Type.String({ minLength: 1, maxLength: 40 }),
          },
          { additionalProperties: false },
        ),
        response: { ...withErrors({ 200: TimelineBody }), 429: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        return await lookupDossier(ctx, request.body, request.ip);
      } catch (err) {
        if (err instanceof LookupRateLimited) reply.header('retry-after', String(err.retryAfterSeconds));
        throw err;
      }
    },
  );

  app.get(
    '/api/dossiers/:code/receipt',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01) / Receipt (form 1)',
        description:
          'What form 1 of Circular 03/2025/TT-VPCP shows. An online dossier not yet received gets a confirmation of online submission instead (kind "online_submission", no appointment, no receiving official). For the owner and staff in scope.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: ReceiptBody }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return receiptData(ctx, requireActor(request), request.params.code);
    },
  );

  app.get(
    '/api/dossiers/:code/receipt.pdf',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Giấy tiếp nhận hồ sơ (PDF) / Receipt as PDF',
        description: 'Form 1 as a PDF (A4, embedded fonts, extractable Vietnamese text).',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }) }),
      },
    },
    async (request, reply) => {
      const data = await receiptData(ctx, requireActor(request), request.params.code);
      const pdf = await receiptPdf(data);
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="giay-tiep-nhan-${data.code}.pdf"`)
        .send(pdf);
    },
  );
}
