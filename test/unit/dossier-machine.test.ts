import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ACTION_NAMES,
  DOSSIER_CODE_PATTERN,
  MAX_APOLOGIES,
  RULES,
  TransitionError,
  allowedActions,
  decide,
  formatDossierCode,
  legalAppointment,
  newDossierState,
  type ActionType,
  type ActorRef,
  type Channel,
  type Command,
  type DossierState,
  type Role,
  type StatusCode,
} from '../../src/core/dossier-machine.js';
import {
  isWorkingDay,
  localDateOf,
  makeCalendar,
  workingTimeBetween,
  type CalendarConfig,
  type TimeLimitKind,
} from '../../src/core/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { DAY, HOUR, MINUTE, fmt, vn } from '../helpers/vn-time.js';


const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });


const STEPS = ['desk', 'specialist', 'leader', 'return'] as const;
const RECEIVING = 'X27.01';
const DECIDING = 'H15.001';
const OWNER_ID = 501;

const ALL_STATUSES: readonly StatusCode[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const TERMINAL: readonly StatusCode[] = [3, 7, 8, 10];
const ALL_ROLES: readonly Role[] = ['citizen', 'desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin', 'system'];
const ALL_TYPES = Object.keys(RULES) as ActionType[];
/** The command types `decide` accepts (submit is newDossierState, not a transition). */
const COMMAND_TYPES = ALL_TYPES.filter((t) => t !== 'submit');

const actor = (role: Role, isOwner = false): ActorRef => ({
  role,
  userId: role === 'citizen' ? (isOwner ? OWNER_ID : 999) : 7,
  isOwner,
});
const desk = actor('desk_officer');
const specialist = actor('specialist');
const leader = actor('unit_leader');
const system = actor('system');
const owner = actor('citizen', true);
const stranger = actor('citizen', false);

function fresh(
  over: Partial<{ channel: Channel; submittedAt: Date; limitKind: TimeLimitKind; limitValue: number; steps: readonly string[] }> = {},
): DossierState {
  return newDossierState({
    channel: 2,
    receivingUnit: RECEIVING,
    decidingUnit: DECIDING,
    steps: STEPS,
    submittedAt: vn('2026-03-01T20:00'),
    limitKind: 'working_days',
    limitValue: 3,
    ownerId: OWNER_ID,
    feeAmount: null,
    ...over,
  });
}

/** decide + the purity checks every call must satisfy: input untouched, a new object returned. */
function step(state: DossierState, cmd: Command, who: ActorRef, at: Date, c: CalendarConfig = cal) {
  const snapshot = structuredClone(state);
  const d = decide(state, cmd, who, at, c);
  assert.deepEqual(state, snapshot, 'input state mutated');
  assert.notEqual(d.next, state, 'next must be a new object');
  return d;
}
const apply = (state: DossierState, cmd: Command, who: ActorRef, at: Date, c: CalendarConfig = cal): DossierState =>
  step(state, cmd, who, at, c).next;

/** Runs fn, asserts it throws a TransitionError with this code (and field), returns the error. */
function refused(fn: () => unknown, code: TransitionError['code'], field?: string): TransitionError {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof TransitionError, `expected a TransitionError(${code}), got ${err === null ? 'no error' : String(err)}`);
  assert.equal(err.code, code, err.message);
  if (field !== undefined) assert.equal(err.field, field, err.message);
  return err;
}

/** A payload that is valid for `type` in `state` at `at` (submit is cast: decide must refuse it anyway). */
function validCommand(type: ActionType, state: DossierState, at: Date): Command {
  switch (type) {
    case 'submit':
      return { type: 'submit' } as unknown as Command;
    case 'receive':
    case 'accept_transfer':
    case 'confirm_payment':
    case 'finish':
      return { type };
    case 'refuse':
    case 'stop':
    case 'withdraw':
      return { type, reason: 'Lý do hợp lệ' };
    case 'recompute_appointment':
      return { type, reason: 'Bảng ngày nghỉ thay đổi' };
    case 'assign':
      return { type, assigneeId: 12 };
    case 'forward':
      return { type, toStep: state.steps[state.steps.length - 1] ?? 'desk' };
    case 'request_supplement':
      return { type, reason: 'Thiếu giấy tờ', missing: ['Bản sao CCCD'] };
    case 'supplement':
      return { type, documents: ['cccd.pdf'] };
    case 'request_payment':
      return { type, amount: 50_000 };
    case 'apologize': {
      const base = Math.max(state.appointmentAt?.getTime() ?? at.getTime(), at.getTime());
      return { type, reason: 'Cần xác minh thêm', newAppointmentAt: new Date(base + 2 * DAY) };
    }
    case 'return_result':
      return { type, method: 'in_person' };
    case 'digitise':
      return { type, documentSeq: 1, attachmentId: '0b6f3c1e-6a55-4a4b-9a57-6f1f0c2b7d10' };
  }
}

// A dossier walked, by real transitions, into each of the ten statuses.
const T0 = vn('2026-03-02T09:00'); // Monday
const received = apply(fresh(), { type: 'receive' }, desk, T0);
const processing = apply(received, { type: 'assign', assigneeId: 12 }, leader, vn('2026-03-02T10:00'));
const finished = apply(processing, { type: 'finish' }, leader, vn('2026-03-03T10:00'));
const STATE_AT: Record<StatusCode, DossierState> = {
  1: fresh(),
  2: received,
  3: apply(fresh(), { type: 'refuse', reason: 'Không thuộc thẩm quyền' }, desk, T0),
  4: processing,
  5: apply(processing, { type: 'request_supplement', reason: 'Thiếu', missing: ['CCCD'] }, specialist, vn('2026-03-02T11:00')),
  6: apply(processing, { type: 'request_payment', amount: 30_000 }, specialist, vn('2026-03-02T11:00')),
  7: apply(processing, { type: 'withdraw', reason: 'Không cần nữa' }, owner, vn('2026-03-02T11:00')),
  8: apply(processing, { type: 'stop', reason: 'Quyết định dừng' }, leader, vn('2026-03-02T11:00')),
  9: finished,
  10: apply(finished, { type: 'return_result', method: 'online' }, desk, vn('2026-03-03T14:00')),
};
const AT_LATER = vn('2026-03-04T09:00');

// ---------------------------------------------------------------------------
// 1. Happy paths
// ---------------------------------------------------------------------------

