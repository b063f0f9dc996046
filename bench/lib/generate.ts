/**
 * Bulk dossiers for the queue benchmark, generated in SQL (INSERT … SELECT … FROM generate_series)
 * in chunks, reproducibly (pseudo-random values are hashes of the row number, so PostgreSQL and
 * PGlite get the same rows). Only the dossiers table is filled (not the action log): the work
 * queue reads dossiers and procedures only.
 *
 * Layout of row i (0-based): receiving unit = i mod U over the U = 103 receiving units (all wards
 * and communes H15.001…H15.102 and the provincial centre H15.TT), so every unit gets ~N/103;
 * per unit, dossiers are spread evenly over the last 500 days in time order (rows are inserted
 * oldest first, like a real table), numbered per unit and day: code = unit-yyMMdd-NNNN, as the
 * product formats it. A dossier is open with probability max(0, 1 − age/120 days) (≈12% overall,
 * the recent ones); open appointments spread over now ± 60 days (never before receipt + 1 day).
 */
import type pg from 'pg';

export const PERIOD_DAYS = 500;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Y', 'Ksor', 'Niê', 'Êban'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Quang', 'Thu', 'Kim'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến', 'Khoa'];

/** A uniform [0, 1) value from the row number and a salt, identical on every PostgreSQL. */
const rnd = (salt: number) => `((hashint8extended(g.i, ${salt}) & 140737488355327)::float8 / 140737488355328.0)`;

async function setup(c: pg.PoolClient): Promise<{ units: number; commune: number; province: number }> {
  await c.query('DROP TABLE IF EXISTS pg_temp.bench_units, pg_temp.bench_cases');
  await c.query(`CREATE TEMP TABLE bench_units AS
    SELECT (row_number() OVER (ORDER BY code))::int - 1 AS idx, code, code LIKE '%.TT' AS centre
    FROM units WHERE active AND (kind IN ('ward', 'commune') OR (kind = 'department' AND code LIKE '%.TT'))`);
  await c.query(`CREATE TEMP TABLE bench_cases AS
    SELECT (row_number() OVER (PARTITION BY p.level ORDER BY c.procedure_code, c.code))::int - 1 AS idx,
           p.level, c.procedure_code, c.code AS case_code, c.time_limit_kind, c.time_limit_value, p.steps,
           CASE WHEN 'citizen' = ANY (p.applicant_types) THEN 'citizen' ELSE 'business' END AS applicant_type,
           CASE WHEN p.level = 'province' THEN p.implementing_units[1] END AS impl_unit,
           p.full_online_eligible AS fo_eligible, p.result_type IN ('paper', 'both') AS paper_result
    FROM procedure_cases c JOIN procedures p ON p.code = c.procedure_code
    WHERE p.active`);
  const u = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_units');
  const k = await c.query<{ level: string; n: number }>('SELECT level, count(*)::int AS n FROM bench_cases GROUP BY level');
  const by = Object.fromEntries(k.rows.map((r) => [r.level, r.n]));
  return { units: u.rows[0]!.n, commune: by.commune ?? 0, province: by.province ?? 0 };
}

