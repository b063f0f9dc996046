/**
 * Authorization matrix of the dossier API: who may see and do what, where. Every (action × actor)
 * case is generated from ACTION_TYPES and the lifecycle RULES, so a new action type is covered as
 * soon as it is added (the payload table below then fails to typecheck until it has an example).
 *
 * All the fixtures are built once per database; every test here is a denial, so none of them
 * changes a fixture (each one checks that nothing changed).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';
import { ACTION_TYPES } from '../../src/dossiers/commands.js';
import { RULES, type Role } from '../../src/core/dossier-machine.js';

type ActionType = (typeof ACTION_TYPES)[number];
type Headers = Record<string, string>;

interface View {
  code: string;
  statusCode: number;
  version: number;
  currentUnit: string;
  receivingUnit: string;
  allowedActions: string[];
}
interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> };
}

const OTHER_COMMUNE = ['motcua.hoaphu', 'chuyenvien.hoaphu', 'lanhdao.hoaphu'] as const;
const BMT_STAFF = { desk_officer: 'motcua.bmt', specialist: 'chuyenvien.bmt', unit_leader: 'lanhdao.bmt' } as const;
const STAFF_USERS = ['admin', 'lanhdao.tinh', ...Object.values(BMT_STAFF), ...OTHER_COMMUNE, 'motcua.tinh'] as const;

/** The dossiers of Phường Buôn Ma Thuột (H15.001) the matrix acts on, all owned by citizen A. */
const A_FIXTURES = ['A1', 'A2', 'A4', 'A5', 'A6', 'A9', 'T4'] as const;
type AFixture = (typeof A_FIXTURES)[number];
/** W2: walk-in at H15.001 (no owner); H: walk-in at Xã Hòa Phú (H15.015). */
type Fixture = AFixture | 'W2' | 'H';
const H15_001_FIXTURES: readonly Fixture[] = ['W2', ...A_FIXTURES];

const FUTURE = '2026-03-20T09:00:00+07:00';

/** A valid request body for every action type (assign's assignee is filled in at run time). */
function validPayload(t: ActionType, specialistId: number): Record<string, unknown> {
  const payloads: Record<ActionType, Record<string, unknown>> = {
    receive: { note: 'Đủ giấy tờ' },
    refuse: { reason: 'Không thuộc thẩm quyền' },
    assign: { assigneeId: specialistId },
    forward: {},
    accept_transfer: {},
    request_supplement: { reason: 'Thiếu giấy chứng sinh', missing: ['Giấy chứng sinh'] },
    supplement: { documents: ['Giấy chứng sinh'] },
    request_payment: { amount: 8000 },
    confirm_payment: { method: 'cash', receiptNumber: 'BL-0001' },
    apologize: { reason: 'Cần xác minh thêm', newAppointmentAt: FUTURE },
    stop: { reason: 'Người yêu cầu không bổ sung' },
    withdraw: { reason: 'Tôi muốn rút hồ sơ' },
    finish: { resultSummary: 'Đã ký giấy khai sinh' },
    return_result: { method: 'in_person' },
  };
  return { type: t, ...payloads[t] };
}

/** May this role do `t` at all (citizens: on their own dossier)? The lifecycle table is the specification. */
function roleMay(t: ActionType, role: Role): boolean {
  const r = RULES[t];
  return r.roles.includes(role) && (role !== 'citizen' || !!r.ownerMay);
}

/** Denials the brief names explicitly; they are tested even if RULES were ever loosened. */
const REQUIRED_DENIALS: Array<[ActionType, 'desk_officer' | 'specialist' | 'unit_leader' | 'citizen']> = [
  ['finish', 'specialist'],
  ['finish', 'desk_officer'],
  ['stop', 'desk_officer'],
  ['apologize', 'desk_officer'],
  ['receive', 'unit_leader'],
  ['return_result', 'unit_leader'],
  ['receive', 'citizen'],
  ['finish', 'citizen'],
];

const key = () => crypto.randomUUID();

function assertErrorShape(res: LightMyRequestResponse, status: number, code?: string): ErrorBody {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  const body = json<ErrorBody>(res);
  assert.ok(body.error, `error body expected: ${res.body}`);
  assert.equal(typeof body.error.code, 'string');
  assert.ok(body.error.message.length > 0, 'message (English) present');
  assert.ok(body.error.messageVi.length > 0, 'messageVi (Vietnamese) present');
  if (code) assert.equal(body.error.code, code, res.body);
  return body;
}

