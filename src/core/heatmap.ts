/**
 * The leaders' heatmap (issue 5 item 2): which indicators are columns, which way is better, and
 * the green / yellow / red band of a value. Pure; thresholds are data an admin will edit, the
 * defaults below apply until then. No official colours exist (domain.md §5): the defaults come
 * from the index's own full-marks thresholds and the province's published targets.
 *
 * | indicator            | unit    | better | green    | yellow   | red      | why                                      |
 * |----------------------|---------|--------|----------|----------|----------|------------------------------------------|
 * | on_time_rate         | percent | higher | ≥ 98     | ≥ 95     | < 95     | the province reports above 98%           |
 * | overdue_pending      | count   | lower  | ≤ 0      | ≤ 5      | > 5      | any overdue dossier breaks the law       |
 * | due_soon             | count   | lower  | ≤ 10     | ≤ 30     | > 30     | workload warning for a commune's desk    |
 * | online_share         | percent | higher | ≥ 70     | ≥ 50     | < 50     | commune target 70%; 766 full marks 50%   |
 * | full_online_share    | percent | higher | ≥ 50     | ≥ 25     | < 25     | half of the eligible dossiers            |
 * | online_payment_share | percent | higher | ≥ 50     | ≥ 25     | < 25     | as full online                           |
 * | digitisation_rate    | percent | higher | ≥ 90     | ≥ 70     | < 70     | every received dossier must be digitised |
 * | reuse_rate           | percent | higher | ≥ 80     | ≥ 50     | < 50     | 766 full marks from 80%                  |
 * | satisfaction         | percent | higher | ≥ 90     | ≥ 80     | < 80     | 766 full marks from 90%; province 91%    |
 * | group_1 … group_6    | points  | higher | ≥ 80% of the group's maximum | ≥ 60% | < 60% | "Tốt" and "Khá" of the grade bands |
 *
 * Group thresholds in points: 1 (18) 14.4 / 10.8; 2 (20) 16 / 12; 3 (12) 9.6 / 7.2;
 * 4 (10) 8 / 6; 5 (22) 17.6 / 13.2; 6 (18) 14.4 / 10.8.
 *
 * Where the figures come from: on_time_rate = (early + on time) ÷ settled dossiers, overdue_pending
 * = dossiers pending past their appointment, due_soon = pending dossiers due within the next
 * 2 working days (not a fault in itself: where work must happen now); the others are the
 * Decision 766 ratios (online_share = 3.2, full_online_share = 3.3, online_payment_share = 4.1's A,
 * digitisation_rate = 5.2, reuse_rate = 5.4, satisfaction = 6.3's R) and group scores, taken from
 * the index result by `valuesFromIndex` so that the heatmap and the index never disagree.
 *
 * `band` compares the figure as shown (rounded to 2 decimals by the caller), so a cell's colour
 * always matches the number in it.
 */
import { INDEX766_GROUPS, type Bilingual, type Index766GroupNo, type Index766Result, type SubIndicatorId } from './index766.js';

export type HeatmapIndicatorId =
  | 'on_time_rate'
  | 'overdue_pending'
  | 'due_soon'
  | 'online_share'
  | 'full_online_share'
  | 'online_payment_share'
  | 'digitisation_rate'
  | 'reuse_rate'
  | 'satisfaction'
  | 'group_1'
  | 'group_2'
  | 'group_3'
  | 'group_4'
  | 'group_5'
  | 'group_6';

export type Direction = 'higher_is_better' | 'lower_is_better';
export type IndicatorUnit = 'percent' | 'count' | 'points';
export type Band = 'green' | 'yellow' | 'red' | 'na';

/**
 * Higher is better: green at or above `green`, yellow at or above `yellow`, red below.
 * Lower is better: green at or below `green`, yellow at or below `yellow`, red above.
 */
export interface BandThresholds {
  direction: Direction;
  green: number;
  yellow: number;
}

export interface HeatmapIndicator {
  id: HeatmapIndicatorId;
  name: Bilingual;
  unit: IndicatorUnit;
  direction: Direction;
  /** Largest meaningful value: 100 for percent, the group maximum for points, none for counts. */
  maxValue: number | null;
  defaultThresholds: BandThresholds;
  /** Where the value comes from in the Decision 766 index, if it does. */
  fromIndex: { item: SubIndicatorId } | { group: Index766GroupNo } | null;
}

const higher = (green: number, yellow: number): BandThresholds => ({ direction: 'higher_is_better', green, yellow });
const lower = (green: number, yellow: number): BandThresholds => ({ direction: 'lower_is_better', green, yellow });

