/**
 * The Decision 766 index view (issue 5 item 7): the index of every unit of a leader's scope and
 * of the scope's root (the province, or the leader's unit) for a period — total, grade, the six
 * group scores and a rank — and the whole index of one unit down to each sub-indicator's
 * numerator, denominator, ratio, points, formula and calculation (src/core/index766.ts).
 *
 * The facts come from the monitoring aggregates through heatmapRows (never from the dossiers)
 * and are mapped to the index's facts by indexFacts only, so the index, the heatmap's index-backed
 * cells and the periodic reports count the same dossiers: the index's group 2 equals the
 * heatmap's group_2 cell of the same unit and period.
 *
 * Ranking: units are ranked on the rounded total (the figure people read; equal figures share a
 * rank) within their peer group only — departments among departments, wards and communes
 * together, provinces among provinces — since their indexes measure different things (several
 * criteria do not apply to communes and wards). The root row is the total of the units below
 * it and is not ranked. A unit whose index is N/A (nothing to measure) is not ranked, nor is a
 * unit without any dossier in the period: its score would rest on the procedure catalogue alone
 * (items 3.1, 4.2, 4.3), the same for every idle commune, and would put idle units above those
 * that worked.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  computeIndex766,
  GRADE_IDS,
  GRADE_NAMES,
  INDEX766_FACT_KEYS,
  INDEX766_FACT_NAMES,
  INDEX766_GROUP_NOS,
  INDEX766_GROUPS,
  rankByScore,
  SUB_INDICATORS,
  type Bilingual,
  type GradeId,
  type Index766Config,
  type Index766FactKey,
  type Index766GroupNo,
  type Index766Result,
  type NotApplicableReason,
  type SubIndicatorId,
} from '../core/index766.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { invalidField } from '../platform/errors.js';
import { index766ConfigFor, indexFacts, indexKindOf, type FlowFacts, type ProcedureFacts } from './cells.js';
import { fieldOrThrow, heatmapRows, index766ConfigOf, nowOf, periodOrThrow, thresholdOverrides, unitView } from './heatmap.js';
import { PERIOD_KINDS, vietnamDate, type Period, type PeriodQuery } from './period.js';
import { monitoringScope, type MonitoringScope, type ScopeUnit } from './scope.js';

// ---------------------------------------------------------------------------------------------
// Peer groups and ranking (pure)

export const PEER_GROUPS = ['department', 'local', 'province', 'nation'] as const;
/** Who a unit is ranked with: departments together, wards and communes together, provinces together. */
export type PeerGroup = (typeof PEER_GROUPS)[number];

export const PEER_GROUP_NAMES: Record<PeerGroup, Bilingual> = {
  department: { vi: 'Sở, ban, ngành', en: 'Departments' },
  local: { vi: 'Phường, xã', en: 'Wards and communes' },
  province: { vi: 'Tỉnh, thành phố', en: 'Provinces' },
  nation: { vi: 'Cả nước', en: 'Nation' },
};

/** A desk is scored as the commune it serves (indexKindOf), so it ranks with the communes too. */
export function peerGroupOf(kind: string): PeerGroup {
  switch (kind) {
    case 'ward':
    case 'commune':
    case 'desk':
      return 'local';
    case 'province':
    case 'nation':
      return kind;
    default:
      return 'department';
  }
}

export interface PeerRank {
  peerGroup: PeerGroup;
  /** 1 = best within the peer group; ties share a rank ("1, 2, 2, 4"); null when N/A. */
  rank: number | null;
  /** Units in the peer group (ranked or not). */
  peers: number;
  /** Of those, the units with a score (the ranks run from 1 to at most this). */
  ranked: number;
}

/**
 * Ranks each item within its peer group by score (rankByScore: highest first, ties share a rank,
 * N/A unranked). The answer is aligned with `items`.
 */
