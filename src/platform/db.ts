/**
 * The database: embedded PGlite (PostgreSQL in WebAssembly, in-process) by default, a PostgreSQL
 * server when a connection string is given. Both are reached through the same `pg` driver and
 * Kysely, so the same SQL runs on both (written for PostgreSQL 15).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './db-types.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';

// int8 (count(*), bigserial) as JS numbers: our counts and ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as number (time limits like 0.5 working days, fees in đồng).
pg.types.setTypeParser(1700, (v) => Number(v));
// date as the plain 'YYYY-MM-DD' string, never shifted by the host time zone.
pg.types.setTypeParser(1082, (v) => v);

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Human description for logs, without credentials. */
  description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | null;
  /** Folder of the embedded database; `null` for an in-memory embedded database (tests). */
  dataDir: string | null;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 20);
  return openPglite(opts.dataDir);
}

/**
 * A client that prepares each parameterised statement once per connection (named by a hash of
 * its text), so PostgreSQL parses and analyses it once instead of on every execution. Plans stay
 * custom (plan_cache_mode = force_custom_plan): a generic plan could not use partial indexes,
 * whose predicates need the parameter values. Only ordinary statements are prepared: bulk inserts
 * (many parameters, a different text for every batch size) would only fill the connection's cache.
 * Behind PgBouncer in transaction mode this needs its max_prepared_statements setting (≥ 1.21).
 */
class PreparingClient extends pg.Client {
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && values.length <= 100 && config.length <= 8192) {
      const name = `m_${crypto.createHash('sha1').update(config).digest('base64url')}`;
      return (super.query as (c: unknown, cb?: unknown) => never)({ name, text: config, values }, callback);
    }
    return (super.query as (c: unknown, v?: unknown, cb?: unknown) => never)(config, values, callback);
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, Client: PreparingClient, options: '-c plan_cache_mode=force_custom_plan' });
  // An idle connection dropped by the server (restart, failover, admin) must not crash the process:
  // the pool discards it and opens a new one on the next query.
  pool.on('error', (err) => {
    if (!closing) console.error(`motcua: kết nối PostgreSQL bị ngắt / PostgreSQL connection lost: ${err.message}`);
  });
  let closing = false;
  // Fail fast with a clear message rather than on the first request.
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => {});
    const u = new URL(url);
    throw new Error(
      `Không kết nối được PostgreSQL tại ${u.host}${u.pathname} / Cannot connect to PostgreSQL at ${u.host}${u.pathname}: ${(err as Error).message}`,
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    kind: 'postgres',
    db,
    pool,
    description: `PostgreSQL ${u.host}${u.pathname}`,
    close: async () => {
      closing = true;
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');

  let lock: DataDirLock | null = null;
  let pgDir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    // PGlite has no lock between processes: two owners of one folder lose rows silently.
    lock = acquireDataDirLock(dataDir);
    pgDir = path.join(dataDir, 'pglite');
  }
  let pglite;
  try {
    pglite = await PGlite.create(pgDir ? { dataDir: pgDir, extensions: { unaccent, pg_trgm } } : { extensions: { unaccent, pg_trgm } });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    pool,
    description: dataDir ? `PGlite ${pgDir}` : 'PGlite (in memory)',
    close: async () => {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}
