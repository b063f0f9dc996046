/** HTTP routes of the leaders' monitoring: heatmap, hot spots, drill-down. Thin: parse, call, answer. */
import { Type, type TSchema } from '@sinclair/typebox';
import { HEATMAP_INDICATOR_IDS, type HeatmapIndicatorId } from '../core/heatmap.js';
import { requireStaff } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { Cursor, withErrors } from '../platform/schemas.js';
import { NOTES, type NoteCode } from './cells.js';
import { drillDossiers, drillProcedures } from './drill.js';
import { heatmap } from './heatmap.js';
import { heatmapJson } from './heatmap-json.js';
import { DUE_SOON_LIMIT, FALLING_LIMIT, hotspots, RED_LIMIT } from './hotspots.js';
import { IndexSortT, IndexTableBody, IndexUnitBody, indexTable, unitIndex } from './index-view.js';
import { MAX_PERIOD_YEARS, PERIOD_KINDS } from './period.js';
import { BaselineYearParam, timeView, TimeViewBody } from './time-view.js';

const literals = <T extends string>(values: readonly T[], description?: string) => Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const Indicator = literals(HEATMAP_INDICATOR_IDS as readonly HeatmapIndicatorId[]);
const BandT = literals(['green', 'yellow', 'red', 'na'] as const);

const PeriodQuery = {
  period: Type.Optional(
    literals(PERIOD_KINDS, 'day | week (ISO, Monday–Sunday) | month | quarter (calendar) | year: the one containing `from` (default today); custom: `from`–`to`. Default: this month, or custom when dates are given.'),
  ),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day (YYYY-MM-DD, Vietnam time); for a preset, any day in it.' })),
  to: Type.Optional(Type.String({ format: 'date', description: `Last day, inclusive (custom only); at most ${MAX_PERIOD_YEARS} years after from.` })),
};
const UnitParam = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.]+$', description: 'Unit code (default: your own unit).' });
const FieldParam = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$', description: 'Field (lĩnh vực) code: only the dossiers of its procedures.' });

const UnitView = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), kind: Type.String() });
const PeriodView = Type.Object({ kind: literals(PERIOD_KINDS), from: Type.String(), to: Type.String(), days: Type.Integer() });
const FieldView = Nullable(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() }));
const NoteCodeT = literals(Object.keys(NOTES) as NoteCode[], 'Why the cell is N/A; `notes` explains each code in both languages.');
const CellView = Type.Object({
  value: Nullable(Type.Number({ description: 'Percent or points rounded to 2 decimals, or a count; null = N/A.' })),
  numerator: Nullable(Type.Number({ description: 'A count of dossiers (or procedures); for a group score other than group 2, the points of its applicable items.' })),
  denominator: Nullable(Type.Number({ description: 'null for counts; for a group score other than group 2, the maximum of its applicable items.' })),
  band: BandT,
  formula: Nullable(Type.String({ description: "The indicator's formula with this cell's numbers, e.g. \"(1 + 3) ÷ 5 × 100%\"; null for counts and N/A columns." })),
  note: Nullable(NoteCodeT),
});
const NotesView = Type.Object(Object.fromEntries(Object.keys(NOTES).map((k) => [k, Name])) as Record<NoteCode, typeof Name>);

const HeatmapBody = Type.Object({
  root: UnitView,
  period: PeriodView,
  today: Type.String({ description: 'Local date the "now" columns are counted at.' }),
  asOf: Type.String(),
  field: FieldView,
  sort: Nullable(Type.Object({ indicator: Indicator, dir: literals(['asc', 'desc'] as const) })),
  indicators: Type.Array(
    Type.Object({
      id: Indicator,
      name: Name,
      unit: literals(['percent', 'count', 'points'] as const),
      direction: literals(['higher_is_better', 'lower_is_better'] as const),
      maxValue: Nullable(Type.Number()),
      thresholds: Type.Object({ green: Type.Number(), yellow: Type.Number() }),
      computed: Type.Boolean({ description: 'false: not aggregated yet, every cell N/A.' }),
      timeframe: literals(['period', 'now'] as const),
      formula: Name,
    }),
  ),
  notes: NotesView,
  rows: Type.Array(
    Type.Object({
      unit: UnitView,
      isTotal: Type.Boolean(),
      cells: Type.Object(Object.fromEntries(HEATMAP_INDICATOR_IDS.map((id) => [id, CellView])) as Record<HeatmapIndicatorId, typeof CellView>),
    }),
  ),
});

