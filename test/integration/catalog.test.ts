/** The procedure catalog through HTTP on both databases: search, filters, pages, export/import. */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { readCsv, readXlsx, tableToCsv } from '../../src/catalog/import-export.js';

interface Summary {
  code: string;
  name: string;
  field: string;
  fieldName: string;
  level: string;
  onlineLevel: string;
  implementingUnitKinds: string[];
  implementingUnits: string[];
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
}
interface Detail extends Summary {
  fieldNameEn: string;
  verification: Record<string, string>;
  cases: Array<{ code: string; name: string; timeLimit: { kind: string; value: number }; serviceNorm: { kind: string; value: number } | null; fee: Record<string, unknown> }>;
  documents: Array<{ seq: number; name: string; copies: number; originalRequired: boolean; required: boolean; caseCodes: string[] }>;
  steps: string[];
  stepNorms: Record<string, number>;
  aliases: string[];
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    messageVi: string;
    fields?: Array<{ field: string; message: string; messageVi: string }>;
    rows?: Array<{ row: number; reason: string; reasonVi: string }>;
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A complete, valid procedure for PUT tests. */
function sampleProcedure(code: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code,
    name: 'Thủ tục thử nghiệm cấp giấy xác nhận',
    nameEn: 'Test procedure',
    field: 'HT',
    level: 'commune',
    implementingBody: 'Ủy ban nhân dân cấp xã',
    implementingUnitKinds: ['commune', 'ward'],
    applicantTypes: ['citizen'],
    legalBasis: 'Văn bản thử nghiệm',
    resultType: 'paper',
    resultName: 'Giấy xác nhận',
    onlineLevel: 'partial',
    aliases: ['thu nghiem xac nhan'],
    cases: [
      { code: 'A', name: 'Trường hợp A', timeLimit: { kind: 'working_days', value: 3 }, serviceNorm: { kind: 'working_days', value: 2 }, fee: { kind: 'fixed', amount: 20000 } },
      { code: 'B', name: 'Trường hợp B', timeLimit: { kind: 'same_day', value: 0 }, fee: { kind: 'free' } },
    ],
    documents: [{ name: 'Tờ khai', copies: 1, caseCodes: ['A'] }],
    ...over,
  };
}

