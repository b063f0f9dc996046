/**
 * Uploads that never became part of a dossier or a draft (the applicant gave up, or replaced a
 * file) are removed after a grace period, rows first and then bytes: a submission racing with the
 * purge either linked the file before (the row is kept) or finds it gone and fails cleanly (409),
 * so a dossier never points at a deleted file. A file whose deletion fails is only wasted space.
 */
import type { AppContext } from '../platform/context.js';
import type { FileStore } from '../platform/files.js';

export interface PurgeResult {
  rows: number;
  filesFailed: number;
}

/** Days an upload may stay unattached (not in a dossier, not in a draft). */
export const ABANDONED_UPLOAD_DAYS = 7;
const BATCH = 500;

export async function purgeAbandonedUploads(ctx: AppContext, files: FileStore, olderThanDays = ABANDONED_UPLOAD_DAYS): Promise<PurgeResult> {
  const cutoff = new Date(ctx.now().getTime() - olderThanDays * 86_400_000);
  const result: PurgeResult = { rows: 0, filesFailed: 0 };
  for (;;) {
    // Oldest first, in batches, through the partial index on unattached uploads.
    const gone = await ctx.db
      .deleteFrom('attachments')
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('attachments')
          .select('id')
          .where('dossier_id', 'is', null)
          .where('draft_id', 'is', null)
          .where('created_at', '<', cutoff)
          .orderBy('created_at')
          .limit(BATCH),
      )
      .where('dossier_id', 'is', null)
      .where('draft_id', 'is', null)
      .returning('storage_key')
      .execute();
    result.rows += gone.length;
    for (const g of gone) {
      try {
        await files.delete(g.storage_key);
      } catch {
        result.filesFailed++;
      }
    }
    if (gone.length < BATCH) return result;
  }
}

/** Runs the purge now and then every `intervalMs`; returns a stop function. */
export function startUploadPurge(ctx: AppContext, files: FileStore, opts: { intervalMs: number; log?: (msg: string) => void }): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await purgeAbandonedUploads(ctx, files);
      if (r.rows || r.filesFailed) {
        opts.log?.(`motcua: đã xoá ${r.rows} tệp tải lên bị bỏ dở / removed ${r.rows} abandoned uploads${r.filesFailed ? ` (${r.filesFailed} files could not be deleted)` : ''}`);
      }
    } catch (err) {
      opts.log?.(`motcua: dọn tệp tải lên thất bại / upload purge failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), opts.intervalMs);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
