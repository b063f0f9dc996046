/**
 * Email notifications to applicants, in two halves that are each safe with several server
 * instances running at once:
 *
 * 1. Projection: read dossier_actions after the cursor (settings 'notifications.cursor') in id
 *    order, in batches, and write one notification per public-facing action of a dossier with an
 *    applicant email. The cursor advances under a transaction-level advisory lock (one projector
 *    at a time; the other instance skips its turn). UNIQUE (action_id) makes re-reading harmless,
 *    which allows a small look-back behind the cursor: an action whose id was taken before but
 *    committed after a later one (ids are not assigned in commit order) is still picked up.
 *    Actions older than MAX_ACTION_AGE when first read (history, a long outage) are not emailed.
 * 2. Delivery: claim due pending rows with FOR UPDATE SKIP LOCKED, lease them (next_attempt_at
 *    moves ahead, attempts + 1) and commit, then send over SMTP outside any transaction; record
 *    sent, or schedule a retry with exponential backoff, or give up (failed) after MAX_ATTEMPTS.
 *    A crash between the SMTP server's acceptance and the update sends the message again after
 *    the lease: delivery is at least once.
 *
 * Without SMTP_URL nothing is sent: notifications are still recorded and stay pending (sent once
 * SMTP is configured), and the log says so once.
 */
