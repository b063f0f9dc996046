/**
 * Performing an action on a dossier: lock it, check the actor's scope, let the core decide, and
 * write the action and the new state in one transaction. Idempotent per (dossier, key): a
 * repeated request by the same person changes nothing and answers with the dossier as it is.
 *
 * One executor serves every action because the differences between actions are rules, and the
 * rules live in one table in src/core/dossier-machine.ts; the per-action checks that need the
 * database (the assignee, the target unit) are below. The common path is two statements — read
 * the dossier with its unit paths, then one statement that appends the action and moves the state
 * (see writeDecisionAtomic) — because round trips are what a busy desk pays for.
 */
import type { Kysely } from 'kysely';
import { decide, roleMayAct, TransitionError, type Command, type Decision } from '../core/dossier-machine.js';
import { inJurisdiction, isStaff, type Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { AppError, invalidField, notFound } from '../platform/errors.js';
import { recordLinkedFiles } from './document-copies.js';
import { rowToState, selectScopedDossier, writeDecisionAtomic, type DossierRow, type ScopedDossierRow } from './repository.js';

export interface ActResult {
  code: string;
  replayed: boolean;
}

export function transitionToAppError(err: TransitionError): AppError {
  const status = err.code === 'action_not_allowed' ? 409 : err.code === 'role_not_allowed' ? 403 : 400;
  return new AppError(
    status,
    err.code,
    err.message,
    err.messageVi,
    err.field ? [{ field: err.field, message: err.message, messageVi: err.messageVi }] : undefined,
  );
}

/** Can this actor see the dossier at all? Staff: the holding, receiving or deciding unit is in their jurisdiction; citizens: their own. */
export function canSee(actor: Actor, row: Pick<ScopedDossierRow, 'owner_id' | 'current_path' | 'receiving_path' | 'deciding_path'>): boolean {
  if (actor.role === 'citizen') return row.owner_id === actor.userId;
  if (!isStaff(actor) || !actor.unitPath) return false;
  return [row.current_path, row.receiving_path, row.deciding_path].some((p) => inJurisdiction(actor, p));
}

/** Staff act only where the dossier is held now; citizens on their own dossier. */
export function canAct(actor: Actor, row: Pick<ScopedDossierRow, 'owner_id' | 'current_path'>): boolean {
  if (actor.role === 'citizen') return row.owner_id === actor.userId;
  return inJurisdiction(actor, row.current_path);
}

export interface ActOutcome extends ActResult {
  /** The dossier after the action, when it could be assembled without another read. */
  row?: ScopedDossierRow;
}

const MAX_ATTEMPTS = 10;

export interface ActOptions {
  /** supplement: uploads (public ids) of the actor, linked to the dossier in the same transaction as the action. */
  attachmentIds?: string[];
  /**
   * Writes that belong to the action (digitise: the document's copy), in the same transaction,
   * after the action row; throwing undoes the action too. Not called on a replay.
   */
  within?: (trx: Kysely<DB>, row: ScopedDossierRow, at: Date) => Promise<void>;
}

export async function actOnDossier(ctx: AppContext, actor: Actor, code: string, cmd: Command, idempotencyKey: string, opts: ActOptions = {}): Promise<ActOutcome> {
  const attachmentIds = opts.attachmentIds ?? [];
  if (attachmentIds.length && cmd.type !== 'supplement') {
    throw invalidField('attachmentIds', 'files can be attached only to a supplement', 'chỉ được đính kèm tệp khi bổ sung hồ sơ');
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const at = ctx.now();
    const row = (await selectScopedDossier(ctx.db).where('d.code', '=', code).executeTakeFirst()) as ScopedDossierRow | undefined;
    if (!row || !canSee(actor, row)) throw notFound('Dossier', 'hồ sơ', code);

    // The holder and the role are checked before anything else, replays included, so a replay
    // never tells an outsider "done".
    if (!canAct(actor, row)) {
      throw new AppError(403, 'out_of_scope', `The dossier is now held by unit ${row.current_unit}, outside your jurisdiction.`, `Hồ sơ đang do đơn vị ${row.current_unit} xử lý, ngoài phạm vi của bạn.`);
    }
    const isOwner = actor.role === 'citizen' && row.owner_id === actor.userId;
    if (!roleMayAct(cmd.type, { role: actor.role, userId: actor.userId, isOwner })) {
      throw transitionToAppError(
        new TransitionError('role_not_allowed', `Your role (${actor.role}) may not do "${cmd.type}" on this dossier.`, `Vai trò của bạn (${actor.role}) không được thực hiện thao tác "${cmd.type}" trên hồ sơ này.`),
      );
    }

    const cal = await ctx.calendars.forUnit(row.receiving_unit);
    let decision: Decision;
    try {
      await checkCommand(ctx.db, cmd, row);
      decision = decide(rowToState(row), cmd, { role: actor.role, userId: actor.userId, isOwner }, at, cal);
    } catch (err) {
      // A repeat of an action that already moved the dossier on is a replay, not an error.
      if (await isReplay(ctx.db, row.id, idempotencyKey, cmd.type, actor)) return { code, replayed: true };
      if (err instanceof TransitionError) throw transitionToAppError(err);
      throw err;
    }
    const stamp = { userId: actor.userId, role: actor.role, unit: actor.unitCode };
    const within = opts.within;
    const w = attachmentIds.length
      ? await writeWithAttachments(ctx.db, row, cmd.type, decision, stamp, at, idempotencyKey, actor, attachmentIds)
      : within
        ? await ctx.db.transaction().execute(async (trx) => {
            const written = await writeDecisionAtomic(trx, row, cmd.type, decision, stamp, at, idempotencyKey);
            if (written.kind === 'written') await within(trx, row, at);
            return written;
          })
        : await writeDecisionAtomic(ctx.db, row, cmd.type, decision, stamp, at, idempotencyKey);
    if (w.kind === 'written') {
      const pathOf = (u: string) => (u === row.current_unit ? row.current_path : u === row.receiving_unit ? row.receiving_path : u === row.deciding_unit ? row.deciding_path : null);
      const currentPath = pathOf(w.row.current_unit);
      return {
        code,
        replayed: false,
        ...(currentPath ? { row: { ...row, ...w.row, current_path: currentPath } } : {}),
      };
    }
    if (w.kind === 'replay' && (await isReplay(ctx.db, row.id, idempotencyKey, cmd.type, actor))) return { code, replayed: true };
    // 'conflict': someone acted on this dossier at the same moment; decide again on fresh state.
  }
  throw new AppError(409, 'concurrent_update', 'The dossier was being changed by others at the same moment; please try again.', 'Hồ sơ đang được người khác cập nhật cùng lúc; vui lòng thử lại.');
}

/**
 * The action and the linking of the supplement's files, all or nothing: every file must be the
 * actor's own upload for this dossier's procedure and not yet part of a dossier. A file given for
 * a required document becomes that document's electronic copy (document-copies.ts).
 */
async function writeWithAttachments(
  db: Kysely<DB>,
  row: ScopedDossierRow,
  type: string,
  decision: Decision,
  stamp: { userId: number | null; role: string; unit: string | null },
  at: Date,
  key: string,
  actor: Actor,
  publicIds: string[],
): Promise<Awaited<ReturnType<typeof writeDecisionAtomic>>> {
  decision.record.payload.attachmentIds = publicIds;
  return db.transaction().execute(async (trx) => {
    const w = await writeDecisionAtomic(trx, row, type, decision, stamp, at, key);
    if (w.kind !== 'written') return w;
    const linked = await trx
      .updateTable('attachments')
      .set({ dossier_id: row.id, draft_id: null })
      .where('public_id', 'in', publicIds)
      .where('owner_user_id', '=', actor.userId!)
      .where('procedure_code', '=', row.procedure_code)
      .where('dossier_id', 'is', null)
      .returning(['id', 'public_id', 'document_seq'])
      .execute();
    if (linked.length !== publicIds.length) {
      const ok = new Set(linked.map((l) => l.public_id));
      const bad = publicIds.findIndex((id) => !ok.has(id));
      throw invalidField(
        `attachmentIds.${bad}`,
        `file ${publicIds[bad]} is not an upload of yours for this procedure, or it is already part of a dossier`,
        `tệp ${publicIds[bad]} không phải tệp bạn tải lên cho thủ tục này, hoặc đã thuộc một hồ sơ`,
      );
    }
    await recordLinkedFiles(trx, row.id, linked, actor.role === 'citizen' ? 'upload' : 'scan', at, actor.userId);
    return w;
  });
}

/** Was this key already used on this dossier for the same action by the same person? */
async function isReplay(trx: Kysely<DB>, dossierId: number, key: string, type: string, actor: Actor): Promise<boolean> {
  const prior = await trx
    .selectFrom('dossier_actions')
    .select(['type', 'actor_id'])
    .where('dossier_id', '=', dossierId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!prior) return false;
  if (prior.type !== type || prior.actor_id !== actor.userId) {
    throw new AppError(409, 'idempotency_key_reused', 'This Idempotency-Key was already used for another action on this dossier.', 'Idempotency-Key này đã được dùng cho một thao tác khác trên hồ sơ.');
  }
  return true;
}

async function checkCommand(trx: Kysely<DB>, cmd: Command, row: DossierRow): Promise<void> {
  const holderPath = async (code: string) =>
    (await trx.selectFrom('units').select('path').where('code', '=', code).executeTakeFirst())?.path;
  if (cmd.type === 'assign' || (cmd.type === 'forward' && cmd.assigneeId)) {
    const id = cmd.assigneeId!;
    const target = cmd.type === 'forward' && cmd.toUnit ? cmd.toUnit : row.current_unit;
    const user = await trx
      .selectFrom('users as u')
      .innerJoin('units as un', 'un.code', 'u.unit_code')
      .select(['u.role', 'un.path', 'u.active'])
      .where('u.id', '=', id)
      .executeTakeFirst();
    const path = await holderPath(target);
    if (!user || !user.active || user.role === 'citizen' || !path || !user.path.startsWith(path)) {
      throw invalidField('assigneeId', `user ${id} is not an official of unit ${target}`, `người dùng ${id} không phải cán bộ của đơn vị ${target}`);
    }
  }
  if (cmd.type === 'forward' && cmd.toUnit && cmd.toUnit !== row.current_unit) {
    if (![row.receiving_unit, row.deciding_unit].includes(cmd.toUnit)) {
      // Inter-agency steps stay inside the province of the receiving unit.
      const [to, from] = await Promise.all([holderPath(cmd.toUnit), holderPath(row.receiving_unit)]);
      if (!to) throw invalidField('toUnit', `unknown unit "${cmd.toUnit}"`, `không có đơn vị "${cmd.toUnit}"`);
      const province = from?.split('/').slice(0, 3).join('/') ?? '';
      if (!to.startsWith(`${province}/`)) {
        throw invalidField('toUnit', `unit "${cmd.toUnit}" is outside the province of the receiving unit`, `đơn vị "${cmd.toUnit}" nằm ngoài tỉnh của đơn vị tiếp nhận`);
      }
    }
  }
}
