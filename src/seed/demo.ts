/**
 * First start: an empty database gets the reference data (units, holiday table, catalog) in one
 * transaction; in demo mode also the demo staff accounts and simulated dossiers. The demo step is
 * marked done in `settings`, so an interrupted first start resumes it at the next start. Outside
 * demo mode an administrator account is created only when MOTCUA_ADMIN_PASSWORD is given.
 */
import type { AppContext } from '../platform/context.js';
import { hashPassword } from '../identity/passwords.js';
import { seedReferenceData, seedStaff } from './reference.js';
import { simulateDossiers } from './simulate.js';

/** Published demo password of every demo staff account (README). */
export const DEMO_PASSWORD = 'motcua-demo';
const DEMO_MARK = 'demo_seeded';

export async function seedIfEmpty(ctx: AppContext, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<boolean> {
  const t0 = Date.now();
  let seeded = false;
  const any = await ctx.db.selectFrom('units').select('code').limit(1).executeTakeFirst();
  if (!any) {
    await ctx.db.transaction().execute((trx) => seedReferenceData({ ...ctx, db: trx }));
    const n = await ctx.db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`motcua: đã nạp đơn vị, lịch, danh mục / units, calendar and catalog seeded (${n.n} thủ tục / procedures)`);
    seeded = true;
    if (!ctx.config.demo && process.env.MOTCUA_ADMIN_PASSWORD) {
      await ctx.db
        .insertInto('users')
        .values({ username: 'admin', password_hash: await hashPassword(process.env.MOTCUA_ADMIN_PASSWORD), role: 'admin', unit_code: 'H15', full_name: 'Quản trị hệ thống' })
        .onConflict((oc) => oc.column('username').doNothing())
        .execute();
    }
  }
  if (ctx.config.demo) {
    const mark = await ctx.db.selectFrom('settings').select('key').where('key', '=', DEMO_MARK).executeTakeFirst();
    if (!mark) {
      await seedStaff(ctx.db, DEMO_PASSWORD);
      if (ctx.config.demoDossiers > 0) {
        const have = await ctx.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const todo = Math.max(0, ctx.config.demoDossiers - Number(have.n));
        if (todo > 0) {
          const r = await simulateDossiers(ctx, { dossiers: todo, days: ctx.config.demoDays, onProgress: opts.onProgress });
          console.log(`motcua: ${r.dossiers} hồ sơ mô phỏng / simulated dossiers, ${r.actions} thao tác / actions, ${(r.ms / 1000).toFixed(1)} s`);
        }
      }
      await ctx.db.insertInto('settings').values({ key: DEMO_MARK, value: JSON.stringify({ at: new Date().toISOString() }) }).execute();
      seeded = true;
    }
  }
  if (seeded) console.log(`motcua: dữ liệu ban đầu xong trong / first-start data in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return seeded;
}