describeEachDatabase('catalog', (env: () => TestEnv) => {
  const get = (url: string) => env().app.inject({ method: 'GET', url });
  const list = async (query: string) => {
    const res = await get(`/api/procedures${query}`);
    assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
    return json<Page>(res);
  };
  /** Every page of a listing, following nextCursor. */
  const walk = async (query: string, limit: number) => {
    const codes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = query ? '&' : '?';
      const page = await list(`${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= limit);
      codes.push(...page.items.map((p) => p.code));
      cursor = page.nextCursor;
      if (cursor) assert.equal(page.items.length, limit, 'only the last page may be short');
      pages++;
      assert.ok(pages < 100, 'pagination does not end');
    } while (cursor);
    return codes;
  };
  const importFile = (body: Buffer | string, headers: Record<string, string>, format?: 'csv' | 'xlsx', contentType = 'text/csv') =>
    env().app.inject({
      method: 'POST',
      url: `/api/catalog/import${format ? `?format=${format}` : ''}`,
      headers: { ...headers, 'content-type': contentType },
      payload: body,
    });

  let admin: Record<string, string>;
  let desk: Record<string, string>;
  before(async () => {
    // A non-admin account of our own, independent of the demo staff list.
    await env()
      .ctx.db.insertInto('users')
      .values({ username: 'catalog.test.desk', password_hash: await hashPassword('demo'), role: 'desk_officer', unit_code: 'H15.001', full_name: 'Cán bộ thử nghiệm' })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    admin = await env().login('admin');
    desk = await env().login('catalog.test.desk');
  });

  // ------------------------------------------------------------------------------------- reads

  it('lists active procedures by code, 20 by default, with field names', async () => {
    const page = await list('');
    assert.equal(page.items.length, 20);
    assert.ok(page.nextCursor);
    const all = await list('?limit=100');
    assert.ok(all.items.length >= 32);
    assert.equal(all.nextCursor, null);
    assert.deepEqual(page.items.map((p) => p.code), all.items.slice(0, 20).map((p) => p.code));
    const ks = all.items.find((p) => p.code === '1.001193');
    assert.equal(ks?.fieldName, 'Hộ tịch');
  });

  it('search without diacritics: "dang ky khai sinh" and "khai sinh" find 1.001193 first', async () => {
    for (const q of ['dang ky khai sinh', 'khai sinh', 'Đăng ký khai sinh', 'DANG KY KHAI SINH']) {
      const page = await list(`?q=${encodeURIComponent(q)}`);
      assert.equal(page.items[0]?.code, '1.001193', `${q}: ${page.items.map((p) => p.code).join(',')}`);
      assert.ok(page.items.length >= 3, q);
    }
  });

  it('search: "chung thuc ban sao" finds 2.000815; everyday names and codes work', async () => {
    const first = async (q: string) => (await list(`?q=${encodeURIComponent(q)}`)).items.map((p) => p.code);
    assert.equal((await first('chung thuc ban sao'))[0], '2.000815');
    assert.ok((await first('sao y ban chinh')).includes('2.000815'));
    assert.equal((await first('ket hon'))[0], '1.000894');
    assert.ok((await first('so do')).some((c) => c.startsWith('H15-DD-')));
    assert.ok((await first('sổ đỏ')).some((c) => c.startsWith('H15-DD-')));
    assert.ok((await first('GPXD')).includes('H15-XD-01'));
    assert.ok((await first('lltp')).includes('H15-LLTP-01'));
    assert.ok((await first('ly lich tu phap')).includes('H15-LLTP-01'));
    assert.ok((await first('hộ kinh doanh')).includes('H15-DKKD-01'));
    assert.deepEqual(await first('1.000656'), ['1.000656']);
    assert.ok((await first('birth registration')).includes('1.001193'));
    assert.deepEqual(await first('khai sinh zzzz'), []);
    // LIKE wildcards are taken literally
    assert.deepEqual(await first('%'), []);
    assert.deepEqual(await first('_'), []);
    // blank search = no search
    assert.equal((await list('?q=%20%20')).items.length, 20);
  });

  it('filters: field, level, online, unit (by kind and by code), combined', async () => {
    const ct = (await list('?field=CT&limit=100')).items;
    assert.ok(ct.length >= 4 && ct.every((p) => p.field === 'CT'));
    const prov = (await list('?level=province&limit=100')).items;
    assert.ok(prov.length >= 5 && prov.every((p) => p.level === 'province'));
    const full = (await list('?online=full&limit=100')).items;
    assert.ok(full.length >= 5 && full.every((p) => p.onlineLevel === 'full'));

    const all = (await list('?limit=100')).items;
    const ward = (await list('?unit=H15.001&limit=100')).items;
    assert.deepEqual(ward.map((p) => p.code), all.filter((p) => p.level === 'commune').map((p) => p.code));
    const commune = (await list('?unit=H15.050&limit=100')).items;
    assert.equal(commune.length, ward.length);
    const justice = (await list('?unit=H15.S02&limit=100')).items.map((p) => p.code);
    assert.deepEqual(justice, ['H15-LLTP-01']);
    const finance = (await list('?unit=H15.S03&limit=100')).items;
    assert.ok(finance.length >= 4 && finance.every((p) => p.field === 'DN'));
    // An unknown unit code is a mistake to report (404), not an empty list.
    const unknown = await env().app.inject({ method: 'GET', url: '/api/procedures?unit=H15.999' });
    assert.equal(unknown.statusCode, 404);

    const combined = (await list('?field=HT&level=commune&q=ket%20hon')).items.map((p) => p.code);
    assert.equal(combined[0], '1.000894');
    assert.ok(combined.every((c) => all.find((p) => p.code === c)?.field === 'HT'));
    assert.deepEqual((await list('?field=CT&q=ket%20hon')).items, []);
    assert.deepEqual((await list('?field=HT&level=province')).items, []);
  });

  it('pagination walks every page without duplicates or gaps (by code, and by relevance)', async () => {
    const all = (await list('?limit=100')).items.map((p) => p.code);
    for (const limit of [1, 7, 20]) {
      const walked = await walk('', limit);
      assert.deepEqual(walked, all, `limit ${limit}`);
    }
    const q = '?q=dang%20ky';
    const ranked = (await list(`${q}&limit=100`)).items.map((p) => p.code);
    assert.ok(ranked.length > 10);
    for (const limit of [1, 4]) {
      const walked = await walk(q, limit);
      assert.deepEqual(walked, ranked, `q limit ${limit}`);
      assert.equal(new Set(walked).size, walked.length);
    }
    const filtered = await walk('?field=HT', 3);
    assert.deepEqual(filtered, all.filter((c) => (c.startsWith('1.') || c.startsWith('H15-HT-'))));
  });

  it('one procedure with its cases (in order), documents and verification', async () => {
    const res = await get('/api/procedures/1.000894');
    assert.equal(res.statusCode, 200);
    const p = json<Detail>(res);
    assert.equal(p.name, 'Đăng ký kết hôn');
    assert.equal(p.fieldName, 'Hộ tịch');
    assert.equal(p.fieldNameEn, 'Civil status');
    assert.deepEqual(p.cases.map((c) => [c.code, c.timeLimit.kind, c.timeLimit.value]), [
      ['KHONG_XAC_MINH', 'same_day', 0],
      ['CAN_XAC_MINH', 'working_days', 5],
    ]);
    assert.equal(p.cases[0]?.fee.kind, 'free');
    assert.equal(p.cases[0]?.serviceNorm, null);
    assert.deepEqual(p.documents.map((d) => d.seq), p.documents.map((_, i) => i + 1));
    assert.deepEqual(Object.keys(p.verification).sort(), ['code', 'documents', 'fee', 'legalBasis', 'timeLimit']);

    const copy = json<Detail>(await get('/api/procedures/2.000815'));
    const { note: _n, ...fee } = copy.cases[0]!.fee;
    assert.deepEqual(fee, { kind: 'per_page', rate: 2000, laterRate: 1000, laterFromPage: 3, capPerCopy: 200000 });
    assert.deepEqual(copy.steps, ['desk', 'leader', 'return']);

    const thuongTru = json<Detail>(await get('/api/procedures/H15-CU-01'));
    assert.deepEqual(thuongTru.cases[0]?.serviceNorm, { kind: 'working_days', value: 5 });
  });

  it('unknown procedure → 404 in both languages; malformed code → 400', async () => {
    const res = await get('/api/procedures/9.999999');
    assert.equal(res.statusCode, 404);
    const body = json<ErrorBody>(res);
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.messageVi, /Không tìm thấy thủ tục/);
    assert.equal((await get('/api/procedures/a%20b')).statusCode, 400);
  });

  it('bad query inputs → 400 in both languages (unknown field, cursor, limit, enums)', async () => {
    const bad: Array<[string, string, string]> = [
      ['?foo=1', 'invalid_input', 'foo'],
      ['?limit=0', 'invalid_input', 'limit'],
      ['?limit=1000', 'invalid_input', 'limit'],
      ['?limit=abc', 'invalid_input', 'limit'],
      ['?level=district', 'invalid_input', 'level'],
      ['?online=maybe', 'invalid_input', 'online'],
      ['?cursor=!!!', 'invalid_input', 'cursor'],
      ['?cursor=abc', 'invalid_cursor', 'cursor'],
      [`?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'invalid_cursor', 'cursor'],
      [`?cursor=${Buffer.from('[1]').toString('base64url')}`, 'invalid_cursor', 'cursor'],
    ];
    for (const [query, code, field] of bad) {
      const res = await get(`/api/procedures${query}`);
      assert.equal(res.statusCode, 400, query);
      const body = json<ErrorBody>(res);
      assert.equal(body.error.code, code, query);
      assert.ok(body.error.message && body.error.messageVi, query);
      assert.ok(body.error.fields?.some((f) => f.field === field && f.messageVi), `${query}: ${JSON.stringify(body.error.fields)}`);
    }
    // A cursor of a search is refused by a listing without search, and the reverse.
    const searchCursor = (await list('?q=dang%20ky&limit=2')).nextCursor;
    const plainCursor = (await list('?limit=2')).nextCursor;
    assert.ok(searchCursor && plainCursor);
    assert.equal((await get(`/api/procedures?cursor=${searchCursor}`)).statusCode, 400);
    assert.equal((await get(`/api/procedures?q=dang%20ky&cursor=${plainCursor}`)).statusCode, 400);
  });

  it('fields list with procedure counts', async () => {
    const res = await get('/api/fields');
    assert.equal(res.statusCode, 200);
    const { items } = json<{ items: Array<{ code: string; name: string; nameEn: string; procedureCount: number }> }>(res);
    assert.ok(items.length >= 6);
    assert.equal(items.find((f) => f.code === 'HT')?.name, 'Hộ tịch');
    const total = items.reduce((n, f) => n + f.procedureCount, 0);
    assert.equal(total, (await list('?limit=100')).items.length);
    assert.equal((await get('/api/fields?x=1')).statusCode, 400);
  });

  it('search_text equals motcua_fold(code, name, name_en, aliases, field name) in SQL', async () => {
    const rows = await sql<{ code: string }>`
      SELECT p.code FROM procedures p JOIN fields f ON f.code = p.field_code
      WHERE p.search_text <> motcua_fold(concat_ws(' ', p.code, p.name, p.name_en, array_to_string(p.aliases, ' '), f.name))`.execute(env().ctx.db);
    assert.deepEqual(rows.rows, []);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM procedures WHERE search_text = ''`.execute(env().ctx.db);
    assert.equal(n.rows[0]?.n, 0);
  });

  // ----------------------------------------------------------------------------- export / import

  it('export CSV → import → export gives the same file', async () => {
    const first = await get('/api/catalog/export?format=csv');
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /^text\/csv/);
    assert.match(String(first.headers['content-disposition']), /attachment; filename="danh-muc-thu-tuc\.csv"/);
    const table = readCsv(first.rawPayload);
    const cases = json<{ items: Summary[] }>(await get('/api/procedures?limit=100')).items.length;
    assert.ok(table.length - 1 > cases, 'one row per case');
    assert.equal(table[0]?.[0], 'procedure_code');

    const imp = await importFile(first.rawPayload, admin, 'csv');
    assert.equal(imp.statusCode, 200, imp.body);
    assert.equal(json<{ imported: number }>(imp).imported, cases);

    const second = await get('/api/catalog/export?format=csv');
    assert.equal(second.body, first.body);
    // default format is CSV
    assert.equal((await get('/api/catalog/export')).body, first.body);
  });

  it('export XLSX → import → export gives the same content, equal to the CSV', async () => {
    const csv = readCsv((await get('/api/catalog/export?format=csv')).rawPayload);
    const first = await get('/api/catalog/export?format=xlsx');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['content-type'], XLSX);
    const t1 = await readXlsx(first.rawPayload);
    assert.deepEqual(t1, csv);

    // format taken from the content type
    const imp = await importFile(first.rawPayload, admin, undefined, XLSX);
    assert.equal(imp.statusCode, 200, imp.body);
    const t2 = await readXlsx((await get('/api/catalog/export?format=xlsx')).rawPayload);
    assert.deepEqual(t2, t1);
    // and from the bytes, for application/octet-stream
    const imp2 = await importFile(first.rawPayload, admin, undefined, 'application/octet-stream');
    assert.equal(imp2.statusCode, 200, imp2.body);
  });

  it('an edited CSV is applied: changed fee, new procedure, blank repeated columns inherit', async () => {
    const table = readCsv((await get('/api/catalog/export?format=csv')).rawPayload);
    const header = table[0]!;
    const ix = (k: string) => header.indexOf(k);
    const willRow = table.find((r) => r[ix('procedure_code')] === 'H15-CT-03')!;
    willRow[ix('fee_amount')] = '60.000';
    // A new procedure with two cases; the second row leaves the procedure columns blank.
    const newRow = [...willRow];
    newRow[ix('procedure_code')] = 'H15-CT-99';
    newRow[ix('name')] = 'Chứng thực thử nghiệm';
    newRow[ix('aliases')] = 'thu nghiem chung thuc';
    const second = header.map(() => '');
    second[ix('procedure_code')] = 'H15-CT-99';
    for (const k of ['case_code', 'case_name', 'time_limit_kind', 'time_limit_value', 'fee_kind']) second[ix(k)] = '';
    second[ix('case_code')] = 'NHANH';
    second[ix('case_name')] = 'Trong ngày';
    second[ix('time_limit_kind')] = 'same_day';
    second[ix('fee_kind')] = 'free';
    const res = await importFile(tableToCsv([header, newRow, second]), admin, 'csv');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(json(res), { imported: 1, cases: 2 });
    const p = json<Detail>(await get('/api/procedures/H15-CT-99'));
    assert.equal(p.name, 'Chứng thực thử nghiệm');
    assert.deepEqual(p.cases.map((c) => c.code), ['MAC_DINH', 'NHANH']);
    assert.equal(p.cases[1]?.timeLimit.kind, 'same_day');
    assert.equal(p.field, 'CT');
    assert.ok((await list('?q=thu%20nghiem%20chung%20thuc')).items.some((x) => x.code === 'H15-CT-99'));
    // The file held only H15-CT-99: H15-CT-03 (edited in memory only for newRow) is unchanged.
    const will = json<Detail>(await get('/api/procedures/H15-CT-03'));
    assert.equal(will.cases[0]?.fee.amount, 50000);

    const res2 = await importFile(tableToCsv([header, willRow]), admin, 'csv');
    assert.equal(res2.statusCode, 200, res2.body);
    assert.equal(json<Detail>(await get('/api/procedures/H15-CT-03')).cases[0]?.fee.amount, 60000);
  });

  it('a bad row rejects the whole file with row numbers and reasons; nothing is written', async () => {
    const before = (await get('/api/catalog/export?format=csv')).body;
    const table = readCsv(Buffer.from(before));
    const header = table[0]!;
    const ix = (k: string) => header.indexOf(k);
    const base = table.find((r) => r[ix('procedure_code')] === 'H15-HT-05')!;
    const valid = [...base];
    valid[ix('procedure_code')] = 'H15-TEST-01';
    const badFee = [...base];
    badFee[ix('procedure_code')] = 'H15-TEST-02';
    badFee[ix('fee_kind')] = 'percent';
    const badLevel = [...base];
    badLevel[ix('procedure_code')] = 'H15-TEST-03';
    badLevel[ix('level')] = 'district';
    badLevel[ix('time_limit_value')] = 'ba';
    const badField = [...base];
    badField[ix('procedure_code')] = 'H15-TEST-04';
    badField[ix('field_code')] = 'NOPE';
    const changed = [...valid];
    changed[ix('case_code')] = 'KHAC';
    changed[ix('name')] = 'Tên khác';
    const file = tableToCsv([header, valid, badFee, badLevel, changed, [''], badField]);

    const res = await importFile(file, admin, 'csv');
    assert.equal(res.statusCode, 400, res.body);
    const body = json<ErrorBody>(res);
    assert.equal(body.error.code, 'import_rejected');
    assert.ok(body.error.messageVi.length > 0);
    const rows = body.error.rows ?? [];
    const at = (row: number) => rows.filter((r) => r.row === row);
    assert.equal(at(2).length, 0, 'the valid row is not reported');
    assert.match(at(3)[0]?.reason ?? '', /fee/);
    assert.match(at(4)[0]?.reason ?? '', /time_limit_value/);
    assert.match(at(5)[0]?.reason ?? '', /^name: differs from row 2/);
    assert.match(at(5)[0]?.reasonVi ?? '', /khác với dòng 2/);
    // row 6 is blank and ignored; the blank line still counts, as in a spreadsheet
    assert.equal(at(6).length, 0);
    assert.match(at(7)[0]?.reason ?? '', /field_code: unknown field "NOPE"/);
    assert.ok(rows.every((r) => r.reason && r.reasonVi));

    // Nothing applied: not even the valid row.
    assert.equal((await get('/api/procedures/H15-TEST-01')).statusCode, 404);
    assert.equal((await get('/api/catalog/export?format=csv')).body, before);

    // A reference problem alone (checked against the database) also rejects everything.
    const only = await importFile(tableToCsv([header, valid, badField]), admin, 'csv');
    assert.equal(only.statusCode, 400);
    assert.deepEqual(json<ErrorBody>(only).error.rows?.map((r) => r.row), [3]);
    assert.equal((await get('/api/procedures/H15-TEST-01')).statusCode, 404);
  });

  it('a bad header, an empty file, a file that is not CSV/XLSX, a wrong content type or a too large body is refused clearly', async () => {
    const header = readCsv((await get('/api/catalog/export?format=csv')).rawPayload)[0]!;
    const noName = await importFile(tableToCsv([header.filter((h) => h !== 'name').concat(['colour'])]), admin, 'csv');
    assert.equal(noName.statusCode, 400);
    const nb = json<ErrorBody>(noName);
    assert.equal(nb.error.code, 'import_rejected');
    assert.equal(nb.error.rows?.[0]?.row, 1);
    assert.match(nb.error.rows?.[0]?.reason ?? '', /missing column\(s\): name.*unknown column\(s\): colour/);

    const empty = await importFile(tableToCsv([header]), admin, 'csv');
    assert.equal(empty.statusCode, 400);
    assert.match(json<ErrorBody>(empty).error.rows?.[0]?.reason ?? '', /no procedure rows/);

    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81]);
    const notCsv = await importFile(binary, admin, 'csv');
    assert.equal(notCsv.statusCode, 400);
    assert.equal(json<ErrorBody>(notCsv).error.code, 'not_csv');
    assert.match(json<ErrorBody>(notCsv).error.messageVi, /CSV/);

    const notXlsx = await importFile(tableToCsv([header]), admin, 'xlsx');
    assert.equal(notXlsx.statusCode, 400);
    assert.equal(json<ErrorBody>(notXlsx).error.code, 'not_xlsx');

    const brokenZip = await importFile(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]), admin, 'xlsx', XLSX);
    assert.equal(brokenZip.statusCode, 400);
    assert.equal(json<ErrorBody>(brokenZip).error.code, 'not_xlsx');

    const unknown = await importFile(binary, admin, undefined, 'application/octet-stream');
    assert.equal(unknown.statusCode, 400);
    assert.equal(json<ErrorBody>(unknown).error.code, 'unknown_format');

    const asJson = await env().app.inject({ method: 'POST', url: '/api/catalog/import', headers: admin, payload: { a: 1 } });
    assert.equal(asJson.statusCode, 415);
    const plain = await importFile('a,b', admin, 'csv', 'text/plain');
    assert.equal(plain.statusCode, 415);

    const huge = await importFile(Buffer.alloc(5 * 1024 * 1024 + 10, 0x61), admin, 'csv');
    assert.equal(huge.statusCode, 413);
    assert.equal(json<ErrorBody>(huge).error.code, 'body_too_large');

    const badQuery = await env().app.inject({ method: 'POST', url: '/api/catalog/import?format=pdf', headers: { ...admin, 'content-type': 'text/csv' }, payload: 'x' });
    assert.equal(badQuery.statusCode, 400);
  });

  it('import is for admins only: 401 without a session, 403 for a desk officer', async () => {
    const file = (await get('/api/catalog/export?format=csv')).rawPayload;
    const anon = await importFile(file, {}, 'csv');
    assert.equal(anon.statusCode, 401);
    assert.match(json<ErrorBody>(anon).error.messageVi, /đăng nhập/);
    const officer = await importFile(file, desk, 'csv');
    assert.equal(officer.statusCode, 403);
    assert.ok(json<ErrorBody>(officer).error.messageVi.length > 0);
    const noCsrf = await importFile(file, { cookie: admin.cookie! }, 'csv');
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(json<ErrorBody>(noCsrf).error.code, 'csrf_failed');
  });

  // ------------------------------------------------------------------------------------ writes

  it('PUT writes a whole procedure (admin) and keeps search_text in step', async () => {
    const put = (code: string, body: unknown, headers = admin) =>
      env().app.inject({ method: 'PUT', url: `/api/procedures/${code}`, headers, payload: body as Record<string, unknown> });
    const res = await put('H15-HT-90', sampleProcedure('H15-HT-90'));
    assert.equal(res.statusCode, 200, res.body);
    const p = json<Detail>(res);
    assert.deepEqual(p.cases.map((c) => c.code), ['A', 'B']);
    assert.deepEqual(p.documents[0]?.caseCodes, ['A']);
    assert.deepEqual(p.steps, ['desk', 'specialist', 'leader', 'return']);
    assert.deepEqual(p.stepNorms, {}, 'no norms configured: shares of the time limit');
    assert.equal(p.verification.fee, 'to_verify');
    const normed = await put('H15-HT-90', sampleProcedure('H15-HT-90', { stepNorms: { specialist: 12, leader: 2.5 } }));
    assert.equal(normed.statusCode, 200, normed.body);
    assert.deepEqual(json<Detail>(normed).stepNorms, { specialist: 12, leader: 2.5 });
    assert.deepEqual(json<Detail>(await get('/api/procedures/H15-HT-90')).stepNorms, { specialist: 12, leader: 2.5 });
    assert.ok((await list('?q=thu%20nghiem%20xac%20nhan')).items.some((x) => x.code === 'H15-HT-90'));

    // Replace: one case removed, name changed
    const caseB = (sampleProcedure('x').cases as unknown[])[1];
    const again = await put('H15-HT-90', sampleProcedure('H15-HT-90', { name: 'Thủ tục đổi tên', aliases: [], cases: [caseB], documents: [] }));
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(json<Detail>(again).cases.map((c) => c.code), ['B']);
    assert.deepEqual((await list('?q=thu%20nghiem%20xac%20nhan')).items, []);
    assert.ok((await list('?q=thu%20tuc%20doi%20ten')).items.some((x) => x.code === 'H15-HT-90'));

    assert.equal((await put('H15-HT-91', sampleProcedure('H15-HT-91'), {})).statusCode, 401);
    assert.equal((await put('H15-HT-91', sampleProcedure('H15-HT-91'), desk)).statusCode, 403);
    assert.equal((await get('/api/procedures/H15-HT-91')).statusCode, 404);
  });

  it('PUT reports every problem per field, in both languages', async () => {
    const put = (body: unknown) => env().app.inject({ method: 'PUT', url: '/api/procedures/H15-HT-92', headers: admin, payload: body as Record<string, unknown> });
    const fieldsOf = async (body: unknown) => {
      const res = await put(body);
      assert.equal(res.statusCode, 400, res.body);
      const b = json<ErrorBody>(res);
      assert.ok(b.error.fields?.every((f) => f.message && f.messageVi));
      return b.error.fields?.map((f) => f.field) ?? [];
    };
    const cases = sampleProcedure('x').cases as Array<Record<string, unknown>>;
    assert.deepEqual(await fieldsOf(sampleProcedure('H15-HT-92', { extra: 1 })), ['extra']);
    assert.deepEqual(await fieldsOf(sampleProcedure('H15-HT-93')), ['code']);
    const many = await fieldsOf(
      sampleProcedure('H15-HT-92', {
        level: 'province',
        nationalCode: '1.999999',
        steps: ['specialist', 'return'],
        cases: [
          { ...cases[0], fee: { kind: 'per_page', rate: 2000, laterRate: 1000, laterFromPage: 1, capPerCopy: 5 } },
          { ...cases[1], code: 'A', timeLimit: { kind: 'same_day', value: 2 } },
          { ...cases[1], code: 'C', timeLimit: { kind: 'working_days', value: 2 }, serviceNorm: { kind: 'working_days', value: 3 } },
          { ...cases[1], code: 'D', timeLimit: { kind: 'days', value: 1.5 } },
        ],
        documents: [{ name: 'Tờ khai', caseCodes: ['Z'] }],
      }),
    );
    for (const f of ['code', 'implementingUnitKinds', 'steps', 'cases.0.fee', 'cases.1.timeLimit.value', 'cases.1.code', 'cases.2.serviceNorm', 'cases.3.timeLimit.value', 'documents.0.caseCodes']) {
      assert.ok(many.includes(f), `${f} in ${JSON.stringify(many)}`);
    }
    const refs = await fieldsOf(sampleProcedure('H15-HT-92', { field: 'NOPE', level: 'province', implementingUnitKinds: [], implementingUnits: ['H15.S99', 'H15.001'] }));
    assert.deepEqual(refs.sort(), ['field', 'implementingUnits', 'implementingUnits']);
    // Step norms: only the procedure's processing steps, positive hours, none for the return step.
    const norms = await put(sampleProcedure('H15-HT-92', { stepNorms: { archive: 4, return: 2, leader: 3 } }));
    assert.equal(norms.statusCode, 400, norms.body);
    const normFields = json<ErrorBody>(norms).error.fields ?? [];
    assert.equal(normFields.filter((f) => f.field === 'stepNorms').length, 2, JSON.stringify(normFields));
    assert.ok(normFields.some((f) => /archive/.test(f.message) && /không phải là một bước/.test(f.messageVi)));
    assert.equal((await put(sampleProcedure('H15-HT-92', { stepNorms: { leader: 0 } }))).statusCode, 400);
    assert.equal((await put(sampleProcedure('H15-HT-92', { stepNorms: { leader: 'two' } }))).statusCode, 400);
    assert.equal((await get('/api/procedures/H15-HT-92')).statusCode, 404);
  });

  it('a case used by dossiers cannot be removed (PUT and import)', async () => {
    const db = env().ctx.db;
    await sql`INSERT INTO dossiers (code, procedure_code, case_code, channel, status_code, receiving_unit, deciding_unit, current_unit,
                current_step, applicant_type, applicant_name, submitted_at, limit_kind, limit_value, updated_at)
              VALUES ('H15.001-260302-9001', 'H15-CT-03', 'MAC_DINH', 1, 2, 'H15.001', 'H15.001', 'H15.001', 'specialist', 'citizen',
                'Người thử nghiệm', now(), 'working_days', 2, now())`.execute(db);
    const current = json<Detail & Record<string, unknown>>(await get('/api/procedures/H15-CT-03'));
    const { fieldName: _a, fieldNameEn: _b, updatedAt: _c, documents, ...rest } = current as unknown as Record<string, unknown> & { documents: Array<Record<string, unknown>> };
    const body = {
      ...rest,
      documents: documents.map(({ seq: _s, ...d }) => d),
      cases: [{ code: 'MOI', name: 'Trường hợp mới', timeLimit: { kind: 'working_days', value: 2 }, fee: { kind: 'free' } }],
    };
    const res = await env().app.inject({ method: 'PUT', url: '/api/procedures/H15-CT-03', headers: admin, payload: body });
    assert.equal(res.statusCode, 400, res.body);
    const err = json<ErrorBody>(res);
    assert.equal(err.error.fields?.[0]?.field, 'cases');
    assert.match(err.error.fields?.[0]?.messageVi ?? '', /đã có hồ sơ/);

    const table = readCsv((await get('/api/catalog/export?format=csv')).rawPayload);
    const header = table[0]!;
    const row = [...table.find((r) => r[header.indexOf('procedure_code')] === 'H15-CT-03')!];
    row[header.indexOf('case_code')] = 'MOI';
    const imp = await importFile(tableToCsv([header, row]), admin, 'csv');
    assert.equal(imp.statusCode, 400);
    assert.match(json<ErrorBody>(imp).error.rows?.[0]?.reason ?? '', /MAC_DINH.*used by existing dossiers/);
    assert.deepEqual(json<Detail>(await get('/api/procedures/H15-CT-03')).cases.map((c) => c.code), ['MAC_DINH']);
  });

  it('imports are recorded in the audit log with the admin', async () => {
    const rows = await env()
      .ctx.db.selectFrom('audit_log')
      .innerJoin('users', 'users.id', 'audit_log.actor_id')
      .select(['audit_log.action', 'users.username'])
      .where('audit_log.action', 'in', ['catalog.import', 'catalog.procedure.upsert'])
      .execute();
    assert.ok(rows.some((r) => r.action === 'catalog.import' && r.username === 'admin'));
    assert.ok(rows.some((r) => r.action === 'catalog.procedure.upsert' && r.username === 'admin'));
  });
});
