/**
 * Where time goes (issue 5 item 9): monitoring_steps_monthly (migration 023), the time dossiers
 * spend at each step of a procedure's internal process, per deciding unit × local month ×
 * procedure × step. Kept like the other monitoring aggregates (src/monitoring/aggregates.ts): in
 * the statement of each dossier action (`stepCtes`), in bulk by imports and the simulator
 * (`StepAggregateBuffer`), and rebuilt from the action log (`rebuildStepAggregates`).
 *
 * What counts: an action that leaves a step, which the machine marks by recording the working
 * time spent at it (payload.stepWorkingMs, with stepNormMs when the step has a norm) next to the
 * step's timeliness (step_timeliness, from_step). Actions written before migration 023 have no
 * stepWorkingMs and are not counted, so that every average is over hand-overs whose time is known.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { localDay } from '../core/aggregates.js';
import type { FinishedTimeliness } from '../core/timeliness.js';
import type { DB } from '../platform/db-types.js';

/** Vietnam (UTC+7), the local months the table counts in unless a caller passes its calendar's. */
const DEFAULT_OFFSET_MINUTES = 420;

/** The facts of one action the step aggregate reads (a decision record or an action row). */
export interface StepActionFacts {
  fromStep: string | null;
  stepTimeliness: FinishedTimeliness | null;
  at: Date;
  payload: Readonly<Record<string, unknown>>;
}

export interface StepKey {
  /** The deciding unit. */
  unit: string;
  procedureCode: string;
}

/** One hand-over's contribution to a row (all additive). */
export interface StepCounts {
  handovers: number;
  early: number;
  onTime: number;
  late: number;
  workingMs: number;
  normMs: number;
  withNorm: number;
}

export interface StepDelta {
  /** First day of the local month of the action (YYYY-MM-01). */
  month: string;
  step: string;
  counts: StepCounts;
}

const STEP_KEYS: ReadonlyArray<keyof StepCounts> = ['handovers', 'early', 'onTime', 'late', 'workingMs', 'normMs', 'withNorm'];
const COLUMNS: Record<keyof StepCounts, string> = {
  handovers: 'handovers',
  early: 'early',
  onTime: 'on_time',
  late: 'late',
  workingMs: 'working_ms',
  normMs: 'norm_ms',
  withNorm: 'with_norm',
};
const COLS = STEP_KEYS.map((k) => COLUMNS[k]);
const colList = sql.raw(COLS.join(', '));
const addAll = sql.raw(COLS.map((c) => `${c} = monitoring_steps_monthly.${c} + excluded.${c}`).join(', '));

const finiteNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first day of the local month of an instant. */
export function localMonth(at: Date, utcOffsetMinutes: number): string {
  return `${localDay(at, utcOffsetMinutes).slice(0, 7)}-01`;
}

/** What one action adds to the step aggregate; null when it leaves no step with a known time. Pure. */
export function stepDeltaOf(a: StepActionFacts, utcOffsetMinutes: number = DEFAULT_OFFSET_MINUTES): StepDelta | null {
  const working = finiteNumber(a.payload.stepWorkingMs);
  if (a.fromStep === null || a.stepTimeliness === null || working === null) return null;
  const norm = finiteNumber(a.payload.stepNormMs);
  return {
    month: localMonth(a.at, utcOffsetMinutes),
    step: a.fromStep,
    counts: {
      handovers: 1,
      early: a.stepTimeliness === 'early' ? 1 : 0,
      onTime: a.stepTimeliness === 'on_time' ? 1 : 0,
      late: a.stepTimeliness === 'late' ? 1 : 0,
      workingMs: Math.round(working),
      normMs: norm === null ? 0 : Math.round(norm),
      withNorm: norm === null ? 0 : 1,
    },
  };
}

/**
 * The part of an action's WITH statement that adds its hand-over to monitoring_steps_monthly when
 * (and only when) the CTE named `guard` returned a row (the dossier update that records the
 * action). [name, query] pairs as aggregateCtes returns them (parenthesised: Kysely does not wrap
 * a raw CTE); none when the action leaves no step.
 */
export function stepCtes(
  key: StepKey,
  record: { fromStep: string | null; stepTimeliness: FinishedTimeliness | null; payload: Readonly<Record<string, unknown>> },
  at: Date,
  guard: string,
  utcOffsetMinutes: number = DEFAULT_OFFSET_MINUTES,
): Array<[string, RawBuilder<unknown>]> {
  const d = stepDeltaOf({ fromStep: record.fromStep, stepTimeliness: record.stepTimeliness, payload: record.payload, at }, utcOffsetMinutes);
  if (!d) return [];
  const values = sql.join(STEP_KEYS.map((k) => sql`${d.counts[k]}::bigint`));
  return [
    [
      'agg_step',
      sql`(insert into monitoring_steps_monthly (unit_code, month, procedure_code, step, ${colList})
          select ${key.unit}, ${d.month}::date, ${key.procedureCode}, ${d.step}, ${values} from ${sql.raw(guard)}
          on conflict (unit_code, month, procedure_code, step) do update set ${addAll})`,
    ],
  ];
}

