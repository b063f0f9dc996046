/**
 * Storage of dossiers: mapping between rows and the core's DossierState, locking a dossier for an
 * action, and writing an action together with the state it produces (one transaction).
 */
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { TimeLimitKind } from '../core/calendar.js';
import type { Channel, Decision, DossierState, StatusCode } from '../core/dossier-machine.js';
import type { DB, DossiersTable } from '../platform/db-types.js';
import { aggStateOf, deltasOf } from '../core/aggregates.js';
import { aggregateCtes } from '../monitoring/aggregates.js';
import { stepCtes } from '../monitoring/step-aggregates.js';

/** Vietnam (UTC+7): the local days the aggregates count in, unless a caller passes its calendar's offset. */
export const VIETNAM_UTC_OFFSET_MINUTES = 420;

/** A dossier with its procedure's steps (and step norms, where the query selected them). */
export type DossierRow = Selectable<DossiersTable> & { steps: string[]; step_norms?: Record<string, number> | null };

export function rowToState(r: DossierRow): DossierState {
  return {
    statusCode: r.status_code as StatusCode,
    channel: r.channel as Channel,
    receivingUnit: r.receiving_unit,
    decidingUnit: r.deciding_unit,
    currentUnit: r.current_unit,
    currentStep: r.current_step,
    assigneeId: r.assignee_id,
    ownerId: r.owner_id,
    steps: r.steps,
    stepNorms: r.step_norms ?? null,
    stepDueAt: r.step_due_at,
    stepEnteredAt: r.step_entered_at,
    stepWaitedWorkingMs: Number(r.step_waited_working_ms),
    submittedAt: r.submitted_at,
    receivedAt: r.received_at,
    limitKind: r.limit_kind as TimeLimitKind,
    limitValue: Number(r.limit_value),
    appointmentAt: r.appointment_at,
    legalAppointmentAt: r.legal_appointment_at,
    appointmentSetBy: r.appointment_set_by,
    pausedAt: r.paused_at,
    pausedWorkingMs: Number(r.paused_working_ms),
    supplementRequestCount: r.supplement_request_count,
    apologyCount: r.apology_count,
    feeAmount: r.fee_amount === null ? null : Number(r.fee_amount),
    paidAt: r.paid_at,
    transferSentAt: r.transfer_sent_at,
    transferReceivedAt: r.transfer_received_at,
    transferReturnedAt: r.transfer_returned_at,
    finishedAt: r.finished_at,
    returnedAt: r.returned_at,
    timeliness: r.timeliness,
  };
}

/** Columns that an action may change, from a state. */
export function stateColumns(s: DossierState) {
  return {
    status_code: s.statusCode,
    current_unit: s.currentUnit,
    current_step: s.currentStep,
    step_due_at: s.stepDueAt,
    step_entered_at: s.stepEnteredAt,
    step_waited_working_ms: s.stepWaitedWorkingMs,
    assignee_id: s.assigneeId,
    received_at: s.receivedAt,
    appointment_at: s.appointmentAt,
    legal_appointment_at: s.legalAppointmentAt,
    appointment_set_by: s.appointmentSetBy,
    paused_at: s.pausedAt,
    paused_working_ms: s.pausedWorkingMs,
    supplement_request_count: s.supplementRequestCount,
    apology_count: s.apologyCount,
    fee_amount: s.feeAmount,
    paid_at: s.paidAt,
    transfer_sent_at: s.transferSentAt,
    transfer_received_at: s.transferReceivedAt,
    transfer_returned_at: s.transferReturnedAt,
    finished_at: s.finishedAt,
    returned_at: s.returnedAt,
    timeliness: s.timeliness,
  };
}

export const selectDossier = (db: Kysely<DB>) =>
  db
    .selectFrom('dossiers as d')
    .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
    .selectAll('d')
    .select([sql<string[]>`p.steps`.as('steps'), sql<Record<string, number>>`p.step_norms`.as('step_norms')]);

/** A dossier with what scope checks and views need: the procedure's name and the paths of its units. */
export type ScopedDossierRow = DossierRow & {
  procedure_name: string;
  current_path: string;
  receiving_path: string;
  deciding_path: string;
};

/** One query for a dossier and everything its scope check needs (no second round trip for unit paths). */
export const selectScopedDossier = (db: Kysely<DB>) =>
  selectDossier(db)
    .innerJoin('units as cu', 'cu.code', 'd.current_unit')
    .innerJoin('units as ru', 'ru.code', 'd.receiving_unit')
    .innerJoin('units as du', 'du.code', 'd.deciding_unit')
    .select(['p.name as procedure_name', 'cu.path as current_path', 'ru.path as receiving_path', 'du.path as deciding_path']);


