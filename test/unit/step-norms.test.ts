import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeCalendar, workingTimeBetween } from '../../src/core/calendar.js';
import { decide, newDossierState, type ActorRef, type DossierState } from '../../src/core/dossier-machine.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { limitWorkingMs, MAX_NORM_HOURS, stepDueAt, stepNormMs, validateStepNorms } from '../../src/core/step-norms.js';
import { HOUR, MINUTE, vn } from '../helpers/vn-time.js';

const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });
const STEPS = ['desk', 'specialist', 'leader', 'return'];
const desk: ActorRef = { role: 'desk_officer', userId: 1, isOwner: false };
const specialist: ActorRef = { role: 'specialist', userId: 2, isOwner: false };
const leader: ActorRef = { role: 'unit_leader', userId: 3, isOwner: false };

describe('stepNormMs', () => {
  it('splits the time limit by weight when nothing is configured: desk 1, specialist 6, leader 2 (of 9)', () => {
    const limit = 24 * HOUR; // 3 working days
    assert.equal(stepNormMs(STEPS, 'desk', limit), Math.round((24 * HOUR) / 9)); // 2 h 40 min
    assert.equal(stepNormMs(STEPS, 'specialist', limit), 16 * HOUR);
    assert.equal(stepNormMs(STEPS, 'leader', limit), Math.round((48 * HOUR) / 9)); // 5 h 20 min
  });

  it('a procedure without a specialist step: desk 1 + leader 2 = 3 shares', () => {
    assert.equal(stepNormMs(['desk', 'leader', 'return'], 'leader', 6 * HOUR), 4 * HOUR);
    assert.equal(stepNormMs(['desk', 'leader', 'return'], 'desk', 6 * HOUR), 2 * HOUR);
  });

  it('any other step name weighs like a specialist', () => {
    const steps = ['desk', 'appraisal', 'specialist', 'leader', 'return'];
    // 1 + 6 + 6 + 2 = 15 shares of 30 h.
    assert.equal(stepNormMs(steps, 'appraisal', 30 * HOUR), 12 * HOUR);
  });

  it('a configured norm wins, in working hours, even without a time limit', () => {
    assert.equal(stepNormMs(STEPS, 'specialist', 24 * HOUR, { specialist: 8 }), 8 * HOUR);
    assert.equal(stepNormMs(STEPS, 'leader', null, { leader: 1.5 }), 1.5 * HOUR);
    // The other steps keep their shares.
    assert.equal(stepNormMs(STEPS, 'desk', 27 * HOUR, { specialist: 8 }), 3 * HOUR);
  });

  it('no norm for the return step, an unknown step, or no time limit', () => {
    assert.equal(stepNormMs(STEPS, 'return', 24 * HOUR, { specialist: 8 }), null);
    assert.equal(stepNormMs(STEPS, 'archive', 24 * HOUR), null);
    assert.equal(stepNormMs(STEPS, 'specialist', null), null);
    assert.equal(stepNormMs(STEPS, 'specialist', 0), null);
  });

  it('the shares of the processing steps add up to the whole limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('specialist', 'leader', 'appraisal', 'survey'), { minLength: 0, maxLength: 6 }),
        fc.integer({ min: 1, max: 400 * HOUR }),
        (middle, limit) => {
          const steps = ['desk', ...middle, 'return'];
          const sum = steps.map((s) => stepNormMs(steps, s, limit) ?? 0).reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - limit) <= steps.length, `sum ${sum} vs limit ${limit}`);
        },
      ),
    );
  });
});

describe('validateStepNorms', () => {
  it('accepts nothing configured and positive hours for processing steps', () => {
    assert.deepEqual(validateStepNorms(STEPS, undefined), []);
    assert.deepEqual(validateStepNorms(STEPS, {}), []);
    assert.deepEqual(validateStepNorms(STEPS, { desk: 0.5, specialist: 16, leader: 4 }), []);
  });

  it('refuses unknown steps, the return step, and hours that are not positive or absurd, in both languages', () => {
    const problems = validateStepNorms(STEPS, { archive: 2, return: 4, specialist: 0, leader: MAX_NORM_HOURS + 1, desk: Number.NaN });
    assert.equal(problems.length, 5);
    for (const p of problems) {
      assert.ok(p.en.length > 0 && p.vi.length > 0);
      assert.notEqual(p.en, p.vi);
    }
    assert.match(problems[0]!.vi, /không phải là một bước/);
    assert.deepEqual(validateStepNorms(STEPS, [1, 2]).length, 1);
  });
});

