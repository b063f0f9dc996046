import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_WEEKLY,
  addWorkingTime,
  closingTimeOn,
  computeDueAt,
  isWorkingDay,
  localDateOf,
  makeCalendar,
  nextWorkingDay,
  validateTimeLimit,
  workingIntervalsOn,
  workingTimeBetween,
  type CalendarConfig,
  type TimeLimitKind,
} from '../../src/core/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { HOUR, MINUTE, fmt, vn } from '../helpers/vn-time.js';


const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });


function due(local: string, kind: TimeLimitKind, value: number, c: CalendarConfig = cal): string | null {
  return fmt(computeDueAt(c, vn(local), kind, value));
}

describe('holiday table', () => {
  it('is all unverified, well-formed and has the expected swapped Saturday', () => {
    for (const h of DEFAULT_HOLIDAYS) {
      assert.equal(h.verified, false);
      assert.match(h.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(h.name.length > 0 && h.nameEn.length > 0);
    }
    const working = DEFAULT_HOLIDAYS.filter((h) => h.kind === 'working_day').map((h) => h.date);
    assert.deepEqual(working, ['2025-04-26']);
    const dates = DEFAULT_HOLIDAYS.map((h) => h.date);
    assert.equal(new Set(dates).size, dates.length, 'no duplicate dates');
    for (const d of ['2025-01-01', '2025-01-27', '2025-01-31', '2025-04-07', '2025-04-30', '2025-05-01', '2025-05-02',
      '2025-09-01', '2025-09-02', '2026-01-01', '2026-02-16', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02']) {
      assert.ok(dates.includes(d), d);
    }
  });
});

describe('calendar basics', () => {
  it('DEFAULT_WEEKLY is 8 hours Mon–Fri and nothing on weekends', () => {
    for (const wd of [1, 2, 3, 4, 5] as const) {
      assert.equal(DEFAULT_WEEKLY[wd].reduce((s, i) => s + i.end - i.start, 0), 8 * 60);
    }
    assert.deepEqual(DEFAULT_WEEKLY[6], []);
    assert.deepEqual(DEFAULT_WEEKLY[7], []);
  });

  it('localDateOf uses the calendar offset, not the host zone', () => {
    assert.equal(localDateOf(cal, new Date('2026-03-02T16:59:59.999Z')), '2026-03-02'); // 23:59:59.999 +07
    assert.equal(localDateOf(cal, new Date('2026-03-02T17:00:00.000Z')), '2026-03-03'); // 00:00 +07
    assert.equal(localDateOf(cal, new Date('2026-03-01T17:00:00.000Z')), '2026-03-02');
    const utc = makeCalendar({ utcOffsetMinutes: 0 });
    assert.equal(localDateOf(utc, new Date('2026-03-02T17:00:00.000Z')), '2026-03-02');
  });

  it('isWorkingDay: weekdays, weekends, holidays, swapped Saturday', () => {
    assert.equal(isWorkingDay(cal, '2026-03-02'), true); // Monday
    assert.equal(isWorkingDay(cal, '2026-03-06'), true); // Friday
    assert.equal(isWorkingDay(cal, '2026-03-07'), false); // Saturday
    assert.equal(isWorkingDay(cal, '2026-03-08'), false); // Sunday
    assert.equal(isWorkingDay(cal, '2026-02-16'), false); // Tết
    assert.equal(isWorkingDay(cal, '2026-02-20'), false); // Tết
    assert.equal(isWorkingDay(cal, '2026-02-23'), true);
    assert.equal(isWorkingDay(cal, '2025-04-26'), true); // swapped Saturday
    assert.equal(isWorkingDay(cal, '2025-04-27'), false); // the Sunday after it
    for (const d of ['2025-04-30', '2025-05-01', '2025-05-02']) assert.equal(isWorkingDay(cal, d), false, d);
    assert.equal(isWorkingDay(makeCalendar(), '2026-02-16'), true, 'no holidays configured');
  });

  it('a date both off and swapped is never a working day', () => {
    const c = makeCalendar({
      holidays: [
        { date: '2026-03-07', kind: 'working_day' },
        { date: '2026-03-07', kind: 'day_off' },
      ],
    });
    assert.equal(isWorkingDay(c, '2026-03-07'), false);
  });

  it('workingIntervalsOn', () => {
    assert.deepEqual(workingIntervalsOn(cal, '2026-03-02'), [
      { start: 420, end: 690 },
      { start: 810, end: 1020 },
    ]);
    assert.deepEqual(workingIntervalsOn(cal, '2026-03-07'), []);
    assert.deepEqual(workingIntervalsOn(cal, '2026-02-17'), []);
    assert.deepEqual(workingIntervalsOn(cal, '2025-04-26'), workingIntervalsOn(cal, '2025-04-28'));
    // the result is a copy
    workingIntervalsOn(cal, '2026-03-02').pop();
    assert.equal(workingIntervalsOn(cal, '2026-03-02').length, 2);
  });

  it('nextWorkingDay is strictly after and skips weekends and holidays', () => {
    assert.equal(nextWorkingDay(cal, '2026-03-02'), '2026-03-03');
    assert.equal(nextWorkingDay(cal, '2026-03-06'), '2026-03-09');
    assert.equal(nextWorkingDay(cal, '2026-03-07'), '2026-03-09');
    assert.equal(nextWorkingDay(cal, '2026-02-13'), '2026-02-23');
    assert.equal(nextWorkingDay(cal, '2025-04-25'), '2025-04-26');
    assert.equal(nextWorkingDay(cal, '2025-04-29'), '2025-05-05');
    assert.equal(nextWorkingDay(cal, '2025-12-31'), '2026-01-02');
  });

  it('closingTimeOn', () => {
    assert.equal(fmt(closingTimeOn(cal, '2026-03-02')), '2026-03-02T17:00');
    assert.equal(fmt(closingTimeOn(cal, '2025-04-26')), '2025-04-26T17:00');
    assert.throws(() => closingTimeOn(cal, '2026-03-07'), /not a working day/);
  });

  it('rejects malformed dates and intervals', () => {
    assert.throws(() => isWorkingDay(cal, '2026-02-30'), RangeError);
    assert.throws(() => isWorkingDay(cal, '2026-3-2'), RangeError);
    assert.throws(() => makeCalendar({ holidays: [{ date: '2026-13-01', kind: 'day_off' }] }), RangeError);
    assert.throws(() => makeCalendar({ weekly: { 1: [{ start: 600, end: 500 }] } }), RangeError);
    assert.throws(() => makeCalendar({ weekly: { 1: [{ start: 0, end: 1441 }] } }), RangeError);
    assert.throws(
      () => makeCalendar({ weekly: { 1: [{ start: 420, end: 700 }, { start: 690, end: 1020 }] } }),
      /non-overlapping/,
    );
    assert.throws(() => makeCalendar({ utcOffsetMinutes: 420.5 }), RangeError);
    // hand-built configs are validated too
    const bad: CalendarConfig = { ...cal, weekly: { ...cal.weekly, 2: [{ start: 800, end: 700 }] } };
    assert.throws(() => addWorkingTime(bad, vn('2026-03-02T09:00'), HOUR), RangeError);
  });

  it('custom weekly schedule: missing weekdays do not work; swap hours default to Monday', () => {
    const c = makeCalendar({
      weekly: { 1: [{ start: 480, end: 720 }], 3: [{ start: 480, end: 720 }] },
      holidays: [{ date: '2026-03-07', kind: 'working_day' }],
    });
    assert.equal(isWorkingDay(c, '2026-03-03'), false); // Tuesday
    assert.deepEqual(workingIntervalsOn(c, '2026-03-07'), [{ start: 480, end: 720 }]);
    const c2 = makeCalendar({ holidays: [{ date: '2026-03-07', kind: 'working_day' }], swapDayHours: [{ start: 420, end: 690 }] });
    assert.deepEqual(workingIntervalsOn(c2, '2026-03-07'), [{ start: 420, end: 690 }]);
  });

  it('makeCalendar result is frozen', () => {
    assert.ok(Object.isFrozen(cal));
    assert.ok(Object.isFrozen(cal.weekly));
    assert.ok(Object.isFrozen(cal.weekly[1]));
  });
});

describe('loop guard', () => {
  const dead = makeCalendar({ weekly: {} });
  it('throws a clear error instead of looping forever', () => {
    assert.throws(() => addWorkingTime(dead, vn('2026-03-02T09:00'), HOUR), /no working time in the 3660 days/);
    assert.throws(() => nextWorkingDay(dead, '2026-03-02'), /no working time/);
    assert.throws(() => computeDueAt(dead, vn('2026-03-02T09:00'), 'days', 1), /no working time/);
    assert.throws(() => computeDueAt(dead, vn('2026-03-02T09:00'), 'same_day', 0), /no working time/);
    assert.equal(workingTimeBetween(dead, vn('2026-01-01T00:00'), vn('2027-01-01T00:00')), 0);
  });
  it('but a calendar working one day a week is fine', () => {
    const saturdays = makeCalendar({ weekly: { 6: [{ start: 480, end: 720 }] } });
    assert.equal(due('2026-03-02T09:00', 'hours', 5, saturdays), '2026-03-14T09:00');
  });
});

describe('addWorkingTime / workingTimeBetween', () => {
  it('ms = 0: inside → from; in a gap or at closing → next opening', () => {
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T09:13'), 0)), '2026-03-02T09:13');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T07:00'), 0)), '2026-03-02T07:00');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T12:00'), 0)), '2026-03-02T13:30');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T11:30'), 0)), '2026-03-02T13:30');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T17:00'), 0)), '2026-03-03T07:00');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-07T10:00'), 0)), '2026-03-09T07:00');
  });
  it('lands exactly on interval ends instead of the next opening', () => {
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T07:00'), 4.5 * HOUR)), '2026-03-02T11:30');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T07:00'), 4.5 * HOUR + 1)), '2026-03-02T13:30:00.001');
    assert.equal(fmt(addWorkingTime(cal, vn('2026-03-02T07:00'), 8 * HOUR)), '2026-03-02T17:00');
  });
  it('rejects negative or non-finite durations', () => {
    assert.throws(() => addWorkingTime(cal, vn('2026-03-02T07:00'), -1), RangeError);
    assert.throws(() => addWorkingTime(cal, vn('2026-03-02T07:00'), Number.NaN), RangeError);
    assert.throws(() => addWorkingTime(cal, new Date(Number.NaN), 1), RangeError);
  });
  it('workingTimeBetween', () => {
    assert.equal(workingTimeBetween(cal, vn('2026-03-02T00:00'), vn('2026-03-03T00:00')), 8 * HOUR);
    assert.equal(workingTimeBetween(cal, vn('2026-03-02T00:00'), vn('2026-03-09T00:00')), 40 * HOUR);
    assert.equal(workingTimeBetween(cal, vn('2026-03-06T16:00'), vn('2026-03-09T08:00')), 2 * HOUR);
    assert.equal(workingTimeBetween(cal, vn('2026-03-02T11:00'), vn('2026-03-02T14:00')), HOUR);
    assert.equal(workingTimeBetween(cal, vn('2026-02-14T00:00'), vn('2026-02-23T07:00')), 0); // Tết week
    assert.equal(workingTimeBetween(cal, vn('2026-03-03T00:00'), vn('2026-03-02T00:00')), 0);
    assert.equal(workingTimeBetween(cal, vn('2026-03-02T09:00'), vn('2026-03-02T09:00')), 0);
    assert.equal(workingTimeBetween(cal, vn('2025-04-26T00:00'), vn('2025-04-27T00:00')), 8 * HOUR); // swapped Saturday
  });
});

