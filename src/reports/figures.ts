/**
 * The columns of forms II.06a (by unit) and II.07a (by field) from the monitoring sums of one row
 * (domain.md §7). Pure.
 *
 *   received total  (1) = online (2) + in person or by post (3) + carried over (4)
 *   settled total   (5) = early (6) + on time (7) + late (8)
 *   pending total   (9) = within limit (10) + overdue (11)       = (1) − (5)
 *   on-time rate   (12) = ((6) + (7)) ÷ (5) × 100%, 2 decimals; none when (5) = 0
 *
 * "Carried over" = received before the period and not settled before it; "pending" = received by
 * the end of the period and not settled by then. The split of (9) is computed by the caller (see
 * data.ts) and passed in as the overdue count. The on-time rate is the dashboard's own cell
 * (monitoring/cells.ts), so the report and the heatmap cannot round differently.
 */
import { addFacts, cellsOf, zeroFacts, type FlowFacts } from '../monitoring/cells.js';

export interface ReportFigures {
  receivedTotal: number;
  receivedOnline: number;
  /** In person (channel 1) or by the public postal service (channel 3). */
  receivedDirect: number;
  carriedOver: number;
  settledTotal: number;
  settledEarly: number;
  settledOnTime: number;
  settledLate: number;
  pendingTotal: number;
  pendingWithin: number;
  pendingOverdue: number;
  /** Percent, 2 decimals; null when nothing was settled. */
  onTimeRate: number | null;
}

/** The columns in form order (numbered (1)…(12) on the forms). */
export const FIGURE_KEYS: ReadonlyArray<keyof ReportFigures> = [
  'receivedTotal',
  'receivedOnline',
  'receivedDirect',
  'carriedOver',
  'settledTotal',
  'settledEarly',
  'settledOnTime',
  'settledLate',
  'pendingTotal',
  'pendingWithin',
  'pendingOverdue',
  'onTimeRate',
];

/** One row's sums: the flows of the period and how many of its pending dossiers were overdue. */
export interface RowSums {
  facts: FlowFacts;
  overdue: number;
}

export const zeroSums = (): RowSums => ({ facts: zeroFacts(), overdue: 0 });

export function addSums(into: RowSums, s: RowSums): RowSums {
  addFacts(into.facts, s.facts);
  into.overdue += s.overdue;
  return into;
}

export function figuresOf(s: RowSums): ReportFigures {
  const f = s.facts;
  const settledTotal = f.settledEarly + f.settledOnTime + f.settledLate;
  const receivedTotal = f.received + f.carriedOver;
  const pendingTotal = receivedTotal - settledTotal;
  return {
    receivedTotal,
    receivedOnline: f.receivedOnline,
    receivedDirect: f.received - f.receivedOnline,
    carriedOver: f.carriedOver,
    settledTotal,
    settledEarly: f.settledEarly,
    settledOnTime: f.settledOnTime,
    settledLate: f.settledLate,
    pendingTotal,
    pendingWithin: pendingTotal - s.overdue,
    pendingOverdue: s.overdue,
    onTimeRate: cellsOf(f, 'province').on_time_rate.value,
  };
}

/** The identities of the form hold (every count ≥ 0, (1) = (2)+(3)+(4), (5) = …, (9) = …). */
export function figuresConsistent(x: ReportFigures): boolean {
  const counts = FIGURE_KEYS.filter((k) => k !== 'onTimeRate').map((k) => x[k] as number);
  return (
    counts.every((n) => Number.isInteger(n) && n >= 0) &&
    x.receivedTotal === x.receivedOnline + x.receivedDirect + x.carriedOver &&
    x.settledTotal === x.settledEarly + x.settledOnTime + x.settledLate &&
    x.pendingTotal === x.pendingWithin + x.pendingOverdue &&
    x.pendingTotal === x.receivedTotal - x.settledTotal
  );
}
