/** Demo-only administration: add simulated dossiers to a running instance (used by `npm run simulate`). */
import { Type } from '@sinclair/typebox';
import { requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { forbidden } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { simulateDossiers } from './simulate.js';

export function registerDemoRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/admin/simulate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Thêm hồ sơ mô phỏng (chỉ chế độ demo) / Add simulated dossiers (demo mode only)',
        body: Type.Object(
          {
            dossiers: Type.Integer({ minimum: 1, maximum: 5_000_000 }),
            days: Type.Integer({ minimum: 1, maximum: 3650 }),
            seed: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ dossiers: Type.Integer(), actions: Type.Integer(), ms: Type.Integer() }) }),
      },
    },
    async (request) => {
      requireRole(request, ['admin']);
      if (!ctx.config.demo) {
        throw forbidden('Simulated data is only allowed in demo mode (MOTCUA_DEMO=true).', 'Chỉ được tạo dữ liệu mô phỏng ở chế độ demo (MOTCUA_DEMO=true).');
      }
      return simulateDossiers(ctx, request.body);
    },
  );
}
