/**
 * Every endpoint validates what it is sent: malformed JSON, wrong types, unknown and missing
 * fields, oversized bodies, unknown codes, out-of-range numbers, impossible dates, bad cursors,
 * wrong content types and missing Idempotency-Keys. Each case checks that the answer is a 4xx in
 * the standard bilingual error shape (never a 500) and that nothing at all was written: every
 * table is fingerprinted before and after.
 *
 * The cases are generated per endpoint from a valid request (checked to be valid at the end).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { sampleFormData } from '../helpers/forms.js';
import { seedProcedures } from '../../src/catalog/seed.js';

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PUT';
/** Who sends the request: nobody, a seeded official, citizen A, or a brand-new staff session (for logout). */
type Who = 'anon' | 'admin' | 'motcua.bmt' | 'lanhdao.bmt' | 'citizen' | 'fresh';

interface Case {
  name: string;
  who: Who;
  method: Method;
  url: () => string;
  headers?: () => Headers;
  payload?: () => string | Buffer | Record<string, unknown>;
  status: number | readonly number[];
  code?: string;
  /** Fields the error must name. */
  fields?: string[];
}

interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string; message: string; messageVi: string }>; rows?: unknown[] };
}

const UNKNOWN_CODE = [400, 404] as const;
const OVERSIZED_PAD = 'x'.repeat(1_100_000); // > 1 MiB, the JSON body limit

// Known defects, see the report; the tests state the correct behaviour.

function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const parts = path.split('.');
  let cur: Record<string, unknown> | unknown[] = copy;
  for (const p of parts.slice(0, -1)) cur = (cur as Record<string, unknown>)[p] as Record<string, unknown>;
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete (cur as Record<string, unknown>)[last];
  else (cur as Record<string, unknown>)[last] = value;
  return copy;
}

const withQuery = (url: string, q: string) => `${url}${url.includes('?') ? '&' : '?'}${q}`;

/** A JSON endpoint and a valid request to it, from which the bad ones are derived. */
interface JsonEndpoint {
  label: string;
  method: 'POST' | 'PUT';
  who: Who;
  url: () => string;
  headers?: () => Headers;
  base: () => Record<string, unknown>;
  required: string[];
  wrongTypes: Array<[string, unknown]>;
  /** Where to send the unknown-query case when it must not touch the endpoint's fixture. */
  unknownQueryUrl?: () => string;
}

function jsonCases(ep: JsonEndpoint): Case[] {
  const c = (name: string, rest: Omit<Case, 'name' | 'who' | 'method' | 'url' | 'headers'> & { url?: () => string; headers?: () => Headers }): Case => ({
    name: `${ep.method} ${ep.label}: ${name}`,
    who: ep.who,
    method: ep.method,
    url: ep.url,
    ...(ep.headers ? { headers: ep.headers } : {}),
    ...rest,
  });
  const ct = (type: string) => () => ({ ...ep.headers?.(), 'content-type': type });
  const out: Case[] = [
    c('malformed JSON → 400 invalid_json', { headers: ct('application/json'), payload: () => '{"procedureCode": "1.0', status: 400, code: 'invalid_json' }),
    c('empty JSON body → 400 invalid_json', { headers: ct('application/json'), payload: () => '', status: 400, code: 'invalid_json' }),
    c('JSON body over 1 MiB → 413', { payload: () => JSON.stringify({ ...ep.base(), pad: OVERSIZED_PAD }), headers: ct('application/json'), status: 413, code: 'body_too_large' }),
    c('Content-Type application/xml → 415', { headers: ct('application/xml'), payload: () => '<dossier/>', status: 415 }),
    c('Content-Type application/x-www-form-urlencoded → 415', { headers: ct('application/x-www-form-urlencoded'), payload: () => 'a=1&b=2', status: 415 }),
    c('Content-Type text/plain (with a JSON text) → 415', {
      headers: ct('text/plain'),
      payload: () => JSON.stringify(ep.base()),
      status: 415,
    }),
    c('unknown body field → 400 naming it', {
      payload: () => ({ ...ep.base(), unexpectedField: 1 }),
      status: 400,
      code: 'invalid_input',
      fields: ['unexpectedField'],
    }),
    c('unknown query parameter → 400 naming it', {
      url: () => withQuery((ep.unknownQueryUrl ?? ep.url)(), 'unexpectedParam=1'),
      payload: ep.base,
      status: 400,
      fields: ['unexpectedParam'],
    }),
  ];
  const topLevel = ep.required.filter((r) => !r.includes('.'));
  if (topLevel.length) {
    out.push(c(`missing every required field → 400 naming ${topLevel.join(', ')}`, { payload: () => ({}), status: 400, code: 'invalid_input', fields: topLevel }));
  }
  for (const r of ep.required) {
    out.push(c(`missing ${r} → 400 naming it`, { payload: () => setPath(ep.base(), r, undefined), status: 400, code: 'invalid_input', fields: [r] }));
  }
  for (const [path, value] of ep.wrongTypes) {
    out.push(c(`${path} = ${JSON.stringify(value)} (wrong type or out of range) → 400 naming it`, { payload: () => setPath(ep.base(), path, value), status: 400, code: 'invalid_input', fields: [path] }));
  }
  return out;
}

/** A GET endpoint without query parameters of its own: an unknown one must be refused. */
function unknownQueryCase(label: string, who: Who, url: () => string): Case {
  return { name: `GET ${label}: unknown query parameter → 400 naming it`, who, method: 'GET', url: () => withQuery(url(), 'unexpectedParam=1'), status: 400, fields: ['unexpectedParam'] };
}

