/**
 * Simulated dossiers for demonstrations and benchmarks (clearly labelled: every applicant is
 * "(mô phỏng)" and the codes are real-looking but fictional). Each dossier's history is generated
 * as timed actions and replayed through the core lifecycle rules (replayDossier → decide), then
 * written in batches. Most units keep almost everything on time; a few are clearly worse, so
 * the monitoring heatmap has hot spots.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../platform/db-types.js';
import { addWorkingTime, isWorkingDay, localDateOf, workingTimeBetween, type CalendarConfig, type TimeLimitKind } from '../core/calendar.js';
import { formatDossierCode, legalAppointment, type Channel, type Command } from '../core/dossier-machine.js';
import { computeFee, validateFeeRule } from '../core/fees.js';
import type { AppContext } from '../platform/context.js';
import { loadCalendar } from '../calendar/store.js';
import { replayDossier, replayedAggregateInput, type HistoricalAction, type HistoricalDossier } from '../dossiers/replay.js';
import { VIETNAM_UTC_OFFSET_MINUTES } from '../dossiers/repository.js';
import { AggregateBuffer } from '../monitoring/aggregates.js';
import { StepAggregateBuffer } from '../monitoring/step-aggregates.js';
import { PROVINCE_CENTRE_SUFFIX } from '../catalog/units.js';

export interface SimulateOptions {
  dossiers: number;
  days: number;
  /** PRNG seed, for reproducible data. */
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Restrict to these receiving units (default: every ward, commune and the provincial centre). */
  units?: string[];
}

const HOUR = 3_600_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Y', 'H’', 'Ksor', 'Niê', 'Êban'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Quang', 'Thu', 'Kim'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến', 'Blơ', 'Khoa'];

interface ProcInfo {
  code: string;
  level: 'province' | 'commune';
  steps: string[];
  stepNorms: Record<string, number>;
  implementingUnits: string[];
  online: 'none' | 'partial' | 'full';
  applicantTypes: string[];
  cases: Array<{ code: string; kind: TimeLimitKind; value: number; fee: number }>;
  weight: number;
}

export interface SimulateResult {
  dossiers: number;
  actions: number;
  ms: number;
}