export interface ActorStamp {
  userId: number | null;
  role: string;
  unit: string | null;
}

export type AtomicWrite = { kind: 'written'; row: Selectable<DossiersTable> } | { kind: 'replay' } | { kind: 'conflict' };

/**
 * Optimistic write without an explicit transaction: ONE statement appends the action and moves the
 * state, guarded by the action count read before. Two writers acting on the same dossier at once
 * both try sequence number n+1; the unique (dossier_id, seq) lets exactly one in, and the other
 * gets 'conflict' and starts again from a fresh read. A key already used on this dossier leaves
 * everything untouched ('replay'). Returns the new row (RETURNING *), so no re-read is needed.
 * Inside a transaction that holds the dossier's row lock (recomputation) there is no 'conflict'.
 */
export async function writeDecisionAtomic(
  db: Kysely<DB>,
  row: Pick<DossierRow, 'id' | 'action_count' | 'deciding_unit' | 'procedure_code' | 'channel' | 'received_at' | 'finished_at' | 'legal_appointment_at'>,
  type: string,
  decision: Decision,
  actor: ActorStamp,
  at: Date,
  idempotencyKey: string,
  utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES,
): Promise<AtomicWrite> {
  const seq = row.action_count + 1;
  // The monitoring aggregates move in the same statement, only if the action is recorded ('u').
  const before = aggStateOf({ receivedAt: row.received_at, finishedAt: row.finished_at, legalAppointmentAt: row.legal_appointment_at }, utcOffsetMinutes);
  const after = aggStateOf(decision.next, utcOffsetMinutes);
  const deltas = deltasOf(before, after, { type, at, toStatus: decision.record.toStatus, payload: decision.record.payload }, utcOffsetMinutes);
  const ctes = aggregateCtes({ unit: row.deciding_unit, procedureCode: row.procedure_code, channel: row.channel }, deltas, 'u');
  // Time at the step the action leaves (issue 5 item 9), in the same statement.
  ctes.push(...stepCtes({ unit: row.deciding_unit, procedureCode: row.procedure_code }, decision.record, at, 'u', utcOffsetMinutes));
  try {
    let q = db
      .with('a', (qb) =>
        qb
          .insertInto('dossier_actions')
          .values(actionValues(row.id, seq, type, decision, actor, at, idempotencyKey))
          .onConflict((oc) => oc.constraint('dossier_actions_idempotency_key').doNothing())
          .returning('id'),
      )
      .with('u', (qb) =>
        qb
          .updateTable('dossiers')
          .set({ ...stateColumns(decision.next), action_count: seq, version: sql`version + 1`, updated_at: at })
          .where('id', '=', row.id)
          .where('action_count', '=', row.action_count)
          .where(sql<boolean>`exists (select 1 from a)`)
          .returningAll(),
      );
    // Raw CTEs have no row type Kysely can check; they only write, and the final select reads 'u'.
    type WithRaw = { with(name: string, cte: () => RawBuilder<unknown>): WithRaw };
    for (const [name, query] of ctes) q = (q as unknown as WithRaw).with(name, () => query) as unknown as typeof q;
    const updated = await q.selectFrom('u').selectAll().executeTakeFirst();
    if (updated) return { kind: 'written', row: updated };
    const prior = await db
      .selectFrom('dossier_actions')
      .select('id')
      .where('dossier_id', '=', row.id)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return prior ? { kind: 'replay' } : { kind: 'conflict' };
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'dossier_actions_seq_key') return { kind: 'conflict' };
    throw err;
  }
}

export function actionValues(
  dossierId: number,
  seq: number,
  type: string,
  d: Decision,
  actor: ActorStamp,
  at: Date,
  idempotencyKey: string,
) {
  return {
    dossier_id: dossierId,
    seq,
    type,
    at,
    actor_id: actor.userId,
    actor_role: actor.role,
    actor_unit: actor.unit,
    from_status: d.record.fromStatus,
    to_status: d.record.toStatus,
    from_unit: d.record.fromUnit,
    to_unit: d.record.toUnit,
    from_step: d.record.fromStep,
    to_step: d.record.toStep,
    step_timeliness: d.record.stepTimeliness,
    reason: d.record.reason,
    payload: JSON.stringify(d.record.payload),
    idempotency_key: idempotencyKey,
  };
}
