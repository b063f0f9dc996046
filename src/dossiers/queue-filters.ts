/**
 * The staff work queues and their filters, in one place for the list (GET /api/work/dossiers,
 * queries.ts `workQueue`) and the tab counts (GET /api/work/counts, work-counts.ts), so a tab's
 * number and its list are the same WHERE clause.
 *
 * The predicates are written for the queue indexes: one unit's dossiers by status
 * (dossiers_queue_idx), its open dossiers by appointment (dossiers_open_queue_idx, 004), its
 * dossiers at a step (dossiers_step_queue_idx, 012) and the applicant's identifiers (012).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { addWorkingTime, closingTimeOn, isWorkingDay, localDateOf, nextWorkingDay } from '../core/calendar.js';
import { classifyApplicantQuery } from '../core/applicant-query.js';
import { OPEN_STATUSES } from '../core/dossier-machine.js';
import { AT_STEP_STATUSES, stepsWorkedBy } from '../core/steps.js';
import { inJurisdiction, isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { forbidden, notFound } from '../platform/errors.js';

export type DueWindow = 'overdue' | 'today' | 'soon';

/** What selects a queue: statuses, an appointment window, the actor's own steps. */
export interface QueueSpec {
  status?: readonly number[];
  due?: DueWindow;
  /** 'mine': at a step the actor's role works at, unassigned or assigned to the actor. */
  step?: 'mine';
}

/** The queues of the workspace's tabs, in the order they are shown. */
export const WORK_QUEUES = {
  awaiting_receipt: { status: [1] },
  at_my_step: { status: AT_STEP_STATUSES, step: 'mine' },
  processing: { status: [2, 4] },
  supplement_requested: { status: [5] },
  payment_requested: { status: [6] },
  due_today: { due: 'today' },
  due_soon: { due: 'soon' },
  overdue: { due: 'overdue' },
  finished: { status: [9] },
  returned: { status: [10] },
} as const satisfies Record<string, QueueSpec>;

export type WorkQueueKey = keyof typeof WORK_QUEUES;

/** Filters a person picks on top of a queue (the workspace's filter bar). */
export interface QueueFilters {
  procedure?: string;
  /** Field (lĩnh vực) code: dossiers of the field's procedures. */
  field?: string;
  channel?: number;
  /** An ID number or phone (exact), otherwise part of the name (any case, with or without diacritics). */
  applicant?: string;
  assignee?: 'me';
}

/** The unit whose queues are asked for (default: the actor's) and the units its view covers. */
export interface QueueScope {
  unit: { code: string; path: string; kind: string };
  /** The unit itself, or a province's (nation's) whole subtree. */
  codes: string[];
}

export async function queueScope(ctx: AppContext, actor: Actor, unitCode?: string): Promise<QueueScope> {
  if (!isStaff(actor) || !actor.unitCode) throw forbidden('This is for officials only.', 'Chức năng này chỉ dành cho cán bộ.');
  const code = unitCode ?? actor.unitCode;
  const unit = await ctx.db.selectFrom('units').select(['code', 'path', 'kind']).where('code', '=', code).executeTakeFirst();
  if (!unit) throw notFound('Unit', 'đơn vị', code);
  if (!inJurisdiction(actor, unit.path)) {
    throw forbidden(`Unit ${code} is outside your jurisdiction.`, `Đơn vị ${code} nằm ngoài phạm vi của bạn.`);
  }
  // One unit (a commune, a department) uses the queue indexes directly; a province lists its units.
  const codes =
    unit.kind === 'province' || unit.kind === 'nation'
      ? (await ctx.db.selectFrom('units').select('code').where('path', 'like', `${unit.path}%`).execute()).map((u) => u.code)
      : [unit.code];
  return { unit, codes };
}

/** An unknown procedure or field is a mistake to report (404), not an empty queue. */
export async function checkFilterCodes(ctx: AppContext, f: QueueFilters): Promise<void> {
  if (f.procedure && !(await ctx.db.selectFrom('procedures').select('code').where('code', '=', f.procedure).executeTakeFirst())) {
    throw notFound('Procedure', 'thủ tục', f.procedure);
  }
  if (f.field && !(await ctx.db.selectFrom('fields').select('code').where('code', '=', f.field).executeTakeFirst())) {
    throw notFound('Field', 'lĩnh vực', f.field);
  }
}