describe('happy path', () => {
  it('online: submit → receive → assign → forward → finish → return_result', () => {
    let s = fresh();
    assert.equal(s.statusCode, 1);
    assert.equal(s.currentStep, 'desk');
    assert.equal(s.currentUnit, RECEIVING);
    assert.equal(s.receivedAt, null);
    assert.equal(s.appointmentAt, null);

    let d = step(s, { type: 'receive' }, desk, vn('2026-03-02T09:00'));
    s = d.next;
    assert.equal(s.statusCode, 2);
    assert.equal(fmt(s.receivedAt), '2026-03-02T09:00');
    // 3 working days = 24 working hours from Monday 09:00 → Thursday 09:00
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-05T09:00');
    assert.equal(fmt(s.appointmentAt), '2026-03-05T09:00');
    assert.equal(s.appointmentSetBy, 'rule');
    assert.equal(s.currentStep, 'specialist');
    assert.equal(d.record.fromStatus, 1);
    assert.equal(d.record.toStatus, 2);
    assert.equal(d.record.payload.appointmentAt, vn('2026-03-05T09:00').toISOString());

    d = step(s, { type: 'assign', assigneeId: 12 }, leader, vn('2026-03-02T10:00'));
    s = d.next;
    assert.equal(s.statusCode, 4);
    assert.equal(s.assigneeId, 12);
    assert.equal(s.currentStep, 'specialist');
    assert.equal(d.record.stepTimeliness, 'early');

    d = step(s, { type: 'forward' }, specialist, vn('2026-03-03T15:00'));
    s = d.next;
    assert.equal(s.statusCode, 4);
    assert.equal(s.currentStep, 'leader');
    assert.equal(d.record.fromStep, 'specialist');
    assert.equal(d.record.toStep, 'leader');
    assert.equal(s.assigneeId, null);

    d = step(s, { type: 'finish', resultSummary: 'Đã cấp' }, leader, vn('2026-03-04T16:00'));
    s = d.next;
    assert.equal(s.statusCode, 9);
    assert.equal(s.currentStep, 'return');
    assert.equal(fmt(s.finishedAt), '2026-03-04T16:00');
    assert.equal(s.timeliness, 'early');
    assert.equal(d.record.payload.resultSummary, 'Đã cấp');

    d = step(s, { type: 'return_result', method: 'post', trackingNumber: ' EB123VN ' }, desk, vn('2026-03-05T08:00'));
    s = d.next;
    assert.equal(s.statusCode, 10);
    assert.equal(fmt(s.returnedAt), '2026-03-05T08:00');
    assert.equal(fmt(s.finishedAt), '2026-03-04T16:00', 'finishedAt does not move on return');
    assert.equal(s.timeliness, 'early');
    assert.equal(d.record.payload.trackingNumber, 'EB123VN');
    assert.deepEqual(allowedActions(s, desk), []);
  });

  it('walk-in: received at once, forwarded through every step, forward past the last one is refused', () => {
    const at = vn('2026-03-02T09:00');
    let s = apply(fresh({ channel: 1, submittedAt: at }), { type: 'receive' }, desk, at);
    assert.equal(s.statusCode, 2);
    assert.equal(s.receivedAt?.getTime(), at.getTime());
    assert.equal(fmt(s.appointmentAt), '2026-03-05T09:00');
    s = apply(s, { type: 'forward' }, desk, vn('2026-03-02T09:05')); // specialist → leader
    assert.equal(s.currentStep, 'leader');
    s = apply(s, { type: 'forward' }, leader, vn('2026-03-02T09:10'));
    assert.equal(s.currentStep, 'return');
    const last = s;
    refused(() => decide(last, { type: 'forward' }, leader, vn('2026-03-02T09:15'), cal), 'invalid_action', 'toStep');
    s = apply(s, { type: 'finish' }, leader, vn('2026-03-02T09:20'));
    assert.equal(s.timeliness, 'early');
  });

  it('same_day: received at 15:01 is due the next working day at 17:00; before 15:00 the same day', () => {
    const sd = (local: string) =>
      apply(fresh({ limitKind: 'same_day', limitValue: 0, submittedAt: vn(local) }), { type: 'receive' }, desk, vn(local));
    assert.equal(fmt(sd('2026-03-02T15:01').appointmentAt), '2026-03-03T17:00');
    assert.equal(fmt(sd('2026-03-02T14:59').appointmentAt), '2026-03-02T17:00');
    // Friday before Tết 2026 → the first working day after the holiday
    assert.equal(fmt(sd('2026-02-13T15:01').appointmentAt), '2026-02-23T17:00');
  });

  it('no time limit: no appointment, finished on time', () => {
    let s = apply(fresh({ limitKind: 'none', limitValue: 0 }), { type: 'receive' }, desk, T0);
    assert.equal(s.appointmentAt, null);
    assert.equal(s.legalAppointmentAt, null);
    assert.equal(s.appointmentSetBy, null);
    s = apply(s, { type: 'finish' }, leader, vn('2026-06-01T10:00'));
    assert.equal(s.timeliness, 'on_time');
  });

  it('timeliness at finish: by local date against legalAppointmentAt (Thursday 2026-03-05)', () => {
    const finishAt = (local: string) => apply(received, { type: 'finish' }, leader, vn(local));
    assert.equal(finishAt('2026-03-04T23:59').timeliness, 'early');
    assert.equal(finishAt('2026-03-05T00:00').timeliness, 'on_time');
    assert.equal(finishAt('2026-03-05T16:30').timeliness, 'on_time'); // after the appointment's hour, same day
    assert.equal(finishAt('2026-03-05T23:30').timeliness, 'on_time'); // 16:30 UTC, still the 5th locally
    assert.equal(finishAt('2026-03-06T00:10').timeliness, 'late'); // 17:10 UTC on the 5th, the 6th locally
    assert.equal(finishAt('2026-03-10T09:00').timeliness, 'late');
  });

  it('finishedAt: set on finish and on stop/withdraw after receipt, not on refuse or withdraw before receipt', () => {
    assert.equal(fmt(STATE_AT[9].finishedAt), '2026-03-03T10:00');
    assert.equal(fmt(STATE_AT[7].finishedAt), '2026-03-02T11:00');
    assert.equal(STATE_AT[7].timeliness, 'early');
    assert.equal(fmt(STATE_AT[8].finishedAt), '2026-03-02T11:00');
    assert.equal(STATE_AT[8].timeliness, 'early');
    const lateStop = apply(processing, { type: 'stop', reason: 'Hết thời hạn' }, leader, vn('2026-03-09T09:00'));
    assert.equal(lateStop.timeliness, 'late');

    assert.equal(STATE_AT[3].statusCode, 3);
    assert.equal(STATE_AT[3].finishedAt, null);
    assert.equal(STATE_AT[3].timeliness, null);
    const early = apply(fresh(), { type: 'withdraw', reason: 'Nộp nhầm' }, owner, T0);
    assert.equal(early.statusCode, 7);
    assert.equal(early.finishedAt, null);
    assert.equal(early.timeliness, null);
    // withdrawn while a supplement was pending after receipt: finished, clock no longer paused
    const w = apply(STATE_AT[5], { type: 'withdraw', reason: 'Thôi' }, owner, vn('2026-03-03T09:00'));
    assert.equal(w.pausedAt, null);
    assert.equal(fmt(w.finishedAt), '2026-03-03T09:00');
  });

  it('payment: request_payment → 6, confirm_payment → 4 with paidAt', () => {
    const d = step(processing, { type: 'request_payment', amount: 30_000 }, specialist, vn('2026-03-02T11:00'));
    assert.equal(d.next.statusCode, 6);
    assert.equal(d.next.feeAmount, 30_000);
    const s = apply(d.next, { type: 'confirm_payment', receiptNumber: 'BL-1' }, owner, vn('2026-03-02T14:00'));
    assert.equal(s.statusCode, 4);
    assert.equal(fmt(s.paidAt), '2026-03-02T14:00');
  });
});

// ---------------------------------------------------------------------------
// 2. The paused clock
// ---------------------------------------------------------------------------

