/**
 * The composition root: builds the HTTP app from the capabilities. Routes are thin: they parse,
 * call a use case and map its errors.
 */
import { Type } from '@sinclair/typebox';
import { createRequire } from 'node:module';
import type { AppContext } from './platform/context.js';
import { createHttpServer, type App } from './platform/http.js';
import { installAuth } from './identity/http-auth.js';
import { registerAuthRoutes } from './identity/routes.js';
import { registerOidcRoutes } from './identity/oidc.js';
import { registerCalendarRoutes } from './calendar/routes.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import { registerDossierRoutes } from './dossiers/routes.js';
import { registerAttachmentRoutes } from './dossiers/attachments.js';
import { registerDocumentRoutes } from './dossiers/documents-routes.js';
import { registerDraftRoutes } from './dossiers/drafts.js';
import { registerFollowRoutes } from './dossiers/follow-routes.js';
import { registerFormRoutes } from './dossiers/forms-routes.js';
import { registerWorkCountRoutes } from './dossiers/work-counts.js';
import { registerPaymentRoutes } from './payments/routes.js';
import { registerFeedbackRoutes } from './feedback/routes.js';
import { registerMonitoringRoutes } from './monitoring/routes.js';
import { registerAssistantRoutes } from './assistant/routes.js';
import { registerMonitoringSettingsRoutes } from './monitoring/settings-routes.js';
import { registerReportRoutes } from './reports/routes.js';
import { registerMonitoringLive } from './monitoring/live.js';
import { registerDemoRoutes } from './seed/routes.js';
import { registerSigningRoutes } from './signing/routes.js';
import { registerWebApp } from './platform/web.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = await createHttpServer({
    logLevel: ctx.config.logLevel,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    version: pkg.version,
  });
  installAuth(app, ctx);

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Tình trạng hệ thống / Health',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
            demo: Type.Boolean({ description: 'Demo mode: the data is simulated (the portal says so).' }),
          }),
        },
      },
    },
    async () => {
      await ctx.database.pool.query('SELECT 1');
      return { status: 'ok' as const, database: ctx.database.kind, demo: ctx.config.demo };
    },
  );

  registerAuthRoutes(app, ctx);
  registerOidcRoutes(app, ctx);
  registerCatalogRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerDossierRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  registerDocumentRoutes(app, ctx);
  registerDraftRoutes(app, ctx);
  registerFollowRoutes(app, ctx);
  registerFormRoutes(app, ctx);
  registerWorkCountRoutes(app, ctx);
  registerPaymentRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerMonitoringRoutes(app, ctx);
  registerAssistantRoutes(app, ctx);
  registerMonitoringSettingsRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  await registerMonitoringLive(app, ctx);
  registerDemoRoutes(app, ctx);
  registerSigningRoutes(app, ctx);
  // Last: the web app's catch-all GET must not shadow an API route.
  await registerWebApp(app, ctx);
  await app.ready();
  return app;
}
