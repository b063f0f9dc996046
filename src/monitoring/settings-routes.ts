/**
 * HTTP routes of the monitoring settings (settings.ts): leaders and admins read them, admins
 * change them. The role is checked before the body is validated, so someone who may not change the
 * settings always gets 403, whatever they send. CSRF is enforced for every unsafe method by
 * installAuth (x-csrf-token header).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { HEATMAP_INDICATOR_IDS, type HeatmapIndicatorId } from '../core/heatmap.js';
import { GRADE_IDS, INDEX_UNIT_KINDS, SUB_INDICATOR_IDS } from '../core/index766.js';
import { requireActor } from '../identity/http-auth.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { MONITORING_ROLES } from './scope.js';
import { ADMIN_ONLY, monitoringSettingsView, resetMonitoringSettings, saveMonitoringSettings } from './settings.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const Pair = Type.Object({ green: Type.Number(), yellow: Type.Number() });
const ConfigView = Type.Object({
  gradeBands: Type.Array(Type.Object({ grade: literals(GRADE_IDS), name: Name, minScore: Type.Number() })),
  notApplicable: Type.Object(Object.fromEntries(INDEX_UNIT_KINDS.map((k) => [k, Type.Array(Type.String())])) as Record<string, ReturnType<typeof Type.Array>>),
  group3MaxPoints: Type.Object({ '3.1': Type.Number(), '3.2': Type.Number(), '3.3': Type.Number() }),
});

const SettingsBody = Type.Object({
  thresholds: Type.Object({
    updatedAt: Nullable(Type.String({ description: 'Last change of any threshold; null = never changed.' })),
    updatedBy: Nullable(Type.String({ description: 'Full name of the admin who made it.' })),
    indicators: Type.Array(
      Type.Object({
        id: literals(HEATMAP_INDICATOR_IDS as readonly HeatmapIndicatorId[]),
        name: Name,
        unit: literals(['percent', 'count', 'points'] as const),
        direction: literals(['higher_is_better', 'lower_is_better'] as const),
        maxValue: Nullable(Type.Number({ description: 'Largest accepted threshold; null = no maximum (counts).' })),
        defaults: Pair,
        current: Pair,
        overridden: Type.Boolean({ description: 'The current thresholds differ from the defaults.' }),
      }),
    ),
  }),
  index766: Type.Object({
    updatedAt: Nullable(Type.String()),
    updatedBy: Nullable(Type.String()),
    overridden: Type.Boolean(),
    current: ConfigView,
    defaults: ConfigView,
    unitKinds: Type.Array(Type.String()),
    subIndicators: Type.Array(Type.Object({ id: literals(SUB_INDICATOR_IDS), group: Type.Integer(), name: Name })),
  }),
});

// The details are checked by settings.ts (checkThresholds, checkIndex766Config), whose messages
// name the indicator and say why; the schema documents the shape.
const ChangeBody = Type.Object(
  {
    thresholds: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: `{ indicator id: { "green": n, "yellow": n } } for the indicators to change; null puts an indicator's default back. Indicators: ${HEATMAP_INDICATOR_IDS.join(', ')}. Higher is better: green ≥ yellow; lower is better: green ≤ yellow; percent 0–100, points 0–group maximum, counts ≥ 0.`,
      }),
    ),
    index766: Type.Optional(
      Type.Unknown({
        description:
          'Some or all of { "gradeBands": [{grade, minScore}×5, best first, strictly decreasing, the last 0], "notApplicable": { unit kind: [sub-indicator ids] } (a kind not named keeps its list), "group3MaxPoints": {"3.1","3.2","3.3"} summing to 12 }; null puts the default configuration back.',
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Why (kept in the audit log).' })),
  },
  { additionalProperties: false },
);

const READERS = MONITORING_ROLES as readonly string[];

function requireReader(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!READERS.includes(actor.role)) {
    throw new AppError(403, 'forbidden', 'The monitoring settings are for leaders and administrators.', 'Cấu hình theo dõi chỉ dành cho lãnh đạo và quản trị viên.');
  }
  return actor;
}

function requireAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (actor.role !== 'admin') throw new AppError(403, 'forbidden', ADMIN_ONLY.message, ADMIN_ONLY.messageVi);
  return actor;
}

const PATH = '/api/admin/monitoring-settings';

export function registerMonitoringSettingsRoutes(app: App, ctx: AppContext): void {
  app.get(
    PATH,
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Ngưỡng chỉ tiêu và cấu hình Chỉ số 766 / Heatmap thresholds and Decision 766 configuration',
        description: 'Each heatmap indicator with its default and current green / yellow thresholds, and the Decision 766 index configuration (grade bands, items not applicable per unit kind, group 3 split), current and default. Leaders and admins; others 403.',
        response: withErrors({ 200: SettingsBody }),
      },
    },
    async (request) => {
      requireReader(request);
      return monitoringSettingsView(ctx);
    },
  );

  app.put(
    PATH,
    {
      // Before the body is validated: a non-admin gets 403 whatever the body.
      preValidation: async (request) => {
        requireAdmin(request);
      },
      schema: {
        tags: ['monitoring'],
        summary: 'Thay đổi ngưỡng chỉ tiêu và cấu hình Chỉ số 766 (quản trị) / Change thresholds and index configuration (admin)',
        description:
          'A partial change, checked whole: with any problem nothing is written (400 listing every problem). Recorded in the audit log. Other server instances apply it within about a second. Admins only; others 403.',
        body: ChangeBody,
        response: withErrors({ 200: SettingsBody }),
      },
    },
    async (request) => {
      await saveMonitoringSettings(ctx, requireAdmin(request), request.body);
      return monitoringSettingsView(ctx);
    },
  );

  app.delete(
    PATH,
    {
      preValidation: async (request) => {
        requireAdmin(request);
      },
      schema: {
        tags: ['monitoring'],
        summary: 'Khôi phục mặc định (quản trị) / Restore the defaults (admin)',
        description: '`part`: thresholds, index766 or all (default). Recorded in the audit log. Admins only; others 403.',
        querystring: Type.Object({ part: Type.Optional(literals(['all', 'thresholds', 'index766'] as const)) }, { additionalProperties: false }),
        response: withErrors({ 200: SettingsBody }),
      },
    },
    async (request) => {
      await resetMonitoringSettings(ctx, requireAdmin(request), request.query.part ?? 'all');
      return monitoringSettingsView(ctx);
    },
  );
}
