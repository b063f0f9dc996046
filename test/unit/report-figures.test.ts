/** The columns of forms II.06a / II.07a from a row's sums, and the month of the monthly report. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { zeroFacts } from '../../src/monitoring/cells.js';
import { addSums, figuresConsistent, figuresOf, zeroSums, type RowSums } from '../../src/reports/figures.js';
import { monthPeriod, previousMonth } from '../../src/reports/monthly.js';

const sums = (f: Partial<ReturnType<typeof zeroFacts>>, overdue = 0): RowSums => ({ facts: { ...zeroFacts(), ...f }, overdue });

describe('report figures', () => {
  it('a hand-computed row: received = online + in person/post + carried over; pending = received − settled, split', () => {
    // 8 received (1 online), 2 carried over; 2 early, 3 on time, 1 late; 3 of the 4 pending overdue.
    const x = figuresOf(sums({ received: 8, receivedOnline: 1, carriedOver: 2, settledEarly: 2, settledOnTime: 3, settledLate: 1 }, 3));
    assert.deepEqual(x, {
      receivedTotal: 10,
      receivedOnline: 1,
      receivedDirect: 7,
      carriedOver: 2,
      settledTotal: 6,
      settledEarly: 2,
      settledOnTime: 3,
      settledLate: 1,
      pendingTotal: 4,
      pendingWithin: 1,
      pendingOverdue: 3,
      onTimeRate: 83.33,
    });
    assert.ok(figuresConsistent(x));
  });

  it('nothing settled: no on-time rate; all settled on time: 100', () => {
    assert.equal(figuresOf(sums({ received: 3 })).onTimeRate, null);
    assert.equal(figuresOf(sums({ received: 3, settledOnTime: 3 })).onTimeRate, 100);
    assert.equal(figuresOf(sums({ received: 3, settledLate: 3 })).onTimeRate, 0);
    assert.equal(figuresOf(sums({ received: 3, settledEarly: 1, settledLate: 2 })).onTimeRate, 33.33);
  });

  it('an inconsistent row is caught (more overdue than pending, more settled than received)', () => {
    assert.equal(figuresConsistent(figuresOf(sums({ received: 1 }, 2))), false);
    assert.equal(figuresConsistent(figuresOf(sums({ received: 1, settledLate: 2 }))), false);
  });

  it('the figures of a sum are the sums of the figures (the totals row is the column sums)', () => {
    const row = fc
      .record({ received: fc.nat(50), online: fc.nat(50), carried: fc.nat(50), early: fc.nat(20), onTime: fc.nat(20), late: fc.nat(20), overdue: fc.nat(20) })
      .filter((r) => r.online <= r.received && r.early + r.onTime + r.late <= r.received + r.carried && r.overdue <= r.received + r.carried - r.early - r.onTime - r.late)
      .map((r) => sums({ received: r.received, receivedOnline: r.online, carriedOver: r.carried, settledEarly: r.early, settledOnTime: r.onTime, settledLate: r.late }, r.overdue));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const total = figuresOf(rows.reduce((t, r) => addSums(t, r), zeroSums()));
        const figures = rows.map(figuresOf);
        assert.ok(figuresConsistent(total) && figures.every(figuresConsistent));
        for (const k of Object.keys(total) as Array<keyof typeof total>) {
          if (k === 'onTimeRate') continue;
          assert.equal(total[k], figures.reduce((s, f) => s + (f[k] as number), 0), k);
        }
      }),
    );
  });
});

describe('the monthly report month', () => {
  it('the previous month, across a year', () => {
    assert.equal(previousMonth('2026-04-01'), '2026-03');
    assert.equal(previousMonth('2026-04-30'), '2026-03');
    assert.equal(previousMonth('2026-01-01'), '2025-12');
    assert.equal(previousMonth('2024-03-15'), '2024-02');
  });
  it('its days, leap years included; a malformed month is refused', () => {
    assert.deepEqual(monthPeriod('2024-02'), { kind: 'month', from: '2024-02-01', to: '2024-02-29', days: 29 });
    assert.deepEqual(monthPeriod('2026-12'), { kind: 'month', from: '2026-12-01', to: '2026-12-31', days: 31 });
    assert.throws(() => monthPeriod('2026-13'));
    assert.throws(() => monthPeriod('2026-3'));
  });
});