describe('computeDueAt: working_days', () => {
  it('Mon 09:00 + 1 working day → Tue 09:00', () => {
    assert.equal(due('2026-03-02T09:00', 'working_days', 1), '2026-03-03T09:00');
  });
  it('Fri 16:30: the clock runs 30 min on Friday, resumes Monday', () => {
    assert.equal(due('2026-03-06T16:30', 'working_days', 1), '2026-03-09T16:30');
  });
  it('received Saturday → clock starts Monday 07:00, due exactly Monday 17:00', () => {
    assert.equal(due('2026-03-07T10:00', 'working_days', 1), '2026-03-09T17:00');
    assert.equal(due('2026-03-08T23:59', 'working_days', 2), '2026-03-10T17:00');
  });
  it('received during lunch (11:45) → clock starts at 13:30', () => {
    // 13:30–17:00 = 3.5 h on Monday, then 4.5 h on Tuesday → ends exactly at 11:30
    assert.equal(due('2026-03-02T11:45', 'working_days', 1), '2026-03-03T11:30');
  });
  it('a deadline completing exactly at closing is due at 17:00, not at the next 07:00', () => {
    assert.equal(due('2026-03-02T07:00', 'working_days', 1), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T06:00', 'working_days', 1), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T07:00', 'working_days', 5), '2026-03-06T17:00');
  });
  it('received exactly at closing or in the evening → starts next morning', () => {
    assert.equal(due('2026-03-02T17:00', 'working_days', 1), '2026-03-03T17:00');
    assert.equal(due('2026-03-02T21:00', 'working_days', 2), '2026-03-04T17:00');
  });
  it('15 working days = 3 calendar weeks without holidays', () => {
    assert.equal(due('2026-03-02T09:00', 'working_days', 15), '2026-03-23T09:00');
  });
  it('across Tết 2026 (16–20 Feb)', () => {
    assert.equal(due('2026-02-13T09:00', 'working_days', 1), '2026-02-23T09:00');
    assert.equal(due('2026-02-12T09:00', 'working_days', 3), '2026-02-24T09:00');
    assert.equal(due('2026-02-17T10:00', 'working_days', 1), '2026-02-23T17:00'); // received during Tết
  });
  it('swapped working Saturday 26 Apr 2025 counts', () => {
    assert.equal(due('2025-04-25T09:00', 'working_days', 1), '2025-04-26T09:00');
    // received on the swapped Saturday itself: 5 h that day, 3 h on Monday
    assert.equal(due('2025-04-26T10:00', 'working_days', 1), '2025-04-28T10:00');
  });
  it('30 Apr – 2 May 2025 are off', () => {
    assert.equal(due('2025-04-29T09:00', 'working_days', 2), '2025-05-06T09:00');
    assert.equal(due('2025-04-29T09:00', 'working_days', 1), '2025-05-05T09:00');
  });
  it('fractional: half a working day = 4 working hours', () => {
    assert.equal(due('2026-03-02T07:00', 'working_days', 0.5), '2026-03-02T11:00');
    assert.equal(due('2026-03-02T09:00', 'working_days', 0.5), '2026-03-02T15:00');
    assert.equal(due('2026-03-02T15:00', 'working_days', 0.5), '2026-03-03T09:00');
    assert.equal(due('2026-03-02T09:00', 'working_days', 1.5), '2026-03-03T15:00');
  });
});

