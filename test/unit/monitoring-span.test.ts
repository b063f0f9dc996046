/**
 * The heatmap's split of a span into whole months (monitoring_monthly_field) and edge days
 * (monitoring_daily_field): every day read exactly once, no piece across a cut, months whole.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { dateOfDayNumber, dayNumberOf } from '../../src/core/calendar.js';
import { spanPieces } from '../../src/monitoring/flows.js';

const FIRST = dayNumberOf('2025-01-01');
const LAST = dayNumberOf('2027-12-31');
/** The days a piece covers, within [FIRST, LAST] (unbounded months stop there). */
function daysOf(p: ReturnType<typeof spanPieces>): number[][] {
  const out: number[][] = [];
  for (const [a, b] of p.days) {
    const list: number[] = [];
    for (let d = dayNumberOf(a); d <= dayNumberOf(b); d++) list.push(d);
    out.push(list);
  }
  for (const [a, b] of p.months) {
    assert.ok(a === null || a.endsWith('-01'), `a month starts on its first day: ${a}`);
    assert.ok(b === null || dateOfDayNumber(dayNumberOf(b) + 1).endsWith('-01'), `a month ends on its last day: ${b}`);
    const list: number[] = [];
    for (let d = a === null ? FIRST : dayNumberOf(a); d <= (b === null ? LAST : dayNumberOf(b)); d++) list.push(d);
    out.push(list);
  }
  return out;
}

it('splits a span into edge days and whole months, each day once, never across a cut', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let round = 0; round < 2000; round++) {
    const from = FIRST + 100 + rand(700);
    const to = from + rand(200);
    const cuts = [dateOfDayNumber(from), dateOfDayNumber(to + 1)];
    const since = rand(2) === 0;
    const p = since ? spanPieces(dateOfDayNumber(from), null, cuts) : spanPieces(null, dateOfDayNumber(to), cuts);
    const pieces = daysOf(p);
    const seen = pieces.flat().sort((a, b) => a - b);
    const expected: number[] = [];
    for (let d = since ? from : FIRST; d <= (since ? LAST : to); d++) expected.push(d);
    assert.deepEqual(seen, expected, `every day of the span once (${cuts.join(' ')}, since=${since})`);
    for (const list of pieces) {
      const inside = list.map((d) => d >= from && d <= to);
      assert.ok(inside.every((x) => x === inside[0]), `a piece lies wholly inside or outside the period (${cuts.join(' ')})`);
    }
  }
  // A quarter from its first day: months only.
  assert.deepEqual(spanPieces('2026-10-01', null, ['2026-10-01', '2027-01-01']), { days: [], months: [['2026-10-01', '2026-12-31'], ['2027-01-01', null]] });
  // A week inside a month: days only, then the rest of the month as days, then months.
  assert.deepEqual(spanPieces('2026-11-16', null, ['2026-11-16', '2026-11-23']), {
    days: [['2026-11-16', '2026-11-22'], ['2026-11-23', '2026-11-30']],
    months: [['2026-12-01', null]],
  });
});