describe('supplement: the clock pauses', () => {
  const reqAt = vn('2026-03-03T10:00'); // Tuesday
  const suppAt = vn('2026-03-04T14:00'); // Wednesday
  const req = (s: DossierState, at = reqAt) =>
    step(s, { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: [' Bản sao CCCD ', '  '] }, specialist, at);

  it('request_supplement sets status 5 and pausedAt; supplement moves both appointments by the working time waited', () => {
    const r = req(processing);
    assert.equal(r.next.statusCode, 5);
    assert.equal(r.next.pausedAt?.getTime(), reqAt.getTime());
    assert.equal(r.next.supplementRequestCount, 1);
    assert.deepEqual(r.record.payload.missing, ['Bản sao CCCD']);
    assert.equal(r.record.payload.requestNumber, 1);
    assert.equal(r.record.payload.countsAsLate, undefined);
    assert.deepEqual(allowedActions(r.next, owner).sort(), ['supplement', 'withdraw']);

    const waited = workingTimeBetween(cal, reqAt, suppAt);
    assert.equal(waited, 10 * HOUR);
    const d = step(r.next, { type: 'supplement', documents: ['cccd.pdf'] }, owner, suppAt);
    const s = d.next;
    assert.equal(s.statusCode, 4);
    assert.equal(s.pausedAt, null);
    assert.equal(s.pausedWorkingMs, waited);
    assert.equal(d.record.payload.waitedWorkingMs, waited);
    // Thursday 09:00 + 10 working hours = Friday 11:00
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-06T11:00');
    assert.equal(fmt(s.appointmentAt), '2026-03-06T11:00');
    assert.ok(processing.legalAppointmentAt && s.legalAppointmentAt && processing.appointmentAt && s.appointmentAt);
    assert.equal(workingTimeBetween(cal, processing.legalAppointmentAt, s.legalAppointmentAt), waited);
    assert.equal(workingTimeBetween(cal, processing.appointmentAt, s.appointmentAt), waited);
    // consistent with recomputing from scratch
    assert.equal(legalAppointment(cal, s)?.getTime(), s.legalAppointmentAt.getTime());

    assert.equal(apply(s, { type: 'finish' }, leader, vn('2026-03-05T16:00')).timeliness, 'early');
    assert.equal(apply(s, { type: 'finish' }, leader, vn('2026-03-06T16:00')).timeliness, 'on_time');
    assert.equal(apply(s, { type: 'finish' }, leader, vn('2026-03-09T08:00')).timeliness, 'late');
  });

  it('waiting over a weekend counts only working time', () => {
    const r = req(processing, vn('2026-03-06T16:00')); // Friday
    const s = apply(r.next, { type: 'supplement', documents: [] }, desk, vn('2026-03-09T08:00')); // Monday
    assert.equal(s.pausedWorkingMs, 2 * HOUR);
    assert.equal(fmt(s.appointmentAt), '2026-03-05T11:00');
  });

  it('supplement requested before receipt resumes to status 1 with no clock change', () => {
    const r = req(fresh(), vn('2026-03-02T08:00'));
    assert.equal(r.next.statusCode, 5);
    assert.equal(r.next.supplementRequestCount, 1);
    const d = step(r.next, { type: 'supplement', documents: ['a.pdf'] }, owner, vn('2026-03-05T08:00'));
    assert.equal(d.next.statusCode, 1);
    assert.equal(d.next.pausedAt, null);
    assert.equal(d.next.pausedWorkingMs, 0);
    assert.equal(d.next.appointmentAt, null);
    assert.equal(d.next.legalAppointmentAt, null);
    assert.equal(d.record.payload.waitedWorkingMs, undefined);
    // the appointment then counts from receipt
    const s = apply(d.next, { type: 'receive' }, desk, vn('2026-03-05T09:00'));
    assert.equal(fmt(s.appointmentAt), '2026-03-10T09:00');
  });

  it('a second supplement request counts as late: finished early is still late', () => {
    let s = req(processing).next;
    s = apply(s, { type: 'supplement', documents: ['x'] }, owner, suppAt);
    const d = step(s, { type: 'request_supplement', reason: 'Còn thiếu', missing: ['Sổ hộ khẩu'] }, desk, vn('2026-03-04T15:00'));
    assert.equal(d.next.supplementRequestCount, 2);
    assert.equal(d.record.payload.requestNumber, 2);
    assert.equal(d.record.payload.countsAsLate, true);
    s = apply(d.next, { type: 'supplement', documents: ['y'] }, owner, vn('2026-03-04T16:00'));
    assert.equal(s.pausedWorkingMs, 11 * HOUR);
    assert.equal(legalAppointment(cal, s)?.getTime(), s.legalAppointmentAt?.getTime());
    const done = apply(s, { type: 'finish' }, leader, vn('2026-03-04T16:30'));
    assert.ok(done.legalAppointmentAt && done.finishedAt && done.finishedAt < done.legalAppointmentAt);
    assert.equal(done.timeliness, 'late');
  });

  // Regression: a wait with zero working time (requested after closing, supplied before the next opening)
  // still moves an appointment that sits exactly at a closing time to the next opening, i.e. to
  // the next working DAY, because addWorkingTime(cal, x, 0) normalises x to the next opening.
  // `days` and `same_day` appointments are always at 17:00, so every such wait shifts them a day.
  it('a supplement after zero working time does not move the appointment', () => {
    let s = apply(fresh({ limitKind: 'days', limitValue: 5 }), { type: 'receive' }, desk, vn('2026-03-02T10:00'));
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-09T17:00'); // Sat 7 → Mon 9, closing time
    s = apply(s, { type: 'request_supplement', reason: 'Thiếu', missing: ['CCCD'] }, desk, vn('2026-03-03T17:30'));
    s = apply(s, { type: 'supplement', documents: ['cccd.pdf'] }, owner, vn('2026-03-03T19:00'));
    assert.equal(s.pausedWorkingMs, 0);
    // recomputing from scratch with the same calendar gives Monday 17:00 …
    assert.equal(fmt(legalAppointment(cal, s)), '2026-03-09T17:00');
    // … but the incremental update gives Tuesday 2026-03-10T07:00
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-09T17:00');
    assert.equal(fmt(s.appointmentAt), '2026-03-09T17:00');
    // so a dossier finished on Tuesday is classed on_time instead of late
    assert.equal(apply(s, { type: 'finish' }, leader, vn('2026-03-10T08:00')).timeliness, 'late');
  });
});

// ---------------------------------------------------------------------------
// 3. Apology (form 4)
// ---------------------------------------------------------------------------

describe('apology (form 4)', () => {
  const apologize = (newLocal: string, reason = 'Cần xác minh') =>
    ({ type: 'apologize', reason, newAppointmentAt: vn(newLocal) }) as const;

  it('moves appointmentAt but not legalAppointmentAt; timeliness is still judged against the legal date', () => {
    const d = step(processing, apologize('2026-03-09T17:00'), leader, vn('2026-03-04T10:00'));
    const s = d.next;
    assert.equal(s.statusCode, 4);
    assert.equal(fmt(s.appointmentAt), '2026-03-09T17:00');
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-05T09:00');
    assert.equal(s.appointmentSetBy, 'apology');
    assert.equal(s.apologyCount, 1);
    assert.equal(d.record.payload.previousAppointmentAt, vn('2026-03-05T09:00').toISOString());
    assert.equal(d.record.payload.appointmentAt, vn('2026-03-09T17:00').toISOString());
    assert.equal(d.record.reason, 'Cần xác minh');
    // finished after the legal date but before the apology date: still late
    assert.equal(apply(s, { type: 'finish' }, leader, vn('2026-03-06T10:00')).timeliness, 'late');
  });

  it('must be later than both the current appointment and now', () => {
    // not later than the current appointment (Thursday 09:00)
    refused(() => decide(processing, apologize('2026-03-05T09:00'), leader, vn('2026-03-04T10:00'), cal), 'invalid_action', 'newAppointmentAt');
    refused(() => decide(processing, apologize('2026-03-04T17:00'), leader, vn('2026-03-04T10:00'), cal), 'invalid_action', 'newAppointmentAt');
    const ok = apply(processing, { type: 'apologize', reason: 'x', newAppointmentAt: new Date(vn('2026-03-05T09:00').getTime() + 1) }, leader, vn('2026-03-04T10:00'));
    assert.equal(ok.apologyCount, 1);
    // overdue: later than the appointment but not than now
    refused(() => decide(processing, apologize('2026-03-06T09:00'), leader, vn('2026-03-06T10:00'), cal), 'invalid_action', 'newAppointmentAt');
    refused(() => decide(processing, apologize('2026-03-06T10:00'), leader, vn('2026-03-06T10:00'), cal), 'invalid_action', 'newAppointmentAt');
    assert.equal(apply(processing, apologize('2026-03-06T10:01'), leader, vn('2026-03-06T10:00')).apologyCount, 1);
  });

  it(`at most MAX_APOLOGIES (${MAX_APOLOGIES}) times; allowed also while a supplement is pending`, () => {
    let s = apply(STATE_AT[5], apologize('2026-03-09T17:00'), leader, vn('2026-03-03T10:00'));
    assert.equal(s.statusCode, 5);
    assert.ok(s.pausedAt);
    for (let i = 1; i < MAX_APOLOGIES; i++) {
      s = apply(s, apologize(`2026-03-${10 + i}T17:00`), leader, vn('2026-03-03T10:00'));
    }
    assert.equal(s.apologyCount, MAX_APOLOGIES);
    const last = s;
    refused(() => decide(last, apologize('2026-04-30T17:00'), leader, vn('2026-03-03T11:00'), cal), 'action_not_allowed');
    assert.ok(!allowedActions(last, leader).includes('apologize'));
  });

  it('a supplement after an apology moves the apology date too', () => {
    let s = apply(processing, apologize('2026-03-09T17:00'), leader, vn('2026-03-03T09:00'));
    s = apply(s, { type: 'request_supplement', reason: 'Thiếu', missing: ['CCCD'] }, specialist, vn('2026-03-03T10:00'));
    s = apply(s, { type: 'supplement', documents: ['cccd.pdf'] }, owner, vn('2026-03-03T12:00'));
    assert.equal(s.pausedWorkingMs, 1.5 * HOUR);
    assert.equal(fmt(s.appointmentAt), '2026-03-10T08:30');
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-05T10:30');
    assert.equal(s.appointmentSetBy, 'apology');
  });
});

