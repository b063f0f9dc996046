/**
 * The heatmap's cells from the monitoring aggregates' sums (issue 5 item 2). Pure: the counts of
 * one unit (or one procedure) for one period in, one cell per indicator out, each with its value,
 * numerator, denominator, band and formula, so that every number can be explained and drilled.
 *
 * What is computed (from monitoring_daily / monitoring_daily_field / monitoring_open only):
 * - on_time_rate = (early + on time) ÷ dossiers settled in the period × 100%;
 * - overdue_pending = open dossiers whose legal appointment day is before today (now, whatever the
 *   period); due_soon = open dossiers whose legal appointment day is from today to the 2nd working
 *   day after today by the unit's calendar (now);
 * - online_share and group_2 through the Decision 766 index (src/core/index766.ts: items 3.2 and
 *   2.1) over the population the index uses, the "received total" of form II.06a: received in the
 *   period + carried over (received before it and not settled before it). So a settled dossier is
 *   always in its denominator and the heatmap and the index cannot disagree.
 * Every other indicator needs facts the aggregates do not hold yet (full online, payments,
 * digitisation, reuse, ratings and complaints, procedures published): band 'na' with the reason
 * "not yet computed", never a made-up number.
 */
import { band, HEATMAP_INDICATORS, thresholdsFor, type Band, type BandThresholds, type HeatmapIndicatorId } from '../core/heatmap.js';
import {
  computeIndex766Groups,
  type Index766GroupNo,
  INDEX766_FACT_KEYS,
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
}

export const FLOW_FACT_KEYS: ReadonlyArray<keyof FlowFacts> = ['received', 'receivedOnline', 'carriedOver', 'carriedOverOnline', 'settledEarly', 'settledOnTime', 'settledLate', 'overdue', 'dueSoon'];

export const zeroFacts = (): FlowFacts => ({ received: 0, receivedOnline: 0, carriedOver: 0, carriedOverOnline: 0, settledEarly: 0, settledOnTime: 0, settledLate: 0, overdue: 0, dueSoon: 0 });

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

export type NoteCode = 'not_computed' | 'no_settled' | 'no_received' | 'now_only' | 'inconsistent';

export const NOTES: Record<NoteCode, Bilingual> = {
  not_computed: { vi: 'Chưa tính: số liệu của chỉ tiêu này chưa được tổng hợp', en: 'Not yet computed: the facts of this indicator are not aggregated yet' },
  no_settled: { vi: 'Không có hồ sơ giải quyết trong kỳ (mẫu số bằng 0)', en: 'No dossier settled in the period (denominator 0)' },
  no_received: { vi: 'Không có hồ sơ tiếp nhận trong kỳ (mẫu số bằng 0)', en: 'No dossier received in the period (denominator 0)' },
  now_only: { vi: 'Chỉ có số liệu hiện tại, không có cho kỳ trước', en: 'Known for now only, not for a past period' },
  inconsistent: { vi: 'Số liệu tổng hợp không nhất quán; cần tổng hợp lại (monitoring:rebuild)', en: 'The aggregates are inconsistent; rebuild them (monitoring:rebuild)' },
};

export type Cells = Record<HeatmapIndicatorId, Cell>;
export type ThresholdOverrides = Partial<Record<HeatmapIndicatorId, BandThresholds>>;

/** The indicators computed from the aggregates; the others are N/A until their facts are aggregated. */
export const COMPUTED_INDICATORS: readonly HeatmapIndicatorId[] = ['on_time_rate', 'overdue_pending', 'due_soon', 'online_share', 'group_2'];
/** The indicators that describe the dossiers open now, whatever the period. */
export const NOW_INDICATORS: readonly HeatmapIndicatorId[] = ['overdue_pending', 'due_soon'];

const itemDef = (id: SubIndicatorId) => SUB_INDICATORS.find((d) => d.id === id)!;

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

