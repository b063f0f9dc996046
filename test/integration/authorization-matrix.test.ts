/**
 * The full authorization matrix of dossier actions, through HTTP on both databases:
 * every action type × every actor (the owner, another citizen, the desk officer / specialist /
 * leader of the holding unit, the same three of another commune, the provincial centre's desk,
 * the province leader, the admin) × jurisdiction, each on a dossier in a status from which the
 * action is possible.
 *
 * Two tables state who may do what: one computed from the lifecycle RULES (roleMayAct) and the
 * unit paths, one written by hand from the domain (desk officers receive and return; specialists
 * process; leaders assign, sign, stop and apologise; the province leader and the admin only
 * watch). Every cell checks that both agree, then asserts the HTTP answer:
 *   allowed  → 200, exactly one dossier_actions row (actor id, role, unit, time, reason, statuses),
 *              version and action_count + 1;
 *   denied   → 404 not_found (cannot even see the dossier), 403 out_of_scope (sees it, does not
 *              hold it) or 403 role_not_allowed (holds it, wrong role), and nothing written.
 * Allowed cells act on a fresh dossier each (one per allowed role and from-status); denials share
 * one dossier per (action, status) since each checks that nothing changed.
 * digitise (an electronic copy of a document) has its own route, POST .../documents/:seq/digitise,
 * and is part of the matrix like the actions of POST .../actions.
 * scope.test.ts covers reading, submitting, CSRF and unauthenticated access; this file covers the
 * acting matrix exhaustively, the status dimension (409 outside the allowed statuses), and leaders'
 * subtrees (dossier page and work queue).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';
import { SAMPLE, upload } from '../helpers/uploads.js';
import { ACTION_TYPES as BODY_ACTION_TYPES } from '../../src/dossiers/commands.js';
import { RULES, roleMayAct, type Role, type StatusCode } from '../../src/core/dossier-machine.js';

/** The actions of POST /api/dossiers/:code/actions, and digitise (its own route). */
const ACTION_TYPES = [...BODY_ACTION_TYPES, 'digitise'] as const;
type ActionType = (typeof ACTION_TYPES)[number];
type Headers = Record<string, string>;

// ------------------------------------------------------------------------------------- actors
type ActorKey =
  | 'owner'
  | 'otherCitizen'
  | 'desk'
  | 'specialist'
  | 'leader'
  | 'desk.hoaphu'
  | 'specialist.hoaphu'
  | 'leader.hoaphu'
  | 'desk.centre'
  | 'province_leader'
  | 'admin';

interface ActorDef {
  key: ActorKey;
  label: string;
  /** Seeded username, or null for the two citizens. */
  username: string | null;
  role: Role;
  unit: string | null;
}

const ACTORS: readonly ActorDef[] = [
  { key: 'owner', label: 'citizen A (owner)', username: null, role: 'citizen', unit: null },
  { key: 'otherCitizen', label: 'citizen B (not the owner)', username: null, role: 'citizen', unit: null },
  { key: 'desk', label: 'desk officer motcua.bmt (holder H15.001)', username: 'motcua.bmt', role: 'desk_officer', unit: 'H15.001' },
  { key: 'specialist', label: 'specialist chuyenvien.bmt (holder H15.001)', username: 'chuyenvien.bmt', role: 'specialist', unit: 'H15.001' },
  { key: 'leader', label: 'unit leader lanhdao.bmt (holder H15.001)', username: 'lanhdao.bmt', role: 'unit_leader', unit: 'H15.001' },
  { key: 'desk.hoaphu', label: 'desk officer motcua.hoaphu (other commune H15.015)', username: 'motcua.hoaphu', role: 'desk_officer', unit: 'H15.015' },
  { key: 'specialist.hoaphu', label: 'specialist chuyenvien.hoaphu (other commune H15.015)', username: 'chuyenvien.hoaphu', role: 'specialist', unit: 'H15.015' },
  { key: 'leader.hoaphu', label: 'unit leader lanhdao.hoaphu (other commune H15.015)', username: 'lanhdao.hoaphu', role: 'unit_leader', unit: 'H15.015' },
  { key: 'desk.centre', label: 'desk officer motcua.tinh (provincial centre H15.TT)', username: 'motcua.tinh', role: 'desk_officer', unit: 'H15.TT' },
  { key: 'province_leader', label: 'province leader lanhdao.tinh (H15, above)', username: 'lanhdao.tinh', role: 'province_leader', unit: 'H15' },
  { key: 'admin', label: 'admin (H15)', username: 'admin', role: 'admin', unit: 'H15' },
];

