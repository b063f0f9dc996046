import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeCalendar } from '../../src/core/calendar.js';
import { decide, newDossierState, type ActorRef, type Command, type DossierState } from '../../src/core/dossier-machine.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import {
  buildTimeline,
  pendingSupplement,
  publicTimeliness,
  STEP_LABELS,
  type TimelineAction,
  type TimelineDossier,
} from '../../src/core/timeline.js';
import { vn } from '../helpers/vn-time.js';

const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });
const DESK: ActorRef = { role: 'desk_officer', userId: 1, isOwner: false };
const SPECIALIST: ActorRef = { role: 'specialist', userId: 2, isOwner: false };
const LEADER: ActorRef = { role: 'unit_leader', userId: 3, isOwner: false };
const OWNER: ActorRef = { role: 'citizen', userId: 9, isOwner: true };

/** A dossier driven through the real state machine, its log kept as the repository writes it. */
class Story {
  state: DossierState;
  actions: TimelineAction[] = [];
  constructor(channel: 1 | 2, at: Date, opts: { receiving?: string; deciding?: string } = {}) {
    this.state = newDossierState({
      channel,
      receivingUnit: opts.receiving ?? 'H15.001',
      decidingUnit: opts.deciding ?? opts.receiving ?? 'H15.001',
      steps: ['desk', 'specialist', 'leader', 'return'],
      submittedAt: at,
      limitKind: 'working_days',
      limitValue: 3,
      ownerId: 9,
      feeAmount: null,
    });
    this.actions.push({ type: 'submit', at, fromStatus: null, toStatus: 1, fromUnit: null, toUnit: this.state.receivingUnit, reason: null, payload: { channel } });
  }
  do(cmd: Command, actor: ActorRef, local: string): this {
    const at = vn(local);
    const d = decide(this.state, cmd, actor, at, cal);
    this.actions.push({ type: cmd.type, at, fromStatus: d.record.fromStatus, toStatus: d.record.toStatus, fromUnit: d.record.fromUnit, toUnit: d.record.toUnit, reason: d.record.reason, payload: JSON.parse(JSON.stringify(d.record.payload)) as Record<string, unknown> });
    this.state = d.next;
    return this;
  }
  get dossier(): TimelineDossier {
    const s = this.state;
    return { statusCode: s.statusCode, receivingUnit: s.receivingUnit, receivedAt: s.receivedAt, appointmentAt: s.appointmentAt, legalAppointmentAt: s.legalAppointmentAt, pausedAt: s.pausedAt, finishedAt: s.finishedAt, timeliness: s.timeliness };
  }
  kinds(): string[] {
    return buildTimeline(this.dossier, this.actions).map((s) => s.kind);
  }
}