// ---------------------------------------------------------------------------
// 4. recompute_appointment
// ---------------------------------------------------------------------------

describe('recompute_appointment (holiday table changed)', () => {
  const cal2 = makeCalendar({ holidays: [...DEFAULT_HOLIDAYS, { date: '2026-03-04', kind: 'day_off' }] });
  const recompute = { type: 'recompute_appointment', reason: 'Thêm ngày nghỉ 04/03' } as const;

  it('the legal appointment moves with the new calendar; a rule-set appointment follows it', () => {
    const d = step(processing, recompute, system, vn('2026-03-03T08:00'), cal2);
    assert.equal(d.next.statusCode, 4);
    assert.equal(fmt(d.next.legalAppointmentAt), '2026-03-06T09:00');
    assert.equal(fmt(d.next.appointmentAt), '2026-03-06T09:00');
    assert.equal(d.next.appointmentSetBy, 'rule');
    assert.equal(d.record.payload.previousAppointmentAt, vn('2026-03-05T09:00').toISOString());
    // same calendar: nothing moves
    const same = apply(processing, recompute, system, vn('2026-03-03T08:00'));
    assert.equal(same.legalAppointmentAt?.getTime(), processing.legalAppointmentAt?.getTime());
  });

  it('keeps the paused working time', () => {
    let s = apply(processing, { type: 'request_supplement', reason: 'Thiếu', missing: ['CCCD'] }, specialist, vn('2026-03-02T14:00'));
    s = apply(s, { type: 'supplement', documents: ['cccd.pdf'] }, owner, vn('2026-03-02T16:00'));
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-05T11:00');
    s = apply(s, recompute, system, vn('2026-03-03T08:00'), cal2);
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-06T11:00');
  });

  it('an apology-set appointmentAt stays', () => {
    const a = apply(processing, { type: 'apologize', reason: 'x', newAppointmentAt: vn('2026-03-12T17:00') }, leader, vn('2026-03-03T08:00'));
    const s = apply(a, recompute, system, vn('2026-03-03T09:00'), cal2);
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-06T09:00');
    assert.equal(fmt(s.appointmentAt), '2026-03-12T17:00');
    assert.equal(s.appointmentSetBy, 'apology');
  });

  it('an apology date overtaken by the new legal date does not leave appointmentAt before legalAppointmentAt', () => {
    const cal3 = makeCalendar({
      holidays: [...DEFAULT_HOLIDAYS, { date: '2026-03-04', kind: 'day_off' }, { date: '2026-03-05', kind: 'day_off' }],
    });
    const a = apply(processing, { type: 'apologize', reason: 'x', newAppointmentAt: vn('2026-03-06T09:00') }, leader, vn('2026-03-03T09:00'));
    const s = apply(a, recompute, system, vn('2026-03-03T10:00'), cal3);
    assert.equal(fmt(s.legalAppointmentAt), '2026-03-09T09:00');
    // actual: appointmentAt stays 2026-03-06T09:00, three days before the legal date
    assert.ok(s.appointmentAt && s.legalAppointmentAt && s.appointmentAt >= s.legalAppointmentAt, `appointment ${fmt(s.appointmentAt)}`);
  });

  it('only the system may recompute, and only while in progress', () => {
    for (const role of ALL_ROLES.filter((r) => r !== 'system')) {
      refused(() => decide(processing, recompute, actor(role, true), AT_LATER, cal2), 'role_not_allowed');
    }
    for (const st of [1, 3, 7, 8, 9, 10] as const) {
      refused(() => decide(STATE_AT[st], recompute, system, AT_LATER, cal2), 'action_not_allowed');
    }
  });
});

// ---------------------------------------------------------------------------
// 5. Transfers between the receiving and the deciding unit
// ---------------------------------------------------------------------------

describe('transfers (liên thông)', () => {
  it('forward to the deciding unit, accept, forward back', () => {
    refused(() => decide(processing, { type: 'accept_transfer' }, desk, AT_LATER, cal), 'action_not_allowed');
    assert.ok(!allowedActions(processing, desk).includes('accept_transfer'));

    const d = step(processing, { type: 'forward', toUnit: DECIDING, note: 'Chuyển Sở' }, desk, vn('2026-03-02T14:00'));
    let s = d.next;
    assert.equal(s.currentUnit, DECIDING);
    assert.equal(fmt(s.transferSentAt), '2026-03-02T14:00');
    assert.equal(s.transferReceivedAt, null);
    assert.equal(d.record.fromUnit, RECEIVING);
    assert.equal(d.record.toUnit, DECIDING);
    assert.equal(d.record.payload.note, 'Chuyển Sở');
    assert.ok(allowedActions(s, specialist).includes('accept_transfer'));

    s = apply(s, { type: 'accept_transfer' }, specialist, vn('2026-03-02T15:00'));
    assert.equal(fmt(s.transferReceivedAt), '2026-03-02T15:00');
    assert.equal(s.statusCode, 4);
    const accepted = s;
    refused(() => decide(accepted, { type: 'accept_transfer' }, specialist, vn('2026-03-02T15:30'), cal), 'action_not_allowed');
    assert.ok(!allowedActions(accepted, specialist).includes('accept_transfer'));

    s = apply(s, { type: 'forward', toUnit: RECEIVING, toStep: 'return' }, leader, vn('2026-03-03T10:00'));
    assert.equal(s.currentUnit, RECEIVING);
    assert.equal(s.currentStep, 'return');
    assert.equal(fmt(s.transferReturnedAt), '2026-03-03T10:00');
    assert.equal(fmt(s.transferSentAt), '2026-03-02T14:00');
  });

  it('forward within the same unit or to another unit records no transfer', () => {
    const same = apply(processing, { type: 'forward', toUnit: RECEIVING }, desk, AT_LATER);
    assert.equal(same.transferSentAt, null);
    const other = apply(processing, { type: 'forward', toUnit: 'Z99' }, desk, AT_LATER);
    assert.equal(other.currentUnit, 'Z99');
    assert.equal(other.transferSentAt, null);
    assert.equal(other.transferReturnedAt, null);
  });
});

