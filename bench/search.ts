/**
 * Procedure search at 2,200 procedures: GET /api/procedures?q=… over real HTTP, one request at a
 * time, timed inside the server (the HTTP 'request' event to the response's 'finish').
 *
 *   npx tsx bench/search.ts [--db postgres|pglite|both] [--procedures 2200] [--rounds 20] [--warmup 2]
 *
 * A throwaway database (PostgreSQL: motcua_bench_<random>, dropped at the end; PGlite: a temporary
 * folder) is migrated and seeded with the reference data; the catalog is then filled up to
 * --procedures with generated procedures (codes SIM-…, names ending "(mô phỏng)") built from the
 * vocabulary of the real ones. Every query of QUERIES runs --rounds times (after --warmup rounds
 * that are not counted). Results: bench/results/search-<db>.json and a table on stdout.
 * Target (issue 3): server-side p95 ≤ 50 ms.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { seedProcedures } from '../src/catalog/seed.js';
import { upsertProcedures } from '../src/catalog/procedures.js';
import { installCleanup, releaseAll } from './lib/cleanup.js';
import { Client } from './lib/http.js';
import { percentile } from './lib/stats.js';
import { createTarget, databaseInfo, openTarget, pgliteVersion, prepareReference, type DbKind } from './lib/target.js';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const TARGET_P95_MS = 50;

/** The query mix: with and without diacritics, typos, abbreviations, English, filters, pages. */
export const QUERIES: string[] = [
  'q=dang%20ky%20khai%20sinh',
  `q=${encodeURIComponent('Đăng ký khai sinh')}`,
  'q=khai%20sinh',
  `q=${encodeURIComponent('khai sinh')}&field=HT`,
  `q=${encodeURIComponent('sổ đỏ')}`,
  'q=so%20do',
  `q=${encodeURIComponent('sổ hồng')}`,
  `q=${encodeURIComponent('giấy phép xây dựng')}`,
  'q=giay%20phep%20xay%20dung',
  'q=dang%20ki%20khai%20sin',
  'q=khai%20sinhh',
  'q=kjai%20sinh',
  'q=ket%20hon',
  `q=${encodeURIComponent('đăng ký kết hôn')}`,
  'q=dnag%20ky%20ket%20hon',
  'q=xac%20nhan%20tinh%20trang%20hon%20nhan',
  'q=GPXD',
  'q=CCCD',
  'q=LLTP',
  'q=ly%20lich%20tu%20phap',
  `q=${encodeURIComponent('lý lịch tư pháp')}`,
  'q=ho%20kinh%20doanh',
  'q=HKD',
  'q=DKKD',
  'q=GCN',
  `q=${encodeURIComponent('QSDĐ')}`,
  'q=birth%20registration',
  'q=marriage',
  'q=building%20permit',
  'q=criminal%20record',
  'q=chung%20thuc%20ban%20sao',
  'q=sao%20y%20ban%20chinh',
  `q=${encodeURIComponent('chứng thực chữ ký')}`,
  'q=di%20chuc',
  'q=thuong%20tru',
  `q=${encodeURIComponent('tạm trú')}`,
  'q=tam%20vang',
  'q=thanh%20lap%20cong%20ty',
  `q=${encodeURIComponent('công ty cổ phần')}`,
  'q=tro%20cap%20xa%20hoi',
  'q=mai%20tang%20phi',
  'q=khuyet%20tat',
  'q=giam%20ho',
  'q=trich%20luc',
  `q=${encodeURIComponent('cải chính hộ tịch')}`,
  'q=dang%20ky',
  'q=dang%20ky&limit=50',
  'q=cap%20giay%20chung%20nhan',
  'q=giay&limit=100',
  `q=${encodeURIComponent('thủ tục đăng ký kết hôn')}`,
  `q=${encodeURIComponent('làm giấy khai sinh cho con cần gì')}`,
  'q=dang%20ky&level=commune',
  'q=dang%20ky&online=full',
  'q=dang%20ky&field=HT&level=commune',
  'q=ket%20hon&unit=H15.001',
  'q=ly%20lich%20tu%20phap&unit=H15.S02',
  'q=xyzzy%20qwerty',
  'q=1.000656',
  'q=chung%20thucc%20hop%20dongg',
  'q=dat%20dai%20bien%20dong',
];

