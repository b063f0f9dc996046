/**
 * Building a dossier from its past: a submission and a list of timed actions, replayed through the
 * core's `decide`. Used by the historical import (one transaction per dossier) and by the demo
 * simulator (batched), so both obey exactly the rules live use does.
 */
import type { Insertable } from 'kysely';
import type { CalendarConfig, TimeLimitKind } from '../core/calendar.js';
import { decide, newDossierState, RULES, type Channel, type Command, type Decision, type DossierState, type Role } from '../core/dossier-machine.js';
import type { DossierActionsTable, DossiersTable } from '../platform/db-types.js';
import { actionValues, stateColumns } from './repository.js';
import type { ActionFacts } from '../core/aggregates.js';
import type { AggKey } from '../monitoring/aggregates.js';

export interface HistoricalAction {
  command: Command;
  at: Date;
  actor?: { userId: number | null; role: Role; unit: string | null };
}

/** The applicant as recorded on a dossier. */
export interface ApplicantInfo {
  type: 'citizen' | 'business';
  name: string;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface HistoricalDossier {
  code: string;
  procedureCode: string;
  caseCode: string;
  channel: Channel;
  receivingUnit: string;
  decidingUnit: string;
  steps: readonly string[];
  /** The procedure's configured step norms (none: shares of the time limit). */
  stepNorms?: Record<string, number> | null;
  limitKind: TimeLimitKind;
  limitValue: number;
  feeAmount: number | null;
  ownerId: number | null;
  applicant: ApplicantInfo;
  submittedAt: Date;
  actions: HistoricalAction[];
}

export interface ReplayedDossier {
  dossier: Omit<Insertable<DossiersTable>, 'id'>;
  actions: Array<Omit<Insertable<DossierActionsTable>, 'dossier_id'>>;
  state: DossierState;
}

/** The role an action is done by when the history does not say (the first staff role allowed). */
export function defaultRole(type: Command['type']): Role {
  const roles = RULES[type].roles;
  return roles.find((r) => r !== 'citizen') ?? roles[0] ?? 'system';
}

/** Replays the history; throws TransitionError (with the action's index in `actionIndex`) on the first illegal step. */
export function replayDossier(h: HistoricalDossier, cal: CalendarConfig, keyPrefix: string): ReplayedDossier {
  let state = newDossierState({
    channel: h.channel,
    receivingUnit: h.receivingUnit,
    decidingUnit: h.decidingUnit,
    steps: h.steps,
    stepNorms: h.stepNorms ?? null,
    submittedAt: h.submittedAt,
    limitKind: h.limitKind,
    limitValue: h.limitValue,
    ownerId: h.ownerId,
    feeAmount: h.feeAmount,
  });
  const submitDecision: Decision = {
    next: state,
    record: {
      fromStatus: null,
      toStatus: 1,
      fromUnit: null,
      toUnit: h.receivingUnit,
      fromStep: null,
      toStep: state.currentStep,
      stepTimeliness: null,
      reason: null,
      payload: { channel: h.channel, fee: h.feeAmount ?? 0 },
    },
  };
  const submitter = { userId: h.ownerId, role: h.ownerId ? 'citizen' : 'desk_officer', unit: h.ownerId ? null : h.receivingUnit };
  const actions: ReplayedDossier['actions'] = [strip(actionValues(0, 1, 'submit', submitDecision, submitter, h.submittedAt, `${keyPrefix}:0`))];
  let last = h.submittedAt;
  h.actions.forEach((a, i) => {
    if (a.at.getTime() < last.getTime()) {
      throw Object.assign(new Error(`action ${i + 1} (${a.command.type}) is dated before the previous one`), { actionIndex: i });
    }
    last = a.at;
    const actor = a.actor ?? { userId: null, role: defaultRole(a.command.type), unit: state.currentUnit };
    let d: Decision;
    try {
      d = decide(state, a.command, { role: actor.role, userId: actor.userId, isOwner: actor.role === 'citizen' }, a.at, cal);
    } catch (err) {
      throw Object.assign(err as Error, { actionIndex: i });
    }
    actions.push(strip(actionValues(0, i + 2, a.command.type, d, actor, a.at, `${keyPrefix}:${i + 1}`)));
    state = d.next;
  });
  return {
    state,
    actions,
    dossier: {
      code: h.code,
      procedure_code: h.procedureCode,
      case_code: h.caseCode,
      channel: h.channel,
      receiving_unit: h.receivingUnit,
      deciding_unit: h.decidingUnit,
      owner_id: h.ownerId,
      applicant_type: h.applicant.type,
      applicant_name: h.applicant.name,
      applicant_id_number: h.applicant.idNumber,
      applicant_phone: h.applicant.phone,
      applicant_email: h.applicant.email,
      applicant_address: h.applicant.address,
      form_data: '{}',
      submitted_at: h.submittedAt,
      limit_kind: h.limitKind,
      limit_value: h.limitValue,
      ...stateColumns(state),
      action_count: actions.length,
      version: actions.length,
      updated_at: last,
    },
  };
}

/** A replayed dossier's aggregate key and actions, as the monitoring aggregates read them. */
export function replayedAggregateInput(r: ReplayedDossier): { key: AggKey; actions: ActionFacts[] } {
  return {
    key: { unit: r.dossier.deciding_unit, procedureCode: r.dossier.procedure_code, channel: r.dossier.channel },
    actions: r.actions.map((a) => ({
      type: a.type,
      at: a.at as Date,
      toStatus: a.to_status,
      payload: (typeof a.payload === 'string' ? JSON.parse(a.payload) : (a.payload ?? {})) as Record<string, unknown>,
    })),
  };
}

function strip<T extends { dossier_id: number }>(v: T): Omit<T, 'dossier_id'> {
  const { dossier_id: _ignored, ...rest } = v;
  return rest;
}