describe('buildTimeline: the public steps of a dossier', () => {
  it('a walk-in dossier processed by a specialist and a leader: the hand-overs are hidden', () => {
    const s = new Story(1, vn('2026-03-02T09:00'))
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do({ type: 'assign', assigneeId: 2 }, DESK, '2026-03-02T10:00')
      .do({ type: 'forward' }, SPECIALIST, '2026-03-03T10:00')
      .do({ type: 'finish' }, LEADER, '2026-03-04T10:00')
      .do({ type: 'return_result', method: 'in_person' }, DESK, '2026-03-05T10:00');
    const steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'received', 'processing', 'result_ready', 'returned']);
    assert.equal(steps[0]!.label.vi, 'Nộp hồ sơ');
    assert.equal(steps[1]!.appointmentAt?.toISOString(), vn('2026-03-05T09:00').toISOString());
    assert.equal(steps[2]!.at.toISOString(), vn('2026-03-02T10:00').toISOString());
    // The step that ended processing carries the dossier's timeliness (Wednesday vs Thursday's appointment).
    assert.equal(steps[3]!.timeliness, 'early');
    assert.equal(steps[4]!.returnMethod, 'in_person');
    assert.equal(steps[4]!.returnMethodLabel?.vi, 'Trực tiếp tại Bộ phận Một cửa');
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-06T09:00')), 'early');
    // No step names an official or an internal step.
    assert.ok(steps.every((x) => !JSON.stringify(x).includes('specialist')));
  });

  it('an online dossier with a supplement request: missing list as written, clock paused, then resumed with a later appointment', () => {
    const s = new Story(2, vn('2026-03-02T08:00'))
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do({ type: 'assign', assigneeId: 2 }, DESK, '2026-03-02T09:30')
      .do({ type: 'request_supplement', reason: 'Thiếu giấy chứng sinh', missing: ['Giấy chứng sinh (bản chính)', 'CCCD của mẹ'] }, SPECIALIST, '2026-03-02T10:00');
    let steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'received', 'processing', 'supplement_requested']);
    assert.deepEqual(steps[0]!.label, { vi: 'Nộp hồ sơ trực tuyến', en: 'Submitted online' });
    assert.deepEqual(steps[3]!.missing, ['Giấy chứng sinh (bản chính)', 'CCCD của mẹ']);
    assert.equal(steps[3]!.reason, 'Thiếu giấy chứng sinh');
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-20T09:00')), 'paused');
    const pending = pendingSupplement(s.dossier, s.actions);
    assert.deepEqual(pending?.missing, ['Giấy chứng sinh (bản chính)', 'CCCD của mẹ']);
    assert.equal(pending?.reason, 'Thiếu giấy chứng sinh');

    s.do({ type: 'supplement', documents: ['giay-chung-sinh.pdf'] }, OWNER, '2026-03-03T10:00');
    steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'received', 'processing', 'supplement_requested', 'supplemented', 'appointment']);
    const supplemented = steps[4]!;
    assert.deepEqual(supplemented.documents, ['giay-chung-sinh.pdf']);
    // One working day waited → the appointment moved by one working day.
    assert.equal(supplemented.appointmentAt?.toISOString(), vn('2026-03-06T09:00').toISOString());
    const upcoming = steps[5]!;
    assert.equal(upcoming.upcoming, true);
    assert.equal(upcoming.appointmentAt?.toISOString(), vn('2026-03-06T09:00').toISOString());
    assert.equal(pendingSupplement(s.dossier, s.actions), null);
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-04T09:00')), 'within_limit');
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-09T09:00')), 'overdue');
  });

  it('before receipt: not started, no appointment; a refusal shows its reason and is not applicable', () => {
    const s = new Story(2, vn('2026-03-02T08:00'));
    assert.deepEqual(s.kinds(), ['submitted']);
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-02T09:00')), 'not_started');
    s.do({ type: 'refuse', reason: 'Không thuộc thẩm quyền' }, DESK, '2026-03-02T09:00');
    const steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'refused']);
    assert.equal(steps[1]!.reason, 'Không thuộc thẩm quyền');
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-02T09:00')), 'not_applicable');
  });

  it('payment, apology with a new appointment, and a late finish', () => {
    const s = new Story(1, vn('2026-03-02T09:00'))
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do({ type: 'request_payment', amount: 50000 }, DESK, '2026-03-02T09:10')
      .do({ type: 'confirm_payment', method: 'cash' }, OWNER, '2026-03-02T09:20')
      .do({ type: 'apologize', reason: 'Cần xác minh thêm', newAppointmentAt: vn('2026-03-10T16:00') }, LEADER, '2026-03-04T10:00')
      .do({ type: 'finish' }, LEADER, '2026-03-09T10:00');
    const steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'received', 'payment_requested', 'paid', 'apology', 'result_ready']);
    assert.equal(steps[2]!.amount, 50000);
    assert.equal(steps[4]!.reason, 'Cần xác minh thêm');
    assert.equal(steps[4]!.appointmentAt?.toISOString(), vn('2026-03-10T16:00').toISOString());
    assert.equal(steps[4]!.previousAppointmentAt?.toISOString(), vn('2026-03-05T09:00').toISOString());
    // Judged against the legal appointment (Thursday 5 March), as the index counts it.
    assert.equal(steps[5]!.timeliness, 'late');
    assert.equal(publicTimeliness(s.dossier, vn('2026-03-09T11:00')), 'late');
  });

  it('an inter-agency transfer shows only the public fact, not the units or steps', () => {
    const s = new Story(1, vn('2026-03-02T09:00'), { receiving: 'H15.001', deciding: 'H15.S02' })
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do({ type: 'forward', toUnit: 'H15.S02', toStep: 'specialist' }, DESK, '2026-03-02T10:00')
      .do({ type: 'accept_transfer' }, SPECIALIST, '2026-03-02T11:00')
      .do({ type: 'forward' }, SPECIALIST, '2026-03-03T10:00')
      .do({ type: 'finish' }, LEADER, '2026-03-04T10:00')
      .do({ type: 'forward', toUnit: 'H15.001', toStep: 'return' }, LEADER, '2026-03-04T11:00')
      .do({ type: 'return_result', method: 'post', trackingNumber: 'EB123456789VN' }, DESK, '2026-03-05T10:00');
    const steps = buildTimeline(s.dossier, s.actions);
    assert.deepEqual(steps.map((x) => x.kind), ['submitted', 'received', 'transferred', 'result_ready', 'transfer_returned', 'returned']);
    assert.equal(steps[2]!.label.vi, STEP_LABELS.transferred.vi);
    assert.ok(!JSON.stringify(steps).includes('H15.S02'));
    assert.equal(steps[5]!.trackingNumber, 'EB123456789VN');
    assert.equal(steps[5]!.returnMethod, 'post');
  });

  it('withdrawal and stop carry their reasons; stop after receipt carries the timeliness', () => {
    const w = new Story(2, vn('2026-03-02T08:00')).do({ type: 'withdraw', reason: 'Nộp nhầm thủ tục' }, OWNER, '2026-03-02T08:30');
    const ws = buildTimeline(w.dossier, w.actions);
    assert.deepEqual(ws.map((x) => x.kind), ['submitted', 'withdrawn']);
    assert.equal(ws[1]!.reason, 'Nộp nhầm thủ tục');
    assert.equal(publicTimeliness(w.dossier, vn('2026-03-02T09:00')), 'not_applicable');

    const st = new Story(1, vn('2026-03-02T09:00'))
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do({ type: 'stop', reason: 'Người nộp đã chết' }, LEADER, '2026-03-03T09:00');
    const ss = buildTimeline(st.dossier, st.actions);
    assert.deepEqual(ss.map((x) => x.kind), ['submitted', 'received', 'stopped']);
    assert.equal(ss[2]!.timeliness, 'early');
  });

  it('a recomputation that changed nothing is hidden; one that moved the appointment is shown', () => {
    const at = vn('2026-03-02T10:00');
    const d: TimelineDossier = { statusCode: 4, receivingUnit: 'H15.001', receivedAt: at, appointmentAt: vn('2026-03-06T10:00'), legalAppointmentAt: vn('2026-03-06T10:00'), pausedAt: null, finishedAt: null, timeliness: null };
    const base: TimelineAction = { type: 'recompute_appointment', at, fromStatus: 4, toStatus: 4, fromUnit: 'H15.001', toUnit: 'H15.001', reason: 'Lịch nghỉ thay đổi', payload: {} };
    const same = { ...base, payload: { previousAppointmentAt: vn('2026-03-05T10:00').toISOString(), appointmentAt: vn('2026-03-05T10:00').toISOString() } };
    const moved = { ...base, payload: { previousAppointmentAt: vn('2026-03-05T10:00').toISOString(), appointmentAt: vn('2026-03-06T10:00').toISOString() } };
    assert.deepEqual(buildTimeline(d, [same]).map((x) => x.kind), ['appointment']);
    assert.deepEqual(buildTimeline(d, [moved]).map((x) => x.kind), ['appointment_changed', 'appointment']);
  });

  it('digitising the papers is internal: no step for the applicant, before or after processing starts', () => {
    const scan = (documentSeq: number) => ({ type: 'digitise' as const, documentSeq, attachmentId: `scan-${documentSeq}` });
    const s = new Story(1, vn('2026-03-02T09:00'))
      .do({ type: 'receive' }, DESK, '2026-03-02T09:00')
      .do(scan(1), DESK, '2026-03-02T09:05')
      .do({ ...scan(3), reusedFromDossier: 'H15.001-260201-0007' }, DESK, '2026-03-02T09:06')
      .do({ type: 'assign', assigneeId: 2 }, DESK, '2026-03-02T10:00')
      .do(scan(2), SPECIALIST, '2026-03-02T11:00')
      .do({ type: 'finish' }, LEADER, '2026-03-03T10:00');
    assert.equal(s.actions.filter((a) => a.type === 'digitise').length, 3, 'three digitise actions in the log');
    assert.deepEqual(s.kinds(), ['submitted', 'received', 'processing', 'result_ready']);
    assert.ok(buildTimeline(s.dossier, s.actions).every((x) => !JSON.stringify(x).includes('scan-')), 'no file names the applicant did not give');
  });

  it('an unknown action is shown only when it moved the status, labelled by the new status', () => {
    const at = vn('2026-03-02T10:00');
    const d: TimelineDossier = { statusCode: 6, receivingUnit: 'H15.001', receivedAt: at, appointmentAt: null, legalAppointmentAt: null, pausedAt: null, finishedAt: null, timeliness: null };
    const steps = buildTimeline(d, [
      { type: 'attach_note', at, fromStatus: 4, toStatus: 4, fromUnit: null, toUnit: null, reason: null, payload: {} },
      { type: 'future_thing', at, fromStatus: 4, toStatus: 6, fromUnit: null, toUnit: null, reason: null, payload: {} },
    ]);
    assert.deepEqual(steps.map((x) => x.kind), ['status_changed']);
    assert.equal(steps[0]!.label.vi, 'Yêu cầu thực hiện nghĩa vụ tài chính');
  });

  it('property: internal hand-overs never add steps beyond one "processing", and steps keep log order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<'assign' | 'forward'>('assign', 'forward'), { maxLength: 6 }), (moves) => {
        const s = new Story(1, vn('2026-03-02T09:00')).do({ type: 'receive' }, DESK, '2026-03-02T09:00');
        let minute = 0;
        for (const m of moves) {
          minute += 5;
          const t = `2026-03-02T10:${String(minute).padStart(2, '0')}`;
          if (m === 'assign') s.do({ type: 'assign', assigneeId: 2, toStep: 'specialist' }, DESK, t);
          else s.do({ type: 'forward', toStep: 'specialist' }, SPECIALIST, t);
        }
        const steps = buildTimeline(s.dossier, s.actions);
        const processing = steps.filter((x) => x.kind === 'processing').length;
        assert.equal(processing, moves.length > 0 ? 1 : 0);
        const past = steps.filter((x) => !x.upcoming).map((x) => x.at.getTime());
        assert.deepEqual(past, [...past].sort((a, b) => a - b));
      }),
      { numRuns: 50 },
    );
  });
});