// --------------------------------------------------------------------- hand-written expectations
/**
 * Written by hand from the domain, NOT derived from RULES: which of the holding unit's roles (and
 * the owning citizen) may do each action. 'O' owner, 'D' desk officer, 'S' specialist, 'L' unit
 * leader. Anyone else (province leader, admin: separation of duties) may do nothing.
 */
const HAND_ROLES: Record<ActionType, string> = {
  receive: 'D',
  refuse: 'D',
  assign: 'DL',
  forward: 'DSL',
  accept_transfer: 'DSL',
  request_supplement: 'DSL',
  supplement: 'OD',
  request_payment: 'DS',
  confirm_payment: 'OD',
  apologize: 'L',
  stop: 'L',
  withdraw: 'OD',
  finish: 'L', // signing: a specialist cannot sign
  return_result: 'D',
  digitise: 'DS', // the desk scans at receipt, the specialist during processing
};

/** Hand-written from-statuses (domain.md §3 flow), checked against RULES. 'T4' = 4 with a transfer awaiting acceptance. */
const HAND_FROM: Record<ActionType, readonly FixtureKind[]> = {
  receive: [1],
  refuse: [1],
  assign: [2, 4],
  forward: [2, 4, 9],
  accept_transfer: ['T4'],
  request_supplement: [1, 2, 4],
  supplement: [5],
  request_payment: [2, 4],
  confirm_payment: [6],
  apologize: [2, 4, 5, 6],
  stop: [2, 4, 5, 6],
  withdraw: [1, 2, 4, 5, 6],
  finish: [2, 4],
  return_result: [9],
  digitise: [2, 4, 5, 6, 9],
};

type Outcome = 'allowed' | 'not_found' | 'out_of_scope' | 'role_not_allowed';

/** Hand-written jurisdiction of each actor over an H15.001 dossier ('in' = holds it; role decides). */
const HAND_SCOPE: Record<ActorKey, { plain: 'in' | 'not_found' | 'out_of_scope'; transfer: 'in' | 'not_found' | 'out_of_scope' }> = {
  owner: { plain: 'in', transfer: 'in' },
  otherCitizen: { plain: 'not_found', transfer: 'not_found' },
  desk: { plain: 'in', transfer: 'in' },
  specialist: { plain: 'in', transfer: 'in' },
  leader: { plain: 'in', transfer: 'in' },
  'desk.hoaphu': { plain: 'not_found', transfer: 'not_found' },
  'specialist.hoaphu': { plain: 'not_found', transfer: 'not_found' },
  'leader.hoaphu': { plain: 'not_found', transfer: 'not_found' },
  // Sees the no-boundary dossier it received (T4), but H15.001 holds it now.
  'desk.centre': { plain: 'not_found', transfer: 'out_of_scope' },
  province_leader: { plain: 'in', transfer: 'in' },
  admin: { plain: 'in', transfer: 'in' },
};

const HAND_LETTER: Partial<Record<ActorKey, string>> = { owner: 'O', desk: 'D', specialist: 'S', leader: 'L' };

function handOutcome(t: ActionType, a: ActorKey, f: FixtureKind): Outcome {
  const scope = HAND_SCOPE[a][f === 'T4' ? 'transfer' : 'plain'];
  if (scope !== 'in') return scope;
  const letter = HAND_LETTER[a];
  return letter && HAND_ROLES[t].includes(letter) ? 'allowed' : 'role_not_allowed';
}

// ------------------------------------------------------------------------------------ fixtures
/** A dossier of citizen A at H15.001 in this status; 'T4' is a no-boundary dossier received at H15.TT and sent to H15.001. */
type FixtureKind = StatusCode | 'T4';
const ALL_FIXTURES: readonly FixtureKind[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'T4'];

interface Fixture {
  kind: FixtureKind;
  code: string;
  id: number;
  receivingUnit: string;
  currentUnit: string;
}

const FUTURE = '2026-06-30T09:00:00+07:00';
const REASON: Partial<Record<ActionType, string>> = {
  refuse: 'Không thuộc thẩm quyền giải quyết',
  request_supplement: 'Thiếu giấy chứng sinh',
  apologize: 'Cần xác minh thêm tại cơ quan khác',
  stop: 'Người yêu cầu không bổ sung đúng hạn',
  withdraw: 'Tôi muốn rút hồ sơ',
};

