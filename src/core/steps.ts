/**
 * Which processing steps each staff role works at: the "at my step" work queue shows an official
 * the dossiers of their unit whose current step is one of theirs. A procedure's steps are data
 * (procedures.steps; the catalog's are desk → specialist → leader → return, some skip the
 * specialist), so the mapping is by step name:
 *
 *   desk        the one-stop desk checks and receives            → desk officer
 *   specialist  the specialist examines the dossier               → specialist
 *   leader      the unit leader approves                          → unit leader
 *   signing     the result is signed (domain flow "… → signing → desk"; only leaders finish)
 *                                                                  → unit leader
 *   return      the desk hands the result back (a finished dossier waits here)
 *                                                                  → desk officer
 *
 * A step name outside this table (an administrator may configure one) is nobody's "my step"; the
 * dossier still shows in the unit's other queues.
 */
import type { Role, StatusCode } from './dossier-machine.js';

export const ROLE_STEPS = {
  desk_officer: ['desk', 'return'],
  specialist: ['specialist'],
  unit_leader: ['leader', 'signing'],
} as const satisfies Partial<Record<Role, readonly string[]>>;

/**
 * Statuses in which a dossier waits for the official at its current step: received (2), being
 * processed (4), and finished (9, waiting at the desk's return step). Submitted (1) has its own
 * queue (awaiting receipt); 5 and 6 wait for the applicant, not for an official.
 */
export const AT_STEP_STATUSES: readonly StatusCode[] = [2, 4, 9];

/** The steps `role` works at; none for citizens, province leaders and administrators (they watch). */
export function stepsWorkedBy(role: Role): readonly string[] {
  return (ROLE_STEPS as Partial<Record<Role, readonly string[]>>)[role] ?? [];
}

/** The role that works at `step`, or null for a step no role works at. */
export function roleAtStep(step: string): Role | null {
  for (const [role, steps] of Object.entries(ROLE_STEPS) as Array<[Role, readonly string[]]>) {
    if (steps.includes(step)) return role;
  }
  return null;
}
