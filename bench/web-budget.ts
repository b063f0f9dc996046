/**
 * JavaScript budgets of the browser app, read from the Vite manifest of the last
 * `npm run build:web`: the gzipped size of every script the browser loads to show a page — the
 * entry, its static imports, the page's lazy chunk(s) and their static imports.
 *
 * - Citizen portal (issue 3 §9): the search and the procedure page, 150 KB gzipped each.
 * - Leaders' dashboard (issue 5 §10): 400 KB gzipped. Measured per route (the heatmap, the
 *   drill-down, the comparison with its lazily loaded ECharts chunk) and for the whole dashboard
 *   (every chunk a leader may load on its three routes, counted once).
 *
 * Writes bench/results/web-budget.json; exits 1 over budget.
 *
 *   npx tsx bench/web-budget.ts            (builds dist/web first when it is missing)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const WEB_DIR = path.resolve('dist/web');
const MANIFEST = path.join(WEB_DIR, '.vite/manifest.json');
const PORTAL_BUDGET = 150 * 1024;
const DASHBOARD_BUDGET = 400 * 1024;
const DASHBOARD_CHUNKS = [
  'src/dashboard/Heatmap.tsx',
  'src/dashboard/Drill.tsx',
  'src/dashboard/Compare.tsx',
  'src/dashboard/TrendChart.tsx',
  'src/dashboard/IndexView.tsx',
  'src/dashboard/TimeView.tsx',
];
/** `chunks`: the lazy chunks the page loads (a page's own, and what it imports lazily as it shows). */
const PAGES = [
  { name: 'search', route: '/tim-kiem', chunks: ['src/pages/Search.tsx'], budgetBytes: PORTAL_BUDGET },
  { name: 'procedure', route: '/thu-tuc/:code', chunks: ['src/pages/Procedure.tsx'], budgetBytes: PORTAL_BUDGET },
  { name: 'dash-heatmap', route: '/lanh-dao', chunks: ['src/dashboard/Heatmap.tsx'], budgetBytes: DASHBOARD_BUDGET },
  { name: 'dash-drill', route: '/lanh-dao/don-vi/:unit', chunks: ['src/dashboard/Drill.tsx'], budgetBytes: DASHBOARD_BUDGET },
  { name: 'dash-compare', route: '/lanh-dao/so-sanh', chunks: ['src/dashboard/Compare.tsx', 'src/dashboard/TrendChart.tsx'], budgetBytes: DASHBOARD_BUDGET },
  { name: 'dash-index', route: '/lanh-dao/chi-so', chunks: ['src/dashboard/IndexView.tsx'], budgetBytes: DASHBOARD_BUDGET },
  { name: 'dash-time', route: '/lanh-dao/thoi-gian', chunks: ['src/dashboard/TimeView.tsx', 'src/dashboard/TrendChart.tsx'], budgetBytes: DASHBOARD_BUDGET },
  { name: 'dashboard', route: '/lanh-dao/*', chunks: DASHBOARD_CHUNKS, budgetBytes: DASHBOARD_BUDGET },
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
    const loaded = closure(manifest, entry);
    for (const chunk of page.chunks) closure(manifest, chunk, loaded);
    const files = [...loaded].filter((f) => f.endsWith('.js')).sort();
    const perFile = files.map((file) => ({ file, bytes: rawSize(file), gzipBytes: gzipSize(file) }));
    const gzipBytes = perFile.reduce((s, f) => s + f.gzipBytes, 0);
    return {
      page: page.name,
      route: page.route,
      files: perFile,
      bytes: perFile.reduce((s, f) => s + f.bytes, 0),
      gzipBytes,
      budgetBytes: page.budgetBytes,
      withinBudget: gzipBytes <= page.budgetBytes,
    };
  });

  console.log('JavaScript per page (gzip -9): portal budget 150 KB, leaders\' dashboard 400 KB');
  console.log('page          route                    files  raw KB  gzip KB  budget  ok');
  for (const r of results) {
    console.log(
      `${r.page.padEnd(13)} ${r.route.padEnd(24)} ${String(r.files.length).padStart(5)} ${kb(r.bytes).padStart(7)} ${kb(r.gzipBytes).padStart(8)} ${kb(r.budgetBytes).padStart(7)}  ${r.withinBudget ? 'yes' : 'NO'}`,
    );
    for (const f of r.files) console.log(`                ${f.file.padEnd(40)} ${kb(f.bytes).padStart(7)} ${kb(f.gzipBytes).padStart(8)}`);
  }

  fs.mkdirSync('bench/results', { recursive: true });
  const out = { measuredAt: new Date().toISOString(), builtAt: fs.statSync(MANIFEST).mtime.toISOString(), budgets: { portalBytes: PORTAL_BUDGET, dashboardBytes: DASHBOARD_BUDGET }, pages: results };
  fs.writeFileSync('bench/results/web-budget.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log('written bench/results/web-budget.json');
  if (results.some((r) => !r.withinBudget)) {
    console.error('OVER BUDGET');
    process.exit(1);
  }
}

await main();
