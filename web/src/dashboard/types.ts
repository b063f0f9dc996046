/**
 * Shapes of the monitoring API answers the leaders' dashboard reads (src/monitoring/routes.ts:
 * GET /api/monitoring/heatmap, /hotspots, /drill, /drill/dossiers). The indicator ids and bands
 * come from the pure core (src/core/heatmap.ts), so a renamed indicator breaks the type check;
 * test/e2e/dashboard-journey.test.ts also checks at compile time that the server's answers still
 * fit these shapes.
 */
import type { Band, Direction, HeatmapIndicatorId, IndicatorUnit } from '../../../src/core/heatmap.js';

export type { Band, Direction, HeatmapIndicatorId, IndicatorUnit };

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom';
export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year', 'custom'];

export type NoteCode = 'not_computed' | 'no_settled' | 'no_received' | 'zero_denominator' | 'not_for_unit_kind' | 'not_tracked' | 'now_only' | 'inconsistent';

export interface Bi {
  vi: string;
  en: string;
}

export interface UnitRef {
  code: string;
  name: string;
  nameEn: string | null;
  kind: string;
}

export interface PeriodView {
  kind: PeriodKind;
  /** First local date, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  days: number;
}

export interface FieldRef {
  code: string;
  name: string;
  nameEn: string;
}

export interface Cell {
  /** Percent or points (2 decimals) or a count; null = N/A. */
  value: number | null;
  numerator: number | null;
  /** null for counts. */
  denominator: number | null;
  band: Band;
  /** The formula with this cell's numbers, e.g. "(1 + 3) ÷ 5 × 100%". */
  formula: string | null;
  note: NoteCode | null;
}

export interface IndicatorView {
  id: HeatmapIndicatorId;
  name: Bi;
  unit: IndicatorUnit;
  direction: Direction;
  maxValue: number | null;
  thresholds: { green: number; yellow: number };
  /** false: not aggregated yet, every cell N/A. */
  computed: boolean;
  /** 'now': counted now whatever the period (overdue, due soon). */
  timeframe: 'period' | 'now';
  formula: Bi;
}

export interface HeatmapRow {
  unit: UnitRef;
  isTotal: boolean;
  cells: Record<HeatmapIndicatorId, Cell>;
}

export interface HeatmapAnswer {
  root: UnitRef;
  period: PeriodView;
  today: string;
  asOf: string;
  field: FieldRef | null;
  sort: { indicator: HeatmapIndicatorId; dir: 'asc' | 'desc' } | null;
  indicators: IndicatorView[];
  notes: Record<NoteCode, Bi>;
  rows: HeatmapRow[];
}

export interface HotspotsAnswer {
  root: UnitRef;
  period: PeriodView;
  previousPeriod: PeriodView;
  today: string;
  asOf: string;
  field: FieldRef | null;
  red: Array<{ unit: UnitRef; indicator: HeatmapIndicatorId; value: number; numerator: number | null; denominator: number | null; severity: number }>;
  redCount: number;
  falling: Array<{
    unit: UnitRef;
    indicator: HeatmapIndicatorId;
    previous: number;
    current: number;
    delta: number;
    drop: number;
    previousBand: Band;
    currentBand: Band;
  }>;
  dueSoon: {
    items: Array<{
      code: string;
      link: string;
      procedure: { code: string; name: string };
      unit: UnitRef;
      statusCode: number;
      legalAppointmentAt: string;
      appointmentAt: string | null;
    }>;
    more: boolean;
  };
}

export interface DrillAnswer {
  unit: UnitRef;
  indicator: HeatmapIndicatorId;
  period: PeriodView;
  today: string;
  field: FieldRef | null;
  formula: Bi;
  notes: Record<NoteCode, Bi>;
  cell: Cell;
  procedures: Array<{
    procedure: { code: string; name: string; nameEn: string | null; field: string | null };
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    band: Band;
    formula: string | null;
  }>;
}

export type DrillPart = 'numerator' | 'denominator';

export interface DrillDossier {
  code: string;
  link: string;
  procedureCode: string;
  decidingUnit: string;
  channel: number;
  statusCode: number;
  receivedAt: string | null;
  finishedAt: string | null;
  legalAppointmentAt: string | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
}

export interface DrillDossiersAnswer {
  unit: UnitRef;
  indicator: HeatmapIndicatorId;
  part: DrillPart;
  procedure: { code: string; name: string; nameEn: string } | null;
  period: PeriodView;
  items: DrillDossier[];
  nextCursor: string | null;
}

/** A change of the monitoring figures (GET /api/monitoring/events, `event: change`). */
export type MonitoringChange = { units: string[]; at: string } | { all: true; at: string };
