/**
 * npm run monitoring:rebuild
 *
 * Recomputes the monitoring aggregates (migration 016) from the dossier action log, in one
 * transaction: after a bug fix in the aggregate rules, or to check that the incrementally
 * maintained figures are right. With the embedded database the server must be stopped (it holds
 * the data folder's lock); with DATABASE_URL it runs next to the servers (readers keep the old
 * figures until the rebuild commits; dossier actions wait on the table lock meanwhile).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { DataDirLockedError } from '../src/platform/lock.js';
import { migrate } from '../src/platform/migrate.js';
import { rebuildAggregates } from '../src/monitoring/aggregates.js';
import { VIETNAM_UTC_OFFSET_MINUTES } from '../src/dossiers/repository.js';

const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('npm run monitoring:rebuild   (tính lại số liệu tổng hợp từ nhật ký thao tác / recompute the aggregates from the action log)');
  process.exit(0);
}
const config = loadConfig();
try {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database.pool);
  let last = 0;
  const r = await rebuildAggregates(database.db, VIETNAM_UTC_OFFSET_MINUTES, {
    onProgress: (n) => {
      if (n - last >= 100_000) {
        last = n;
        console.log(`… ${n} hồ sơ / dossiers`);
      }
    },
  });
  console.log(`Đã tính lại / rebuilt: ${r.dossiers} hồ sơ / dossiers, ${r.actions} thao tác / actions in ${r.seconds.toFixed(1)} s`);
  await database.close();
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error('Máy chủ đang dùng cơ sở dữ liệu nhúng; hãy dừng máy chủ rồi chạy lại. / The server holds the embedded database; stop it and run again.');
    process.exit(1);
  }
  throw err;
}
