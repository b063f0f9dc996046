/**
 * The monitoring settings an admin can change (issue 5): the heatmap's green / yellow thresholds
 * and the Decision 766 index configuration (grade bands, items not applicable per unit kind, group
 * 3's split). Stored in monitoring_settings (migration 022), one row per setting; no row means the
 * defaults of src/core apply, so a new release's better defaults reach every installation that
 * never changed them.
 *
 * Only validated values are ever written: a change is checked whole (every indicator, the whole
 * index configuration) with checkThresholds / checkIndex766Config before anything is written, and
 * a change with any problem writes nothing (400 listing every problem in both languages). Each
 * change is recorded in audit_log in the same transaction. What is read back is checked again, so
 * a value that a later release no longer accepts (say, a narrower range) falls back to the default
 * instead of breaking every dashboard.
 *
 * Reads are cached for at most CACHE_MS in each process: the heatmap, hot spots and drill-down
 * all read the settings on every request, and a second server instance sees a change within that
 * time (the instance that made it sees it at once).
 */
import { sql, type Kysely } from 'kysely';
import {
  checkThresholds,
  HEATMAP_INDICATOR_IDS,
  HEATMAP_INDICATORS,
  type BandThresholds,
  type HeatmapIndicatorId,
} from '../core/heatmap.js';
import {
  checkIndex766Config,
  DEFAULT_INDEX766_CONFIG,
  GRADE_NAMES,
  INDEX_UNIT_KINDS,
  SUB_INDICATORS,
  type Index766Config,
  type IndexUnitKind,
} from '../core/index766.js';
import type { Actor } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import { weakTtlCache } from '../platform/ttl-cache.js';
import type { DB } from '../platform/db-types.js';
import { AppError, type FieldError } from '../platform/errors.js';

export type ThresholdOverrides = Partial<Record<HeatmapIndicatorId, BandThresholds>>;

/** What is stored: the overridden thresholds only, and the index configuration if changed. */
export interface MonitoringSettings {
  thresholds: ThresholdOverrides;
  /** null: the default configuration applies. */
  index766: Index766Config | null;
}

export const SETTING_KEYS = { thresholds: 'heatmap_thresholds', index766: 'index766_config' } as const;
/** How long a process may serve settings it read, in milliseconds (see the module comment). */
export const CACHE_MS = 1000;
/** Serialises changes (read, merge, write) across connections and instances; arbitrary constant. */
const SAVE_LOCK = 774_622_022;
/** At most this many problems are listed, so that a huge bad body gets a short answer. */
const MAX_PROBLEMS = 40;

// ---------------------------------------------------------------------------------------------
// Pure: reading stored values, checking a change

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The thresholds of a stored `heatmap_thresholds` value, each checked again; an entry that is
 * not valid any more (unknown indicator, out of range) is left out, so its default applies.
 */
export function storedThresholds(value: unknown): ThresholdOverrides {
  const out: ThresholdOverrides = {};
  if (!isPlainObject(value)) return out;
  for (const [id, t] of Object.entries(value)) {
    if (!(HEATMAP_INDICATOR_IDS as readonly string[]).includes(id)) continue;
    const checked = checkThresholds(id as HeatmapIndicatorId, t);
    if ('thresholds' in checked) out[id as HeatmapIndicatorId] = checked.thresholds;
  }
  return out;
}

/** The configuration of a stored `index766_config` value, or null (the default) if not valid. */
export function storedIndex766Config(value: unknown): Index766Config | null {
  if (value === undefined || value === null) return null;
  const checked = checkIndex766Config(value);
  return 'config' in checked ? checked.config : null;
}

const defaultThresholdsOf = (id: HeatmapIndicatorId): BandThresholds => HEATMAP_INDICATORS.find((i) => i.id === id)!.defaultThresholds;
const sameThresholds = (a: BandThresholds, b: BandThresholds) => a.green === b.green && a.yellow === b.yellow && a.direction === b.direction;

/** Two index configurations are the same (the order of a not-applicable list does not matter). */
export function sameIndex766Config(a: Index766Config, b: Index766Config): boolean {
  if (a.gradeBands.length !== b.gradeBands.length || a.gradeBands.some((x, i) => x.grade !== b.gradeBands[i]!.grade || x.minScore !== b.gradeBands[i]!.minScore)) return false;
  if ((['3.1', '3.2', '3.3'] as const).some((id) => a.group3MaxPoints[id] !== b.group3MaxPoints[id])) return false;
  return INDEX_UNIT_KINDS.every((k) => {
    const x = [...a.notApplicable[k]].sort();
    const y = [...b.notApplicable[k]].sort();
    return x.length === y.length && x.every((id, i) => id === y[i]);
  });
}