describe('computeDueAt: hours', () => {
  it('counts working hours only', () => {
    assert.equal(due('2026-03-02T10:00', 'hours', 4), '2026-03-02T16:00');
    assert.equal(due('2026-03-02T10:00', 'hours', 1.5), '2026-03-02T11:30');
    assert.equal(due('2026-03-06T16:00', 'hours', 2), '2026-03-09T08:00');
    assert.equal(due('2026-03-02T07:00', 'hours', 8), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T12:15', 'hours', 0.25), '2026-03-02T13:45');
    assert.equal(due('2026-03-07T09:00', 'hours', 24), '2026-03-11T17:00');
    assert.equal(due('2026-02-13T16:00', 'hours', 3), '2026-02-23T09:00');
  });
  it('N working days == N*8 hours', () => {
    for (const r of ['2026-03-02T09:17', '2026-03-06T16:30', '2026-02-12T12:00', '2025-04-25T14:00']) {
      assert.equal(due(r, 'working_days', 3), due(r, 'hours', 24), r);
    }
  });
});

describe('computeDueAt: days (calendar days)', () => {
  it('closing time N calendar days later', () => {
    assert.equal(due('2026-03-02T16:59', 'days', 1), '2026-03-03T17:00');
    assert.equal(due('2026-03-02T06:00', 'days', 1), '2026-03-03T17:00');
    assert.equal(due('2026-03-02T23:59', 'days', 3), '2026-03-05T17:00');
  });
  it('rolls past a weekend to the next working day', () => {
    assert.equal(due('2026-03-02T09:00', 'days', 5), '2026-03-09T17:00'); // Sat → Mon
    assert.equal(due('2026-03-06T09:00', 'days', 1), '2026-03-09T17:00'); // Sat → Mon
    assert.equal(due('2026-03-07T09:00', 'days', 2), '2026-03-09T17:00'); // received Sat, lands Mon
    assert.equal(due('2026-03-06T09:00', 'days', 3), '2026-03-09T17:00'); // lands Mon exactly
  });
  it('rolls past holidays', () => {
    // 29 Apr 2026 + 1 = 30 Apr (off), 1 May (off), Sat, Sun → Mon 4 May
    assert.equal(due('2026-04-29T09:00', 'days', 1), '2026-05-04T17:00');
    assert.equal(due('2026-02-15T09:00', 'days', 3), '2026-02-23T17:00'); // Tết
    assert.equal(due('2026-04-24T09:00', 'days', 3), '2026-04-28T17:00'); // Mon 27 Apr 2026 observed
  });
  it('a swapped working Saturday is a valid due date', () => {
    assert.equal(due('2025-04-25T09:00', 'days', 1), '2025-04-26T17:00');
  });
});

describe('computeDueAt: same_day', () => {
  it('cut-off at 15:00 local: 14:59 same day; 15:00 and 15:01 next working day', () => {
    assert.equal(due('2026-03-02T14:59', 'same_day', 0), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T14:59:59.999', 'same_day', 0), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T15:00', 'same_day', 0), '2026-03-03T17:00');
    assert.equal(due('2026-03-02T15:01', 'same_day', 0), '2026-03-03T17:00');
    assert.equal(due('2026-03-02T18:00', 'same_day', 0), '2026-03-03T17:00');
  });
  it('before opening and during lunch count as before the cut-off', () => {
    assert.equal(due('2026-03-02T06:00', 'same_day', 0), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T00:00', 'same_day', 0), '2026-03-02T17:00');
    assert.equal(due('2026-03-02T12:00', 'same_day', 0), '2026-03-02T17:00');
  });
  it('Friday after 15:00 and Saturday → Monday', () => {
    assert.equal(due('2026-03-06T15:00', 'same_day', 0), '2026-03-09T17:00');
    assert.equal(due('2026-03-07T10:00', 'same_day', 0), '2026-03-09T17:00');
    assert.equal(due('2026-03-08T08:00', 'same_day', 0), '2026-03-09T17:00');
  });
  it('the day before a holiday', () => {
    assert.equal(due('2026-04-29T10:00', 'same_day', 0), '2026-04-29T17:00');
    assert.equal(due('2026-04-29T15:30', 'same_day', 0), '2026-05-04T17:00');
    assert.equal(due('2026-02-13T16:00', 'same_day', 0), '2026-02-23T17:00');
    assert.equal(due('2026-02-16T09:00', 'same_day', 0), '2026-02-23T17:00'); // on the holiday
  });
  it('swapped Saturday', () => {
    assert.equal(due('2025-04-26T10:00', 'same_day', 0), '2025-04-26T17:00');
    assert.equal(due('2025-04-25T16:00', 'same_day', 0), '2025-04-26T17:00');
  });
  it('never before receipt on a short custom day closing before 15:00', () => {
    const c = makeCalendar({
      holidays: [{ date: '2026-03-07', kind: 'working_day' }],
      swapDayHours: [{ start: 420, end: 690 }],
    });
    assert.equal(due('2026-03-07T09:00', 'same_day', 0, c), '2026-03-07T11:30');
    assert.equal(due('2026-03-07T12:00', 'same_day', 0, c), '2026-03-09T17:00');
  });
  it('ignores the value', () => {
    assert.equal(due('2026-03-02T09:00', 'same_day', Number.NaN), '2026-03-02T17:00');
  });
});

describe('computeDueAt: none and validation', () => {
  it('none → null', () => {
    assert.equal(computeDueAt(cal, vn('2026-03-02T09:00'), 'none', 0), null);
    assert.equal(computeDueAt(cal, vn('2026-03-07T09:00'), 'none', 5), null);
  });
  it('validateTimeLimit', () => {
    assert.equal(validateTimeLimit('working_days', 15), null);
    assert.equal(validateTimeLimit('working_days', 0.5), null);
    assert.equal(validateTimeLimit('hours', 4), null);
    assert.equal(validateTimeLimit('hours', 0.25), null);
    assert.equal(validateTimeLimit('days', 3), null);
    assert.equal(validateTimeLimit('same_day', Number.NaN), null);
    assert.equal(validateTimeLimit('none', -1), null);
    for (const [k, v] of [
      ['working_days', 0],
      ['working_days', -1],
      ['working_days', Number.NaN],
      ['working_days', Infinity],
      ['working_days', 100_000],
      ['hours', 0],
      ['hours', Number.POSITIVE_INFINITY],
      ['days', 0],
      ['days', 1.5],
      ['days', -2],
      ['days', Number.NaN],
    ] as Array<[TimeLimitKind, number]>) {
      assert.equal(typeof validateTimeLimit(k, v), 'string', `${k} ${v}`);
    }
    assert.equal(typeof validateTimeLimit('weeks' as TimeLimitKind, 1), 'string');
  });
  it('computeDueAt throws RangeError on invalid limits', () => {
    assert.throws(() => computeDueAt(cal, vn('2026-03-02T09:00'), 'working_days', 0), RangeError);
    assert.throws(() => computeDueAt(cal, vn('2026-03-02T09:00'), 'days', 1.5), RangeError);
  });
});


// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

const RANGE_START = vn('2024-12-01T00:00').getTime();
const RANGE_END = vn('2026-12-31T00:00').getTime();

/** Receipts: arbitrary milliseconds, plus whole minutes (to hit 07:00/11:30/15:00/17:00 exactly). */
const receivedArb = fc.oneof(
  fc.integer({ min: RANGE_START, max: RANGE_END }),
  fc.integer({ min: RANGE_START / MINUTE, max: RANGE_END / MINUTE }).map((m) => m * MINUTE),
).map((n) => new Date(n));

const limitArb: fc.Arbitrary<[TimeLimitKind, number]> = fc.oneof(
  fc.tuple(fc.constant<TimeLimitKind>('working_days'), fc.integer({ min: 1, max: 80 }).map((n) => n / 4)),
  fc.tuple(fc.constant<TimeLimitKind>('working_days'), fc.double({ min: 0.001, max: 40, noNaN: true })),
  fc.tuple(fc.constant<TimeLimitKind>('hours'), fc.double({ min: 0.001, max: 300, noNaN: true })),
  fc.tuple(fc.constant<TimeLimitKind>('days'), fc.integer({ min: 1, max: 90 })),
  fc.tuple(fc.constant<TimeLimitKind>('same_day'), fc.constant(0)),
);

/** A calendar with random extra days off and random swapped weekend days, to stress the rules. */
const calendarArb: fc.Arbitrary<CalendarConfig> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 760 }), { maxLength: 60 }),
    fc.uniqueArray(fc.integer({ min: 0, max: 760 }), { maxLength: 20 }),
  )
  .map(([offs, swaps]) => {
    const date = (i: number) => new Date(RANGE_START + 7 * 3_600_000 + i * 86_400_000).toISOString().slice(0, 10);
    return makeCalendar({
      holidays: [
        ...DEFAULT_HOLIDAYS,
        ...offs.map((i) => ({ date: date(i), kind: 'day_off' as const })),
        ...swaps.map((i) => ({ date: date(i), kind: 'working_day' as const })),
      ],
    });
  });

