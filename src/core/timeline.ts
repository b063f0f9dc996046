/**
 * The public face of a dossier's action log: the steps an applicant sees (submitted, received,
 * supplement requested, result ready...) with bilingual labels, and whether the dossier is early,
 * on time or late. Internal hand-overs (assigning a specialist, forwarding between the steps of one
 * unit, accepting a transfer) are hidden: the applicant sees that the dossier is being processed,
 * not who passed it to whom. Pure: the caller passes the actions, the dossier's state and the time.
 */
import { OPEN_STATUSES, STATUS_NAMES, type StatusCode } from './dossier-machine.js';
import { classifyPending, type FinishedTimeliness } from './timeliness.js';

export interface Bilingual {
  vi: string;
  en: string;
}

/** One row of the action log, as much as the public timeline needs. */
export interface TimelineAction {
  type: string;
  at: Date;
  fromStatus: number | null;
  toStatus: number;
  fromUnit: string | null;
  toUnit: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** The dossier's current state, as much as the public timeline needs. */
export interface TimelineDossier {
  statusCode: StatusCode;
  receivingUnit: string;
  receivedAt: Date | null;
  appointmentAt: Date | null;
  legalAppointmentAt: Date | null;
  pausedAt: Date | null;
  finishedAt: Date | null;
  timeliness: FinishedTimeliness | null;
}

export type StepKind =
  | 'submitted'
  | 'received'
  | 'refused'
  | 'processing'
  | 'transferred'
  | 'transfer_returned'
  | 'supplement_requested'
  | 'supplemented'
  | 'payment_requested'
  | 'paid'
  | 'apology'
  | 'appointment_changed'
  | 'result_ready'
  | 'returned'
  | 'stopped'
  | 'withdrawn'
  | 'status_changed'
  | 'appointment';

export type ReturnMethod = 'in_person' | 'online' | 'post';

export interface TimelineStep {
  kind: StepKind;
  at: Date;
  label: Bilingual;
  /** Status after this step (null for the upcoming appointment). */
  statusCode: StatusCode | null;
  /** True only for the appointment still ahead (not something that happened). */
  upcoming: boolean;
  /** Reason written by the official (refusal, supplement, apology, stop) or the applicant (withdrawal). */
  reason: string | null;
  /** Supplement request: everything missing, exactly as the desk wrote it. */
  missing: string[] | null;
  /** Supplement: the documents the applicant provided. */
  documents: string[] | null;
  appointmentAt: Date | null;
  previousAppointmentAt: Date | null;
  /** Payment requested: amount in đồng. */
  amount: number | null;
  returnMethod: ReturnMethod | null;
  returnMethodLabel: Bilingual | null;
  trackingNumber: string | null;
  /** On the step that ended processing: the dossier's early / on time / late. */
  timeliness: FinishedTimeliness | null;
}

export const STEP_LABELS: Record<StepKind, Bilingual> = {
  submitted: { vi: 'Nộp hồ sơ', en: 'Dossier submitted' },
  received: { vi: 'Hồ sơ được tiếp nhận', en: 'Dossier received' },
  refused: { vi: 'Hồ sơ không được tiếp nhận', en: 'Dossier refused at receipt' },
  processing: { vi: 'Đang giải quyết', en: 'Being processed' },
  transferred: { vi: 'Chuyển liên thông đến cơ quan có thẩm quyền giải quyết', en: 'Sent to the competent body (inter-agency)' },
  transfer_returned: { vi: 'Hồ sơ, kết quả được chuyển về nơi tiếp nhận', en: 'Sent back to the office that received it' },
  supplement_requested: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  supplemented: { vi: 'Đã bổ sung hồ sơ', en: 'Supplement provided' },
  payment_requested: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính (nộp phí, lệ phí)', en: 'Fee payment requested' },
  paid: { vi: 'Đã nộp phí, lệ phí', en: 'Fee paid' },
  apology: { vi: 'Thư xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology with a new appointment' },
  appointment_changed: { vi: 'Điều chỉnh ngày hẹn trả kết quả', en: 'Appointment adjusted' },
  result_ready: { vi: 'Đã có kết quả giải quyết', en: 'Result ready' },
  returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
  stopped: { vi: 'Dừng xử lý hồ sơ', en: 'Processing stopped' },
  withdrawn: { vi: 'Rút hồ sơ theo yêu cầu của người nộp', en: 'Withdrawn at the applicant’s request' },
  status_changed: { vi: 'Thay đổi trạng thái', en: 'Status changed' },
  appointment: { vi: 'Hẹn trả kết quả', en: 'Appointment for the result' },
};

const SUBMITTED_ONLINE: Bilingual = { vi: 'Nộp hồ sơ trực tuyến', en: 'Submitted online' };

export const RETURN_METHOD_LABELS: Record<ReturnMethod, Bilingual> = {
  in_person: { vi: 'Trực tiếp tại Bộ phận Một cửa', en: 'In person at the one-stop desk' },
  online: { vi: 'Trực tuyến (kho dữ liệu điện tử)', en: 'Online (electronic storage)' },
  post: { vi: 'Qua dịch vụ bưu chính công ích', en: 'By public postal service' },
};

/** Dossier-level timeliness as the applicant sees it. */
export type PublicTimeliness = FinishedTimeliness | 'within_limit' | 'overdue' | 'paused' | 'not_started' | 'not_applicable';

export const TIMELINESS_LABELS: Record<PublicTimeliness, Bilingual> = {
  early: { vi: 'Trước hạn', en: 'Early' },
  on_time: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Trễ hạn', en: 'Late' },
  within_limit: { vi: 'Đang trong hạn', en: 'Within the time limit' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  paused: { vi: 'Tạm dừng tính thời gian (chờ bổ sung hồ sơ)', en: 'Clock paused (waiting for the supplement)' },
  not_started: { vi: 'Chưa tiếp nhận, chưa tính thời gian giải quyết', en: 'Not received yet; the clock has not started' },
  not_applicable: { vi: 'Không áp dụng', en: 'Not applicable' },
};

/**
 * Finished dossiers keep the classification the core recorded when they finished (against the
 * legal appointment, as reports and the index count it). Open ones: not started before receipt,
 * paused while waiting for a supplement, otherwise within limit / overdue against the legal
 * appointment at `now`. Refused, or withdrawn before receipt: not applicable.
 */
export function publicTimeliness(d: TimelineDossier, now: Date): PublicTimeliness {
  if (d.timeliness) return d.timeliness;
  if (!OPEN_STATUSES.includes(d.statusCode)) return 'not_applicable';
  if (!d.receivedAt) return 'not_started';
  if (d.pausedAt) return 'paused';
  return classifyPending({ appointmentAt: d.legalAppointmentAt, periodEnd: now });
}

/** Action types that are internal (hand-overs, digitising the papers at the desk): never shown by themselves. */
const INTERNAL = new Set(['assign', 'forward', 'accept_transfer', 'digitise']);

const KIND_OF: Record<string, StepKind> = {
  submit: 'submitted',
  receive: 'received',
  refuse: 'refused',
  request_supplement: 'supplement_requested',
  supplement: 'supplemented',
  request_payment: 'payment_requested',
  confirm_payment: 'paid',
  apologize: 'apology',
  stop: 'stopped',
  withdraw: 'withdrawn',
  finish: 'result_ready',
  return_result: 'returned',
  recompute_appointment: 'appointment_changed',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);
const date = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isFinite(d.getTime()) ? d : null;
};
const isStatus = (n: number | null): n is StatusCode => n !== null && Number.isInteger(n) && n >= 1 && n <= 10;

function step(kind: StepKind, a: TimelineAction): TimelineStep {
  return {
    kind,
    at: a.at,
    label: STEP_LABELS[kind],
    statusCode: isStatus(a.toStatus) ? a.toStatus : null,
    upcoming: false,
    reason: null,
    missing: null,
    documents: null,
    appointmentAt: null,
    previousAppointmentAt: null,
    amount: null,
    returnMethod: null,
    returnMethodLabel: null,
    trackingNumber: null,
    timeliness: null,
  };
}

/**
 * The public steps, oldest first, then (for an open dossier with an appointment whose clock is
 * running) the upcoming appointment. `actions` must be in log order.
 */
export function buildTimeline(d: TimelineDossier, actions: readonly TimelineAction[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  let processingShown = false;
  let finishMarked = false;

  for (const a of actions) {
    if (INTERNAL.has(a.type)) {
      const unitChanged = a.type === 'forward' && a.toUnit !== null && a.fromUnit !== null && a.toUnit !== a.fromUnit;
      if (unitChanged) {
        // Liên thông: only the public fact that it went to (or came back from) another body.
        steps.push(step(a.toUnit === d.receivingUnit ? 'transfer_returned' : 'transferred', a));
        processingShown = true;
      } else if (!processingShown && a.fromStatus === 2 && a.toStatus === 4) {
        steps.push(step('processing', a));
        processingShown = true;
      }
      continue;
    }
    const kind = KIND_OF[a.type];
    if (!kind) {
      // An action this module does not know yet: shown only when it moved the status.
      if (a.fromStatus !== a.toStatus && isStatus(a.toStatus)) {
        steps.push({ ...step('status_changed', a), label: STATUS_NAMES[a.toStatus] });
      }
      continue;
    }
    const s = step(kind, a);
    const p = a.payload;
    switch (kind) {
      case 'submitted':
        if (p.channel === 2) s.label = SUBMITTED_ONLINE;
        break;
      case 'received':
        s.appointmentAt = date(p.appointmentAt);
        break;
      case 'supplement_requested':
        s.reason = a.reason;
        s.missing = strings(p.missing) ?? [];
        break;
      case 'supplemented':
        s.documents = strings(p.documents);
        s.appointmentAt = date(p.appointmentAt);
        break;
      case 'payment_requested':
        s.amount = typeof p.amount === 'number' ? p.amount : null;
        break;
      case 'apology':
        s.reason = a.reason;
        s.appointmentAt = date(p.appointmentAt);
        s.previousAppointmentAt = date(p.previousAppointmentAt);
        break;
      case 'appointment_changed': {
        s.appointmentAt = date(p.appointmentAt);
        s.previousAppointmentAt = date(p.previousAppointmentAt);
        // A recomputation that moved nothing is not news to the applicant.
        if (s.appointmentAt?.getTime() === s.previousAppointmentAt?.getTime()) continue;
        break;
      }
      case 'refused':
      case 'stopped':
      case 'withdrawn':
        s.reason = a.reason;
        break;
      case 'returned': {
        const m = str(p.method);
        if (m === 'in_person' || m === 'online' || m === 'post') {
          s.returnMethod = m;
          s.returnMethodLabel = RETURN_METHOD_LABELS[m];
        }
        s.trackingNumber = str(p.trackingNumber);
        break;
      }
      default:
        break;
    }
    if (!finishMarked && d.finishedAt && d.timeliness && a.at.getTime() === d.finishedAt.getTime() && (kind === 'result_ready' || kind === 'stopped' || kind === 'withdrawn')) {
      s.timeliness = d.timeliness;
      finishMarked = true;
    }
    if (a.fromStatus === 2 && a.toStatus === 4) processingShown = true;
    steps.push(s);
  }

  if (OPEN_STATUSES.includes(d.statusCode) && d.appointmentAt && !d.pausedAt) {
    steps.push({
      ...step('appointment', { type: 'appointment', at: d.appointmentAt, fromStatus: null, toStatus: 0, fromUnit: null, toUnit: null, reason: null, payload: {} }),
      statusCode: null,
      upcoming: true,
      appointmentAt: d.appointmentAt,
    });
  }
  return steps;
}

export interface SupplementRequest {
  requestedAt: Date;
  reason: string | null;
  missing: string[];
}

/** While the dossier waits for a supplement (status 5): the request it waits on, as the desk wrote it. */
export function pendingSupplement(d: Pick<TimelineDossier, 'statusCode'>, actions: readonly TimelineAction[]): SupplementRequest | null {
  if (d.statusCode !== 5) return null;
  for (let i = actions.length - 1; i >= 0; i--) {
    const a = actions[i]!;
    if (a.type === 'request_supplement') {
      return { requestedAt: a.at, reason: a.reason, missing: strings(a.payload.missing) ?? [] };
    }
  }
  return null;
}