describeEachDatabase('scope: who may see and do what, where', (env) => {
  const H: Record<string, Headers> = {};
  const code = {} as Record<Fixture, string>;
  /** For each fixture, the actions some H15.001 official or citizen A may do on it now. */
  const doable = {} as Record<Fixture, Set<string>>;
  let specialistId = 0;
  let citizenA: Headers = {};
  let citizenB: Headers = {};

  const e = (): TestEnv => env();

  async function submit(headers: Headers, body: Record<string, unknown>): Promise<string> {
    const res = await e().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...headers, 'idempotency-key': key() }, payload: body });
    assert.equal(res.statusCode, 201, `submit: ${res.body}`);
    return json<View>(res).code;
  }

  async function act(headers: Headers, c: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
    return e().app.inject({ method: 'POST', url: `/api/dossiers/${c}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
  }

  async function actOk(headers: Headers, c: string, body: Record<string, unknown>): Promise<View> {
    const res = await act(headers, c, body);
    assert.equal(res.statusCode, 200, `${String(body.type)} on ${c}: ${res.body}`);
    return json<View>(res);
  }

  async function get(headers: Headers, url: string): Promise<LightMyRequestResponse> {
    return e().app.inject({ method: 'GET', url, headers });
  }

  async function countRows(): Promise<{ dossiers: number; actions: number; submissions: number; audit: number; days: number }> {
    const db = e().ctx.db;
    const n = async (t: 'dossiers' | 'dossier_actions' | 'dossier_submissions' | 'audit_log' | 'calendar_days') =>
      Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { dossiers: await n('dossiers'), actions: await n('dossier_actions'), submissions: await n('dossier_submissions'), audit: await n('audit_log'), days: await n('calendar_days') };
  }

  /** State of a dossier as its own desk (or Hòa Phú's desk) sees it, plus the table sizes. */
  async function snapshot(f: Fixture) {
    const viewer = f === 'H' ? H['motcua.hoaphu']! : H['motcua.bmt']!;
    const v = await get(viewer, `/api/dossiers/${code[f]}`);
    assert.equal(v.statusCode, 200, v.body);
    const h = await get(viewer, `/api/dossiers/${code[f]}/history`);
    assert.equal(h.statusCode, 200, h.body);
    const view = json<View>(v);
    return { version: view.version, status: view.statusCode, currentUnit: view.currentUnit, history: json<{ items: unknown[] }>(h).items.length, rows: await countRows() };
  }

  /** Runs `fn` and checks that the dossier and the tables are exactly as before. */
  async function unchanged(f: Fixture, fn: () => Promise<void>): Promise<void> {
    const before_ = await snapshot(f);
    await fn();
    assert.deepEqual(await snapshot(f), before_, `dossier ${f} (${code[f]}) must not change`);
  }

  /** The first of citizen A's dossiers on which `t` is possible now for some H15.001 official or for A. */
  function fixtureFor(t: ActionType): AFixture {
    const f = A_FIXTURES.find((x) => doable[x]?.has(t));
    assert.ok(f, `no fixture has "${t}" allowed; add a dossier in a status where it is possible`);
    return f;
  }

  before(async () => {
    for (const u of STAFF_USERS) H[u] = await e().login(u);
    citizenA = (await e().citizen('a')).headers;
    citizenB = (await e().citizen('b')).headers;
    const spec = await e().ctx.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.bmt').executeTakeFirstOrThrow();
    specialistId = Number(spec.id);

    const birth = { procedureCode: '1.001193', caseCode: 'DUNG_HAN' };
    const bmt = H['motcua.bmt']!;
    code.W2 = await submit(bmt, { ...birth, channel: 1, applicant: { name: 'Nguyễn Văn Trực Tiếp', phone: '0905000001' } });
    code.H = await submit(H['motcua.hoaphu']!, { ...birth, channel: 1, applicant: { name: 'Y Hòa Phú', phone: '0905000002' } });
    const online = async () => submit(citizenA, { ...birth, receivingUnit: 'H15.001', formData: sampleFormData('1.001193') });
    const received = async () => {
      const c = await online();
      await actOk(bmt, c, { type: 'receive' });
      return c;
    };
    code.A1 = await online();
    code.A2 = await received();
    code.A4 = await received();
    await actOk(bmt, code.A4, { type: 'assign', assigneeId: specialistId });
    code.A5 = await received();
    await actOk(bmt, code.A5, { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: ['Giấy chứng sinh'] });
    code.A6 = await received();
    await actOk(bmt, code.A6, { type: 'request_payment', amount: 8000 });
    code.A9 = await received();
    await actOk(H['lanhdao.bmt']!, code.A9, { type: 'finish' });
    // No-boundary certification received at the provincial centre, decided by H15.001: a transfer waiting to be accepted there.
    code.T4 = await submit(citizenA, { procedureCode: '2.000815', caseCode: 'MAC_DINH', receivingUnit: 'H15.TT', decidingUnit: 'H15.001', formData: sampleFormData('2.000815') });
    await actOk(H['motcua.tinh']!, code.T4, { type: 'receive' });
    await actOk(H['motcua.tinh']!, code.T4, { type: 'forward', toUnit: 'H15.001' });

    const expected: Record<Fixture, number> = { W2: 2, H: 2, A1: 1, A2: 2, A4: 4, A5: 5, A6: 6, A9: 9, T4: 4 };
    for (const f of Object.keys(expected) as Fixture[]) {
      const viewers = f === 'H' ? [H['motcua.hoaphu']!] : [...Object.values(BMT_STAFF).map((u) => H[u]!), ...(f === 'W2' ? [] : [citizenA])];
      doable[f] = new Set();
      for (const v of viewers) {
        const res = await get(v, `/api/dossiers/${code[f]}`);
        assert.equal(res.statusCode, 200, `${f}: ${res.body}`);
        const view = json<View>(res);
        assert.equal(view.statusCode, expected[f], `fixture ${f} status`);
        for (const a of view.allowedActions) doable[f].add(a);
      }
    }
    assert.equal(json<View>(await get(bmt, `/api/dossiers/${code.T4}`)).currentUnit, 'H15.001');
  });

  it('fixtures: every action type is possible on one of citizen A’s H15.001 dossiers', () => {
    for (const t of ACTION_TYPES) fixtureFor(t);
  });

  // ---------------------------------------------------------------- acting from outside the unit
  for (const t of ACTION_TYPES) {
    for (const u of OTHER_COMMUNE) {
      it(`act ${t}: ${u} (Xã Hòa Phú) on an H15.001 dossier → 404, dossier not revealed, nothing changes`, async () => {
        for (const f of [fixtureFor(t), 'W2'] as const) {
          await unchanged(f, async () => {
            const res = await act(H[u]!, code[f], validPayload(t, specialistId));
            assertErrorShape(res, 404, 'not_found');
          });
        }
      });
    }

    it(`act ${t}: citizen B (not the owner) → 404, nothing changes`, async () => {
      const f = fixtureFor(t);
      await unchanged(f, async () => {
        assertErrorShape(await act(citizenB, code[f], validPayload(t, specialistId)), 404, 'not_found');
      });
    });

    for (const u of ['lanhdao.tinh', 'admin'] as const) {
      it(`act ${t}: ${u === 'admin' ? 'admin' : 'province leader (lanhdao.tinh)'} only watches → 403 role_not_allowed, nothing changes`, async () => {
        const f = fixtureFor(t);
        await unchanged(f, async () => {
          assertErrorShape(await act(H[u]!, code[f], validPayload(t, specialistId)), 403, 'role_not_allowed');
        });
      });
    }
  }

  // ------------------------------------------------------------------ role denials in the unit
  const sameUnit: Array<{ role: 'desk_officer' | 'specialist' | 'unit_leader' | 'citizen'; label: string }> = [
    { role: 'desk_officer', label: 'desk officer motcua.bmt' },
    { role: 'specialist', label: 'specialist chuyenvien.bmt' },
    { role: 'unit_leader', label: 'unit leader lanhdao.bmt' },
    { role: 'citizen', label: 'citizen A (the owner)' },
  ];
  for (const t of ACTION_TYPES) {
    for (const { role, label } of sameUnit) {
      const required = REQUIRED_DENIALS.some(([a, r]) => a === t && r === role);
      if (roleMay(t, role) && !required) continue;
      it(`act ${t}: ${label} may not (from a status where ${t} is allowed) → 403 role_not_allowed, nothing changes`, async () => {
        const f = fixtureFor(t);
        assert.ok(doable[f].has(t), `${t} must be possible on ${f}`);
        const headers = role === 'citizen' ? citizenA : H[BMT_STAFF[role]]!;
        await unchanged(f, async () => {
          assertErrorShape(await act(headers, code[f], validPayload(t, specialistId)), 403, 'role_not_allowed');
        });
      });
    }
  }

  it('act: a staff member who can see but does not hold the dossier (receiving centre after the transfer) → 403, nothing changes', async () => {
    await unchanged('T4', async () => {
      assertErrorShape(await act(H['motcua.tinh']!, code.T4, validPayload('accept_transfer', specialistId)), 403);
    });
  });

  it('act: replaying another official’s Idempotency-Key does not bypass the role check', async () => {
    // motcua.bmt received A2 with a known key; the province leader sends the same key.
    const c = await submit(citizenA, { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193') });
    const k = key();
    const ok = await e().app.inject({ method: 'POST', url: `/api/dossiers/${c}/actions`, headers: { ...H['motcua.bmt']!, 'idempotency-key': k }, payload: { type: 'receive' } });
    assert.equal(ok.statusCode, 200, ok.body);
    const rows = await countRows();
    const res = await e().app.inject({ method: 'POST', url: `/api/dossiers/${c}/actions`, headers: { ...H['lanhdao.tinh']!, 'idempotency-key': k }, payload: { type: 'receive' } });
    assert.deepEqual(await countRows(), rows);
    assertErrorShape(res, 403, 'role_not_allowed');
  });

  // ------------------------------------------------------------------------------------ reading
  const READ_PATHS = [
    ['dossier', (c: string) => `/api/dossiers/${c}`],
    ['history', (c: string) => `/api/dossiers/${c}/history`],
  ] as const;

  for (const [what, path] of READ_PATHS) {
    for (const u of OTHER_COMMUNE) {
      it(`read ${what}: ${u} (Xã Hòa Phú) → 404 on every H15.001 dossier, same answer as a code that does not exist`, async () => {
        const missing = 'H15.001-260302-9999';
        const none = assertErrorShape(await get(H[u]!, path(missing)), 404, 'not_found');
        for (const f of H15_001_FIXTURES) {
          const body = assertErrorShape(await get(H[u]!, path(code[f])), 404, 'not_found');
          assert.equal(body.error.message.replace(code[f], missing), none.error.message);
          assert.equal(body.error.messageVi.replace(code[f], missing), none.error.messageVi);
        }
        assert.equal((await get(H[u]!, path(code.H))).statusCode, 200, 'their own commune’s dossier is readable');
      });
    }

    it(`read ${what}: citizen B (not the owner) → 404 on every dossier`, async () => {
      for (const f of [...H15_001_FIXTURES, 'H'] as const) assertErrorShape(await get(citizenB, path(code[f])), 404, 'not_found');
    });

    it(`read ${what}: citizen A (the owner) → 200 on their own dossiers only`, async () => {
      for (const f of A_FIXTURES) assert.equal((await get(citizenA, path(code[f]))).statusCode, 200, f);
      for (const f of ['W2', 'H'] as const) assertErrorShape(await get(citizenA, path(code[f])), 404, 'not_found');
    });

    it(`read ${what}: province leader (lanhdao.tinh) → 200 on any H15 dossier`, async () => {
      for (const f of [...H15_001_FIXTURES, 'H'] as const) assert.equal((await get(H['lanhdao.tinh']!, path(code[f]))).statusCode, 200, f);
    });
  }

  it('read: the province leader and the admin are offered no actions', async () => {
    for (const u of ['lanhdao.tinh', 'admin'] as const) {
      for (const f of [...H15_001_FIXTURES, 'H'] as const) {
        assert.deepEqual(json<View>(await get(H[u]!, `/api/dossiers/${code[f]}`)).allowedActions, [], `${u} on ${f}`);
      }
    }
  });

  it('read: GET /api/me/dossiers lists exactly citizen A’s dossiers, and nothing for citizen B', async () => {
    const res = await get(citizenA, '/api/me/dossiers?limit=100');
    assert.equal(res.statusCode, 200, res.body);
    const items = json<{ items: View[] }>(res).items;
    const own = new Set(A_FIXTURES.map((f) => code[f]));
    for (const v of items) assert.ok(own.has(v.code) || !Object.values(code).includes(v.code), `${v.code} is not A's`);
    for (const c of own) assert.ok(items.some((v) => v.code === c), `${c} missing from A's list`);
    const b = await get(citizenB, '/api/me/dossiers');
    assert.equal(b.statusCode, 200, b.body);
    assert.deepEqual(json<{ items: View[] }>(b).items, []);
  });

  // ---------------------------------------------------------------------------------- submitting
  it('submit: a citizen cannot submit as a walk-in (channel 1) → 400 naming channel, nothing written', async () => {
    const rows = await countRows();
    const res = await e().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...citizenA, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', channel: 1 },
    });
    const body = assertErrorShape(res, 400, 'invalid_input');
    assert.ok(body.error.fields?.some((f) => f.field === 'channel'), res.body);
    assert.deepEqual(await countRows(), rows);
  });

  it('submit: a desk officer cannot submit for another commune’s receivingUnit → 403, nothing written', async () => {
    const rows = await countRows();
    const res = await e().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...H['motcua.hoaphu']!, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', channel: 1, receivingUnit: 'H15.001', applicant: { name: 'Trần Thị B', phone: '0905000003' } },
    });
    assertErrorShape(res, 403);
    assert.deepEqual(await countRows(), rows);
  });

  for (const u of ['chuyenvien.bmt', 'lanhdao.bmt', 'lanhdao.tinh', 'admin'] as const) {
    it(`submit: ${u} does not submit dossiers → 403, nothing written`, async () => {
      const rows = await countRows();
      const res = await e().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...H[u]!, 'idempotency-key': key() },
        payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', channel: 1, receivingUnit: 'H15.001', applicant: { name: 'Trần Thị B', phone: '0905000003' } },
      });
      assertErrorShape(res, 403);
      assert.deepEqual(await countRows(), rows);
    });
  }

  // ---------------------------------------------------------------------------- unauthenticated
  const NDJSON_LINE = JSON.stringify({
    code: 'H15.001-250101-0001',
    procedureCode: '1.001193',
    caseCode: 'DUNG_HAN',
    channel: 1,
    receivingUnit: 'H15.001',
    applicant: { name: 'Lịch Sử' },
    submittedAt: '2025-01-02T09:00:00+07:00',
    actions: [],
  });
  const dossierEndpoints = (): Array<{ name: string; method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Headers }> => [
    { name: 'POST /api/dossiers', method: 'POST', url: '/api/dossiers', headers: { 'idempotency-key': key() }, payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001' } },
    { name: 'GET /api/dossiers/:code', method: 'GET', url: `/api/dossiers/${code.A2}` },
    { name: 'GET /api/dossiers/:code/history', method: 'GET', url: `/api/dossiers/${code.A2}/history` },
    { name: 'POST /api/dossiers/:code/actions', method: 'POST', url: `/api/dossiers/${code.A2}/actions`, headers: { 'idempotency-key': key() }, payload: { type: 'finish' } },
    { name: 'GET /api/work/dossiers', method: 'GET', url: '/api/work/dossiers?unit=H15.001' },
    { name: 'GET /api/me/dossiers', method: 'GET', url: '/api/me/dossiers' },
    { name: 'POST /api/dossiers/import', method: 'POST', url: '/api/dossiers/import', headers: { 'content-type': 'application/x-ndjson' }, payload: `${NDJSON_LINE}\n` },
  ];
  for (const variant of ['no cookie', 'an unknown session cookie'] as const) {
    it(`unauthenticated (${variant}) → 401 on every dossier endpoint, nothing written`, async () => {
      const rows = await countRows();
      for (const ep of dossierEndpoints()) {
        const extra: Headers = variant === 'no cookie' ? {} : { cookie: 'motcua_session=not-a-session-token', 'x-csrf-token': 'x' };
        const res = await e().app.inject({ method: ep.method, url: ep.url, headers: { ...ep.headers, ...extra }, ...(ep.payload === undefined ? {} : { payload: ep.payload as string }) });
        assertErrorShape(res, 401, 'unauthenticated');
      }
      assert.deepEqual(await countRows(), rows);
    });
  }

  // --------------------------------------------------------------------------------- work queue
  it('queue: an H15.001 official asking for H15.015’s queue → 403 (and the other way round)', async () => {
    for (const u of Object.values(BMT_STAFF)) assertErrorShape(await get(H[u]!, '/api/work/dossiers?unit=H15.015'), 403);
    for (const u of OTHER_COMMUNE) assertErrorShape(await get(H[u]!, '/api/work/dossiers?unit=H15.001'), 403);
  });

  it('queue: own unit → 200 with only H15.001 dossiers, open ones all present', async () => {
    for (const url of ['/api/work/dossiers?limit=200', '/api/work/dossiers?unit=H15.001&limit=200']) {
      const res = await get(H['motcua.bmt']!, url);
      assert.equal(res.statusCode, 200, res.body);
      const items = json<{ items: Array<{ code: string; currentUnit: string }> }>(res).items;
      assert.ok(items.length > 0);
      for (const i of items) assert.equal(i.currentUnit, 'H15.001', `${i.code} in ${url}`);
      assert.ok(!items.some((i) => i.code === code.H), 'H15.015 dossier must not be listed');
      for (const f of ['W2', 'A1', 'A2', 'A4', 'A5', 'A6', 'T4'] as const) assert.ok(items.some((i) => i.code === code[f]), `${f} missing`);
    }
  });

  it('queue: the province leader sees any commune’s queue', async () => {
    const res = await get(H['lanhdao.tinh']!, '/api/work/dossiers?unit=H15.015');
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(json<{ items: Array<{ code: string }> }>(res).items.some((i) => i.code === code.H));
  });

  it('queue: citizens → 403', async () => {
    assertErrorShape(await get(citizenA, '/api/work/dossiers'), 403);
    assertErrorShape(await get(citizenA, '/api/work/dossiers?unit=H15.001'), 403);
  });

  // ------------------------------------------------------------------------------- admin only
  const holidayBody = { days: [{ date: '2026-01-01', kind: 'day_off', name: 'Tết Dương lịch', nameEn: 'New Year' }], reason: 'thử quyền' };
  for (const who of ['motcua.bmt', 'lanhdao.bmt', 'lanhdao.tinh', 'citizen A'] as const) {
    it(`admin only: PUT /api/calendar/holidays/2026 as ${who} → 403, nothing written`, async () => {
      const rows = await countRows();
      const headers = who === 'citizen A' ? citizenA : H[who]!;
      assertErrorShape(await e().app.inject({ method: 'PUT', url: '/api/calendar/holidays/2026', headers, payload: holidayBody }), 403);
      assert.deepEqual(await countRows(), rows);
    });

    it(`admin only: POST /api/dossiers/import as ${who} → 403, nothing written`, async () => {
      const rows = await countRows();
      const headers = who === 'citizen A' ? citizenA : H[who]!;
      const res = await e().app.inject({ method: 'POST', url: '/api/dossiers/import', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: `${NDJSON_LINE}\n` });
      assertErrorShape(res, 403);
      assert.deepEqual(await countRows(), rows);
    });
  }

  // ---------------------------------------------------------------------------------------- CSRF
  it('csrf: an action with the session cookie but no x-csrf-token → 403 csrf_failed, nothing written', async () => {
    await unchanged('A2', async () => {
      const { cookie } = H['lanhdao.bmt']!;
      const res = await e().app.inject({ method: 'POST', url: `/api/dossiers/${code.A2}/actions`, headers: { cookie: cookie!, 'idempotency-key': key() }, payload: { type: 'finish' } });
      assertErrorShape(res, 403, 'csrf_failed');
    });
  });

  it('csrf: an action with a wrong x-csrf-token (another session’s) → 403 csrf_failed, nothing written', async () => {
    await unchanged('A2', async () => {
      const res = await e().app.inject({
        method: 'POST',
        url: `/api/dossiers/${code.A2}/actions`,
        headers: { cookie: H['lanhdao.bmt']!.cookie!, 'x-csrf-token': H['motcua.bmt']!['x-csrf-token']!, 'idempotency-key': key() },
        payload: { type: 'finish' },
      });
      assertErrorShape(res, 403, 'csrf_failed');
    });
  });

  it('csrf: a citizen’s submission and an admin’s holiday table without x-csrf-token → 403 csrf_failed, nothing written', async () => {
    const rows = await countRows();
    const sub = await e().app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: citizenA.cookie!, 'idempotency-key': key() },
      payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001' },
    });
    assertErrorShape(sub, 403, 'csrf_failed');
    const cal = await e().app.inject({ method: 'PUT', url: '/api/calendar/holidays/2026', headers: { cookie: H.admin!.cookie! }, payload: holidayBody });
    assertErrorShape(cal, 403, 'csrf_failed');
    const imp = await e().app.inject({ method: 'POST', url: '/api/dossiers/import', headers: { cookie: H.admin!.cookie!, 'content-type': 'application/x-ndjson' }, payload: `${NDJSON_LINE}\n` });
    assertErrorShape(imp, 403, 'csrf_failed');
    assert.deepEqual(await countRows(), rows);
  });
});
