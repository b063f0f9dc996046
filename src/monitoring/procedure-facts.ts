/**
 * Facts of the Decision 766 index that are not dossier flows (issue 5 item 7):
 * - per row of units, the procedures they carry out (items 3.1, 4.2, 4.3): from the catalog
 *   (~2,200 procedures) and, for 4.2, the procedures with a dossier paid online in the period
 *   (flag aggregates). Not additive: a procedure carried out by two communes counts once for a
 *   row holding both;
 * - per unit, the complaints due in the period and those answered on time (item 6.1), from the
 *   complaints table (a few per thousand dossiers), by its index on the unit.
 *
 * In scope of a unit: a commune or ward carries out the commune-level procedures (all of them, or
 * those naming it among their implementing units when some are named); a department or the
 * provincial centre the provincial procedures naming it. Offered online: online level partial or
 * full. With a fee: a case of the procedure has a fee rule other than free. Set up for online
 * payment: with a fee and offered online (motcua takes payment online for every such procedure).
 */
import { sql, type RawBuilder } from 'kysely';
import { dateOfDayNumber, dayNumberOf } from '../core/calendar.js';
import type { ProcedureFacts } from './cells.js';
import { startOfVietnamDay, type Period } from './period.js';
import type { ScopeUnit } from './scope.js';

interface CatalogProcedure {
  /** Its position in the catalog read (readProcedureFacts marks the procedures counted by it). */
  index: number;
  code: string;
  level: 'province' | 'commune';
  implementingUnits: readonly string[];
  online: boolean;
  withFee: boolean;
}

export interface CatalogRow {
  code: string;
  level: 'province' | 'commune';
  implementing_units: string[];
  online: boolean;
  with_fee: boolean;
}

/** The active procedures of the catalog (of a field), as readProcedureFacts reads them. */
export function catalogQuery(field?: string): RawBuilder<CatalogRow> {
  return sql<CatalogRow>`
      select p.code, p.level, p.implementing_units, p.online_level <> 'none' as online,
             exists (select 1 from procedure_cases c where c.procedure_code = p.code and coalesce(c.fee->>'kind', 'free') <> 'free') as with_fee
        from procedures p
       where p.active${field ? sql` and p.field_code = ${field}` : sql``}`;
}

const catalogOf = (rows: readonly CatalogRow[]): CatalogProcedure[] =>
  rows.map((p, index) => ({ index, code: p.code, level: p.level, implementingUnits: p.implementing_units, online: p.online, withFee: p.with_fee }));

/** The procedures a unit carries out (codes), by the rule in the module comment. */
export function proceduresOfUnit(u: Pick<ScopeUnit, 'code' | 'kind'>, procs: readonly CatalogProcedure[]): CatalogProcedure[] {
  if (u.kind === 'commune' || u.kind === 'ward' || u.kind === 'desk') {
    return procs.filter((p) => p.level === 'commune' && (p.implementingUnits.length === 0 || p.implementingUnits.includes(u.code)));
  }
  if (u.kind === 'department') return procs.filter((p) => p.level === 'province' && p.implementingUnits.includes(u.code));
  return [];
}

/**
 * Procedure facts per row from the catalog's rows and the procedures paid online per unit:
 * `members` maps each row's code to the units it stands for (the unit itself and its subtree). A
 * province or nation row holds every procedure of its units.
 */
export function readProcedureFacts(catalogRows: readonly CatalogRow[], paid: ReadonlyMap<string, ReadonlySet<string>>, members: ReadonlyMap<string, readonly ScopeUnit[]>): Map<string, ProcedureFacts> {
  const procs = catalogOf(catalogRows);
  // Units of the same kind with no named procedures share one list: computed once per kind.
  const byUnit = new Map<string, CatalogProcedure[]>();
  const named = new Set(procs.flatMap((p) => p.implementingUnits));
  const byKind = new Map<string, CatalogProcedure[]>();
  const listOf = (u: ScopeUnit) => {
    let l = byUnit.get(u.code);
    if (l) return l;
    if (!named.has(u.code) && u.kind !== 'department') {
      l = byKind.get(u.kind);
      if (!l) byKind.set(u.kind, (l = proceduresOfUnit(u, procs)));
    } else l = proceduresOfUnit(u, procs);
    byUnit.set(u.code, l);
    return l;
  };
  const out = new Map<string, ProcedureFacts>();
  // A procedure carried out by several units of a row counts once: marked with the row's number.
  const counted = new Uint32Array(procs.length);
  // Units of one kind share their list: each list is gone through once per row.
  const listDone = new Map<CatalogProcedure[], number>();
  let rowNo = 0;
  for (const [row, units] of members) {
    rowNo++;
    const f: ProcedureFacts = { inScope: 0, online: 0, withFee: 0, withOnlinePayment: 0, withOnlinePaymentSetUp: 0 };
    let paidHere: ReadonlySet<string> = NONE;
    if (units.length === 1) paidHere = paid.get(units[0]!.code) ?? NONE;
    else if (units.some((u) => paid.has(u.code))) {
      const union = new Set<string>();
      for (const u of units) for (const c of paid.get(u.code) ?? NONE) union.add(c);
      paidHere = union;
    }
    for (const u of units) {
      const list = listOf(u);
      if (listDone.get(list) === rowNo) continue;
      listDone.set(list, rowNo);
      for (const p of list) {
        if (counted[p.index] === rowNo) continue;
        counted[p.index] = rowNo;
        f.inScope++;
        if (p.online) f.online++;
        if (p.withFee) {
          f.withFee++;
          if (p.online) f.withOnlinePaymentSetUp++;
          if (paidHere.has(p.code)) f.withOnlinePayment++;
        }
      }
    }
    out.set(row, f);
  }
  return out;
}

const NONE: ReadonlySet<string> = new Set();

export interface ComplaintRow {
  unit_code: string;
  due: string | number;
  on_time: string | number;
}

/** Complaints due in the period (answered, or past due by `now`) and those answered on time, per unit. */
export function complaintQuery(now: Date, period: Pick<Period, 'from' | 'to'>, units: readonly string[], field?: string): RawBuilder<ComplaintRow> {
  const from = startOfVietnamDay(period.from);
  const to = startOfVietnamDay(dateOfDayNumber(dayNumberOf(period.to) + 1));
  return sql<ComplaintRow>`
      select c.unit_code, count(*) as due, count(*) filter (where c.answered_on_time) as on_time
        from complaints c
       where c.unit_code = any(${[...units]}::text[])
         and c.due_at >= ${from} and c.due_at < ${to}
         and (c.status = 'answered' or c.due_at < ${now})
         ${field ? sql`and exists (select 1 from dossiers d join procedures p on p.code = d.procedure_code where d.id = c.dossier_id and p.field_code = ${field})` : sql``}
       group by 1`;
}

export function readComplaints(rows: readonly ComplaintRow[]): Map<string, { complaints: number; onTime: number }> {
  const out = new Map<string, { complaints: number; onTime: number }>();
  for (const row of rows) out.set(row.unit_code, { complaints: Number(row.due), onTime: Number(row.on_time) });
  return out;
}
