/**
 * Who is acting, and where: a role and a jurisdiction (a unit and its subtree).
 * Scope checks are pure so every use case can call them and tests can cover them exhaustively.
 */
import type { Role } from '../platform/db-types.js';

export type { Role };

export interface Actor {
  userId: number;
  role: Role;
  fullName: string;
  /** Root of the jurisdiction (staff); null for citizens. */
  unitCode: string | null;
  /** Materialised path of that unit, e.g. /VN/H15/H15.001/. */
  unitPath: string | null;
  /** Kind of that unit and its parent (a desk officer at a desk receives for the unit above it). */
  unitKind?: string | null;
  unitParent?: string | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
}

export const STAFF_ROLES: readonly Role[] = ['desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin'];

export function isStaff(actor: Actor | null | undefined): actor is Actor {
  return !!actor && STAFF_ROLES.includes(actor.role);
}

/** True when the unit at `unitPath` is the actor's unit or below it. */
export function inJurisdiction(actor: Actor, unitPath: string): boolean {
  return !!actor.unitPath && unitPath.startsWith(actor.unitPath);
}

/** A "system" actor for jobs (recomputing appointments, imports). */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  role: 'admin',
  fullName: 'Hệ thống / System',
  unitCode: null,
  unitPath: '/',
  idNumber: null,
  phone: null,
  email: null,
};