export function rankWithinPeers<T>(items: readonly T[], kindOf: (item: T) => string, scoreOf: (item: T) => number | null): PeerRank[] {
  const groups = new Map<PeerGroup, number[]>();
  items.forEach((item, i) => {
    const g = peerGroupOf(kindOf(item));
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  const out: PeerRank[] = new Array(items.length);
  for (const [peerGroup, indexes] of groups) {
    const ranked = rankByScore(indexes, (i) => scoreOf(items[i]!));
    const withRank = ranked.filter((r) => r.rank !== null).length;
    for (const r of ranked) out[r.item] = { peerGroup, rank: r.rank, peers: indexes.length, ranked: withRank };
  }
  return out;
}

export const INDEX_SORT_KEYS = ['rank', 'total', 'group_1', 'group_2', 'group_3', 'group_4', 'group_5', 'group_6'] as const;
export type IndexSortKey = (typeof INDEX_SORT_KEYS)[number];

/** What sortIndexRows needs of a row. */
export interface SortableIndexRow {
  isTotal: boolean;
  score: number | null;
  groups: ReadonlyArray<{ group: Index766GroupNo; score: number | null }>;
  peerGroup: PeerGroup | null;
  rank: number | null;
}

const sortValue = (r: SortableIndexRow, key: Exclude<IndexSortKey, 'rank'>): number | null =>
  key === 'total' ? r.score : (r.groups.find((g) => `group_${g.group}` === key)?.score ?? null);

/**
 * Sorts the unit rows (the total stays first) by the total or a group score, N/A last whatever the
 * direction; or by rank: peer group by peer group (departments, then wards and communes), each by
 * rank, unranked last. Ties keep the scope's order (by kind, then code).
 */
export function sortIndexRows<R extends SortableIndexRow>(rows: readonly R[], key: IndexSortKey | undefined, dir: 'asc' | 'desc'): R[] {
  const totals = rows.filter((r) => r.isTotal);
  const units = rows.filter((r) => !r.isTotal);
  if (!key) return [...totals, ...units];
  const sign = dir === 'desc' ? -1 : 1;
  const nullsLast = (x: number | null, y: number | null, order: number) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : order * (x - y));
  units.sort((a, b) => {
    if (key === 'rank') {
      const ga = PEER_GROUPS.indexOf(a.peerGroup ?? 'nation');
      const gb = PEER_GROUPS.indexOf(b.peerGroup ?? 'nation');
      return ga - gb || nullsLast(a.rank, b.rank, sign);
    }
    return nullsLast(sortValue(a, key), sortValue(b, key), sign);
  });
  return [...totals, ...units];
}

// ---------------------------------------------------------------------------------------------
// Texts

export type IndexNoteCode = 'inconsistent' | 'no_score' | 'no_dossiers' | 'total_not_ranked' | 'not_a_row';

export const INDEX_NOTES: Record<IndexNoteCode, Bilingual> = {
  inconsistent: {
    vi: 'Số liệu tổng hợp không nhất quán (tử số lớn hơn mẫu số) nên chưa tính được chỉ số; cần tổng hợp lại (monitoring:rebuild)',
    en: 'The aggregated facts are inconsistent (a numerator above its denominator), so the index cannot be computed; rebuild them (monitoring:rebuild)',
  },
  no_score: {
    vi: 'Không có chỉ tiêu nào áp dụng được trong kỳ (không có gì để đo): không có điểm, không xếp hạng',
    en: 'No sub-indicator applies in the period (nothing to measure): no score, not ranked',
  },
  no_dossiers: {
    vi: 'Không có hồ sơ trong kỳ: điểm chỉ dựa vào danh mục thủ tục (như mọi đơn vị không có hồ sơ) nên không xếp hạng',
    en: 'No dossiers in the period: the score rests on the procedure catalogue alone (as for every idle unit), so it is not ranked',
  },
  total_not_ranked: {
    vi: 'Đây là tổng của các đơn vị trực thuộc nên không xếp hạng',
    en: 'This is the total of the units below it, so it is not ranked',
  },
  not_a_row: {
    vi: 'Chỉ xếp hạng các đơn vị trực thuộc trực tiếp đơn vị của bạn',
    en: 'Only the units directly under your unit are ranked',
  },
};

/** Why a sub-indicator is N/A, in words: what it means for the score. */
export const NOT_APPLICABLE_TEXTS: Record<NotApplicableReason, Bilingual> = {
  not_for_unit_kind: {
    vi: 'Không áp dụng với loại đơn vị này (theo cấu hình Bộ chỉ số): đơn vị không tự thay đổi được tiêu chí này; điểm của nó được tính cho các chỉ tiêu còn lại của nhóm',
    en: "Does not apply to this kind of unit (per the index configuration): the unit cannot change this criterion; its weight goes to the group's other sub-indicators",
  },
  zero_denominator: {
    vi: 'Mẫu số bằng 0 (không có gì để đo trong kỳ): không tính; điểm của nó được tính cho các chỉ tiêu còn lại của nhóm',
    en: "Denominator 0 (nothing to measure in the period): not counted; its weight goes to the group's other sub-indicators",
  },
  not_tracked: {
    vi: 'Chưa có số liệu: dữ liệu của chỉ tiêu nằm ở hệ thống quốc gia chưa kết nối; không tính, điểm của nó được tính cho các chỉ tiêu còn lại của nhóm',
    en: "No data: the facts are held by a national system not connected yet; not counted, its weight goes to the group's other sub-indicators",
  },
  no_dossiers: {
    vi: 'Đơn vị không có hồ sơ và không có phản ánh, kiến nghị trong kỳ: không tính, để đơn vị không có việc không được điểm tối đa',
    en: 'The unit had neither dossiers nor complaints in the period: not counted, so that an idle unit does not score full marks',
  },
};

export const INDEX_FORMULAS = {
  group: {
    vi: 'Điểm nhóm = tổng điểm các chỉ tiêu áp dụng ÷ tổng điểm tối đa của các chỉ tiêu đó × điểm tối đa của nhóm (chỉ tiêu không áp dụng được bỏ ra; nhóm không có chỉ tiêu nào áp dụng thì không áp dụng)',
    en: "Group score = points of the applicable sub-indicators ÷ their maximum × the group's maximum (sub-indicators that do not apply are left out; a group with none applicable does not apply)",
  },
  total: {
    vi: 'Tổng điểm = tổng điểm các nhóm áp dụng ÷ tổng điểm tối đa của các nhóm đó × 100 (100 điểm khi cả 6 nhóm áp dụng)',
    en: 'Total = the applicable groups’ scores ÷ their maxima × 100 (out of 100 when all six groups apply)',
  },
  rank: {
    vi: 'Xếp hạng theo tổng điểm làm tròn 2 chữ số, cao trước: sở, ban, ngành xếp riêng; phường và xã xếp chung; bằng điểm thì cùng hạng; đơn vị không có điểm không xếp hạng',
    en: 'Ranked by the total rounded to 2 decimals, highest first: departments among themselves, wards and communes together; equal totals share a rank; units without a score are not ranked',
  },
} satisfies Record<string, Bilingual>;

const shown = (n: number, lang: 'vi' | 'en') => (lang === 'vi' ? n.toFixed(2).replace('.', ',') : n.toFixed(2));

// ---------------------------------------------------------------------------------------------
// Scoring rows

export interface IndexQuery extends PeriodQuery {
  unit?: string;
  field?: string;
  sort?: IndexSortKey;
  dir?: 'asc' | 'desc';
}

export interface IndexUnitQuery extends PeriodQuery {
  unit?: string;
  field?: string;
}

interface Scored {
  unit: ScopeUnit;
  isTotal: boolean;
  facts: FlowFacts;
  procedures: ProcedureFacts | null;
  /** null when the aggregates were inconsistent (computeIndex766 threw a RangeError). */
  result: Index766Result | null;
}

/**
 * The index of one row, with the facts and configuration the heatmap's cells use (indexFacts,
 * index766ConfigFor), so that both show the same figures. A RangeError (facts that contradict
 * themselves) gives null, not a 500.
 */
function scoreFacts(facts: FlowFacts, procedures: ProcedureFacts | null, kind: string, config: Index766Config): Index766Result | null {
  try {
    return computeIndex766(indexFacts(facts, procedures), indexKindOf(kind), index766ConfigFor(config));
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

const gradeView = (g: GradeId | null) => (g === null ? null : { id: g, name: GRADE_NAMES[g] });

async function scoredRows(ctx: AppContext, scope: MonitoringScope, period: Period, field: string | undefined, config: Index766Config) {
  const now = await nowOf(ctx, scope.units);
  const thresholds = await thresholdOverrides(ctx);
  const rows = await heatmapRows(ctx, scope, period, { field, now, current: true, thresholds, config });
  return rows.map((r): Scored => ({ unit: r.unit, isTotal: r.isTotal, facts: r.facts, procedures: r.procedures, result: scoreFacts(r.facts, r.procedures, r.unit.kind, config) }));
}

const idle = (r: Scored) => indexFacts(r.facts, r.procedures).dossiersReceived === 0;

/** Why a row has no rank (besides being the total), or null. */
const rowNote = (r: Scored): IndexNoteCode | null => (r.result === null ? 'inconsistent' : r.result.total.score === null ? 'no_score' : idle(r) ? 'no_dossiers' : null);

/** The unit rows' peer ranks (the total row: null); units without dossiers are not ranked. */
function ranksOf(rows: readonly Scored[]): Array<PeerRank | null> {
  const units = rows.filter((r) => !r.isTotal);
  const ranks = rankWithinPeers(units, (r) => r.unit.kind, (r) => (idle(r) ? null : (r.result?.total.score ?? null)));
  const byCode = new Map(units.map((r, i) => [r.unit.code, ranks[i]!]));
  return rows.map((r) => (r.isTotal ? null : byCode.get(r.unit.code)!));
}

function rowView(r: Scored, peer: PeerRank | null) {
  const res = r.result;
  const note = rowNote(r);
  return {
    unit: unitView(r.unit),
    isTotal: r.isTotal,
    score: res?.total.score ?? null,
    points: res?.total.points ?? null,
    maxPoints: res?.total.maxPoints ?? null,
    grade: gradeView(res?.grade ?? null),
    groups: INDEX766_GROUP_NOS.map((g) => {
      const x = res?.groups.find((y) => y.group === g);
      return {
        group: g,
        applicable: x?.applicable ?? false,
        points: x?.points ?? null,
        maxPoints: x?.maxPoints ?? null,
        score: x?.score ?? null,
        nominalMaxPoints: INDEX766_GROUPS[g].maxPoints,
      };
    }),
    peerGroup: peer?.peerGroup ?? null,
    rank: peer?.rank ?? null,
    peers: peer?.peers ?? 0,
    ranked: peer?.ranked ?? 0,
    note,
  };
}

const groupViews = () => INDEX766_GROUP_NOS.map((g) => ({ group: g, name: INDEX766_GROUPS[g].name, maxPoints: INDEX766_GROUPS[g].maxPoints }));
const gradeBandViews = (config: Index766Config) => config.gradeBands.map((b) => ({ grade: b.grade, name: GRADE_NAMES[b.grade], minScore: b.minScore }));

// ---------------------------------------------------------------------------------------------
// Use cases

/**
 * The index table: the scope's root (total) first, then each unit row with total, grade, six
 * group scores and its rank within its peer group. Who may see it: as the heatmap
 * (monitoringScope).
 */
export async function indexTable(ctx: AppContext, actor: Actor, q: IndexQuery) {
  const scope = await monitoringScope(ctx, actor, q.unit);
  const today = vietnamDate(ctx.now());
  const period = periodOrThrow(q, today);
  const field = await fieldOrThrow(ctx, q.field);
  if (q.sort !== undefined && !(INDEX_SORT_KEYS as readonly string[]).includes(q.sort)) {
    throw invalidField('sort', `unknown column (${INDEX_SORT_KEYS.join(', ')})`, `cột không hợp lệ (${INDEX_SORT_KEYS.join(', ')})`);
  }
  const config = await index766ConfigOf(ctx);
  const rows = await scoredRows(ctx, scope, period, q.field, config);
  const ranks = ranksOf(rows);
  const views = rows.map((r, i) => rowView(r, ranks[i]!));
  const dir = q.dir ?? (q.sort === 'rank' ? 'asc' : 'desc');
  const peerGroups = PEER_GROUPS.filter((g) => views.some((v) => v.peerGroup === g)).map((g) => ({
    id: g,
    name: PEER_GROUP_NAMES[g],
    units: views.filter((v) => v.peerGroup === g).length,
    ranked: views.filter((v) => v.peerGroup === g && v.rank !== null).length,
  }));
  return {
    root: unitView(scope.root),
    period,
    today,
    asOf: ctx.now().toISOString(),
    field,
    sort: q.sort ? { key: q.sort, dir } : null,
    groups: groupViews(),
    gradeBands: gradeBandViews(config),
    peerGroups,
    formulas: INDEX_FORMULAS,
    notes: INDEX_NOTES,
    rows: sortIndexRows(views, q.sort, dir),
  };
}

const factView = (key: Index766FactKey, facts: Record<Index766FactKey, number>) => ({ key, name: INDEX766_FACT_NAMES[key], value: facts[key] });

/**
 * The whole index of one unit (default: the actor's own) with every group and sub-indicator
 * explained, and its rank among its peers: the units of the same peer group directly under the
 * actor's own unit (the rows of the actor's index table). The actor's own unit is the total of
 * those and is not ranked; a unit further down (a desk) is not a row and is not ranked either.
 */
export async function unitIndex(ctx: AppContext, actor: Actor, q: IndexUnitQuery) {
  // Checks role, existence (404) and jurisdiction (403), as the heatmap does.
  const unitScope = await monitoringScope(ctx, actor, q.unit);
  const today = vietnamDate(ctx.now());
  const period = periodOrThrow(q, today);
  const field = await fieldOrThrow(ctx, q.field);
  const config = await index766ConfigOf(ctx);

  const own = await monitoringScope(ctx, actor);
  const asRow = own.rows.some((u, i) => i > 0 && u.code === unitScope.root.code);
  let row: Scored;
  let peer: PeerRank | null = null;
  let rankNote: IndexNoteCode | null;
  if (asRow) {
    const rows = await scoredRows(ctx, own, period, q.field, config);
    const ranks = ranksOf(rows);
    const i = rows.findIndex((r) => r.unit.code === unitScope.root.code);
    row = rows[i]!;
    peer = ranks[i]!;
    rankNote = rowNote(row);
  } else {
    // The unit's own scope: its first row is the unit with everything below it.
    row = (await scoredRows(ctx, unitScope, period, q.field, config))[0]!;
    rankNote = unitScope.root.code === own.root.code ? 'total_not_ranked' : 'not_a_row';
  }

  const res = row.result;
  const facts = indexFacts(row.facts, row.procedures);
  const groups = res
    ? res.groups.map((g) => ({
        group: g.group,
        name: g.name,
        nominalMaxPoints: g.nominalMaxPoints,
        applicable: g.applicable,
        points: g.points,
        maxPoints: g.maxPoints,
        score: g.score,
        calculation:
          g.score === null
            ? { vi: 'không có chỉ tiêu nào áp dụng → nhóm không áp dụng', en: 'no sub-indicator applies → the group does not apply' }
            : {
                vi: `${shown(g.points!, 'vi')} ÷ ${shown(g.maxPoints!, 'vi')} × ${g.nominalMaxPoints} = ${shown(g.score, 'vi')} / ${g.nominalMaxPoints}`,
                en: `${shown(g.points!, 'en')} ÷ ${shown(g.maxPoints!, 'en')} × ${g.nominalMaxPoints} = ${shown(g.score, 'en')} / ${g.nominalMaxPoints}`,
              },
        items: g.items.map((item) => {
          const d = SUB_INDICATORS.find((x) => x.id === item.id)!;
          const numeratorFacts = 'fact' in d.numerator ? [d.numerator.fact] : [...d.numerator.shortfallOf];
          return {
            id: item.id,
            name: item.name,
            numerator: item.numerator,
            denominator: item.denominator,
            /** The counts of the numerator (6.3: those subtracted from the denominator). */
            numeratorFacts: numeratorFacts.map((k) => factView(k, facts)),
            numeratorIsShortfall: !('fact' in d.numerator),
            denominatorFact: factView(d.denominator, facts),
            applicable: item.applicable,
            notApplicableReason: item.notApplicableReason,
            notApplicableText: item.notApplicableReason ? NOT_APPLICABLE_TEXTS[item.notApplicableReason] : null,
            fullMarksWithoutComplaints: item.fullMarksWithoutComplaints,
            ratio: item.ratio,
            points: item.points,
            maxPoints: item.maxPoints,
            fullFromPercent: item.fullFromPercent,
            formula: item.formula,
            calculation: item.calculation,
          };
        }),
      }))
    : [];
  const applied = groups.filter((g) => g.score !== null);
  const totalCalculation =
    res && res.total.score !== null
      ? {
          vi: `(${applied.map((g) => shown(g.score!, 'vi')).join(' + ')}) ÷ ${res.total.maxPoints} × 100 = ${shown(res.total.score, 'vi')}`,
          en: `(${applied.map((g) => shown(g.score!, 'en')).join(' + ')}) ÷ ${res.total.maxPoints} × 100 = ${shown(res.total.score, 'en')}`,
        }
      : null;
  return {
    unit: unitView(unitScope.root),
    // Rows, not units: a commune's one-stop desk decides nothing, so it is not "a unit below".
    hasUnitsBelow: unitScope.rows.length > 1,
    period,
    today,
    asOf: ctx.now().toISOString(),
    field,
    note: res === null ? ('inconsistent' as const) : res.total.score === null ? ('no_score' as const) : null,
    score: res?.total.score ?? null,
    points: res?.total.points ?? null,
    maxPoints: res?.total.maxPoints ?? null,
    totalCalculation,
    grade: gradeView(res?.grade ?? null),
    peerGroup: peer?.peerGroup ?? null,
    peerGroupName: peer ? PEER_GROUP_NAMES[peer.peerGroup] : null,
    rank: peer?.rank ?? null,
    peers: peer?.peers ?? 0,
    ranked: peer?.ranked ?? 0,
    rankNote,
    groups,
    facts: INDEX766_FACT_KEYS.map((k) => factView(k, facts)),
    gradeBands: gradeBandViews(config),
    formulas: INDEX_FORMULAS,
    notes: INDEX_NOTES,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP shapes (src/monitoring/routes.ts)

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const UnitView = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), kind: Type.String() });
const PeriodView = Type.Object({ kind: literals(PERIOD_KINDS), from: Type.String(), to: Type.String(), days: Type.Integer() });
const FieldView = Nullable(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() }));
const GroupNo = Type.Integer({ minimum: 1, maximum: 6 });
const Points = Nullable(Type.Number({ description: 'Rounded to 2 decimals; null = N/A.' }));
const GradeView = Nullable(Type.Object({ id: literals(GRADE_IDS), name: Name }));
const PeerGroupT = literals(PEER_GROUPS);
const NoteT = literals(Object.keys(INDEX_NOTES) as IndexNoteCode[]);
const NotesView = Type.Object(Object.fromEntries(Object.keys(INDEX_NOTES).map((k) => [k, Name])) as Record<IndexNoteCode, typeof Name>);
const FormulasView = Type.Object({ group: Name, total: Name, rank: Name });
const GradeBands = Type.Array(Type.Object({ grade: literals(GRADE_IDS), name: Name, minScore: Type.Number() }));
const Rank = {
  peerGroup: Nullable(PeerGroupT),
  rank: Nullable(Type.Integer({ description: '1 = best within the peer group; ties share a rank; null: the total, or N/A.' })),
  peers: Type.Integer({ description: 'Units in the peer group.' }),
  ranked: Type.Integer({ description: 'Of those, with a score.' }),
};
const FactView = Type.Object({ key: Type.String(), name: Name, value: Type.Integer() });

