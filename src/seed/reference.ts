/**
 * Reference data every installation needs, seeded idempotently: the Đắk Lắk units, the default
 * holiday table (marked "to verify"), the procedure catalog, and — in demo and test — staff
 * accounts for a few units.
 */
import type { Kysely } from 'kysely';
import { seedFaq } from '../assistant/faq-seed.js';
import { seedCatalog } from '../catalog/seed.js';
import { seedUnits } from '../catalog/units.js';
import { DEFAULT_HOLIDAYS } from '../core/holidays-default.js';
import type { AppContext } from '../platform/context.js';
import type { DB, Role } from '../platform/db-types.js';
import { hashPassword } from '../identity/passwords.js';

export interface DemoStaff {
  username: string;
  role: Role;
  unitCode: string;
  fullName: string;
}

/** Demo staff accounts (simulated people), listed in the README. */
export const DEMO_STAFF: DemoStaff[] = [
  { username: 'admin', role: 'admin', unitCode: 'H15', fullName: 'Quản trị hệ thống (mô phỏng)' },
  { username: 'lanhdao.tinh', role: 'province_leader', unitCode: 'H15', fullName: 'Lãnh đạo UBND tỉnh (mô phỏng)' },
  // Phường Buôn Ma Thuột
  { username: 'motcua.bmt', role: 'desk_officer', unitCode: 'H15.001', fullName: 'Nguyễn Thị Một Cửa (mô phỏng)' },
  { username: 'chuyenvien.bmt', role: 'specialist', unitCode: 'H15.001', fullName: 'Trần Văn Chuyên Viên (mô phỏng)' },
  { username: 'lanhdao.bmt', role: 'unit_leader', unitCode: 'H15.001', fullName: 'Lê Văn Lãnh Đạo (mô phỏng)' },
  // Xã Hòa Phú
  { username: 'motcua.hoaphu', role: 'desk_officer', unitCode: 'H15.015', fullName: 'Phạm Thị Hòa (mô phỏng)' },
  { username: 'chuyenvien.hoaphu', role: 'specialist', unitCode: 'H15.015', fullName: 'Võ Văn Phú (mô phỏng)' },
  { username: 'lanhdao.hoaphu', role: 'unit_leader', unitCode: 'H15.015', fullName: 'Đặng Văn Xã (mô phỏng)' },
  // Provincial public administrative service centre and the Department of Justice
  { username: 'motcua.tinh', role: 'desk_officer', unitCode: 'H15.TT', fullName: 'Bùi Thị Trung Tâm (mô phỏng)' },
  { username: 'chuyenvien.stp', role: 'specialist', unitCode: 'H15.S02', fullName: 'Hồ Văn Tư Pháp (mô phỏng)' },
  { username: 'lanhdao.stp', role: 'unit_leader', unitCode: 'H15.S02', fullName: 'Ngô Thị Giám Đốc (mô phỏng)' },
];

export async function seedCalendar(db: Kysely<DB>): Promise<void> {
  await db
    .insertInto('calendar_days')
    .values(
      DEFAULT_HOLIDAYS.map((h) => ({ date: h.date, kind: h.kind, name: h.name, name_en: h.nameEn, verified: h.verified })),
    )
    .onConflict((oc) => oc.column('date').doNothing())
    .execute();
}

export async function seedStaff(db: Kysely<DB>, password: string, staff = DEMO_STAFF): Promise<void> {
  // One hash for all demo accounts: they share the published demo password anyway.
  const hashed = await hashPassword(password);
  await db
    .insertInto('users')
    .values(
      staff.map((s) => ({
        username: s.username,
        password_hash: hashed,
        role: s.role,
        unit_code: s.unitCode,
        full_name: s.fullName,
        email: `${s.username}@demo.motcua.vn`,
      })),
    )
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
}

export async function seedReferenceData(ctx: AppContext, opts: { passwordForAll?: string } = {}): Promise<void> {
  await seedUnits(ctx.db);
  await seedCalendar(ctx.db);
  await seedCatalog(ctx.db);
  await seedFaq(ctx.db);
  if (opts.passwordForAll) await seedStaff(ctx.db, opts.passwordForAll);
}
