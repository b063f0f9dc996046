/**
 * Storage of the monitoring aggregates (migrations 016, 019): the SQL that moves them with a dossier
 * action (as extra parts of the action's own statement), bulk writes for imports and the
 * simulator, and the rebuild from the action log. The arithmetic is in src/core/aggregates.ts.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { aggStateAfter, deltasOf, FLOW_KEYS, NOT_RECEIVED, zeroFlow, type ActionFacts, type AggDeltas, type AggState, type FlowCounts } from '../core/aggregates.js';
import type { DB } from '../platform/db-types.js';
import { rebuildStepAggregates } from './step-aggregates.js';

/** What does not change during a dossier's life and keys its aggregates. */
export interface AggKey {
  unit: string;
  procedureCode: string;
  channel: number;
}

const FLOW_COLUMNS: Record<keyof FlowCounts, string> = {
  received: 'received',
  settledEarly: 'settled_early',
  settledOnTime: 'settled_on_time',
  settledLate: 'settled_late',
  settledWorkingMs: 'settled_working_ms',
  supplementRequests: 'supplement_requests',
  apologies: 'apologies',
};
const COLS = FLOW_KEYS.map((k) => FLOW_COLUMNS[k]);
const INFINITY_DAY = 'infinity';

const addAll = (table: string) => sql.raw(COLS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));
const colList = sql.raw(COLS.join(', '));

/**
 * Extra parts of a WITH statement that apply `deltas` when (and only when) the CTE named
 * `guard` returned a row — the dossier update that records the action. Returns [name, query]
 * pairs to add with `.with(...)` (each parenthesised: Kysely does not wrap a raw CTE); none when the
 * action moves nothing.
 */
export function aggregateCtes(key: AggKey, deltas: AggDeltas, guard: string): Array<[string, RawBuilder<unknown>]> {
  const out: Array<[string, RawBuilder<unknown>]> = [];
  const g = sql.raw(guard);
  const field = sql`(select p.field_code from procedures p where p.code = ${key.procedureCode})`;
  if (deltas.flow) {
    const values = sql.join(FLOW_KEYS.map((k) => sql`${deltas.flow!.counts[k]}`));
    out.push([
      'agg_daily',
      sql`(insert into monitoring_daily (unit_code, day, procedure_code, channel, field_code, ${colList})
          select ${key.unit}, ${deltas.flow.day}::date, ${key.procedureCode}, ${key.channel}::smallint, ${field}, ${values} from ${g}
          on conflict (unit_code, day, procedure_code, channel) do update set ${addAll('monitoring_daily')})`,
    ]);
    out.push([
      'agg_field',
      sql`(insert into monitoring_daily_field (day, unit_code, field_code, channel, ${colList})
          select ${deltas.flow.day}::date, ${key.unit}, ${field}, ${key.channel}::smallint, ${values} from ${g}
          on conflict (day, unit_code, field_code, channel) do update set ${addAll('monitoring_daily_field')})`,
    ]);
    out.push([
      'agg_month',
      sql`(insert into monitoring_monthly_field (month, unit_code, field_code, channel, ${colList})
          select date_trunc('month', ${deltas.flow.day}::date)::date, ${key.unit}, ${field}, ${key.channel}::smallint, ${values} from ${g}
          on conflict (month, unit_code, field_code, channel) do update set ${addAll('monitoring_monthly_field')})`,
    ]);
  }
  // Sorted by day so that two actions moving the same rows lock them in the same order.
  const pending = [...deltas.pending].sort((a, b) => (a.dueDay ?? INFINITY_DAY).localeCompare(b.dueDay ?? INFINITY_DAY));
  if (pending.length) {
    const rows = sql.join(pending.map((p) => sql`(${p.dueDay ?? INFINITY_DAY}::date, ${p.delta}::integer)`));
    out.push([
      'agg_open',
      sql`(insert into monitoring_open (unit_code, procedure_code, channel, due_day, field_code, open_count)
          select ${key.unit}, ${key.procedureCode}, ${key.channel}::smallint, v.due_day, ${field}, v.delta
          from (values ${rows}) as v(due_day, delta) cross join ${g}
          on conflict (unit_code, procedure_code, channel, due_day) do update set open_count = monitoring_open.open_count + excluded.open_count)`,
    ]);
  }
  return out;
}