import { sql, type Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { StatusCode } from '../core/dossier-machine.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { composeNotification } from './messages.js';

export const CURSOR_KEY = 'notifications.cursor';
/** Advisory lock key of the projector (an arbitrary constant: "motcua-notifications"). */
const PROJECTOR_LOCK = 774_611_001;
export const BATCH_SIZE = 500;
/** Ids re-read behind the cursor on each run (see above). */
export const LOOKBACK_IDS = 1000;
/** ...and only those dated within this window (an action is written within moments of its time). */
export const LOOKBACK_MS = 10 * 60_000;
export const MAX_ACTION_AGE_MS = 72 * 3600_000;
export const MAX_ATTEMPTS = 6;
export const SEND_BATCH = 20;
/** How long a claimed message is reserved for the sender that claimed it. */
export const LEASE_MS = 120_000;

/** Delay before retry n (1-based): 30 s, 1 min, 2 min, 4 min... capped at 1 hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

export interface NotifierLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const consoleLog: NotifierLog = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export interface RunResult {
  created: number;
  sent: number;
  retried: number;
  failed: number;
}

/** Reads new actions and records their notifications; returns how many were created. */
export async function project(ctx: AppContext): Promise<number> {
  let created = 0;
  for (let round = 0; round < 20; round++) {
    const r = await projectBatch(ctx);
    created += r.created;
    if (!r.more) break;
  }
  return created;
}

async function projectBatch(ctx: AppContext): Promise<{ created: number; more: boolean }> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${PROJECTOR_LOCK}) as ok`.execute(trx);
    if (!lock.rows[0]?.ok) return { created: 0, more: false };
    const cursor = await readCursor(trx);
    const base = () =>
      trx
        .selectFrom('dossier_actions as a')
        .innerJoin('dossiers as d', 'd.id', 'a.dossier_id')
        .innerJoin('procedures as p', 'p.code', 'd.procedure_code')
        .select([
          'a.id',
          'a.dossier_id',
          'a.type',
          'a.at',
          'a.from_status',
          'a.to_status',
          'a.from_unit',
          'a.to_unit',
          'a.reason',
          'a.payload',
          'd.code',
          'd.channel',
          'd.applicant_name',
          'd.applicant_email',
          'd.status_code',
          'd.receiving_unit',
          'd.received_at',
          'd.appointment_at',
          'd.legal_appointment_at',
          'd.paused_at',
          'd.finished_at',
          'd.timeliness',
          'p.name as procedure_name',
        ]);
    // New actions, in id order.
    const fresh = await base().where('a.id', '>', cursor).orderBy('a.id').limit(BATCH_SIZE).execute();
    // Look-back: recent actions just behind the cursor that have no notification yet (ids taken
    // before, committed after the cursor moved). Anything that does not qualify is skipped again.
    const late = cursor > 0
      ? await base()
          .where('a.id', '>', Math.max(0, cursor - LOOKBACK_IDS))
          .where('a.id', '<=', cursor)
          .where('a.at', '>', new Date(now.getTime() - LOOKBACK_MS))
          .where('d.applicant_email', 'is not', null)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('notifications as n').select('n.id').whereRef('n.action_id', '=', 'a.id'))))
          .orderBy('a.id')
          .execute()
      : [];
    const rows = [...late, ...fresh];

    const values = [];
    for (const r of rows) {
      if (!r.applicant_email) continue;
      if (now.getTime() - r.at.getTime() > MAX_ACTION_AGE_MS) continue;
      const msg = composeNotification({
        action: { type: r.type, at: r.at, fromStatus: r.from_status, toStatus: r.to_status, fromUnit: r.from_unit, toUnit: r.to_unit, reason: r.reason, payload: r.payload ?? {} },
        dossier: {
          code: r.code,
          channel: r.channel,
          applicantName: r.applicant_name,
          statusCode: r.status_code as StatusCode,
          receivingUnit: r.receiving_unit,
          receivedAt: r.received_at,
          appointmentAt: r.appointment_at,
          legalAppointmentAt: r.legal_appointment_at,
          pausedAt: r.paused_at,
          finishedAt: r.finished_at,
          timeliness: r.timeliness,
        },
        procedureName: r.procedure_name,
        publicUrl: ctx.config.publicUrl,
      });
      if (!msg) continue;
      values.push({
        action_id: r.id,
        dossier_id: r.dossier_id,
        recipient: r.applicant_email,
        subject: msg.subject,
        body_text: msg.text,
        next_attempt_at: now,
        created_at: now,
      });
    }
    let created = 0;
    if (values.length) {
      const inserted = await trx
        .insertInto('notifications')
        .values(values)
        .onConflict((oc) => oc.column('action_id').doNothing())
        .returning('id')
        .execute();
      created = inserted.length;
    }
    const maxId = fresh.reduce((m, r) => Math.max(m, r.id), cursor);
    if (maxId > cursor) {
      await trx
        .updateTable('settings')
        .set({ value: JSON.stringify({ actionId: maxId }), updated_at: now })
        .where('key', '=', CURSOR_KEY)
        .execute();
    }
    return { created, more: fresh.length === BATCH_SIZE };
  });
}

async function readCursor(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CURSOR_KEY).executeTakeFirst();
  if (!row) {
    await db
      .insertInto('settings')
      .values({ key: CURSOR_KEY, value: JSON.stringify({ actionId: 0 }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return 0;
  }
  const v = row.value as { actionId?: unknown };
  return typeof v?.actionId === 'number' ? v.actionId : Number(v?.actionId ?? 0) || 0;
}

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    transports.set(url, t);
  }
  return t;
}

const warnedNoSmtp = new WeakSet<AppContext>();

/** Sends the due pending notifications (one claim of up to SEND_BATCH rows). */
export async function deliver(ctx: AppContext, log: NotifierLog = consoleLog): Promise<Omit<RunResult, 'created'>> {
  const result = { sent: 0, retried: 0, failed: 0 };
  const url = ctx.config.mail.smtpUrl;
  if (!url) {
    if (!warnedNoSmtp.has(ctx)) {
      warnedNoSmtp.add(ctx);
      log.warn('motcua: SMTP_URL chưa đặt: thông báo email được ghi lại nhưng không gửi / SMTP_URL not set: email notifications are recorded but stay pending (not sent)');
    }
    return result;
  }
  const now = ctx.now();
  const claimed = await ctx.db
    .updateTable('notifications')
    .set({ attempts: sql`attempts + 1`, next_attempt_at: new Date(now.getTime() + LEASE_MS) })
    .where(
      'id',
      'in',
      sql<number>`(select id from notifications where status = 'pending' and next_attempt_at <= ${now} order by next_attempt_at, id limit ${SEND_BATCH} for update skip locked)`,
    )
    .returning(['id', 'recipient', 'subject', 'body_text', 'attempts'])
    .execute();
  if (!claimed.length) return result;
  const transport = transportFor(url);
  for (const n of claimed) {
    try {
      await transport.sendMail({
        from: ctx.config.mail.from,
        to: n.recipient,
        subject: n.subject,
        text: n.body_text,
        textEncoding: 'base64',
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await ctx.db.updateTable('notifications').set({ status: 'sent', sent_at: ctx.now(), last_error: null }).where('id', '=', n.id).execute();
      result.sent++;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const giveUp = n.attempts >= MAX_ATTEMPTS;
      await ctx.db
        .updateTable('notifications')
        .set(giveUp ? { status: 'failed', last_error: message } : { last_error: message, next_attempt_at: new Date(ctx.now().getTime() + backoffMs(n.attempts)) })
        .where('id', '=', n.id)
        .execute();
      if (giveUp) {
        result.failed++;
        log.error(`motcua: gửi thư thất bại, đã dừng sau ${n.attempts} lần / email notification ${n.id} failed after ${n.attempts} attempts: ${message}`);
      } else {
        result.retried++;
        log.warn(`motcua: gửi thư chưa được, sẽ thử lại / email notification ${n.id} not sent (attempt ${n.attempts}), will retry: ${message}`);
      }
    }
  }
  return result;
}

/** One projection pass and one delivery pass (tests call this directly). */
export async function runOnce(ctx: AppContext, log: NotifierLog = consoleLog): Promise<RunResult> {
  const created = await project(ctx);
  const d = await deliver(ctx, log);
  return { created, ...d };
}

/**
 * Runs the notifier every `intervalMs` (the next run starts after the previous one ends).
 * Returns a stop function that waits for the run in progress.
 */
export function startNotifier(ctx: AppContext, opts: { intervalMs?: number; log?: NotifierLog } = {}): () => Promise<void> {
  const interval = opts.intervalMs ?? 1000;
  const log = opts.log ?? consoleLog;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let lastError = '';
  const tick = () => {
    running = runOnce(ctx, log)
      .then(() => {
        lastError = '';
      })
      .catch((err: unknown) => {
        const m = err instanceof Error ? err.message : String(err);
        // Say it once per distinct problem, not every second.
        if (m !== lastError) log.error(`motcua: lỗi bộ gửi thông báo / notifier error: ${m}`);
        lastError = m;
      })
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  timer = setTimeout(tick, interval);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
