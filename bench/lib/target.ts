/**
 * The database a benchmark runs against: a throwaway PostgreSQL database (created and dropped
 * like test/helpers/databases.ts, named motcua_bench_<random>) or an embedded PGlite database in
 * a temporary folder. Preparing it (migrate, reference data, accounts) happens in this process;
 * for PGlite the handle must be closed before the server child opens the same folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CalendarStore } from '../../src/calendar/store.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { loadConfig } from '../../src/platform/config.js';
import type { AppContext } from '../../src/platform/context.js';
import { openDatabase, type Database } from '../../src/platform/db.js';
import { migrate } from '../../src/platform/migrate.js';
import { seedReferenceData } from '../../src/seed/reference.js';
import { register, type Registered } from './cleanup.js';

export type DbKind = 'postgres' | 'pglite';

export const ADMIN_URL = process.env.BENCH_ADMIN_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** Password of every account the benchmark creates (throwaway databases only). */
export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface Target {
  kind: DbKind;
  /** PostgreSQL connection string (postgres), null for PGlite. */
  databaseUrl: string | null;
  /** PGlite folder (the app's MOTCUA_DATA_DIR), null for PostgreSQL. */
  dataDir: string | null;
  name: string;
  /** Environment for the server child. */
  childEnv: Record<string, string>;
  cleanup: Registered;
}

/**
 * `keep` (PostgreSQL only): a named database that survives the run (created if missing, never
 * dropped), so that a large generated data set can be measured again without regenerating it.
 */
export async function createTarget(kind: DbKind, opts: { keep?: string } = {}): Promise<Target> {
  if (kind === 'postgres' && opts.keep) {
    if (!/^motcua_bench_[a-z0-9_]+$/.test(opts.keep)) throw new Error('a kept benchmark database is named motcua_bench_<letters, digits, _>');
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.keep]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${opts.keep}`);
    await admin.end();
    const u = new URL(ADMIN_URL);
    u.pathname = `/${opts.keep}`;
    const cleanup = register(`keep database ${opts.keep}`, async () => {});
    return { kind, databaseUrl: u.toString(), dataDir: null, name: opts.keep, childEnv: { DATABASE_URL: u.toString() }, cleanup };
  }
  if (kind === 'postgres') {
    const name = `motcua_bench_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    const cleanup = register(`drop database ${name}`, async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    }, { kind: 'db', adminUrl: ADMIN_URL, name });
    return { kind, databaseUrl: u.toString(), dataDir: null, name, childEnv: { DATABASE_URL: u.toString() }, cleanup };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
  const cleanup = register(
    `remove ${dir}`,
    async () => {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { kind: 'dir', path: dir },
  );
  return {
    kind,
    databaseUrl: null,
    dataDir: dir,
    name: dir,
    // The child must not see a DATABASE_URL from the caller's environment.
    childEnv: { DATABASE_URL: '', MOTCUA_DATA_DIR: dir },
    cleanup,
  };
}

export interface OpenTarget {
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

export async function openTarget(t: Target, poolSize = 4): Promise<OpenTarget> {
  const database = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir, poolSize });
  database.pool.on('error', () => {}); // idle connections of a database dropped on Ctrl-C
  const config = loadConfig({ MOTCUA_DEMO: 'false', LOG_LEVEL: 'silent' });
  const ctx: AppContext = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };
  return { ctx, database, close: () => database.close() };
}

/** Migrations, reference data (units, holidays, catalog) and the demo staff accounts. */
export async function prepareReference(o: OpenTarget): Promise<void> {
  await migrate(o.database.pool);
  await seedReferenceData(o.ctx, { passwordForAll: BENCH_PASSWORD });
}

/**
 * One desk officer per unit for the first `n` communes (H15.015, H15.016, …), then wards if more
 * are asked for; one argon2 hash shared. Returns the usernames, in unit order.
 */
export async function createDeskOfficers(o: OpenTarget, n: number): Promise<Array<{ username: string; unitCode: string }>> {
  const communes = await o.ctx.db.selectFrom('units').select('code').where('kind', '=', 'commune').orderBy('code').execute();
  const wards = await o.ctx.db.selectFrom('units').select('code').where('kind', '=', 'ward').orderBy('code').execute();
  const units = [...communes, ...wards].slice(0, n).map((u) => u.code);
  if (units.length < n) throw new Error(`only ${units.length} communes and wards; use --clients ${units.length} or fewer`);
  const hash = await hashPassword(BENCH_PASSWORD);
  const users = units.map((code) => ({ username: `bench.desk.${code.toLowerCase()}`, unitCode: code }));
  await o.ctx.db
    .insertInto('users')
    .values(
      users.map((u) => ({
        username: u.username,
        password_hash: hash,
        role: 'desk_officer' as const,
        unit_code: u.unitCode,
        full_name: `Cán bộ một cửa ${u.unitCode} (benchmark)`,
      })),
    )
    .execute();
  return users;
}

export function pgliteVersion(): string {
  // The package's "exports" hide package.json; read it next to the resolved entry point.
  try {
    const require = createRequire(import.meta.url);
    let dir = path.dirname(require.resolve('@electric-sql/pglite'));
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Server version and the settings that matter for write throughput. */
export async function databaseInfo(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<Record<string, unknown>> {
  const rows = await query(
    `SELECT version() AS version,
            current_setting('shared_buffers') AS shared_buffers,
            current_setting('synchronous_commit') AS synchronous_commit,
            current_setting('fsync') AS fsync,
            current_setting('wal_sync_method') AS wal_sync_method,
            current_setting('max_connections') AS max_connections`,
  );
  return rows[0] ?? {};
}
