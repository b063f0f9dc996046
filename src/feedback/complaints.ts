/**
 * Complaints and recommendations (phản ánh, kiến nghị): filed by a logged-in applicant about a
 * dossier they own (answered by its receiving unit) or about a unit; due 15 working days after
 * receipt by that unit's working calendar; answered by the unit's desk officer or leader.
 * Staff see the complaints of their unit and the units below it.
 */
import { sql, type Selectable } from 'kysely';
import { localDateOf, VIETNAM_UTC_OFFSET_MINUTES } from '../core/calendar.js';
import {
  COMPLAINT_CATEGORY_NAMES,
  COMPLAINT_STATUS_NAMES,
  complaintDueAt,
  complaintTimeliness,
  formatComplaintCode,
  type ComplaintCategory,
  type ComplaintStatus,
} from '../core/feedback.js';
import { inJurisdiction, isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { ComplaintsTable } from '../platform/db-types.js';
import { AppError, conflict, forbidden, invalidField, notFound } from '../platform/errors.js';
import { rateLimit } from '../platform/rate-limit.js';
import { decodeCursor, encodeCursor } from '../platform/schemas.js';
import { isValidDateTime } from '../platform/dates.js';

type ComplaintRow = Selectable<ComplaintsTable>;

/** Who answers: the one-stop desk and the unit's leader (the specialist handles dossiers, not complaints). */
const ANSWERING_ROLES = ['desk_officer', 'unit_leader'] as const;

export function complaintView(r: ComplaintRow & { dossier_code?: string | null; unit_name?: string | null }, now: Date, forStaff: boolean) {
  const timeliness = complaintTimeliness({ dueAt: r.due_at, answeredAt: r.answered_at, now }, VIETNAM_UTC_OFFSET_MINUTES);
  return {
    code: r.code,
    category: r.category,
    categoryName: COMPLAINT_CATEGORY_NAMES[r.category],
    dossierCode: r.dossier_code ?? null,
    unitCode: r.unit_code,
    unitName: r.unit_name ?? null,
    content: r.content,
    receivedAt: r.received_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    status: r.status,
    statusName: COMPLAINT_STATUS_NAMES[r.status],
    answer: r.answer,
    answeredAt: r.answered_at?.toISOString() ?? null,
    answeredBy: forStaff ? r.answered_by : null,
    /** on_time / late once answered; pending / overdue before. */
    timeliness,
    answeredOnTime: r.answered_on_time,
    overdue: timeliness === 'overdue',
  };
}

const selectComplaint = (ctx: AppContext) =>
  ctx.db
    .selectFrom('complaints as c')
    .innerJoin('units as u', 'u.code', 'c.unit_code')
    .leftJoin('dossiers as d', 'd.id', 'c.dossier_id')
    .selectAll('c')
    .select(['u.name as unit_name', 'u.path as unit_path', 'd.code as dossier_code']);

export interface FileComplaintInput {
  category: ComplaintCategory;
  content: string;
  dossierCode?: string;
  unitCode?: string;
}

export async function fileComplaint(ctx: AppContext, actor: Actor, input: FileComplaintInput) {
  if (actor.role !== 'citizen') {
    throw forbidden('Complaints and recommendations are filed by applicants.', 'Phản ánh, kiến nghị do người dân, doanh nghiệp gửi.');
  }
  const content = input.content.trim();
  if (!content) throw invalidField('content', 'write what the complaint is about', 'vui lòng nhập nội dung phản ánh, kiến nghị');
  if (!input.dossierCode && !input.unitCode) {
    throw invalidField('unitCode', 'choose the dossier or the unit the complaint is about', 'hãy chọn hồ sơ hoặc cơ quan, đơn vị bị phản ánh, kiến nghị');
  }
  let dossierId: number | null = null;
  let unitCode: string;
  if (input.dossierCode) {
    const d = await ctx.db.selectFrom('dossiers').select(['id', 'owner_id', 'receiving_unit']).where('code', '=', input.dossierCode).executeTakeFirst();
    // Someone else's dossier is as unknown as a dossier that does not exist.
    if (!d || d.owner_id !== actor.userId) throw invalidField('dossierCode', `you have no dossier "${input.dossierCode}"`, `bạn không có hồ sơ "${input.dossierCode}"`);
    if (input.unitCode && input.unitCode !== d.receiving_unit) {
      throw invalidField('unitCode', `a complaint about dossier ${input.dossierCode} goes to its receiving unit ${d.receiving_unit}`, `phản ánh về hồ sơ ${input.dossierCode} được gửi tới đơn vị tiếp nhận ${d.receiving_unit}`);
    }
    dossierId = d.id;
    unitCode = d.receiving_unit;
  } else {
    unitCode = input.unitCode!;
  }
  const unit = await ctx.db.selectFrom('units').select(['code', 'kind', 'active', 'parent_code']).where('code', '=', unitCode).executeTakeFirst();
  if (!unit || !unit.active || unit.kind === 'nation') throw invalidField('unitCode', `unknown unit "${unitCode}"`, `không có cơ quan, đơn vị "${unitCode}"`);
  // A desk answers for the unit above it.
  if (unit.kind === 'desk' && unit.parent_code) unitCode = unit.parent_code;

  const now = ctx.now();
  await rateLimit(ctx.db, `complaint:${actor.userId}`, { limit: 20, windowSeconds: 24 * 3600 }, now);
  const cal = await ctx.calendars.forUnit(unitCode);
  const day = localDateOf(cal, now);
  const dueAt = complaintDueAt(cal, now);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const c = await trx
      .insertInto('complaint_code_counters')
      .values({ unit_code: unitCode, day, last_value: 1 })
      .onConflict((oc) => oc.columns(['unit_code', 'day']).doUpdateSet({ last_value: sql`complaint_code_counters.last_value + 1` }))
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return trx
      .insertInto('complaints')
      .values({
        code: formatComplaintCode(unitCode, day, c.last_value),
        submitter_id: actor.userId,
        dossier_id: dossierId,
        unit_code: unitCode,
        category: input.category,
        content,
        received_at: now,
        due_at: dueAt,
        updated_at: now,
      })
      .returning('code')
      .executeTakeFirstOrThrow();
  });
  return getComplaint(ctx, actor, row.code);
}

