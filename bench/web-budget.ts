/**
 * JavaScript budget of the citizen portal (issue 3 §9): for the search and the procedure page,
 * the gzipped size of every script the browser loads to show the page — the entry, its static
 * imports, the page's lazy chunk and that chunk's static imports — read from the Vite manifest
 * of the last `npm run build:web`. Writes bench/results/web-budget.json; exits 1 over budget.
 *
 *   npx tsx bench/web-budget.ts            (builds dist/web first when it is missing)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const WEB_DIR = path.resolve('dist/web');
const MANIFEST = path.join(WEB_DIR, '.vite/manifest.json');
const BUDGET_BYTES = 150 * 1024;
const PAGES = [
  { name: 'search', route: '/tim-kiem', chunk: 'src/pages/Search.tsx' },
  { name: 'procedure', route: '/thu-tuc/:code', chunk: 'src/pages/Procedure.tsx' },
] as const;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The chunk's file and, recursively, the files of its static imports. */
function closure(manifest: Manifest, key: string, out = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`manifest has no chunk ${key}`);
  if (out.has(chunk.file)) return out;
  out.add(chunk.file);
  for (const i of chunk.imports ?? []) closure(manifest, i, out);
  return out;
}

const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(WEB_DIR, file)), { level: 9 }).length;
const rawSize = (file: string) => fs.statSync(path.join(WEB_DIR, file)).size;
const kb = (n: number) => (n / 1024).toFixed(1);

async function main(): Promise<void> {
  if (!fs.existsSync(MANIFEST)) {
    console.log('dist/web/.vite/manifest.json missing: building the web app…');
    const { build } = await import('vite');
    await build({ configFile: path.resolve('web/vite.config.ts'), logLevel: 'warn' });
  }
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('manifest has no entry chunk');

  const results = PAGES.map((page) => {
    const files = [...closure(manifest, page.chunk, closure(manifest, entry))].filter((f) => f.endsWith('.js')).sort();
    const perFile = files.map((file) => ({ file, bytes: rawSize(file), gzipBytes: gzipSize(file) }));
    const gzipBytes = perFile.reduce((s, f) => s + f.gzipBytes, 0);
    return {
      page: page.name,
      route: page.route,
      files: perFile,
      bytes: perFile.reduce((s, f) => s + f.bytes, 0),
      gzipBytes,
      budgetBytes: BUDGET_BYTES,
      withinBudget: gzipBytes <= BUDGET_BYTES,
    };
  });

  console.log('Portal JavaScript per page (gzip -9), budget 150 KB gzipped');
  console.log('page        route             files  raw KB  gzip KB  budget  ok');
  for (const r of results) {
    console.log(
      `${r.page.padEnd(11)} ${r.route.padEnd(17)} ${String(r.files.length).padStart(5)} ${kb(r.bytes).padStart(7)} ${kb(r.gzipBytes).padStart(8)} ${kb(BUDGET_BYTES).padStart(7)}  ${r.withinBudget ? 'yes' : 'NO'}`,
    );
    for (const f of r.files) console.log(`              ${f.file.padEnd(40)} ${kb(f.bytes).padStart(7)} ${kb(f.gzipBytes).padStart(8)}`);
  }

  fs.mkdirSync('bench/results', { recursive: true });
  const out = { measuredAt: new Date().toISOString(), builtAt: fs.statSync(MANIFEST).mtime.toISOString(), budgetBytes: BUDGET_BYTES, pages: results };
  fs.writeFileSync('bench/results/web-budget.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log('written bench/results/web-budget.json');
  if (results.some((r) => !r.withinBudget)) {
    console.error('OVER BUDGET');
    process.exit(1);
  }
}

await main();
