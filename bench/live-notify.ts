/**
 * What live monitoring (migration 018) costs the hot path, on PostgreSQL. The same work in three
 * modes, in rotating blocks (so drift of a shared machine falls on every mode alike), with the
 * app's LISTEN-and-relay connection running as in production:
 *   - none:   migration 018's triggers disabled;
 *   - outbox: as shipped: the triggers append the units to monitoring_changes, relayed every 100 ms;
 *   - notify: the design it replaced, made in this throwaway database only: the same triggers
 *             calling pg_notify in the action's own transaction.
 *
 *   1. walk-in submissions through the app (app.inject: the server's whole path, no network),
 *      one at a time, and from --clients desks at once (each its own commune: no shared
 *      aggregate row, so what serialises them is the database, not the data);
 *   2. the aggregate upsert alone (one statement, autocommit), one at a time and from --clients
 *      connections at once: the trigger and the commit-time NOTIFY without the rest of the action.
 *
 * PostgreSQL serialises the commits of transactions that NOTIFY (a database-wide lock held to the
 * end of the commit, so notices queue in commit order); the concurrent runs show what that costs.
 *
 *   npx tsx bench/live-notify.ts [--n 2000] [--clients 16] [--block 250]
 *
 * Results: bench/results/live-notify-postgres.json. PostgreSQL as in bench/run.ts (BENCH_ADMIN_URL,
 * TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; a throwaway database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { installCleanup, releaseAll } from './lib/cleanup.js';
import { machineInfo } from './lib/machine.js';
import { RESULTS_DIR } from './lib/report.js';
import { ms, summarize } from './lib/stats.js';
import { BENCH_PASSWORD, createDeskOfficers, createTarget, openTarget, prepareReference } from './lib/target.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '2000' }, clients: { type: 'string', default: '16' }, block: { type: 'string', default: '250' } },
  strict: true,
});
const N = Number(values.n);
const CLIENTS = Number(values.clients);
const BLOCK = Number(values.block);
if (![N, CLIENTS, BLOCK].every((x) => Number.isInteger(x) && x > 0) || N % BLOCK !== 0) {
  console.error('usage: npx tsx bench/live-notify.ts [--n 2000] [--clients 16] [--block 250]  (n a multiple of block)');
  process.exit(2);
}
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`);
type Mode = 'none' | 'outbox' | 'notify';
const MODES: Mode[] = ['none', 'outbox', 'notify'];
const TABLES = ['monitoring_daily', 'monitoring_open'];
const OPS = ['insert', 'update', 'delete'];
const triggersOf = (prefix: 'note' | 'benchnotify') => TABLES.flatMap((t) => OPS.map((op) => [t, `${t}_${prefix}_${op}`] as const));

/** The rejected design: NOTIFY from the statement trigger, in the writing transaction. */
const DIRECT_NOTIFY_SQL = `
CREATE FUNCTION bench_direct_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE units json; payload text;
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    PERFORM pg_notify('motcua_monitoring', json_build_object('all', true)::text);
    RETURN NULL;
  END IF;
  SELECT json_agg(u.unit_code ORDER BY u.unit_code) INTO units FROM (SELECT DISTINCT unit_code FROM changed) u;
  IF units IS NULL THEN RETURN NULL; END IF;
  payload := json_build_object('units', units, 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text;
  IF octet_length(payload) >= 8000 THEN payload := json_build_object('all', true)::text; END IF;
  PERFORM pg_notify('motcua_monitoring', payload);
  RETURN NULL;
END $$;
${TABLES.map(
  (t) => `
CREATE TRIGGER ${t}_benchnotify_insert AFTER INSERT ON ${t} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bench_direct_notify();
CREATE TRIGGER ${t}_benchnotify_update AFTER UPDATE ON ${t} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bench_direct_notify();
CREATE TRIGGER ${t}_benchnotify_delete AFTER DELETE OR TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION bench_direct_notify();`,
).join('')}`;

interface Side {
  latencies: number[];
  wallMs: number;
}
const sides = (): Record<Mode, Side> => ({ none: { latencies: [], wallMs: 0 }, outbox: { latencies: [], wallMs: 0 }, notify: { latencies: [], wallMs: 0 } });

