/**
 * How many dossiers wait in each staff queue of a unit (the numbers on the workspace's queue
 * tabs). Each count is the WHERE clause of the matching GET /api/work/dossiers list
 * (queue-filters.ts `queueWhere`), with the same filters (procedure, field, channel, applicant),
 * so a tab's number and its list agree. Unfiltered, each count is read through a queue index:
 * (current_unit, status_code, …) of dossiers_queue_idx, (current_unit, queue_due) of the partial
 * open-queue index (004) or (current_unit, current_step, …) INCLUDE (assignee_id) of the
 * step-queue index (012). Counting stops at COUNT_CAP + 1 rows, so a huge queue costs a bounded
 * read and is shown as "10.000+".
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { requireStaff } from '../identity/http-auth.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { checkFilterCodes, dueBounds, queueScope, queueWhere, WORK_QUEUES, type QueueFilters, type QueueSpec, type WorkQueueKey } from './queue-filters.js';
import { QueueFilterQuery } from './queue-schema.js';

export { WORK_QUEUES, type WorkQueueKey };

export const COUNT_CAP = 10_000;

const QueueCount = Type.Object({
  count: Type.Integer({ minimum: 0, description: `Dossiers in the queue, counted up to ${COUNT_CAP}.` }),
  more: Type.Boolean({ description: `True when there are more than ${COUNT_CAP} (show "${COUNT_CAP}+").` }),
});

const CountsBody = Type.Object({
  unit: Type.String(),
  cap: Type.Integer(),
  queues: Type.Object(Object.fromEntries(Object.keys(WORK_QUEUES).map((k) => [k, QueueCount])) as Record<WorkQueueKey, typeof QueueCount>),
});

export async function workCounts(ctx: AppContext, actor: Actor, q: QueueFilters & { unit?: string } = {}) {
  const { unit, codes } = await queueScope(ctx, actor, q.unit);
  const filters: QueueFilters = { procedure: q.procedure, field: q.field, channel: q.channel, applicant: q.applicant };
  await checkFilterCodes(ctx, filters);
  const due = await dueBounds(ctx, unit.code, ctx.now());

  const countOne = async (spec: QueueSpec) => {
    const inner = ctx.db
      .selectFrom('dossiers as d')
      .select(sql<number>`1`.as('one'))
      .where(queueWhere({ actor, codes, spec, filters, due }));
    const row = await ctx.db
      .selectFrom(inner.limit(COUNT_CAP + 1).as('q'))
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    return { count: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
  };

  const keys = Object.keys(WORK_QUEUES) as WorkQueueKey[];
  // One after the other: PGlite runs one query at a time anyway, and on PostgreSQL ten index
  // reads of a capped size stay well under the page's budget without taking ten connections.
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
        description: `Per queue (awaiting_receipt = status 1; at_my_step = status 2, 4 or 9 at a step your role works at (desk officer: desk, return; specialist: specialist; unit leader: leader, signing), unassigned or assigned to you; processing = 2 and 4; supplement_requested = 5; payment_requested = 6; due_today / due_soon (2 working days) / overdue = open dossiers by appointment; finished = 9; returned = 10), with the same WHERE clause as GET /api/work/dossiers for that queue and the same filters (procedure, field, channel, applicant). Counted up to ${COUNT_CAP}; \`more\` says there are more. Staff only; \`unit\` (default: your own) must be in your jurisdiction.`,
        querystring: Type.Object({ unit: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$' })), ...QueueFilterQuery }, { additionalProperties: false }),
        response: withErrors({ 200: CountsBody }),
      },
    },
    async (request) => workCounts(ctx, requireStaff(request), request.query),
  );
}
