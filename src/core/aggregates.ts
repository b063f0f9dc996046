/**
 * What one dossier action changes in the monitoring aggregates (issue 5 §1): the daily flows per
 * unit × day × procedure × channel (received, settled early / on time / late, processing time,
 * supplement requests, apologies) and the open dossiers per unit × procedure × channel × due day
 * (from which "overdue now" and "due in the next 2 working days" are sums over a few rows).
 *
 * The same pure functions serve both ways of maintaining them, so they cannot disagree:
 * - incrementally, as each action is written: `aggStateOf(before)` → `aggStateOf(after)`;
 * - by a rebuild from the action log alone: `aggStateAfter(previous, action row)` folds the
 *   rows of a dossier in order. The machine records in each action what the fold needs (the
 *   legal appointment whenever it moves; timeliness and processing time when a dossier settles).
 *
 * Attribution: every count goes to the dossier's deciding unit (the unit that settles it; equal
 * to the receiving unit except for no-boundary and inter-agency procedures), so that for every
 * unit received = settled + pending, as forms II.06a/II.07a require (domain.md §7).
 * Days are local dates (Vietnam time) of the action.
 */
import { dateOfDayNumber, localDayIndex } from './calendar.js';
import type { FinishedTimeliness } from './timeliness.js';

/** Where a dossier stands for the aggregates. */
export interface AggState {
  /** Received by a desk (counted in "received"). */
  received: boolean;
  /** Received and not settled: counted among the open dossiers. */
  open: boolean;
  /** Local date (YYYY-MM-DD) of the legal appointment; null without one. */
  dueDay: string | null;
}

export const NOT_RECEIVED: AggState = Object.freeze({ received: false, open: false, dueDay: null });

/** Statuses in which a received dossier is still open. */
const OPEN_AFTER_RECEIPT = new Set([2, 4, 5, 6]);

/** The fields of an action (row or decision record) the aggregates read. */
export interface ActionFacts {
  type: string;
  at: Date;
  toStatus: number;
  payload: Readonly<Record<string, unknown>>;
}

/** One row's worth of flow counts (all additive). */
export interface FlowCounts {
  received: number;
  settledEarly: number;
  settledOnTime: number;
  settledLate: number;
  /** Working milliseconds from receipt to settlement, minus supplement waits (sum over settled). */
  settledWorkingMs: number;
  supplementRequests: number;
  apologies: number;
}

export const FLOW_KEYS: ReadonlyArray<keyof FlowCounts> = [
  'received',
  'settledEarly',
  'settledOnTime',
  'settledLate',
  'settledWorkingMs',
  'supplementRequests',
  'apologies',
];

export const zeroFlow = (): FlowCounts => ({ received: 0, settledEarly: 0, settledOnTime: 0, settledLate: 0, settledWorkingMs: 0, supplementRequests: 0, apologies: 0 });

export interface AggDeltas {
  /** Flow counts for the local day of the action; null when the action moves none. */
  flow: { day: string; counts: FlowCounts } | null;
  /** Changes to the open-dossier counts by due day (at most one -1 and one +1). */
  pending: Array<{ dueDay: string | null; delta: 1 | -1 }>;
}

/** Local date (YYYY-MM-DD) of an instant at a UTC offset. */
export function localDay(instant: Date, utcOffsetMinutes: number): string {
  return dateOfDayNumber(localDayIndex(instant, utcOffsetMinutes));
}

/** The aggregate state of a dossier state (incremental path). */
export function aggStateOf(
  s: { receivedAt: Date | null; finishedAt: Date | null; legalAppointmentAt: Date | null },
  utcOffsetMinutes: number,
): AggState {
  if (!s.receivedAt) return NOT_RECEIVED;
  return {
    received: true,
    open: s.finishedAt === null,
    dueDay: s.legalAppointmentAt ? localDay(s.legalAppointmentAt, utcOffsetMinutes) : null,
  };
}

/** The aggregate state after an action, from the action row alone (rebuild path). */
export function aggStateAfter(prev: AggState, a: ActionFacts, utcOffsetMinutes: number): AggState {
  const received = prev.received || a.type === 'receive';
  if (!received) return NOT_RECEIVED;
  let dueDay = prev.dueDay;
  if ('legalAppointmentAt' in a.payload) {
    const v = a.payload.legalAppointmentAt;
    dueDay = typeof v === 'string' ? localDay(new Date(v), utcOffsetMinutes) : null;
  }
  // Once settled a dossier never reopens (forward of a finished dossier keeps status 9).
  const open = (prev.received ? prev.open : true) && OPEN_AFTER_RECEIPT.has(a.toStatus);
  return { received: true, open, dueDay };
}

/** What the action changes, given the aggregate states before and after it. */
export function deltasOf(before: AggState, after: AggState, a: ActionFacts, utcOffsetMinutes: number): AggDeltas {
  const counts = zeroFlow();
  let moved = false;
  if (!before.received && after.received) {
    counts.received = 1;
    moved = true;
  }
  if (before.open && !after.open) {
    const t = a.payload.timeliness as FinishedTimeliness | undefined;
    if (t === 'early') counts.settledEarly = 1;
    else if (t === 'late') counts.settledLate = 1;
    else counts.settledOnTime = 1;
    const ms = a.payload.processingWorkingMs;
    counts.settledWorkingMs = typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0;
    moved = true;
  }
  if (a.type === 'request_supplement' && before.received) {
    counts.supplementRequests = 1;
    moved = true;
  }
  if (a.type === 'apologize') {
    counts.apologies = 1;
    moved = true;
  }
  const pending: AggDeltas['pending'] = [];
  const same = before.open && after.open && before.dueDay === after.dueDay;
  if (!same) {
    if (before.open) pending.push({ dueDay: before.dueDay, delta: -1 });
    if (after.open) pending.push({ dueDay: after.dueDay, delta: 1 });
  }
  return { flow: moved ? { day: localDay(a.at, utcOffsetMinutes), counts } : null, pending };
}
