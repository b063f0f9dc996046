/**
 * The unit hierarchy (nation > province > department | ward/commune > desk) and the Đắk Lắk seed.
 * Unit names are public facts (Resolution 1660/NQ-UBTVQH15); the codes below H15 are motcua's own
 * because official ones were not found (see data/dak-lak-units.json).
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { DB, UnitsTable } from '../platform/db-types.js';
import { foldVietnamese } from '../core/text.js';

const require = createRequire(import.meta.url);
const UNITS = require('./data/dak-lak-units.json') as {
  province: { name: string; code: string };
  wards: string[];
  communes: string[];
  departments: string[];
  departmentsVerified: boolean;
};

export type UnitRow = Omit<UnitsTable, 'verified' | 'active'> & { verified: boolean };

function titleEn(name: string, prefix: string, suffix: string): string {
  const rest = name.slice(prefix.length).trim();
  const ascii = foldVietnamese(rest).replace(/\b\w/g, (c) => c.toUpperCase());
  return `${ascii} ${suffix}`;
}

export const PROVINCE_CENTRE_SUFFIX = '.TT';

/** All units of the Đắk Lắk demo, parents before children. */
export function dakLakUnits(): UnitRow[] {
  const p = UNITS.province.code;
  const rows: UnitRow[] = [
    { code: 'VN', parent_code: null, kind: 'nation', name: 'Việt Nam', name_en: 'Viet Nam', path: '/VN/', verified: true },
    { code: p, parent_code: 'VN', kind: 'province', name: `Tỉnh ${UNITS.province.name}`, name_en: 'Dak Lak Province', path: `/VN/${p}/`, verified: true },
    {
      code: `${p}${PROVINCE_CENTRE_SUFFIX}`,
      parent_code: p,
      kind: 'department',
      name: `Trung tâm Phục vụ hành chính công tỉnh ${UNITS.province.name}`,
      name_en: 'Provincial Public Administrative Service Centre',
      path: `/VN/${p}/${p}${PROVINCE_CENTRE_SUFFIX}/`,
      verified: true,
    },
  ];
  UNITS.departments.forEach((name, i) => {
    const code = `${p}.S${String(i + 1).padStart(2, '0')}`;
    rows.push({ code, parent_code: p, kind: 'department', name, name_en: null, path: `/VN/${p}/${code}/`, verified: UNITS.departmentsVerified });
  });
  const local: Array<[string, 'ward' | 'commune']> = [
    ...UNITS.wards.map((n) => [n, 'ward'] as [string, 'ward']),
    ...UNITS.communes.map((n) => [n, 'commune'] as [string, 'commune']),
  ];
  local.forEach(([name, kind], i) => {
    const code = `${p}.${String(i + 1).padStart(3, '0')}`;
    const nameEn = kind === 'ward' ? titleEn(name, 'Phường', 'Ward') : titleEn(name, 'Xã', 'Commune');
    rows.push({ code, parent_code: p, kind, name, name_en: nameEn, path: `/VN/${p}/${code}/`, verified: true });
  });
  // One one-stop desk per commune/ward and at the provincial centre.
  for (const r of rows.filter((u) => u.kind === 'ward' || u.kind === 'commune' || u.code.endsWith(PROVINCE_CENTRE_SUFFIX))) {
    const code = `${r.code}.MC`;
    rows.push({
      code,
      parent_code: r.code,
      kind: 'desk',
      name: `Bộ phận Một cửa – ${r.name}`,
      name_en: `One-stop desk – ${r.name_en ?? r.name}`,
      path: `${r.path}${code}/`,
      verified: true,
    });
  }
  return rows;
}

export async function seedUnits(db: Kysely<DB>, rows = dakLakUnits()): Promise<number> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('units')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          verified: eb.ref('excluded.verified'),
        })),
      )
      .execute();
  }
  return rows.length;
}
