/**
 * The working calendar over HTTP: compute a legal deadline, read a year's holiday table, and
 * replace it (admin). Replacing it recomputes, in the same transaction, the appointments of every
 * open received dossier and records the change in each one's history.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { computeDueAt, validateTimeLimit, type TimeLimitKind } from '../core/calendar.js';
import { decide, IN_PROGRESS_STATUSES } from '../core/dossier-machine.js';
import { requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField, notFound } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { rowToState, selectDossier, writeDecision, type DossierRow } from '../dossiers/repository.js';
import { loadCalendar } from './store.js';

const Kind = Type.Union(['working_days', 'days', 'hours', 'same_day', 'none'].map((k) => Type.Literal(k)));

const Day = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    kind: Type.Union([Type.Literal('day_off'), Type.Literal('working_day')]),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    verified: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function registerCalendarRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/calendar/deadline',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Tính hạn giải quyết / Compute a legal deadline',
        description: 'working_days and hours count working time only; days are calendar days ending at closing time on a working day; same_day follows the 15:00 rule; none has no deadline (dueAt null).',
        querystring: Type.Object(
          {
            from: Type.String({ format: 'date-time' }),
            limit: Type.Number({ minimum: 0, maximum: 29280 }),
            kind: Kind,
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ dueAt: Type.Union([Type.String(), Type.Null()]) }) }),
      },
    },
    async (request) => {
      const { from, limit, kind, unit } = request.query;
      const k = kind as TimeLimitKind;
      const problem = validateTimeLimit(k, limit);
      if (problem) throw invalidField('limit', problem, `giá trị thời hạn không hợp lệ cho loại ${k}`);
      if (unit) {
        const u = await ctx.db.selectFrom('units').select('code').where('code', '=', unit).executeTakeFirst();
        if (!u) throw notFound('Unit', 'đơn vị', unit);
      }
      const cal = await ctx.calendars.forUnit(unit ?? 'VN');
      const due = computeDueAt(cal, new Date(from), k, limit);
      return { dueAt: due ? due.toISOString() : null };
    },
  );

  app.get(
    '/api/calendar/holidays/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Bảng ngày nghỉ lễ và ngày làm bù / Holiday table of a year',
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: withErrors({ 200: Type.Object({ year: Type.Integer(), days: Type.Array(Type.Required(Day)) }) }),
      },
    },
    async (request) => {
      const y = request.params.year;
      const rows = await ctx.db
        .selectFrom('calendar_days')
        .selectAll()
        .where('date', '>=', `${y}-01-01`)
        .where('date', '<=', `${y}-12-31`)
        .orderBy('date')
        .execute();
      return { year: y, days: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, nameEn: r.name_en, verified: r.verified })) };
    },
  );

  app.put(
    '/api/calendar/holidays/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Cập nhật bảng ngày nghỉ của một năm (quản trị) / Replace a year’s holiday table (admin)',
        description: 'Replaces every day of that year. Open received dossiers get their appointments recomputed in the same transaction; each change is recorded in the dossier history.',
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        body: Type.Object(
          { days: Type.Array(Day, { maxItems: 366 }), reason: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ year: Type.Integer(), days: Type.Integer(), dossiersRecomputed: Type.Integer() }) }),
      },
    },
    async (request) => {
      const actor = requireRole(request, ['admin']);
      const y = request.params.year;
      const seen = new Set<string>();
      const fields = [];
      for (const [i, d] of request.body.days.entries()) {
        if (!d.date.startsWith(`${y}-`)) fields.push({ field: `days.${i}.date`, message: `must be in ${y}`, messageVi: `phải thuộc năm ${y}` });
        if (seen.has(d.date)) fields.push({ field: `days.${i}.date`, message: 'appears twice', messageVi: 'bị trùng' });
        seen.add(d.date);
      }
      if (fields.length) throw new AppError(400, 'invalid_input', 'The holiday table has invalid days.', 'Bảng ngày nghỉ có ngày không hợp lệ.', fields);
      const now = ctx.now();
      const reason = request.body.reason?.trim() || `Bảng ngày nghỉ năm ${y} được cập nhật / ${y} holiday table updated`;
      const recomputed = await ctx.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('calendar_days').where('date', '>=', `${y}-01-01`).where('date', '<=', `${y}-12-31`).execute();
        if (request.body.days.length) {
          await trx
            .insertInto('calendar_days')
            .values(request.body.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, name_en: d.nameEn ?? '', verified: d.verified ?? false, updated_at: now })))
            .execute();
        }
        const change = await trx
          .insertInto('audit_log')
          .values({ actor_id: actor.userId, action: 'calendar.replace_year', object_type: 'calendar', object_id: String(y), reason, details: JSON.stringify({ days: request.body.days }) })
          .returning('id')
          .executeTakeFirstOrThrow();
        // Open received dossiers, locked; receipt before the end of that year can be affected.
        const rows = (await selectDossier(trx)
          .where('d.status_code', 'in', [...IN_PROGRESS_STATUSES])
          .where('d.received_at', '<=', new Date(`${y + 1}-01-01T00:00:00+07:00`))
          .where(sql<boolean>`d.limit_kind <> 'none'`)
          .forUpdate('d')
          .execute()) as DossierRow[];
        const calendars = new Map<string, Awaited<ReturnType<typeof loadCalendar>>>();
        let n = 0;
        for (const row of rows) {
          let cal = calendars.get(row.receiving_unit);
          if (!cal) {
            cal = await loadCalendar(trx, row.receiving_unit);
            calendars.set(row.receiving_unit, cal);
          }
          const d = decide(rowToState(row), { type: 'recompute_appointment', reason }, { role: 'system', userId: null, isOwner: false }, now, cal);
          const before = row.legal_appointment_at?.getTime() ?? null;
          const after = d.next.legalAppointmentAt?.getTime() ?? null;
          if (before === after && row.appointment_at?.getTime() === d.next.appointmentAt?.getTime()) continue;
          await writeDecision(trx, row, 'recompute_appointment', d, { userId: actor.userId, role: 'system', unit: null }, now, `calendar-change:${change.id}`);
          n++;
        }
        return n;
      });
      ctx.calendars.invalidate();
      return { year: y, days: request.body.days.length, dossiersRecomputed: recomputed };
    },
  );
}