/** The complaint's unit path, when the actor may handle it; staff of a desk work for the unit above. */
function staffRootPath(actor: Actor): string | null {
  if (!isStaff(actor) || !actor.unitPath) return null;
  return actor.unitKind === 'desk' ? actor.unitPath.replace(/[^/]+\/$/, '') : actor.unitPath;
}

function staffSees(actor: Actor, unitPath: string): boolean {
  const root = staffRootPath(actor);
  return root !== null && (unitPath.startsWith(root) || inJurisdiction(actor, unitPath));
}

export async function getComplaint(ctx: AppContext, actor: Actor, code: string) {
  const row = await selectComplaint(ctx).where('c.code', '=', code).executeTakeFirst();
  const mine = row && actor.role === 'citizen' && row.submitter_id === actor.userId;
  if (!row || !(mine || staffSees(actor, row.unit_path))) throw notFound('Complaint', 'phản ánh, kiến nghị', code);
  return complaintView(row, ctx.now(), isStaff(actor));
}

export async function myComplaints(ctx: AppContext, actor: Actor, cursor: string | undefined, limit: number) {
  const cur = decodeCursor(cursor);
  if (cursor && (!cur || cur.length !== 1 || !Number.isSafeInteger(cur[0]))) throw invalidCursor();
  let q = selectComplaint(ctx).where('c.submitter_id', '=', actor.userId);
  if (cur) q = q.where('c.id', '<', cur[0] as number);
  const rows = await q.orderBy('c.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const now = ctx.now();
  return {
    items: page.map((r) => complaintView(r, now, false)),
    nextCursor: rows.length > limit && page.length ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

export interface StaffComplaintQuery {
  unit?: string;
  status?: ComplaintStatus[];
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}

/** A unit's complaints (and those of the units below it), soonest due first; keyset on (due_at, id). */
export async function staffComplaints(ctx: AppContext, actor: Actor, q: StaffComplaintQuery) {
  const root = staffRootPath(actor);
  if (!root) throw forbidden('This is for officials only.', 'Chức năng này chỉ dành cho cán bộ.');
  let path = root;
  if (q.unit) {
    const unit = await ctx.db.selectFrom('units').select('path').where('code', '=', q.unit).executeTakeFirst();
    if (!unit) throw notFound('Unit', 'đơn vị', q.unit);
    if (!staffSees(actor, unit.path)) throw forbidden(`Unit ${q.unit} is outside your jurisdiction.`, `Đơn vị ${q.unit} nằm ngoài phạm vi của bạn.`);
    path = unit.path;
  }
  const units = (await ctx.db.selectFrom('units').select('code').where('path', 'like', `${path}%`).execute()).map((u) => u.code);
  const now = ctx.now();
  const limit = q.limit ?? 50;
  let query = selectComplaint(ctx).where('c.unit_code', 'in', units);
  if (q.status?.length) query = query.where('c.status', 'in', q.status);
  if (q.overdue) query = query.where('c.status', '<>', 'answered').where('c.due_at', '<', now);
  const cur = decodeCursor(q.cursor);
  if (q.cursor && (!cur || cur.length !== 2 || typeof cur[0] !== 'string' || !isValidDateTime(cur[0]) || !Number.isSafeInteger(cur[1]))) throw invalidCursor();
  if (cur) query = query.where(sql<boolean>`(c.due_at, c.id) > (${cur[0] as string}::timestamptz, ${cur[1] as number})`);
  const rows = await query.orderBy('c.due_at').orderBy('c.id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => complaintView(r, now, true)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.due_at.toISOString(), last.id]) : null,
  };
}

async function loadForStaff(ctx: AppContext, actor: Actor, code: string) {
  const row = await selectComplaint(ctx).where('c.code', '=', code).executeTakeFirst();
  if (!row || !staffSees(actor, row.unit_path)) throw notFound('Complaint', 'phản ánh, kiến nghị', code);
  if (!(ANSWERING_ROLES as readonly string[]).includes(actor.role)) {
    throw forbidden('Complaints are handled by the one-stop desk or the unit’s leader.', 'Phản ánh, kiến nghị do Bộ phận Một cửa hoặc lãnh đạo đơn vị xử lý.');
  }
  return row;
}

export async function markProcessing(ctx: AppContext, actor: Actor, code: string) {
  const row = await loadForStaff(ctx, actor, code);
  if (row.status !== 'received') {
    throw conflict('complaint_not_new', `This complaint is already ${row.status}.`, `Phản ánh, kiến nghị này đã ở trạng thái "${COMPLAINT_STATUS_NAMES[row.status].vi}".`);
  }
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('complaints').set({ status: 'processing', updated_at: now }).where('id', '=', row.id).where('status', '=', 'received').returning('id').executeTakeFirst();
    if (!updated) throw conflict('complaint_not_new', 'This complaint was taken up by someone else just now.', 'Phản ánh, kiến nghị này vừa được người khác tiếp nhận xử lý.');
    await trx
      .insertInto('audit_log')
      .values({ at: now, actor_id: actor.userId, action: 'complaint.processing', object_type: 'complaint', object_id: row.code, reason: null, details: JSON.stringify({}) })
      .execute();
  });
  return getComplaint(ctx, actor, code);
}

export async function answerComplaint(ctx: AppContext, actor: Actor, code: string, answerText: string) {
  const row = await loadForStaff(ctx, actor, code);
  const answer = answerText.trim();
  if (!answer) throw invalidField('answer', 'write the answer', 'vui lòng nhập nội dung trả lời');
  const now = ctx.now();
  const onTime = complaintTimeliness({ dueAt: row.due_at, answeredAt: now, now }, VIETNAM_UTC_OFFSET_MINUTES) === 'on_time';
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('complaints')
      .set({ status: 'answered', answer, answered_by: actor.userId, answered_at: now, answered_on_time: onTime, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '<>', 'answered')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw conflict('already_answered', 'This complaint has already been answered.', 'Phản ánh, kiến nghị này đã được trả lời.');
    await trx
      .insertInto('audit_log')
      .values({ at: now, actor_id: actor.userId, action: 'complaint.answer', object_type: 'complaint', object_id: row.code, reason: null, details: JSON.stringify({ onTime, length: answer.length }) })
      .execute();
  });
  return getComplaint(ctx, actor, code);
}

function invalidCursor(): AppError {
  return new AppError(400, 'invalid_cursor', 'The cursor is not valid; start again from the first page.', 'Con trỏ phân trang không hợp lệ; hãy tải lại từ trang đầu.');
}