async function main(): Promise<void> {
  await installCleanup();
  const target = await createTarget('postgres');
  const o = await openTarget(target, 20);
  await prepareReference(o);
  const desks = await createDeskOfficers(o, CLIENTS);
  const app = await buildApp(o.ctx);
  const admin = new pg.Client({ connectionString: target.databaseUrl! });
  await admin.connect();
  const settings = Object.fromEntries(
    (await admin.query<{ name: string; setting: string }>(`select name, setting from pg_settings where name in ('server_version', 'synchronous_commit', 'fsync', 'shared_buffers', 'wal_sync_method')`)).rows.map((r) => [r.name, r.setting]),
  );
  await admin.query(DIRECT_NOTIFY_SQL);
  const setMode = async (mode: Mode) => {
    for (const [table, trigger] of triggersOf('note')) await admin.query(`ALTER TABLE ${table} ${mode === 'outbox' ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
    for (const [table, trigger] of triggersOf('benchnotify')) await admin.query(`ALTER TABLE ${table} ${mode === 'notify' ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
  };

  const headers: Array<Record<string, string>> = [];
  for (const d of desks) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: d.username, password: BENCH_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${d.username}: ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'motcua_session')!;
    headers.push({ cookie: `motcua_session=${cookie.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken });
  }
  let key = 0;
  const walkIn = async (h: Record<string, string>) => {
    const t = process.hrtime.bigint();
    const res = await app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...h, 'idempotency-key': `live-bench-${++key}` },
      payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Nguyễn Văn Đo Đạc (benchmark)', phone: '0905000111' } },
    });
    if (res.statusCode !== 201) throw new Error(`walk-in: ${res.statusCode} ${res.body}`);
    return ms(t);
  };
  const pool = new pg.Pool({ connectionString: target.databaseUrl!, max: CLIENTS });
  const upsertSql = `insert into monitoring_open (unit_code, procedure_code, channel, due_day, field_code, open_count)
                     values ($1, 'H15-HT-05', 1, '2026-03-10', 'HT', 1)
                     on conflict (unit_code, procedure_code, channel, due_day) do update set open_count = monitoring_open.open_count + excluded.open_count`;
  const upsert = async (c: pg.PoolClient, unit: string) => {
    const t = process.hrtime.bigint();
    await c.query({ name: 'live_bench_upsert', text: upsertSql, values: [unit] });
    return ms(t);
  };

  /** `n` operations per mode in alternating blocks; `run(i)` does operation i and returns its ms. */
  const compare = async (label: string, concurrency: number, run: (worker: number) => Promise<number>) => {
    const out = sides();
    const order: Mode[] = [];
    for (let b = 0; b < N / BLOCK; b++) order.push(...MODES.map((_, i) => MODES[(i + b) % MODES.length]!));
    for (const mode of order) {
      await setMode(mode);
      const t = process.hrtime.bigint();
      let left = BLOCK;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, w) => {
          while (left > 0) {
            left--;
            out[mode].latencies.push(await run(w));
          }
        }),
      );
      out[mode].wallMs += ms(t);
    }
    const row = (s: Side) => ({ ...summarize(s.latencies), perSecond: Math.round((s.latencies.length / s.wallMs) * 1000) });
    const r = { label, concurrency, none: row(out.none), outbox: row(out.outbox), notify: row(out.notify) };
    log(`${label}: ${MODES.map((m) => `${m} p50 ${r[m].p50} p99 ${r[m].p99} mean ${r[m].mean} ms ${r[m].perSecond}/s`).join(' | ')}`);
    return r;
  };

  const results = [];
  // Warm-up (plans, caches) outside the measurement.
  for (let i = 0; i < 50; i++) await walkIn(headers[0]!);
  results.push(await compare('walk-in submission, 1 desk', 1, () => walkIn(headers[0]!)));
  results.push(await compare(`walk-in submission, ${CLIENTS} desks at once`, CLIENTS, (w) => walkIn(headers[w]!)));
  const conns = await Promise.all(Array.from({ length: CLIENTS }, () => pool.connect()));
  results.push(await compare('aggregate upsert alone, 1 connection', 1, () => upsert(conns[0]!, desks[0]!.unitCode)));
  results.push(await compare(`aggregate upsert alone, ${CLIENTS} connections at once`, CLIENTS, (w) => upsert(conns[w]!, desks[w]!.unitCode)));
  for (const c of conns) c.release();
  await setMode('outbox');

  const file = path.join(RESULTS_DIR, 'live-notify-postgres.json');
  fs.writeFileSync(file, `${JSON.stringify({ benchmark: 'live-notify', db: 'postgres', settings, n: N, block: BLOCK, machine: machineInfo(['npx tsx bench/live-notify.ts', ...process.argv.slice(2)].join(' ')), results }, null, 2)}\n`);
  log(`written ${path.relative(process.cwd(), file)}`);
  await pool.end();
  await admin.end();
  await app.close();
  await o.close();
  await target.cleanup.release();
}

main()
  .catch(async (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => releaseAll());
