/**
 * Procedure search through HTTP on both databases: everyday queries (without diacritics, typos,
 * abbreviations, English), filters with a search, relevance pages, bad input, and the lexicon's
 * administration taking effect on the next search.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, json } from '../helpers/harness.js';

interface Item {
  code: string;
  field: string;
  level: string;
  onlineLevel: string;
  score: number;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }> };
}

/** Query → the procedure that must come first (codes from src/catalog/data/procedures.json). */
const FIRST: Array<[string, string]> = [
  ['dang ky khai sinh', '1.001193'],
  ['khai sinh', '1.001193'],
  ['sổ đỏ', 'H15-DD-01'],
  ['so do', 'H15-DD-01'],
  ['giấy phép xây dựng', 'H15-XD-01'],
  ['giay phep xay dung', 'H15-XD-01'],
  ['dang ki khai sin', '1.001193'],
  ['khai sinhh', '1.001193'],
  ['kjai sinh', '1.001193'],
  ['ket hon', '1.000894'],
  ['dnag ky ket hon', '1.000894'],
  ['xac nhan tinh trang hon nhan', 'H15-HT-03'],
  ['GPXD', 'H15-XD-01'],
  // No căn cước procedure is in the province's one-stop catalog (the police issue the card): the
  // lexicon leads to the certified copy (sao y) that people ask for at the desk.
  ['CCCD', '2.000815'],
  ['ly lich tu phap', 'H15-LLTP-01'],
  ['LLTP', 'H15-LLTP-01'],
  ['ho kinh doanh', 'H15-DKKD-01'],
  ['HKD', 'H15-DKKD-01'],
  ['birth registration', '1.001193'],
  ['criminal record', 'H15-LLTP-01'],
  ['building permit', 'H15-XD-01'],
  ['thủ tục đăng ký kết hôn', '1.000894'],
  ['1.000656', '1.000656'],
];

