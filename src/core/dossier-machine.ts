/**
 * The dossier lifecycle (domain.md §3) as a pure state machine: given the current state, an
 * action and the time, it either refuses (with the state and action named) or returns the next
 * state and the facts to record. Every writer — the HTTP use cases, the historical import and
 * the demo simulator — goes through `decide`, so they all obey the same rules.
 */
import { addWorkingTime, computeDueAt, workingTimeBetween, type CalendarConfig, type TimeLimitKind } from './calendar.js';
import { limitWorkingMs, stepDueAt, stepNormMs, type StepNorms } from './step-norms.js';
import { classifyFinished, classifyStep, type FinishedTimeliness } from './timeliness.js';

/** National status codes (DVCQG). */
export const Status = {
  Submitted: 1,
  Received: 2,
  Refused: 3,
  Processing: 4,
  SupplementRequested: 5,
  PaymentRequested: 6,
  Withdrawn: 7,
  Stopped: 8,
  Finished: 9,
  Returned: 10,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

export const STATUS_NAMES: Record<StatusCode, { vi: string; en: string }> = {
  1: { vi: 'Mới đăng ký', en: 'Submitted, waiting for receipt' },
  2: { vi: 'Được tiếp nhận', en: 'Received' },
  3: { vi: 'Không được tiếp nhận', en: 'Refused at receipt' },
  4: { vi: 'Đang xử lý', en: 'Being processed' },
  5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Payment requested' },
  7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn at the applicant’s request' },
  8: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processing finished, result ready' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

/** Statuses in which a dossier is still open (the legal clock may run). */
export const OPEN_STATUSES: readonly StatusCode[] = [1, 2, 4, 5, 6];
/** Received and not finished: the clock is or was running. */
export const IN_PROGRESS_STATUSES: readonly StatusCode[] = [2, 4, 5, 6];

export type Channel = 1 | 2 | 3;
export const CHANNEL_NAMES: Record<Channel, { vi: string; en: string }> = {
  1: { vi: 'Trực tiếp', en: 'In person' },
  2: { vi: 'Trực tuyến', en: 'Online' },
  3: { vi: 'Bưu chính công ích', en: 'Public postal service' },
};

export type Role = 'citizen' | 'desk_officer' | 'specialist' | 'unit_leader' | 'province_leader' | 'admin' | 'system';

export type ActionType =
  | 'submit'
  | 'receive'
  | 'refuse'
  | 'assign'
  | 'forward'
  | 'accept_transfer'
  | 'request_supplement'
  | 'supplement'
  | 'request_payment'
  | 'confirm_payment'
  | 'apologize'
  | 'stop'
  | 'withdraw'
  | 'finish'
  | 'return_result'
  | 'recompute_appointment'
  | 'digitise';

export const ACTION_NAMES: Record<ActionType, { vi: string; en: string }> = {
  submit: { vi: 'Nộp hồ sơ', en: 'Submit' },
  receive: { vi: 'Tiếp nhận hồ sơ', en: 'Receive' },
  refuse: { vi: 'Từ chối tiếp nhận', en: 'Refuse at receipt' },
  assign: { vi: 'Phân công xử lý', en: 'Assign' },
  forward: { vi: 'Chuyển bước xử lý', en: 'Forward' },
  accept_transfer: { vi: 'Nhận hồ sơ liên thông', en: 'Accept a transferred dossier' },
  request_supplement: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Request a supplement' },
  supplement: { vi: 'Bổ sung hồ sơ', en: 'Supplement' },
  request_payment: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Request payment' },
  confirm_payment: { vi: 'Xác nhận đã nộp phí, lệ phí', en: 'Confirm payment' },
  apologize: { vi: 'Xin lỗi và hẹn lại ngày trả kết quả', en: 'Apologise with a new appointment' },
  stop: { vi: 'Dừng xử lý', en: 'Stop processing' },
  withdraw: { vi: 'Rút hồ sơ', en: 'Withdraw' },
  finish: { vi: 'Hoàn thành xử lý (ký kết quả)', en: 'Finish (sign the result)' },
  return_result: { vi: 'Trả kết quả', en: 'Return the result' },
  recompute_appointment: { vi: 'Tính lại ngày hẹn do thay đổi lịch làm việc', en: 'Recompute the appointment (calendar changed)' },
  digitise: { vi: 'Số hóa thành phần hồ sơ', en: 'Digitise a document' },
};

interface Rule {
  from: readonly StatusCode[];
  /** Target status; 'same' keeps it; 'resume' returns to 4 (or 1 before receipt); 'processing_or_same' is 4 unless already finished (9). */
  to: StatusCode | 'same' | 'resume' | 'processing_or_same';
  roles: readonly Role[];
  /** Citizens may act only on their own dossier. */
  ownerMay?: boolean;
  reasonRequired?: boolean;
}

/**
 * Who may do what from which status. Desk officers receive and return; specialists process;
 * unit leaders sign (finish), stop and apologise; a province leader and an admin only watch
 * (separation of duties); the system recomputes appointments after a calendar change and confirms
 * payments reported by a payment provider.
 */
export const RULES: Record<ActionType, Rule> = {
  submit: { from: [], to: 1, roles: ['citizen', 'desk_officer'] },
  receive: { from: [1], to: 2, roles: ['desk_officer'] },
  refuse: { from: [1], to: 3, roles: ['desk_officer'], reasonRequired: true },
  assign: { from: [2, 4], to: 4, roles: ['desk_officer', 'unit_leader'] },
  // From 9 a signed result travels back to the receiving desk (inter-agency, no-boundary); it stays 9.
  forward: { from: [2, 4, 9], to: 'processing_or_same', roles: ['desk_officer', 'specialist', 'unit_leader'] },
  accept_transfer: { from: [4], to: 4, roles: ['desk_officer', 'specialist', 'unit_leader'] },
  request_supplement: { from: [1, 2, 4], to: 5, roles: ['desk_officer', 'specialist', 'unit_leader'], reasonRequired: true },
  supplement: { from: [5], to: 'resume', roles: ['citizen', 'desk_officer'], ownerMay: true },
  request_payment: { from: [2, 4], to: 6, roles: ['desk_officer', 'specialist'] },
  // 'system': a payment provider's verified callback confirms an online payment (src/payments).
  confirm_payment: { from: [6], to: 4, roles: ['citizen', 'desk_officer', 'system'], ownerMay: true },
  apologize: { from: [2, 4, 5, 6], to: 'same', roles: ['unit_leader'], reasonRequired: true },
  stop: { from: [2, 4, 5, 6], to: 8, roles: ['unit_leader'], reasonRequired: true },
  withdraw: { from: [1, 2, 4, 5, 6], to: 7, roles: ['citizen', 'desk_officer'], ownerMay: true, reasonRequired: true },
  finish: { from: [2, 4], to: 9, roles: ['unit_leader'] },
  return_result: { from: [9], to: 10, roles: ['desk_officer'] },
  recompute_appointment: { from: [2, 4, 5, 6], to: 'same', roles: ['system'] },
  // Records the electronic copy of a received document (src/dossiers/digitise.ts); never moves the dossier.
  digitise: { from: [2, 4, 5, 6, 9], to: 'same', roles: ['desk_officer', 'specialist'] },
};

/** How many apology letters (form 4) may move the appointment; "may be reset once" (to verify). */
export const MAX_APOLOGIES = 1;

export type ResultMethod = 'in_person' | 'online' | 'post';

export type Command =
  | { type: 'receive' }
  | { type: 'refuse'; reason: string }
  | { type: 'assign'; assigneeId: number; toStep?: string }
  | { type: 'forward'; toStep?: string; toUnit?: string; assigneeId?: number | null; note?: string }
  | { type: 'accept_transfer' }
  | { type: 'request_supplement'; reason: string; missing: string[] }
  | { type: 'supplement'; documents: string[]; note?: string }
  | { type: 'request_payment'; amount: number }
  | { type: 'confirm_payment'; method?: string; receiptNumber?: string }
  | { type: 'apologize'; reason: string; newAppointmentAt: Date }
  | { type: 'stop'; reason: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'finish'; resultSummary?: string }
  | { type: 'return_result'; method: ResultMethod; trackingNumber?: string }
  | { type: 'recompute_appointment'; reason: string }
  /** attachmentId: the copy (public id); reusedFromDossier: the earlier dossier's code when the copy is reused. */
  | { type: 'digitise'; documentSeq: number; attachmentId: string; reusedFromDossier?: string };

export interface DossierState {
  statusCode: StatusCode;
  channel: Channel;
  receivingUnit: string;
  decidingUnit: string;
  currentUnit: string;
  currentStep: string;
  assigneeId: number | null;
  ownerId: number | null;
  /** The procedure's processing steps, e.g. ['desk','specialist','leader','return']. */
  steps: readonly string[];
  /** Configured working-hour norms per step (step-norms.ts); null: shares of the time limit. */
  stepNorms: StepNorms | null;
  /** When the current step is due (its norm from when it was entered, never after the appointment). */
  stepDueAt: Date | null;
  /**
   * When the current step was entered (the submission for the first step, the receipt for the step
   * the desk hands to); null for dossiers whose step began before this was recorded.
   */
  stepEnteredAt: Date | null;
  /** Working time the current step has spent waiting for a supplement (not counted as time at the step). */
  stepWaitedWorkingMs: number;
  submittedAt: Date;
  receivedAt: Date | null;
  limitKind: TimeLimitKind;
  limitValue: number;
  appointmentAt: Date | null;
  legalAppointmentAt: Date | null;
  appointmentSetBy: 'rule' | 'apology' | null;
  pausedAt: Date | null;
  pausedWorkingMs: number;
  supplementRequestCount: number;
  apologyCount: number;
  feeAmount: number | null;
  paidAt: Date | null;
  transferSentAt: Date | null;
  transferReceivedAt: Date | null;
  transferReturnedAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  timeliness: FinishedTimeliness | null;
}

export interface ActorRef {
  role: Role;
  userId: number | null;
  /** True when the actor is a citizen acting on a dossier they own. */
  isOwner: boolean;
}

export interface Decision {
  next: DossierState;
  /** What the action log records beyond type/actor/time. */
  record: {
    fromStatus: StatusCode | null;
    toStatus: StatusCode;
    fromUnit: string | null;
    toUnit: string | null;
    fromStep: string | null;
    toStep: string | null;
    stepTimeliness: FinishedTimeliness | null;
    reason: string | null;
    payload: Record<string, unknown>;
  };
}

export class TransitionError extends Error {
  constructor(
    readonly code: 'action_not_allowed' | 'role_not_allowed' | 'invalid_action',
    message: string,
    readonly messageVi: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'TransitionError';
  }
}

/** Is `type` possible from `status` for this role at all (ignoring payload)? Used to list "actions allowed to me now". */
export function allowedActions(state: Pick<DossierState, 'statusCode' | 'apologyCount' | 'currentUnit' | 'transferSentAt' | 'transferReceivedAt' | 'decidingUnit' | 'receivedAt'>, actor: ActorRef): ActionType[] {
  return (Object.keys(RULES) as ActionType[]).filter((t) => {
    if (t === 'submit' || t === 'recompute_appointment') return false;
    const r = RULES[t];
    if (!r.from.includes(state.statusCode)) return false;
    if (!roleMay(r, actor)) return false;
    if (t === 'apologize' && state.apologyCount >= MAX_APOLOGIES) return false;
    if ((t === 'apologize' || t === 'stop') && !state.receivedAt) return false;
    if (t === 'accept_transfer') return awaitingTransferAcceptance(state);
    return true;
  });
}

function awaitingTransferAcceptance(s: Pick<DossierState, 'currentUnit' | 'decidingUnit' | 'transferSentAt' | 'transferReceivedAt'>): boolean {
  return s.transferSentAt !== null && s.transferReceivedAt === null && s.currentUnit === s.decidingUnit;
}

/** May this actor do this action at all (by role and ownership, whatever the status)? */
export function roleMayAct(type: ActionType, actor: ActorRef): boolean {
  return roleMay(RULES[type], actor);
}

function roleMay(rule: Rule, actor: ActorRef): boolean {
  if (!rule.roles.includes(actor.role)) return false;
  if (actor.role === 'citizen') return !!rule.ownerMay && actor.isOwner;
  return true;
}

const statusLabel = (s: StatusCode) => `${s} (${STATUS_NAMES[s].en})`;
const statusLabelVi = (s: StatusCode) => `${s} (${STATUS_NAMES[s].vi})`;

/** Builds the state of a new dossier (status 1). The walk-in desk then receives it at once. */
export function newDossierState(input: {
  channel: Channel;
  receivingUnit: string;
  decidingUnit: string;
  steps: readonly string[];
  stepNorms?: StepNorms | null;
  submittedAt: Date;
  limitKind: TimeLimitKind;
  limitValue: number;
  ownerId: number | null;
  feeAmount: number | null;
}): DossierState {
  return {
    statusCode: 1,
    channel: input.channel,
    receivingUnit: input.receivingUnit,
    decidingUnit: input.decidingUnit,
    currentUnit: input.receivingUnit,
    currentStep: input.steps[0] ?? 'desk',
    assigneeId: null,
    ownerId: input.ownerId,
    steps: input.steps,
    stepNorms: input.stepNorms ?? null,
    stepDueAt: null,
    stepEnteredAt: input.submittedAt,
    stepWaitedWorkingMs: 0,
    submittedAt: input.submittedAt,
    receivedAt: null,
    limitKind: input.limitKind,
    limitValue: input.limitValue,
    appointmentAt: null,
    legalAppointmentAt: null,
    appointmentSetBy: null,
    pausedAt: null,
    pausedWorkingMs: 0,
    supplementRequestCount: 0,
    apologyCount: 0,
    feeAmount: input.feeAmount,
    paidAt: null,
    transferSentAt: null,
    transferReceivedAt: null,
    transferReturnedAt: null,
    finishedAt: null,
    returnedAt: null,
    timeliness: null,
  };
}

/** Appointment by the legal time limit from receipt, moved by the working time spent waiting for supplements. */
export function legalAppointment(cal: CalendarConfig, s: Pick<DossierState, 'receivedAt' | 'limitKind' | 'limitValue' | 'pausedWorkingMs'>): Date | null {
  if (!s.receivedAt) return null;
  const due = computeDueAt(cal, s.receivedAt, s.limitKind, s.limitValue);
  if (!due) return null;
  return s.pausedWorkingMs > 0 ? addWorkingTime(cal, due, s.pausedWorkingMs) : due;
}

/**
 * Applies `cmd` at instant `at` by `actor`. Throws TransitionError when the action is not
 * allowed from the current status, by this role, or its payload does not make sense.
 */
export function decide(state: DossierState, cmd: Command, actor: ActorRef, at: Date, cal: CalendarConfig): Decision {
  const rule = RULES[cmd.type];
  if (!rule.from.includes(state.statusCode)) {
    throw new TransitionError(
      'action_not_allowed',
      `Action "${cmd.type}" (${ACTION_NAMES[cmd.type].en}) is not allowed while the dossier is in status ${statusLabel(state.statusCode)}.`,
      `Không thể "${ACTION_NAMES[cmd.type].vi}" khi hồ sơ đang ở trạng thái ${statusLabelVi(state.statusCode)}.`,
    );
  }
  if (!roleMay(rule, actor)) {
    throw new TransitionError(
      'role_not_allowed',
      `Your role (${actor.role}) may not do "${cmd.type}" (${ACTION_NAMES[cmd.type].en}) on this dossier.`,
      `Vai trò của bạn (${actor.role}) không được "${ACTION_NAMES[cmd.type].vi}" hồ sơ này.`,
    );
  }
  const givenReason = (cmd as { reason?: unknown }).reason;
  if (rule.reasonRequired && !(typeof givenReason === 'string' && givenReason.trim())) {
    throw new TransitionError('invalid_action', 'A reason is required for this action.', 'Thao tác này cần ghi rõ lý do.', 'reason');
  }
  if (at.getTime() < state.submittedAt.getTime()) {
    throw new TransitionError('invalid_action', 'An action cannot be dated before the submission.', 'Thao tác không thể có thời điểm trước khi nộp hồ sơ.', 'at');
  }

  if (state.receivedAt && at.getTime() < state.receivedAt.getTime()) {
    throw new TransitionError('invalid_action', 'An action cannot be dated before the receipt.', 'Thao tác không thể có thời điểm trước khi tiếp nhận hồ sơ.', 'at');
  }
  if ((cmd.type === 'apologize' || cmd.type === 'stop') && !state.receivedAt) {
    throw new TransitionError(
      'action_not_allowed',
      `Action "${cmd.type}" (${ACTION_NAMES[cmd.type].en}) needs a received dossier; this one (status ${statusLabel(state.statusCode)}) was never received.`,
      `Không thể "${ACTION_NAMES[cmd.type].vi}" hồ sơ chưa được tiếp nhận (trạng thái ${statusLabelVi(state.statusCode)}).`,
    );
  }
  if (cmd.type === 'apologize' && state.apologyCount >= MAX_APOLOGIES) {
    throw new TransitionError(
      'action_not_allowed',
      `The appointment may be moved by an apology at most ${MAX_APOLOGIES} time(s); action "apologize" is not allowed again (status ${statusLabel(state.statusCode)}).`,
      `Chỉ được xin lỗi, hẹn lại ngày trả kết quả tối đa ${MAX_APOLOGIES} lần; không thể "${ACTION_NAMES.apologize.vi}" thêm (trạng thái ${statusLabelVi(state.statusCode)}).`,
    );
  }
  const s: DossierState = { ...state };
  const payload: Record<string, unknown> = {};
  let reason: string | null = typeof givenReason === 'string' ? givenReason.trim() : null;
  const fromStep = state.currentStep;
  const fromUnit = state.currentUnit;
  let stepTimeliness: FinishedTimeliness | null = null;
  // The step being left is judged against its own due instant (its norm), or the appointment.
  const stepDue = state.stepDueAt ?? state.appointmentAt;
  const handOver = () => {
    if (stepDue) stepTimeliness = classifyStep(at, stepDue, cal.utcOffsetMinutes);
  };
  const enterStep = (step: string) => {
    if (step !== s.currentStep || s.stepDueAt === null) s.stepDueAt = stepDueAt(cal, s, step, at);
    // Re-entering the step the dossier is at (a re-assignment within it) does not restart its time.
    if (step !== s.currentStep) {
      s.stepEnteredAt = at;
      s.stepWaitedWorkingMs = 0;
    }
    s.currentStep = step;
  };
  const finishNow = () => {
    s.finishedAt = at;
    if (s.receivedAt) {
      s.timeliness = classifyFinished({
        appointmentAt: s.legalAppointmentAt,
        finishedAt: at,
        supplementRequestCount: s.supplementRequestCount,
        utcOffsetMinutes: cal.utcOffsetMinutes,
      });
    }
  };

  switch (cmd.type) {
    case 'receive': {
      s.receivedAt = at;
      s.legalAppointmentAt = legalAppointment(cal, s);
      s.appointmentAt = s.legalAppointmentAt;
      s.appointmentSetBy = s.appointmentAt ? 'rule' : null;
      enterStep(nextStep(s.steps, 'desk') ?? s.currentStep);
      // The legal clock starts at receipt: so does the time of the step the desk hands to, even
      // when the procedure has no desk step to leave (time before receipt is the applicant's).
      s.stepEnteredAt = at;
      s.stepWaitedWorkingMs = 0;
      payload.appointmentAt = s.appointmentAt?.toISOString() ?? null;
      if (s.stepDueAt) payload.stepDueAt = s.stepDueAt.toISOString();
      handOver();
      break;
    }
    case 'refuse':
      break;
    case 'assign':
      if (!Number.isInteger(cmd.assigneeId) || cmd.assigneeId <= 0) {
        throw new TransitionError('invalid_action', 'assigneeId must be a user id.', 'assigneeId phải là mã người dùng.', 'assigneeId');
      }
      s.assigneeId = cmd.assigneeId;
      if (cmd.toStep) enterStep(checkStep(s.steps, cmd.toStep));
      else if (s.currentStep === 'desk') enterStep(nextStep(s.steps, 'desk') ?? s.currentStep);
      payload.assigneeId = cmd.assigneeId;
      if (s.stepDueAt) payload.stepDueAt = s.stepDueAt.toISOString();
      handOver();
      break;
    case 'forward': {
      const toStep = cmd.toStep ? checkStep(s.steps, cmd.toStep) : state.statusCode === Status.Finished ? s.currentStep : nextStep(s.steps, s.currentStep);
      if (!toStep) {
        throw new TransitionError('invalid_action', `There is no step after "${s.currentStep}"; finish the dossier instead.`, `Không còn bước sau "${s.currentStep}"; hãy hoàn thành hồ sơ.`, 'toStep');
      }
      enterStep(toStep);
      s.assigneeId = cmd.assigneeId ?? null;
      if (cmd.toUnit && cmd.toUnit !== s.currentUnit) {
        // Inter-agency / no-boundary transfer between the receiving and the deciding unit.
        if (s.currentUnit === s.receivingUnit && cmd.toUnit === s.decidingUnit) {
          s.transferSentAt = at;
          s.transferReceivedAt = null;
        } else if (s.currentUnit === s.decidingUnit && cmd.toUnit === s.receivingUnit) {
          s.transferReturnedAt = at;
        }
        s.currentUnit = cmd.toUnit;
      }
      if (cmd.note) payload.note = cmd.note;
      payload.toStep = toStep;
      if (s.stepDueAt) payload.stepDueAt = s.stepDueAt.toISOString();
      handOver();
      break;
    }
    case 'accept_transfer':
      if (!awaitingTransferAcceptance(s)) {
        throw new TransitionError('action_not_allowed', 'This dossier is not waiting for a transfer to be accepted.', 'Hồ sơ này không chờ nhận liên thông.');
      }
      s.transferReceivedAt = at;
      break;
    case 'request_supplement': {
      const missing = cmd.missing.map((m) => m.trim()).filter(Boolean);
      if (missing.length === 0) {
        throw new TransitionError('invalid_action', 'List every missing document or piece of information, all at once.', 'Cần liệt kê đầy đủ một lần các giấy tờ, thông tin cần bổ sung.', 'missing');
      }
      s.supplementRequestCount += 1;
      s.pausedAt = at;
      payload.missing = missing;
      payload.requestNumber = s.supplementRequestCount;
      if (s.supplementRequestCount > 1) payload.countsAsLate = true;
      break;
    }
    case 'supplement': {
      if (s.receivedAt && s.pausedAt) {
        const waited = workingTimeBetween(cal, s.pausedAt, at);
        s.pausedWorkingMs += waited;
        // A dossier waiting for a supplement cannot change step, so the whole wait is this step's.
        s.stepWaitedWorkingMs += waited;
        payload.waitedWorkingMs = waited;
        // Nothing to move when no working time passed (adding 0 would push a 17:00 appointment to the next opening).
        if (waited > 0) {
          if (s.legalAppointmentAt) s.legalAppointmentAt = addWorkingTime(cal, s.legalAppointmentAt, waited);
          if (s.appointmentAt) s.appointmentAt = addWorkingTime(cal, s.appointmentAt, waited);
          if (s.stepDueAt) {
            s.stepDueAt = addWorkingTime(cal, s.stepDueAt, waited);
            payload.stepDueAt = s.stepDueAt.toISOString();
          }
        }
        payload.appointmentAt = s.appointmentAt?.toISOString() ?? null;
      }
      s.pausedAt = null;
      payload.documents = cmd.documents;
      if (cmd.note) payload.note = cmd.note;
      break;
    }
    case 'request_payment':
      if (!Number.isInteger(cmd.amount) || cmd.amount <= 0) {
        throw new TransitionError('invalid_action', 'The amount must be a positive whole number of đồng.', 'Số tiền phải là số nguyên dương (đồng).', 'amount');
      }
      s.feeAmount = cmd.amount;
      payload.amount = cmd.amount;
      break;
    case 'confirm_payment':
      s.paidAt = at;
      payload.method = cmd.method ?? 'cash';
      if (cmd.receiptNumber) payload.receiptNumber = cmd.receiptNumber;
      break;
    case 'apologize': {
      const current = s.appointmentAt ?? at;
      if (cmd.newAppointmentAt.getTime() <= Math.max(current.getTime(), at.getTime())) {
        throw new TransitionError('invalid_action', 'The new appointment must be later than the current one and than now.', 'Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm hiện tại.', 'newAppointmentAt');
      }
      payload.previousAppointmentAt = s.appointmentAt?.toISOString() ?? null;
      s.appointmentAt = cmd.newAppointmentAt;
      s.appointmentSetBy = 'apology';
      s.apologyCount += 1;
      payload.appointmentAt = s.appointmentAt.toISOString();
      break;
    }
    case 'stop':
    case 'withdraw':
      s.pausedAt = null;
      if (s.receivedAt) finishNow();
      break;
    case 'finish':
      if (s.steps.includes('return')) enterStep('return');
      handOver();
      finishNow();
      if (cmd.resultSummary) payload.resultSummary = cmd.resultSummary;
      break;
    case 'return_result':
      if (cmd.method === 'post' && !cmd.trackingNumber?.trim()) {
        throw new TransitionError('invalid_action', 'A postal return needs the tracking number.', 'Trả kết quả qua bưu chính cần có mã vận đơn.', 'trackingNumber');
      }
      s.returnedAt = at;
      payload.method = cmd.method;
      if (cmd.trackingNumber) payload.trackingNumber = cmd.trackingNumber.trim();
      break;
    case 'recompute_appointment': {
      const before = s.appointmentAt;
      s.legalAppointmentAt = legalAppointment(cal, s);
      // An apology date was promised in writing: it stands, unless the legal date now falls later.
      if (s.appointmentSetBy !== 'apology') s.appointmentAt = s.legalAppointmentAt;
      else if (s.legalAppointmentAt && s.appointmentAt && s.legalAppointmentAt.getTime() > s.appointmentAt.getTime()) {
        s.appointmentAt = s.legalAppointmentAt;
      }
      payload.previousAppointmentAt = before?.toISOString() ?? null;
      payload.appointmentAt = s.appointmentAt?.toISOString() ?? null;
      break;
    }
    case 'digitise':
      if (!Number.isInteger(cmd.documentSeq) || cmd.documentSeq < 1) {
        throw new TransitionError('invalid_action', 'documentSeq must be the number of a document of the procedure.', 'documentSeq phải là số thứ tự của một thành phần hồ sơ.', 'documentSeq');
      }
      if (!cmd.attachmentId) throw new TransitionError('invalid_action', 'The electronic copy (attachmentId) is required.', 'Cần có bản điện tử (attachmentId).', 'attachmentId');
      payload.documentSeq = cmd.documentSeq;
      payload.attachmentId = cmd.attachmentId;
      if (cmd.reusedFromDossier) payload.reusedFromDossier = cmd.reusedFromDossier;
      break;
  }

  // Facts the monitoring aggregates fold from the action log alone (src/core/aggregates.ts): the
  // legal appointment whenever it moves, and how a settled dossier ended.
  const legalBefore = state.legalAppointmentAt?.getTime() ?? null;
  const legalAfter = s.legalAppointmentAt?.getTime() ?? null;
  if (legalBefore !== legalAfter) payload.legalAppointmentAt = s.legalAppointmentAt?.toISOString() ?? null;
  if (state.finishedAt === null && s.finishedAt !== null && s.receivedAt && s.timeliness) {
    payload.timeliness = s.timeliness;
    payload.processingWorkingMs = Math.max(0, workingTimeBetween(cal, s.receivedAt, at) - s.pausedWorkingMs);
  }
  // Where time goes (issue 5 item 9): a hand-over judged against the step's due instant that
  // leaves the step (to another step, or by finishing the dossier) records the working time spent
  // at it and its norm, which monitoring_steps_monthly sums (src/monitoring/step-aggregates.ts).
  // A re-assignment within a step is judged too, but the step goes on: its time is recorded once,
  // when it is left.
  if (stepTimeliness !== null && (s.currentStep !== fromStep || (state.finishedAt === null && s.finishedAt !== null))) {
    Object.assign(payload, stepTimeFacts(cal, state, fromStep, at));
  }

  const to: StatusCode =
    rule.to === 'same'
      ? state.statusCode
      : rule.to === 'resume'
        ? s.receivedAt
          ? Status.Processing
          : Status.Submitted
        : rule.to === 'processing_or_same'
          ? state.statusCode === Status.Finished
            ? Status.Finished
            : Status.Processing
          : rule.to;
  s.statusCode = to;
  if (reason === '') reason = null;
  return {
    next: s,
    record: {
      fromStatus: state.statusCode,
      toStatus: to,
      fromUnit,
      toUnit: s.currentUnit,
      fromStep,
      toStep: s.currentStep,
      stepTimeliness,
      reason,
      payload,
    },
  };
}

/**
 * The time a dossier spent at the step it leaves at `at`: working time since it entered the step
 * by the unit's calendar, minus the supplement waits during the step (stepWorkingMs; none when
 * the entry instant is unknown), and the step's norm as step-norms.ts computes it (stepNormMs;
 * none for the return step or a step without a norm).
 */
export function stepTimeFacts(
  cal: CalendarConfig,
  state: Pick<DossierState, 'steps' | 'stepNorms' | 'stepEnteredAt' | 'stepWaitedWorkingMs' | 'receivedAt' | 'limitKind' | 'limitValue'>,
  step: string,
  at: Date,
): { stepWorkingMs?: number; stepNormMs?: number } {
  const out: { stepWorkingMs?: number; stepNormMs?: number } = {};
  if (state.stepEnteredAt) out.stepWorkingMs = Math.max(0, workingTimeBetween(cal, state.stepEnteredAt, at) - state.stepWaitedWorkingMs);
  const norm = stepNormMs(state.steps, step, limitWorkingMs(cal, state.receivedAt, state.limitKind, state.limitValue), state.stepNorms);
  if (norm !== null) out.stepNormMs = norm;
  return out;
}

function nextStep(steps: readonly string[], current: string): string | null {
  const i = steps.indexOf(current);
  if (i < 0) return steps[0] ?? null;
  return steps[i + 1] ?? null;
}

function checkStep(steps: readonly string[], step: string): string {
  if (!steps.includes(step)) {
    throw new TransitionError('invalid_action', `Unknown step "${step}"; this procedure's steps are: ${steps.join(', ')}.`, `Bước "${step}" không có trong quy trình (${steps.join(', ')}).`, 'toStep');
  }
  return step;
}

/** Dossier code: {receiving unit}-{yyMMdd}-{sequence, at least 4 digits}. */
export function formatDossierCode(unitCode: string, localDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence must be a positive integer');
  const yymmdd = localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
  return `${unitCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export const DOSSIER_CODE_PATTERN = /^[A-Z0-9.]+-\d{6}-\d{4,}$/;
