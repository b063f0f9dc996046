/**
 * The applicant's rating of the service, once per dossier, after the result is ready (status 9)
 * or returned (10). A "dissatisfied" rating lowers satisfaction in index group 6.
 */
import { Status } from '../core/dossier-machine.js';
import { SATISFACTION_NAMES, type SatisfactionLevel } from '../core/feedback.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { canSee } from '../dossiers/act.js';
import { selectScopedDossier, type ScopedDossierRow } from '../dossiers/repository.js';

const RATEABLE: readonly number[] = [Status.Finished, Status.Returned];

async function visibleDossier(ctx: AppContext, actor: Actor, code: string): Promise<ScopedDossierRow> {
  const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
  if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);
  return row;
}

function ratingView(r: { level: SatisfactionLevel; comment: string | null; created_at: Date }) {
  return { level: r.level, levelName: SATISFACTION_NAMES[r.level], comment: r.comment, createdAt: r.created_at.toISOString() };
}

export async function rateDossier(ctx: AppContext, actor: Actor, code: string, input: { level: SatisfactionLevel; comment?: string }) {
  const dossier = await visibleDossier(ctx, actor, code);
  if (actor.role !== 'citizen' || dossier.owner_id !== actor.userId) {
    throw forbidden('Only the applicant who owns the dossier rates it.', 'Chỉ người nộp hồ sơ mới được đánh giá hồ sơ này.');
  }
  if (!RATEABLE.includes(dossier.status_code)) {
    throw conflict('not_finished', 'You can rate the service once the result is ready or returned.', 'Bạn có thể đánh giá khi hồ sơ đã có kết quả hoặc đã trả kết quả.');
  }
  const comment = input.comment?.trim() || null;
  const row = await ctx.db
    .insertInto('dossier_ratings')
    .values({ dossier_id: dossier.id, user_id: actor.userId, level: input.level, comment, created_at: ctx.now() })
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw conflict('already_rated', 'This dossier has already been rated; a rating cannot be changed.', 'Hồ sơ này đã được đánh giá; không thể đánh giá lại.');
  return { dossierCode: dossier.code, rating: ratingView(row), canRate: false };
}

export async function getRating(ctx: AppContext, actor: Actor, code: string) {
  const dossier = await visibleDossier(ctx, actor, code);
  const row = await ctx.db.selectFrom('dossier_ratings').selectAll().where('dossier_id', '=', dossier.id).executeTakeFirst();
  const isOwner = actor.role === 'citizen' && dossier.owner_id === actor.userId;
  return {
    dossierCode: dossier.code,
    rating: row ? ratingView(row) : null,
    canRate: !row && isOwner && RATEABLE.includes(dossier.status_code),
  };
}
