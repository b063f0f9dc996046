/**
 * Live monitoring (issue 5 §6): an open dashboard learns within a second that the figures of a
 * unit changed, through Server-Sent Events at GET /api/monitoring/events.
 *
 * The source is the database, not this process. Migration 018's triggers note, in the statement
 * of every writer (any server instance, an import, a script), the units whose monitoring
 * aggregates changed, in an outbox table; every server process holds one dedicated connection (a
 * `pg.Client` outside the pool, reconnected with backoff) that LISTENs on `motcua_monitoring` and
 * every 100 ms relays the outbox as one NOTIFY. Each process fans the notices out to its own SSE
 * clients, so two instances behind one PostgreSQL both see every action. (Why an outbox rather
 * than a NOTIFY in the action's own transaction: see the migration.) On embedded PGlite the relay
 * runs through the app's connection and hands its result over directly (see EmbeddedRelay).
 *
 * An event says only which units changed (`{"units": [...], "at": ...}`, or `{"all": true, ...}`
 * after a gap or a bulk write); the dashboard then re-reads what it shows through the ordinary,
 * scope-checked routes. A unit leader is told only of units in their subtree. Events are not
 * replayed: a client opens the stream first, then reads, and re-reads everything when the stream
 * reopens. A dossier action that moves no figure (a hand-over between officials) sends nothing. */
import pg from 'pg';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerResponse } from 'node:http';
import { requireActor } from '../identity/http-auth.js';
import { inJurisdiction, type Actor } from '../identity/actor.js';
import { loadSession } from '../identity/sessions.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { ErrorBody } from '../platform/schemas.js';
import { checkMonitoringRole } from './scope.js';

/** The NOTIFY channel of migration 018. */
export const MONITORING_CHANNEL = 'motcua_monitoring';

/** What changed: some units, or everything (re-read the whole view). */
export type MonitoringChange = { units: string[]; at: string } | { all: true; at: string };

export interface LiveOptions {
  /** Open streams one user may hold on this process (tabs, windows). */
  maxPerUser: number;
  /** Open streams on this process. */
  maxPerProcess: number;
  /** Comment lines keep proxies from closing an idle stream; each also re-checks the session. */
  heartbeatMs: number;
  /** How often each instance relays the outbox of changes (migration 018). */
  relayMs: number;
  /** At most one event per this interval per process: a burst of actions becomes one event. */
  minIntervalMs: number;
  /** The browser's wait before reconnecting (SSE `retry:`). */
  retryMs: number;
  /** A client that has not read this much of its stream is too slow and is dropped. */
  maxBufferedBytes: number;
}

export const LIVE_DEFAULTS: LiveOptions = {
  maxPerUser: 5,
  maxPerProcess: 500,
  heartbeatMs: 15_000,
  relayMs: 100,
  minIntervalMs: 100,
  retryMs: 3_000,
  maxBufferedBytes: 1 << 20,
};

/** Reads a notice of migration 018; null when it is not one. */
export function parseNotice(payload: string): MonitoringChange | null {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const at = typeof o.at === 'string' ? o.at : new Date().toISOString();
  if (o.all === true) return { all: true, at };
  if (Array.isArray(o.units) && o.units.every((u) => typeof u === 'string')) return { units: o.units as string[], at };
  return null;
}

// ——— Where the notices come from ————————————————————————————————————————————————

