/**
 * Following a dossier: its public timeline (the steps the applicant sees, the appointment and
 * early / on time / late; what is missing when a supplement is requested), for the applicant who
 * owns it and for staff in scope (same scope check as GET /api/dossiers/:code). The anonymous
 * lookup (lookup.ts) serves the same view.
 */
import type { Kysely } from 'kysely';
import { CHANNEL_NAMES, STATUS_NAMES, type Channel, type StatusCode } from '../core/dossier-machine.js';
import { buildTimeline, pendingSupplement, publicTimeliness, TIMELINESS_LABELS, type TimelineAction, type TimelineDossier } from '../core/timeline.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { notFound } from '../platform/errors.js';
import { canSee } from './act.js';
import { STATUS_SLUGS } from './queries.js';
import { selectScopedDossier, type ScopedDossierRow } from './repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What the public view needs from a dossier row (no applicant data). */
export type TimelineRow = Pick<
  ScopedDossierRow,
  | 'id'
  | 'code'
  | 'procedure_code'
  | 'case_code'
  | 'channel'
  | 'status_code'
  | 'receiving_unit'
  | 'submitted_at'
  | 'received_at'
  | 'appointment_at'
  | 'legal_appointment_at'
  | 'paused_at'
  | 'finished_at'
  | 'timeliness'
>;

export async function loadActions(db: Kysely<DB>, dossierId: number): Promise<TimelineAction[]> {
  const rows = await db
    .selectFrom('dossier_actions')
    .select(['type', 'at', 'from_status', 'to_status', 'from_unit', 'to_unit', 'reason', 'payload'])
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute();
  return rows.map((a) => ({
    type: a.type,
    at: a.at,
    fromStatus: a.from_status,
    toStatus: a.to_status,
    fromUnit: a.from_unit,
    toUnit: a.to_unit,
    reason: a.reason,
    payload: a.payload ?? {},
  }));
}

/** The procedure's and the case's names, and the receiving unit's name, in one query. */
async function loadNames(db: Kysely<DB>, row: TimelineRow) {
  return db
    .selectFrom('procedures as p')
    .innerJoin('procedure_cases as c', (j) => j.onRef('c.procedure_code', '=', 'p.code').on('c.code', '=', row.case_code))
    .innerJoin('units as u', (j) => j.on('u.code', '=', row.receiving_unit))
    .select(['p.code', 'p.name', 'p.name_en', 'c.name as case_name', 'c.name_en as case_name_en', 'u.name as unit_name', 'u.name_en as unit_name_en'])
    .where('p.code', '=', row.procedure_code)
    .executeTakeFirstOrThrow();
}

export function toTimelineDossier(row: TimelineRow): TimelineDossier {
  return {
    statusCode: row.status_code as StatusCode,
    receivingUnit: row.receiving_unit,
    receivedAt: row.received_at,
    appointmentAt: row.appointment_at,
    legalAppointmentAt: row.legal_appointment_at,
    pausedAt: row.paused_at,
    finishedAt: row.finished_at,
    timeliness: row.timeliness,
  };
}

/**
 * The public timeline view. `forAnonymous` (the lookup without login) also drops what the
 * applicant uploaded by name in a supplement (file names may carry personal data).
 */
export async function timelineView(ctx: AppContext, row: TimelineRow, opts: { forAnonymous: boolean }) {
  const [names, actions] = await Promise.all([loadNames(ctx.db, row), loadActions(ctx.db, row.id)]);
  const d = toTimelineDossier(row);
  const status = row.status_code as StatusCode;
  const t = publicTimeliness(d, ctx.now());
  const supplement = pendingSupplement(d, actions);
  return {
    code: row.code,
    procedure: { code: names.code, name: names.name, nameEn: names.name_en || null },
    case: { code: row.case_code, name: names.case_name, nameEn: names.case_name_en || null },
    channel: { code: row.channel, ...CHANNEL_NAMES[row.channel as Channel] },
    receivingUnit: { code: row.receiving_unit, name: names.unit_name, nameEn: names.unit_name_en },
    status: { code: status, slug: STATUS_SLUGS[status], vi: STATUS_NAMES[status].vi, en: STATUS_NAMES[status].en },
    submittedAt: row.submitted_at.toISOString(),
    receivedAt: iso(row.received_at),
    appointmentAt: iso(row.appointment_at),
    timeliness: { code: t, ...TIMELINESS_LABELS[t] },
    clockPaused: row.paused_at !== null,
    missing: supplement ? { requestedAt: supplement.requestedAt.toISOString(), reason: supplement.reason, items: supplement.missing } : null,
    steps: buildTimeline(d, actions).map((s) => ({
      kind: s.kind,
      at: s.at.toISOString(),
      label: s.label,
      statusCode: s.statusCode,
      upcoming: s.upcoming,
      reason: s.reason,
      missing: s.missing,
      documents: opts.forAnonymous ? null : s.documents,
      appointmentAt: iso(s.appointmentAt),
      previousAppointmentAt: iso(s.previousAppointmentAt),
      amount: s.amount,
      returnMethod: s.returnMethod,
      returnMethodLabel: s.returnMethodLabel,
      trackingNumber: s.trackingNumber,
      timeliness: s.timeliness,
    })),
  };
}

export type TimelineView = Awaited<ReturnType<typeof timelineView>>;

/** A dossier the actor may see (the owner, or staff whose jurisdiction holds, received or decides it); 404 otherwise. */
export async function findVisibleDossier(ctx: AppContext, actor: Actor, code: string): Promise<ScopedDossierRow> {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

export async function getTimeline(ctx: AppContext, actor: Actor, code: string): Promise<TimelineView> {
  const row = await findVisibleDossier(ctx, actor, code);
  return timelineView(ctx, row, { forAnonymous: false });
}