/** In-memory sums for bulk writes (imports, the simulator, the rebuild). */
export class AggregateBuffer {
  private readonly daily = new Map<string, { key: AggKey; day: string; counts: FlowCounts }>();
  private readonly open = new Map<string, { key: AggKey; dueDay: string; n: number }>();

  add(key: AggKey, deltas: AggDeltas): void {
    if (deltas.flow) {
      const id = `${key.unit}|${deltas.flow.day}|${key.procedureCode}|${key.channel}`;
      let e = this.daily.get(id);
      if (!e) this.daily.set(id, (e = { key, day: deltas.flow.day, counts: zeroFlow() }));
      for (const k of FLOW_KEYS) e.counts[k] += deltas.flow.counts[k];
    }
    for (const p of deltas.pending) {
      const dueDay = p.dueDay ?? INFINITY_DAY;
      const id = `${key.unit}|${key.procedureCode}|${key.channel}|${dueDay}`;
      const e = this.open.get(id);
      if (e) e.n += p.delta;
      else this.open.set(id, { key, dueDay, n: p.delta });
    }
  }

  /** Folds one dossier's actions (in order) into the buffer; returns its final aggregate state. */
  addHistory(key: AggKey, actions: readonly ActionFacts[], utcOffsetMinutes: number): AggState {
    let state: AggState = NOT_RECEIVED;
    for (const a of actions) {
      const next = aggStateAfter(state, a, utcOffsetMinutes);
      this.add(key, deltasOf(state, next, a, utcOffsetMinutes));
      state = next;
    }
    return state;
  }

  get size(): number {
    return this.daily.size + this.open.size;
  }

  /** Adds the sums to the tables (upserts in chunks) and empties the buffer. */
  async flush(db: Kysely<DB>): Promise<void> {
    const daily = [...this.daily.values()];
    const open = [...this.open.values()].filter((o) => o.n !== 0);
    this.daily.clear();
    this.open.clear();
    const CHUNK = 1000;
    for (let i = 0; i < daily.length; i += CHUNK) {
      const part = daily.slice(i, i + CHUNK);
      const rows = sql.join(
        part.map((r) => sql`(${r.key.unit}, ${r.day}::date, ${r.key.procedureCode}, ${r.key.channel}::smallint, ${sql.join(FLOW_KEYS.map((k) => sql`${r.counts[k]}::bigint`))})`),
      );
      await sql`insert into monitoring_daily (unit_code, day, procedure_code, channel, field_code, ${colList})
                select v.unit_code, v.day, v.procedure_code, v.channel, p.field_code, ${sql.raw(COLS.map((c) => `v.${c}`).join(', '))}
                from (values ${rows}) as v(unit_code, day, procedure_code, channel, ${colList})
                join procedures p on p.code = v.procedure_code
                on conflict (unit_code, day, procedure_code, channel) do update set ${addAll('monitoring_daily')}`.execute(db);
      await sql`insert into monitoring_daily_field (day, unit_code, field_code, channel, ${colList})
                select v.day, v.unit_code, p.field_code, v.channel, ${sql.raw(COLS.map((c) => `sum(v.${c})`).join(', '))}
                from (values ${rows}) as v(unit_code, day, procedure_code, channel, ${colList})
                join procedures p on p.code = v.procedure_code
                group by v.day, v.unit_code, p.field_code, v.channel
                on conflict (day, unit_code, field_code, channel) do update set ${addAll('monitoring_daily_field')}`.execute(db);
      await sql`insert into monitoring_monthly_field (month, unit_code, field_code, channel, ${colList})
                select date_trunc('month', v.day)::date, v.unit_code, p.field_code, v.channel, ${sql.raw(COLS.map((c) => `sum(v.${c})`).join(', '))}
                from (values ${rows}) as v(unit_code, day, procedure_code, channel, ${colList})
                join procedures p on p.code = v.procedure_code
                group by 1, v.unit_code, p.field_code, v.channel
                on conflict (month, unit_code, field_code, channel) do update set ${addAll('monitoring_monthly_field')}`.execute(db);
    }
    for (let i = 0; i < open.length; i += CHUNK) {
      const part = open.slice(i, i + CHUNK);
      const rows = sql.join(part.map((r) => sql`(${r.key.unit}, ${r.key.procedureCode}, ${r.key.channel}::smallint, ${r.dueDay}::date, ${r.n}::integer)`));
      await sql`insert into monitoring_open (unit_code, procedure_code, channel, due_day, field_code, open_count)
                select v.unit_code, v.procedure_code, v.channel, v.due_day, p.field_code, v.n
                from (values ${rows}) as v(unit_code, procedure_code, channel, due_day, n)
                join procedures p on p.code = v.procedure_code
                on conflict (unit_code, procedure_code, channel, due_day) do update set open_count = monitoring_open.open_count + excluded.open_count`.execute(db);
    }
  }
}