interface NoticeSource {
  start(): Promise<void>;
  /** True while notices can arrive (false while the PostgreSQL connection is being re-made). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * PostgreSQL: one dedicated connection that LISTENs and, every relayMs, relays the outbox
 * (motcua_monitoring_relay(), with synchronous_commit off: a lost notice costs nothing durable).
 * Its own NOTIFY comes back to it like everyone else's. When the connection drops (server
 * restart, failover, an idle-connection killer) it reconnects with exponential backoff and
 * jitter (0.5 s doubling to 30 s); the relay's query doubles as a ping (10 s timeout). Notices sent
 * while it was away are lost, so after any gap it reports `onGap` and the clients re-read
 * everything.
 */
class PostgresListener implements NoticeSource {
  private client: pg.Client | null = null;
  private closed = false;
  private attempt = 0;
  private gap = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private relayTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly relayMs: number,
    private readonly onPayload: (payload: string) => void,
    private readonly onGap: () => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  connected(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'motcua-live',
      options: '-c synchronous_commit=off',
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (n) => {
      if (n.channel === MONITORING_CHANNEL && n.payload) this.onPayload(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${MONITORING_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      this.log.warn(`motcua: kênh cập nhật trực tiếp chưa kết nối được / live updates cannot LISTEN yet: ${(err as Error).message}`);
      this.gap = true;
      this.scheduleRetry();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.scheduleRelay(client);
    if (this.gap) {
      this.gap = false;
      this.log.info('motcua: kênh cập nhật trực tiếp đã kết nối lại / live updates reconnected');
      this.onGap();
    }
  }

  private scheduleRelay(client: pg.Client): void {
    this.relayTimer = setTimeout(() => {
      this.relayTimer = null;
      if (client !== this.client) return;
      client.query('SELECT motcua_monitoring_relay()').then(
        () => {
          if (client === this.client && !this.closed) this.scheduleRelay(client);
        },
        (err: Error) => this.lost(client, err),
      );
    }, this.relayMs);
    this.relayTimer.unref();
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (client !== this.client) return;
    this.client = null;
    this.gap = true;
    if (this.relayTimer) clearTimeout(this.relayTimer);
    this.relayTimer = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    if (this.closed) return;
    this.log.warn(`motcua: mất kênh cập nhật trực tiếp, đang kết nối lại / live updates connection lost, reconnecting${err ? `: ${err.message}` : ''}`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const base = Math.min(30_000, 500 * 2 ** this.attempt++);
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.relayTimer) clearTimeout(this.relayTimer);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
    }
  }
}

/**
 * PGlite: the relay runs through the app's own connection and hands its payload over directly.
 * LISTEN cannot work here: PGlite is one backend behind its socket, and a notice comes back on
 * the connection that committed (the pool's), never on a second client that ran LISTEN. Nor is
 * it needed: PGlite has one owner process (its folder is locked), so there is no other instance.
 */
class EmbeddedRelay implements NoticeSource {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly relayMs: number,
    private readonly onPayload: (payload: string) => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  connected(): boolean {
    return !this.closed;
  }

  async start(): Promise<void> {
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.relay().finally(() => {
        this.running = null;
        if (!this.closed) this.schedule();
      });
    }, this.relayMs);
    this.timer.unref();
  }

