/**
 * The dashboard's view in the address and its date arithmetic (web/src/dashboard/period.ts): what
 * the address may ask for, what is sent to the monitoring routes, the previous / next period, and
 * the days, weeks and months a trend is drawn over.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, apiQuery, defaultStep, MAX_POINTS, shiftPeriod, subPeriods, viewFrom, viewSearch } from '../../web/src/dashboard/period.js';

const params = (s: string) => new URLSearchParams(s);

describe('dashboard view in the address', () => {
  it('keeps a well-formed period, dates and field', () => {
    assert.deepEqual(viewFrom(params('period=quarter&from=2026-05-17&field=HT')), { period: 'quarter', from: '2026-05-17', field: 'HT' });
    assert.deepEqual(viewFrom(params('period=custom&from=2026-01-01&to=2026-03-31')), { period: 'custom', from: '2026-01-01', to: '2026-03-31' });
    // Dates alone are a custom range, as the server reads them.
    assert.deepEqual(viewFrom(params('from=2026-01-01&to=2026-01-31')), { from: '2026-01-01', to: '2026-01-31' });
  });

  it('drops what is malformed (the server default applies) and `to` with a preset', () => {
    assert.deepEqual(viewFrom(params('period=fortnight&from=2026-02-30&to=tomorrow&field=a b')), {});
    assert.deepEqual(viewFrom(params('period=month&from=2026-11-03&to=2026-11-30')), { period: 'month', from: '2026-11-03' });
  });

  it('sends `to` to the API only for a custom range', () => {
    assert.deepEqual(apiQuery({ period: 'month', from: '2026-11-03', to: '2026-11-30' }), { period: 'month', from: '2026-11-03', to: undefined, field: undefined });
    assert.equal(apiQuery({ period: 'custom', from: '2026-11-01', to: '2026-11-09' }).to, '2026-11-09');
    assert.equal(viewSearch({ period: 'week', from: '2026-11-18' }, { sort: 'on_time_rate', dir: undefined }), '?period=week&from=2026-11-18&sort=on_time_rate');
    assert.equal(viewSearch({}), '');
  });
});

describe('dashboard dates', () => {
  it('adds days across months and leap years', () => {
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  });

  it('moves a preset to the one before or after; a custom range has none', () => {
    assert.deepEqual(shiftPeriod({ kind: 'month', from: '2026-03-01', to: '2026-03-31', days: 31 }, -1, 'HT'), { period: 'month', from: '2026-02-28', field: 'HT' });
    assert.deepEqual(shiftPeriod({ kind: 'quarter', from: '2026-10-01', to: '2026-12-31', days: 92 }, 1), { period: 'quarter', from: '2027-01-01', field: undefined });
    assert.equal(shiftPeriod({ kind: 'custom', from: '2026-10-01', to: '2026-10-05', days: 5 }, 1), null);
  });

  it('splits a month into ISO weeks (Monday to Sunday) cut to the month and to today', () => {
    // November 2026: the 1st is a Sunday.
    assert.deepEqual(subPeriods('2026-11-01', '2026-11-30', 'week', '2026-11-22'), [
      { from: '2026-11-01', to: '2026-11-01' },
      { from: '2026-11-02', to: '2026-11-08' },
      { from: '2026-11-09', to: '2026-11-15' },
      { from: '2026-11-16', to: '2026-11-22' },
    ]);
  });

  it('splits a year into months and a week into days; nothing after today', () => {
    const months = subPeriods('2026-01-01', '2026-12-31', 'month', '2027-03-01');
    assert.equal(months.length, 12);
    assert.deepEqual(months[1], { from: '2026-02-01', to: '2026-02-28' });
    assert.deepEqual(months[11], { from: '2026-12-01', to: '2026-12-31' });
    assert.deepEqual(subPeriods('2026-11-16', '2026-11-22', 'day', '2026-11-18').map((s) => s.from), ['2026-11-16', '2026-11-17', '2026-11-18']);
    assert.deepEqual(subPeriods('2026-12-01', '2026-12-31', 'day', '2026-11-18'), []);
  });

  it('keeps at most MAX_POINTS points, the latest', () => {
    const days = subPeriods('2026-01-01', '2026-12-31', 'day', '2026-12-31');
    assert.equal(days.length, MAX_POINTS);
    assert.equal(days[days.length - 1]!.to, '2026-12-31');
  });

  it('chooses a step of a few to about thirty points', () => {
    assert.equal(defaultStep({ days: 1 }), null);
    assert.equal(defaultStep({ days: 7 }), 'day');
    assert.equal(defaultStep({ days: 30 }), 'week');
    assert.equal(defaultStep({ days: 92 }), 'week');
    assert.equal(defaultStep({ days: 365 }), 'month');
  });
});
