/**
 * Admin-configurable heatmap thresholds and Decision 766 configuration (issue 5) through HTTP on
 * both databases: a change shows in the heatmap's bands as computed by hand and in
 * index766ConfigOf; bad input changes nothing (all or nothing); only admins write, leaders read;
 * every change is in audit_log; reset puts the defaults back.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { act, freshKey, submitOnline } from '../helpers/dossier-api.js';
import { DEFAULT_INDEX766_CONFIG, gradeOf, COMMUNE_LEVEL_NOT_APPLICABLE } from '../../src/core/index766.js';
import { index766ConfigOf, thresholdOverrides } from '../../src/monitoring/heatmap.js';

type Headers = Record<string, string>;
interface Cell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  band: string;
}
interface Heatmap {
  indicators: Array<{ id: string; thresholds: { green: number; yellow: number } }>;
  rows: Array<{ unit: { code: string }; isTotal: boolean; cells: Record<string, Cell> }>;
}
interface IndicatorSetting {
  id: string;
  name: { vi: string; en: string };
  direction: string;
  unit: string;
  maxValue: number | null;
  defaults: { green: number; yellow: number };
  current: { green: number; yellow: number };
  overridden: boolean;
}
interface ConfigView {
  gradeBands: Array<{ grade: string; name: { vi: string; en: string }; minScore: number }>;
  notApplicable: Record<string, string[]>;
  group3MaxPoints: Record<string, number>;
}
interface Settings {
  thresholds: { updatedAt: string | null; updatedBy: string | null; indicators: IndicatorSetting[] };
  index766: { updatedAt: string | null; updatedBy: string | null; overridden: boolean; current: ConfigView; defaults: ConfigView; unitKinds: string[]; subIndicators: Array<{ id: string }> };
}
interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> };
}

const URL = '/api/admin/monitoring-settings';
const DAY = 'period=custom&from=2026-03-02&to=2026-03-02';

function assertBilingual(res: { statusCode: number; body: string }, status: number, field?: string) {
  assert.equal(res.statusCode, status, res.body);
  const e = (JSON.parse(res.body) as ErrorBody).error;
  assert.ok(e.message.length > 0 && e.messageVi.length > 0 && e.message !== e.messageVi, res.body);
  if (field) {
    const f = e.fields?.find((x) => x.field === field);
    assert.ok(f, `names ${field}: ${res.body}`);
    assert.ok(f.message.length > 0 && f.messageVi.length > 0 && f.message !== f.messageVi, res.body);
  }
}

describeEachDatabase('monitoring settings', (env) => {
  let admin: Headers;
  let leader: Headers;
  let adminId: number;
  let adminName: string;

  const get = async <T>(headers: Headers, url: string): Promise<T> => {
    const res = await env().app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return json<T>(res);
  };
  const put = (headers: Headers, payload: unknown) => env().app.inject({ method: 'PUT', url: URL, headers, payload: payload as Record<string, unknown> });
  const settings = () => get<Settings>(admin, URL);
  const indicator = (s: Settings, id: string) => s.thresholds.indicators.find((i) => i.id === id)!;
  const heatmap = () => get<Heatmap>(leader, `/api/monitoring/heatmap?${DAY}`);
  const bmtCell = (h: Heatmap, id: string) => h.rows.find((r) => r.unit.code === 'H15.001')!.cells[id]!;
  const auditRows = async (e: TestEnv) =>
    e.ctx.db.selectFrom('audit_log').selectAll().where('object_type', '=', 'monitoring_settings').orderBy('id').execute();
  const storedRows = async (e: TestEnv) => e.ctx.db.selectFrom('monitoring_settings').selectAll().orderBy('key').execute();

  before(async () => {
    const e = env();
    admin = await e.login('admin');
    leader = await e.login('lanhdao.tinh');
    const adminRow = await e.ctx.db.selectFrom('users').select(['id', 'full_name']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    adminId = adminRow.id;
    adminName = adminRow.full_name;
    // Monday 2 March 2026, 09:00: three walk-ins and one online dossier at Buôn Ma Thuột (H15.001),
    // so its online share that day is 1 ÷ 4 = 25% (default: red, below 50).
    const desk = await e.login('motcua.bmt');
    for (const name of ['A', 'B', 'C']) {
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': freshKey('ms') },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: `Giám Hộ ${name} (mô phỏng)`, phone: '0905000111' } },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const citizen = await e.citizen(`vneid-ms-${e.kind}`, { fullName: 'Trần Thị Cấu Hình (mô phỏng)' });
    const online = await submitOnline(e, citizen.headers, '1.001193', 'DUNG_HAN');
    await act(e, desk, online, { type: 'receive' });
  });

  it('starts at the defaults: the view lists every indicator with its direction, unit and defaults', async () => {
    const s = await settings();
    assert.equal(s.thresholds.indicators.length, 15);
    assert.deepEqual(indicator(s, 'online_share'), {
      id: 'online_share',
      name: { vi: 'Tỷ lệ hồ sơ trực tuyến', en: 'Online share' },
      unit: 'percent',
      direction: 'higher_is_better',
      maxValue: 100,
      defaults: { green: 70, yellow: 50 },
      current: { green: 70, yellow: 50 },
      overridden: false,
    });
    assert.deepEqual(indicator(s, 'overdue_pending').defaults, { green: 0, yellow: 5 });
    assert.equal(indicator(s, 'overdue_pending').direction, 'lower_is_better');
    assert.deepEqual(indicator(s, 'group_1').defaults, { green: 14.4, yellow: 10.8 });
    assert.ok(s.thresholds.indicators.every((i) => !i.overridden));
    assert.equal(s.thresholds.updatedAt, null);
    assert.equal(s.index766.overridden, false);
    assert.deepEqual(s.index766.current, s.index766.defaults);
    assert.deepEqual(
      s.index766.current.gradeBands.map((b) => [b.grade, b.minScore, b.name.vi]),
      [
        ['xuat_sac', 90, 'Xuất sắc'],
        ['tot', 80, 'Tốt'],
        ['kha', 70, 'Khá'],
        ['trung_binh', 50, 'Trung bình'],
        ['yeu', 0, 'Yếu'],
      ],
    );
    assert.deepEqual(s.index766.current.notApplicable.commune, [...COMMUNE_LEVEL_NOT_APPLICABLE]);
    assert.deepEqual(s.index766.current.group3MaxPoints, { '3.1': 4, '3.2': 4, '3.3': 4 });
    assert.equal(s.index766.subIndicators.length, 21);

    const h = await heatmap();
    assert.deepEqual([bmtCell(h, 'online_share').value, bmtCell(h, 'online_share').numerator, bmtCell(h, 'online_share').denominator, bmtCell(h, 'online_share').band], [25, 1, 4, 'red']);
    assert.deepEqual(await thresholdOverrides(env().ctx), {});
  });

  it('leaders may read; only admins may write (403 in both languages, whatever the body); no session 401', async () => {
    const e = env();
    assert.equal((await e.app.inject({ method: 'GET', url: URL, headers: leader })).statusCode, 200);
    assert.equal((await e.app.inject({ method: 'GET', url: URL, headers: await e.login('lanhdao.bmt') })).statusCode, 200);
    assertBilingual(await e.app.inject({ method: 'GET', url: URL, headers: await e.login('motcua.bmt') }), 403);
    assertBilingual(await e.app.inject({ method: 'GET', url: URL }), 401);
    const change = { thresholds: { online_share: { green: 0, yellow: 0 } } };
    for (const who of ['lanhdao.tinh', 'lanhdao.bmt', 'chuyenvien.bmt']) {
      const h = await e.login(who);
      assertBilingual(await put(h, change), 403);
      assertBilingual(await put(h, { colour: 'red' }), 403);
      assertBilingual(await e.app.inject({ method: 'DELETE', url: URL, headers: h }), 403);
    }
    // An admin without the CSRF header is refused too.
    const { 'x-csrf-token': _csrf, ...noCsrf } = admin;
    const res = await put(noCsrf, change);
    assertBilingual(res, 403);
    assert.equal(json<ErrorBody>(res).error.code, 'csrf_failed');
    assert.deepEqual(await storedRows(e), []);
    assert.deepEqual(await auditRows(e), []);
  });

  it('bad input → 400 naming the field in both languages, and nothing is written', async () => {
    const e = env();
    const valid = { on_time_rate: { green: 90, yellow: 80 } };
    const cases: Array<[unknown, string]> = [
      [{ thresholds: { ...valid, online_share: { green: 40, yellow: 60 } } }, 'thresholds.online_share'], // green < yellow, higher is better
      [{ thresholds: { ...valid, overdue_pending: { green: 6, yellow: 5 } } }, 'thresholds.overdue_pending'], // green > yellow, lower is better
      [{ thresholds: { ...valid, speed: { green: 1, yellow: 0 } } }, 'thresholds.speed'],
      [{ thresholds: { ...valid, online_share: { green: 120, yellow: 50 } } }, 'thresholds.online_share'],
      [{ thresholds: { ...valid, overdue_pending: { green: -1, yellow: 5 } } }, 'thresholds.overdue_pending'],
      [{ thresholds: { ...valid, group_3: { green: 12.5, yellow: 6 } } }, 'thresholds.group_3'], // above the group's 12 points
      [{ thresholds: { ...valid, online_share: { green: '70', yellow: 50 } } }, 'thresholds.online_share'],
      [{ thresholds: { ...valid, online_share: { green: 70 } } }, 'thresholds.online_share'],
      [{ thresholds: { ...valid, online_share: [70, 50] } }, 'thresholds.online_share'],
      [{ thresholds: { ...valid, online_share: { green: 70, yellow: 50, red: 0 } } }, 'thresholds.online_share'],
      [{ thresholds: { ...valid, on_time_rate: { direction: 'lower_is_better', green: 5, yellow: 10 } } }, 'thresholds.on_time_rate'],
      [{ thresholds: [1, 2] }, 'thresholds'],
      [{ thresholds: valid, colour: 'red' }, 'colour'],
      [{}, 'body'],
      [{ thresholds: valid, index766: { gradeBands: [{ grade: 'xuat_sac', minScore: 90 }, { grade: 'tot', minScore: 95 }, { grade: 'kha', minScore: 70 }, { grade: 'trung_binh', minScore: 50 }, { grade: 'yeu', minScore: 0 }] } }, 'index766.gradeBands'],
      [{ thresholds: valid, index766: { group3MaxPoints: { '3.1': 4, '3.2': 4, '3.3': 5 } } }, 'index766.group3MaxPoints'],
      [{ thresholds: valid, index766: { notApplicable: { commune: ['1.1', '9.9'] } } }, 'index766.notApplicable.commune'],
      [{ thresholds: valid, index766: { notApplicable: { hamlet: [] } } }, 'index766.notApplicable.hamlet'],
      [{ thresholds: valid, index766: { weights: {} } }, 'index766.weights'],
      [{ thresholds: valid, index766: 'default' }, 'index766'],
    ];
    for (const [body, field] of cases) assertBilingual(await put(admin, body), 400, field);
    // Every problem is listed, not only the first.
    const both = json<ErrorBody>(await put(admin, { thresholds: { online_share: { green: 40, yellow: 60 }, due_soon: { green: 'a', yellow: 1 } } }));
    assert.deepEqual(both.error.fields?.map((f) => f.field), ['thresholds.online_share', 'thresholds.due_soon']);

    const s = await settings();
    assert.ok(s.thresholds.indicators.every((i) => !i.overridden), 'on_time_rate was valid but nothing was written');
    assert.equal(s.index766.overridden, false);
    assert.deepEqual(await storedRows(e), []);
    assert.deepEqual(await auditRows(e), []);
    assert.equal(bmtCell(await heatmap(), 'online_share').band, 'red');
  });

  it('an admin sets thresholds: the heatmap bands follow, and audit_log records the change', async () => {
    const e = env();
    const before = await heatmap();
    assert.deepEqual(before.indicators.find((i) => i.id === 'online_share')!.thresholds, { green: 70, yellow: 50 });

    // 25% with green 30, yellow 25: yellow (25 ≥ 25, < 30).
    let res = await put(admin, { thresholds: { online_share: { green: 30, yellow: 25 } }, reason: 'Mục tiêu quý I' });
    assert.equal(res.statusCode, 200, res.body);
    const view = json<Settings>(res);
    assert.deepEqual(indicator(view, 'online_share').current, { green: 30, yellow: 25 });
    assert.equal(indicator(view, 'online_share').overridden, true);
    assert.equal(view.thresholds.updatedBy, adminName);
    assert.ok(view.thresholds.updatedAt);
    let h = await heatmap();
    assert.equal(bmtCell(h, 'online_share').band, 'yellow');
    assert.deepEqual(h.indicators.find((i) => i.id === 'online_share')!.thresholds, { green: 30, yellow: 25 });

    // green 0, yellow 0: every computed online-share cell is green (any value ≥ 0); N/A stays N/A.
    res = await put(admin, { thresholds: { online_share: { green: 0, yellow: 0 } } });
    assert.equal(res.statusCode, 200, res.body);
    h = await heatmap();
    const cells = h.rows.map((r) => r.cells.online_share!);
    assert.ok(cells.some((c) => c.value !== null));
    for (const c of cells) assert.equal(c.band, c.value === null ? 'na' : 'green');
    // Other indicators are untouched: 1 ÷ 4 online is still "red" by the defaults elsewhere.
    assert.deepEqual(await thresholdOverrides(e.ctx), { online_share: { direction: 'higher_is_better', green: 0, yellow: 0 } });

    // A lower-is-better indicator: overdue_pending at Buôn Ma Thuột is 0, green while green ≥ 0.
    assert.equal(bmtCell(h, 'overdue_pending').value, 0);
    res = await put(admin, { thresholds: { overdue_pending: { green: 0, yellow: 0 } } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(bmtCell(await heatmap(), 'overdue_pending').band, 'green');

    const audit = await auditRows(e);
    assert.equal(audit.length, 3);
    assert.deepEqual(
      audit.map((a) => [a.action, a.object_id, a.actor_id]),
      [
        ['monitoring_settings.update', 'heatmap_thresholds', adminId],
        ['monitoring_settings.update', 'heatmap_thresholds', adminId],
        ['monitoring_settings.update', 'heatmap_thresholds', adminId],
      ],
    );
    assert.equal(audit[0]!.reason, 'Mục tiêu quý I');
    assert.deepEqual(audit[0]!.details, { before: { heatmap_thresholds: {} }, after: { heatmap_thresholds: { online_share: { green: 30, yellow: 25 } } } });
    assert.deepEqual(audit[2]!.details, {
      before: { heatmap_thresholds: { online_share: { green: 0, yellow: 0 } } },
      after: { heatmap_thresholds: { overdue_pending: { green: 0, yellow: 0 }, online_share: { green: 0, yellow: 0 } } },
    });
    const rows = await storedRows(e);
    assert.deepEqual(rows.map((r) => [r.key, r.value, r.updated_by]), [['heatmap_thresholds', { overdue_pending: { green: 0, yellow: 0 }, online_share: { green: 0, yellow: 0 } }, adminId]]);

    // A change to what is already stored, or to the defaults' own values, writes no audit row.
    assert.equal((await put(admin, { thresholds: { online_share: { green: 0, yellow: 0 } } })).statusCode, 200);
    assert.equal((await auditRows(e)).length, 3);
    // Setting an indicator to its default values is the same as resetting it.
    res = await put(admin, { thresholds: { overdue_pending: { green: 0, yellow: 5 } } });
    assert.equal(indicator(json<Settings>(res), 'overdue_pending').overridden, false);
    assert.deepEqual((await storedRows(e))[0]!.value, { online_share: { green: 0, yellow: 0 } });
  });

  it('an admin changes the grade bands and the commune list: index766ConfigOf returns them', async () => {
    const e = env();
    const bands = [
      { grade: 'xuat_sac', minScore: 95 },
      { grade: 'tot', minScore: 85 },
      { grade: 'kha', minScore: 70 },
      { grade: 'trung_binh', minScore: 50 },
      { grade: 'yeu', minScore: 0 },
    ];
    assert.equal(gradeOf(92, (await index766ConfigOf(e.ctx)).gradeBands), 'xuat_sac');
    const res = await put(admin, { index766: { gradeBands: bands, notApplicable: { commune: ['1.1', '1.2'] } } });
    assert.equal(res.statusCode, 200, res.body);
    const view = json<Settings>(res);
    assert.equal(view.index766.overridden, true);
    assert.deepEqual(view.index766.current.gradeBands.map((b) => b.minScore), [95, 85, 70, 50, 0]);
    assert.deepEqual(view.index766.defaults.gradeBands.map((b) => b.minScore), [90, 80, 70, 50, 0]);

    const config = await index766ConfigOf(e.ctx);
    assert.deepEqual(config.gradeBands, bands);
    // 92 was "Xuất sắc" (≥ 90); with the new bands it is "Tốt" (≥ 85, < 95).
    assert.equal(gradeOf(92, config.gradeBands), 'tot');
    assert.deepEqual(config.notApplicable.commune, ['1.1', '1.2']);
    // A kind not named keeps its list; the split not named keeps its points.
    assert.deepEqual(config.notApplicable.ward, [...COMMUNE_LEVEL_NOT_APPLICABLE]);
    assert.deepEqual(config.group3MaxPoints, DEFAULT_INDEX766_CONFIG.group3MaxPoints);
    // The thresholds set before are still there.
    assert.equal(indicator(view, 'online_share').overridden, true);

    const last = (await auditRows(e)).at(-1)!;
    assert.equal(last.object_id, 'index766_config');
    assert.deepEqual((last.details as { before: unknown }).before, { index766_config: null });

    // An invalid split leaves the configuration as it was.
    assertBilingual(await put(admin, { index766: { group3MaxPoints: { '3.1': 6, '3.2': 6, '3.3': 6 } } }), 400, 'index766.group3MaxPoints');
    assert.deepEqual((await index766ConfigOf(e.ctx)).gradeBands, bands);
  });

  it('a stored value a release no longer accepts falls back to the default instead of failing', async () => {
    const e = env();
    await e.ctx.db
      .updateTable('monitoring_settings')
      .set({ value: JSON.stringify({ online_share: { green: 500, yellow: 0 }, due_soon: { green: 1, yellow: 2 }, gone: { green: 1, yellow: 1 } }) })
      .where('key', '=', 'heatmap_thresholds')
      .execute();
    const s = await settings();
    assert.deepEqual([indicator(s, 'online_share').current, indicator(s, 'online_share').overridden], [{ green: 70, yellow: 50 }, false]);
    assert.deepEqual([indicator(s, 'due_soon').current, indicator(s, 'due_soon').overridden], [{ green: 1, yellow: 2 }, true]);
  });

  it('reset puts the defaults back: thresholds only, then everything; each recorded', async () => {
    const e = env();
    const before = (await auditRows(e)).length;
    let res = await e.app.inject({ method: 'DELETE', url: `${URL}?part=thresholds`, headers: admin });
    assert.equal(res.statusCode, 200, res.body);
    let view = json<Settings>(res);
    assert.ok(view.thresholds.indicators.every((i) => !i.overridden && i.current.green === i.defaults.green && i.current.yellow === i.defaults.yellow));
    assert.equal(view.index766.overridden, true);
    assert.deepEqual(await thresholdOverrides(e.ctx), {});
    assert.equal(bmtCell(await heatmap(), 'online_share').band, 'red');

    assertBilingual(await e.app.inject({ method: 'DELETE', url: `${URL}?part=colours`, headers: admin }), 400);
    res = await e.app.inject({ method: 'DELETE', url: URL, headers: admin });
    assert.equal(res.statusCode, 200, res.body);
    view = json<Settings>(res);
    assert.equal(view.index766.overridden, false);
    assert.deepEqual(await index766ConfigOf(e.ctx), DEFAULT_INDEX766_CONFIG);
    assert.deepEqual(await storedRows(e), []);

    const audit = (await auditRows(e)).slice(before);
    assert.deepEqual(
      audit.map((a) => [a.action, a.object_id]),
      [
        ['monitoring_settings.reset', 'heatmap_thresholds'],
        ['monitoring_settings.reset', 'index766_config'],
      ],
    );
    // Resetting what is already default records nothing.
    assert.equal((await e.app.inject({ method: 'DELETE', url: URL, headers: admin })).statusCode, 200);
    assert.equal((await auditRows(e)).length, before + 2);

    // null for one indicator, and null for the index, also mean "the default".
    assert.equal((await put(admin, { thresholds: { due_soon: { green: 3, yellow: 9 } }, index766: { group3MaxPoints: { '3.1': 2, '3.2': 5, '3.3': 5 } } })).statusCode, 200);
    view = json<Settings>(await put(admin, { thresholds: { due_soon: null }, index766: null }));
    assert.equal(indicator(view, 'due_soon').overridden, false);
    assert.equal(view.index766.overridden, false);
    assert.deepEqual(await storedRows(e), []);
  });
});