const percent = (id: HeatmapIndicatorId, name: Bilingual, thresholds: BandThresholds, item: SubIndicatorId | null): HeatmapIndicator => ({
  id,
  name,
  unit: 'percent',
  direction: thresholds.direction,
  maxValue: 100,
  defaultThresholds: thresholds,
  fromIndex: item ? { item } : null,
});

const groupIndicator = (g: Index766GroupNo): HeatmapIndicator => {
  const { name, maxPoints } = INDEX766_GROUPS[g];
  return {
    id: `group_${g}`,
    name: { vi: `Nhóm ${g}: ${name.vi}`, en: `Group ${g}: ${name.en}` },
    unit: 'points',
    direction: 'higher_is_better',
    maxValue: maxPoints,
    // integer arithmetic first, so that 18 × 80% is exactly the double nearest 14.4
    defaultThresholds: higher((maxPoints * 80) / 100, (maxPoints * 60) / 100),
    fromIndex: { group: g },
  };
};

/** The heatmap's columns, in their default order. */
export const HEATMAP_INDICATORS: readonly HeatmapIndicator[] = [
  percent('on_time_rate', { vi: 'Tỷ lệ giải quyết đúng hạn', en: 'On-time rate of settled dossiers' }, higher(98, 95), null),
  {
    id: 'overdue_pending',
    name: { vi: 'Hồ sơ đang giải quyết quá hạn', en: 'Overdue pending dossiers' },
    unit: 'count',
    direction: 'lower_is_better',
    maxValue: null,
    defaultThresholds: lower(0, 5),
    fromIndex: null,
  },
  {
    id: 'due_soon',
    name: { vi: 'Hồ sơ đến hạn trong 2 ngày làm việc tới', en: 'Dossiers due in the next 2 working days' },
    unit: 'count',
    direction: 'lower_is_better',
    maxValue: null,
    defaultThresholds: lower(10, 30),
    fromIndex: null,
  },
  percent('online_share', { vi: 'Tỷ lệ hồ sơ trực tuyến', en: 'Online share' }, higher(70, 50), '3.2'),
  percent('full_online_share', { vi: 'Tỷ lệ hồ sơ trực tuyến toàn trình', en: 'Full-online share' }, higher(50, 25), '3.3'),
  percent('online_payment_share', { vi: 'Tỷ lệ thanh toán trực tuyến', en: 'Online payment share' }, higher(50, 25), '4.1'),
  percent('digitisation_rate', { vi: 'Tỷ lệ số hóa hồ sơ', en: 'Digitisation rate' }, higher(90, 70), '5.2'),
  percent('reuse_rate', { vi: 'Tỷ lệ tái sử dụng dữ liệu số hóa', en: 'Reuse of digitised data' }, higher(80, 50), '5.4'),
  percent('satisfaction', { vi: 'Mức độ hài lòng', en: 'Satisfaction' }, higher(90, 80), '6.3'),
  ...([1, 2, 3, 4, 5, 6] as const).map(groupIndicator),
];

export const HEATMAP_INDICATOR_IDS: readonly HeatmapIndicatorId[] = HEATMAP_INDICATORS.map((i) => i.id);

const INDICATOR_BY_ID: ReadonlyMap<string, HeatmapIndicator> = new Map(HEATMAP_INDICATORS.map((i) => [i.id, i]));

export function heatmapIndicator(id: HeatmapIndicatorId): HeatmapIndicator {
  const found = INDICATOR_BY_ID.get(id);
  if (!found) throw new RangeError(`unknown heatmap indicator '${id}'`);
  return found;
}

/** The band of a value; null, undefined or not a finite number (N/A) → 'na'. */
export function band(value: number | null | undefined, t: BandThresholds): Band {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'na';
  if (t.direction === 'higher_is_better') return value >= t.green ? 'green' : value >= t.yellow ? 'yellow' : 'red';
  return value <= t.green ? 'green' : value <= t.yellow ? 'yellow' : 'red';
}

export interface ThresholdProblem {
  reason: string;
  reasonVi: string;
}

/**
 * Checks thresholds an admin entered for an indicator (untrusted data): the indicator's own
 * direction, numbers within its range (0–100 for percent, 0–maximum for points, ≥ 0 for counts),
 * and green no worse than yellow. Returns fresh thresholds or the problem in both languages.
 */