const HotspotsBody = Type.Object({
  root: UnitView,
  period: PeriodView,
  previousPeriod: PeriodView,
  today: Type.String(),
  asOf: Type.String(),
  field: FieldView,
  red: Type.Array(
    Type.Object({
      unit: UnitView,
      indicator: Indicator,
      value: Type.Number(),
      numerator: Nullable(Type.Number()),
      denominator: Nullable(Type.Number()),
      severity: Type.Number({ description: 'How far past the red line, in widths of the yellow band.' }),
    }),
  ),
  redCount: Type.Integer(),
  falling: Type.Array(
    Type.Object({
      unit: UnitView,
      indicator: Indicator,
      previous: Type.Number(),
      current: Type.Number(),
      delta: Type.Number(),
      drop: Type.Number({ description: 'How far it got worse, in widths of the yellow band.' }),
      previousBand: BandT,
      currentBand: BandT,
    }),
  ),
  dueSoon: Type.Object({
    items: Type.Array(
      Type.Object({
        code: Type.String(),
        link: Type.String(),
        procedure: Type.Object({ code: Type.String(), name: Type.String() }),
        unit: UnitView,
        statusCode: Type.Integer(),
        legalAppointmentAt: Type.String(),
        appointmentAt: Nullable(Type.String()),
      }),
    ),
    more: Type.Boolean(),
  }),
});

const DrillBody = Type.Object({
  unit: UnitView,
  indicator: Indicator,
  period: PeriodView,
  today: Type.String(),
  field: FieldView,
  formula: Name,
  notes: NotesView,
  cell: CellView,
  procedures: Type.Array(
    Type.Object({
      procedure: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), field: Nullable(Type.String()) }),
      value: Nullable(Type.Number()),
      numerator: Nullable(Type.Number()),
      denominator: Nullable(Type.Number()),
      band: BandT,
      formula: Nullable(Type.String()),
    }),
  ),
});

const DrillDossiersBody = Type.Object({
  unit: UnitView,
  indicator: Indicator,
  part: literals(['numerator', 'denominator'] as const),
  procedure: Nullable(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() })),
  period: PeriodView,
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      link: Type.String(),
      procedureCode: Type.String(),
      decidingUnit: Type.String(),
      channel: Type.Integer(),
      statusCode: Type.Integer(),
      receivedAt: Nullable(Type.String()),
      finishedAt: Nullable(Type.String()),
      legalAppointmentAt: Nullable(Type.String()),
      timeliness: Nullable(literals(['early', 'on_time', 'late'] as const)),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

const WHO = 'Province leaders and admins: their province; unit leaders: their unit and below; others 403. A unit outside your jurisdiction → 403.';

