/**
 * npm run simulate -- --dossiers N --days D [--seed S]
 *
 * Adds simulated dossiers. With DATABASE_URL it writes to PostgreSQL directly. With the embedded
 * database it takes the data folder's lock, so it works on a stopped instance; when a server
 * holds the lock, it asks that server instead (POST /api/admin/simulate, as the demo admin).
 */
import { parseArgs } from 'node:util';
import { CalendarStore } from '../src/calendar/store.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { DataDirLockedError } from '../src/platform/lock.js';
import { migrate } from '../src/platform/migrate.js';
import { progressBar } from '../src/platform/progress.js';
import { seedIfEmpty, DEMO_PASSWORD } from '../src/seed/demo.js';
import { simulateDossiers } from '../src/seed/simulate.js';

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
    seed: { type: 'string' },
    url: { type: 'string' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: DEMO_PASSWORD },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run simulate -- --dossiers N --days D [--seed S] [--url http://localhost:3000 --username admin --password ...]');
  process.exit(0);
}
const dossiers = Number(values.dossiers);
const days = Number(values.days);
if (!Number.isInteger(dossiers) || dossiers < 1 || !Number.isInteger(days) || days < 1) {
  console.error('--dossiers và --days phải là số nguyên dương / --dossiers and --days must be positive whole numbers');
  process.exit(2);
}
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
const config = loadConfig();

async function viaServer(baseUrl: string): Promise<void> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: values.username, password: values.password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  console.log(`Máy chủ đang chạy: gửi yêu cầu mô phỏng / server running: asking it to simulate ${dossiers} dossiers`);
  const res = await fetch(`${baseUrl}/api/admin/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ dossiers, days, seed }),
  });
  console.log(res.status, await res.text());
  if (!res.ok) process.exit(1);
}

try {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database.pool);
  const ctx = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };
  await seedIfEmpty({ ...ctx, config: { ...config, demoDossiers: 0 } });
  const r = await simulateDossiers(ctx, { dossiers, days, seed, onProgress: progressBar('Mô phỏng / Simulating') });
  console.log(`${r.dossiers} hồ sơ / dossiers, ${r.actions} thao tác / actions in ${(r.ms / 1000).toFixed(1)} s`);
  await database.close();
} catch (err) {
  if (err instanceof DataDirLockedError) await viaServer(values.url ?? config.publicUrl);
  else throw err;
}