// ---------------------------------------------------------------------------------------------
// The generated catalog
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const ACTIONS = ['Cấp', 'Cấp lại', 'Cấp đổi', 'Điều chỉnh', 'Gia hạn', 'Thu hồi', 'Đăng ký', 'Đăng ký thay đổi', 'Xác nhận', 'Thẩm định', 'Chứng thực', 'Công nhận', 'Hỗ trợ', 'Giải quyết'];
const QUALIFIERS = ['', 'đối với cá nhân', 'cho tổ chức', 'cho hộ gia đình', 'trong trường hợp bị mất', 'trong trường hợp bị hư hỏng', 'có yếu tố nước ngoài', 'tại cấp xã', 'tại cấp tỉnh', 'lần đầu', 'do thay đổi thông tin'];

/** Noun phrases of the real names: the name without its leading verb. */
function objectsOf(names: string[]): string[] {
  const verbs = /^(Cấp đổi|Cấp bản sao|Cấp lại|Cấp|Đăng ký lại|Đăng ký thay đổi|Đăng ký thành lập|Đăng ký|Chứng thực|Xóa đăng ký|Khai báo|Chấm dứt|Thực hiện, điều chỉnh, thôi hưởng|Hỗ trợ|Xác định, xác định lại)\s+/u;
  return [...new Set(names.map((n) => n.replace(verbs, '').split(/[,(]/)[0]!.trim()).filter((n) => n.length > 3))];
}

/** `total - real` generated procedures, each a copy of a real one (cases, fees, documents) under a new code and name. */
function generateCatalog(real: Json[], total: number): Json[] {
  const objects = objectsOf(real.map((p) => String(p.name)));
  const out: Json[] = [];
  let seed = 42;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const names = new Set(real.map((p) => String(p.name)));
  for (let i = 0; out.length < total - real.length; i++) {
    const tpl = real[rnd(real.length)]!;
    const name = [ACTIONS[rnd(ACTIONS.length)], objects[rnd(objects.length)]!.toLowerCase(), QUALIFIERS[rnd(QUALIFIERS.length)]].filter(Boolean).join(' ');
    const full = `${name.charAt(0).toUpperCase()}${name.slice(1)} (mô phỏng ${i + 1})`;
    if (names.has(full)) continue;
    names.add(full);
    out.push({
      ...tpl,
      code: `SIM-${String(tpl.field)}-${String(i + 1).padStart(4, '0')}`,
      nationalCode: null,
      name: full,
      nameEn: `Generated procedure ${i + 1} (simulated)`,
      aliases: [],
      source: 'Sinh tự động cho benchmark tìm kiếm (mô phỏng) / generated for the search benchmark (simulated)',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}
const round = (x: number) => Math.round(x * 100) / 100;
function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return { count: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? NaN), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

export async function runSearch(kind: DbKind, opts: { procedures: number; rounds: number; warmup: number }, log: (s: string) => void) {
  const target = await createTarget(kind);
  const o = await openTarget(target, 10);
  try {
    const t0 = Date.now();
    await prepareReference(o);
    const real = seedProcedures() as Json[];
    const generated = generateCatalog(real, opts.procedures);
    for (let i = 0; i < generated.length; i += 200) {
      await o.ctx.db.transaction().execute((trx) => upsertProcedures(trx, generated.slice(i, i + 200)));
    }
    const count = Number((await o.ctx.db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const words = Number((await o.ctx.db.selectFrom('search_words').select((eb) => eb.fn.count<number>('word').distinct().as('n')).executeTakeFirstOrThrow()).n);
    await o.database.pool.query('ANALYZE');
    log(`${kind}: ${count} procedures (${generated.length} generated), ${words} distinct words, prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const app = await buildApp(o.ctx);
    const serverMs = new Map<string, number>();
    app.server.on('request', (req, res) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => serverMs.set(req.url ?? '', Number(process.hrtime.bigint() - start) / 1e6));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const client = new Client('127.0.0.1', port);
    const perQuery = new Map<string, number[]>();
    const firstHits = new Map<string, { items: number; first: string | null }>();
    const all: number[] = [];
    let errors = 0;
    try {
      for (let round = 0; round < opts.warmup + opts.rounds; round++) {
        for (const q of QUERIES) {
          const url = `/api/procedures?${q}`;
          const res = await client.request('GET', url);
          if (res.status !== 200) {
            errors++;
            continue;
          }
          if (round < opts.warmup) {
            const body = JSON.parse(res.body) as { items: Array<{ code: string }> };
            firstHits.set(q, { items: body.items.length, first: body.items[0]?.code ?? null });
            continue;
          }
          const t = serverMs.get(url);
          if (t === undefined) throw new Error(`no server time for ${url}`);
          all.push(t);
          let xs = perQuery.get(q);
          if (!xs) perQuery.set(q, (xs = []));
          xs.push(t);
        }
      }
    } finally {
      client.close();
      await app.close();
    }
    const overall = summary(all);
    const queries = Object.fromEntries([...perQuery.entries()].map(([q, xs]) => [decodeURIComponent(q), { ...summary(xs), ...firstHits.get(q) }]));
    const database = kind === 'postgres' ? await databaseInfo(async (s) => (await o.database.pool.query(s)).rows as Array<Record<string, unknown>>) : { version: `PGlite ${pgliteVersion()}` };
    return {
      benchmark: 'search' as const,
      db: kind,
      database,
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => round(x)) },
      options: { ...opts, queries: QUERIES.length },
      catalog: { procedures: count, generated: generated.length, distinctWords: words },
      serverSideMs: overall,
      errors,
      queries,
      target: { p95Ms: TARGET_P95_MS, met: overall.p95 <= TARGET_P95_MS },
    };
  } finally {
    await o.close();
    await target.cleanup.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'both' },
      procedures: { type: 'string', default: '2200' },
      rounds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '2' },
    },
  });
  const kinds: DbKind[] = values.db === 'both' ? ['postgres', 'pglite'] : values.db === 'postgres' || values.db === 'pglite' ? [values.db] : [];
  if (kinds.length === 0) {
    console.error('usage: npx tsx bench/search.ts [--db postgres|pglite|both] [--procedures 2200] [--rounds 20] [--warmup 2]');
    process.exit(2);
  }
  const opts = { procedures: Number(values.procedures), rounds: Number(values.rounds), warmup: Number(values.warmup) };
  await installCleanup();
  const rows: string[] = [];
  try {
    for (const kind of kinds) {
      const r = await runSearch(kind, opts, (s) => console.log(s));
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `search-${kind}.json`);
      fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
      console.log(`${kind}: wrote ${path.relative(process.cwd(), file)}`);
      const slowest = Object.entries(r.queries).sort((a, b) => b[1].p95 - a[1].p95).slice(0, 3);
      rows.push(
        `| ${String(r.database.version ?? kind).split(' on ')[0]} | ${r.catalog.procedures} | ${r.options.queries} × ${r.options.rounds} | ${r.serverSideMs.p50} | ${r.serverSideMs.p95} | ${r.serverSideMs.p99} | ${r.serverSideMs.max} | ${r.errors} | ${r.target.met ? 'yes' : '**no**'} | ${slowest.map(([q, s]) => `${q} (${s.p95})`).join('; ')} |`,
      );
    }
  } finally {
    await releaseAll();
  }
  console.log('\n### Procedure search (server-side ms, one request at a time)\n');
  console.log('| Database | Procedures | Queries × rounds | p50 | p95 | p99 | max | Errors | p95 ≤ 50 ms | Slowest queries (p95) |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---|---|');
  for (const r of rows) console.log(r);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch(async (err) => {
    console.error(err);
    await releaseAll();
    process.exit(1);
  });
}
