import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aggStateAfter, aggStateOf, deltasOf, FLOW_KEYS, localDay, NOT_RECEIVED, zeroFlow, type AggState, type FlowCounts } from '../../src/core/aggregates.js';
import { makeCalendar } from '../../src/core/calendar.js';
import {
  allowedActions,
  decide,
  newDossierState,
  RULES,
  type ActionType,
  type ActorRef,
  type Command,
  type DossierState,
  type Role,
} from '../../src/core/dossier-machine.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { DAY, HOUR, MINUTE, vn } from '../helpers/vn-time.js';

const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });
const OFF = cal.utcOffsetMinutes;
const desk: ActorRef = { role: 'desk_officer', userId: 1, isOwner: false };
const specialist: ActorRef = { role: 'specialist', userId: 2, isOwner: false };
const leader: ActorRef = { role: 'unit_leader', userId: 3, isOwner: false };

function fresh(channel: 1 | 2 = 2, at = vn('2026-03-02T08:00')): DossierState {
  return newDossierState({
    channel,
    receivingUnit: 'H15.001',
    decidingUnit: 'H15.001',
    steps: ['desk', 'specialist', 'leader', 'return'],
    submittedAt: at,
    limitKind: 'working_days',
    limitValue: 3,
    ownerId: 9,
    feeAmount: null,
  });
}

/** decide + both ways of computing the aggregate change; asserts they agree and returns the incremental deltas. */
function step(s: DossierState, cmd: Command, who: ActorRef, at: Date, folded: AggState) {
  const d = decide(s, cmd, who, at, cal);
  const facts = { type: cmd.type, at, toStatus: d.record.toStatus, payload: d.record.payload };
  const before = aggStateOf(s, OFF);
  const after = aggStateOf(d.next, OFF);
  const afterFolded = aggStateAfter(folded, facts, OFF);
  assert.deepEqual(afterFolded, after, `fold after ${cmd.type} agrees with the state`);
  return { next: d.next, folded: afterFolded, deltas: deltasOf(before, after, facts, OFF) };
}

describe('aggregate deltas of one dossier', () => {
  it('receipt: received +1 on the local day, one open dossier due on the appointment day', () => {
    const s = fresh();
    const r = step(s, { type: 'receive' }, desk, vn('2026-03-02T08:00'), NOT_RECEIVED);
    assert.deepEqual(r.deltas.flow, { day: '2026-03-02', counts: { ...zeroFlow(), received: 1 } });
    // 3 working days from Mon 08:00 → Thu 08:00.
    assert.deepEqual(r.deltas.pending, [{ dueDay: '2026-03-05', delta: 1 }]);
  });

  it('a dossier received at 23:30 UTC counts on the next local day (UTC+7)', () => {
    assert.equal(localDay(new Date('2026-03-01T23:30:00Z'), OFF), '2026-03-02');
    assert.equal(localDay(new Date('2026-03-01T16:59:59Z'), OFF), '2026-03-01');
    assert.equal(localDay(new Date('2026-03-01T17:00:00Z'), OFF), '2026-03-02');
  });

  it('a supplement pause moves the due day: −1 on the old day, +1 on the new one; the request is counted', () => {
    let s = fresh();
    let f = NOT_RECEIVED;
    ({ next: s, folded: f } = step(s, { type: 'receive' }, desk, vn('2026-03-02T08:00'), f));
    const req = step(s, { type: 'request_supplement', reason: 'thiếu', missing: ['Tờ khai'] }, specialist, vn('2026-03-02T09:00'), f);
    assert.deepEqual(req.deltas.flow?.counts, { ...zeroFlow(), supplementRequests: 1 });
    assert.deepEqual(req.deltas.pending, [], 'paused, still open, same legal day');
    const sup = step(req.next, { type: 'supplement', documents: ['Tờ khai'] }, desk, vn('2026-03-04T09:00'), req.folded);
    // Waited Mon 09:00 → Wed 09:00 = 16 working hours: Thu 08:00 → Mon 9 March 08:00.
    assert.deepEqual(sup.deltas.pending, [
      { dueDay: '2026-03-05', delta: -1 },
      { dueDay: '2026-03-09', delta: 1 },
    ]);
    assert.equal(sup.deltas.flow, null);
  });

  it('settling: by timeliness, with the processing working time; the open count goes', () => {
    let s = fresh();
    let f = NOT_RECEIVED;
    ({ next: s, folded: f } = step(s, { type: 'receive' }, desk, vn('2026-03-02T08:00'), f));
    ({ next: s, folded: f } = step(s, { type: 'forward' }, specialist, vn('2026-03-03T08:00'), f));
    const fin = step(s, { type: 'finish' }, leader, vn('2026-03-03T10:00'), f);
    // Mon 08:00 → Tue 10:00: 7 h + 3 h = 10 working hours.
    assert.deepEqual(fin.deltas.flow, { day: '2026-03-03', counts: { ...zeroFlow(), settledEarly: 1, settledWorkingMs: 10 * HOUR } });
    assert.deepEqual(fin.deltas.pending, [{ dueDay: '2026-03-05', delta: -1 }]);
    const ret = step(fin.next, { type: 'return_result', method: 'in_person' }, desk, vn('2026-03-04T10:00'), fin.folded);
    assert.equal(ret.deltas.flow, null, 'returning the result settles nothing again');
    assert.deepEqual(ret.deltas.pending, []);
  });

  it('refused at receipt: never received, nothing counted; an apology is counted, the legal due day stays', () => {
    const ref = step(fresh(), { type: 'refuse', reason: 'Không thuộc thẩm quyền' }, desk, vn('2026-03-02T08:00'), NOT_RECEIVED);
    assert.deepEqual(ref.deltas, { flow: null, pending: [] });
    let s = fresh();
    let f = NOT_RECEIVED;
    ({ next: s, folded: f } = step(s, { type: 'receive' }, desk, vn('2026-03-02T08:00'), f));
    const ap = step(s, { type: 'apologize', reason: 'Cần xác minh', newAppointmentAt: vn('2026-03-10T08:00') }, leader, vn('2026-03-04T08:00'), f);
    assert.deepEqual(ap.deltas.flow?.counts, { ...zeroFlow(), apologies: 1 });
    assert.deepEqual(ap.deltas.pending, []);
  });
});

