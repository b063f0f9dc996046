/**
 * Timeliness classification of dossiers (for reports and the process control
 * sheet). Pure: all instants are passed in.
 *
 * Finished dossiers are compared to their appointment by LOCAL DATE (Vietnam
 * time): anything finished on the appointment day is on time, even after the
 * appointment's hour, because the appointment is a day promised to the citizen.
 */
import { localDayIndex } from './calendar.js';

export type FinishedTimeliness = 'early' | 'on_time' | 'late';
export type PendingTimeliness = 'within_limit' | 'overdue';

/**
 * For procedures without an appointment: working time used (elapsed working
 * time minus time spent waiting for supplements, computed by the caller) and
 * the legal limit, both in working milliseconds.
 */
export interface NoAppointmentUsage {
  usedWorkingMs: number;
  limitWorkingMs: number;
}

function compareLocalDates(a: Date, b: Date, utcOffsetMinutes: number): FinishedTimeliness {
  const da = localDayIndex(a, utcOffsetMinutes);
  const db = localDayIndex(b, utcOffsetMinutes);
  if (da < db) return 'early';
  if (da === db) return 'on_time';
  return 'late';
}

/**
 * - More than one supplement request → 'late', regardless of dates.
 * - With an appointment: finished before the appointment's local date → 'early';
 *   on it → 'on_time'; after it → 'late'.
 * - Without an appointment: 'on_time' if usedWorkingMs <= limitWorkingMs, else
 *   'late' (never 'early'). If no usage is given either (procedure with no time
 *   limit at all), nothing can be breached → 'on_time'.
 */
export function classifyFinished(input: {
  appointmentAt: Date | null;
  finishedAt: Date;
  supplementRequestCount: number;
  utcOffsetMinutes: number;
  noAppointment?: NoAppointmentUsage;
}): FinishedTimeliness {
  if (input.supplementRequestCount > 1) return 'late';
  if (input.appointmentAt === null) {
    const u = input.noAppointment;
    if (!u) return 'on_time';
    return u.usedWorkingMs <= u.limitWorkingMs ? 'on_time' : 'late';
  }
  return compareLocalDates(input.finishedAt, input.appointmentAt, input.utcOffsetMinutes);
}

/**
 * A dossier still pending at the end of a reporting period:
 * - with an appointment: 'within_limit' if the appointment instant is at or
 *   after the period end, otherwise 'overdue' (instants, not dates);
 * - without one: 'overdue' only if usedWorkingMs > limitWorkingMs.
 */
export function classifyPending(input: {
  appointmentAt: Date | null;
  periodEnd: Date;
  noAppointment?: NoAppointmentUsage;
}): PendingTimeliness {
  if (input.appointmentAt === null) {
    const u = input.noAppointment;
    return u && u.usedWorkingMs > u.limitWorkingMs ? 'overdue' : 'within_limit';
  }
  return input.appointmentAt.getTime() >= input.periodEnd.getTime() ? 'within_limit' : 'overdue';
}

/** Process control sheet: a step's hand-over vs. that step's due instant, by local date. */
export function classifyStep(doneAt: Date, dueAt: Date, utcOffsetMinutes: number): FinishedTimeliness {
  return compareLocalDates(doneAt, dueAt, utcOffsetMinutes);
}