export const IndexSortT = literals(INDEX_SORT_KEYS);

export const IndexTableBody = Type.Object({
  root: UnitView,
  period: PeriodView,
  today: Type.String(),
  asOf: Type.String(),
  field: FieldView,
  sort: Nullable(Type.Object({ key: IndexSortT, dir: literals(['asc', 'desc'] as const) })),
  groups: Type.Array(Type.Object({ group: GroupNo, name: Name, maxPoints: Type.Number() })),
  gradeBands: GradeBands,
  peerGroups: Type.Array(Type.Object({ id: PeerGroupT, name: Name, units: Type.Integer(), ranked: Type.Integer() })),
  formulas: FormulasView,
  notes: NotesView,
  rows: Type.Array(
    Type.Object({
      unit: UnitView,
      isTotal: Type.Boolean(),
      score: Points,
      points: Points,
      maxPoints: Points,
      grade: GradeView,
      groups: Type.Array(
        Type.Object({ group: GroupNo, applicable: Type.Boolean(), points: Points, maxPoints: Points, score: Points, nominalMaxPoints: Type.Number() }),
      ),
      ...Rank,
      note: Nullable(NoteT),
    }),
  ),
});

export const IndexUnitBody = Type.Object({
  unit: UnitView,
  hasUnitsBelow: Type.Boolean({ description: 'The unit has departments, wards or communes below it, counted in its figures.' }),
  period: PeriodView,
  today: Type.String(),
  asOf: Type.String(),
  field: FieldView,
  note: Nullable(literals(['inconsistent', 'no_score'] as const)),
  score: Points,
  points: Points,
  maxPoints: Points,
  totalCalculation: Nullable(Name),
  grade: GradeView,
  ...Rank,
  peerGroupName: Nullable(Name),
  rankNote: Nullable(NoteT),
  groups: Type.Array(
    Type.Object({
      group: GroupNo,
      name: Name,
      nominalMaxPoints: Type.Number(),
      applicable: Type.Boolean(),
      points: Points,
      maxPoints: Points,
      score: Points,
      calculation: Name,
      items: Type.Array(
        Type.Object({
          id: literals(SUB_INDICATORS.map((d) => d.id) as SubIndicatorId[]),
          name: Name,
          numerator: Type.Integer(),
          denominator: Type.Integer(),
          numeratorFacts: Type.Array(FactView),
          numeratorIsShortfall: Type.Boolean({ description: '6.3: the numerator is the denominator minus these counts.' }),
          denominatorFact: FactView,
          applicable: Type.Boolean(),
          notApplicableReason: Nullable(literals(Object.keys(NOT_APPLICABLE_TEXTS) as NotApplicableReason[])),
          notApplicableText: Nullable(Name),
          fullMarksWithoutComplaints: Type.Boolean(),
          ratio: Points,
          points: Points,
          maxPoints: Type.Number(),
          fullFromPercent: Type.Number(),
          formula: Name,
          calculation: Name,
        }),
      ),
    }),
  ),
  facts: Type.Array(FactView),
  gradeBands: GradeBands,
  formulas: FormulasView,
  notes: NotesView,
});