describeEachDatabase('procedure search', (env) => {
  const get = (url: string, headers: Record<string, string> = {}) => env().app.inject({ method: 'GET', url, headers });
  const search = async (params: string): Promise<Page> => {
    const res = await get(`/api/procedures?${params}`);
    assert.equal(res.statusCode, 200, res.body);
    return json<Page>(res);
  };
  const codes = async (q: string, extra = '') => (await search(`q=${encodeURIComponent(q)}${extra}`)).items.map((p) => p.code);

  it('every everyday query finds the expected procedure first', async () => {
    const wrong: string[] = [];
    for (const [q, code] of FIRST) {
      const got = await codes(q);
      if (got[0] !== code) wrong.push(`${q} → ${got.slice(0, 3).join(',') || '(nothing)'} (expected ${code})`);
    }
    assert.deepEqual(wrong, []);
  });

  it('results carry a score, in decreasing order; the exact name scores highest', async () => {
    const page = await search('q=dang%20ky%20khai%20sinh');
    const scores = page.items.map((p) => p.score);
    assert.ok(scores.every((s) => typeof s === 'number' && s > 0));
    assert.deepEqual([...scores].sort((a, b) => b - a), scores);
    assert.ok(scores[0]! > scores[1]!);
    // Without q there is no score.
    assert.equal((await search('limit=1')).items[0]?.score, undefined);
  });

  it('a query that matches nothing returns an empty list, not the nearest junk', async () => {
    for (const q of ['xyzzy qwerty', 'khai sinh zzzz', 'qqqq', '%', '_']) assert.deepEqual(await codes(q), [], q);
  });

  it('typos widen a word, not the whole search: every result still contains the other words', async () => {
    const got = await search(`q=${encodeURIComponent('khai sinhh')}&limit=100`);
    assert.ok(got.items.length >= 3);
    const text = await sql<{ code: string; search_text: string }>`SELECT code, search_text FROM procedures`.execute(env().ctx.db);
    const byCode = new Map(text.rows.map((r) => [r.code, r.search_text]));
    for (const p of got.items) assert.match(byCode.get(p.code) ?? '', /khai/, p.code);
  });

  it('filters combine with q (field, level, online, unit)', async () => {
    assert.deepEqual(await codes('ket hon', '&field=CT'), []);
    const ht = await search(`q=${encodeURIComponent('khai sinh')}&field=HT&limit=100`);
    assert.ok(ht.items.length >= 3 && ht.items.every((p) => p.field === 'HT'));
    const prov = await search(`q=${encodeURIComponent('sổ đỏ')}&level=province&limit=100`);
    assert.deepEqual(prov.items.map((p) => p.code).sort(), ['H15-DD-01', 'H15-DD-03']);
    const commune = await search(`q=${encodeURIComponent('sổ đỏ')}&level=commune`);
    assert.deepEqual(commune.items.map((p) => p.code), ['H15-DD-02']);
    const full = await search(`q=${encodeURIComponent('dang ky')}&online=full&limit=100`);
    assert.ok(full.items.length >= 3 && full.items.every((p) => p.onlineLevel === 'full'));
    assert.deepEqual(await codes('ly lich tu phap', '&unit=H15.S02'), ['H15-LLTP-01']);
    assert.deepEqual(await codes('ly lich tu phap', '&unit=H15.001'), []);
    assert.equal((await codes('khai sinh', '&unit=H15.001'))[0], '1.001193');
  });

  it('relevance pages walk every match once, in the same order as one big page', async () => {
    for (const q of ['dang ky', 'giay', 'chung thuc ban sao']) {
      const all = (await search(`q=${encodeURIComponent(q)}&limit=100`)).items.map((p) => p.code);
      assert.ok(all.length >= 2, q);
      for (const limit of [1, 3]) {
        const walked: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Page = await search(`q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          walked.push(...page.items.map((p) => p.code));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(walked, all, `${q} limit ${limit}`);
      }
    }
  });

  it('bad input → 400 in both languages: q too long, bad cursor, cursor of another search', async () => {
    const cases: Array<[string, string, string]> = [
      [`q=${'a'.repeat(201)}`, 'invalid_input', 'q'],
      ['q=khai&cursor=abc', 'invalid_cursor', 'cursor'],
      [`q=khai&cursor=${Buffer.from('[1,"x"]').toString('base64url')}`, 'invalid_cursor', 'cursor'],
      [`q=khai&cursor=${Buffer.from('["x","y","z"]').toString('base64url')}`, 'invalid_cursor', 'cursor'],
    ];
    const other = (await search('q=dang%20ky&limit=1')).nextCursor;
    assert.ok(other);
    cases.push([`q=ket%20hon&cursor=${other}`, 'invalid_cursor', 'cursor']);
    cases.push([`q=dang%20ky&field=HT&cursor=${other}`, 'invalid_cursor', 'cursor']);
    for (const [params, code, field] of cases) {
      const res = await get(`/api/procedures?${params}`);
      assert.equal(res.statusCode, 400, params);
      const body = json<ErrorBody>(res);
      assert.equal(body.error.code, code, params);
      assert.ok(body.error.message && body.error.messageVi, params);
      assert.ok(body.error.fields?.some((f) => f.field === field && f.messageVi), `${params}: ${JSON.stringify(body.error)}`);
    }
    // 200 characters are fine.
    assert.equal((await get(`/api/procedures?q=${'khai '.repeat(40)}`)).statusCode, 200);
  });

  it('the seed lexicon is in the database; admin reads it, others may not', async () => {
    const admin = await env().login('admin');
    const res = await get('/api/search/lexicon', admin);
    assert.equal(res.statusCode, 200, res.body);
    const items = json<{ items: Array<{ termFolded: string; expansions: string[] }> }>(res).items;
    assert.ok(items.find((i) => i.termFolded === 'gpxd')?.expansions.includes('giấy phép xây dựng'));
    assert.equal((await get('/api/search/lexicon')).statusCode, 401);
    assert.equal((await get('/api/search/lexicon', await env().login('motcua.bmt'))).statusCode, 403);
  });

  it('an admin adds, changes and deletes a term; each takes effect on the next search and is audited', async () => {
    const admin = await env().login('admin');
    const put = (term: string, payload: unknown, headers = admin) =>
      env().app.inject({ method: 'PUT', url: `/api/search/lexicon/${encodeURIComponent(term)}`, headers, payload: payload as Record<string, unknown> });
    const del = (term: string, headers = admin) => env().app.inject({ method: 'DELETE', url: `/api/search/lexicon/${encodeURIComponent(term)}`, headers });

    assert.deepEqual(await codes('giấy xyzzy'), []);
    const created = await put('Giấy Xyzzy', { expansions: ['lý lịch tư pháp'], note: 'Từ thử nghiệm' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(json<{ termFolded: string }>(created).termFolded, 'giay xyzzy');
    assert.equal((await codes('giay xyzzy'))[0], 'H15-LLTP-01');

    const changed = await put('giay xyzzy', { expansions: ['kết hôn'] });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await codes('giấy xyzzy'))[0], '1.000894');

    assert.equal((await del('GIẤY XYZZY')).statusCode, 204);
    assert.deepEqual(await codes('giấy xyzzy'), []);
    assert.equal((await del('giay xyzzy')).statusCode, 404);

    const audit = await env()
      .ctx.db.selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('object_type', '=', 'search_lexicon')
      .where('object_id', '=', 'giay xyzzy')
      .orderBy('id')
      .execute();
    assert.deepEqual(audit.map((a) => a.action), ['search.lexicon.put', 'search.lexicon.put', 'search.lexicon.delete']);
    assert.ok(audit.every((a) => a.actor_id !== null));
  });

  it('lexicon writes: citizens and desk officers are refused, CSRF is required, bad input → 400 bilingual, nothing written', async () => {
    const admin = await env().login('admin');
    const desk = await env().login('motcua.bmt');
    const citizen = (await env().citizen('search-citizen')).headers;
    const body = { expansions: ['khai sinh'] };
    const put = (term: string, payload: unknown, headers: Record<string, string>) =>
      env().app.inject({ method: 'PUT', url: `/api/search/lexicon/${encodeURIComponent(term)}`, headers, payload: payload as Record<string, unknown> });
    assert.equal((await put('tre so sinh', body, desk)).statusCode, 403);
    assert.equal((await put('tre so sinh', body, citizen)).statusCode, 403);
    assert.equal((await put('tre so sinh', body, {})).statusCode, 401);
    const noCsrf = await put('tre so sinh', body, { cookie: admin.cookie! });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(json<ErrorBody>(noCsrf).error.code, 'csrf_failed');
    assert.equal((await env().app.inject({ method: 'DELETE', url: '/api/search/lexicon/gpxd', headers: desk })).statusCode, 403);

    const bad: Array<[string, unknown, string]> = [
      ['!!!', body, 'term'],
      ['mot hai ba bon nam', body, 'term'],
      ['tre so sinh', { expansions: ['Trẻ sơ sinh'] }, 'expansions.0'],
      ['tre so sinh', { expansions: ['khai sinh', 'Khai Sinh'] }, 'expansions.1'],
      ['tre so sinh', { expansions: ['  '] }, 'expansions.0'],
      ['tre so sinh', { expansions: 'khai sinh' }, 'expansions'],
      ['tre so sinh', { expansions: ['khai sinh'], extra: 1 }, 'extra'],
      ['tre so sinh', { expansions: Array.from({ length: 21 }, (_, i) => `nghia ${i}`) }, 'expansions'],
    ];
    for (const [term, payload, field] of bad) {
      const res = await put(term, payload, admin);
      assert.equal(res.statusCode, 400, `${term} ${JSON.stringify(payload)}: ${res.body}`);
      const e = json<ErrorBody>(res).error;
      assert.ok(e.message && e.messageVi);
      assert.ok(e.fields?.some((f) => f.field.includes(field) && f.messageVi), `${field}: ${JSON.stringify(e.fields)}`);
    }
    const n = await env().ctx.db.selectFrom('search_lexicon').select('term_folded').where('term_folded', 'in', ['tre so sinh', 'mot hai ba bon nam']).execute();
    assert.deepEqual(n, []);
  });

  it('seeding again adds missing seed terms only: an edited seed term keeps its edit', async () => {
    const admin = await env().login('admin');
    const res = await env().app.inject({ method: 'PUT', url: '/api/search/lexicon/HKD', headers: admin, payload: { expansions: ['hộ kinh doanh', 'hộ cá thể'], note: 'sửa bởi quản trị' } });
    assert.equal(res.statusCode, 200, res.body);
    await env().ctx.db.deleteFrom('search_lexicon').where('term_folded', '=', 'lltp').execute();
    const { seedCatalog } = await import('../../src/catalog/seed.js');
    const r = await seedCatalog(env().ctx.db);
    assert.equal(r.lexiconTermsAdded, 1);
    const hkd = await env().ctx.db.selectFrom('search_lexicon').selectAll().where('term_folded', '=', 'hkd').executeTakeFirstOrThrow();
    assert.deepEqual(hkd.expansions, ['hộ kinh doanh', 'hộ cá thể']);
  });

  it('the typo vocabulary follows the catalog: a new procedure word can be corrected at once', async () => {
    const admin = await env().login('admin');
    const base = json<Record<string, unknown>>(await get('/api/procedures/H15-CT-03'));
    const { fieldName: _a, fieldNameEn: _b, updatedAt: _c, documents, ...rest } = base as Record<string, unknown> & { documents: Array<Record<string, unknown>> };
    const body = { ...rest, code: 'H15-CT-98', nationalCode: null, name: 'Chứng thực văn bản thỏa thuận phân chia di sản (thử nghiệm)', aliases: [], documents: documents.map(({ seq: _s, ...d }) => d) };
    const res = await env().app.inject({ method: 'PUT', url: '/api/procedures/H15-CT-98', headers: admin, payload: body });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await codes('phan chai di san'))[0], 'H15-CT-98');
    assert.equal((await codes('di sna'))[0], 'H15-CT-98');
  });
});