/** The action rows as the replay (import, simulator) builds them, before they have a dossier id. */
export interface StepActionRow {
  from_step?: string | null;
  step_timeliness?: FinishedTimeliness | null;
  at: Date | string;
  payload?: unknown;
}

/** In-memory sums for bulk writes (imports, the simulator). */
export class StepAggregateBuffer {
  private readonly rows = new Map<string, { key: StepKey; month: string; step: string; counts: StepCounts }>();

  add(key: StepKey, facts: StepActionFacts, utcOffsetMinutes: number = DEFAULT_OFFSET_MINUTES): void {
    const d = stepDeltaOf(facts, utcOffsetMinutes);
    if (!d) return;
    const id = `${key.unit}|${d.month}|${key.procedureCode}|${d.step}`;
    const e = this.rows.get(id);
    if (!e) this.rows.set(id, { key, month: d.month, step: d.step, counts: { ...d.counts } });
    else for (const k of STEP_KEYS) e.counts[k] += d.counts[k];
  }

  /** Adds every action row of one dossier (payload as stored: an object or its JSON text). */
  addRows(key: StepKey, rows: readonly StepActionRow[], utcOffsetMinutes: number = DEFAULT_OFFSET_MINUTES): void {
    for (const r of rows) {
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {})) as Record<string, unknown>;
      this.add(key, { fromStep: r.from_step ?? null, stepTimeliness: r.step_timeliness ?? null, at: new Date(r.at), payload }, utcOffsetMinutes);
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /** Adds the sums to the table (upserts in chunks) and empties the buffer. */
  async flush(db: Kysely<DB>): Promise<void> {
    const all = [...this.rows.values()];
    this.rows.clear();
    const CHUNK = 1000;
    for (let i = 0; i < all.length; i += CHUNK) {
      const rows = sql.join(
        all.slice(i, i + CHUNK).map((r) => sql`(${r.key.unit}, ${r.month}::date, ${r.key.procedureCode}, ${r.step}, ${sql.join(STEP_KEYS.map((k) => sql`${r.counts[k]}::bigint`))})`),
      );
      await sql`insert into monitoring_steps_monthly (unit_code, month, procedure_code, step, ${colList})
                select v.unit_code, v.month, v.procedure_code, v.step, ${sql.raw(COLS.map((c) => `v.${c}`).join(', '))}
                from (values ${rows}) as v(unit_code, month, procedure_code, step, ${colList})
                on conflict (unit_code, month, procedure_code, step) do update set ${addAll}`.execute(db);
    }
  }
}

/**
 * Recomputes monitoring_steps_monthly from the action log, with the same rule as stepDeltaOf
 * written in SQL (one statement: the table is a plain GROUP BY of the actions that left a step).
 * Runs in the caller's transaction, or in its own.
 */
export async function rebuildStepAggregates(db: Kysely<DB>, utcOffsetMinutes: number = DEFAULT_OFFSET_MINUTES): Promise<{ rows: number }> {
  const run = async (trx: Kysely<DB>) => {
    await sql`lock table monitoring_steps_monthly in exclusive mode`.execute(trx);
    await sql`delete from monitoring_steps_monthly`.execute(trx);
    const r = await sql`insert into monitoring_steps_monthly (unit_code, month, procedure_code, step, ${colList})
              select d.deciding_unit,
                     date_trunc('month', (a.at at time zone 'UTC') + make_interval(mins => ${utcOffsetMinutes}::integer))::date,
                     d.procedure_code,
                     a.from_step,
                     count(*),
                     count(*) filter (where a.step_timeliness = 'early'),
                     count(*) filter (where a.step_timeliness = 'on_time'),
                     count(*) filter (where a.step_timeliness = 'late'),
                     coalesce(sum(round((a.payload ->> 'stepWorkingMs')::numeric)), 0),
                     coalesce(sum(round((a.payload ->> 'stepNormMs')::numeric)) filter (where jsonb_typeof(a.payload -> 'stepNormMs') = 'number'), 0),
                     count(*) filter (where jsonb_typeof(a.payload -> 'stepNormMs') = 'number')
              from dossier_actions a
              join dossiers d on d.id = a.dossier_id
              where a.from_step is not null and a.step_timeliness is not null and jsonb_typeof(a.payload -> 'stepWorkingMs') = 'number'
              group by 1, 2, 3, 4`.execute(trx);
    return { rows: Number(r.numAffectedRows ?? 0) };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
