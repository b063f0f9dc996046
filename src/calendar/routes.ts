/**
 * The working calendar over HTTP: compute a legal deadline, read a year's holiday table, and
 * replace it (admin). Replacing it recomputes, in the same transaction, the appointments of every
 * open received dossier and records the change in each one's history.
 */
import { Type } from '@sinclair/typebox';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../platform/db-types.js';
import { computeDueAt, makeCalendar, validateTimeLimit, type Interval, type TimeLimitKind, type Weekday } from '../core/calendar.js';
import { decide, IN_PROGRESS_STATUSES } from '../core/dossier-machine.js';
import { requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField, notFound } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { rowToState, selectDossier, writeDecisionAtomic, type DossierRow } from '../dossiers/repository.js';
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

/**
 * Recomputes, with the calendar now in the database, the appointments of open received dossiers
 * (optionally only those received before an instant, or received by units under a path), and
 * records a `recompute_appointment` action on each one whose appointment moved.
 */
export async function recomputeOpenAppointments(
  trx: Transaction<DB>,
  filter: { receivedBefore?: Date; unitPath?: string },
  reason: string,
  actorId: number,
  changeKey: string,
  now: Date,
): Promise<number> {
  let q = selectDossier(trx)
    .where('d.status_code', 'in', [...IN_PROGRESS_STATUSES])
    .where(sql<boolean>`d.limit_kind <> 'none'`);
  if (filter.receivedBefore) q = q.where('d.received_at', '<=', filter.receivedBefore);
  if (filter.unitPath) {
    const path = filter.unitPath;
    q = q.where('d.receiving_unit', 'in', (eb) => eb.selectFrom('units').select('code').where('path', 'like', `${path}%`));
  }
  const rows = (await q.forUpdate('d').execute()) as DossierRow[];
  const calendars = new Map<string, Awaited<ReturnType<typeof loadCalendar>>>();
  let n = 0;
  for (const row of rows) {
    let cal = calendars.get(row.receiving_unit);
    if (!cal) {
      cal = await loadCalendar(trx, row.receiving_unit);
      calendars.set(row.receiving_unit, cal);
    }
    const d = decide(rowToState(row), { type: 'recompute_appointment', reason }, { role: 'system', userId: null, isOwner: false }, now, cal);
    if (row.legal_appointment_at?.getTime() === d.next.legalAppointmentAt?.getTime() && row.appointment_at?.getTime() === d.next.appointmentAt?.getTime()) continue;
    const w = await writeDecisionAtomic(trx, row, 'recompute_appointment', d, { userId: actorId, role: 'system', unit: null }, now, changeKey);
    if (w.kind === 'written') n++;
  }
  return n;
}

const HHMM = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM, local time' });
const IntervalBody = Type.Object({ start: HHMM, end: HHMM }, { additionalProperties: false });
const WeeklyBody = Type.Object(
  Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, Type.Optional(Type.Array(IntervalBody, { maxItems: 6 }))])),
  { additionalProperties: false, description: 'Working intervals per ISO weekday: 1 = Monday … 7 = Sunday; a missing day has none.' },
);
const HoursView = Type.Object({
  unit: Type.String(),
  definedBy: Type.Union([Type.String(), Type.Null()], { description: 'Unit whose hours apply (this one or an ancestor); null = the default.' }),
  weekly: Type.Record(Type.String(), Type.Array(Type.Object({ start: Type.String(), end: Type.String() }))),
  swapDayHours: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
});

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const intervalsOut = (xs: readonly Interval[]) => xs.map((i) => ({ start: toHhmm(i.start), end: toHhmm(i.end) }));