describe('digitise (an electronic copy of a received document)', () => {
  const scan = { type: 'digitise' as const, documentSeq: 2, attachmentId: '0b6f3c1e-6a55-4a4b-9a57-6f1f0c2b7d10' };

  it('from received, processing, supplement, payment and finished: by a desk officer or a specialist, the state stays exactly as it was', () => {
    for (const status of [2, 4, 5, 6, 9] as const) {
      for (const who of [desk, specialist]) {
        const state = STATE_AT[status];
        const d = step(state, scan, who, AT_LATER);
        assert.deepEqual(d.next, state, `digitise from ${status} by ${who.role} changes nothing but the log`);
        assert.equal(d.record.fromStatus, status);
        assert.equal(d.record.toStatus, status);
        assert.equal(d.record.fromStep, d.record.toStep);
        assert.equal(d.record.stepTimeliness, null, 'not a hand-over');
        assert.equal(d.record.reason, null);
        assert.deepEqual(d.record.payload, { documentSeq: 2, attachmentId: scan.attachmentId });
      }
    }
  });

  it('a reused copy names the dossier it came from in the payload', () => {
    const d = step(processing, { ...scan, reusedFromDossier: 'H15.001-260201-0007' }, desk, AT_LATER);
    assert.deepEqual(d.record.payload, { documentSeq: 2, attachmentId: scan.attachmentId, reusedFromDossier: 'H15.001-260201-0007' });
  });

  it('not before receipt nor after the dossier ended: 1, 3, 7, 8, 10 → action_not_allowed', () => {
    for (const status of [1, 3, 7, 8, 10] as const) refused(() => decide(STATE_AT[status], scan, desk, AT_LATER, cal), 'action_not_allowed');
  });

  it('a unit leader, the owner, a province leader, an admin and the system may not', () => {
    for (const who of [leader, owner, actor('province_leader'), actor('admin'), system]) refused(() => decide(processing, scan, who, AT_LATER, cal), 'role_not_allowed');
  });

  it('the document number must be a positive whole number and the copy must be named → invalid_action on that field', () => {
    for (const documentSeq of [0, -1, 1.5, Number.NaN]) refused(() => decide(processing, { ...scan, documentSeq }, desk, AT_LATER, cal), 'invalid_action', 'documentSeq');
    refused(() => decide(processing, { ...scan, attachmentId: '' }, desk, AT_LATER, cal), 'invalid_action', 'attachmentId');
  });

  it('offered by allowedActions to the desk officer and the specialist of a received dossier, not to the leader', () => {
    assert.ok(allowedActions(processing, desk).includes('digitise'));
    assert.ok(allowedActions(finished, specialist).includes('digitise'));
    assert.ok(!allowedActions(processing, leader).includes('digitise'));
    assert.ok(!allowedActions(STATE_AT[1], desk).includes('digitise'));
  });
});

// ---------------------------------------------------------------------------
// 6. Refusals
// ---------------------------------------------------------------------------

describe('refusals', () => {
  it('every (action × status) pair outside RULES.from → action_not_allowed naming both, input untouched', () => {
    let count = 0;
    for (const type of ALL_TYPES) {
      for (const status of ALL_STATUSES) {
        if (RULES[type].from.includes(status)) continue;
        const state = STATE_AT[status];
        assert.equal(state.statusCode, status);
        const snapshot = structuredClone(state);
        const cmd = validCommand(type, state, AT_LATER);
        // an actor who would otherwise be allowed, so only the status can be the reason
        const who = RULES[type].roles.includes('citizen') && RULES[type].ownerMay ? owner : actor(RULES[type].roles[0] ?? 'admin');
        const err = refused(() => decide(state, cmd, who, AT_LATER, cal), 'action_not_allowed');
        assert.match(err.message, new RegExp(`"${type}"`));
        assert.match(err.message, new RegExp(`status ${status} \\(`), err.message);
        assert.ok(err.messageVi.includes(ACTION_NAMES[type].vi), err.messageVi);
        assert.match(err.messageVi, new RegExp(`trạng thái ${status} \\(`), err.messageVi);
        assert.deepEqual(state, snapshot);
        count++;
      }
    }
    assert.ok(count > 100, `${count} pairs checked`);
  });

  it('every (action × role) outside RULES.roles → role_not_allowed, input untouched', () => {
    let count = 0;
    for (const type of COMMAND_TYPES) {
      const rule = RULES[type];
      for (const status of rule.from) {
        const state = STATE_AT[status];
        const snapshot = structuredClone(state);
        for (const role of ALL_ROLES) {
          if (rule.roles.includes(role)) continue;
          for (const isOwner of [false, true]) {
            const err = refused(() => decide(state, validCommand(type, state, AT_LATER), actor(role, isOwner), AT_LATER, cal), 'role_not_allowed');
            assert.ok(err.message.includes(role) && err.message.includes(`"${type}"`), err.message);
            assert.ok(err.messageVi.includes(ACTION_NAMES[type].vi), err.messageVi);
            count++;
          }
        }
        assert.deepEqual(state, snapshot);
      }
    }
    assert.ok(count > 50, `${count} triples checked`);
  });

  it('a citizen who is not the owner → role_not_allowed; the owner may', () => {
    for (const type of COMMAND_TYPES.filter((t) => RULES[t].ownerMay)) {
      for (const status of RULES[type].from) {
        const state = STATE_AT[status];
        refused(() => decide(state, validCommand(type, state, AT_LATER), stranger, AT_LATER, cal), 'role_not_allowed');
        assert.doesNotThrow(() => decide(state, validCommand(type, state, AT_LATER), owner, AT_LATER, cal));
      }
    }
  });

  it('missing or blank reason where required → invalid_action on field reason', () => {
    const withReason = COMMAND_TYPES.filter((t) => RULES[t].reasonRequired);
    assert.deepEqual(withReason.sort(), ['apologize', 'refuse', 'request_supplement', 'stop', 'withdraw']);
    for (const type of withReason) {
      const status = RULES[type].from[0];
      assert.ok(status !== undefined);
      const state = STATE_AT[status];
      const who = type === 'withdraw' ? owner : actor(RULES[type].roles[0] ?? 'admin');
      const valid = validCommand(type, state, AT_LATER);
      for (const reason of ['', '   \n\t']) {
        refused(() => decide(state, { ...valid, reason } as Command, who, AT_LATER, cal), 'invalid_action', 'reason');
      }
      const { reason: _omitted, ...noReason } = valid as Command & { reason: string };
      refused(() => decide(state, noReason as Command, who, AT_LATER, cal), 'invalid_action', 'reason');
      const ok = step(state, { ...valid, reason: '  trimmed  ' } as Command, who, AT_LATER);
      assert.equal(ok.record.reason, 'trimmed');
    }
  });

  it('payload checks → invalid_action', () => {
    const at = AT_LATER;
    refused(() => decide(processing, { type: 'request_supplement', reason: 'r', missing: [] }, desk, at, cal), 'invalid_action', 'missing');
    refused(() => decide(processing, { type: 'request_supplement', reason: 'r', missing: [' ', ''] }, desk, at, cal), 'invalid_action', 'missing');
    refused(() => decide(finished, { type: 'return_result', method: 'post' }, desk, at, cal), 'invalid_action', 'trackingNumber');
    refused(() => decide(finished, { type: 'return_result', method: 'post', trackingNumber: '  ' }, desk, at, cal), 'invalid_action', 'trackingNumber');
    assert.equal(apply(finished, { type: 'return_result', method: 'online' }, desk, at).statusCode, 10);
    for (const amount of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      refused(() => decide(processing, { type: 'request_payment', amount }, specialist, at, cal), 'invalid_action', 'amount');
    }
    for (const assigneeId of [0, -3, 2.5]) {
      refused(() => decide(processing, { type: 'assign', assigneeId }, leader, at, cal), 'invalid_action', 'assigneeId');
    }
    refused(() => decide(processing, { type: 'forward', toStep: 'nowhere' }, desk, at, cal), 'invalid_action', 'toStep');
    refused(() => decide(processing, { type: 'assign', assigneeId: 3, toStep: 'nowhere' }, leader, at, cal), 'invalid_action', 'toStep');
    const atLast = apply(processing, { type: 'forward', toStep: 'return' }, desk, at);
    refused(() => decide(atLast, { type: 'forward' }, desk, at, cal), 'invalid_action', 'toStep');
    // an action dated before the submission
    refused(() => decide(fresh(), { type: 'receive' }, desk, vn('2026-03-01T19:59'), cal), 'invalid_action', 'at');
  });
});

// ---------------------------------------------------------------------------
// 7. allowedActions agrees with decide
// ---------------------------------------------------------------------------

const instantArb = (from: string, to: string) => fc.integer({ min: vn(from).getTime() / MINUTE, max: vn(to).getTime() / MINUTE }).map((m) => new Date(m * MINUTE));

