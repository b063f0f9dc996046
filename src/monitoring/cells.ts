/**
 * The heatmap's cells from the monitoring aggregates' sums (issue 5 item 2). Pure: the counts of
 * one unit (or one procedure) for one period in, one cell per indicator out, each with its value,
 * numerator, denominator, band and formula, so that every number can be explained and drilled.
 *
 * What is computed (from the monitoring aggregates only, never from the dossiers):
 * - on_time_rate = (early + on time) ÷ dossiers settled in the period × 100%;
 * - overdue_pending = open dossiers whose legal appointment day is before today (now, whatever the
 *   period); due_soon = open dossiers whose legal appointment day is from today to the 2nd working
 *   day after today by the unit's calendar (now);
 * - every Decision 766 column (online, full-online and online payment shares, digitisation,
 *   reuse, satisfaction and the six group scores) through the index itself
 *   (src/core/index766.ts) over the facts indexFacts gives, so the heatmap and the index view
 *   cannot disagree. The population of "dossiers received" is form II.06a's received total:
 *   received in the period + carried over (received before it and not settled before it).
 * Items whose facts live in national systems motcua is not connected to are N/A 'not_tracked'
 * (MOTCUA_NOT_TRACKED), never a made-up number.
 */
import type { FlagSums } from './flag-flows.js';
import { band, HEATMAP_INDICATORS, thresholdsFor, type Band, type BandThresholds, type HeatmapIndicatorId } from '../core/heatmap.js';
import {
  computeIndex766GroupScores,
  DEFAULT_INDEX766_CONFIG,
  MOTCUA_NOT_TRACKED,
  type GroupScore,
  type ItemScore,
  type Index766Config,
  type NotApplicableReason,
  type Index766GroupNo,
  INDEX766_GROUPS,
  roundFraction,
  SUB_INDICATORS,
  type Bilingual,
  type Index766Facts,
  type IndexUnitKind,
  type SubIndicatorId,
} from '../core/index766.js';

/** The sums of one unit (or procedure) for one period, all additive. */
export interface FlowFacts {
  /** Received in the period. */
  received: number;
  /** Of those, online (channel 2). */
  receivedOnline: number;
  /** Received before the period and not settled before it. */
  carriedOver: number;
  carriedOverOnline: number;
  settledEarly: number;
  settledOnTime: number;
  settledLate: number;
  /** Open now with the legal appointment day before today. */
  overdue: number;
  /** Open now, due from today to the 2nd working day ahead. */
  dueSoon: number;
  /** Of the received total (received + carried over), by flag (migration 020). */
  foEligible: number;
  fullOnline: number;
  withFee: number;
  paidOnline: number;
  digitised: number;
  reusing: number;
  /** Of the dossiers settled in the period, by flag. */
  paperResultSettled: number;
  paperEResultSettled: number;
  dislikedSettled: number;
  /** Complaints due in the period, and of those answered on time (15 working days). */
  complaints: number;
  complaintsOnTime: number;
}

export const FLOW_FACT_KEYS: ReadonlyArray<keyof FlowFacts> = [
  'received',
  'receivedOnline',
  'carriedOver',
  'carriedOverOnline',
  'settledEarly',
  'settledOnTime',
  'settledLate',
  'overdue',
  'dueSoon',
  'foEligible',
  'fullOnline',
  'withFee',
  'paidOnline',
  'digitised',
  'reusing',
  'paperResultSettled',
  'paperEResultSettled',
  'dislikedSettled',
  'complaints',
  'complaintsOnTime',
];

/** All sums 0 (an object literal: one per unit and row on each heatmap request, so kept cheap). */
export const zeroFacts = (): FlowFacts => ({
  received: 0,
  receivedOnline: 0,
  carriedOver: 0,
  carriedOverOnline: 0,
  settledEarly: 0,
  settledOnTime: 0,
  settledLate: 0,
  overdue: 0,
  dueSoon: 0,
  foEligible: 0,
  fullOnline: 0,
  withFee: 0,
  paidOnline: 0,
  digitised: 0,
  reusing: 0,
  paperResultSettled: 0,
  paperEResultSettled: 0,
  dislikedSettled: 0,
  complaints: 0,
  complaintsOnTime: 0,
});

