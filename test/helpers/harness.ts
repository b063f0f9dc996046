/**
 * Integration harness: a real database (PGlite, and PostgreSQL when reachable), migrated and
 * seeded with the reference data, and the HTTP app in front of it, driven with `app.inject`.
 *
 *   describeEachDatabase('catalog', (env) => { it('...', async () => { env().app.inject(...) }) })
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { CalendarStore } from '../../src/calendar/store.js';
import { loadConfig } from '../../src/platform/config.js';
import type { AppContext } from '../../src/platform/context.js';
import { openDatabase } from '../../src/platform/db.js';
import type { App } from '../../src/platform/http.js';
import { migrate } from '../../src/platform/migrate.js';
import { seedReferenceData } from '../../src/seed/reference.js';
import { createSession } from '../../src/identity/sessions.js';
import { createThrowawayPostgres, POSTGRES_REQUIRED, postgresProblem, TEST_DATABASES, ADMIN_URL, type TestDbKind } from './databases.js';

export interface TestEnv {
  kind: TestDbKind;
  ctx: AppContext;
  app: App;
  /** Set the clock (all use cases read ctx.now()). */
  setNow(d: Date | string): void;
  /** Log in as a seeded user (password "demo"); returns headers for inject(). */
  login(username: string): Promise<Record<string, string>>;
  /**
   * A citizen as the OIDC callback would create them (tests of the OIDC flow itself are in
   * oidc.test.ts); returns the user id and headers for inject().
   */
  citizen(sub: string, fields?: { fullName?: string; idNumber?: string; phone?: string }): Promise<{ userId: number; headers: Record<string, string> }>;
}

export interface EnvOptions {
  seed?: boolean;
  /** Extra environment variables for loadConfig (e.g. OIDC_ISSUER). */
  env?: Record<string, string>;
}

export async function createTestEnv(kind: TestDbKind, opts: EnvOptions = {}): Promise<TestEnv & { close(): Promise<void> }> {
  let pgDb: { url: string; drop(): Promise<void> } | null = null;
  if (kind === 'postgres') pgDb = await createThrowawayPostgres();
  const config = loadConfig({ LOG_LEVEL: 'silent', MOTCUA_DEMO: 'false', SESSION_TTL_HOURS: '720', ...opts.env });
  const database = await openDatabase({ databaseUrl: pgDb?.url ?? null, dataDir: null, poolSize: 10 });
  await migrate(database.pool);
  let now = new Date('2026-03-02T02:00:00Z'); // Monday 09:00 in Vietnam
  const ctx: AppContext = { database, db: database.db, config, now: () => new Date(now.getTime()), calendars: new CalendarStore(database.db) };
  if (opts.seed !== false) await seedReferenceData(ctx, { passwordForAll: 'demo' });
  const app = await buildApp(ctx);
  const env: TestEnv = {
    citizen: async () => {
      throw new Error('set below');
    },
    kind,
    ctx,
    app,
    setNow: (d) => {
      now = new Date(d);
    },
    login: async (username) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'demo' } });
      assert.equal(res.statusCode, 200, `login ${username}: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'motcua_session');
      assert.ok(cookie);
      return { cookie: `motcua_session=${cookie.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
    },
  };
  env.citizen = async (sub, fields = {}) => {
    const row = await database.db
      .insertInto('users')
      .values({
        role: 'citizen',
        oidc_sub: sub,
        full_name: fields.fullName ?? `Công dân ${sub} (mô phỏng)`,
        id_number: fields.idNumber ?? `066${String(Math.abs(hashCode(sub))).padStart(9, '0').slice(0, 9)}`,
        phone: fields.phone ?? '0912345678',
      })
      .onConflict((oc) => oc.column('oidc_sub').doUpdateSet({ full_name: (eb) => eb.ref('excluded.full_name') }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await createSession(database.db, row.id, ctx.now(), 720);
    return { userId: row.id, headers: { cookie: `motcua_session=${s.token}`, 'x-csrf-token': s.csrfToken } };
  };
  return {
    ...env,
    close: async () => {
      await app.close();
      await database.close();
      await pgDb?.drop();
    },
  };
}

/** Runs `body` once per available database, each in its own describe block with a fresh database. */
export function describeEachDatabase(name: string, body: (env: () => TestEnv) => void, opts: EnvOptions = {}): void {
  for (const kind of TEST_DATABASES) {
    describe(`${name} [${kind}]`, () => {
      let env: (TestEnv & { close(): Promise<void> }) | null = null;
      before(async () => {
        env = await createTestEnv(kind, opts);
      });
      after(async () => {
        await env?.close();
      });
      body(() => {
        if (!env) throw new Error('test environment not ready');
        return env;
      });
    });
  }
  if (postgresProblem !== null) {
    if (POSTGRES_REQUIRED) {
      it(`${name} [postgres] is required but not reachable at ${ADMIN_URL}`, () => {
        assert.fail(`PostgreSQL is required (MOTCUA_REQUIRE_POSTGRES=1) but not reachable: ${postgresProblem}`);
      });
    } else {
      it.skip(`${name} [postgres]: skipped, PostgreSQL not reachable at ${ADMIN_URL} (${postgresProblem})`);
    }
  }
}

function hashCode(s: string): number {
  let h = 0;
  for (const c of s) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}
