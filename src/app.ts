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
import { registerDemoRoutes } from './seed/routes.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = await createHttpServer({
    logLevel: ctx.config.logLevel,
    bodyLimit: ctx.config.bodyLimit,
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
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) }),
        },
      },
    },
    async () => {
      await ctx.database.pool.query('SELECT 1');
      return { status: 'ok' as const, database: ctx.database.kind };
    },
  );

  registerAuthRoutes(app, ctx);
  registerOidcRoutes(app, ctx);
  registerCatalogRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerDossierRoutes(app, ctx);
  registerDemoRoutes(app, ctx);
  await app.ready();
  return app;
}