/** Adds flag sums (flag-flows.ts) into a unit's facts. */
export function mergeFlags(into: FlowFacts, f: FlagSums): FlowFacts {
  into.foEligible += f.received.fo_eligible;
  into.fullOnline += f.received.full_online;
  into.withFee += f.received.with_fee;
  into.paidOnline += f.received.paid_online;
  into.digitised += f.received.digitised;
  into.reusing += f.received.reusing;
  into.paperResultSettled += f.settled.paper_result;
  into.paperEResultSettled += f.settled.paper_e_result;
  into.dislikedSettled += f.settled.disliked;
  return into;
}

/**
 * Facts about the procedures a row's units carry out (not additive over units: a procedure two
 * communes both carry out counts once for their district). Items 3.1, 4.2, 4.3.
 */
export interface ProcedureFacts {
  inScope: number;
  online: number;
  withFee: number;
  withOnlinePayment: number;
  withOnlinePaymentSetUp: number;
}

export function addFacts(into: FlowFacts, f: FlowFacts): FlowFacts {
  for (const k of FLOW_FACT_KEYS) into[k] += f[k];
  return into;
}

export interface Cell {
  /** The figure shown (percent and points rounded to 2 decimals); null when N/A. */
  value: number | null;
  numerator: number | null;
  /** null for counts (overdue_pending, due_soon). */
  denominator: number | null;
  band: Band;
  /**
   * The indicator's formula (FORMULAS, given once per indicator) with this cell's numbers, e.g.
   * "(1 + 3) ÷ 5 × 100%"; null for counts and for what is not computed. Language-neutral (no
   * decimals), so one string serves both languages and a heatmap of every unit stays small.
   */
  formula: string | null;
  /** Why the cell is N/A (NOTES explains each code in both languages). */
  note: NoteCode | null;
}

export type NoteCode = 'not_computed' | 'no_settled' | 'no_received' | 'zero_denominator' | 'not_for_unit_kind' | 'not_tracked' | 'now_only' | 'inconsistent';

export const NOTES: Record<NoteCode, Bilingual> = {
  not_computed: { vi: 'Chưa tính: số liệu của chỉ tiêu này chưa được tổng hợp', en: 'Not yet computed: the facts of this indicator are not aggregated yet' },
  no_settled: { vi: 'Không có hồ sơ giải quyết trong kỳ (mẫu số bằng 0)', en: 'No dossier settled in the period (denominator 0)' },
  no_received: { vi: 'Không có hồ sơ tiếp nhận trong kỳ (mẫu số bằng 0)', en: 'No dossier received in the period (denominator 0)' },
  zero_denominator: { vi: 'Mẫu số bằng 0 trong kỳ: không áp dụng', en: 'Denominator 0 in the period: not applicable' },
  not_for_unit_kind: { vi: 'Không áp dụng với loại đơn vị này (QĐ 766)', en: 'Does not apply to this kind of unit (Decision 766)' },
  not_tracked: {
    vi: 'Chưa có số liệu: dữ liệu của chỉ tiêu nằm ở hệ thống quốc gia chưa kết nối',
    en: 'No data: the facts of this indicator are held by a national system not connected yet',
  },
  now_only: { vi: 'Chỉ có số liệu hiện tại, không có cho kỳ trước', en: 'Known for now only, not for a past period' },
  inconsistent: { vi: 'Số liệu tổng hợp không nhất quán; cần tổng hợp lại (monitoring:rebuild)', en: 'The aggregates are inconsistent; rebuild them (monitoring:rebuild)' },
};

export type Cells = Record<HeatmapIndicatorId, Cell>;
export type ThresholdOverrides = Partial<Record<HeatmapIndicatorId, BandThresholds>>;

/** The indicators computed from the aggregates: all of them (an item may still be N/A in a cell). */
export const COMPUTED_INDICATORS: readonly HeatmapIndicatorId[] = HEATMAP_INDICATORS.map((i) => i.id);
/** The indicators that describe the dossiers open now, whatever the period. */
export const NOW_INDICATORS: readonly HeatmapIndicatorId[] = ['overdue_pending', 'due_soon'];