function chunkSql(n: number, u: number, nCommune: number, nProvince: number): string {
  const K = Math.ceil(n / u);
  const P = PERIOD_DAYS;
  return `
WITH g AS (
  SELECT t.i FROM generate_series($1::bigint, $2::bigint) AS t(i)
), a AS (
  SELECT g.i, (g.i / ${u}) AS k, ((g.i / ${u}) * ${P} / ${K})::int AS d, un.code AS unit, un.centre,
         ${rnd(1)} AS r1, ${rnd(2)} AS r2, ${rnd(3)} AS r3, ${rnd(4)} AS r4, ${rnd(5)} AS r5,
         ${rnd(6)} AS r6, ${rnd(7)} AS r7, ${rnd(8)} AS r8, ${rnd(9)} AS r9, ${rnd(10)} AS r10,
         ${rnd(11)} AS r11, ${rnd(12)} AS r12, ${rnd(13)} AS r13, ${rnd(14)} AS r14
  FROM g JOIN bench_units un ON un.idx = (g.i % ${u})::int
), b AS (
  SELECT a.*, (a.k - ((a.d::bigint * ${K} + ${P} - 1) / ${P}) + 1)::int AS seq,
         ($3::date - ${P} + a.d) AS local_date, (${P} - a.d) AS age,
         c.procedure_code, c.case_code, c.time_limit_kind, c.time_limit_value, c.steps, c.applicant_type, c.fo_eligible, c.paper_result,
         coalesce(c.impl_unit, a.unit) AS deciding
  FROM a JOIN bench_cases c
    ON c.level = CASE WHEN a.centre THEN 'province' ELSE 'commune' END
   AND c.idx = floor(a.r1 * CASE WHEN a.centre THEN ${nProvince} ELSE ${nCommune} END)::int
), c AS (
  SELECT b.*,
         CASE WHEN extract(isodow FROM b.local_date) >= 6 OR b.r2 < 0.45 THEN 2 WHEN b.r2 < 0.48 THEN 3 ELSE 1 END AS channel,
         (b.r3 < greatest(0, 1 - b.age / 120.0)) AS open
  FROM b
), e AS (
  SELECT c.*,
         CASE WHEN c.open THEN
           CASE WHEN c.r4 < 0.08 AND c.channel = 2 THEN 1 WHEN c.r4 < 0.22 THEN 2 WHEN c.r4 < 0.80 THEN 4 WHEN c.r4 < 0.91 THEN 5 ELSE 6 END
         ELSE
           CASE WHEN c.r4 < 0.025 THEN 3 WHEN c.r4 < 0.032 THEN 7 WHEN c.r4 < 0.04 THEN 8 WHEN c.r4 < 0.22 THEN 9 ELSE 10 END
         END AS status,
         ((c.local_date::timestamp
           + CASE WHEN c.channel = 2 THEN c.r5 * interval '24 hours' ELSE interval '7 hours 30 minutes' + c.r5 * interval '9 hours' END
           - interval '7 hours') AT TIME ZONE 'UTC') AS submitted_at
  FROM c
), f AS (
  SELECT e.*,
         CASE WHEN e.status IN (1, 3) THEN NULL
              WHEN e.channel = 2 THEN least($4::timestamptz - interval '1 minute', e.submitted_at + e.r6 * interval '8 hours')
              ELSE e.submitted_at END AS received_at
  FROM e
), h AS (
  SELECT f.*,
         CASE WHEN f.received_at IS NULL THEN NULL
              WHEN f.status IN (2, 4, 5, 6) THEN greatest(f.received_at + interval '1 day', $4::timestamptz - interval '60 days' + f.r7 * interval '120 days')
              ELSE f.received_at + (1 + floor(f.r7 * 20)) * interval '1 day' END AS appointment_at
  FROM f
), k AS (
  SELECT h.*,
         CASE WHEN h.status IN (7, 8, 9, 10)
              THEN least($4::timestamptz - interval '1 minute', h.received_at + (h.appointment_at - h.received_at) * (0.3 + h.r8 * 0.8)) END AS finished_at,
         CASE WHEN h.status = 5 THEN h.received_at + ($4::timestamptz - h.received_at) / 2 END AS paused_at
  FROM h
), m AS (
  SELECT k.*, CASE WHEN k.status = 10 THEN least($4::timestamptz, k.finished_at + k.r9 * interval '2 days') END AS returned_at
  FROM k
)
INSERT INTO dossiers (
  code, procedure_code, case_code, channel, status_code, receiving_unit, deciding_unit, current_unit, current_step,
  applicant_type, applicant_name, applicant_id_number, applicant_phone,
  submitted_at, received_at, limit_kind, limit_value, appointment_at, appointment_set_by, legal_appointment_at,
  paused_at, finished_at, returned_at, timeliness, action_count, version, updated_at, monitoring_flags)
SELECT
  m.unit || '-' || to_char(m.local_date, 'YYMMDD') || '-' || CASE WHEN m.seq < 10000 THEN lpad(m.seq::text, 4, '0') ELSE m.seq::text END,
  m.procedure_code, m.case_code, m.channel, m.status, m.unit, m.deciding,
  CASE WHEN m.status IN (4, 5, 6) THEN m.deciding ELSE m.unit END,
  CASE WHEN m.status IN (1, 2, 3, 6) THEN m.steps->>0
       WHEN m.status IN (4, 5, 7, 8) THEN m.steps->>1
       ELSE m.steps->>(jsonb_array_length(m.steps) - 1) END,
  m.applicant_type,
  ($5::text[])[1 + floor(m.r10 * cardinality($5::text[]))::int] || ' ' ||
    ($6::text[])[1 + floor(m.r11 * cardinality($6::text[]))::int] || ' ' ||
    ($7::text[])[1 + floor(m.r12 * cardinality($7::text[]))::int] || ' (mô phỏng)',
  '066' || lpad(floor(m.r13 * 1e9)::bigint::text, 9, '0'),
  '09' || lpad(floor(m.r14 * 1e8)::bigint::text, 8, '0'),
  m.submitted_at, m.received_at, m.time_limit_kind, m.time_limit_value,
  m.appointment_at, CASE WHEN m.appointment_at IS NOT NULL THEN 'rule' END, m.appointment_at,
  m.paused_at, m.finished_at, m.returned_at,
  CASE WHEN m.status IN (9, 10) THEN
    CASE WHEN m.finished_at <= m.appointment_at - interval '1 day' THEN 'early' WHEN m.finished_at <= m.appointment_at THEN 'on_time' ELSE 'late' END END,
  CASE m.status WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 9 THEN 5 WHEN 10 THEN 6 ELSE 4 END,
  CASE m.status WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 9 THEN 5 WHEN 10 THEN 6 ELSE 4 END,
  coalesce(m.returned_at, m.finished_at, m.paused_at, m.received_at, m.submitted_at),
  -- The flags migration 020's trigger would set (no fee, copy, payment, rating or complaint here).
  CASE WHEN m.received_at IS NULL THEN 0 ELSE
    (CASE WHEN m.fo_eligible THEN 1 ELSE 0 END) | (CASE WHEN m.fo_eligible AND m.channel = 2 THEN 2 ELSE 0 END) | (CASE WHEN m.paper_result THEN 64 ELSE 0 END) END
FROM m`;
}

