/**
 * The working calendar through HTTP: deadlines of every kind (15:00 rule, swapped working
 * Saturday, Tết), the holiday table, and the recomputation of open appointments when it changes.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json } from '../helpers/harness.js';

const deadline = (q: string) => `/api/calendar/deadline?${q}`;

describeEachDatabase('working calendar', (env) => {
  const due = async (q: string) => {
    const res = await env().app.inject({ method: 'GET', url: deadline(q) });
    assert.equal(res.statusCode, 200, res.body);
    return json<{ dueAt: string | null }>(res).dueAt;
  };

  it('working_days counts working hours only, across a weekend', async () => {
    // Fri 6 Mar 2026 16:00 +07, 1 working day → Mon 9 Mar 16:00 +07
    assert.equal(await due(`from=${encodeURIComponent('2026-03-06T16:00:00+07:00')}&limit=1&kind=working_days`), '2026-03-09T09:00:00.000Z');
  });

  it('receipt during the lunch break starts the clock at 13:30', async () => {
    assert.equal(await due(`from=${encodeURIComponent('2026-03-02T12:00:00+07:00')}&limit=0.25&kind=working_days`), '2026-03-02T08:30:00.000Z');
  });

  it('a deadline completing exactly at closing time is due at 17:00, not the next morning', async () => {
    // Mon 07:00 + 8 h of working time = Mon 17:00
    assert.equal(await due(`from=${encodeURIComponent('2026-03-02T07:00:00+07:00')}&limit=8&kind=hours`), '2026-03-02T10:00:00.000Z');
  });

  it('same_day: 14:59 → 17:00 that day; 15:00 → 17:00 next working day; Saturday → Monday', async () => {
    assert.equal(await due(`from=${encodeURIComponent('2026-03-02T14:59:00+07:00')}&limit=0&kind=same_day`), '2026-03-02T10:00:00.000Z');
    assert.equal(await due(`from=${encodeURIComponent('2026-03-02T15:00:00+07:00')}&limit=0&kind=same_day`), '2026-03-03T10:00:00.000Z');
    assert.equal(await due(`from=${encodeURIComponent('2026-03-07T09:00:00+07:00')}&limit=0&kind=same_day`), '2026-03-09T10:00:00.000Z');
  });

  it('Tết 2026 (16–20 Feb) is skipped', async () => {
    // Fri 13 Feb 2026 09:00, 1 working day → Mon 23 Feb 09:00
    assert.equal(await due(`from=${encodeURIComponent('2026-02-13T09:00:00+07:00')}&limit=1&kind=working_days`), '2026-02-23T02:00:00.000Z');
  });

  it('the swapped working Saturday 26 Apr 2025 counts; 30 Apr–2 May 2025 do not', async () => {
    // Fri 25 Apr 2025 09:00 + 1 wd → Sat 26 Apr 09:00 (a working day that year)
    assert.equal(await due(`from=${encodeURIComponent('2025-04-25T09:00:00+07:00')}&limit=1&kind=working_days`), '2025-04-26T02:00:00.000Z');
    // Tue 29 Apr 2025 09:00 + 1 wd → Mon 5 May 09:00
    assert.equal(await due(`from=${encodeURIComponent('2025-04-29T09:00:00+07:00')}&limit=1&kind=working_days`), '2025-05-05T02:00:00.000Z');
  });

  it('days: calendar days ending at 17:00, rolled past a day off', async () => {
    // Thu 26 Feb 2026 + 15 days = Fri 13 Mar 17:00
    assert.equal(await due(`from=${encodeURIComponent('2026-02-26T10:00:00+07:00')}&limit=15&kind=days`), '2026-03-13T10:00:00.000Z');
    // Fri 27 Feb + 15 days = Sat 14 Mar → Mon 16 Mar 17:00
    assert.equal(await due(`from=${encodeURIComponent('2026-02-27T10:00:00+07:00')}&limit=15&kind=days`), '2026-03-16T10:00:00.000Z');
  });

  it('none has no deadline', async () => {
    assert.equal(await due(`from=${encodeURIComponent('2026-03-02T10:00:00+07:00')}&limit=0&kind=none`), null);
  });

  it('lists the holiday table of a year, marked to verify', async () => {
    const r = json<{ days: Array<{ date: string; kind: string; verified: boolean }> }>(await env().app.inject({ method: 'GET', url: '/api/calendar/holidays/2025' }));
    assert.ok(r.days.some((d) => d.date === '2025-04-26' && d.kind === 'working_day'));
    assert.ok(r.days.every((d) => d.verified === false));
  });

  it('changing the holiday table moves the appointments of open dossiers and records it in their history', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 2 Mar 09:00
    const desk = await env().login('motcua.bmt');
    const submit = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...desk, 'idempotency-key': 'cal-1' },
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Phạm Văn Lịch (mô phỏng)', phone: '0912000003' } },
    });
    assert.equal(submit.statusCode, 201, submit.body);
    const d = json<{ code: string; appointmentAt: string }>(submit);
    assert.equal(d.appointmentAt, '2026-03-05T02:00:00.000Z'); // Thu 09:00
    const admin = await env().login('admin');
    const current = json<{ days: Array<{ date: string; kind: string; name: string; nameEn: string; verified: boolean }> }>(
      await env().app.inject({ method: 'GET', url: '/api/calendar/holidays/2026' }),
    ).days;
    const put = await env().app.inject({
      method: 'PUT',
      url: '/api/calendar/holidays/2026',
      headers: admin,
      payload: { days: [...current, { date: '2026-03-04', kind: 'day_off', name: 'Nghỉ đột xuất (thử nghiệm)' }], reason: 'Thử nghiệm' },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.ok(json<{ dossiersRecomputed: number }>(put).dossiersRecomputed >= 1);
    const after = json<{ appointmentAt: string; legalAppointmentAt: string }>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}`, headers: desk }));
    assert.equal(after.appointmentAt, '2026-03-06T02:00:00.000Z'); // Wednesday off → Fri 09:00
    const h = json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>(
      await env().app.inject({ method: 'GET', url: `/api/dossiers/${d.code}/history`, headers: desk }),
    );
    const rec = h.items.find((i) => i.type === 'recompute_appointment');
    assert.ok(rec);
    assert.equal(rec.payload.previousAppointmentAt, '2026-03-05T02:00:00.000Z');
    // The new table is used for deadlines at once.
    assert.equal(await due(`from=${encodeURIComponent('2026-03-03T09:00:00+07:00')}&limit=1&kind=working_days`), '2026-03-05T02:00:00.000Z');
    // Restore.
    const back = await env().app.inject({ method: 'PUT', url: '/api/calendar/holidays/2026', headers: admin, payload: { days: current } });
    assert.equal(back.statusCode, 200);
  });

  it('refuses a table with a day of another year or a duplicate, writing nothing', async () => {
    const admin = await env().login('admin');
    const before = json<{ days: unknown[] }>(await env().app.inject({ method: 'GET', url: '/api/calendar/holidays/2026' })).days.length;
    const res = await env().app.inject({
      method: 'PUT',
      url: '/api/calendar/holidays/2026',
      headers: admin,
      payload: { days: [{ date: '2025-01-01', kind: 'day_off', name: 'x' }, { date: '2026-01-01', kind: 'day_off', name: 'a' }, { date: '2026-01-01', kind: 'day_off', name: 'b' }] },
    });
    assert.equal(res.statusCode, 400);
    const fields = json<{ error: { fields: Array<{ field: string }> } }>(res).error.fields.map((f) => f.field);
    assert.deepEqual(fields, ['days.0.date', 'days.2.date']);
    const after = json<{ days: unknown[] }>(await env().app.inject({ method: 'GET', url: '/api/calendar/holidays/2026' })).days.length;
    assert.equal(after, before);
  });
});

describeEachDatabase('working hours per unit', (env) => {
  it('default hours, inherited from the nearest ancestor; admins set them and open appointments move', async () => {
    const get = async (u: string) => json<{ definedBy: string | null; weekly: Record<string, Array<{ start: string; end: string }>> }>(await env().app.inject({ method: 'GET', url: `/api/calendar/hours/${u}` }));
    const d0 = await get('H15.015');
    assert.equal(d0.definedBy, null);
    assert.deepEqual(d0.weekly['1'], [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }]);
    assert.deepEqual(d0.weekly['6'], []);

    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00
    const desk = await env().login('motcua.hoaphu');
    const sub = await env().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...desk, 'idempotency-key': 'hours-1' },
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Y Giờ (mô phỏng)', phone: '0912000004' } },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    const d = json<{ code: string; appointmentAt: string }>(sub);
    assert.equal(d.appointmentAt, '2026-03-05T02:00:00.000Z');

    const admin = await env().login('admin');
    // Xã Hòa Phú also works Saturday mornings.
    const weekday = [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }];
    const put = await env().app.inject({
      method: 'PUT',
      url: '/api/calendar/hours/H15.015',
      headers: admin,
      payload: { weekly: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday, 6: [{ start: '07:00', end: '11:00' }] } },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(json<{ definedBy: string }>(put).definedBy, 'H15.015');
    assert.equal((await get('H15.015.MC')).definedBy, 'H15.015'); // the desk below inherits
    assert.equal((await get('H15.001')).definedBy, null); // a sibling does not
    // The open dossier received Monday 09:00 with 3 working days (24 h) is unchanged: it ends Thursday.
    // A Saturday deadline appears for 1 working day from Friday 16:00: 1 h Friday + 4 h Saturday + 3 h Monday.
    const due = json<{ dueAt: string }>(
      await env().app.inject({ method: 'GET', url: `/api/calendar/deadline?from=${encodeURIComponent('2026-03-06T16:00:00+07:00')}&limit=1&kind=working_days&unit=H15.015` }),
    ).dueAt;
    assert.equal(due, '2026-03-09T03:00:00.000Z'); // Mon 10:00
  });

  it('refuses overlapping or reversed intervals and non-admins', async () => {
    const admin = await env().login('admin');
    const bad = await env().app.inject({
      method: 'PUT',
      url: '/api/calendar/hours/H15.001',
      headers: admin,
      payload: { weekly: { 1: [{ start: '13:00', end: '08:00' }] } },
    });
    assert.equal(bad.statusCode, 400);
    const desk = await env().login('motcua.bmt');
    const denied = await env().app.inject({ method: 'PUT', url: '/api/calendar/hours/H15.001', headers: desk, payload: { weekly: { 1: [{ start: '07:00', end: '11:00' }] } } });
    assert.equal(denied.statusCode, 403);
    assert.equal((await env().app.inject({ method: 'GET', url: '/api/calendar/hours/H15.999' })).statusCode, 404);
  });
});