const ITEM_DEFS: ReadonlyMap<SubIndicatorId, (typeof SUB_INDICATORS)[number]> = new Map(SUB_INDICATORS.map((d) => [d.id, d]));
const itemDef = (id: SubIndicatorId) => ITEM_DEFS.get(id)!;

/** The formula shown for each indicator. */
export const FORMULAS: Record<HeatmapIndicatorId, Bilingual> = (() => {
  const out = {} as Record<HeatmapIndicatorId, Bilingual>;
  for (const ind of HEATMAP_INDICATORS) {
    const from = ind.fromIndex;
    if (from && 'item' in from) {
      const d = itemDef(from.item);
      out[ind.id] = { vi: `Chỉ tiêu ${d.id} (QĐ 766): R = ${d.formula.vi.split('R = ')[1] ?? d.formula.vi}`, en: `Item ${d.id} (Decision 766): R = ${d.formula.en.split('R = ')[1] ?? d.formula.en}` };
    } else if (from && 'group' in from) {
      const ids = SUB_INDICATORS.filter((d) => d.group === from.group).map((d) => d.id).join(', ');
      const max = INDEX766_GROUPS[from.group].maxPoints;
      out[ind.id] = { vi: `Nhóm ${from.group} (QĐ 766): tổng điểm các chỉ tiêu ${ids}, tối đa ${max} điểm`, en: `Group ${from.group} (Decision 766): the points of items ${ids}, at most ${max}` };
    }
  }
  out.on_time_rate = {
    vi: 'Số hồ sơ giải quyết trước hạn và đúng hạn ÷ số hồ sơ đã giải quyết trong kỳ × 100%',
    en: 'Dossiers settled early or on time ÷ dossiers settled in the period × 100%',
  };
  out.overdue_pending = {
    vi: 'Số hồ sơ đang giải quyết có ngày hẹn trả theo quy định trước hôm nay (tại thời điểm xem)',
    en: 'Open dossiers whose legal appointment day is before today (as of now)',
  };
  out.due_soon = {
    vi: 'Số hồ sơ đang giải quyết có ngày hẹn trả theo quy định từ hôm nay đến hết ngày làm việc thứ 2 tới, theo lịch của đơn vị (tại thời điểm xem)',
    en: "Open dossiers whose legal appointment day is from today to the 2nd working day ahead, by the unit's calendar (as of now)",
  };
  const received = { vi: 'tổng số hồ sơ tiếp nhận (tiếp nhận trong kỳ + kỳ trước chuyển sang)', en: 'dossiers received in total (received in the period + carried over)' };
  out.online_share = { vi: `Chỉ tiêu 3.2 (QĐ 766): số hồ sơ trực tuyến ÷ ${received.vi} × 100%`, en: `Item 3.2 (Decision 766): online dossiers ÷ ${received.en} × 100%` };
  out.group_2 = {
    vi: `Nhóm 2 (QĐ 766): 20 × R ÷ 100; R = số hồ sơ giải quyết trước hạn và đúng hạn trong kỳ ÷ ${received.vi} × 100%`,
    en: `Group 2 (Decision 766): 20 × R ÷ 100; R = dossiers settled early or on time in the period ÷ ${received.en} × 100%`,
  };
  return out;
})();

/**
 * The Decision 766 facts these sums give (with the row's procedure facts when known). Facts held
 * by national systems stay 0; their items are N/A through MOTCUA_NOT_TRACKED (index766ConfigFor).
 * One object literal (its type makes it name every count): a heatmap builds one per row.
 */
