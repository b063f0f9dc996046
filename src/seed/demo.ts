/**
 * First start: an empty database gets the reference data (units, holiday table, catalog); in demo
 * mode also the demo staff accounts and simulated dossiers. Outside demo mode an administrator
 * account is created only when MOTCUA_ADMIN_PASSWORD is given.
 */
import type { AppContext } from '../platform/context.js';
import { hashPassword } from '../identity/passwords.js';
import { seedReferenceData } from './reference.js';
import { simulateDossiers } from './simulate.js';

/** Published demo password of every demo staff account (README). */
export const DEMO_PASSWORD = 'motcua-demo';

export async function seedIfEmpty(ctx: AppContext, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<boolean> {
  const any = await ctx.db.selectFrom('units').select('code').limit(1).executeTakeFirst();
  if (any) return false;
  const t0 = Date.now();
  await seedReferenceData(ctx, ctx.config.demo ? { passwordForAll: DEMO_PASSWORD } : {});
  if (ctx.config.demo) {
    if (ctx.config.demoDossiers > 0) {
      const r = await simulateDossiers(ctx, { dossiers: ctx.config.demoDossiers, days: ctx.config.demoDays, onProgress: opts.onProgress });
      console.log(`motcua: ${r.dossiers} hồ sơ mô phỏng / simulated dossiers, ${r.actions} thao tác / actions, ${(r.ms / 1000).toFixed(1)} s`);
    }
  } else if (process.env.MOTCUA_ADMIN_PASSWORD) {
    await ctx.db
      .insertInto('users')
      .values({ username: 'admin', password_hash: await hashPassword(process.env.MOTCUA_ADMIN_PASSWORD), role: 'admin', unit_code: 'H15', full_name: 'Quản trị hệ thống' })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
  }
  console.log(`motcua: dữ liệu ban đầu xong trong / first-start data in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}