/** The action log's rows as the aggregates read them. */
export function actionFacts(r: { type: string; at: Date; to_status: number; payload: unknown }): ActionFacts {
  return { type: r.type, at: r.at, toStatus: r.to_status, payload: (r.payload ?? {}) as Record<string, unknown> };
}

export interface RebuildReport {
  dossiers: number;
  actions: number;
  seconds: number;
}

/**
 * Recomputes every aggregate from the action log (and the flags from the tables holding their
 * facts: payments, copies, signed results, ratings, complaints), in one transaction (readers see the old sums
 * until it commits). Dossiers are read in id order in batches, each with its actions in order.
 */
export async function rebuildAggregates(db: Kysely<DB>, utcOffsetMinutes: number, opts: { batch?: number; onProgress?: (done: number) => void } = {}): Promise<RebuildReport> {
  const started = Date.now();
  const batch = opts.batch ?? 2000;
  let dossiers = 0;
  let actions = 0;
  await db.transaction().execute(async (trx) => {
    await sql`lock table monitoring_daily, monitoring_daily_field, monitoring_monthly_field, monitoring_monthly_unit, monitoring_open in exclusive mode`.execute(trx);
    await sql`delete from monitoring_daily`.execute(trx);
    await sql`delete from monitoring_daily_field`.execute(trx);
    await sql`delete from monitoring_monthly_field`.execute(trx);
    await sql`delete from monitoring_open`.execute(trx);
    const buffer = new AggregateBuffer();
    let after = 0;
    for (;;) {
      const ds = await trx
        .selectFrom('dossiers')
        .select(['id', 'deciding_unit', 'procedure_code', 'channel'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batch)
        .execute();
      if (ds.length === 0) break;
      const first = ds[0]!.id;
      const last = ds[ds.length - 1]!.id;
      const rows = await trx
        .selectFrom('dossier_actions')
        .select(['dossier_id', 'type', 'at', 'to_status', 'payload'])
        .where('dossier_id', '>=', first)
        .where('dossier_id', '<=', last)
        .orderBy('dossier_id')
        .orderBy('seq')
        .execute();
      const byDossier = new Map<number, ActionFacts[]>();
      for (const r of rows) {
        let list = byDossier.get(Number(r.dossier_id));
        if (!list) byDossier.set(Number(r.dossier_id), (list = []));
        list.push(actionFacts(r));
      }
      for (const d of ds) {
        const list = byDossier.get(Number(d.id)) ?? [];
        buffer.addHistory({ unit: d.deciding_unit, procedureCode: d.procedure_code, channel: d.channel }, list, utcOffsetMinutes);
        actions += list.length;
      }
      dossiers += ds.length;
      after = Number(last);
      if (buffer.size > 50_000) await buffer.flush(trx);
      opts.onProgress?.(dossiers);
    }
    await buffer.flush(trx);
    // The flag aggregates (migration 020) are recomputed set-based from the facts' own tables.
    await sql`select monitoring_flags_rebuild()`.execute(trx);
    // Time at each step (migration 023): one GROUP BY over the action log.
    await rebuildStepAggregates(trx, utcOffsetMinutes);
  });
  return { dossiers, actions, seconds: (Date.now() - started) / 1000 };
}
