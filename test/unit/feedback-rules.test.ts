/**
 * Pure rules behind ratings, complaints and online payment confirmation: the 15-working-day due
 * date of a complaint (weekends, holidays, Tết), on-time/late answers by local date, complaint
 * codes, and the "system" role confirming a payment reported by a provider.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeCalendar, workingTimeBetween, WORKING_DAY_MS } from '../../src/core/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { allowedActions, decide, newDossierState, TransitionError, type DossierState } from '../../src/core/dossier-machine.js';
import {
  COMPLAINT_CODE_PATTERN,
  complaintDueAt,
  complaintTimeliness,
  formatComplaintCode,
  isDislike,
  SATISFACTION_LEVELS,
} from '../../src/core/feedback.js';
import { fmt, vn } from '../helpers/vn-time.js';

const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });

describe('complaintDueAt: 15 working days of the unit calendar', () => {
  it('Mon 2 Mar 2026 09:00 → Mon 23 Mar 09:00 (three weekends skipped)', () => {
    assert.equal(fmt(complaintDueAt(cal, vn('2026-03-02T09:00'))), '2026-03-23T09:00');
  });
  it('Fri 24 Apr 2026 14:00 spans weekends and the days off 27 Apr, 30 Apr, 1 May → Wed 20 May 14:00', () => {
    // Working days after the Friday: 28, 29 Apr; 4–8, 11–15, 18, 19, 20 May: the 15th is Wed 20 May.
    assert.equal(fmt(complaintDueAt(cal, vn('2026-04-24T14:00'))), '2026-05-20T14:00');
  });
  it('Fri 13 Feb 2026 10:00, just before Tết (16–20 Feb off) → Fri 13 Mar 10:00', () => {
    assert.equal(fmt(complaintDueAt(cal, vn('2026-02-13T10:00'))), '2026-03-13T10:00');
  });
  it('received on a Saturday: counting starts Monday 07:00 and ends at the close of the 15th working day', () => {
    // Sat 7 Mar → Mon 9 Mar 07:00; 15 full working days: 9–13, 16–20, 23–27 Mar.
    assert.equal(fmt(complaintDueAt(cal, vn('2026-03-07T10:00'))), '2026-03-27T17:00');
  });
  it('always exactly 15 working days of working time after receipt (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }), (at) => {
        const due = complaintDueAt(cal, at);
        assert.equal(workingTimeBetween(cal, at, due), 15 * WORKING_DAY_MS);
      }),
      { numRuns: 200 },
    );
  });
});

describe('complaintTimeliness', () => {
  const due = vn('2026-03-23T09:00');
  it('answered before or on the due date (even after its hour) is on time; the next day is late', () => {
    assert.equal(complaintTimeliness({ dueAt: due, answeredAt: vn('2026-03-20T16:00'), now: due }, 420), 'on_time');
    assert.equal(complaintTimeliness({ dueAt: due, answeredAt: vn('2026-03-23T16:30'), now: due }, 420), 'on_time');
    assert.equal(complaintTimeliness({ dueAt: due, answeredAt: vn('2026-03-24T08:00'), now: due }, 420), 'late');
  });
  it('unanswered: pending until the due instant, overdue after', () => {
    assert.equal(complaintTimeliness({ dueAt: due, answeredAt: null, now: vn('2026-03-23T09:00') }, 420), 'pending');
    assert.equal(complaintTimeliness({ dueAt: due, answeredAt: null, now: vn('2026-03-23T09:01') }, 420), 'overdue');
  });
});

describe('complaint codes and levels', () => {
  it('formats PAKN-{unit}-{yyMMdd}-{nnnn}', () => {
    assert.equal(formatComplaintCode('H15.001', '2026-03-02', 1), 'PAKN-H15.001-260302-0001');
    assert.equal(formatComplaintCode('H15', '2026-12-31', 12345), 'PAKN-H15-261231-12345');
    assert.match(formatComplaintCode('H15.001', '2026-03-02', 7), COMPLAINT_CODE_PATTERN);
    assert.throws(() => formatComplaintCode('H15', '2026-03-02', 0), RangeError);
  });
  it('only "dissatisfied" is a dislike', () => {
    assert.deepEqual(SATISFACTION_LEVELS.filter(isDislike), ['dissatisfied']);
  });
});

describe('confirm_payment by the system (a provider callback)', () => {
  const base = (): DossierState => {
    let s = newDossierState({
      channel: 2,
      receivingUnit: 'H15.001',
      decidingUnit: 'H15.001',
      steps: ['desk', 'specialist', 'leader', 'return'],
      submittedAt: vn('2026-03-02T08:00'),
      limitKind: 'working_days',
      limitValue: 3,
      ownerId: 501,
      feeAmount: 8000,
    });
    s = decide(s, { type: 'receive' }, { role: 'desk_officer', userId: 7, isOwner: false }, vn('2026-03-02T09:00'), cal).next;
    return decide(s, { type: 'request_payment', amount: 8000 }, { role: 'desk_officer', userId: 7, isOwner: false }, vn('2026-03-02T10:00'), cal).next;
  };
  const system = { role: 'system' as const, userId: null, isOwner: false };
  it('moves a dossier waiting for payment (6) to processing (4) with paidAt', () => {
    const d = decide(base(), { type: 'confirm_payment', method: 'online', receiptNumber: 'BL-2026-0000001' }, system, vn('2026-03-02T11:00'), cal);
    assert.equal(d.next.statusCode, 4);
    assert.equal(fmt(d.next.paidAt), '2026-03-02T11:00');
    assert.deepEqual(d.record.payload, { method: 'online', receiptNumber: 'BL-2026-0000001' });
    assert.ok(allowedActions(base(), system).includes('confirm_payment'));
  });
  it('is refused outside status 6, and the system still may not do staff work', () => {
    const processing = decide(base(), { type: 'confirm_payment' }, system, vn('2026-03-02T11:00'), cal).next;
    assert.throws(() => decide(processing, { type: 'confirm_payment' }, system, vn('2026-03-02T12:00'), cal), (e: unknown) => e instanceof TransitionError && e.code === 'action_not_allowed');
    for (const cmd of [{ type: 'finish' as const }, { type: 'receive' as const }, { type: 'request_payment' as const, amount: 1 }]) {
      assert.throws(() => decide(processing, cmd, system, vn('2026-03-02T12:00'), cal), TransitionError);
    }
  });
});
