/**
 * Which databases the integration tests run on: always embedded PGlite, and PostgreSQL whenever
 * one is reachable (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Each test file gets a throwaway PostgreSQL database, dropped at the end.
 * With MOTCUA_REQUIRE_POSTGRES=1 (CI) an unreachable PostgreSQL is a failure, not a skip.
 */
import crypto from 'node:crypto';
import pg from 'pg';

export type TestDbKind = 'pglite' | 'postgres';

export const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const POSTGRES_REQUIRED = process.env.MOTCUA_REQUIRE_POSTGRES === '1';

async function reachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

const only = process.env.MOTCUA_TEST_DB as TestDbKind | undefined;
export const postgresProblem: string | null = only === 'pglite' ? 'MOTCUA_TEST_DB=pglite' : await reachable(ADMIN_URL);
export const TEST_DATABASES: TestDbKind[] = [
  ...(only === 'postgres' ? [] : (['pglite'] as const)),
  ...(postgresProblem === null ? (['postgres'] as const) : []),
];

export async function createThrowawayPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `motcua_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