/** The Decision 766 facts these sums give; every other count is 0 (and its items are not used). */
export function indexFacts(f: FlowFacts): Index766Facts {
  const facts = Object.fromEntries(INDEX766_FACT_KEYS.map((k) => [k, 0])) as unknown as Index766Facts;
  facts.dossiersReceived = f.received + f.carriedOver;
  facts.onlineDossiers = f.receivedOnline + f.carriedOverOnline;
  facts.dossiersFinishedOnTime = f.settledEarly + f.settledOnTime;
  return facts;
}

/** Index kinds: a desk (never a deciding unit) is scored as the commune it serves. */
export const indexKindOf = (kind: string): IndexUnitKind => (kind === 'desk' ? 'commune' : (kind as IndexUnitKind));

/**
 * Where the index-backed cells computed here come from (their `fromIndex`), and the groups that
 * holds: only those are scored per row (computeIndex766Groups, the same figures as the whole
 * index; a group depends on its own items alone), a heatmap of every unit being ~120 rows.
 */
const INDEX_CELLS = (['online_share', 'group_2'] as const).map((id) => ({ id, from: HEATMAP_INDICATORS.find((i) => i.id === id)!.fromIndex! }));
const INDEX_GROUPS: readonly Index766GroupNo[] = [
  ...new Set(INDEX_CELLS.map(({ from }) => ('group' in from ? from.group : SUB_INDICATORS.find((d) => d.id === from.item)!.group))),
];

/** The index-backed values (as valuesFromIndex gives them: item ratio or group score, N/A null). */
function indexValues(facts: Index766Facts, unitKind: string): Record<(typeof INDEX_CELLS)[number]['id'], number | null> {
  const groups = computeIndex766Groups(facts, indexKindOf(unitKind), INDEX_GROUPS);
  const out = {} as Record<(typeof INDEX_CELLS)[number]['id'], number | null>;
  for (const { id, from } of INDEX_CELLS) {
    if ('group' in from) out[id] = groups.find((g) => g.group === from.group)?.score ?? null;
    else {
      const item = groups.flatMap((g) => g.items).find((i) => i.id === from.item);
      out[id] = item && item.applicable ? item.ratio : null;
    }
  }
  return out;
}

const percentOf = (numerator: number, denominator: number) => roundFraction({ num: BigInt(numerator) * 100n, den: BigInt(denominator) });

/**
 * The cells of one row. `now` = false for a period other than the one being viewed (the previous
 * period of the hot spots): the "now" columns are then N/A.
 */
export function cellsOf(f: FlowFacts, unitKind: string, opts: { thresholds?: ThresholdOverrides; now?: boolean } = {}): Cells {
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
  for (const ind of HEATMAP_INDICATORS) out[ind.id] = cell(ind.id, null, null, null, null, 'not_computed');

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

  const facts = indexFacts(f);
  const onlineFormula = `${facts.onlineDossiers} ÷ ${facts.dossiersReceived} × 100%`;
  const group2Formula = `20 × ${facts.dossiersFinishedOnTime} ÷ ${facts.dossiersReceived}`;
  let values: ReturnType<typeof indexValues>;
  try {
    values = indexValues(facts, unitKind);
  } catch {
    // Only if the aggregates disagreed with themselves (more settled on time than received in
    // total): say so rather than show a wrong score.
    out.online_share = cell('online_share', null, facts.onlineDossiers, facts.dossiersReceived, onlineFormula, 'inconsistent');
    out.group_2 = cell('group_2', null, facts.dossiersFinishedOnTime, facts.dossiersReceived, group2Formula, 'inconsistent');
    return out;
  }
  const empty = facts.dossiersReceived === 0 ? 'no_received' : null;
  out.online_share = cell('online_share', values.online_share ?? null, facts.onlineDossiers, facts.dossiersReceived, onlineFormula, empty);
  out.group_2 = cell('group_2', values.group_2 ?? null, facts.dossiersFinishedOnTime, facts.dossiersReceived, group2Formula, empty);
  return out;
}