function get(label: string, who: Who, url: () => string, name: string, expect: Pick<Case, 'status' | 'code' | 'fields'>): Case {
  return { name: `GET ${label}: ${name}`, who, method: 'GET', url, ...expect };
}

const TABLES = [
  'units',
  'calendar_days',
  'unit_working_hours',
  'users',
  'sessions',
  'rate_limit_hits',
  'oidc_logins',
  'audit_log',
  'fields',
  'procedures',
  'procedure_cases',
  'procedure_documents',
  'dossiers',
  'dossier_actions',
  'dossier_code_counters',
  'dossier_submissions',
] as const;

describeEachDatabase('bad input: every endpoint validates and writes nothing', (env) => {
  const H: Partial<Record<Who, Headers>> = {};
  let dossier = '';
  let dossier2 = '';
  let dossier3 = '';
  let citizenUserId = 0;
  let hoaphuSpecialistId = 0;
  const e = (): TestEnv => env();

  /** A fingerprint of every table: row count and a hash of all rows. */
  async function fingerprint(): Promise<Record<string, string>> {
    const q = TABLES.map((t) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM ${t} x`).join(' UNION ALL ');
    const r = await sql.raw<{ t: string; h: string }>(q).execute(e().ctx.db);
    return Object.fromEntries(r.rows.map((row) => [row.t, row.h]));
  }

  async function headersOf(who: Who): Promise<Headers> {
    if (who === 'anon') return {};
    if (who === 'fresh') return e().login('chuyenvien.bmt');
    const h = H[who];
    assert.ok(h, `no session for ${who}`);
    return h;
  }

  async function send(c: Pick<Case, 'who' | 'method' | 'url' | 'headers' | 'payload'>, auth: Headers): Promise<LightMyRequestResponse> {
    const payload = c.payload?.();
    return e().app.inject({
      method: c.method,
      url: c.url(),
      headers: { ...auth, ...c.headers?.() },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  }

  function checkError(res: LightMyRequestResponse, c: Pick<Case, 'status' | 'code' | 'fields'>): void {
    assert.notEqual(res.statusCode, 500, `never a 500: ${res.body}`);
    const allowed: readonly number[] = typeof c.status === 'number' ? [c.status] : c.status;
    assert.ok(allowed.includes(res.statusCode), `expected ${allowed.join(' or ')}, got ${res.statusCode}: ${res.body.slice(0, 600)}`);
    let body: ErrorBody;
    try {
      body = json<ErrorBody>(res);
    } catch {
      assert.fail(`error body is not JSON: ${res.body.slice(0, 300)}`);
    }
    assert.ok(body.error && typeof body.error === 'object', `error shape expected: ${res.body}`);
    assert.equal(typeof body.error.code, 'string');
    assert.ok(body.error.code.length > 0);
    assert.equal(typeof body.error.message, 'string');
    assert.equal(typeof body.error.messageVi, 'string');
    assert.ok(body.error.message.trim().length > 0, 'message (English) present');
    assert.ok(body.error.messageVi.trim().length > 0, 'messageVi (Vietnamese) present');
    assert.notEqual(body.error.messageVi, body.error.message, 'the Vietnamese message is not the English one');
    if (c.code) assert.equal(body.error.code, c.code, res.body);
    for (const f of body.error.fields ?? []) {
      assert.equal(typeof f.field, 'string');
      assert.ok(f.message.length > 0 && f.messageVi.length > 0, `field ${f.field} has both messages`);
    }
    for (const f of c.fields ?? []) {
      assert.ok(body.error.fields?.some((x) => x.field === f), `the error names "${f}": ${res.body.slice(0, 600)}`);
    }
  }

  before(async () => {
    for (const u of ['admin', 'motcua.bmt', 'lanhdao.bmt'] as const) H[u] = await e().login(u);
    const a = await e().citizen('a');
    H.citizen = a.headers;
    citizenUserId = a.userId;
    hoaphuSpecialistId = Number((await e().ctx.db.selectFrom('users').select('id').where('username', '=', 'chuyenvien.hoaphu').executeTakeFirstOrThrow()).id);
    const walkIn = async () => {
      const res = await e().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...H['motcua.bmt'], 'idempotency-key': `setup-${Math.random()}` }, payload: walkInBody() });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ code: string }>(res).code;
    };
    dossier = await walkIn();
    dossier2 = await walkIn();
    dossier3 = await walkIn();
    // Citizen A has a dossier too, so that their list is not trivially empty.
    const own = await e().app.inject({ method: 'POST', url: '/api/dossiers', headers: { ...H.citizen, 'idempotency-key': 'setup-own' }, payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: sampleFormData('1.001193') } });
    assert.equal(own.statusCode, 201, own.body);
  });

  // ------------------------------------------------------------------------ valid requests
  const walkInBody = () => ({ procedureCode: '1.001193', caseCode: 'DUNG_HAN', channel: 1, applicant: { name: 'Nguyễn Văn Hợp Lệ', phone: '0905000001' }, pages: 1 });
  const procedureBody = () => ({ ...(structuredClone(seedProcedures()[0]) as Record<string, unknown>), code: 'H15-TEST-01', nationalCode: null });
  const holidayBody = () => ({ days: [{ date: '2027-01-01', kind: 'day_off', name: 'Tết Dương lịch', nameEn: 'New Year' }], reason: 'kiểm thử' });
  const actionBody = () => ({ type: 'request_payment', amount: 8000 });
  const key = (k: string) => () => ({ 'idempotency-key': k });
  let n = 0;
  const freshKey = () => () => ({ 'idempotency-key': `bad-input-${++n}` });
  const deadline = (q: string) => `/api/calendar/deadline?${q}`;
  const FROM = encodeURIComponent('2026-03-02T09:00:00+07:00');
  const ndjson = (...lines: unknown[]) => `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
  const historical = (over: Record<string, unknown> = {}) => ({
    code: 'H15.001-250102-0001',
    procedureCode: '1.001193',
    caseCode: 'DUNG_HAN',
    channel: 1,
    receivingUnit: 'H15.001',
    applicant: { name: 'Lịch Sử' },
    submittedAt: '2025-01-02T09:00:00+07:00',
    actions: [{ type: 'receive', at: '2025-01-02T09:05:00+07:00' }],
    ...over,
  });

  const cases: Case[] = [
    // ---- health, auth
    unknownQueryCase('/api/health', 'anon', () => '/api/health'),
    ...jsonCases({
      label: '/api/auth/login',
      method: 'POST',
      who: 'anon',
      url: () => '/api/auth/login',
      base: () => ({ username: 'motcua.bmt', password: 'demo' }),
      required: ['username', 'password'],
      wrongTypes: [
        ['username', 123],
        ['password', 123],
        ['username', ''],
      ],
    }),
    ...jsonCases({
      label: '/api/auth/logout',
      method: 'POST',
      who: 'fresh',
      url: () => '/api/auth/logout',
      base: () => ({}),
      required: [],
      wrongTypes: [],
    }),
    unknownQueryCase('/api/auth/me', 'motcua.bmt', () => '/api/auth/me'),

    // ---- units, fields, procedures
    unknownQueryCase('/api/units', 'anon', () => '/api/units?parent=H15'),
    get('/api/units', 'anon', () => '/api/units?kind=district', 'kind=district → 400 naming kind', { status: 400, code: 'invalid_input', fields: ['kind'] }),
    get('/api/units', 'anon', () => '/api/units?parent=H15.999', 'unknown parent unit → 404/400, bilingual', { status: UNKNOWN_CODE }),
    get('/api/units', 'anon', () => `/api/units?parent=${encodeURIComponent('H15 001!')}`, 'malformed parent code → 400 naming parent', { status: 400, fields: ['parent'] }),
    get('/api/units/:code', 'anon', () => '/api/units/H15.999', 'unknown unit → 404, bilingual', { status: 404, code: 'not_found' }),
    get('/api/units/:code', 'anon', () => `/api/units/${encodeURIComponent('H15 001!')}`, 'malformed unit code → 400 naming code', { status: 400, fields: ['code'] }),
    unknownQueryCase('/api/units/:code', 'anon', () => '/api/units/H15.001'),
    unknownQueryCase('/api/fields', 'anon', () => '/api/fields'),
    unknownQueryCase('/api/procedures', 'anon', () => '/api/procedures'),
    get('/api/procedures', 'anon', () => '/api/procedures?limit=0', 'limit=0 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/procedures', 'anon', () => '/api/procedures?limit=1000', 'limit=1000 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/procedures', 'anon', () => '/api/procedures?limit=ten', 'limit=ten (string for integer) → 400 naming limit', { status: 400, code: 'invalid_input', fields: ['limit'] }),
    get('/api/procedures', 'anon', () => '/api/procedures?limit=2.5', 'limit=2.5 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/procedures', 'anon', () => '/api/procedures?cursor=zzz', 'bad cursor → 400', { status: 400 }),
    get('/api/procedures', 'anon', () => `/api/procedures?cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, 'well-formed cursor of the wrong shape → 400', { status: 400 }),
    get('/api/procedures', 'anon', () => '/api/procedures?cursor=%25%25', 'cursor with forbidden characters → 400', { status: 400 }),
    get('/api/procedures', 'anon', () => '/api/procedures?level=district', 'level=district → 400 naming level', { status: 400, fields: ['level'] }),
    get('/api/procedures', 'anon', () => `/api/procedures?q=${'a'.repeat(201)}`, 'q longer than 200 → 400 naming q', { status: 400, fields: ['q'] }),
    get('/api/procedures', 'anon', () => '/api/procedures?unit=H15.999', 'unknown unit filter → 404/400', { status: UNKNOWN_CODE }),
    get('/api/procedures', 'anon', () => '/api/procedures?field=ZZ', 'unknown field filter → 404/400', { status: UNKNOWN_CODE }),
    get('/api/procedures/:code', 'anon', () => '/api/procedures/9.999999', 'unknown procedure → 404, bilingual', { status: 404, code: 'not_found' }),
    get('/api/procedures/:code', 'anon', () => `/api/procedures/${encodeURIComponent('bad code!')}`, 'malformed procedure code → 400 naming code', { status: 400, fields: ['code'] }),
    unknownQueryCase('/api/procedures/:code', 'anon', () => '/api/procedures/1.001193'),
    ...jsonCases({
      label: '/api/procedures/:code',
      method: 'PUT',
      who: 'admin',
      url: () => '/api/procedures/H15-TEST-01',
      base: procedureBody,
      required: ['code', 'name', 'field', 'level', 'implementingBody', 'applicantTypes', 'legalBasis', 'resultType', 'resultName', 'onlineLevel', 'cases'],
      wrongTypes: [
        ['name', 123],
        ['noBoundary', 'yes'],
        ['applicantTypes', 'citizen'],
        ['cases', 'one'],
        ['cases.0.timeLimit.value', 'three'],
      ],
    }),
    { name: 'PUT /api/procedures/:code: body code differs from the address → 400 naming code', who: 'admin', method: 'PUT', url: () => '/api/procedures/H15-TEST-01', payload: () => ({ ...procedureBody(), code: 'H15-TEST-02' }), status: 400, fields: ['code'] },
    { name: 'PUT /api/procedures/:code: level=district → 400 naming level', who: 'admin', method: 'PUT', url: () => '/api/procedures/H15-TEST-01', payload: () => ({ ...procedureBody(), level: 'district' }), status: 400, fields: ['level'] },
    { name: 'PUT /api/procedures/:code: unknown field code → 400 naming field', who: 'admin', method: 'PUT', url: () => '/api/procedures/H15-TEST-01', payload: () => ({ ...procedureBody(), field: 'ZZ' }), status: UNKNOWN_CODE, fields: ['field'] },
    { name: 'PUT /api/procedures/:code: unknown implementing unit → 400 naming implementingUnits', who: 'admin', method: 'PUT', url: () => '/api/procedures/H15-TEST-01', payload: () => ({ ...procedureBody(), implementingUnits: ['H15.999'] }), status: UNKNOWN_CODE, fields: ['implementingUnits'] },
    { name: 'PUT /api/procedures/:code: an unknown field inside a case → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/procedures/H15-TEST-01', payload: () => setPath(procedureBody(), 'cases.0.colour', 'red'), status: 400, fields: ['cases.0.colour'] },

    // ---- catalog export / import
    unknownQueryCase('/api/catalog/export', 'anon', () => '/api/catalog/export?format=csv'),
    get('/api/catalog/export', 'anon', () => '/api/catalog/export?format=pdf', 'format=pdf → 400 naming format', { status: 400, fields: ['format'] }),
    { name: 'POST /api/catalog/import: unknown query parameter → 400 naming it', who: 'admin', method: 'POST', url: () => '/api/catalog/import?unexpectedParam=1', headers: () => ({ 'content-type': 'text/csv' }), payload: () => 'a,b\n', status: 400, fields: ['unexpectedParam'] },
    { name: 'POST /api/catalog/import: format=pdf → 400 naming format', who: 'admin', method: 'POST', url: () => '/api/catalog/import?format=pdf', headers: () => ({ 'content-type': 'text/csv' }), payload: () => 'a,b\n', status: 400, fields: ['format'] },
    { name: 'POST /api/catalog/import: Content-Type application/xml → 415', who: 'admin', method: 'POST', url: () => '/api/catalog/import', headers: () => ({ 'content-type': 'application/xml' }), payload: () => '<catalog/>', status: 415 },
    { name: 'POST /api/catalog/import: a JSON body instead of a file → 415', who: 'admin', method: 'POST', url: () => '/api/catalog/import', payload: () => ({ procedures: [] }), status: 415 },
    { name: 'POST /api/catalog/import: malformed JSON → 400 invalid_json', who: 'admin', method: 'POST', url: () => '/api/catalog/import', headers: () => ({ 'content-type': 'application/json' }), payload: () => '{"procedures": [', status: 400, code: 'invalid_json' },
    { name: 'POST /api/catalog/import: a file over 5 MiB → 413', who: 'admin', method: 'POST', url: () => '/api/catalog/import', headers: () => ({ 'content-type': 'text/csv' }), payload: () => 'a'.repeat(5 * 1024 * 1024 + 1), status: 413 },
    { name: 'POST /api/catalog/import: a CSV that is not the catalog → 400 with the bad rows', who: 'admin', method: 'POST', url: () => '/api/catalog/import', headers: () => ({ 'content-type': 'text/csv' }), payload: () => 'a,b\n1,2\n', status: 400, code: 'import_rejected' },
    { name: 'POST /api/catalog/import: an empty CSV → 400', who: 'admin', method: 'POST', url: () => '/api/catalog/import', headers: () => ({ 'content-type': 'text/csv' }), payload: () => '', status: 400 },
    { name: 'POST /api/catalog/import: a corrupt XLSX → 400', who: 'admin', method: 'POST', url: () => '/api/catalog/import?format=xlsx', headers: () => ({ 'content-type': 'application/octet-stream' }), payload: () => Buffer.from('PK\x03\x04 corrupt'), status: 400 },

    // ---- calendar
    unknownQueryCase('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=1&kind=working_days`)),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${encodeURIComponent('2026-02-30T09:00:00+07:00')}&limit=1&kind=working_days`), 'from=2026-02-30T09:00:00+07:00 (no such day) → 400 naming from', { status: 400, fields: ['from'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${encodeURIComponent('2026-04-31T09:00:00+07:00')}&limit=1&kind=working_days`), 'from=2026-04-31T09:00:00+07:00 (no such day) → 400 naming from', { status: 400, fields: ['from'] }),
    get('/api/calendar/deadline', 'anon', () => deadline('from=yesterday&limit=1&kind=working_days'), 'from=yesterday → 400 naming from', { status: 400, code: 'invalid_input', fields: ['from'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${encodeURIComponent('2026-03-02T25:00:00+07:00')}&limit=1&kind=working_days`), 'from at 25:00 → 400 naming from', { status: 400, fields: ['from'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=-1&kind=working_days`), 'limit=-1 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=abc&kind=working_days`), 'limit=abc (string for number) → 400 naming limit', { status: 400, code: 'invalid_input', fields: ['limit'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=29281&kind=working_days`), 'limit above the maximum → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=1&kind=weeks`), 'kind=weeks → 400 naming kind', { status: 400, fields: ['kind'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(''), 'missing from, limit, kind → 400 naming all three', { status: 400, code: 'invalid_input', fields: ['from', 'limit', 'kind'] }),
    get('/api/calendar/deadline', 'anon', () => deadline(`from=${FROM}&limit=1&kind=working_days&unit=H15.999`), 'unknown unit → 404/400, bilingual', { status: UNKNOWN_CODE }),
    get('/api/calendar/holidays/:year', 'anon', () => '/api/calendar/holidays/abc', 'year=abc → 400 naming year', { status: 400, fields: ['year'] }),
    get('/api/calendar/holidays/:year', 'anon', () => '/api/calendar/holidays/1999', 'year=1999 (out of range) → 400 naming year', { status: 400, fields: ['year'] }),
    unknownQueryCase('/api/calendar/holidays/:year', 'anon', () => '/api/calendar/holidays/2026'),
    get('/api/calendar/hours/:unit', 'anon', () => '/api/calendar/hours/H15.999', 'unknown unit → 404, bilingual', { status: 404 }),
    unknownQueryCase('/api/calendar/hours/:unit', 'anon', () => '/api/calendar/hours/H15.001'),
    ...jsonCases({
      label: '/api/calendar/hours/:unit',
      method: 'PUT',
      who: 'admin',
      url: () => '/api/calendar/hours/H15.102',
      base: () => ({ weekly: { 1: [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }] }, reason: 'thử' }),
      required: ['weekly', 'weekly.1.0.start', 'weekly.1.0.end'],
      wrongTypes: [
        ['weekly', 'all'],
        ['weekly.1.0.start', 700],
        ['reason', 5],
      ],
    }),
    { name: 'PUT /api/calendar/hours/:unit: start=25:00 → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/hours/H15.102', payload: () => ({ weekly: { 1: [{ start: '25:00', end: '26:00' }] } }), status: 400, fields: ['weekly.1.0.start'] },
    { name: 'PUT /api/calendar/hours/:unit: weekday 8 → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/hours/H15.102', payload: () => ({ weekly: { 8: [{ start: '07:00', end: '11:00' }] } }), status: 400, fields: ['weekly.8'] },
    { name: 'PUT /api/calendar/hours/:unit: reversed interval → 400 naming weekly', who: 'admin', method: 'PUT', url: () => '/api/calendar/hours/H15.102', payload: () => ({ weekly: { 1: [{ start: '11:00', end: '07:00' }] } }), status: 400, fields: ['weekly'] },
    { name: 'PUT /api/calendar/hours/:unit: unknown unit → 404', who: 'admin', method: 'PUT', url: () => '/api/calendar/hours/H15.999', payload: () => ({ weekly: { 1: [{ start: '07:00', end: '11:00' }] } }), status: 404 },
    ...jsonCases({
      label: '/api/calendar/holidays/:year',
      method: 'PUT',
      who: 'admin',
      url: () => '/api/calendar/holidays/2027',
      base: holidayBody,
      required: ['days', 'days.0.date', 'days.0.kind', 'days.0.name'],
      wrongTypes: [
        ['days', 'all'],
        ['days.0.date', 20270101],
        ['days.0.name', 1],
        ['days.0.verified', 'yes'],
        ['reason', 5],
      ],
    }),
    { name: 'PUT /api/calendar/holidays/:year: days.0.date=2027-02-30 → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/holidays/2027', payload: () => setPath(holidayBody(), 'days.0.date', '2027-02-30'), status: 400, fields: ['days.0.date'] },
    { name: 'PUT /api/calendar/holidays/:year: a day of another year → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/holidays/2027', payload: () => setPath(holidayBody(), 'days.0.date', '2026-05-01'), status: 400, fields: ['days.0.date'] },
    { name: 'PUT /api/calendar/holidays/:year: kind=holiday → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/holidays/2027', payload: () => setPath(holidayBody(), 'days.0.kind', 'holiday'), status: 400, fields: ['days.0.kind'] },
    { name: 'PUT /api/calendar/holidays/:year: an unknown field inside a day → 400 naming it', who: 'admin', method: 'PUT', url: () => '/api/calendar/holidays/2027', payload: () => setPath(holidayBody(), 'days.0.colour', 'red'), status: 400, fields: ['days.0.colour'] },
    { name: 'PUT /api/calendar/holidays/:year: year=abc → 400 naming year', who: 'admin', method: 'PUT', url: () => '/api/calendar/holidays/abc', payload: holidayBody, status: 400, fields: ['year'] },

    // ---- submitting
    ...jsonCases({
      label: '/api/dossiers',
      method: 'POST',
      who: 'motcua.bmt',
      url: () => '/api/dossiers',
      headers: freshKey(),
      base: walkInBody,
      required: ['procedureCode', 'caseCode'],
      wrongTypes: [
        ['procedureCode', 1001193],
        ['pages', '3'],
        ['channel', '1'],
        ['applicant.name', 5],
        ['formData', 'x'],
      ],
    }),
    { name: 'POST /api/dossiers: missing Idempotency-Key → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', payload: walkInBody, status: 400, fields: ['idempotency-key'] },
    { name: 'POST /api/dossiers: malformed Idempotency-Key → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: key('has spaces'), payload: walkInBody, status: 400, fields: ['idempotency-key'] },
    { name: 'POST /api/dossiers: an unknown field inside applicant → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => setPath(walkInBody(), 'applicant.nickname', 'Tí'), status: 400, fields: ['applicant.nickname'] },
    { name: 'POST /api/dossiers: unknown procedure → 400/404 naming procedureCode', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), procedureCode: '9.999999' }), status: UNKNOWN_CODE, fields: ['procedureCode'] },
    { name: 'POST /api/dossiers: unknown case → 400/404 naming caseCode', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), caseCode: 'NO_SUCH_CASE' }), status: UNKNOWN_CODE, fields: ['caseCode'] },
    { name: 'POST /api/dossiers: unknown receiving unit → 400/404 naming receivingUnit', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), receivingUnit: 'H15.999' }), status: UNKNOWN_CODE, fields: ['receivingUnit'] },
    { name: 'POST /api/dossiers: unknown deciding unit → 400/404 naming decidingUnit', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), decidingUnit: 'H15.999' }), status: UNKNOWN_CODE, fields: ['decidingUnit'] },
    { name: 'POST /api/dossiers: pages=0 → 400 naming pages', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), pages: 0 }), status: 400, fields: ['pages'] },
    { name: 'POST /api/dossiers: channel=4 → 400 naming channel', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => ({ ...walkInBody(), channel: 4 }), status: 400, fields: ['channel'] },
    { name: 'POST /api/dossiers: applicant.email not an e-mail → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => setPath(walkInBody(), 'applicant.email', 'not-an-email'), status: 400, fields: ['applicant.email'] },
    { name: 'POST /api/dossiers: applicant.phone with letters → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers', headers: freshKey(), payload: () => setPath(walkInBody(), 'applicant.phone', '09O5OOOOO1'), status: 400, fields: ['applicant.phone'] },

    // ---- reading a dossier
    get('/api/dossiers/:code', 'motcua.bmt', () => '/api/dossiers/H15.001-260302-9999', 'unknown dossier → 404, bilingual', { status: 404, code: 'not_found' }),
    get('/api/dossiers/:code', 'motcua.bmt', () => '/api/dossiers/not-a-code', 'malformed dossier code → 400 naming code', { status: 400, fields: ['code'] }),
    unknownQueryCase('/api/dossiers/:code', 'motcua.bmt', () => `/api/dossiers/${dossier}`),
    get('/api/dossiers/:code/history', 'motcua.bmt', () => '/api/dossiers/H15.001-260302-9999/history', 'unknown dossier → 404, bilingual', { status: 404, code: 'not_found' }),
    get('/api/dossiers/:code/history', 'motcua.bmt', () => '/api/dossiers/not-a-code/history', 'malformed dossier code → 400 naming code', { status: 400, fields: ['code'] }),
    unknownQueryCase('/api/dossiers/:code/history', 'motcua.bmt', () => `/api/dossiers/${dossier}/history`),

    // ---- acting on a dossier
    ...jsonCases({
      label: '/api/dossiers/:code/actions',
      method: 'POST',
      who: 'motcua.bmt',
      url: () => `/api/dossiers/${dossier}/actions`,
      headers: freshKey(),
      base: actionBody,
      unknownQueryUrl: () => `/api/dossiers/${dossier3}/actions`,
      required: ['type'],
      wrongTypes: [
        ['type', 5],
        ['amount', '8000'],
        ['amount', 8000.5],
        ['note', 42],
      ],
    }),
    ...((): Case[] => {
      const action = (name: string, payload: Record<string, unknown> | (() => Record<string, unknown>), expect: Pick<Case, 'status' | 'code' | 'fields'>, who: Who = 'motcua.bmt', on: () => string = () => dossier): Case => ({
        name: `POST /api/dossiers/:code/actions: ${name}`,
        who,
        method: 'POST',
        url: () => `/api/dossiers/${on()}/actions`,
        headers: freshKey(),
        payload: typeof payload === 'function' ? payload : () => payload,
        ...expect,
      });
      return [
        { name: 'POST /api/dossiers/:code/actions: missing Idempotency-Key → 400 naming it', who: 'motcua.bmt', method: 'POST', url: () => `/api/dossiers/${dossier}/actions`, payload: actionBody, status: 400, fields: ['idempotency-key'] },
        action('unknown action type → 400 naming type', { type: 'explode' }, { status: 400, fields: ['type'] }),
        action('amount=0 (out of range) → 400 naming amount', { type: 'request_payment', amount: 0 }, { status: 400, fields: ['amount'] }),
        action('amount above the maximum → 400 naming amount', { type: 'request_payment', amount: 1e12 }, { status: 400, fields: ['amount'] }),
        action('a field the action does not take → 400 naming it', { type: 'request_payment', amount: 8000, reason: 'x' }, { status: 400, fields: ['reason'] }),
        action('refuse without a reason → 400 naming reason', { type: 'refuse' }, { status: 400, fields: ['reason'] }),
        action('request_supplement without the missing list → 400 naming missing', { type: 'request_supplement', reason: 'Thiếu giấy tờ' }, { status: 400, fields: ['missing'] }),
        action('request_supplement with an empty missing list → 400 naming missing', { type: 'request_supplement', reason: 'Thiếu giấy tờ', missing: [] }, { status: 400, fields: ['missing'] }),
        action('return_result without a method → 400 naming method', { type: 'return_result' }, { status: 400, fields: ['method'] }),
        action('return_result by drone → 400 naming method', { type: 'return_result', method: 'drone' }, { status: 400, fields: ['method'] }),
        action('apologize with newAppointmentAt=tomorrow → 400 naming it', { type: 'apologize', reason: 'Chậm', newAppointmentAt: 'tomorrow' }, { status: 400, fields: ['newAppointmentAt'] }, 'lanhdao.bmt'),
        action(
          'apologize with newAppointmentAt=2026-04-31T09:00:00+07:00 (no such day) → 400 naming it',
          { type: 'apologize', reason: 'Chậm', newAppointmentAt: '2026-04-31T09:00:00+07:00' },
          { status: 400, fields: ['newAppointmentAt'] },
          'lanhdao.bmt',
          () => dossier2,
        ),
        action('assign to a user who does not exist → 400 naming assigneeId', { type: 'assign', assigneeId: 999999 }, { status: UNKNOWN_CODE, fields: ['assigneeId'] }),
        action('assign to a citizen → 400 naming assigneeId', () => ({ type: 'assign', assigneeId: citizenUserId }), { status: 400, fields: ['assigneeId'] }),
        action('assigneeId=-1 (out of range) → 400 naming assigneeId', { type: 'assign', assigneeId: -1 }, { status: 400, fields: ['assigneeId'] }),
        action('assign to an official of another commune → 400 naming assigneeId', () => ({ type: 'assign', assigneeId: hoaphuSpecialistId }), { status: 400, fields: ['assigneeId'] }),
        action('forward to an unknown unit → 400/404 naming toUnit', { type: 'forward', toUnit: 'H15.999' }, { status: UNKNOWN_CODE, fields: ['toUnit'] }),
        action('forward to an unknown step → 400 naming toStep', { type: 'forward', toStep: 'astrologer' }, { status: 400, fields: ['toStep'] }),
        {
          name: 'POST /api/dossiers/:code/actions: unknown dossier → 404, bilingual',
          who: 'motcua.bmt',
          method: 'POST',
          url: () => '/api/dossiers/H15.001-260302-9999/actions',
          headers: freshKey(),
          payload: actionBody,
          status: 404,
          code: 'not_found',
        },
        { name: 'POST /api/dossiers/:code/actions: malformed dossier code → 400 naming code', who: 'motcua.bmt', method: 'POST', url: () => '/api/dossiers/not-a-code/actions', headers: freshKey(), payload: actionBody, status: 400, fields: ['code'] },
      ];
    })(),

    // ---- historical import
    { name: 'POST /api/dossiers/import: a JSON body instead of NDJSON → 415', who: 'admin', method: 'POST', url: () => '/api/dossiers/import', payload: () => historical(), status: 415 },
    { name: 'POST /api/dossiers/import: Content-Type application/xml → 415', who: 'admin', method: 'POST', url: () => '/api/dossiers/import', headers: () => ({ 'content-type': 'application/xml' }), payload: () => '<dossiers/>', status: 415 },
    { name: 'POST /api/dossiers/import: Content-Type text/plain → 415', who: 'admin', method: 'POST', url: () => '/api/dossiers/import', headers: () => ({ 'content-type': 'text/plain' }), payload: () => ndjson(historical()), status: 415 },
    { name: 'POST /api/dossiers/import: malformed JSON (as application/json) → 400 invalid_json', who: 'admin', method: 'POST', url: () => '/api/dossiers/import', headers: () => ({ 'content-type': 'application/json' }), payload: () => '{"code": ', status: 400, code: 'invalid_json' },
    {
      name: 'POST /api/dossiers/import: unknown query parameter → 400 naming it',
      who: 'admin',
      method: 'POST',
      url: () => '/api/dossiers/import?unexpectedParam=1',
      headers: () => ({ 'content-type': 'application/x-ndjson' }),
      payload: () => ndjson(historical({ code: 'H15.001-250102-0002' })),
      status: 400,
      fields: ['unexpectedParam'],
    },

    // ---- work queue, my dossiers
    unknownQueryCase('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers'),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?limit=0', 'limit=0 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?limit=1000', 'limit=1000 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?limit=many', 'limit=many (string for integer) → 400 naming limit', { status: 400, code: 'invalid_input', fields: ['limit'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?status=11', 'status=11 → 400', { status: 400, code: 'invalid_input' }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?status=open', 'status=open (string for integer) → 400', { status: 400, code: 'invalid_input' }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?channel=4', 'channel=4 → 400 naming channel', { status: 400, fields: ['channel'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?due=yesterday', 'due=yesterday → 400 naming due', { status: 400, fields: ['due'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?assignee=you', 'assignee=you → 400 naming assignee', { status: 400, fields: ['assignee'] }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?cursor=zzz', 'bad cursor → 400', { status: 400 }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?cursor=%25%25', 'cursor with forbidden characters → 400', { status: 400 }),
    get('/api/work/dossiers', 'motcua.bmt', () => `/api/work/dossiers?cursor=${Buffer.from('["not a date",1]').toString('base64url')}`, 'well-formed cursor holding a non-date → 400 (not 500)', {
      status: 400,
    }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?unit=H15.999', 'unknown unit → 404/400, bilingual', { status: UNKNOWN_CODE }),
    get('/api/work/dossiers', 'motcua.bmt', () => '/api/work/dossiers?procedure=9.999999', 'unknown procedure filter → 404/400', { status: UNKNOWN_CODE }),
    unknownQueryCase('/api/me/dossiers', 'citizen', () => '/api/me/dossiers'),
    get('/api/me/dossiers', 'citizen', () => '/api/me/dossiers?limit=0', 'limit=0 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/me/dossiers', 'citizen', () => '/api/me/dossiers?limit=1000', 'limit=1000 → 400 naming limit', { status: 400, fields: ['limit'] }),
    get('/api/me/dossiers', 'citizen', () => '/api/me/dossiers?limit=few', 'limit=few (string for integer) → 400 naming limit', { status: 400, code: 'invalid_input', fields: ['limit'] }),
    get('/api/me/dossiers', 'citizen', () => '/api/me/dossiers?cursor=zzz', 'bad cursor → 400', {
      status: 400,
    }),
    get('/api/me/dossiers', 'citizen', () => `/api/me/dossiers?cursor=${Buffer.from('["x"]').toString('base64url')}`, 'well-formed cursor of the wrong shape → 400', {
      status: 400,
    }),

    // ---- demo simulation (admin)
    ...jsonCases({
      label: '/api/admin/simulate',
      method: 'POST',
      who: 'admin',
      url: () => '/api/admin/simulate',
      base: () => ({ dossiers: 10, days: 5 }),
      required: ['dossiers', 'days'],
      wrongTypes: [
        ['dossiers', '10'],
        ['days', 'five'],
        ['seed', 'x'],
        ['days', 1.5],
      ],
    }),
    { name: 'POST /api/admin/simulate: dossiers=0 → 400 naming dossiers', who: 'admin', method: 'POST', url: () => '/api/admin/simulate', payload: () => ({ dossiers: 0, days: 5 }), status: 400, fields: ['dossiers'] },
    { name: 'POST /api/admin/simulate: dossiers above the maximum → 400 naming dossiers', who: 'admin', method: 'POST', url: () => '/api/admin/simulate', payload: () => ({ dossiers: 5_000_001, days: 5 }), status: 400, fields: ['dossiers'] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const auth = await headersOf(c.who);
      const before_ = await fingerprint();
      const res = await send(c, auth);
      checkError(res, c);
      assert.deepEqual(await fingerprint(), before_, 'nothing may be written');
    });
  }

  // ------------------------------------------------------------------ import: per-line rejection
  it('POST /api/dossiers/import: every bad line is rejected with its number and a bilingual reason, nothing written', async () => {
    const before_ = await fingerprint();
    const lines = [
      '{"code": "H15.001-250103-0001", ',
      historical({ code: 'H15.001-250103-0002', procedureCode: '9.999999' }),
      historical({ code: 'H15.001-250103-0003', caseCode: 'NO_SUCH_CASE' }),
      historical({ code: 'H15.999-250103-0004', receivingUnit: 'H15.999' }),
      historical({ code: 'H15.015-250103-0005' }),
      historical({ code: 'H15.001-250103-0006', channel: '1' }),
      historical({ code: 'H15.001-250103-0007', unexpectedField: 1 }),
      historical({ code: 'H15.001-250103-0008', submittedAt: 'yesterday' }),
      historical({ code: 'H15.001-250103-0009', actions: [{ type: 'explode', at: '2025-01-03T09:05:00+07:00' }] }),
      historical({ code: 'H15.001-250103-0010', actions: [{ type: 'receive', at: 'later' }] }),
      historical({ code: 'H15.001-250103-0011', actions: [{ type: 'refuse', at: '2025-01-03T09:05:00+07:00' }] }),
      historical({ code: 'not-a-code' }),
      historical({ code: 'H15.001-250103-0013', applicant: undefined }),
    ];
    const res = await e().app.inject({ method: 'POST', url: '/api/dossiers/import', headers: { ...H.admin, 'content-type': 'application/x-ndjson' }, payload: ndjson(...lines) });
    assert.equal(res.statusCode, 200, res.body);
    const report = json<{ accepted: number; skipped: number; rejected: Array<{ line: number; reason: string; reasonVi: string }> }>(res);
    assert.equal(report.accepted, 0, res.body);
    assert.equal(report.skipped, 0);
    assert.deepEqual(
      report.rejected.map((r) => r.line),
      lines.map((_, i) => i + 1),
    );
    for (const r of report.rejected) assert.ok(r.reason.length > 0 && r.reasonVi.length > 0 && r.reason !== r.reasonVi, JSON.stringify(r));
    assert.deepEqual(await fingerprint(), before_, 'nothing may be written');
  });

  it('POST /api/dossiers/import: a line submitted on 30 February is rejected, nothing written', async () => {
    const before_ = await fingerprint();
    const res = await e().app.inject({
      method: 'POST',
      url: '/api/dossiers/import',
      headers: { ...H.admin, 'content-type': 'application/x-ndjson' },
      payload: ndjson(historical({ code: 'H15.001-250230-0001', submittedAt: '2025-02-30T09:00:00+07:00', actions: [] })),
    });
    assert.equal(res.statusCode, 200, res.body);
    const report = json<{ accepted: number; rejected: Array<{ line: number }> }>(res);
    assert.deepEqual(await fingerprint(), before_, `nothing may be written: ${res.body}`);
    assert.equal(report.accepted, 0);
    assert.deepEqual(report.rejected.map((r) => r.line), [1]);
  });

  // ------------------------------------------------ controls: the valid requests above are valid
  it('control: the valid requests the cases are derived from are accepted', async () => {
    const ok = async (name: string, o: InjectOptions, status: number) => {
      const res = await e().app.inject(o);
      assert.equal(res.statusCode, status, `${name}: ${res.body.slice(0, 600)}`);
      return res;
    };
    await ok('login', { method: 'POST', url: '/api/auth/login', payload: { username: 'motcua.bmt', password: 'demo' } }, 200);
    await ok('deadline', { method: 'GET', url: deadline(`from=${FROM}&limit=1&kind=working_days`) }, 200);
    await ok('submit', { method: 'POST', url: '/api/dossiers', headers: { ...H['motcua.bmt'], 'idempotency-key': 'control-submit' }, payload: walkInBody() }, 201);
    await ok('action', { method: 'POST', url: `/api/dossiers/${dossier}/actions`, headers: { ...H['motcua.bmt'], 'idempotency-key': 'control-action' }, payload: actionBody() }, 200);
    await ok('procedure', { method: 'PUT', url: '/api/procedures/H15-TEST-01', headers: H.admin, payload: procedureBody() }, 200);
    await ok('holidays', { method: 'PUT', url: '/api/calendar/holidays/2027', headers: H.admin, payload: holidayBody() }, 200);
    const imp = await ok('import', { method: 'POST', url: '/api/dossiers/import', headers: { ...H.admin, 'content-type': 'application/x-ndjson' }, payload: ndjson(historical()) }, 200);
    assert.equal(json<{ accepted: number }>(imp).accepted, 1, imp.body);
    // Simulation is refused outside demo mode, but only after the body was found valid.
    const sim = await ok('simulate', { method: 'POST', url: '/api/admin/simulate', headers: H.admin, payload: { dossiers: 10, days: 5 } }, 403);
    assert.equal(json<ErrorBody>(sim).error.code, 'forbidden');
    await ok('logout', { method: 'POST', url: '/api/auth/logout', headers: await e().login('chuyenvien.bmt') }, 200);
  });
});