function payloadFor(t: ActionType, specialistId: number): Record<string, unknown> {
  const p: Record<ActionType, Record<string, unknown>> = {
    receive: { note: 'Đủ giấy tờ' },
    refuse: { reason: REASON.refuse },
    assign: { assigneeId: specialistId },
    forward: { note: 'Chuyển bước' },
    accept_transfer: {},
    request_supplement: { reason: REASON.request_supplement, missing: ['Giấy chứng sinh'] },
    supplement: { documents: ['Giấy chứng sinh'], note: 'Đã bổ sung' },
    request_payment: { amount: 8000 },
    confirm_payment: { method: 'cash', receiptNumber: 'BL-0001' },
    apologize: { reason: REASON.apologize, newAppointmentAt: FUTURE },
    stop: { reason: REASON.stop },
    withdraw: { reason: REASON.withdraw },
    finish: { resultSummary: 'Đã ký giấy khai sinh' },
    return_result: { method: 'in_person' },
    // Allowed cells replace it with a scan the actor uploaded (see the matrix below).
    digitise: { attachmentId: '00000000-0000-4000-8000-000000000001' },
  };
  return { type: t, ...p[t] };
}

/** Status after `t` from `from` (hand-written from domain.md §3). */
function expectedTo(t: ActionType, from: FixtureKind): number {
  const s = from === 'T4' ? 4 : from;
  const to: Record<ActionType, number> = {
    receive: 2,
    refuse: 3,
    assign: 4,
    forward: s === 9 ? 9 : 4,
    accept_transfer: 4,
    request_supplement: 5,
    supplement: 4, // every supplement fixture was received before
    request_payment: 6,
    confirm_payment: 4,
    apologize: s,
    stop: 8,
    withdraw: 7,
    finish: 9,
    return_result: 10,
    digitise: s,
  };
  return to[t];
}

const key = () => crypto.randomUUID();

interface ErrorBody {
  error: { code: string; message: string; messageVi: string };
}

function assertError(res: LightMyRequestResponse, status: number, code: string, what: string): void {
  assert.equal(res.statusCode, status, `${what}: expected ${status} ${code}, got ${res.statusCode}: ${res.body}`);
  const body = json<ErrorBody>(res);
  assert.equal(body.error?.code, code, `${what}: ${res.body}`);
  assert.ok(body.error.message.length > 0 && body.error.messageVi.length > 0, 'bilingual message');
}