const randomStateArb: fc.Arbitrary<{ state: DossierState; at: Date }> = fc
  .record({
    status: fc.constantFrom(...ALL_STATUSES),
    submittedAt: instantArb('2025-01-01T00:00', '2026-11-30T00:00'),
    receivedAfter: fc.option(fc.integer({ min: 0, max: 10 * DAY }), { nil: null }),
    actAfter: fc.integer({ min: 0, max: 30 * DAY }),
    apologyCount: fc.integer({ min: 0, max: MAX_APOLOGIES + 1 }),
    atDeciding: fc.boolean(),
    sent: fc.boolean(),
    accepted: fc.boolean(),
    kind: fc.constantFrom<TimeLimitKind>('working_days', 'hours', 'days', 'same_day', 'none'),
  })
  .map((r) => {
    const base = fresh({ submittedAt: r.submittedAt, limitKind: r.kind, limitValue: r.kind === 'hours' ? 16 : 3 });
    const receivedAt = r.status === 1 ? null : r.receivedAfter === null ? null : new Date(r.submittedAt.getTime() + r.receivedAfter);
    const legal = legalAppointment(cal, { ...base, receivedAt });
    const at = new Date((receivedAt ?? r.submittedAt).getTime() + r.actAfter);
    const state: DossierState = {
      ...base,
      statusCode: r.status,
      receivedAt,
      legalAppointmentAt: legal,
      appointmentAt: legal,
      appointmentSetBy: legal ? 'rule' : null,
      apologyCount: r.apologyCount,
      currentUnit: r.atDeciding ? DECIDING : RECEIVING,
      transferSentAt: r.sent ? r.submittedAt : null,
      transferReceivedAt: r.sent && r.accepted ? r.submittedAt : null,
      pausedAt: r.status === 5 ? at : null,
    };
    return { state, at };
  });

const actorArb: fc.Arbitrary<ActorRef> = fc.record({ role: fc.constantFrom(...ALL_ROLES), isOwner: fc.boolean() }).map((a) => actor(a.role, a.isOwner));