async function effectiveHours(ctx: AppContext, unitCode: string) {
  const unit = await ctx.db.selectFrom('units').select(['code', 'path']).where('code', '=', unitCode).executeTakeFirst();
  if (!unit) throw notFound('Unit', 'đơn vị', unitCode);
  const own = await ctx.db
    .selectFrom('unit_working_hours as h')
    .innerJoin('units as u', 'u.code', 'h.unit_code')
    .select(['h.unit_code'])
    .where(sql<boolean>`${unit.path} like u.path || '%'`)
    .orderBy(sql`length(u.path)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  const cal = await loadCalendar(ctx.db, unitCode);
  return {
    unit: unit.code,
    definedBy: own?.unit_code ?? null,
    weekly: Object.fromEntries(Object.entries(cal.weekly).map(([d, xs]) => [d, intervalsOut(xs)])),
    swapDayHours: intervalsOut(cal.swapDayHours),
  };
}

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
    '/api/calendar/hours/:unit',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Giờ làm việc của một đơn vị / Working hours of a unit',
        params: Type.Object({ unit: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: withErrors({ 200: HoursView }),
      },
    },
    async (request) => effectiveHours(ctx, request.params.unit),
  );

  app.put(
    '/api/calendar/hours/:unit',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Đặt giờ làm việc cho đơn vị và cấp dưới (quản trị) / Set working hours of a unit and its subtree (admin)',
        description: 'Open dossiers received by the unit or below get their appointments recomputed in the same transaction.',
        params: Type.Object({ unit: Type.String({ minLength: 1, maxLength: 40 }) }),
        body: Type.Object(
          { weekly: WeeklyBody, swapDayHours: Type.Optional(Type.Array(IntervalBody, { maxItems: 6 })), reason: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Intersect([HoursView, Type.Object({ dossiersRecomputed: Type.Integer() })]) }),
      },
    },
    async (request) => {
      const actor = requireRole(request, ['admin']);
      const code = request.params.unit;
      const unit = await ctx.db.selectFrom('units').select(['code', 'path']).where('code', '=', code).executeTakeFirst();
      if (!unit) throw notFound('Unit', 'đơn vị', code);
      const weekly: Record<string, Interval[]> = {};
      for (const [d, xs] of Object.entries(request.body.weekly)) weekly[d] = (xs ?? []).map((i) => ({ start: toMinutes(i.start), end: toMinutes(i.end) }));
      const swap = (request.body.swapDayHours ?? request.body.weekly['1'] ?? []).map((i) => ({ start: toMinutes(i.start), end: toMinutes(i.end) }));
      try {
        makeCalendar({ weekly: weekly as Partial<Record<Weekday, Interval[]>>, swapDayHours: swap });
      } catch (err) {
        throw invalidField('weekly', (err as Error).message, 'khoảng giờ làm việc không hợp lệ (phải tăng dần, không chồng lấn)');
      }
      if (Object.values(weekly).every((xs) => xs.length === 0)) {
        throw invalidField('weekly', 'a unit needs working hours on at least one day', 'đơn vị phải có giờ làm việc ít nhất một ngày');
      }
      const now = ctx.now();
      const reason = request.body.reason?.trim() || `Giờ làm việc của ${code} thay đổi / working hours of ${code} changed`;
      const n = await ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('unit_working_hours')
          .values({ unit_code: code, weekly: JSON.stringify(weekly), swap_day_hours: JSON.stringify(swap), updated_at: now })
          .onConflict((oc) => oc.column('unit_code').doUpdateSet({ weekly: JSON.stringify(weekly), swap_day_hours: JSON.stringify(swap), updated_at: now }))
          .execute();
        const change = await trx
          .insertInto('audit_log')
          .values({ actor_id: actor.userId, action: 'calendar.set_hours', object_type: 'unit', object_id: code, reason, details: JSON.stringify({ weekly, swap }) })
          .returning('id')
          .executeTakeFirstOrThrow();
        return recomputeOpenAppointments(trx, { unitPath: unit.path }, reason, actor.userId, `calendar-change:${change.id}`, now);
      });
      ctx.calendars.invalidate();
      return { ...(await effectiveHours(ctx, code)), dossiersRecomputed: n };
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
        // Open received dossiers whose receipt is before the end of that year can be affected.
        return recomputeOpenAppointments(trx, { receivedBefore: new Date(`${y + 1}-01-01T00:00:00+07:00`) }, reason, actor.userId, `calendar-change:${change.id}`, now);
      });
      ctx.calendars.invalidate();
      return { year: y, days: request.body.days.length, dossiersRecomputed: recomputed };
    },
  );
}