export async function simulateDossiers(ctx: AppContext, opts: SimulateOptions): Promise<SimulateResult> {
  const t0 = Date.now();
  const rnd = prng(opts.seed ?? 20260301);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const now = ctx.now();

  const procs = await loadProcedures(ctx);
  const commune = procs.filter((p) => p.level === 'commune');
  const province = procs.filter((p) => p.level === 'province');
  const units = await ctx.db.selectFrom('units').select(['code', 'kind']).where('kind', 'in', ['ward', 'commune', 'department']).orderBy('code').execute();
  const receiving = opts.units ?? units.filter((u) => u.kind !== 'department' || u.code.endsWith(PROVINCE_CENTRE_SUFFIX)).map((u) => u.code);
  if (receiving.length === 0 || commune.length === 0) throw new Error('Seed the units and the catalog before simulating dossiers.');

  // Unit "quality": a few units are clearly worse (late, slow to receive); wards are busier.
  const quality = new Map<string, number>();
  const weights: number[] = [];
  receiving.forEach((code, i) => {
    const bad = i % 17 === 5; // about six hot spots among 103 receiving units
    quality.set(code, bad ? 0.62 + rnd() * 0.1 : 0.955 + rnd() * 0.04);
    const isCentre = code.endsWith(PROVINCE_CENTRE_SUFFIX);
    weights.push(isCentre ? 8 : i < 15 ? 2.2 : 1);
  });
  const totalW = weights.reduce((a, b) => a + b, 0);
  const pickUnit = () => {
    let r = rnd() * totalW;
    for (let i = 0; i < receiving.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return receiving[i]!;
    }
    return receiving[receiving.length - 1]!;
  };
  const pickProc = (list: ProcInfo[]) => {
    const tw = list.reduce((a, p) => a + p.weight, 0);
    let r = rnd() * tw;
    for (const p of list) {
      r -= p.weight;
      if (r <= 0) return p;
    }
    return list[list.length - 1]!;
  };

  const calCache = new Map<string, CalendarConfig>();
  const calFor = async (u: string) => {
    let c = calCache.get(u);
    if (!c) {
      c = await loadCalendar(ctx.db, u);
      calCache.set(u, c);
    }
    return c;
  };

  // Continue the daily sequences after whatever exists.
  const counters = new Map<string, number>();
  const existing = await ctx.db.selectFrom('dossier_code_counters').select(['unit_code', 'day', 'last_value']).execute();
  for (const c of existing) counters.set(`${c.unit_code}|${c.day}`, c.last_value);

  const batchSize = opts.batchSize ?? 1000;
  let done = 0;
  let actionsWritten = 0;
  const start = now.getTime() - opts.days * 24 * HOUR;

  while (done < opts.dossiers) {
    const n = Math.min(batchSize, opts.dossiers - done);
    const built: ReturnType<typeof replayDossier>[] = [];
    for (let i = 0; i < n; i++) {
      const unit = pickUnit();
      const isCentre = unit.endsWith(PROVINCE_CENTRE_SUFFIX);
      const proc = pickProc(isCentre && province.length ? province : commune);
      const cs = pick(proc.cases);
      const cal = await calFor(unit);
      const q = quality.get(unit) ?? 0.95;
      // Online share grows over the period; some procedures are paper-only.
      const channel: Channel = proc.online === 'none' ? (rnd() < 0.05 ? 3 : 1) : rnd() < 0.45 + 0.2 * rnd() ? 2 : rnd() < 0.05 ? 3 : 1;
      const submittedAt = randomSubmission(cal, start, now.getTime(), channel, rnd);
      const localDate = localDateOf(cal, submittedAt);
      const key = `${unit}|${localDate}`;
      const seq = (counters.get(key) ?? 0) + 1;
      counters.set(key, seq);
      const decidingUnit = proc.level === 'province' ? (proc.implementingUnits[0] ?? unit) : unit;
      const h: HistoricalDossier = {
        code: formatDossierCode(unit, localDate, seq),
        procedureCode: proc.code,
        caseCode: cs.code,
        channel,
        receivingUnit: unit,
        decidingUnit,
        steps: proc.steps,
        stepNorms: proc.stepNorms,
        limitKind: cs.kind,
        limitValue: cs.value,
        feeAmount: cs.fee > 0 ? cs.fee : null,
        ownerId: null,
        applicant: {
          type: proc.applicantTypes.includes('citizen') ? 'citizen' : 'business',
          name: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)} (mô phỏng)`,
          idNumber: `066${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
          phone: `09${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
          email: null,
          address: null,
        },
        submittedAt,
        actions: timeline({ cal, channel, submittedAt, now, q, rnd, proc, kind: cs.kind, value: cs.value, unit, decidingUnit }),
      };
      built.push(replayDossier(h, cal, `sim:${h.code}`));
    }
    await ctx.db.transaction().execute(async (trx) => {
      // The batch's dossiers and the counters they used commit together, so an interrupted run
      // can be resumed without reusing a code.
      const used = new Map<string, number>();
      for (const b of built) {
        const [unit, , seq] = b.dossier.code.split('-') as [string, string, string];
        const day = localDateOf(calCache.get(unit)!, b.dossier.submitted_at as Date);
        const k = `${unit}|${day}`;
        used.set(k, Math.max(used.get(k) ?? 0, Number(seq)));
      }
      await upsertCounters(trx, used);
      const ids = await trx.insertInto('dossiers').values(built.map((b) => b.dossier)).returning(['id', 'code']).execute();
      const idByCode = new Map(ids.map((r) => [r.code, r.id]));
      const rows = built.flatMap((b) => b.actions.map((a) => ({ ...a, dossier_id: idByCode.get(b.dossier.code)! })));
      for (let i = 0; i < rows.length; i += 2000) {
        await trx.insertInto('dossier_actions').values(rows.slice(i, i + 2000)).execute();
      }
      actionsWritten += rows.length;
      // The monitoring aggregates of the batch, in the same transaction.
      const aggregates = new AggregateBuffer();
      for (const b of built) {
        const { key, actions } = replayedAggregateInput(b);
        aggregates.addHistory(key, actions, calCache.get(key.unit)?.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES);
      }
      await aggregates.flush(trx);
      // Time at each step (issue 5 item 9), from the same replayed actions.
      const steps = new StepAggregateBuffer();
      for (const b of built) {
        const unit = b.dossier.deciding_unit;
        steps.addRows({ unit, procedureCode: b.dossier.procedure_code }, b.actions, calCache.get(b.dossier.receiving_unit)?.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES);
      }
      await steps.flush(trx);
    });
    done += n;
    opts.onProgress?.(done, opts.dossiers);
  }

  return { dossiers: done, actions: actionsWritten, ms: Date.now() - t0 };
}

async function upsertCounters(trx: Transaction<DB>, used: Map<string, number>): Promise<void> {
  const rows = [...used.entries()].map(([k, v]) => {
    const [unit_code, day] = k.split('|') as [string, string];
    return { unit_code, day, last_value: v };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await trx
      .insertInto('dossier_code_counters')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['unit_code', 'day']).doUpdateSet({ last_value: sql`greatest(dossier_code_counters.last_value, excluded.last_value)` }))
      .execute();
  }
}

async function loadProcedures(ctx: AppContext): Promise<ProcInfo[]> {
  const procs = await ctx.db
    .selectFrom('procedures')
    .select(['code', 'level', 'steps', 'step_norms', 'implementing_units', 'online_level', 'applicant_types', 'field_code'])
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  const cases = await ctx.db.selectFrom('procedure_cases').selectAll().orderBy('procedure_code').orderBy('sort').execute();
  // Civil status and certification dominate commune desks.
  const fieldWeight: Record<string, number> = { HT: 6, CT: 8, CU: 4, DD: 2, XD: 1, DKKD: 1, BTXH: 1, LLTP: 2 };
  return procs.map((p) => ({
    code: p.code,
    level: p.level,
    steps: p.steps,
    stepNorms: p.step_norms,
    implementingUnits: p.implementing_units,
    online: p.online_level,
    applicantTypes: p.applicant_types,
    weight: fieldWeight[p.field_code] ?? 1,
    cases: cases
      .filter((c) => c.procedure_code === p.code)
      .map((c) => {
        const rule = validateFeeRule(c.fee);
        return {
          code: c.code,
          kind: c.time_limit_kind,
          value: Number(c.time_limit_value),
          fee: typeof rule === 'string' ? 0 : computeFee(rule, { pages: 1 + (c.code.length % 5), copies: 1 }),
        };
      }),
  })).filter((p) => p.cases.length > 0);
}

function randomSubmission(cal: CalendarConfig, from: number, to: number, channel: Channel, rnd: () => number): Date {
  for (let tries = 0; tries < 20; tries++) {
    const t = new Date(from + rnd() * (to - from));
    if (channel === 2) return t; // online: any time
    // In person and post: at a random instant of that day's working hours.
    const d = localDateOf(cal, t);
    if (!isWorkingDay(cal, d)) continue;
    const midnight = new Date(Date.parse(`${d}T00:00:00Z`) - cal.utcOffsetMinutes * 60_000);
    const candidate = addWorkingTime(cal, midnight, 1 + Math.floor(rnd() * 7.9 * HOUR));
    if (candidate.getTime() < to) return candidate;
  }
  return new Date(to - HOUR);
}

interface TimelineInput {
  cal: CalendarConfig;
  channel: Channel;
  submittedAt: Date;
  now: Date;
  q: number;
  rnd: () => number;
  proc: ProcInfo;
  kind: TimeLimitKind;
  value: number;
  unit: string;
  decidingUnit: string;
}

/** A plausible history for one dossier, cut at `now` (later steps have not happened yet). */
function timeline(t: TimelineInput): HistoricalAction[] {
  const { cal, rnd } = t;
  const out: HistoricalAction[] = [];
  const nowMs = t.now.getTime();
  const push = (command: Command, at: Date) => {
    if (at.getTime() > nowMs) return false;
    out.push({ command, at });
    return true;
  };
  const later = (from: Date, workingHours: number) => addWorkingTime(cal, from, Math.max(60_000, workingHours * HOUR));

  // Online dossiers wait for the desk; bad units are slower to receive.
  const receivedAt = t.channel === 2 ? later(t.submittedAt, rnd() * (t.q < 0.8 ? 16 : 4)) : t.submittedAt;
  if (t.channel === 2 && rnd() < 0.02) {
    push({ type: 'refuse', reason: 'Hồ sơ không thuộc thẩm quyền giải quyết (mô phỏng)' }, receivedAt);
    return out;
  }
  // Walk-in and postal dossiers are received at the desk at once, as the live API does.
  if (!push({ type: 'receive' }, receivedAt)) return out;

  let pausedMs = 0;
  const appointment = () =>
    legalAppointment(cal, { receivedAt, limitKind: t.kind, limitValue: t.value, pausedWorkingMs: pausedMs });
  let due = appointment();
  const span = due ? Math.max(workingTimeBetween(cal, receivedAt, due), HOUR) : 8 * HOUR;

  let cursor = later(receivedAt, Math.min(0.5, span / HOUR / 10));
  if (!push({ type: 'forward' }, cursor)) return out;

  if (rnd() < 0.007) {
    push({ type: 'withdraw', reason: 'Công dân xin rút hồ sơ (mô phỏng)' }, later(cursor, span / HOUR / 3));
    return out;
  }
  if (rnd() < 0.07) {
    const asked = later(cursor, span / HOUR / 4);
    if (!push({ type: 'request_supplement', reason: 'Thiếu giấy tờ (mô phỏng)', missing: ['Bản sao giấy tờ tùy thân'] }, asked)) return out;
    const answered = later(asked, 2 + rnd() * 20);
    if (!push({ type: 'supplement', documents: ['Bản sao giấy tờ tùy thân'] }, answered)) return out;
    pausedMs += workingTimeBetween(cal, asked, answered);
    due = appointment();
    cursor = answered;
  }
  if (t.decidingUnit !== t.unit) {
    cursor = later(cursor, 0.5);
    if (!push({ type: 'forward', toUnit: t.decidingUnit, toStep: t.proc.steps.includes('specialist') ? 'specialist' : undefined }, cursor)) return out;
    cursor = later(cursor, 1 + rnd() * 4);
    if (!push({ type: 'accept_transfer' }, cursor)) return out;
  }

  // When will it be finished? Mostly early or on the day; late with probability 1 - q.
  let finishAt: Date;
  if (!due) finishAt = later(cursor, 1 + rnd() * 6);
  else if (rnd() < t.q) {
    const room = workingTimeBetween(cal, cursor, due);
    finishAt = room > HOUR ? later(cursor, (room / HOUR) * (0.3 + rnd() * 0.65)) : due;
  } else {
    finishAt = addWorkingTime(cal, due, (8 + rnd() * 40) * HOUR);
  }
  if (finishAt.getTime() < cursor.getTime()) finishAt = cursor;
  const leaderStep = t.proc.steps.includes('leader') ? 'leader' : undefined;
  const beforeFinish = new Date(Math.max(cursor.getTime() + 60_000, finishAt.getTime() - HOUR / 2));
  if (leaderStep && !push({ type: 'forward', toStep: leaderStep }, beforeFinish)) return out;
  if (rnd() < 0.004) {
    push({ type: 'stop', reason: 'Dừng xử lý theo đề nghị của cơ quan chuyên môn (mô phỏng)' }, finishAt);
    return out;
  }
  const finishedAt = new Date(Math.max(finishAt.getTime(), beforeFinish.getTime() + 60_000));
  if (!push({ type: 'finish' }, finishedAt)) return out;
  let returnAt = later(finishedAt, rnd() * 8);
  if (t.decidingUnit !== t.unit) {
    if (!push({ type: 'forward', toUnit: t.unit }, later(finishedAt, 0.5))) return out;
    returnAt = later(finishedAt, 1 + rnd() * 8);
  }
  const method = t.channel === 2 && rnd() < 0.5 ? 'online' : t.channel === 3 ? 'post' : 'in_person';
  push({ type: 'return_result', method, ...(method === 'post' ? { trackingNumber: `EB${Math.floor(rnd() * 1e9)}VN` } : {}) }, returnAt);
  return out;
}
