import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyFinished, classifyPending, classifyStep } from '../../src/core/timeliness.js';

const VN = 420;
const HOUR = 3_600_000;
const vn = (local: string): Date => new Date(`${local}+07:00`);

const finished = (finishedLocal: string, appointmentLocal: string | null, supplementRequestCount = 0) =>
  classifyFinished({
    appointmentAt: appointmentLocal === null ? null : vn(appointmentLocal),
    finishedAt: vn(finishedLocal),
    supplementRequestCount,
    utcOffsetMinutes: VN,
  });

describe('classifyFinished with an appointment (local dates, Vietnam time)', () => {
  const APPT = '2026-03-03T17:00';

  it('before the appointment day → early', () => {
    assert.equal(finished('2026-03-02T23:59:59.999', APPT), 'early');
    assert.equal(finished('2026-02-20T10:00', APPT), 'early');
  });

  it('on the appointment day, at any hour → on_time', () => {
    assert.equal(finished('2026-03-03T00:00', APPT), 'on_time');
    // UTC date is 2 March, local date is 3 March: must be on_time, not early
    assert.equal(finished('2026-03-03T06:00', APPT), 'on_time');
    assert.equal(finished('2026-03-03T17:00', APPT), 'on_time');
    assert.equal(finished('2026-03-03T23:30', APPT), 'on_time');
    assert.equal(finished('2026-03-03T23:59:59.999', APPT), 'on_time');
  });

  it('after the appointment day → late (local midnight boundary)', () => {
    assert.equal(finished('2026-03-04T00:00', APPT), 'late');
    // UTC date is still 3 March, local date is 4 March: must be late
    assert.equal(finished('2026-03-04T00:10', APPT), 'late');
    assert.equal(finished('2026-04-01T09:00', APPT), 'late');
  });

  it('an appointment in the morning still allows the whole day', () => {
    assert.equal(finished('2026-03-03T16:00', '2026-03-03T09:00'), 'on_time');
  });

  it('uses utcOffsetMinutes, not UTC or the host zone', () => {
    const input = {
      appointmentAt: new Date('2026-03-03T10:00:00Z'), // 17:00 +07
      finishedAt: new Date('2026-03-03T17:10:00Z'), // 00:10 next day +07
      supplementRequestCount: 0,
    };
    assert.equal(classifyFinished({ ...input, utcOffsetMinutes: 420 }), 'late');
    assert.equal(classifyFinished({ ...input, utcOffsetMinutes: 0 }), 'on_time');
  });
});

describe('classifyFinished: supplement requests', () => {
  it('one supplement request does not change the result', () => {
    assert.equal(finished('2026-03-02T10:00', '2026-03-03T17:00', 1), 'early');
    assert.equal(finished('2026-03-03T10:00', '2026-03-03T17:00', 1), 'on_time');
  });
  it('more than one supplement request → late regardless', () => {
    assert.equal(finished('2026-03-02T10:00', '2026-03-03T17:00', 2), 'late');
    assert.equal(finished('2026-03-03T10:00', '2026-03-03T17:00', 3), 'late');
    assert.equal(
      classifyFinished({
        appointmentAt: null,
        finishedAt: vn('2026-03-03T10:00'),
        supplementRequestCount: 2,
        utcOffsetMinutes: VN,
        noAppointment: { usedWorkingMs: 1, limitWorkingMs: 8 * HOUR },
      }),
      'late',
    );
  });
});

describe('classifyFinished without an appointment', () => {
  const noAppt = (usedWorkingMs: number, limitWorkingMs: number) =>
    classifyFinished({
      appointmentAt: null,
      finishedAt: vn('2026-03-03T10:00'),
      supplementRequestCount: 0,
      utcOffsetMinutes: VN,
      noAppointment: { usedWorkingMs, limitWorkingMs },
    });

  it('on_time when used <= limit, never early', () => {
    assert.equal(noAppt(0, 40 * HOUR), 'on_time');
    assert.equal(noAppt(39 * HOUR, 40 * HOUR), 'on_time');
    assert.equal(noAppt(40 * HOUR, 40 * HOUR), 'on_time');
  });
  it('late when used > limit', () => {
    assert.equal(noAppt(40 * HOUR + 1, 40 * HOUR), 'late');
  });
  it('no appointment and no usage (procedure without limit) → on_time', () => {
    assert.equal(finished('2026-03-03T10:00', null), 'on_time');
  });
});

describe('classifyPending', () => {
  const END = vn('2026-03-31T23:59:59.999');
  it('appointment at or after the period end → within_limit', () => {
    assert.equal(classifyPending({ appointmentAt: END, periodEnd: END }), 'within_limit');
    assert.equal(classifyPending({ appointmentAt: vn('2026-04-02T17:00'), periodEnd: END }), 'within_limit');
  });
  it('appointment before the period end → overdue', () => {
    assert.equal(classifyPending({ appointmentAt: new Date(END.getTime() - 1), periodEnd: END }), 'overdue');
    assert.equal(classifyPending({ appointmentAt: vn('2026-03-31T17:00'), periodEnd: END }), 'overdue');
  });
  it('no appointment: overdue only if used > limit', () => {
    const p = (used: number, limit: number) =>
      classifyPending({ appointmentAt: null, periodEnd: END, noAppointment: { usedWorkingMs: used, limitWorkingMs: limit } });
    assert.equal(p(8 * HOUR, 8 * HOUR), 'within_limit');
    assert.equal(p(8 * HOUR + 1, 8 * HOUR), 'overdue');
    assert.equal(p(0, 8 * HOUR), 'within_limit');
    assert.equal(classifyPending({ appointmentAt: null, periodEnd: END }), 'within_limit');
  });
});

describe('classifyStep', () => {
  const DUE = vn('2026-03-03T11:30');
  it('compares local dates', () => {
    assert.equal(classifyStep(vn('2026-03-02T23:59'), DUE, VN), 'early');
    assert.equal(classifyStep(vn('2026-03-03T00:00'), DUE, VN), 'on_time');
    assert.equal(classifyStep(vn('2026-03-03T16:45'), DUE, VN), 'on_time');
    assert.equal(classifyStep(vn('2026-03-04T00:10'), DUE, VN), 'late');
  });
  it('depends on the offset', () => {
    assert.equal(classifyStep(new Date('2026-03-03T17:10:00Z'), new Date('2026-03-03T04:30:00Z'), 420), 'late');
    assert.equal(classifyStep(new Date('2026-03-03T17:10:00Z'), new Date('2026-03-03T04:30:00Z'), 0), 'on_time');
  });
  it('property: agrees with comparing local date strings', () => {
    const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }).map((n) => new Date(n));
    const localDate = (d: Date) => new Date(d.getTime() + VN * 60_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(instant, instant, (done, due) => {
        const a = localDate(done);
        const b = localDate(due);
        const expected = a < b ? 'early' : a === b ? 'on_time' : 'late';
        assert.equal(classifyStep(done, due, VN), expected);
        assert.equal(
          classifyFinished({ appointmentAt: due, finishedAt: done, supplementRequestCount: 0, utcOffsetMinutes: VN }),
          expected,
        );
      }),
      { numRuns: 300 },
    );
  });
});