/** The thresholds as stored: without direction (it is the indicator's, never the admin's). */
export function thresholdsValue(t: ThresholdOverrides): Record<string, { green: number; yellow: number }> {
  const out: Record<string, { green: number; yellow: number }> = {};
  for (const id of HEATMAP_INDICATOR_IDS) {
    const x = t[id];
    if (x) out[id] = { green: x.green, yellow: x.yellow };
  }
  return out;
}

export interface SettingsChange {
  next: MonitoringSettings;
  reason: string | null;
}

/**
 * Checks an admin's change (untrusted JSON) against the settings in force and returns the
 * settings after it, or every problem in both languages.
 *
 * - `thresholds`: `{ indicator id: { green, yellow } }` for the indicators to change; `null` for
 *   an indicator puts its default back. Indicators not named keep their current thresholds.
 * - `index766`: some or all of `gradeBands`, `notApplicable`, `group3MaxPoints`; a key given
 *   replaces the current one (`notApplicable` per unit kind: a kind not named keeps its list);
 *   the result is checked whole. `null` puts the default configuration back.
 * - `reason`: optional words for the audit log.
 *
 * Thresholds equal to the default and a configuration equal to the default are not kept as
 * overrides, so "changed" always means "differs from the default".
 */
export function applySettingsChange(current: MonitoringSettings, body: unknown): { change: SettingsChange } | { problems: FieldError[] } {
  const problems: FieldError[] = [];
  const fail = (field: string, message: string, messageVi: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ field, message, messageVi });
  };
  if (!isPlainObject(body)) {
    fail('body', 'the change must be an object with thresholds and/or index766', 'thay đổi phải là một đối tượng gồm thresholds và/hoặc index766');
    return { problems };
  }
  for (const key of Object.keys(body)) {
    if (!['thresholds', 'index766', 'reason'].includes(key)) fail(key, `unknown key '${key}'`, `khóa '${key}' không được chấp nhận`);
  }
  if (body.thresholds === undefined && body.index766 === undefined) {
    fail('body', 'nothing to change: give thresholds and/or index766', 'không có gì để thay đổi: hãy gửi thresholds và/hoặc index766');
  }

  let reason: string | null = null;
  if (body.reason !== undefined && body.reason !== null) {
    if (typeof body.reason !== 'string' || body.reason.length > 1000) fail('reason', 'must be a text of at most 1000 characters', 'phải là văn bản tối đa 1000 ký tự');
    else reason = body.reason.trim() || null;
  }

  const thresholds: ThresholdOverrides = { ...current.thresholds };
  if (body.thresholds !== undefined) {
    if (!isPlainObject(body.thresholds)) {
      fail('thresholds', 'must be an object: { indicator id: { green, yellow } or null }', 'phải là một đối tượng: { mã chỉ tiêu: { green, yellow } hoặc null }');
    } else {
      for (const [id, given] of Object.entries(body.thresholds)) {
        const field = `thresholds.${id}`;
        if (!(HEATMAP_INDICATOR_IDS as readonly string[]).includes(id)) {
          fail(field, `unknown indicator '${id}' (known: ${HEATMAP_INDICATOR_IDS.join(', ')})`, `chỉ tiêu '${id}' không tồn tại (các chỉ tiêu: ${HEATMAP_INDICATOR_IDS.join(', ')})`);
          continue;
        }
        const ind = id as HeatmapIndicatorId;
        if (given === null) {
          delete thresholds[ind];
          continue;
        }
        const checked = checkThresholds(ind, given);
        if ('problem' in checked) {
          fail(field, checked.problem.reason, checked.problem.reasonVi);
        } else if (sameThresholds(checked.thresholds, defaultThresholdsOf(ind))) {
          delete thresholds[ind];
        } else {
          thresholds[ind] = checked.thresholds;
        }
      }
    }
  }

  let index766 = current.index766;
  if (body.index766 === null) {
    index766 = null;
  } else if (body.index766 !== undefined) {
    const given = body.index766;
    if (!isPlainObject(given)) {
      fail('index766', 'must be an object with gradeBands, notApplicable and/or group3MaxPoints, or null', 'phải là một đối tượng gồm gradeBands, notApplicable và/hoặc group3MaxPoints, hoặc null');
    } else {
      const base = current.index766 ?? DEFAULT_INDEX766_CONFIG;
      const merged: Record<string, unknown> = { ...base, ...given };
      if (isPlainObject(given.notApplicable)) merged.notApplicable = { ...base.notApplicable, ...given.notApplicable };
      const checked = checkIndex766Config(merged);
      if ('problems' in checked) {
        for (const p of checked.problems) fail(p.field ? `index766.${p.field}` : 'index766', p.reason, p.reasonVi);
      } else {
        index766 = sameIndex766Config(checked.config, DEFAULT_INDEX766_CONFIG) ? null : checked.config;
      }
    }
  }

  if (problems.length > 0) return { problems };
  return { change: { next: { thresholds, index766 }, reason } };
}