export function indexFacts(f: FlowFacts, p?: ProcedureFacts | null): Index766Facts {
  const settled = f.settledEarly + f.settledOnTime + f.settledLate;
  return {
    proceduresInScope: p ? p.inScope : 0,
    proceduresAnnouncedOnTime: 0,
    proceduresPublishedOnTime: 0,
    proceduresPublishedComplete: 0,
    dossiersReceived: f.received + f.carriedOver,
    dossiersSynced: 0,
    dossiersFinishedOnTime: f.settledEarly + f.settledOnTime,
    proceduresOnline: p ? p.online : 0,
    onlineDossiers: f.receivedOnline + f.carriedOverOnline,
    fullOnlineEligibleDossiers: f.foEligible,
    fullOnlineDossiers: f.fullOnline,
    dossiersWithFee: f.withFee,
    dossiersPaidOnline: f.paidOnline,
    proceduresWithFee: p ? p.withFee : 0,
    proceduresWithOnlinePayment: p ? p.withOnlinePayment : 0,
    proceduresWithOnlinePaymentSetUp: p ? p.withOnlinePaymentSetUp : 0,
    paperResultDossiers: f.paperResultSettled,
    paperResultDossiersWithElectronicFile: f.paperEResultSettled,
    dossiersDigitised: f.digitised,
    copyCertifications: 0,
    electronicCopyCertifications: 0,
    dossiersReusingData: f.reusing,
    dossiersFinished: settled,
    dossiersLinkedToPersonalStorage: 0,
    dossiersUsingPopulationDb: 0,
    proceduresConnectedToPopulationDb: 0,
    complaints: f.complaints,
    complaintsHandledOnTime: f.complaintsOnTime,
    complaintHandlingRatings: 0,
    complaintHandlingSatisfied: 0,
    satisfactionBase: settled,
    lateDossiers: f.settledLate,
    dossiersWithComplaintOrDislike: f.dislikedSettled,
  };
}

/** The configuration the app scores with: the admin's (or the default), with motcua's untracked items. */
export const index766ConfigFor = (config: Index766Config = DEFAULT_INDEX766_CONFIG): Index766Config => ({ ...config, notTracked: MOTCUA_NOT_TRACKED });

/** Index kinds: a desk (never a deciding unit) is scored as the commune it serves. */
export const indexKindOf = (kind: string): IndexUnitKind => (kind === 'desk' ? 'commune' : (kind as IndexUnitKind));

const ALL_GROUPS: readonly Index766GroupNo[] = [1, 2, 3, 4, 5, 6];
/** A column not computed yet (shared: cells are never changed after they are made). */
const NOT_COMPUTED_CELL: Cell = Object.freeze({ value: null, numerator: null, denominator: null, band: 'na', formula: null, note: 'not_computed' }) as Cell;
/** The heatmap columns the index gives. */
const INDEX_CELLS = HEATMAP_INDICATORS.filter((i) => i.fromIndex !== null);

const percentOf = (numerator: number, denominator: number) => roundFraction({ num: BigInt(numerator) * 100n, den: BigInt(denominator) });

const NOTE_OF_REASON: Record<NotApplicableReason, NoteCode> = {
  not_for_unit_kind: 'not_for_unit_kind',
  not_tracked: 'not_tracked',
  zero_denominator: 'zero_denominator',
  no_dossiers: 'no_received',
};

function groupScore(groups: readonly GroupScore[], no: Index766GroupNo): GroupScore {
  for (const g of groups) if (g.group === no) return g;
  throw new Error(`group ${no} not scored`);
}

function itemScore(groups: readonly GroupScore[], id: SubIndicatorId): ItemScore {
  const g = groupScore(groups, itemDef(id).group);
  for (const i of g.items) if (i.id === id) return i;
  throw new Error(`item ${id} not scored`);
}

/**
 * Why a group with no item left is N/A: the reason its items share, 'not_tracked' first when it is
 * among them (the criteria that would apply cannot be known here).
 */
function groupNote(g: GroupScore): NoteCode {
  let shared: NotApplicableReason | null | undefined;
  let mixed = false;
  for (const i of g.items) {
    if (i.notApplicableReason === 'not_tracked') return 'not_tracked';
    if (shared === undefined) shared = i.notApplicableReason;
    else if (shared !== i.notApplicableReason) mixed = true;
  }
  return !mixed && shared ? NOTE_OF_REASON[shared] : 'zero_denominator';
}

/** A group's formula with its numbers: the applicable items' points over their maxima, scaled. */
function groupFormula(g: GroupScore): string | null {
  if (!g.applicable) return null;
  let sum = '';
  for (const i of g.items) if (i.applicable) sum = sum === '' ? String(i.points) : `${sum} + ${i.points}`;
  return `(${sum}) ÷ ${g.maxPoints} × ${g.nominalMaxPoints}`;
}