export function checkThresholds(id: HeatmapIndicatorId, x: unknown): { thresholds: BandThresholds } | { problem: ThresholdProblem } {
  const ind = heatmapIndicator(id);
  const fail = (reason: string, reasonVi: string) => ({ problem: { reason, reasonVi } });
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return fail('thresholds must be an object', 'ngưỡng phải là một đối tượng');
  const o = x as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['direction', 'green', 'yellow'].includes(k));
  if (unknown.length) return fail(`unknown key(s): ${unknown.join(', ')}`, `khóa không được chấp nhận: ${unknown.join(', ')}`);
  if (o.direction !== undefined && o.direction !== ind.direction) {
    return fail(`the direction of '${id}' is '${ind.direction}' and cannot be changed`, `chiều của '${id}' là '${ind.direction}', không thể thay đổi`);
  }
  const max = ind.maxValue ?? Number.MAX_SAFE_INTEGER;
  for (const key of ['green', 'yellow'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      return ind.maxValue === null
        ? fail(`'${key}' must be a number ≥ 0`, `'${key}' phải là số ≥ 0`)
        : fail(`'${key}' must be a number from 0 to ${max}`, `'${key}' phải là số từ 0 đến ${max}`);
    }
  }
  const green = o.green as number;
  const yellow = o.yellow as number;
  if (ind.direction === 'higher_is_better' ? green < yellow : green > yellow) {
    return ind.direction === 'higher_is_better'
      ? fail("'green' must be at least 'yellow' (higher is better)", "'green' phải lớn hơn hoặc bằng 'yellow' (càng cao càng tốt)")
      : fail("'green' must be at most 'yellow' (lower is better)", "'green' phải nhỏ hơn hoặc bằng 'yellow' (càng thấp càng tốt)");
  }
  return { thresholds: { direction: ind.direction, green, yellow } };
}

/** The thresholds in force: an admin's override, else the default. */
export function thresholdsFor(id: HeatmapIndicatorId, overrides: Partial<Record<HeatmapIndicatorId, BandThresholds>> = {}): BandThresholds {
  return overrides[id] ?? heatmapIndicator(id).defaultThresholds;
}

/** The index-backed cells of a unit's row: item ratios and group scores, N/A as null. */
export function valuesFromIndex(result: Index766Result): Partial<Record<HeatmapIndicatorId, number | null>> {
  const out: Partial<Record<HeatmapIndicatorId, number | null>> = {};
  for (const ind of HEATMAP_INDICATORS) {
    const from = ind.fromIndex;
    if (!from) continue;
    if ('group' in from) {
      out[ind.id] = result.groups.find((g) => g.group === from.group)?.score ?? null;
    } else {
      const item = result.groups.flatMap((g) => g.items).find((i) => i.id === from.item);
      out[ind.id] = item && item.applicable ? item.ratio : null;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Falling fastest

export interface PeriodPair {
  unitId: string;
  indicator: HeatmapIndicatorId;
  previous: number | null;
  current: number | null;
}

export interface Fall extends PeriodPair {
  previous: number;
  current: number;
  /** current − previous, in the indicator's unit. */
  delta: number;
  /**
   * How far it got worse, in widths of the indicator's yellow band (|green − yellow|; 1 when
   * they are equal): a drop from 98% to 92% in on-time rate (band 98–95) is 2, ten more overdue
   * dossiers (band 0–5) is 2. This puts percent, counts and points on one scale tied to the
   * thresholds leaders set, so the hot-spot panel can list them together.
   */
  drop: number;
  previousBand: Band;
  currentBand: Band;
}

/**
 * The unit × indicator pairs that got worse between two periods, worst first (largest drop; ties
 * by unit id, then by column order). Pairs with a value missing on either side, or that did not
 * get worse, are left out.
 */
export function fallingFastest(
  pairs: readonly PeriodPair[],
  options: { limit?: number; thresholds?: Partial<Record<HeatmapIndicatorId, BandThresholds>> } = {},
): Fall[] {
  const falls: Fall[] = [];
  for (const p of pairs) {
    if (p.previous === null || p.current === null || !Number.isFinite(p.previous) || !Number.isFinite(p.current)) continue;
    const t = thresholdsFor(p.indicator, options.thresholds);
    // Both figures have at most 2 decimals: rounding removes the float noise of the subtraction.
    const delta = Math.round((p.current - p.previous) * 100) / 100;
    const worsening = t.direction === 'higher_is_better' ? -delta : delta;
    if (worsening <= 0) continue;
    const width = Math.abs(t.green - t.yellow) || 1;
    falls.push({ ...p, previous: p.previous, current: p.current, delta, drop: worsening / width, previousBand: band(p.previous, t), currentBand: band(p.current, t) });
  }
  const column = (id: HeatmapIndicatorId) => HEATMAP_INDICATOR_IDS.indexOf(id);
  falls.sort((a, b) => b.drop - a.drop || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0) || column(a.indicator) - column(b.indicator));
  return options.limit === undefined ? falls : falls.slice(0, options.limit);
}