/** Which stored settings differ between two states. */
export function changedKeys(before: MonitoringSettings, after: MonitoringSettings): Array<'thresholds' | 'index766'> {
  const out: Array<'thresholds' | 'index766'> = [];
  if (JSON.stringify(thresholdsValue(before.thresholds)) !== JSON.stringify(thresholdsValue(after.thresholds))) out.push('thresholds');
  const a = before.index766;
  const b = after.index766;
  if ((a === null) !== (b === null) || (a !== null && b !== null && !sameIndex766Config(a, b))) out.push('index766');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Storage

interface SettingRow {
  key: 'heatmap_thresholds' | 'index766_config';
  value: unknown;
  updated_at: Date;
  updated_by: number | null;
  updated_by_name: string | null;
}

async function loadRows(db: Kysely<DB>): Promise<SettingRow[]> {
  return db
    .selectFrom('monitoring_settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.key', 's.value', 's.updated_at', 's.updated_by', 'u.full_name as updated_by_name'])
    .execute() as Promise<SettingRow[]>;
}

function settingsOf(rows: readonly SettingRow[]): MonitoringSettings {
  const value = (key: SettingRow['key']) => rows.find((r) => r.key === key)?.value;
  return { thresholds: storedThresholds(value(SETTING_KEYS.thresholds)), index766: storedIndex766Config(value(SETTING_KEYS.index766)) };
}

const cache = weakTtlCache<object, MonitoringSettings>(CACHE_MS);

/**
 * The settings in force (cached for at most CACHE_MS in this process); the views read them through
 * thresholdOverrides and index766ConfigOf (heatmap.ts).
 */
export function monitoringSettings(ctx: AppContext): Promise<MonitoringSettings> {
  return cache.get(ctx.db, () => loadRows(ctx.db).then(settingsOf));
}

export const ADMIN_ONLY = {
  message: 'Only an administrator can change the monitoring settings.',
  messageVi: 'Chỉ quản trị viên mới được thay đổi ngưỡng chỉ tiêu và cấu hình chỉ số.',
};

function invalidSettings(problems: FieldError[]): AppError {
  return new AppError(
    400,
    'invalid_input',
    'The monitoring settings were not changed: some values are not valid.',
    'Chưa lưu cấu hình theo dõi: một số giá trị không hợp lệ.',
    problems,
  );
}

/** Writes `next` for the keys that changed and one audit_log row, in the caller's transaction. */
async function writeSettings(trx: Kysely<DB>, actor: Actor, before: MonitoringSettings, next: MonitoringSettings, action: string, reason: string | null, now: Date) {
  const keys = changedKeys(before, next);
  if (keys.length === 0) return keys;
  for (const k of keys) {
    const key = SETTING_KEYS[k];
    const value = k === 'thresholds' ? thresholdsValue(next.thresholds) : next.index766;
    const isDefault = k === 'thresholds' ? Object.keys(value ?? {}).length === 0 : value === null;
    if (isDefault) {
      await trx.deleteFrom('monitoring_settings').where('key', '=', key).execute();
    } else {
      const json = JSON.stringify(value);
      await trx
        .insertInto('monitoring_settings')
        .values({ key, value: json, updated_at: now, updated_by: actor.userId })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now, updated_by: actor.userId }))
        .execute();
    }
  }
  const view = (s: MonitoringSettings) => ({
    ...(keys.includes('thresholds') ? { [SETTING_KEYS.thresholds]: thresholdsValue(s.thresholds) } : {}),
    ...(keys.includes('index766') ? { [SETTING_KEYS.index766]: s.index766 } : {}),
  });
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: actor.userId,
      action,
      object_type: 'monitoring_settings',
      object_id: keys.map((k) => SETTING_KEYS[k]).join(','),
      reason: reason ?? 'Cấu hình theo dõi được thay đổi / monitoring settings changed',
      // null in "before"/"after" = the defaults of the code
      details: JSON.stringify({ before: view(before), after: view(next) }),
      at: now,
    })
    .execute();
  return keys;
}