describe('allowedActions agrees with decide', () => {
  /** Not offered by allowedActions by design: submit creates a dossier, recompute is the system's job. */
  const OFFERED = COMMAND_TYPES.filter((t) => t !== 'recompute_appointment');

  it('never lists submit or recompute_appointment', () => {
    for (const status of ALL_STATUSES) {
      for (const role of ALL_ROLES) {
        const list = allowedActions(STATE_AT[status], actor(role, true));
        assert.ok(!list.includes('submit') && !list.includes('recompute_appointment'));
      }
    }
  });

  it('listed ⇒ decide accepts a valid payload; not listed ⇒ action_not_allowed or role_not_allowed', () => {
    fc.assert(
      fc.property(randomStateArb, actorArb, ({ state, at }, who) => {
        const listed = new Set(allowedActions(state, who));
        for (const type of OFFERED) {
          const cmd = validCommand(type, state, at);
          if (listed.has(type)) {
            assert.doesNotThrow(() => step(state, cmd, who, at), `${type} listed for ${who.role} in status ${state.statusCode}`);
          } else {
            let err: unknown = null;
            try {
              decide(state, cmd, who, at, cal);
            } catch (e) {
              err = e;
            }
            assert.ok(
              err instanceof TransitionError && (err.code === 'action_not_allowed' || err.code === 'role_not_allowed'),
              `${type} not listed for ${who.role} in status ${state.statusCode} but decide gave ${String(err)}`,
            );
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('apologize beyond MAX_APOLOGIES (not listed) is refused as action_not_allowed', () => {
    const s: DossierState = { ...processing, apologyCount: MAX_APOLOGIES };
    assert.ok(!allowedActions(s, leader).includes('apologize'));
    refused(() => decide(s, validCommand('apologize', s, AT_LATER), leader, AT_LATER, cal), 'action_not_allowed');
  });
});

// ---------------------------------------------------------------------------
// 8. Properties over random action sequences
// ---------------------------------------------------------------------------

const limitArb: fc.Arbitrary<[TimeLimitKind, number]> = fc.oneof(
  fc.tuple(fc.constant<TimeLimitKind>('working_days'), fc.integer({ min: 1, max: 80 }).map((n) => n / 4)),
  fc.tuple(fc.constant<TimeLimitKind>('hours'), fc.integer({ min: 1, max: 80 })),
  fc.tuple(fc.constant<TimeLimitKind>('days'), fc.integer({ min: 1, max: 30 })),
  fc.tuple(fc.constant<TimeLimitKind>('same_day'), fc.constant(0)),
  fc.tuple(fc.constant<TimeLimitKind>('none'), fc.constant(0)),
);

/** Time increments: none, minutes, hours (crossing lunch and evenings), whole days (weekends, holidays), anything. */
const incrementArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 90 }).map((m) => m * MINUTE),
  fc.integer({ min: 1, max: 20 }).map((h) => h * HOUR),
  fc.integer({ min: 1, max: 9 }).map((d) => d * DAY),
  fc.integer({ min: 0, max: 3 * DAY }),
);

interface Move {
  /** Either this type, or (followRules) one of the actions possible from the current status, picked by typeIdx. */
  type: ActionType;
  followRules: boolean;
  typeIdx: number;
  /** Usually pick a role the rules allow for this action (index into RULES[type].roles), else any role. */
  ruleRole: boolean;
  roleIdx: number;
  anyRole: Role;
  isOwner: boolean;
  dt: number;
  /** Payload knobs (some produce invalid payloads, which must just be refused). */
  blankReason: boolean;
  emptyMissing: boolean;
  toStep: string | undefined;
  toUnit: string | undefined;
  amount: number;
  apologyOffsetH: number;
  method: 'in_person' | 'online' | 'post';
  tracking: boolean;
}

const moveArb: fc.Arbitrary<Move> = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  followRules: fc.boolean().chain((b) => (b ? fc.constant(true) : fc.boolean())), // ~75 % true
  typeIdx: fc.nat(40),
  ruleRole: fc.boolean().chain((b) => (b ? fc.constant(true) : fc.boolean())), // ~75 % true
  roleIdx: fc.nat(5),
  anyRole: fc.constantFrom(...ALL_ROLES),
  isOwner: fc.oneof(fc.constant(true), fc.boolean()),
  dt: incrementArb,
  blankReason: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(false), fc.constant(true)),
  emptyMissing: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
  toStep: fc.option(fc.constantFrom(...STEPS, 'nowhere'), { nil: undefined }),
  toUnit: fc.option(fc.constantFrom(RECEIVING, DECIDING, 'Z99'), { nil: undefined }),
  amount: fc.constantFrom(50_000, 0, 1.5),
  apologyOffsetH: fc.integer({ min: -10, max: 200 }),
  method: fc.constantFrom('in_person' as const, 'online' as const, 'post' as const),
  tracking: fc.boolean(),
});

const ENDING: readonly ActionType[] = ['refuse', 'stop', 'withdraw', 'finish', 'return_result'];

function typeOf(m: Move, s: DossierState): ActionType {
  if (!m.followRules) return m.type;
  // Actions that end (or nearly end) the dossier get a sixth of the weight, so sequences run longer.
  const possible = COMMAND_TYPES.filter((t) => RULES[t].from.includes(s.statusCode)).flatMap((t) => (ENDING.includes(t) ? [t] : [t, t, t, t, t, t]));
  return possible[m.typeIdx % Math.max(1, possible.length)] ?? m.type;
}

function commandOf(m: Move, type: ActionType, s: DossierState, at: Date): Command {
  const reason = m.blankReason ? ' ' : 'lý do';
  switch (type) {
    case 'submit':
      return { type: 'submit' } as unknown as Command;
    case 'receive':
    case 'accept_transfer':
    case 'confirm_payment':
    case 'finish':
      return { type };
    case 'refuse':
    case 'stop':
    case 'withdraw':
    case 'recompute_appointment':
      return { type, reason };
    case 'assign':
      return { type: 'assign', assigneeId: 12, toStep: m.toStep };
    case 'forward':
      return { type: 'forward', toStep: m.toStep, toUnit: m.toUnit, assigneeId: 13 };
    case 'request_supplement':
      return { type: 'request_supplement', reason, missing: m.emptyMissing ? [] : ['CCCD'] };
    case 'supplement':
      return { type: 'supplement', documents: ['a.pdf'] };
    case 'request_payment':
      return { type: 'request_payment', amount: m.amount };
    case 'apologize':
      return { type: 'apologize', reason, newAppointmentAt: new Date((s.appointmentAt ?? at).getTime() + m.apologyOffsetH * HOUR) };
    case 'return_result':
      return { type: 'return_result', method: m.method, trackingNumber: m.tracking ? 'EB1VN' : undefined };
    case 'digitise':
      return { type: 'digitise', documentSeq: 1 + (m.typeIdx % 3), attachmentId: 'a-scan' };
  }
}

const roleOf = (m: Move, type: ActionType): Role => (m.ruleRole ? RULES[type].roles[m.roleIdx % RULES[type].roles.length] ?? m.anyRole : m.anyRole);

interface Scenario {
  submittedAt: Date;
  limit: [TimeLimitKind, number];
  channel: Channel;
  receiveFirst: boolean;
  moves: Move[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  submittedAt: instantArb('2025-01-01T00:00', '2026-10-31T00:00'),
  limit: limitArb,
  channel: fc.constantFrom<Channel>(1, 2, 3),
  /** Receive first (walk-in) to reach the interesting statuses more often. */
  receiveFirst: fc.boolean(),
  moves: fc.array(moveArb, { minLength: 1, maxLength: 40, size: 'max' }),
});

/**
 * Replays a scenario from a fresh dossier, skipping refused actions, and calls `check(prev, next, at)`
 * after every accepted one. Also checks on every call that the input is not mutated, that `next` is a
 * new object and that nothing is accepted in a terminal status.
 */
function replay(sc: Scenario, check: (prev: DossierState, next: DossierState, at: Date) => void): void {
  let s = fresh({ channel: sc.channel, submittedAt: sc.submittedAt, limitKind: sc.limit[0], limitValue: sc.limit[1] });
  let at = sc.submittedAt;
  if (sc.receiveFirst) {
    const next = apply(s, { type: 'receive' }, desk, at);
    check(s, next, at);
    s = next;
  }
  for (const m of sc.moves) {
    at = new Date(at.getTime() + m.dt);
    const type = typeOf(m, s);
    const who = actor(roleOf(m, type), m.isOwner);
    const cmd = commandOf(m, type, s, at);
    const snapshot = structuredClone(s);
    let next: DossierState | null = null;
    try {
      next = decide(s, cmd, who, at, cal).next;
    } catch (e) {
      if (!(e instanceof TransitionError)) throw e;
    }
    assert.deepEqual(s, snapshot, 'input state mutated');
    if (TERMINAL.includes(s.statusCode)) {
      assert.equal(next, null, `${type} accepted in terminal status ${s.statusCode}`);
    }
    if (next === null) continue;
    assert.notEqual(next, s);
    check(s, next, at);
    s = next;
  }
}

const KINDS_WITH_DUE: readonly TimeLimitKind[] = ['working_days', 'hours', 'days', 'same_day'];

function invariants(prev: DossierState, s: DossierState): void {
  assert.ok(ALL_STATUSES.includes(s.statusCode), `status ${s.statusCode}`);
  if (prev.finishedAt) assert.equal(s.finishedAt?.getTime(), prev.finishedAt.getTime(), 'finishedAt changed');
  if (prev.receivedAt) assert.equal(s.receivedAt?.getTime(), prev.receivedAt.getTime(), 'receivedAt changed');
  assert.ok(s.supplementRequestCount >= prev.supplementRequestCount, 'supplementRequestCount decreased');
  assert.ok(s.pausedWorkingMs >= prev.pausedWorkingMs, 'pausedWorkingMs decreased');
  assert.equal(s.pausedAt !== null, s.statusCode === 5, `pausedAt ${fmt(s.pausedAt)} in status ${s.statusCode}`);
  assert.equal(s.timeliness !== null, s.finishedAt !== null && s.receivedAt !== null, 'timeliness iff finished after receipt');
  if (s.statusCode === 9 || s.statusCode === 10) assert.ok(s.finishedAt && s.receivedAt);
  if ((s.statusCode === 7 || s.statusCode === 8) && s.receivedAt) assert.ok(s.finishedAt);
  if (s.statusCode === 10) assert.ok(s.returnedAt);
  if (s.receivedAt === null) assert.equal(s.legalAppointmentAt, null);
  const legal = s.legalAppointmentAt;
  if (s.receivedAt && KINDS_WITH_DUE.includes(s.limitKind)) assert.ok(legal, 'a received dossier with a limit has a legal appointment');
  if (legal) {
    assert.ok(s.receivedAt && legal.getTime() >= s.receivedAt.getTime(), `legal ${fmt(legal)} before receipt ${fmt(s.receivedAt)}`);
    assert.ok(isWorkingDay(cal, localDateOf(cal, legal)), `legal appointment ${fmt(legal)} on a day off`);
    if (s.appointmentSetBy === 'rule') assert.equal(s.appointmentAt?.getTime(), legal.getTime());
    assert.ok(s.appointmentAt && s.appointmentAt.getTime() >= legal.getTime(), `appointment ${fmt(s.appointmentAt)} < legal ${fmt(legal)}`);
  }
}

describe('properties of random action sequences', () => {
  it('status, terminal states, finishedAt, counts, pause, appointments, timeliness, purity', () => {
    let accepted = 0;
    const reached = new Set<StatusCode>();
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        replay(sc, (prev, next) => {
          invariants(prev, next);
          accepted++;
          reached.add(next.statusCode);
        });
      }),
      { numRuns: 400 },
    );
    // the generator reaches every status (not a timing assertion: a coverage check of the generator)
    assert.deepEqual([...reached].sort((a, b) => a - b), [...ALL_STATUSES]);
    assert.ok(accepted > 1000, `${accepted} accepted actions`);
  });

  it('after a supplement, the appointments moved by exactly the working time waited', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        replay(sc, (prev, next, at) => {
          if (!(prev.statusCode === 5 && prev.pausedAt && prev.receivedAt && next.statusCode === 4)) return;
          const waited = next.pausedWorkingMs - prev.pausedWorkingMs;
          assert.equal(waited, workingTimeBetween(cal, prev.pausedAt, at));
          if (prev.legalAppointmentAt && next.legalAppointmentAt) {
            assert.equal(workingTimeBetween(cal, prev.legalAppointmentAt, next.legalAppointmentAt), waited);
          }
          if (prev.appointmentAt && next.appointmentAt) {
            assert.equal(workingTimeBetween(cal, prev.appointmentAt, next.appointmentAt), waited);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('legalAppointmentAt always equals legalAppointment(cal, state) under an unchanged calendar', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        replay(sc, (_prev, next) => {
          assert.equal(fmt(next.legalAppointmentAt), fmt(legalAppointment(cal, next)));
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------
// 9. Dossier code
// ---------------------------------------------------------------------------

describe('formatDossierCode', () => {
  it('formats {unit}-{yyMMdd}-{4-digit sequence}', () => {
    assert.equal(formatDossierCode('H15.001', '2025-10-03', 42), 'H15.001-251003-0042');
    assert.equal(formatDossierCode('H15.12', '2025-10-03', 42), 'H15.12-251003-0042');
    assert.equal(formatDossierCode('H15.001', '2026-01-09', 1), 'H15.001-260109-0001');
    assert.equal(formatDossierCode('H15.001', '2026-01-09', 9999), 'H15.001-260109-9999');
  });

  it('sequences ≥ 10000 keep all their digits', () => {
    assert.equal(formatDossierCode('H15.001', '2025-10-03', 10000), 'H15.001-251003-10000');
    assert.equal(formatDossierCode('H15.001', '2025-10-03', 1234567), 'H15.001-251003-1234567');
  });

  it('matches DOSSIER_CODE_PATTERN', () => {
    for (const seq of [1, 42, 9999, 10000, 987654]) {
      assert.match(formatDossierCode('H15.001', '2025-10-03', seq), DOSSIER_CODE_PATTERN);
    }
    assert.doesNotMatch('H15.001-251003-042', DOSSIER_CODE_PATTERN);
    assert.doesNotMatch('H15.001-25103-0042', DOSSIER_CODE_PATTERN);
  });

  it('rejects a sequence that is 0, negative or not an integer', () => {
    for (const seq of [0, -1, -42, 1.5, 0.999, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => formatDossierCode('H15.001', '2025-10-03', seq), RangeError, String(seq));
    }
  });

  const unitArb = fc.stringMatching(/^[A-Z][0-9]{1,3}(\.[0-9]{1,3}){0,2}$/);
  const dateArb = fc.integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2099, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
  const seqArb = fc.integer({ min: 1, max: 2_000_000 });

  it('property: always matches the pattern, round-trips its parts', () => {
    fc.assert(
      fc.property(unitArb, dateArb, seqArb, (unit, date, seq) => {
        const code = formatDossierCode(unit, date, seq);
        assert.match(code, DOSSIER_CODE_PATTERN);
        const m = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d+)$/.exec(code);
        assert.ok(m);
        assert.equal(m[1], unit);
        assert.equal(`${m[2]}-${m[3]}-${m[4]}`, date.slice(2));
        assert.equal(Number(m[5]), seq);
      }),
      { numRuns: 300 },
    );
  });

  it('property: distinct (unit, date, seq) within a century → distinct codes', () => {
    fc.assert(
      fc.property(fc.tuple(unitArb, dateArb, seqArb), fc.tuple(unitArb, dateArb, seqArb), (a, b) => {
        fc.pre(a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]);
        assert.notEqual(formatDossierCode(...a), formatDossierCode(...b));
      }),
      { numRuns: 300 },
    );
  });
});

// Where time goes (issue 5 item 9): the time at each step, recorded when the step is left.
// Default hours: Mon–Fri 07:00–11:30 and 13:30–17:00. Limit 3 working days = 24 h; shares by
// weight desk 1, specialist 6, leader 2 (of 9): specialist 16 h, leader 5 h 20 min.
describe('decide: time spent at each step (stepWorkingMs, stepNormMs)', () => {
  const SPECIALIST_NORM = 16 * HOUR;
  const LEADER_NORM = 5 * HOUR + 20 * MINUTE;

  it('online: receipt starts the step; a re-assignment within it records nothing; forward and finish record the time at the step left', () => {
    const s0 = fresh();
    assert.deepEqual(s0.stepEnteredAt, vn('2026-03-01T20:00'), 'the first step begins at the submission');
    const rec = step(s0, { type: 'receive' }, desk, vn('2026-03-02T09:00'));
    assert.equal(rec.next.currentStep, 'specialist');
    assert.deepEqual(rec.next.stepEnteredAt, vn('2026-03-02T09:00'));
    assert.equal(rec.next.stepWaitedWorkingMs, 0);
    assert.equal(rec.record.stepTimeliness, null);
    assert.equal('stepWorkingMs' in rec.record.payload, false, 'the time before receipt is not a step time');

    const asg = step(rec.next, { type: 'assign', assigneeId: 12 }, desk, vn('2026-03-02T10:00'));
    assert.equal(asg.record.stepTimeliness, 'early', 'the re-assignment is judged');
    assert.equal('stepWorkingMs' in asg.record.payload, false, 'but the step goes on');
    assert.deepEqual(asg.next.stepEnteredAt, vn('2026-03-02T09:00'));

    // Mon 09:00–11:30 + 13:30–17:00 = 6 h; Tue 07:00–11:30 + 13:30–15:00 = 6 h: 12 h.
    const fwd = step(asg.next, { type: 'forward' }, specialist, vn('2026-03-03T15:00'));
    assert.equal(fwd.record.fromStep, 'specialist');
    assert.equal(fwd.record.toStep, 'leader');
    assert.equal(fwd.record.payload.stepWorkingMs, 12 * HOUR);
    assert.equal(fwd.record.payload.stepNormMs, SPECIALIST_NORM);
    assert.deepEqual(fwd.next.stepEnteredAt, vn('2026-03-03T15:00'));

    // Tue 15:00–17:00 = 2 h; Wed 07:00–08:00 = 1 h: 3 h at the leader step.
    const fin = step(fwd.next, { type: 'finish' }, leader, vn('2026-03-04T08:00'));
    assert.equal(fin.record.fromStep, 'leader');
    assert.equal(fin.record.toStep, 'return');
    assert.equal(fin.record.payload.stepWorkingMs, 3 * HOUR);
    assert.equal(fin.record.payload.stepNormMs, LEADER_NORM);
    // The dossier's processing time is the two steps together (receipt → finish, no waits).
    assert.equal(fin.record.payload.processingWorkingMs, 15 * HOUR);
  });

  it('a supplement wait during the step is not time at the step', () => {
    let s = apply(fresh({ channel: 1, submittedAt: vn('2026-03-02T08:00') }), { type: 'receive' }, desk, vn('2026-03-02T08:00'));
    s = apply(s, { type: 'request_supplement', reason: 'thiếu', missing: ['Tờ khai'] }, specialist, vn('2026-03-02T10:00'));
    s = apply(s, { type: 'supplement', documents: ['Tờ khai'] }, owner, vn('2026-03-03T10:00'));
    // Waited Mon 10:00 → Tue 10:00 = 8 working hours.
    assert.equal(s.stepWaitedWorkingMs, 8 * HOUR);
    // Mon 08:00–11:30 + 13:30–17:00 = 7 h; Tue 07:00–11:00 = 4 h: 11 h, of which 8 h waiting.
    const fwd = step(s, { type: 'forward' }, specialist, vn('2026-03-03T11:00'));
    assert.equal(fwd.record.payload.stepWorkingMs, 3 * HOUR);
    assert.equal(fwd.record.payload.stepNormMs, SPECIALIST_NORM);
    assert.equal(fwd.next.stepWaitedWorkingMs, 0, 'the next step starts without waits');
  });

  it('a configured norm is recorded as the step norm; finishing without a return step still records the leader step', () => {
    const steps = ['desk', 'specialist', 'leader'];
    let s = apply(fresh({ channel: 1, submittedAt: vn('2026-03-02T08:00'), steps }), { type: 'receive' }, desk, vn('2026-03-02T08:00'));
    s = { ...s, stepNorms: { specialist: 4 } };
    // Mon 08:00–11:30 = 3.5 h + 13:30–14:00 = 0.5 h: 4 h, on its norm.
    const fwd = step(s, { type: 'forward' }, specialist, vn('2026-03-02T14:00'));
    assert.equal(fwd.record.payload.stepWorkingMs, 4 * HOUR);
    assert.equal(fwd.record.payload.stepNormMs, 4 * HOUR);
    const fin = step(fwd.next, { type: 'finish' }, leader, vn('2026-03-02T16:30'));
    assert.equal(fin.record.fromStep, 'leader');
    assert.equal(fin.record.toStep, 'leader');
    assert.equal(fin.record.payload.stepWorkingMs, 2.5 * HOUR);
    // Leader share without a configured norm: weights desk 1 + specialist 6 + leader 2 → 24 h × 2/9.
    assert.equal(fin.record.payload.stepNormMs, LEADER_NORM);
  });

  it('leaving the return step records its time without a norm; an unknown entry instant records the norm only', () => {
    let s = apply(fresh({ channel: 1, submittedAt: vn('2026-03-02T08:00') }), { type: 'receive' }, desk, vn('2026-03-02T08:00'));
    s = apply(s, { type: 'forward', toStep: 'return' }, specialist, vn('2026-03-02T09:00'));
    const back = step(s, { type: 'forward', toStep: 'leader' }, specialist, vn('2026-03-02T10:30'));
    assert.equal(back.record.fromStep, 'return');
    assert.notEqual(back.record.stepTimeliness, null, 'judged against the appointment');
    assert.equal(back.record.payload.stepWorkingMs, 1.5 * HOUR);
    assert.equal('stepNormMs' in back.record.payload, false);

    const legacy = step({ ...back.next, stepEnteredAt: null }, { type: 'finish' }, leader, vn('2026-03-02T11:00'));
    assert.equal('stepWorkingMs' in legacy.record.payload, false);
    assert.equal(legacy.record.payload.stepNormMs, LEADER_NORM);
  });
});