export interface GenerateResult {
  requested: number;
  generated: number;
  seconds: number;
  rowsPerS: number;
  note: string | null;
}

/**
 * Generates `n` dossiers. With a time budget, the first chunk is timed; if the whole would not fit
 * (with 25% margin for the slow-down as the indexes grow), the table is emptied and the largest
 * N that fits (a multiple of the chunk) is generated instead.
 */
export async function generateDossiers(
  pool: pg.Pool,
  n: number,
  opts: { now: Date; chunk?: number; budgetS?: number; log?: (s: string) => void; bulk?: boolean },
): Promise<GenerateResult> {
  const chunk = opts.chunk ?? 100_000;
  const c = await pool.connect();
  const t0 = performance.now();
  let dropped: Array<{ name: string; def: string }> = [];
  try {
    if (opts.bulk) {
      // A bulk load's usual practice: the secondary indexes (not those behind constraints) are
      // dropped and built again once the rows are in, which is several times faster than
      // maintaining them row by row with random keys.
      dropped = (
        await c.query<{ name: string; def: string }>(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i WHERE i.indrelid = 'dossiers'::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`)
      ).rows;
      for (const d of dropped) await c.query(`DROP INDEX ${d.name}`);
      opts.log?.(`  bulk load: ${dropped.length} secondary indexes of dossiers dropped until the rows are in`);
    }
    // The flags are written with the rows (above); the trigger that would compute them row by row
    // (migration 020) is off for this connection, and the caller fills the flag tables set-based.
    await c.query(`SET motcua.monitoring_flags = 'off'`);
    const s = await setup(c);
    if (s.units !== 103) opts.log?.(`note: ${s.units} receiving units (expected 103)`);
    const today = new Date(opts.now.getTime() + 7 * 3600_000).toISOString().slice(0, 10); // Vietnam, UTC+7
    let target = n;
    let note: string | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const sql = chunkSql(target, s.units, s.commune, s.province);
      const start = performance.now();
      let done = 0;
      let retry = false;
      while (done < target) {
        const hi = Math.min(target, done + chunk);
        await c.query(sql, [done, hi - 1, today, opts.now.toISOString(), FAMILY, MIDDLE, GIVEN]);
        done = hi;
        const elapsed = (performance.now() - start) / 1000;
        opts.log?.(`  ${done.toLocaleString('en')} / ${target.toLocaleString('en')} dossiers (${elapsed.toFixed(0)} s)`);
        if (attempt === 0 && opts.budgetS && done === Math.min(target, chunk) && done < target) {
          const projected = (elapsed / done) * target * 1.25;
          if (projected > opts.budgetS) {
            const fits = Math.max(chunk, Math.floor(((opts.budgetS / 1.25) * done) / elapsed / chunk) * chunk);
            note = `generating ${n.toLocaleString('en')} dossiers would take ~${Math.round(projected)} s here (first ${done.toLocaleString('en')} took ${elapsed.toFixed(0)} s), over the ${opts.budgetS} s budget: generated ${fits.toLocaleString('en')} instead`;
            opts.log?.(`  ${note}`);
            await c.query('TRUNCATE dossiers RESTART IDENTITY CASCADE');
            target = fits;
            retry = true;
            break;
          }
        }
      }
      if (!retry) break;
    }
    await c.query(`INSERT INTO dossier_code_counters (unit_code, day, last_value)
      SELECT receiving_unit, to_date(split_part(code, '-', 2), 'YYMMDD'), max(split_part(code, '-', 3)::int)
      FROM dossiers GROUP BY 1, 2
      ON CONFLICT (unit_code, day) DO UPDATE SET last_value = greatest(dossier_code_counters.last_value, excluded.last_value)`);
    if (dropped.length) {
      const t = performance.now();
      await c.query(`SET maintenance_work_mem = '1GB'`);
      for (const d of dropped) await c.query(d.def);
      dropped = [];
      opts.log?.(`  secondary indexes built again in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    opts.log?.('  ANALYZE');
    await c.query('ANALYZE');
    const seconds = (performance.now() - t0) / 1000;
    return { requested: n, generated: target, seconds: Math.round(seconds), rowsPerS: Math.round(target / seconds), note };
  } finally {
    // A failed bulk load still leaves the table with its indexes.
    for (const d of dropped) await c.query(d.def).catch(() => {});
    await c.query('RESET motcua.monitoring_flags').catch(() => {});
    c.release();
  }
}