/**
 * Runs `fn` on the settings as stored, under a transaction-level lock so that two admins saving
 * at once cannot lose one another's change (both read, merge and write in turn).
 */
async function underLock<T>(ctx: AppContext, fn: (trx: Kysely<DB>, current: MonitoringSettings) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SAVE_LOCK})`.execute(trx);
    return fn(trx, settingsOf(await loadRows(trx)));
  });
  cache.delete(ctx.db);
  return result;
}

/** Applies an admin's change (see applySettingsChange); all or nothing. Returns the keys changed. */
export async function saveMonitoringSettings(ctx: AppContext, actor: Actor, body: unknown): Promise<Array<'thresholds' | 'index766'>> {
  if (actor.role !== 'admin') throw new AppError(403, 'forbidden', ADMIN_ONLY.message, ADMIN_ONLY.messageVi);
  return underLock(ctx, async (trx, current) => {
    const r = applySettingsChange(current, body);
    if ('problems' in r) throw invalidSettings(r.problems);
    return writeSettings(trx, actor, current, r.change.next, 'monitoring_settings.update', r.change.reason, ctx.now());
  });
}

export type ResetPart = 'all' | 'thresholds' | 'index766';

/** Puts the defaults back for the thresholds, the index configuration, or both. */
export async function resetMonitoringSettings(ctx: AppContext, actor: Actor, part: ResetPart): Promise<Array<'thresholds' | 'index766'>> {
  if (actor.role !== 'admin') throw new AppError(403, 'forbidden', ADMIN_ONLY.message, ADMIN_ONLY.messageVi);
  return underLock(ctx, async (trx, current) => {
    const next: MonitoringSettings = {
      thresholds: part === 'index766' ? current.thresholds : {},
      index766: part === 'thresholds' ? current.index766 : null,
    };
    return writeSettings(trx, actor, current, next, 'monitoring_settings.reset', 'Khôi phục mặc định / defaults restored', ctx.now());
  });
}

// ---------------------------------------------------------------------------------------------
// The view an admin's page reads

const configView = (c: Index766Config) => ({
  gradeBands: c.gradeBands.map((b) => ({ grade: b.grade, name: GRADE_NAMES[b.grade], minScore: b.minScore })),
  notApplicable: Object.fromEntries(INDEX_UNIT_KINDS.map((k) => [k, [...c.notApplicable[k]]])) as Record<IndexUnitKind, string[]>,
  group3MaxPoints: { ...c.group3MaxPoints },
});

/** Everything the admin page shows: each indicator's default and current thresholds, the index configuration. */
export async function monitoringSettingsView(ctx: AppContext) {
  const rows = await loadRows(ctx.db);
  const s = settingsOf(rows);
  const meta = (key: SettingRow['key']) => {
    const r = rows.find((x) => x.key === key);
    return { updatedAt: r ? new Date(r.updated_at).toISOString() : null, updatedBy: r?.updated_by_name ?? null };
  };
  const config = s.index766 ?? DEFAULT_INDEX766_CONFIG;
  return {
    thresholds: {
      ...meta(SETTING_KEYS.thresholds),
      indicators: HEATMAP_INDICATORS.map((i) => {
        const current = s.thresholds[i.id] ?? i.defaultThresholds;
        return {
          id: i.id,
          name: i.name,
          unit: i.unit,
          direction: i.direction,
          maxValue: i.maxValue,
          defaults: { green: i.defaultThresholds.green, yellow: i.defaultThresholds.yellow },
          current: { green: current.green, yellow: current.yellow },
          overridden: !sameThresholds(current, i.defaultThresholds),
        };
      }),
    },
    index766: {
      ...meta(SETTING_KEYS.index766),
      overridden: !sameIndex766Config(config, DEFAULT_INDEX766_CONFIG),
      current: configView(config),
      defaults: configView(DEFAULT_INDEX766_CONFIG),
      unitKinds: [...INDEX_UNIT_KINDS],
      subIndicators: SUB_INDICATORS.map((d) => ({ id: d.id, group: d.group, name: d.name })),
    },
  };
}
