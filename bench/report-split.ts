/**
 * The one query of the periodic reports that reads raw dossiers (src/reports/data.ts
 * pendingAtEndQuery: pending at the end of a past period, split into within limit / overdue by the
 * legal appointment of that moment), explained and timed at N dossiers on PostgreSQL:
 *
 *   npx tsx bench/report-split.ts [--dossiers 1000000]
 *
 * The dossiers come from the queue benchmark's generator (bench/lib/generate.ts: 500 days, 103
 * receiving units, ~12% open); each received dossier gets the 'receive' action that records its
 * legal appointment, as the dossier machine writes it. For periods ending 1, 3 and 12 months ago,
 * the province's report runs EXPLAIN (ANALYZE, BUFFERS) with the index of migration 017, and once
 * without it (dropped inside a transaction that is rolled back). Prints a JSON summary.
 */
import { sql } from 'kysely';
import { installCleanup } from './lib/cleanup.js';
import { generateDossiers } from './lib/generate.js';
import { createTarget, openTarget, prepareReference } from './lib/target.js';
import { pendingAtEndQuery } from '../src/reports/data.js';
import { vietnamDate } from '../src/monitoring/period.js';
import { dateOfDayNumber, dayNumberOf } from '../src/core/calendar.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function walk(n: PlanNode, out: { indexes: Set<string>; seqScans: Set<string> }) {
  if (n['Index Name']) out.indexes.add(n['Index Name']);
  if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) out.seqScans.add(n['Relation Name']);
  for (const c of n.Plans ?? []) walk(c, out);
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--dossiers');
  const n = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
  await installCleanup();
  const target = await createTarget('postgres');
  const o = await openTarget(target);
  try {
    await prepareReference(o);
    const now = new Date();
    const gen = await generateDossiers(o.database.pool, n, { now, log: (s) => console.error(s) });
    console.error('  receive actions');
    await sql`insert into dossier_actions (dossier_id, seq, type, at, actor_role, from_status, to_status, payload, idempotency_key)
              select d.id, 1, 'receive', d.received_at, 'desk_officer', 1, 2,
                     jsonb_build_object('legalAppointmentAt', to_char(d.legal_appointment_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                     'bench-receive'
                from dossiers d where d.received_at is not null`.execute(o.ctx.db);
    await sql`analyze`.execute(o.ctx.db);
    const units = (await o.ctx.db.selectFrom('units').select('code').where('path', 'like', '/VN/H15/%').execute()).map((u) => u.code);
    const today = vietnamDate(now);
    const monthEnd = (monthsAgo: number) => {
      const first = `${today.slice(0, 7)}-01`;
      let d = first;
      for (let i = 0; i < monthsAgo - 1; i++) d = `${dateOfDayNumber(dayNumberOf(d) - 1).slice(0, 7)}-01`;
      return dateOfDayNumber(dayNumberOf(d) - 1);
    };
    const results = [];
    for (const monthsAgo of [1, 3, 12]) {
      const to = monthEnd(monthsAgo);
      for (const withIndex of [true, false]) {
        // One connection, one transaction, rolled back: the index is dropped only inside it.
        const explained = await o.ctx.db.connection().execute(async (c) => {
          await sql`begin`.execute(c);
          try {
            if (!withIndex) await sql`drop index dossiers_deciding_finished_idx`.execute(c);
            const q = pendingAtEndQuery(units, to);
            await q.execute(c); // warm the cache once
            const r = await sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }> }>`explain (analyze, buffers, format json) ${q}`.execute(c);
            return { r, rows: await q.execute(c) };
          } finally {
            await sql`rollback`.execute(c);
          }
        });
        const plan = explained.r.rows[0]!['QUERY PLAN'][0]!;
        const seen = { indexes: new Set<string>(), seqScans: new Set<string>() };
        walk(plan.Plan, seen);
        const pending = explained.rows.rows.reduce((s, x) => s + Number(x.pending), 0);
        const overdue = explained.rows.rows.reduce((s, x) => s + Number(x.overdue), 0);
        results.push({
          periodEnd: to,
          index: withIndex ? 'dossiers_deciding_finished_idx' : 'none (dropped)',
          executionMs: Math.round(plan['Execution Time'] * 10) / 10,
          planningMs: Math.round(plan['Planning Time'] * 10) / 10,
          pending,
          overdue,
          indexesUsed: [...seen.indexes].sort(),
          seqScans: [...seen.seqScans].sort(),
        });
        console.error(`  ${to} ${withIndex ? 'with' : 'without'} index: ${plan['Execution Time'].toFixed(1)} ms, ${pending} pending (${overdue} overdue)`);
      }
    }
    const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(o.ctx.db);
    console.log(JSON.stringify({ database: `PostgreSQL ${version.rows[0]!.v}`, dossiers: gen.generated, units: units.length, today, results }, null, 2));
  } finally {
    await o.close();
    await target.cleanup.release();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