describe('stepDueAt', () => {
  const base = { steps: STEPS, stepNorms: null, limitKind: 'working_days' as const, limitValue: 3 };

  it('limitWorkingMs: 3 working days from a Monday 08:00 receipt is 24 working hours', () => {
    assert.equal(limitWorkingMs(cal, vn('2026-03-02T08:00'), 'working_days', 3), 24 * HOUR);
    assert.equal(limitWorkingMs(cal, null, 'working_days', 3), null);
    assert.equal(limitWorkingMs(cal, vn('2026-03-02T08:00'), 'none', 0), null);
  });

  it('entered Monday 08:00, the specialist has 16 working hours: due Wednesday 08:00', () => {
    // Mon 08:00–11:30 (3.5 h) + 13:30–17:00 (3.5 h) = 7 h; Tue 8 h → 15 h; Wed 07:00 + 1 h = 08:00.
    const receivedAt = vn('2026-03-02T08:00');
    const appointmentAt = vn('2026-03-05T08:00');
    const due = stepDueAt(cal, { ...base, receivedAt, appointmentAt }, 'specialist', receivedAt);
    assert.deepEqual(due, vn('2026-03-04T08:00'));
  });

  it('is never after the appointment, and the return step is due at the appointment', () => {
    const receivedAt = vn('2026-03-02T08:00');
    const appointmentAt = vn('2026-03-05T08:00');
    // Entered on Wednesday at 16:00: 16 h would run to Friday; capped at Thursday 08:00.
    assert.deepEqual(stepDueAt(cal, { ...base, receivedAt, appointmentAt }, 'specialist', vn('2026-03-04T16:00')), appointmentAt);
    assert.deepEqual(stepDueAt(cal, { ...base, receivedAt, appointmentAt }, 'return', vn('2026-03-03T09:00')), appointmentAt);
    assert.equal(stepDueAt(cal, { ...base, receivedAt: null, appointmentAt: null }, 'specialist', receivedAt), null);
  });

  it('a configured norm in hours: leader 2 h entered Tuesday 10:30 is due Tuesday 14:30 (lunch break skipped)', () => {
    const receivedAt = vn('2026-03-02T08:00');
    const due = stepDueAt(cal, { ...base, stepNorms: { leader: 2 }, receivedAt, appointmentAt: vn('2026-03-05T08:00') }, 'leader', vn('2026-03-03T10:30'));
    assert.deepEqual(due, vn('2026-03-03T14:30'));
  });
});

describe('the state machine judges each hand-over against its own step', () => {
  const walkIn = (at: Date, stepNorms: Record<string, number> | null = null): DossierState => {
    const s = newDossierState({
      channel: 1,
      receivingUnit: 'H15.001',
      decidingUnit: 'H15.001',
      steps: STEPS,
      stepNorms,
      submittedAt: at,
      limitKind: 'working_days',
      limitValue: 3,
      ownerId: null,
      feeAmount: null,
    });
    return decide(s, { type: 'receive' }, desk, at, cal).next;
  };

  it('receipt enters the specialist step with its due instant', () => {
    const s = walkIn(vn('2026-03-02T08:00'));
    assert.equal(s.currentStep, 'specialist');
    assert.deepEqual(s.stepDueAt, vn('2026-03-04T08:00'));
    assert.deepEqual(s.appointmentAt, vn('2026-03-05T08:00'));
  });

  it('the specialist forwarding on Tuesday is early, on Wednesday on time, on Thursday late — while the dossier itself is not late yet', () => {
    const s = walkIn(vn('2026-03-02T08:00'));
    const tue = decide(s, { type: 'forward' }, specialist, vn('2026-03-03T15:00'), cal);
    assert.equal(tue.record.stepTimeliness, 'early');
    const wed = decide(s, { type: 'forward' }, specialist, vn('2026-03-04T16:00'), cal);
    assert.equal(wed.record.stepTimeliness, 'on_time');
    const thu = decide(s, { type: 'forward' }, specialist, vn('2026-03-05T07:30'), cal);
    assert.equal(thu.record.stepTimeliness, 'late', 'the step ran past its own norm');
    // Entering the leader step at Thursday 07:30: leader share 5 h 20 min, capped at the appointment (08:00).
    assert.equal(thu.next.currentStep, 'leader');
    assert.deepEqual(thu.next.stepDueAt, vn('2026-03-05T08:00'));
    assert.equal(thu.record.payload.stepDueAt, vn('2026-03-05T08:00').toISOString());
  });

  it('the leader finishing enters the return step, due at the appointment', () => {
    let s = walkIn(vn('2026-03-02T08:00'));
    s = decide(s, { type: 'forward' }, specialist, vn('2026-03-03T09:00'), cal).next;
    // Leader: 24 h × 2/9 = 5 h 20 min from Tue 09:00 → Tue 11:30 (2.5 h) + 13:30 + 2 h 50 min = 16:20.
    assert.deepEqual(s.stepDueAt, new Date(vn('2026-03-03T16:20').getTime()));
    const fin = decide(s, { type: 'finish' }, leader, vn('2026-03-03T16:00'), cal);
    assert.equal(fin.record.stepTimeliness, 'on_time');
    assert.equal(fin.next.currentStep, 'return');
    assert.deepEqual(fin.next.stepDueAt, s.appointmentAt);
  });

  it('assigning within the same step keeps its clock; a supplement pause moves the step due like the appointment', () => {
    let s = walkIn(vn('2026-03-02T08:00'));
    const assigned = decide(s, { type: 'assign', assigneeId: 9 }, desk, vn('2026-03-02T09:00'), cal).next;
    assert.deepEqual(assigned.stepDueAt, s.stepDueAt);
    s = decide(assigned, { type: 'request_supplement', reason: 'thiếu', missing: ['Tờ khai'] }, specialist, vn('2026-03-02T10:00'), cal).next;
    s = decide(s, { type: 'supplement', documents: ['Tờ khai'] }, desk, vn('2026-03-03T10:00'), cal).next;
    // Waited Mon 10:00 → Tue 10:00 = 8 working hours; the step due moves from Wed 08:00 to Thu 08:00.
    assert.equal(workingTimeBetween(cal, vn('2026-03-02T10:00'), vn('2026-03-03T10:00')), 8 * HOUR);
    assert.deepEqual(s.stepDueAt, vn('2026-03-05T08:00'));
    assert.deepEqual(s.appointmentAt, vn('2026-03-06T08:00'));
  });

  it('a configured norm replaces the share: specialist 4 h from Monday 08:00 is due Monday 13:30 + 30 min', () => {
    const s = walkIn(vn('2026-03-02T08:00'), { specialist: 4 });
    assert.deepEqual(s.stepDueAt, new Date(vn('2026-03-02T13:30').getTime() + 30 * MINUTE));
  });
});
