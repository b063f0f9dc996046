/**
 * The forms of Circular 03/2025/TT-VPCP (Annex I) as files:
 *
 * - GET /api/dossiers/:code/forms/:form.pdf — form ∈ supplement-request (2), refusal (3),
 *   apology (4), stop-notice (5), control-sheet (6); see forms/index.ts. Staff whose jurisdiction
 *   covers the dossier, and the owner for forms 2–5; others get 404 (existence not revealed);
 *   the owner asking for the control sheet gets 403; a form whose event is not in the log, 404.
 * - GET /api/units/:unit/register?from=YYYY-MM-DD&to=YYYY-MM-DD&format=pdf|xlsx — form 7, the
 *   dossier register of a receiving unit, for staff of that unit or a unit above it.
 */
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { requireActor, requireStaff } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { DOSSIER_FORM_NAMES, DOSSIER_FORMS, type DossierFormName } from './forms/index.js';
import { controlSheetData, controlSheetXlsx } from './forms/control-sheet.js';
import { parsePeriod, registerBatches, registerPdf, registerUnit, registerXlsx } from './forms/register.js';
import { findVisibleDossier } from './timeline.js';

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code, e.g. H15.001-260302-0001' });
const Binary = (mime: string) => Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary', description: mime });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The files there are: every form as PDF, and the process control sheet (form 6) also as XLSX. */
const FORM_FILES = [...DOSSIER_FORM_NAMES.map((n) => `${n}.pdf`), 'control-sheet.xlsx'];

function formOf(file: string): { name: DossierFormName; format: 'pdf' | 'xlsx' } {
  const m = /^([a-z-]+)\.(pdf|xlsx)$/.exec(file);
  if (!m || !FORM_FILES.includes(file)) {
    const list = FORM_FILES.join(', ');
    throw invalidField('form', `unknown form "${file}"; one of ${list}`, `không có biểu mẫu "${file}"; chọn một trong ${list}`);
  }
  return { name: m[1] as DossierFormName, format: m[2] as 'pdf' | 'xlsx' };
}

export function registerFormRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/dossiers/:code/forms/:form',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Biểu mẫu 02–06 của hồ sơ (PDF; mẫu 06 cả XLSX) / Dossier forms 2–6 as PDF (form 6 also XLSX)',
        description:
          'Forms of Circular 03/2025/TT-VPCP, Annex I, from the dossier and its action log: supplement-request.pdf (form 2), refusal.pdf (3), apology.pdf (4), stop-notice.pdf (5), control-sheet.pdf and control-sheet.xlsx (6, staff only). 404 when the form does not apply (its event is not in the log).',
        params: Type.Object({ code: Code, form: Type.String({ minLength: 1, maxLength: 40, description: 'e.g. supplement-request.pdf' }) }),
        response: withErrors({ 200: Binary(`application/pdf | ${XLSX}`) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { name, format } = formOf(request.params.form);
      const form = DOSSIER_FORMS[name];
      const row = await findVisibleDossier(ctx, actor, request.params.code);
      if (actor.role === 'citizen' && !form.forOwner) {
        throw new AppError(403, 'forbidden', `${form.title.en} (form ${form.number}) is an internal document for officials.`, `${form.title.vi} (mẫu số ${String(form.number).padStart(2, '0')}) là tài liệu nội bộ dành cho cán bộ.`);
      }
      if (format === 'xlsx') {
        const cal = await ctx.calendars.forUnit(row.receiving_unit);
        const xlsx = await controlSheetXlsx(await controlSheetData(ctx, row), cal.utcOffsetMinutes);
        return reply
          .header('cache-control', 'no-store')
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="${form.fileStem}-${row.code}.xlsx"`)
          .send(xlsx);
      }
      const pdf = await form.render(ctx, row);
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${form.fileStem}-${row.code}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/units/:unit/register',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Sổ theo dõi hồ sơ (mẫu 07) / Dossier register (form 7)',
        description:
          'The dossiers submitted to the unit in a period of local dates (at most 366 days), one row each: code, applicant, procedure, received at, appointment, finished/returned at, result, timeliness. PDF (up to 5,000 rows) or XLSX (streamed). Staff of the unit or a unit above it.',
        params: Type.Object({ unit: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$' }) }),
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, first day (local)' })),
            to: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, last day (local, inclusive)' })),
            format: Type.Optional(Type.String({ maxLength: 10, description: 'pdf (default) | xlsx' })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Binary(`application/pdf | ${XLSX}`) }),
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { from, to, format = 'pdf' } = request.query;
      if (format !== 'pdf' && format !== 'xlsx') throw invalidField('format', `must be pdf or xlsx, not "${format}"`, `phải là pdf hoặc xlsx, không phải "${format}"`);
      const issuer = await registerUnit(ctx, actor, request.params.unit);
      const cal = await ctx.calendars.forUnit(issuer.unitCode);
      const period = parsePeriod(from, to, cal.utcOffsetMinutes);
      const meta = { issuer, period, demo: ctx.config.demo, generatedAt: ctx.now() };
      const batches = registerBatches(ctx, issuer.unitCode, period);
      const file = `so-theo-doi-ho-so-${issuer.unitCode}-${period.from}-${period.to}`;
      reply.header('cache-control', 'no-store');
      if (format === 'xlsx') {
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="${file}.xlsx"`)
          .send(registerXlsx(meta, batches, cal.utcOffsetMinutes));
      }
      const pdf = await registerPdf(meta, batches);
      return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${file}.pdf"`).send(pdf);
    },
  );
}
