/**
 * How many dossiers wait in each staff queue of a unit (the numbers on the workspace's queue
 * tabs). Each count uses exactly the filters of the matching GET /api/work/dossiers list
 * (queries.ts `workQueue`), so a tab's number and its list agree. The predicates are the ones the
 * queue indexes answer index-only: (current_unit, status_code, ...) of dossiers_queue_idx and
 * (current_unit, queue_due) of the partial open-queue index (migration 004). Counting stops at
 * COUNT_CAP + 1 rows, so a huge queue costs a bounded read and is shown as "10.000+".
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { addWorkingTime, closingTimeOn, isWorkingDay, localDateOf, nextWorkingDay } from '../core/calendar.js';
import { OPEN_STATUSES } from '../core/dossier-machine.js';
import { inJurisdiction, isStaff, type Actor } from '../identity/actor.js';
import { requireStaff } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { forbidden, notFound } from '../platform/errors.js';
import { withErrors } from '../platform/schemas.js';

export const COUNT_CAP = 10_000;

/** The queues and the workQueue filters each one stands for (status list and/or due window). */
export const WORK_QUEUES = {
  awaiting_receipt: { status: [1] },
  processing: { status: [2, 4] },
  supplement_requested: { status: [5] },
  payment_requested: { status: [6] },
  due_today: { due: 'today' },
  due_soon: { due: 'soon' },
  overdue: { due: 'overdue' },
  finished: { status: [9] },
} as const satisfies Record<string, { status?: readonly number[]; due?: 'overdue' | 'today' | 'soon' }>;

export type WorkQueueKey = keyof typeof WORK_QUEUES;

const QueueCount = Type.Object({
  count: Type.Integer({ minimum: 0, description: `Dossiers in the queue, counted up to ${COUNT_CAP}.` }),
  more: Type.Boolean({ description: `True when there are more than ${COUNT_CAP} (show "${COUNT_CAP}+").` }),
});

const CountsBody = Type.Object({
  unit: Type.String(),
  cap: Type.Integer(),
  queues: Type.Object(Object.fromEntries(Object.keys(WORK_QUEUES).map((k) => [k, QueueCount])) as Record<WorkQueueKey, typeof QueueCount>),
});

/** The units whose queues a unit's view covers, as in workQueue: the unit itself, or a province's whole subtree. */
async function queueUnits(ctx: AppContext, actor: Actor, unitCode: string) {
  const unit = await ctx.db.selectFrom('units').select(['code', 'path', 'kind']).where('code', '=', unitCode).executeTakeFirst();
  if (!unit) throw notFound('Unit', 'đơn vị', unitCode);
  if (!inJurisdiction(actor, unit.path)) {
    throw forbidden(`Unit ${unitCode} is outside your jurisdiction.`, `Đơn vị ${unitCode} nằm ngoài phạm vi của bạn.`);
  }
  const codes =
    unit.kind === 'province' || unit.kind === 'nation'
      ? (await ctx.db.selectFrom('units').select('code').where('path', 'like', `${unit.path}%`).execute()).map((u) => u.code)
      : [unit.code];
  return { unit, codes };
}

export async function workCounts(ctx: AppContext, actor: Actor, unitCode?: string) {
  if (!isStaff(actor) || !actor.unitCode) throw forbidden('This is for officials only.', 'Chức năng này chỉ dành cho cán bộ.');
  const { unit, codes } = await queueUnits(ctx, actor, unitCode ?? actor.unitCode);
  const now = ctx.now();
  const cal = await ctx.calendars.forUnit(unit.code);
  const today = localDateOf(cal, now);
  const endOfToday = isWorkingDay(cal, today) ? closingTimeOn(cal, today) : closingTimeOn(cal, nextWorkingDay(cal, today));
  const soonEnd = addWorkingTime(cal, now, 2 * 8 * 3600_000);

  const countOne = async (spec: { status?: readonly number[]; due?: 'overdue' | 'today' | 'soon' }) => {
    const statuses = spec.status?.length ? [...spec.status] : [...OPEN_STATUSES];
    let inner = ctx.db
      .selectFrom('dossiers as d')
      .select(sql<number>`1`.as('one'))
      .where('d.current_unit', 'in', codes)
      .where('d.status_code', 'in', statuses);
    if (spec.due === 'overdue') inner = inner.where('d.queue_due', '<', now);
    else if (spec.due === 'today') inner = inner.where('d.queue_due', '>=', now).where('d.queue_due', '<=', endOfToday);
    else if (spec.due === 'soon') inner = inner.where('d.queue_due', '>=', now).where('d.queue_due', '<=', soonEnd);
    const row = await ctx.db
      .selectFrom(inner.limit(COUNT_CAP + 1).as('q'))
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    return { count: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
  };

  const keys = Object.keys(WORK_QUEUES) as WorkQueueKey[];
  // One after the other: PGlite runs one query at a time anyway, and on PostgreSQL eight index
  // reads of a capped size stay well under the page's budget without taking eight connections.
  const queues = {} as Record<WorkQueueKey, { count: number; more: boolean }>;
  for (const k of keys) queues[k] = await countOne(WORK_QUEUES[k]);
  return { unit: unit.code, cap: COUNT_CAP, queues };
}

export function registerWorkCountRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/work/counts',
    {
      schema: {
        tags: ['work'],
        summary: 'Số hồ sơ trong từng hàng đợi / How many dossiers wait in each queue',
        description: `Per queue (awaiting_receipt = status 1, processing = 2 and 4, supplement_requested = 5, payment_requested = 6, due_today / due_soon (2 working days) / overdue = open dossiers by appointment, finished = 9), with the same filters as GET /api/work/dossiers (status or due). Counted up to ${COUNT_CAP}; \`more\` says there are more. Staff only; \`unit\` (default: your own) must be in your jurisdiction.`,
        querystring: Type.Object({ unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$' })) }, { additionalProperties: false }),
        response: withErrors({ 200: CountsBody }),
      },
    },
    async (request) => workCounts(ctx, requireStaff(request), request.query.unit),
  );
}
