/**
 * HTTP routes of the periodic reports: forms II.06a / II.07a for any period (JSON, XLSX, PDF), and
 * the stored monthly reports (list, download). Who: province leaders and admins their province,
 * unit leaders their own unit and below (as the monitoring views, monitoring/scope.ts); others 403.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { inJurisdiction, type Actor } from '../identity/actor.js';
import { requireStaff } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { forbidden, invalidField, notFound } from '../platform/errors.js';
import { createFileStore, type FileStore } from '../platform/files.js';
import type { App } from '../platform/http.js';
import { Cursor, decodeCursor, encodeCursor, withErrors } from '../platform/schemas.js';
import { periodOrThrow } from '../monitoring/heatmap.js';
import { MAX_PERIOD_YEARS, PERIOD_KINDS, vietnamDate, type PeriodKind } from '../monitoring/period.js';
import { checkMonitoringRole, monitoringScope } from '../monitoring/scope.js';
import { FORM_INFO, REPORT_FORMS, reportData, type ReportData, type ReportForm } from './data.js';
import { CONTENT_TYPES, type ReportFormat } from './monthly.js';
import { fileStem, PDF_TYPE, reportPdf, reportXlsx, XLSX_TYPE } from './render.js';

const literals = <T extends string>(values: readonly T[], description?: string) => Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: `${XLSX_TYPE} | ${PDF_TYPE}` });

const ReportQuery = Type.Object(
  {
    period: Type.Optional(literals(PERIOD_KINDS, 'day | week | month | quarter | year: the one containing `from`; custom: `from`–`to`. Default: custom when dates are given, else this month.')),
    from: Type.Optional(Type.String({ format: 'date', description: 'First day (YYYY-MM-DD, Vietnam time).' })),
    to: Type.Optional(Type.String({ format: 'date', description: `Last day, inclusive; at most ${MAX_PERIOD_YEARS} years after from.` })),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$', description: 'Root unit (default: your own unit).' })),
    format: Type.Optional(literals(['json', 'xlsx', 'pdf'] as const, 'json (default), xlsx or pdf.')),
  },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });
const Figures = Type.Object({
  receivedTotal: Type.Integer({ minimum: 0, description: '(1) = (2) + (3) + (4)' }),
  receivedOnline: Type.Integer({ minimum: 0, description: '(2) received in the period online (channel 2)' }),
  receivedDirect: Type.Integer({ minimum: 0, description: '(3) received in the period in person or by post (channels 1, 3)' }),
  carriedOver: Type.Integer({ minimum: 0, description: '(4) received before the period, not settled before it' }),
  settledTotal: Type.Integer({ minimum: 0, description: '(5) = (6) + (7) + (8), settled in the period' }),
  settledEarly: Count,
  settledOnTime: Count,
  settledLate: Count,
  pendingTotal: Type.Integer({ minimum: 0, description: '(9) = (10) + (11) = (1) − (5)' }),
  pendingWithin: Count,
  pendingOverdue: Count,
  onTimeRate: Nullable(Type.Number({ description: '(12) = ((6) + (7)) ÷ (5) × 100, 2 decimals; null when (5) = 0' })),
});
const ReportBody = Type.Object({
  form: literals(REPORT_FORMS),
  formNumber: Type.String(),
  title: Type.Object({ vi: Type.String(), en: Type.String() }),
  root: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), kind: Type.String() }),
  province: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  period: Type.Object({ from: Type.String(), to: Type.String(), days: Type.Integer() }),
  today: Type.String(),
  pendingAt: Type.Object({
    source: literals(['period_end', 'now'] as const, 'period_end: counted from the dossiers at the end of a past period; now: the open dossiers now (period ending today or later).'),
    day: Type.String({ description: 'Overdue = legal appointment day before this day.' }),
  }),
  generatedAt: Type.String(),
  demo: Type.Boolean(),
  consistent: Type.Boolean({ description: 'false: the dossiers counted pending at the end of a past period disagree with the aggregates (rebuild them).' }),
  rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), figures: Figures })),
  total: Figures,
});

const StoredItem = Type.Object({
  id: Type.Integer(),
  form: literals(REPORT_FORMS),
  formNumber: Type.String(),
  format: literals(['xlsx', 'pdf'] as const),
  unit: Type.Object({ code: Type.String(), name: Type.String() }),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  generatedAt: Type.String(),
  byteSize: Type.Integer(),
  sha256: Type.String(),
  emailedAt: Nullable(Type.String()),
  url: Type.String(),
});

const WHO = 'Province leaders and admins: their province; unit leaders: their unit and below; others 403.';

function dataView(d: ReportData) {
  return { ...d, formNumber: FORM_INFO[d.form].number, title: FORM_INFO[d.form].title, generatedAt: d.generatedAt.toISOString() };
}

async function makeReport(ctx: AppContext, actor: Actor, form: ReportForm, q: { period?: PeriodKind; from?: string; to?: string; unit?: string }) {
  const scope = await monitoringScope(ctx, actor, q.unit);
  const period = periodOrThrow(q, vietnamDate(ctx.now()));
  return reportData(ctx, scope, form, period);
}

export function registerReportRoutes(app: App, ctx: AppContext, files: FileStore = createFileStore(ctx.config)): void {
  for (const form of REPORT_FORMS) {
    const info = FORM_INFO[form];
    app.get(
      `/api/reports/${form}`,
      {
        schema: {
          tags: ['reports'],
          summary: `Biểu số ${info.number}: ${info.title.vi} / Form ${info.number}: ${info.title.en}`,
          description:
            `${info.by === 'unit' ? 'One row per unit under `unit` (its departments, wards and communes; a unit without child units: itself)' : 'One row per field (lĩnh vực)'}, and the total: received (online; in person or by post; carried over from before the period), settled (early, on time, late), pending at the end (within limit, overdue) and the on-time rate. ` +
            'From the monitoring aggregates, as the dashboard (the same numbers as GET /api/monitoring/heatmap for the same period). Pending at the end of a past period is split by the legal appointment then; for a period ending today or later, now. ' +
            `format=json (default), xlsx or pdf (Vietnamese form with the period, the unit, when it was made; "DỮ LIỆU MÔ PHỎNG" in demo mode). ${WHO}`,
          querystring: ReportQuery,
          response: withErrors({ 200: Type.Union([ReportBody, Binary]) }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        const d = await makeReport(ctx, actor, form, request.query);
        const format = request.query.format ?? 'json';
        if (format === 'json') return dataView(d);
        const bytes = format === 'xlsx' ? await reportXlsx(d) : await reportPdf(d);
        return reply
          .header('cache-control', 'no-store')
          .header('content-type', format === 'xlsx' ? XLSX_TYPE : PDF_TYPE)
          .header('content-disposition', `${format === 'xlsx' ? 'attachment' : 'inline'}; filename="${fileStem(d)}.${format}"`)
          .send(bytes);
      },
    );
  }

  app.get(
    '/api/reports/stored',
    {
      schema: {
        tags: ['reports'],
        summary: 'Báo cáo định kỳ đã lưu / Stored periodic reports',
        description: `The files of the monthly reports (II.06a and II.07a, XLSX and PDF) of the units in your jurisdiction (optionally one unit), latest first, a page at a time. ${WHO}`,
        querystring: Type.Object(
          {
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            cursor: Type.Optional(Cursor),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(StoredItem), nextCursor: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      checkMonitoringRole(actor);
      const { unit, limit = 50, cursor } = request.query;
      const after = decodeCursor(cursor);
      if (cursor && (!after || after.length !== 1 || !Number.isSafeInteger(after[0]))) throw invalidField('cursor', 'not a cursor from this list', 'con trỏ trang không hợp lệ');
      if (unit) {
        const u = await ctx.db.selectFrom('units').select('path').where('code', '=', unit).executeTakeFirst();
        if (!u) throw notFound('Unit', 'đơn vị', unit);
        if (!inJurisdiction(actor, u.path)) throw forbidden(`Unit ${unit} is outside your jurisdiction.`, `Đơn vị ${unit} nằm ngoài phạm vi của bạn.`);
      }
      let q = ctx.db
        .selectFrom('report_files as f')
        .innerJoin('report_runs as r', 'r.id', 'f.run_id')
        .innerJoin('units as u', 'u.code', 'r.unit_code')
        .select(['f.id', 'f.form', 'f.format', 'f.byte_size', 'f.sha256', 'f.generated_at', 'r.unit_code', 'u.name', 'r.period_from', 'r.period_to', 'r.emailed_at'])
        .where('u.path', 'like', `${actor.unitPath}%`);
      if (unit) q = q.where('r.unit_code', '=', unit);
      if (after) q = q.where('f.id', '<', after[0] as number);
      const rows = await q.orderBy('f.id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: Number(r.id),
          form: r.form,
          formNumber: FORM_INFO[r.form].number,
          format: r.format,
          unit: { code: r.unit_code, name: r.name },
          period: { from: r.period_from, to: r.period_to },
          generatedAt: r.generated_at.toISOString(),
          byteSize: r.byte_size,
          sha256: r.sha256,
          emailedAt: r.emailed_at ? r.emailed_at.toISOString() : null,
          url: `/api/reports/stored/${r.id}`,
        })),
        nextCursor: rows.length > limit ? encodeCursor([Number(page[page.length - 1]!.id)]) : null,
      };
    },
  );

  app.get(
    '/api/reports/stored/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'Tải báo cáo đã lưu / Download a stored report',
        description: `The stored file as it was generated (its SHA-256 is in the list). ${WHO}`,
        params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'Id from the list.' }) }),
        response: withErrors({ 200: Binary }),
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      checkMonitoringRole(actor);
      const id = Number(request.params.id);
      const f = await ctx.db
        .selectFrom('report_files as f')
        .innerJoin('report_runs as r', 'r.id', 'f.run_id')
        .innerJoin('units as u', 'u.code', 'r.unit_code')
        .select(['f.form', 'f.format', 'f.storage_key', 'r.unit_code', 'r.period_from', 'r.period_to', 'u.path'])
        .where('f.id', '=', sql<number>`${id}::bigint`)
        .executeTakeFirst();
      if (!f) throw notFound('Report', 'báo cáo', request.params.id);
      if (!inJurisdiction(actor, f.path)) throw forbidden('This report is outside your jurisdiction.', 'Báo cáo này nằm ngoài phạm vi của bạn.');
      const bytes = await files.get(f.storage_key);
      if (!bytes) throw notFound('Report file', 'tệp báo cáo', request.params.id);
      const format = f.format as ReportFormat;
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `${format === 'xlsx' ? 'attachment' : 'inline'}; filename="${FORM_INFO[f.form].number}-${f.unit_code}-${f.period_from}_${f.period_to}.${format}"`)
        .send(Buffer.from(bytes));
    },
  );
}
