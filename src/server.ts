/**
 * `npm start`: validate the configuration, open the database (embedded PGlite in ./data unless
 * DATABASE_URL is set), migrate, seed the Đắk Lắk demo into an empty database, start the local
 * OpenID provider (demo stand-in for VNeID) and serve the API.
 */
import { buildApp } from './app.js';
import { CalendarStore } from './calendar/store.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import type { AppContext } from './platform/context.js';
import { openDatabase } from './platform/db.js';
import { DataDirLockedError } from './platform/lock.js';
import { migrate } from './platform/migrate.js';
import { progressBar } from './platform/progress.js';
import { seedIfEmpty } from './seed/demo.js';
import { startNotifier } from './notifications/notifier.js';
import { startUploadPurge } from './dossiers/purge-uploads.js';
import { createFileStore } from './platform/files.js';
import { startReportJobs } from './reports/jobs.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  console.log(`motcua: cơ sở dữ liệu / database: ${database.description}`);
  const applied = await migrate(database.pool);
  if (applied.length) console.log(`motcua: đã áp dụng migration / applied migrations: ${applied.join(', ')}`);
  const ctx: AppContext = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };

  await seedIfEmpty(ctx, { onProgress: progressBar('Tạo dữ liệu mô phỏng / Simulating dossiers') });

  let provider: { issuer: string; close(): Promise<void> } | null = null;
  if (!config.oidc.issuer && config.demo) {
    // Loaded only here: production (a real issuer) never loads the stand-in provider.
    const { startLocalOidcProvider } = await import('./identity/oidc-provider.js');
    provider = await startLocalOidcProvider({
      port: config.oidc.localProviderPort,
      clientId: config.oidc.clientId,
      clientSecret: config.oidc.clientSecret,
      redirectUris: [`${config.publicUrl}/api/auth/oidc/callback`],
      postLogoutRedirectUris: [`${config.publicUrl}/`],
    });
    console.log(`motcua: nhà cung cấp định danh mô phỏng VNeID / simulated VNeID provider: ${provider.issuer}`);
  }

  const app = await buildApp(ctx);
  await app.listen({ port: config.port, host: config.host });
  console.log(`motcua: sẵn sàng tại / ready at ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs)`);
  // Email notifications to applicants (projected from the action log, sent over SMTP_URL).
  const stopNotifier = startNotifier(ctx, { intervalMs: 1000 });
  // Uploads never submitted nor kept in a draft are removed after a grace period (hourly check).
  const stopPurge = startUploadPurge(ctx, createFileStore(config), { intervalMs: 3_600_000, log: (m) => console.log(m) });
  // Job queue in PostgreSQL (pg-boss): the monthly reports on the 1st (and last month's, if missed).
  const reportJobs = await startReportJobs(ctx).catch((err: unknown) => {
    console.error(`motcua: không khởi động được hàng đợi báo cáo / report jobs not started: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`motcua: dừng (${signal}) / stopping`);
    await app.close().catch(() => {});
    stopPurge();
    await reportJobs?.stop().catch(() => {});
    await stopNotifier().catch(() => {});
    await provider?.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(3);
  }
  console.error('motcua: không khởi động được / failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