export function registerMonitoringRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/monitoring/heatmap',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Bản đồ nhiệt các đơn vị / Heatmap of the units',
        description: `One row per unit under \`unit\` (first the unit itself as the total, then its departments, wards and communes; under the nation, the provinces), one cell per indicator with value, numerator, denominator, band and formula. Computed from the monitoring aggregates only. Indicators not aggregated yet are N/A ("not yet computed"). overdue_pending and due_soon are counted now, whatever the period. \`sort\` orders the unit rows by a column (N/A last; the total stays first). ${WHO}`,
        querystring: Type.Object(
          { ...PeriodQuery, unit: Type.Optional(UnitParam), field: Type.Optional(FieldParam), sort: Type.Optional(Indicator), dir: Type.Optional(literals(['asc', 'desc'] as const)) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: HeatmapBody }),
      },
    },
    // The body is built field by field (nothing beyond the schema to strip) and written straight
    // into bytes (heatmap-json.ts): its ~2,000 cells are most of what a request allocated.
    // (Bytes are sent as they are, so the schema's type does not describe them: hence the cast.)
    async (request, reply) => reply.type('application/json; charset=utf-8').send(heatmapJson(await heatmap(ctx, requireStaff(request), request.query)) as never),
  );

  app.get(
    '/api/monitoring/hotspots',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Điểm nóng / Hot spots',
        description: `The red unit × indicator cells, worst first (at most ${RED_LIMIT}; redCount gives all); the ${FALLING_LIMIT} falling fastest against the previous period (the previous day, ISO week, month, quarter or year; for a custom range the same number of days before it); and up to ${DUE_SOON_LIMIT} open dossiers due by law from today to the 2nd working day ahead, soonest first, each with a link. ${WHO}`,
        querystring: Type.Object({ ...PeriodQuery, unit: Type.Optional(UnitParam), field: Type.Optional(FieldParam) }, { additionalProperties: false }),
        response: withErrors({ 200: HotspotsBody }),
      },
    },
    async (request) => hotspots(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/monitoring/drill',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Chi tiết một ô: các thủ tục / A cell’s procedures',
        description: `The procedures behind the cell of \`unit\` × \`indicator\`, each with its numerator and denominator (they add up to the cell, which is returned too), those pulling the cell down most first. Only computed indicators can be drilled (400 otherwise). ${WHO}`,
        querystring: Type.Object({ ...PeriodQuery, unit: Type.Optional(UnitParam), indicator: Indicator, field: Type.Optional(FieldParam) }, { additionalProperties: false }),
        response: withErrors({ 200: DrillBody }),
      },
    },
    async (request) => drillProcedures(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/monitoring/drill/dossiers',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Chi tiết một ô: các hồ sơ / A cell’s dossiers',
        description: `The dossiers counted in the numerator or the denominator of the cell (optionally of one procedure), a page at a time (keyset cursor): exactly as many as the number they explain. Counts (overdue_pending, due_soon) have a numerator only. ${WHO}`,
        querystring: Type.Object(
          {
            ...PeriodQuery,
            unit: Type.Optional(UnitParam),
            indicator: Indicator,
            procedure: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9.-]+$' })),
            field: Type.Optional(FieldParam),
            part: literals(['numerator', 'denominator'] as const),
            cursor: Type.Optional(Cursor),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: DrillDossiersBody }),
      },
    },
    async (request) => drillDossiers(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/monitoring/time',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Thời gian giải quyết theo thủ tục và theo bước / Where time goes',
        description: `For the units under \`unit\` and a period: per procedure, the average processing time (working time, receipt → settlement, minus supplement waits) of the dossiers settled in it against the legal limit and the service norm of the procedure's main case; per step, the average time at the step against its norm and the late share (whole months: \`stepMonths\`); the slowest steps; and the monthly average against the goal line, 70% of a baseline (the first 12 months with settled dossiers, or the year \`baselineYear\`). From the monitoring aggregates only. ${WHO}`,
        querystring: Type.Object(
          { ...PeriodQuery, unit: Type.Optional(UnitParam), field: Type.Optional(FieldParam), baselineYear: Type.Optional(BaselineYearParam) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: TimeViewBody }),
      },
    },
    async (request) => timeView(ctx, requireStaff(request), request.query),
  );

  // Decision 766 index view (issue 5 item 7): src/monitoring/index-view.ts.
  app.get(
    '/api/monitoring/index',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Chỉ số phục vụ theo QĐ 766 của các đơn vị / Decision 766 index of the units',
        description: `The Decision 766 index for the period: first \`unit\` itself (the total of the units below it, not ranked), then each of its departments, wards and communes, with total score, grade, the six group scores (null = N/A) and its rank within its peer group (departments among departments, wards and communes together) on the rounded total. Computed from the monitoring aggregates only, with the heatmap's facts: each group equals the heatmap's group_N cell. Units without dossiers in the period are not ranked (their score rests on the procedure catalogue alone). \`sort\` orders the unit rows (rank, total or group_1…group_6; N/A last; default direction: desc for scores, asc for rank). ${WHO}`,
        querystring: Type.Object(
          { ...PeriodQuery, unit: Type.Optional(UnitParam), field: Type.Optional(FieldParam), sort: Type.Optional(IndexSortT), dir: Type.Optional(literals(['asc', 'desc'] as const)) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: IndexTableBody }),
      },
    },
    async (request) => indexTable(ctx, requireStaff(request), request.query),
  );

  app.get(
    '/api/monitoring/index/unit',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Chỉ số QĐ 766 của một đơn vị / Decision 766 index of one unit',
        description: `Every group and sub-indicator of \`unit\` (default: your own): numerator, denominator and the counts they are made of, ratio, points, maximum, formula and the calculation with the unit's numbers, and why an item is N/A (denominator 0, or a criterion that does not apply to communes and wards). Its rank is among its peers directly under your own unit (your own unit, the total, is not ranked). ${WHO}`,
        querystring: Type.Object({ ...PeriodQuery, unit: Type.Optional(UnitParam), field: Type.Optional(FieldParam) }, { additionalProperties: false }),
        response: withErrors({ 200: IndexUnitBody }),
      },
    },
    async (request) => unitIndex(ctx, requireStaff(request), request.query),
  );
}
