/**
 * The fixed data set of the leaders' monitoring tests (heatmap, Decision 766 index): ten dossiers
 * A–J driven through the dossier API at known dates, so that each test can compute its numbers by
 * hand. One copy here, because the hand computations of both tests rely on exactly these dates.
 *
 * Before the period (21 Feb – 1 Mar): Hòa Phú (H15.015) receives J on Mon 23 Feb and settles it
 * early; Buôn Ma Thuột (H15.001) receives H on Fri 27 Feb, carried over into the period.
 * The period (2–10 March): Buôn Ma Thuột receives A B C D (Mon 2), settles A early, H and B on
 * time, C late; Hòa Phú receives I (Tue 3) and settles it late; G is an online birth registration
 * (9 March) settled the same day; E (9 March) is due soon on the 10th; F (10 March) is not;
 * D is overdue. The clock is left at Tue 10 March 09:00 (Vietnam time).
 */
import assert from 'node:assert/strict';
import { json, type TestEnv } from './harness.js';
import { act, freshKey, submitOnline } from './dossier-api.js';

type Headers = Record<string, string>;

/** GET that must answer 200; the parsed body. */
export async function getJson<T>(env: TestEnv, headers: Headers, url: string): Promise<T> {
  const res = await env.app.inject({ method: 'GET', url, headers });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return json<T>(res);
}

/** An error answer with the status, a Vietnamese and an English message, naming the field if given. */
export function assertBilingual(res: { statusCode: number; body: string }, status: number, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  const e = (JSON.parse(res.body) as { error: { message: string; messageVi: string; fields?: Array<{ field: string }> } }).error;
  assert.ok(e.message.length > 0 && e.messageVi.length > 0 && e.message !== e.messageVi, res.body);
  if (field) assert.ok(e.fields?.some((f) => f.field === field) || e.message.includes(field), `names ${field}: ${res.body}`);
}

/**
 * Builds the data set; returns the dossier codes by letter. `tag` keeps the idempotency keys and
 * the citizen's identity apart from other tests'; `label` names the applicants.
 */
export async function buildMonitoringFixture(e: TestEnv, tag: string, label: string): Promise<Record<string, string>> {
  const d: Record<string, string> = {};
  const desk = await e.login('motcua.bmt');
  const bmtLeader = await e.login('lanhdao.bmt');
  const hpDesk = await e.login('motcua.hoaphu');
  const hpLeader = await e.login('lanhdao.hoaphu');
  const walkIn = async (headers: Headers, name: string) => {
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...headers, 'idempotency-key': freshKey(tag) },
      // Đăng ký giám hộ: 3 working days, in person.
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: `${name} (mô phỏng)`, phone: '0905000111' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    return json<{ code: string }>(res).code;
  };
  const finish = (headers: Headers, code: string) => act(e, headers, code, { type: 'finish', resultSummary: 'Đã cấp (mô phỏng)' });

  // Previous period (21 Feb – 1 Mar): Hòa Phú settles J early.
  e.setNow('2026-02-23T02:00:00Z'); // Mon 09:00 → due Thu 26 Feb
  d.J = await walkIn(hpDesk, `${label} J`);
  e.setNow('2026-02-24T02:00:00Z');
  await finish(hpLeader, d.J);
  e.setNow('2026-02-27T02:00:00Z'); // Fri 09:00 → due Wed 4 Mar: carried over into the period
  d.H = await walkIn(desk, `${label} H`);
  // The period (2–10 March).
  e.setNow('2026-03-02T02:00:00Z'); // Mon 09:00 → due Thu 5 Mar
  d.A = await walkIn(desk, `${label} A`);
  d.B = await walkIn(desk, `${label} B`);
  d.C = await walkIn(desk, `${label} C`);
  d.D = await walkIn(desk, `${label} D`);
  e.setNow('2026-03-03T02:00:00Z'); // Tue
  await finish(bmtLeader, d.A); // early
  d.I = await walkIn(hpDesk, `${label} I`); // → due Fri 6 Mar
  e.setNow('2026-03-04T03:00:00Z');
  await finish(bmtLeader, d.H); // on the appointment day: on time
  e.setNow('2026-03-05T03:00:00Z');
  await finish(bmtLeader, d.B); // on time
  e.setNow('2026-03-06T03:00:00Z');
  await finish(bmtLeader, d.C); // late
  e.setNow('2026-03-09T01:00:00Z'); // Mon 08:00: an online birth registration (same day)
  const citizen = await e.citizen(`vneid-${tag}-${e.kind}`, { fullName: 'Trần Thị Trực Tuyến (mô phỏng)' });
  d.G = await submitOnline(e, citizen.headers, '1.001193', 'DUNG_HAN');
  e.setNow('2026-03-09T02:00:00Z');
  await act(e, desk, d.G, { type: 'receive' });
  d.E = await walkIn(desk, `${label} E`); // → due Thu 12 Mar: due soon on the 10th
  e.setNow('2026-03-09T03:00:00Z');
  await finish(bmtLeader, d.G); // on the appointment day
  await finish(hpLeader, d.I); // late
  e.setNow('2026-03-10T01:00:00Z'); // Tue 08:00 → due Fri 13 Mar: after the 2 working days
  d.F = await walkIn(desk, `${label} F`);
  e.setNow('2026-03-10T02:00:00Z'); // now: Tue 10 March 09:00; the 2nd working day ahead is Thu 12

  const rows = await e.ctx.db.selectFrom('dossiers').select(['code', 'timeliness']).where('code', 'in', Object.values(d)).execute();
  const by = new Map(rows.map((r) => [r.code, r.timeliness]));
  assert.deepEqual(
    ['J', 'A', 'H', 'B', 'C', 'G', 'I'].map((k) => by.get(d[k]!)),
    ['early', 'early', 'on_time', 'on_time', 'late', 'on_time', 'late'],
    'the timeliness the hand computation assumes',
  );
  return d;
}