const calArb = fc.oneof(fc.constant(cal), calendarArb);

/** True if `d` lies inside a working interval of its local date, or exactly at an interval's end. */
function withinOrAtEnd(c: CalendarConfig, d: Date): boolean {
  const local = localDateOf(c, d);
  const minutes = (d.getTime() - vn(`${local}T00:00`).getTime()) / MINUTE;
  return workingIntervalsOn(c, local).some((i) => i.start <= minutes && minutes <= i.end);
}

describe('properties', () => {
  it('due is never on a day off, for all kinds', () => {
    fc.assert(
      fc.property(calArb, receivedArb, limitArb, (c, r, [kind, value]) => {
        const d = computeDueAt(c, r, kind, value);
        assert.ok(d);
        assert.ok(isWorkingDay(c, localDateOf(c, d)), `${fmt(d)} is not a working day`);
      }),
      { numRuns: 400 },
    );
  });

  it('due is never before receipt', () => {
    fc.assert(
      fc.property(calArb, receivedArb, limitArb, (c, r, [kind, value]) => {
        const d = computeDueAt(c, r, kind, value);
        assert.ok(d && d.getTime() >= r.getTime(), `${fmt(d)} < ${fmt(r)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('due is within or at the end of a working interval; days/same_day land on closing time', () => {
    fc.assert(
      fc.property(calArb, receivedArb, limitArb, (c, r, [kind, value]) => {
        const d = computeDueAt(c, r, kind, value);
        assert.ok(d && withinOrAtEnd(c, d), fmt(d) ?? 'null');
        if (kind === 'days' || kind === 'same_day') {
          assert.equal(d.getTime(), closingTimeOn(c, localDateOf(c, d)).getTime());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('monotone in N', () => {
    const kindArb = fc.constantFrom<TimeLimitKind>('working_days', 'hours', 'days');
    fc.assert(
      fc.property(calArb, receivedArb, kindArb, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }),
        (c, r, kind, a, b) => {
          const [n1, n2] = a <= b ? [a, b] : [b, a];
          // working_days / hours also get fractional values
          const v1 = kind === 'days' ? n1 : n1 / 8;
          const v2 = kind === 'days' ? n2 : n2 / 8;
          const d1 = computeDueAt(c, r, kind, v1);
          const d2 = computeDueAt(c, r, kind, v2);
          assert.ok(d1 && d2 && d1.getTime() <= d2.getTime());
        }),
      { numRuns: 400 },
    );
  });

  it('workingTimeBetween(r, addWorkingTime(r, ms)) == ms for r inside working hours', () => {
    fc.assert(
      fc.property(calArb, receivedArb, fc.integer({ min: 0, max: 400 * HOUR }), (c, x, ms) => {
        const r = addWorkingTime(c, x, 0); // first instant at or after x inside working hours
        assert.ok(withinOrAtEnd(c, r));
        const end = addWorkingTime(c, r, ms);
        assert.equal(workingTimeBetween(c, r, end), ms);
        // and from any instant, not only inside working hours
        assert.equal(workingTimeBetween(c, x, addWorkingTime(c, x, ms)), ms);
      }),
      { numRuns: 300 },
    );
  });

  it('addWorkingTime result is always within or at the end of a working interval', () => {
    fc.assert(
      fc.property(calArb, receivedArb, fc.integer({ min: 0, max: 400 * HOUR }), (c, x, ms) => {
        const d = addWorkingTime(c, x, ms);
        assert.ok(withinOrAtEnd(c, d), fmt(d) ?? '');
        assert.ok(d.getTime() >= x.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('workingTimeBetween is additive', () => {
    fc.assert(
      fc.property(receivedArb, receivedArb, receivedArb, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        assert.equal(workingTimeBetween(cal, a, c), workingTimeBetween(cal, a, b) + workingTimeBetween(cal, b, c));
      }),
      { numRuns: 200 },
    );
  });
});
