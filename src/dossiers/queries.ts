/**
 * Reading dossiers: one dossier (scope-checked), its history, and the staff work queue with keyset
 * pagination on (queue_due, id) — the queue indexes serve one unit's queue directly (the queues'
 * WHERE clauses are in queue-filters.ts, shared with the tab counts).
 */
import { sql } from 'kysely';
import { allowedActions, ACTION_NAMES, OPEN_STATUSES, STATUS_NAMES, type StatusCode } from '../core/dossier-machine.js';
import { classifyPending } from '../core/timeliness.js';
import { isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { decodeCursor, encodeCursor } from '../platform/schemas.js';
import { isValidDateTime } from '../platform/dates.js';
import { canAct, canSee } from './act.js';
import { listAttachments, type AttachmentViewT } from './attachments.js';
import { checkFilterCodes, dueBounds, queueScope, queueWhere, type QueueFilters, type QueueSpec } from './queue-filters.js';
import { rowToState, selectDossier, selectScopedDossier, type DossierRow, type ScopedDossierRow } from './repository.js';

export const STATUS_SLUGS: Record<StatusCode, string> = {
  1: 'submitted',
  2: 'received',
  3: 'refused',
  4: 'processing',
  5: 'supplement_requested',
  6: 'payment_requested',
  7: 'withdrawn',
  8: 'stopped',
  9: 'finished',
  10: 'returned',
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function dossierView(r: DossierRow, actor: Actor | null, now: Date, procedureName?: string) {
  const s = rowToState(r);
  const open = OPEN_STATUSES.includes(s.statusCode);
  return {
    code: r.code,
    procedureCode: r.procedure_code,
    procedureName: procedureName ?? null,
    caseCode: r.case_code,
    channel: r.channel,
    status: STATUS_SLUGS[s.statusCode],
    statusCode: s.statusCode,
    statusName: STATUS_NAMES[s.statusCode],
    receivingUnit: r.receiving_unit,
    decidingUnit: r.deciding_unit,
    currentUnit: r.current_unit,
    currentStep: r.current_step,
    stepDueAt: actor && isStaff(actor) ? iso(r.step_due_at) : null,
    assigneeId: actor && isStaff(actor) ? r.assignee_id : null,
    applicant: {
      type: r.applicant_type,
      name: r.applicant_name,
      idNumber: r.applicant_id_number,
      phone: r.applicant_phone,
      email: r.applicant_email,
      address: r.applicant_address,
    },
    formData: r.form_data,
    submittedAt: r.submitted_at.toISOString(),
    receivedAt: iso(r.received_at),
    appointmentAt: iso(r.appointment_at),
    legalAppointmentAt: iso(r.legal_appointment_at),
    clockPaused: r.paused_at !== null,
    supplementRequestCount: r.supplement_request_count,
    apologyCount: r.apology_count,
    feeAmount: r.fee_amount === null ? null : Number(r.fee_amount),
    paidAt: iso(r.paid_at),
    transferSentAt: iso(r.transfer_sent_at),
    transferReceivedAt: iso(r.transfer_received_at),
    transferReturnedAt: iso(r.transfer_returned_at),
    finishedAt: iso(r.finished_at),
    returnedAt: iso(r.returned_at),
    timeliness: r.timeliness,
    pendingTimeliness:
      open && r.received_at && r.paused_at === null
        ? classifyPending({ appointmentAt: r.legal_appointment_at, periodEnd: now })
        : null,
    allowedActions: actor
      ? allowedActions(s, { role: actor.role, userId: actor.userId, isOwner: actor.role === 'citizen' && r.owner_id === actor.userId })
      : [],
    version: r.version,
  };
}

export async function getDossier(ctx: AppContext, actor: Actor, code: string) {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  // The documents submitted (what the receipt lists), and the signed result once there is one;
  // only those who may see the dossier get here.
  const [attachments, signed] = await Promise.all([
    listAttachments(ctx.db, { dossierId: row.id }),
    ctx.db.selectFrom('signed_results').select(['verification_code', 'signed_at']).where('dossier_id', '=', row.id).executeTakeFirst(),
  ]);
  const view = scopedView({ ...row, attachments }, actor, ctx.now());
  return {
    ...view,
    signedResult: signed
      ? { verificationCode: signed.verification_code, signedAt: signed.signed_at.toISOString(), downloadUrl: `/api/dossiers/${row.code}/result.pdf`, verifyUrl: `/verify?code=${signed.verification_code}` }
      : null,
  };
}

/**
 * The view of a dossier the actor may see; actions are offered only where they may act.
 * `attachments` is included when the row carries them (GET one dossier, submit).
 */
export function scopedView(row: ScopedDossierRow & { attachments?: AttachmentViewT[] }, actor: Actor, now: Date) {
  const view: ReturnType<typeof dossierView> & { attachments?: AttachmentViewT[] } = dossierView(row, actor, now, row.procedure_name);
  if (!canAct(actor, row)) view.allowedActions = [];
  if (row.attachments) view.attachments = row.attachments;
  return view;
}

export async function getHistory(ctx: AppContext, actor: Actor, code: string) {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  const staff = isStaff(actor);
  const actions = await ctx.db
    .selectFrom('dossier_actions as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.seq',
      'a.type',
      'a.at',
      'a.actor_role',
      'a.actor_unit',
      'u.full_name',
      'a.from_status',
      'a.to_status',
      'a.from_unit',
      'a.to_unit',
      'a.from_step',
      'a.to_step',
      'a.step_timeliness',
      'a.reason',
      'a.payload',
    ])
    .where('a.dossier_id', '=', row.id)
    .orderBy('a.seq')
    .execute();
  return {
    code,
    items: actions.map((a) => ({
      seq: a.seq,
      type: a.type,
      typeName: ACTION_NAMES[a.type as keyof typeof ACTION_NAMES] ?? { vi: a.type, en: a.type },
      at: a.at.toISOString(),
      actorRole: a.actor_role,
      // Applicants see what was done and why, not which official did it.
      actorName: staff ? a.full_name : null,
      actorUnit: a.actor_unit,
      fromStatus: a.from_status,
      toStatus: a.to_status,
      fromUnit: a.from_unit,
      toUnit: a.to_unit,
      fromStep: staff ? a.from_step : null,
      toStep: staff ? a.to_step : null,
      stepTimeliness: a.step_timeliness,
      reason: a.reason,
      payload: staff ? a.payload : publicPayload(a.payload),
    })),
  };
}

function publicPayload(p: Record<string, unknown>): Record<string, unknown> {
  const keep = ['missing', 'appointmentAt', 'previousAppointmentAt', 'amount', 'method', 'trackingNumber', 'postalTrackingNumber', 'documents'];
  return Object.fromEntries(Object.entries(p).filter(([k]) => keep.includes(k)));
}

export interface QueueQuery extends QueueSpec, QueueFilters {
  unit?: string;
  status?: number[];
  cursor?: string;
  limit?: number;
}

export async function workQueue(ctx: AppContext, actor: Actor, q: QueueQuery) {
  const { unit, codes } = await queueScope(ctx, actor, q.unit);
  await checkFilterCodes(ctx, q);
  const now = ctx.now();
  const limit = q.limit ?? 50;
  const spec: QueueSpec = { status: q.status, due: q.due, step: q.step };
  let query = ctx.db
    .selectFrom('dossiers as d')
    .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
    .selectAll('d')
    .select([sql<string[]>`p.steps`.as('steps'), 'p.name as procedure_name'])
    .where(queueWhere({ actor, codes, spec, filters: q, due: q.due ? await dueBounds(ctx, unit.code, now) : null }));
  const cur = decodeCursor(q.cursor);
  if (q.cursor && (!cur || cur.length !== 2 || typeof cur[0] !== 'string' || !Number.isSafeInteger(cur[1]) || (cur[0] !== 'infinity' && !isValidDateTime(cur[0])))) {
    throw invalidCursor();
  }
  if (cur) {
    const [due, id] = cur as [string, number];
    query = query.where(sql<boolean>`(d.queue_due, d.id) > (${due === 'infinity' ? sql`'infinity'::timestamptz` : sql`${due}::timestamptz`}, ${id})`);
  }
  const rows = (await query.orderBy('d.queue_due').orderBy('d.id').limit(limit + 1).execute()) as Array<DossierRow & { procedure_name: string }>;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const hasMore = rows.length > limit;
  return {
    items: page.map((r) => {
      const v = dossierView(r, actor, now, r.procedure_name);
      return {
        code: v.code,
        procedureCode: v.procedureCode,
        procedureName: v.procedureName,
        status: v.status,
        statusCode: v.statusCode,
        channel: v.channel,
        applicantName: v.applicant.name,
        currentUnit: v.currentUnit,
        currentStep: v.currentStep,
        submittedAt: v.submittedAt,
        appointmentAt: v.appointmentAt,
        pendingTimeliness: v.pendingTimeliness,
      };
    }),
    nextCursor:
      hasMore && last
        ? encodeCursor([dueKey(last.queue_due), last.id])
        : null,
  };
}

export async function myDossiers(ctx: AppContext, actor: Actor, cursor: string | undefined, limit: number) {
  const cur = decodeCursor(cursor);
  if (cursor && (!cur || cur.length !== 1 || !Number.isSafeInteger(cur[0]))) throw invalidCursor();
  let q = selectDossier(ctx.db)
    .innerJoin('procedures as pn', 'pn.code', 'd.procedure_code')
    .select('pn.name as procedure_name')
    .where('d.owner_id', '=', actor.userId);
  if (cur) q = q.where('d.id', '<', cur[0] as number);
  const rows = (await q.orderBy('d.id', 'desc').limit(limit + 1).execute()) as Array<DossierRow & { procedure_name: string }>;
  const page = rows.slice(0, limit);
  const now = ctx.now();
  return {
    items: page.map((r) => dossierView(r, actor, now, r.procedure_name)),
    nextCursor: rows.length > limit && page.length ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

function invalidCursor(): AppError {
  return new AppError(400, 'invalid_cursor', 'The cursor is not valid; start again from the first page.', 'Con trỏ phân trang không hợp lệ; hãy tải lại từ trang đầu.');
}

/** queue_due as a cursor value; 'infinity' (no appointment) comes back from pg as a number. */
function dueKey(v: unknown): string {
  return v instanceof Date && Number.isFinite(v.getTime()) ? v.toISOString() : 'infinity';
}