describeEachDatabase('authorization matrix: every action × role × jurisdiction', (env) => {
  const H = {} as Record<ActorKey, Headers>;
  const userId = {} as Record<ActorKey, number>;
  const unitPath: Record<string, string> = {};
  let specialistId = 0;
  let clock = new Date('2026-03-02T02:00:00Z').getTime(); // Monday 09:00 in Vietnam
  const shared = new Map<string, Promise<Fixture>>();
  let hoaPhuCode = '';

  const e = (): TestEnv => env();
  /** Moves the clock on by a minute (never back), so each recorded action has its own instant. */
  const tick = (): Date => {
    clock += 60_000;
    e().setNow(new Date(clock));
    return new Date(clock);
  };

  async function post(headers: Headers, url: string, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
    return e().app.inject({ method: 'POST', url, headers: { ...headers, 'idempotency-key': key() }, payload });
  }
  /** Action `t` through its endpoint: digitise (of document 1) has its own route, the others share /actions. */
  async function actOn(headers: Headers, c: string, t: ActionType, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
    if (t !== 'digitise') return post(headers, `/api/dossiers/${c}/actions`, body);
    const { type: _type, ...rest } = body;
    return post(headers, `/api/dossiers/${c}/documents/1/digitise`, rest);
  }
  /** A scan of document 1 of the fixtures' procedure, uploaded by this official. */
  async function scanBy(headers: Headers): Promise<string> {
    const res = await upload(e(), headers, { procedureCode: '1.001193', documentSeq: 1, bytes: SAMPLE.pdf() });
    assert.equal(res.statusCode, 201, `scan: ${res.body}`);
    return json<{ id: string }>(res).id;
  }
  async function actOk(who: ActorKey, c: string, body: Record<string, unknown>): Promise<void> {
    const res = await post(H[who], `/api/dossiers/${c}/actions`, body);
    assert.equal(res.statusCode, 200, `fixture: ${String(body.type)} by ${who} on ${c}: ${res.body}`);
  }
  async function submitOnline(procedureCode: string, caseCode: string, extra: Record<string, unknown>): Promise<string> {
    const res = await post(H.owner, '/api/dossiers', { procedureCode, caseCode, formData: sampleFormData(procedureCode), ...extra });
    assert.equal(res.statusCode, 201, `fixture submit: ${res.body}`);
    return json<{ code: string }>(res).code;
  }

  /** A fresh dossier of citizen A held by H15.001 in the given status, built through the API. */
  async function build(kind: FixtureKind): Promise<Fixture> {
    tick();
    if (kind === 'T4') {
      const c = await submitOnline('2.000815', 'MAC_DINH', { receivingUnit: 'H15.TT', decidingUnit: 'H15.001' });
      await actOk('desk.centre', c, { type: 'receive' });
      await actOk('desk.centre', c, { type: 'forward', toUnit: 'H15.001' });
      return finishFixture(kind, c);
    }
    const c = await submitOnline('1.001193', 'DUNG_HAN', { receivingUnit: 'H15.001' });
    if (kind === 3) await actOk('desk', c, { type: 'refuse', reason: 'Không thuộc thẩm quyền' });
    if (kind === 7) await actOk('owner', c, { type: 'withdraw', reason: 'Không cần nữa' });
    if (kind !== 1 && kind !== 3 && kind !== 7) await actOk('desk', c, { type: 'receive' });
    if (kind === 4) await actOk('desk', c, { type: 'assign', assigneeId: specialistId });
    if (kind === 5) await actOk('desk', c, { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: ['Giấy chứng sinh'] });
    if (kind === 6) await actOk('desk', c, { type: 'request_payment', amount: 8000 });
    if (kind === 8) await actOk('leader', c, { type: 'stop', reason: 'Dừng xử lý' });
    if (kind === 9 || kind === 10) await actOk('leader', c, { type: 'finish' });
    if (kind === 10) await actOk('desk', c, { type: 'return_result', method: 'in_person' });
    return finishFixture(kind, c);
  }

  async function finishFixture(kind: FixtureKind, c: string): Promise<Fixture> {
    const row = await e().ctx.db.selectFrom('dossiers').select(['id', 'status_code', 'current_unit', 'receiving_unit', 'owner_id']).where('code', '=', c).executeTakeFirstOrThrow();
    assert.equal(row.status_code, kind === 'T4' ? 4 : kind, `fixture ${String(kind)} status`);
    assert.equal(row.current_unit, 'H15.001', `fixture ${String(kind)} holder`);
    assert.equal(Number(row.owner_id), userId.owner, 'fixture owner');
    return { kind, code: c, id: Number(row.id), receivingUnit: row.receiving_unit, currentUnit: row.current_unit };
  }

  /** One dossier per kind for denials (they must not change it; each denial checks that). */
  function sharedFixture(name: string, kind: FixtureKind): Promise<Fixture> {
    let p = shared.get(name);
    if (!p) {
      p = build(kind);
      shared.set(name, p);
    }
    return p;
  }

  /** Expected answer computed from the code's own model: unit paths (canSee/canAct) and roleMayAct. */
  function computedOutcome(t: ActionType, a: ActorDef, f: Pick<Fixture, 'receivingUnit' | 'currentUnit'>): Outcome {
    const isCitizen = a.role === 'citizen';
    const owner = a.key === 'owner';
    const mine = (u: string) => !!a.unit && unitPath[u]!.startsWith(unitPath[a.unit]!);
    const sees = isCitizen ? owner : [f.currentUnit, f.receivingUnit, 'H15.001'].some(mine);
    if (!sees) return 'not_found';
    const holds = isCitizen ? owner : mine(f.currentUnit);
    if (!holds) return 'out_of_scope';
    return roleMayAct(t, { role: a.role, userId: userId[a.key], isOwner: owner }) ? 'allowed' : 'role_not_allowed';
  }

  /** The dossier's row and the sizes of the logs, in one round trip. */
  async function snapshot(f: Pick<Fixture, 'id'>) {
    const r = await sql<{
      version: number;
      action_count: number;
      status_code: number;
      current_unit: string;
      current_step: string;
      assignee_id: string | null;
      updated_at: string;
      appointment_at: string | null;
      paused_at: string | null;
      own_actions: string;
      all_actions: string;
      audit: string;
      dossiers: string;
    }>`
      select d.version, d.action_count, d.status_code, d.current_unit, d.current_step, d.assignee_id::text as assignee_id,
             d.updated_at::text as updated_at, d.appointment_at::text as appointment_at, d.paused_at::text as paused_at,
             (select count(*) from dossier_actions a where a.dossier_id = d.id)::text as own_actions,
             (select count(*) from dossier_actions)::text as all_actions,
             (select count(*) from audit_log)::text as audit,
             (select count(*) from dossiers)::text as dossiers
        from dossiers d where d.id = ${f.id}`.execute(e().ctx.db);
    const row = r.rows[0];
    assert.ok(row, `dossier ${f.id}`);
    const { own_actions, all_actions, audit, dossiers, ...dossier } = row;
    return { dossier, ownActions: Number(own_actions), allActions: Number(all_actions), audit: Number(audit), dossiers: Number(dossiers) };
  }

  before(async () => {
    e().setNow(new Date(clock));
    for (const a of ACTORS) {
      if (a.username) {
        H[a.key] = await e().login(a.username);
        const u = await e().ctx.db.selectFrom('users').select(['id', 'role', 'unit_code']).where('username', '=', a.username).executeTakeFirstOrThrow();
        assert.equal(u.role, a.role, `${a.username} role`);
        assert.equal(u.unit_code, a.unit, `${a.username} unit`);
        userId[a.key] = Number(u.id);
      }
    }
    const owner = await e().citizen('matrix-owner');
    const other = await e().citizen('matrix-other');
    H.owner = owner.headers;
    userId.owner = owner.userId;
    H.otherCitizen = other.headers;
    userId.otherCitizen = other.userId;
    specialistId = userId.specialist;
    for (const u of await e().ctx.db.selectFrom('units').select(['code', 'path']).where('code', 'in', ['H15', 'H15.001', 'H15.015', 'H15.TT', 'H15.S02']).execute()) {
      unitPath[u.code] = u.path;
    }
    assert.equal(Object.keys(unitPath).length, 5, 'seeded units');
    const res = await post(H['desk.hoaphu'], '/api/dossiers', {
      procedureCode: '1.001193',
      caseCode: 'DUNG_HAN',
      channel: 1,
      applicant: { name: 'Y Hòa Phú (mô phỏng)', phone: '0905000002' },
    });
    assert.equal(res.statusCode, 201, res.body);
    hoaPhuCode = json<{ code: string }>(res).code;
  });

  // ------------------------------------------------------------------ the tables agree
  it('tables: the hand-written role table equals what RULES/roleMayAct say, cell by cell', () => {
    const mismatches: string[] = [];
    for (const t of ACTION_TYPES) {
      for (const a of ACTORS) {
        for (const f of [{ kind: 2 as FixtureKind, receivingUnit: 'H15.001' }, { kind: 'T4' as FixtureKind, receivingUnit: 'H15.TT' }]) {
          const hand = handOutcome(t, a.key, f.kind);
          const computed = computedOutcome(t, a, { receivingUnit: f.receivingUnit, currentUnit: 'H15.001' });
          if (hand !== computed) mismatches.push(`${t} × ${a.key} (${String(f.kind)}): hand ${hand}, RULES ${computed}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('tables: the hand-written from-statuses equal RULES', () => {
    for (const t of ACTION_TYPES) {
      const hand = HAND_FROM[t].map((s) => (s === 'T4' ? 4 : s));
      assert.deepEqual([...RULES[t].from].sort(), [...hand].sort(), t);
    }
  });

  it('tables: key cells stated outright (a specialist cannot sign; the province leader and the admin only watch)', () => {
    const cell = (t: ActionType, a: ActorKey, f: FixtureKind = 4) => handOutcome(t, a, f);
    assert.equal(cell('finish', 'specialist'), 'role_not_allowed');
    assert.equal(cell('finish', 'desk'), 'role_not_allowed');
    assert.equal(cell('finish', 'leader'), 'allowed');
    assert.equal(cell('receive', 'desk', 1), 'allowed');
    assert.equal(cell('receive', 'leader', 1), 'role_not_allowed');
    assert.equal(cell('return_result', 'desk', 9), 'allowed');
    assert.equal(cell('return_result', 'leader', 9), 'role_not_allowed');
    assert.equal(cell('withdraw', 'owner'), 'allowed');
    assert.equal(cell('receive', 'owner', 1), 'role_not_allowed');
    assert.equal(cell('supplement', 'otherCitizen', 5), 'not_found');
    for (const t of ACTION_TYPES) {
      assert.equal(cell(t, 'province_leader'), 'role_not_allowed', `province leader ${t}`);
      assert.equal(cell(t, 'admin'), 'role_not_allowed', `admin ${t}`);
      assert.equal(cell(t, 'desk.hoaphu'), 'not_found', `other commune ${t}`);
      assert.equal(cell(t, 'leader.hoaphu'), 'not_found', `other commune leader ${t}`);
    }
    assert.equal(cell('accept_transfer', 'desk.centre', 'T4'), 'out_of_scope');
  });

  // ------------------------------------------------------------------ the matrix
  let allowedCells = 0;
  let deniedCells = 0;
  for (const t of ACTION_TYPES) {
    for (const from of HAND_FROM[t]) {
      for (const a of ACTORS) {
        const hand = handOutcome(t, a.key, from);
        if (hand === 'allowed') allowedCells++;
        else deniedCells++;
        const title = `${t} from ${String(from)}: ${a.label} → ${hand === 'allowed' ? '200, one action recorded' : hand === 'not_found' ? '404, nothing written' : `403 ${hand}, nothing written`}`;
        it(title, async () => {
          const f = hand === 'allowed' ? await build(from) : await sharedFixture(`${t}:${String(from)}`, from);
          assert.equal(computedOutcome(t, a, f), hand, 'RULES and the hand table agree on this cell');
          const body = payloadFor(t, specialistId);
          if (t === 'digitise' && hand === 'allowed') body.attachmentId = await scanBy(H[a.key]);
          const before_ = await snapshot(f);
          const at = tick();
          const res = await actOn(H[a.key], f.code, t, body);
          if (hand !== 'allowed') {
            if (hand === 'not_found') assertError(res, 404, 'not_found', title);
            else assertError(res, 403, hand, title);
            assert.deepEqual(await snapshot(f), before_, 'a denial writes nothing');
            return;
          }
          assert.equal(res.statusCode, 200, `${title}: ${res.body}`);
          const view = json<{ statusCode: number; version: number; seq?: number; copy?: { source: string } }>(res);
          const to = expectedTo(t, from);
          const after_ = await snapshot(f);
          if (t === 'digitise') {
            // Its route answers with the document and its new copy; the dossier's status is in the row.
            assert.deepEqual([view.seq, view.copy?.source], [1, 'scan'], 'the document digitised');
            assert.equal(after_.dossier.status_code, to, 'status after the action');
          } else assert.equal(view.statusCode, to, 'status after the action');
          assert.equal(after_.dossier.version, before_.dossier.version + 1, 'version + 1');
          assert.equal(after_.dossier.action_count, before_.dossier.action_count + 1, 'action_count + 1');
          assert.equal(after_.ownActions, before_.ownActions + 1, 'exactly one action for this dossier');
          assert.equal(after_.allActions, before_.allActions + 1, 'exactly one action in the whole log');
          assert.equal(after_.dossiers, before_.dossiers, 'no dossier created');
          const rows = await e().ctx.db.selectFrom('dossier_actions').selectAll().where('dossier_id', '=', f.id).where('seq', '>', before_.dossier.action_count).execute();
          assert.equal(rows.length, 1);
          const r = rows[0]!;
          assert.equal(r.seq, after_.dossier.action_count);
          assert.equal(r.type, t);
          assert.equal(Number(r.actor_id), userId[a.key], 'actor_id');
          assert.equal(r.actor_role, a.role, 'actor_role');
          assert.equal(r.actor_unit, a.unit, 'actor_unit (null for citizens)');
          assert.equal(new Date(r.at).toISOString(), at.toISOString(), 'time of the action');
          assert.equal(r.from_status, from === 'T4' ? 4 : from, 'from_status');
          assert.equal(r.to_status, to, 'to_status');
          assert.equal(r.reason, REASON[t] ?? null, 'reason (where the action has one)');
          assert.ok(r.idempotency_key.length > 0);
          // The history shows the same fact to the holder.
          const h = await e().app.inject({ method: 'GET', url: `/api/dossiers/${f.code}/history`, headers: H.desk });
          assert.equal(h.statusCode, 200, h.body);
          const items = json<{ items: Array<{ seq: number; type: string }> }>(h).items;
          assert.ok(items.some((i) => i.seq === r.seq && i.type === t), 'the action is in the history');
        });
      }
    }
  }

  it(`matrix size is what the tables say (${allowedCells} allowed + ${deniedCells} denied cells)`, () => {
    // Every action has at least one cell allowed and the holder's province leader/admin never.
    for (const t of ACTION_TYPES) {
      assert.ok(
        HAND_FROM[t].some((f) => ACTORS.some((a) => handOutcome(t, a.key, f) === 'allowed')),
        `${t} is allowed to somebody`,
      );
    }
    assert.equal(allowedCells + deniedCells, ACTION_TYPES.reduce((n, t) => n + HAND_FROM[t].length * ACTORS.length, 0));
  });

  // ------------------------------------------------------------------ the status dimension
  /** Who may do `t` in the holding unit (first of desk, specialist, leader, owner). */
  const doer = (t: ActionType): ActorKey => (['desk', 'specialist', 'leader', 'owner'] as const).find((k) => HAND_ROLES[t].includes(HAND_LETTER[k]!))!;

  for (const t of ACTION_TYPES) {
    const from = new Set<FixtureKind>(HAND_FROM[t]);
    const wrong = ALL_FIXTURES.filter((k) => !from.has(k) && !(t === 'accept_transfer' ? false : k === 'T4'));
    it(`${t} by ${doer(t)} from every other status (${wrong.map(String).join(', ')}) → 409 action_not_allowed, nothing written`, async () => {
      for (const k of wrong) {
        const f = await sharedFixture(`status:${String(k)}`, k);
        const before_ = await snapshot(f);
        tick();
        const res = await actOn(H[doer(t)], f.code, t, payloadFor(t, specialistId));
        assertError(res, 409, 'action_not_allowed', `${t} from ${String(k)}`);
        assert.deepEqual(await snapshot(f), before_, `${t} from ${String(k)} writes nothing`);
      }
    });
  }

  it('apologize a second time → 409 (the appointment may be reset once), nothing written', async () => {
    const f = await build(4);
    tick();
    const first = await post(H.leader, `/api/dossiers/${f.code}/actions`, payloadFor('apologize', specialistId));
    assert.equal(first.statusCode, 200, first.body);
    const before_ = await snapshot(f);
    tick();
    const res = await post(H.leader, `/api/dossiers/${f.code}/actions`, { type: 'apologize', reason: 'Lần hai', newAppointmentAt: '2026-07-31T09:00:00+07:00' });
    assertError(res, 409, 'action_not_allowed', 'second apology');
    assert.deepEqual(await snapshot(f), before_);
  });

  // ------------------------------------------------------------------ leaders see their subtree only
  it('dossier page: each leader sees a dossier only when its unit is in their subtree', async () => {
    const f = await sharedFixture('status:4', 4);
    const cases: Array<[string, Headers, string, number]> = [
      ['lanhdao.bmt', H.leader, f.code, 200],
      ['lanhdao.bmt', H.leader, hoaPhuCode, 404],
      ['lanhdao.hoaphu', H['leader.hoaphu'], f.code, 404],
      ['lanhdao.hoaphu', H['leader.hoaphu'], hoaPhuCode, 200],
      ['lanhdao.tinh', H.province_leader, f.code, 200],
      ['lanhdao.tinh', H.province_leader, hoaPhuCode, 200],
    ];
    const stp = await e().login('lanhdao.stp');
    cases.push(['lanhdao.stp (department H15.S02)', stp, f.code, 404], ['lanhdao.stp (department H15.S02)', stp, hoaPhuCode, 404]);
    for (const [who, headers, c, status] of cases) {
      const res = await e().app.inject({ method: 'GET', url: `/api/dossiers/${c}`, headers });
      assert.equal(res.statusCode, status, `${who} GET ${c}: ${res.body}`);
      if (status === 404) assertError(res, 404, 'not_found', `${who} GET ${c}`);
    }
    // What a leader is offered on a dossier they hold: only their role's actions.
    const view = json<{ allowedActions: string[] }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${f.code}`, headers: H.leader }));
    for (const a of view.allowedActions) assert.ok(HAND_ROLES[a as ActionType].includes('L'), `leader offered ${a}`);
    assert.ok(view.allowedActions.includes('finish'));
    const spec = json<{ allowedActions: string[] }>(await e().app.inject({ method: 'GET', url: `/api/dossiers/${f.code}`, headers: H.specialist }));
    assert.ok(!spec.allowedActions.includes('finish'), 'a specialist is not offered finish (sign)');
  });

  /** Every item of a work queue, following nextCursor. */
  async function queue(headers: Headers, unit?: string): Promise<{ status: number; items: Array<{ code: string; currentUnit: string }>; body: string }> {
    const items: Array<{ code: string; currentUnit: string }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const qs = new URLSearchParams({ limit: '200' });
      if (unit) qs.set('unit', unit);
      if (cursor) qs.set('cursor', cursor);
      const res = await e().app.inject({ method: 'GET', url: `/api/work/dossiers?${qs}`, headers });
      if (res.statusCode !== 200) return { status: res.statusCode, items, body: res.body };
      const b = json<{ items: Array<{ code: string; currentUnit: string }>; nextCursor: string | null }>(res);
      items.push(...b.items);
      cursor = b.nextCursor;
      if (!cursor) return { status: 200, items, body: res.body };
    }
    throw new Error('queue did not end');
  }

  it('work queue: a commune leader lists only their own unit; another commune’s queue → 403', async () => {
    const f = await sharedFixture('status:4', 4);
    const bmt = await queue(H.leader);
    assert.equal(bmt.status, 200, bmt.body);
    assert.ok(bmt.items.length > 0);
    for (const i of bmt.items) assert.equal(i.currentUnit, 'H15.001', i.code);
    assert.ok(bmt.items.some((i) => i.code === f.code), 'own open dossier listed');
    assert.ok(!bmt.items.some((i) => i.code === hoaPhuCode), 'other commune’s dossier not listed');

    const hp = await queue(H['leader.hoaphu']);
    assert.equal(hp.status, 200, hp.body);
    for (const i of hp.items) assert.equal(i.currentUnit, 'H15.015', i.code);
    assert.ok(hp.items.some((i) => i.code === hoaPhuCode));
    assert.ok(!hp.items.some((i) => i.code === f.code));

    for (const [headers, unit] of [
      [H.leader, 'H15.015'],
      [H.leader, 'H15'],
      [H['leader.hoaphu'], 'H15.001'],
      [H.specialist, 'H15.015'],
      [H.desk, 'H15.TT'],
    ] as const) {
      const res = await e().app.inject({ method: 'GET', url: `/api/work/dossiers?unit=${unit}`, headers });
      assertError(res, 403, 'forbidden', `queue of ${unit}`);
    }
  });

  it('work queue: the province leader sees the whole province subtree', async () => {
    const f = await sharedFixture('status:4', 4);
    const all = await queue(H.province_leader, 'H15');
    assert.equal(all.status, 200, all.body);
    assert.ok(all.items.some((i) => i.code === f.code), 'H15.001 dossier listed');
    assert.ok(all.items.some((i) => i.code === hoaPhuCode), 'H15.015 dossier listed');
    for (const i of all.items) assert.ok(unitPath.H15 && i.currentUnit.startsWith('H15'), i.code);
  });

  // ------------------------------------------------------------------ the other direction, assignees, deactivated accounts
  it('every action on a dossier held by Xã Hòa Phú, by H15.001’s desk, specialist and leader → 404, nothing written', async () => {
    const row = await e().ctx.db.selectFrom('dossiers').select('id').where('code', '=', hoaPhuCode).executeTakeFirstOrThrow();
    const f = { id: Number(row.id) };
    const before_ = await snapshot(f);
    for (const t of ACTION_TYPES) {
      for (const who of ['desk', 'specialist', 'leader', 'owner'] as const) {
        tick();
        assertError(await actOn(H[who], hoaPhuCode, t, payloadFor(t, specialistId)), 404, 'not_found', `${t} by ${who} on H15.015`);
      }
    }
    const after_ = await snapshot(f);
    assert.deepEqual(after_, before_);
    // …while Hòa Phú's own desk may act on it (the dossier is not simply broken).
    assert.equal((await e().app.inject({ method: 'GET', url: `/api/dossiers/${hoaPhuCode}`, headers: H['desk.hoaphu'] })).statusCode, 200);
  });

  it('assign / forward to an official of another commune → 400 naming assigneeId, nothing written', async () => {
    const f = await sharedFixture('status:4', 4);
    const before_ = await snapshot(f);
    for (const [who, body] of [
      ['desk', { type: 'assign', assigneeId: userId['specialist.hoaphu'] }],
      ['leader', { type: 'assign', assigneeId: userId['leader.hoaphu'] }],
      ['specialist', { type: 'forward', assigneeId: userId['specialist.hoaphu'] }],
      ['desk', { type: 'assign', assigneeId: userId.owner }],
    ] as const) {
      tick();
      const res = await post(H[who], `/api/dossiers/${f.code}/actions`, body);
      assertError(res, 400, 'invalid_input', `${body.type} by ${who} to ${body.assigneeId}`);
      assert.ok((json<{ error: { fields?: Array<{ field: string }> } }>(res).error.fields ?? []).some((x) => x.field === 'assigneeId'), res.body);
    }
    assert.deepEqual(await snapshot(f), before_);
  });

  it('a deactivated official’s session no longer acts → 401, nothing written', async () => {
    const f = await build(2);
    const headers = await e().login('lanhdao.bmt');
    const db = e().ctx.db;
    await db.updateTable('users').set({ active: false }).where('username', '=', 'lanhdao.bmt').execute();
    try {
      const before_ = await snapshot(f);
      tick();
      assertError(await post(headers, `/api/dossiers/${f.code}/actions`, payloadFor('finish', specialistId)), 401, 'unauthenticated', 'deactivated leader');
      assert.deepEqual(await snapshot(f), before_);
    } finally {
      await db.updateTable('users').set({ active: true }).where('username', '=', 'lanhdao.bmt').execute();
    }
  });
});