/**
 * The cells of one row. `now` = false for a period other than the one being viewed (the previous
 * period of the hot spots): the "now" columns are then N/A. `procedures`: the row's procedure
 * facts (items 3.1, 4.2, 4.3; N/A without them); `config`: the index configuration in force.
 */
export function cellsOf(
  f: FlowFacts,
  unitKind: string,
  opts: { thresholds?: ThresholdOverrides; now?: boolean; procedures?: ProcedureFacts | null; config?: Index766Config } = {},
): Cells {
  const t = (id: HeatmapIndicatorId) => thresholdsFor(id, opts.thresholds);
  const cell = (id: HeatmapIndicatorId, value: number | null, numerator: number | null, denominator: number | null, formula: string | null, note: NoteCode | null = null): Cell => ({
    value,
    numerator,
    denominator,
    band: band(value, t(id)),
    formula,
    note,
  });
  const out = {} as Cells;
  // Every column in the order of HEATMAP_INDICATORS; those computed below are overwritten.
  for (const ind of HEATMAP_INDICATORS) out[ind.id] = NOT_COMPUTED_CELL;

  const settled = f.settledEarly + f.settledOnTime + f.settledLate;
  const onTime = f.settledEarly + f.settledOnTime;
  const onTimeFormula = `(${f.settledEarly} + ${f.settledOnTime}) ÷ ${settled} × 100%`;
  out.on_time_rate = settled > 0 ? cell('on_time_rate', percentOf(onTime, settled), onTime, settled, onTimeFormula) : cell('on_time_rate', null, onTime, settled, onTimeFormula, 'no_settled');
  if (opts.now === false) {
    out.overdue_pending = cell('overdue_pending', null, null, null, null, 'now_only');
    out.due_soon = cell('due_soon', null, null, null, null, 'now_only');
  } else {
    out.overdue_pending = cell('overdue_pending', f.overdue, f.overdue, null, null);
    out.due_soon = cell('due_soon', f.dueSoon, f.dueSoon, null, null);
  }

  const facts = indexFacts(f, opts.procedures ?? null);
  const indexCells = INDEX_CELLS;
  let groups: GroupScore[];
  try {
    // The index's own arithmetic without its text (the same figures as computeIndex766's groups).
    groups = computeIndex766GroupScores(facts, indexKindOf(unitKind), ALL_GROUPS, index766ConfigFor(opts.config));
  } catch {
    // Only if the aggregates disagreed with themselves (a numerator above its denominator): say
    // so rather than show a wrong score.
    for (const ind of indexCells) out[ind.id] = cell(ind.id, null, null, null, null, 'inconsistent');
    return out;
  }
  for (const ind of indexCells) {
    const from = ind.fromIndex!;
    if ('item' in from) {
      const it = itemScore(groups, from.item);
      const def = itemDef(from.item);
      const formula =
        'fact' in def.numerator
          ? `${it.numerator} ÷ ${it.denominator} × 100%`
          : `100% − (${def.numerator.shortfallOf.map((k) => facts[k]).join(' + ')}) ÷ ${it.denominator} × 100%`;
      const note = it.applicable ? null : from.item === '3.2' && it.notApplicableReason === 'zero_denominator' ? 'no_received' : NOTE_OF_REASON[it.notApplicableReason!];
      out[ind.id] = cell(ind.id, it.applicable ? it.ratio : null, it.numerator, it.denominator, formula, note);
    } else if (from.group === 2) {
      // Group 2 is one item: its cell keeps the item's counts, so that it drills to dossiers.
      const g = groupScore(groups, 2);
      const it = g.items[0]!;
      const note = g.applicable ? null : it.notApplicableReason === 'zero_denominator' ? 'no_received' : NOTE_OF_REASON[it.notApplicableReason!];
      out.group_2 = cell('group_2', g.score, it.numerator, it.denominator, `20 × ${it.numerator} ÷ ${it.denominator}`, note);
    } else {
      const g = groupScore(groups, from.group);
      out[ind.id] = cell(ind.id, g.score, g.points, g.maxPoints, groupFormula(g), g.applicable ? null : groupNote(g));
    }
  }
  return out;
}