// ---------------------------------------------------------------------------
// Property: over any legal walk, the fold from action records equals the state, and the summed
// deltas conserve dossiers: received = settled + open.

const ROLES: Record<Role, ActorRef> = {
  citizen: { role: 'citizen', userId: 9, isOwner: true },
  desk_officer: desk,
  specialist,
  unit_leader: leader,
  province_leader: { role: 'province_leader', userId: 4, isOwner: false },
  admin: { role: 'admin', userId: 5, isOwner: false },
  system: { role: 'system', userId: null, isOwner: false },
};

function commandFor(type: ActionType, s: DossierState, at: Date, pick: number): Command | null {
  switch (type) {
    case 'receive':
    case 'accept_transfer':
    case 'confirm_payment':
    case 'finish':
      return { type };
    case 'refuse':
    case 'stop':
    case 'withdraw':
      return { type, reason: 'Lý do' };
    case 'assign':
      return { type, assigneeId: 2 };
    case 'forward':
      return s.statusCode === 9 || s.currentStep !== 'return' ? { type, toStep: s.statusCode === 9 ? 'return' : s.steps[1 + (pick % 2)] } : null;
    case 'request_supplement':
      return { type, reason: 'Thiếu', missing: ['Tờ khai'] };
    case 'supplement':
      return { type, documents: ['Tờ khai'] };
    case 'request_payment':
      return { type, amount: 20_000 };
    case 'apologize':
      return { type, reason: 'Xác minh', newAppointmentAt: new Date(Math.max(s.appointmentAt?.getTime() ?? 0, at.getTime()) + 2 * DAY) };
    case 'return_result':
      return { type, method: 'online' };
    case 'digitise':
      return { type, documentSeq: 1, attachmentId: '0b6f3c1e-6a55-4a4b-9a57-6f1f0c2b7d10' };
    default:
      return null;
  }
}

describe('aggregates: rebuild from the log equals incremental (property)', () => {
  it('over random legal walks of many dossiers', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            channel: fc.constantFrom<1 | 2>(1, 2),
            start: fc.integer({ min: 0, max: 60 * 24 * 20 }),
            moves: fc.array(fc.record({ pick: fc.nat(50), gapMin: fc.integer({ min: 1, max: 3 * 24 * 60 }) }), { maxLength: 12 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (dossiers) => {
          const flowTotal: FlowCounts = zeroFlow();
          const openByDay = new Map<string, number>();
          let finalOpen = 0;
          for (const d of dossiers) {
            let at = new Date(vn('2026-03-02T08:00').getTime() + d.start * MINUTE);
            let s = fresh(d.channel, at);
            let folded: AggState = NOT_RECEIVED;
            for (const m of d.moves) {
              at = new Date(at.getTime() + m.gapMin * MINUTE);
              const options: Array<[ActionType, Role]> = [];
              for (const role of Object.keys(ROLES) as Role[]) {
                for (const t of allowedActions(s, ROLES[role])) options.push([t, role]);
              }
              if (s.receivedAt && RULES.recompute_appointment.from.includes(s.statusCode)) options.push(['recompute_appointment', 'system']);
              if (options.length === 0) break;
              const [type, role] = options[m.pick % options.length]!;
              const cmd = type === 'recompute_appointment' ? ({ type, reason: 'Lịch thay đổi' } as Command) : commandFor(type, s, at, m.pick);
              if (!cmd) continue;
              let r;
              try {
                r = step(s, cmd, ROLES[role], at, folded);
              } catch (e) {
                if (e instanceof assert.AssertionError) throw e;
                continue; // a payload the walk chose badly (e.g. no next step): skip it
              }
              s = r.next;
              folded = r.folded;
              if (r.deltas.flow) for (const k of FLOW_KEYS) flowTotal[k] += r.deltas.flow.counts[k];
              for (const p of r.deltas.pending) openByDay.set(p.dueDay ?? 'none', (openByDay.get(p.dueDay ?? 'none') ?? 0) + p.delta);
            }
            const agg = aggStateOf(s, OFF);
            if (agg.open) finalOpen += 1;
          }
          const open = [...openByDay.values()].reduce((a, b) => a + b, 0);
          assert.ok([...openByDay.values()].every((n) => n >= 0), 'no due day goes negative');
          assert.equal(open, finalOpen, 'the open counts equal the dossiers still open');
          assert.equal(flowTotal.received, flowTotal.settledEarly + flowTotal.settledOnTime + flowTotal.settledLate + open, 'received = settled + open');
        },
      ),
      { numRuns: 300 },
    );
  });
});