/** The appointment windows of the due queues, by the unit's working calendar. */
export interface DueBounds {
  now: Date;
  endOfToday: Date;
  soonEnd: Date;
}

export async function dueBounds(ctx: AppContext, unitCode: string, now: Date): Promise<DueBounds> {
  const cal = await ctx.calendars.forUnit(unitCode);
  const today = localDateOf(cal, now);
  const endOfToday = isWorkingDay(cal, today) ? closingTimeOn(cal, today) : closingTimeOn(cal, nextWorkingDay(cal, today));
  return { now, endOfToday, soonEnd: addWorkingTime(cal, now, 2 * 8 * 3600_000) };
}

/**
 * The WHERE clause of one queue with its filters, over `dossiers AS d`. Parameterised; statuses
 * are a literal-looking IN list so the planner can match the partial indexes' predicates.
 */
export function queueWhere(p: { actor: Actor; codes: readonly string[]; spec: QueueSpec; filters: QueueFilters; due: DueBounds | null }): RawBuilder<SqlBool> {
  const { actor, spec, filters: f } = p;
  const statuses = spec.status?.length ? spec.status : spec.step === 'mine' ? AT_STEP_STATUSES : OPEN_STATUSES;
  const conds: RawBuilder<unknown>[] = [
    sql`d.current_unit IN (${sql.join(p.codes.map((c) => sql.val(c)))})`,
    sql`d.status_code IN (${sql.join(statuses.map((s) => sql.val(s)))})`,
  ];
  if (spec.step === 'mine') {
    const steps = stepsWorkedBy(actor.role);
    if (steps.length === 0) conds.push(sql`false`);
    else {
      conds.push(sql`d.current_step IN (${sql.join(steps.map((s) => sql.val(s)))})`);
      conds.push(sql`(d.assignee_id IS NULL OR d.assignee_id = ${actor.userId})`);
    }
  }
  if (spec.due) {
    if (!p.due) throw new Error('queueWhere: due bounds are needed for a due queue');
    if (spec.due === 'overdue') conds.push(sql`d.queue_due < ${p.due.now}`);
    else conds.push(sql`d.queue_due >= ${p.due.now} AND d.queue_due <= ${spec.due === 'today' ? p.due.endOfToday : p.due.soonEnd}`);
  }
  if (f.procedure) conds.push(sql`d.procedure_code = ${f.procedure}`);
  // A semi-join the planner runs as a hashed filter on the unit's ordered index scan (the field's
  // procedures are few), instead of leaving the queue index for a procedure-first plan.
  if (f.field) conds.push(sql`d.procedure_code IN (SELECT pf.code FROM procedures pf WHERE pf.field_code = ${f.field})`);
  if (f.channel) conds.push(sql`d.channel = ${f.channel}`);
  if (f.assignee === 'me') conds.push(sql`d.assignee_id = ${actor.userId}`);
  if (f.applicant) {
    const a = classifyApplicantQuery(f.applicant);
    if (a.kind === 'identifier') {
      // Each side can use its partial index (migration 012); an empty list matches nothing.
      const ors: RawBuilder<unknown>[] = [];
      if (a.idNumbers.length) ors.push(sql`d.applicant_id_number IN (${sql.join(a.idNumbers.map((v) => sql.val(v)))})`);
      if (a.phones.length) ors.push(sql`d.applicant_phone IN (${sql.join(a.phones.map((v) => sql.val(v)))})`);
      conds.push(ors.length ? sql`(${sql.join(ors, sql` OR `)})` : sql`false`);
    } else {
      // motcua_fold's body written out for the row side: the planner does not inline motcua_fold
      // (IMMUTABLE around the STABLE unaccent), and calling it per row took twice as long (28 ms
      // instead of 13 ms over the 6,649 returned dossiers of one unit at 1,000,000 dossiers). The
      // name is read row by row within the unit's queue: a trigram index was slower there.
      conds.push(sql`lower(public.unaccent('public.unaccent'::regdictionary, d.applicant_name)) LIKE motcua_fold(${a.likePattern})`);
    }
  }
  return sql<SqlBool>`${sql.join(conds, sql` AND `)}`;
}
