/**
 * Who may see the leaders' monitoring views, and of which units (issue 5 items 2–4): province
 * leaders and admins their province, unit leaders their own unit's subtree; everyone else 403.
 * A view has a root unit (default: the actor's own) and rows: the root as the total, then its
 * children (a province: departments, then wards and communes; the nation: provinces). Every
 * unit below the root counts in the row of the child it lies under, so the rows add up to the
 * total (the root's own dossiers, if any, count in the total only).
 */
import { sql } from 'kysely';
import { inJurisdiction, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { forbidden, notFound } from '../platform/errors.js';
import type { UnitsTable } from '../platform/db-types.js';

/** Up to this many units outside a scope are listed (MonitoringScope.outside). */
const OUTSIDE_MAX = 50;

export const MONITORING_ROLES = ['province_leader', 'unit_leader', 'admin'] as const;

export interface ScopeUnit {
  code: string;
  name: string;
  nameEn: string | null;
  kind: UnitsTable['kind'];
  path: string;
}

export interface MonitoringScope {
  root: ScopeUnit;
  /** The root and every unit below it. */
  units: ScopeUnit[];
  /** The rows: the root first, then its children other than desks. */
  rows: ScopeUnit[];
  /** Unit code → code of the row it counts in (besides the root's total). */
  rowOf: Map<string, string>;
  /**
   * The units of the database outside the scope when there are few of them (a province leader of a
   * one-province deployment: the nation above it), else null: the aggregates are then read with a
   * condition against these few instead of the many inside (flows.ts FlowFilter.outside).
   */
  outside: string[] | null;
}

const KIND_ORDER: Record<string, number> = { nation: 0, province: 1, department: 2, ward: 3, commune: 4, desk: 5 };

export function checkMonitoringRole(actor: Actor): void {
  if (!(MONITORING_ROLES as readonly string[]).includes(actor.role) || !actor.unitCode) {
    throw forbidden('Monitoring is for province and unit leaders.', 'Chức năng theo dõi, điều hành dành cho lãnh đạo tỉnh và lãnh đạo đơn vị.');
  }
}

export async function monitoringScope(ctx: AppContext, actor: Actor, unitCode?: string): Promise<MonitoringScope> {
  checkMonitoringRole(actor);
  const code = unitCode ?? actor.unitCode!;
  // One round trip: the root's subtree (the root first by path) and, on the root's row only, the
  // units outside it when there are at most OUTSIDE_MAX of them.
  const all = await sql<{ code: string; name: string; name_en: string | null; kind: UnitsTable['kind']; path: string; outside: string[] | null }>`
      with r as (select path from units where code = ${code}),
           o as (select array(select o.code from units o, r where not starts_with(o.path, r.path) order by o.code limit ${OUTSIDE_MAX + 1}) as outside)
      select u.code, u.name, u.name_en, u.kind, u.path, case when u.code = ${code} then o.outside end as outside
        from r join units u on starts_with(u.path, r.path) cross join o
       order by u.path`.execute(ctx.db);
  const root = all.rows.find((u) => u.code === code);
  if (!root) throw notFound('Unit', 'đơn vị', code);
  if (!inJurisdiction(actor, root.path)) {
    throw forbidden(`Unit ${code} is outside your jurisdiction.`, `Đơn vị ${code} nằm ngoài phạm vi của bạn.`);
  }
  const units: ScopeUnit[] = all.rows.map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en, kind: u.kind, path: u.path }));
  const rootUnit = units.find((u) => u.code === root.code)!;
  const children = units
    .filter((u) => u.code !== root.code && u.kind !== 'desk' && u.path.slice(root.path.length).split('/').length === 2)
    .sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const childCodes = new Set(children.map((c) => c.code));
  const rowOf = new Map<string, string>();
  for (const u of units) {
    if (u.code === root.code) continue;
    const first = u.path.slice(root.path.length).split('/')[0]!;
    if (childCodes.has(first)) rowOf.set(u.code, first);
  }
  const outside = root.outside && root.outside.length <= OUTSIDE_MAX ? root.outside : null;
  return { root: rootUnit, units, rows: [rootUnit, ...children], rowOf, outside };
}

/** The codes of a unit and its subtree, within a scope. */
export function subtreeCodes(scope: MonitoringScope, unit: ScopeUnit): string[] {
  return scope.units.filter((u) => u.path.startsWith(unit.path)).map((u) => u.code);
}