  private async relay(): Promise<void> {
    try {
      const r = await sql<{ payload: string | null }>`select motcua_monitoring_relay() as payload`.execute(this.ctx.db);
      const payload = r.rows[0]?.payload;
      if (payload) this.onPayload(payload);
    } catch (err) {
      if (!this.closed) this.log.warn(`motcua: không chuyển được cập nhật trực tiếp / live updates relay failed: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

// ——— The SSE clients of this process ————————————————————————————————————————————

interface Subscriber {
  /** Who holds the stream: events are limited to their jurisdiction (re-read at each heartbeat). */
  actor: Actor;
  sessionToken: string | null;
  res: ServerResponse;
}

export interface LiveStats {
  clients: number;
  users: number;
  /** Events written to clients since the start (all clients together). */
  eventsSent: number;
  listening: boolean;
}

/** The fan-out of one process: its subscribers, the caps, the coalescing of bursts. */
export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly perUser = new Map<number, number>();
  private pending: { units: Set<string>; all: boolean; at: string } | null = null;
  private lastEmit = 0;
  private emitTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private source: NoticeSource | null = null;
  private eventsSent = 0;
  private closed = false;
  private beating = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
    readonly options: LiveOptions = LIVE_DEFAULTS,
  ) {}

  async start(): Promise<void> {
    const onPayload = (payload: string) => {
      const change = parseNotice(payload);
      if (change) this.push(change);
      else this.log.warn(`motcua: bỏ qua thông báo không hợp lệ / ignoring a malformed notice on ${MONITORING_CHANNEL}`);
    };
    const db = this.ctx.database;
    this.source =
      db.kind === 'postgres'
        ? new PostgresListener(db.pool.options.connectionString!, this.options.relayMs, onPayload, () => this.push({ all: true, at: new Date().toISOString() }), this.log)
        : new EmbeddedRelay(this.ctx, this.options.relayMs, onPayload, this.log);
    await this.source.start();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  stats(): LiveStats {
    return { clients: this.subscribers.size, users: this.perUser.size, eventsSent: this.eventsSent, listening: !this.closed && (this.source?.connected() ?? false) };
  }

  /** Takes a stream for `actor`, or refuses with 429 when a cap is reached. */
  admit(actor: Actor, sessionToken: string | null, res: ServerResponse): Subscriber {
    if (this.closed) throw new AppError(503, 'shutting_down', 'The server is restarting; the page reconnects by itself.', 'Máy chủ đang khởi động lại; trang sẽ tự kết nối lại.');
    const mine = this.perUser.get(actor.userId) ?? 0;
    if (mine >= this.options.maxPerUser) {
      throw new AppError(
        429,
        'too_many_streams',
        `You already have ${mine} live dashboards open; close one (another tab or window) and reload.`,
        `Bạn đang mở ${mine} bảng theo dõi trực tiếp; hãy đóng bớt một cửa sổ hoặc thẻ rồi tải lại trang.`,
      );
    }
    if (this.subscribers.size >= this.options.maxPerProcess) {
      throw new AppError(
        429,
        'too_many_streams',
        'The server has too many live dashboards open; the page will retry shortly.',
        'Máy chủ đang có quá nhiều bảng theo dõi trực tiếp; trang sẽ tự thử lại sau ít phút.',
      );
    }
    const sub: Subscriber = { actor, sessionToken, res };
    this.subscribers.add(sub);
    this.perUser.set(actor.userId, mine + 1);
    return sub;
  }

  drop(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    const n = (this.perUser.get(sub.actor.userId) ?? 1) - 1;
    if (n > 0) this.perUser.set(sub.actor.userId, n);
    else this.perUser.delete(sub.actor.userId);
    if (!sub.res.writableEnded) sub.res.end();
  }

  /** Merges a change into the next event; sends at once unless an event left less than minIntervalMs ago. */
  push(change: MonitoringChange): void {
    if (this.closed) return;
    const p = (this.pending ??= { units: new Set(), all: false, at: change.at });
    if ('all' in change) p.all = true;
    else for (const u of change.units) p.units.add(u);
    if (change.at > p.at) p.at = change.at;
    if (this.emitTimer) return;
    const wait = this.lastEmit + this.options.minIntervalMs - Date.now();
    if (wait <= 0) void this.emit();
    else {
      this.emitTimer = setTimeout(() => {
        this.emitTimer = null;
        void this.emit();
      }, wait);
    }
  }

  private async emit(): Promise<void> {
    const batch = this.pending;
    this.pending = null;
    if (!batch || this.closed) return;
    this.lastEmit = Date.now();
    if (!batch.all && batch.units.size === 0) return;
    if (this.subscribers.size === 0) return;
    if (batch.all) {
      this.broadcast(() => ({ all: true, at: batch.at }));
      return;
    }
    // The units' paths decide who may hear of them (read now: units move between parents).
    let paths: Map<string, string>;
    try {
      const rows = await this.ctx.db.selectFrom('units').select(['code', 'path']).where('code', 'in', [...batch.units]).execute();
      paths = new Map(rows.map((r) => [r.code, r.path]));
    } catch (err) {
      if (this.closed) return;
      this.log.warn(`motcua: không đọc được đơn vị cho cập nhật trực tiếp / cannot read units for a live event: ${(err as Error).message}`);
      this.broadcast(() => ({ all: true, at: batch.at }));
      return;
    }
    const units = [...batch.units].sort();
    this.broadcast((sub) => {
      const mine = units.filter((u) => {
        const path = paths.get(u);
        return path !== undefined && inJurisdiction(sub.actor, path);
      });
      return mine.length ? { units: mine, at: batch.at } : null;
    });
  }

  private broadcast(eventFor: (sub: Subscriber) => MonitoringChange | null): void {
    for (const sub of this.subscribers) {
      const data = eventFor(sub);
      if (data) this.write(sub, `event: change\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }

  private write(sub: Subscriber, text: string): void {
    if (sub.res.writableLength > this.options.maxBufferedBytes) {
      // The client stopped reading: drop it (its browser reconnects and re-reads).
      this.drop(sub);
      sub.res.destroy();
      return;
    }
    sub.res.write(text);
    if (text.startsWith('event:')) this.eventsSent++;
  }

  /**
   * A comment line to every client, and every session looked up again: a stream ends when its
   * session expires or is logged out, or its user may no longer monitor; it follows a move of the
   * user to another unit. Exposed for tests, which cannot wait 15 s.
   */
  async heartbeat(): Promise<void> {
    if (this.beating) return; // the previous round is still looking sessions up
    this.beating = true;
    try {
      // One lookup per session, however many tabs share it.
      const actors = new Map<string, Actor | null | 'unknown'>();
      for (const sub of [...this.subscribers]) {
        if (this.closed) return;
        const token = sub.sessionToken;
        let actor = token ? actors.get(token) : null;
        if (actor === undefined && token) {
          try {
            actor = (await loadSession(this.ctx.db, token, this.ctx.now()))?.actor ?? null;
          } catch {
            actor = 'unknown'; // the database is away: keep the stream, check next time
          }
          actors.set(token, actor);
        }
        if (!this.subscribers.has(sub)) continue;
        if (actor !== 'unknown') {
          if (!actor || !isMonitor(actor) || actor.userId !== sub.actor.userId) {
            this.drop(sub);
            continue;
          }
          sub.actor = actor;
        }
        this.write(sub, ': ping\n\n');
      }
    } finally {
      this.beating = false;
    }
  }

  /** Ends every stream (before the HTTP server closes: open streams would keep it waiting). */
  endStreams(): void {
    this.closed = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const sub of [...this.subscribers]) this.drop(sub);
  }

  async close(): Promise<void> {
    this.endStreams();
    await this.source?.close();
  }
}

function isMonitor(actor: Actor): boolean {
  try {
    checkMonitoringRole(actor);
    return true;
  } catch {
    return false;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's live monitoring feed (stats for tests and health). */
    liveFeed: LiveHub;
  }
}

/** GET /api/monitoring/events, and the listener that feeds it (closed with the app). */
export async function registerMonitoringLive(app: App, ctx: AppContext, options: LiveOptions = LIVE_DEFAULTS): Promise<LiveHub> {
  const hub = new LiveHub(ctx, app.log, options);
  await hub.start();
  app.decorate('liveFeed', hub);
  // preClose: before the server waits for open connections, which an SSE stream never ends.
  app.addHook('preClose', async () => hub.endStreams());
  app.addHook('onClose', async () => hub.close());

  app.get(
    '/api/monitoring/events',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Thay đổi số liệu theo dõi, trực tiếp (SSE) / Live changes of the monitoring figures (SSE)',
        description: `A Server-Sent Events stream (text/event-stream). Each \`event: change\` carries \`{"units": [unit codes], "at": ISO instant}\`: the monitoring figures of those units changed (a dossier action, a submission, an import), or \`{"all": true, "at": ...}\`: re-read everything (many units at once, or events may have been missed). Open the stream, then read the views; re-read on each event and when the stream reopens (events are not replayed). A comment line every ${options.heartbeatMs / 1000} s keeps the stream open; the stream ends when the session does. Province leaders and admins: the units of their province; unit leaders: their unit and below; others 403. At most ${options.maxPerUser} streams per user and ${options.maxPerProcess} per server process (429).`,
        response: {
          200: { description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: ErrorBody,
          403: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      checkMonitoringRole(actor);
      const res = reply.raw;
      const sub = hub.admit(actor, request.sessionToken, res);
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise hold the events back in a buffer.
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${options.retryMs}\n: connected\n\n`);
      res.on('close', () => hub.drop(sub));
      res.on('error', () => hub.drop(sub));
    },
  );
  return hub;
}
