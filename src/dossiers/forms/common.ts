/**
 * What the notices of Circular 03/2025/TT-VPCP, Annex I (forms 2–7) share: the issuing body as it
 * appears in the header, the dossier's names, the action log with the officials' names, and the
 * Vietnamese labels for steps and timeliness. Form 1 (the receipt) is in ../receipt.ts.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { DB } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import type { ScopedDossierRow } from '../repository.js';

export interface Issuer {
  unitCode: string;
  /** Line above the body's name (its People's Committee), or null. */
  parentName: string | null;
  /** The issuing body: the public administrative service centre of a commune/ward, or the unit. */
  name: string;
  unitName: string;
  /** Place in the "place, date" line: the province for units directly under it. */
  place: string;
}

/** The issuing body, as on form 1: a commune or ward issues through its service centre. */
export async function loadIssuer(db: Kysely<DB>, unitCode: string): Promise<Issuer> {
  const unit = await db
    .selectFrom('units as u')
    .leftJoin('units as p', 'p.code', 'u.parent_code')
    .select(['u.code', 'u.name', 'u.kind', 'p.name as parent_name', 'p.kind as parent_kind'])
    .where('u.code', '=', unitCode)
    .executeTakeFirstOrThrow();
  const local = unit.kind === 'ward' || unit.kind === 'commune';
  return {
    unitCode: unit.code,
    parentName: local ? `Ủy ban nhân dân ${unit.name}` : unit.parent_name ? `Ủy ban nhân dân ${unit.parent_name}` : null,
    name: local ? 'Trung tâm Phục vụ hành chính công' : unit.name,
    unitName: unit.name,
    place: (unit.parent_kind === 'province' && unit.parent_name ? unit.parent_name : unit.name).replace(/^(Tỉnh|Thành phố)\s+/, ''),
  };
}

/** "Trung tâm Phục vụ hành chính công Phường Buôn Ma Thuột" / "Sở Tư pháp": the body in running text. */
export const issuerInText = (i: Issuer) => (i.name === i.unitName ? i.name : `${i.name} ${i.unitName}`);

export interface LoggedAction {
  seq: number;
  type: string;
  at: Date;
  actorId: number | null;
  actorName: string | null;
  actorRole: string;
  fromUnit: string | null;
  toUnit: string | null;
  fromStep: string | null;
  toStep: string | null;
  stepTimeliness: 'early' | 'on_time' | 'late' | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** The dossier's action log in order, with the names of the officials (users) who acted. */
export async function loadLoggedActions(db: Kysely<DB>, dossierId: number, types?: readonly string[]): Promise<LoggedAction[]> {
  let q = db
    .selectFrom('dossier_actions as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.seq', 'a.type', 'a.at', 'a.actor_id', 'u.full_name', 'a.actor_role', 'a.from_unit', 'a.to_unit', 'a.from_step', 'a.to_step', 'a.step_timeliness', 'a.reason', 'a.payload'])
    .where('a.dossier_id', '=', dossierId);
  if (types?.length) q = q.where('a.type', 'in', [...types]);
  const rows = await q.orderBy('a.seq').execute();
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type,
    at: r.at,
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorName: r.full_name,
    actorRole: r.actor_role,
    fromUnit: r.from_unit,
    toUnit: r.to_unit,
    fromStep: r.from_step,
    toStep: r.to_step,
    stepTimeliness: r.step_timeliness,
    reason: r.reason,
    payload: r.payload ?? {},
  }));
}

/** Names of users by id (one query). */
export async function userNames(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)].filter((n) => Number.isInteger(n) && n > 0);
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'full_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [Number(r.id), r.full_name]));
}

/** Names of units by code (one query). */
export async function unitNames(db: Kysely<DB>, codes: readonly (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes.filter((c): c is string => !!c))];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('units').select(['code', 'name']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The procedure steps configured in the catalog (desk|specialist|leader|signing|return). */
export const STEP_NAMES: Record<string, { vi: string; en: string }> = {
  desk: { vi: 'Bộ phận Một cửa (tiếp nhận)', en: 'One-stop desk (receipt)' },
  specialist: { vi: 'Chuyên viên thụ lý', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo xem xét', en: 'Unit leader' },
  signing: { vi: 'Ký duyệt kết quả', en: 'Signing' },
  return: { vi: 'Bộ phận Một cửa (trả kết quả)', en: 'One-stop desk (return)' },
};
export const stepName = (s: string | null) => (s ? (STEP_NAMES[s]?.vi ?? s) : '');

export const TIMELINESS_VI: Record<string, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
  within_limit: 'Trong hạn',
  overdue: 'Quá hạn (chưa giải quyết)',
};

/** "02/03/2026 09:00" in Vietnam time (tables, where "ngày … tháng … năm …" is too long). */
export function shortDateTime(d: Date | null, utcOffsetMinutes = 420): string {
  if (!d) return '';
  const l = new Date(d.getTime() + utcOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(l.getUTCDate())}/${p(l.getUTCMonth() + 1)}/${l.getUTCFullYear()} ${p(l.getUTCHours())}:${p(l.getUTCMinutes())}`;
}

/** 404 with a bilingual message: the dossier exists and is visible, but this form does not apply (yet). */
export function formNotApplicable(formVi: string, formEn: string, code: string, whyVi: string, whyEn: string): AppError {
  return new AppError(404, 'form_not_applicable', `${formEn} does not apply to dossier ${code}: ${whyEn}.`, `${formVi} không áp dụng cho hồ sơ ${code}: ${whyVi}.`);
}

/** What every dossier form's data starts with. */
export async function dossierBasics(ctx: AppContext, row: ScopedDossierRow) {
  const issuer = await loadIssuer(ctx.db, row.receiving_unit);
  return {
    demo: ctx.config.demo,
    code: row.code,
    issuer,
    applicant: { name: row.applicant_name, idNumber: row.applicant_id_number, address: row.applicant_address, phone: row.applicant_phone },
    procedure: { code: row.procedure_code, name: row.procedure_name },
    receivedAt: row.received_at,
    submittedAt: row.submitted_at,
    appointmentAt: row.appointment_at,
  };
}

export type DossierBasics = Awaited<ReturnType<typeof dossierBasics>>;
