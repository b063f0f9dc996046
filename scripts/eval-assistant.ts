/**
 * Evaluation of the assistant's procedure finding on the labelled set test/assistant/eval-set.json:
 * an embedded PGlite database in a temporary folder, migrated and seeded with the reference data,
 * then every question through the whole answer path (src/assistant/ask.ts, when it exports `ask`)
 * or through retrieveProcedures alone.
 *
 *   npm run eval:assistant [-- --json] [-- --retrieval] [-- --set FILE]
 *
 * --retrieval: skip ask(), retrieval only. --set: another labelled file, such as the held-out
 * test/assistant/holdout-set.json (questions written after the tuning and never tuned on).
 *
 * Prints top-1 and top-3 accuracy (over questions that have an expected procedure), the share of
 * no-match questions answered "no match", the false "no match" count, p50/p95 latency and the
 * failures. Exits 1 when a target is missed: top-1 ≥ 85 %, top-3 ≥ 95 %, p95 ≤ 50 ms (issue 6),
 * and no-match handled ≥ 90 % (our own threshold; the issue names no figure). --json writes
 * bench/results/assistant-eval.json.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CalendarStore } from '../src/calendar/store.js';
import { retrieveProcedures } from '../src/assistant/retrieve.js';
import { loadConfig } from '../src/platform/config.js';
import type { AppContext } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { seedReferenceData } from '../src/seed/reference.js';

interface EvalItem {
  q: string;
  expect: string | null;
  tags: string[];
}

interface Outcome {
  codes: string[];
  noMatch: boolean;
}

type Runner = (ctx: AppContext, q: string) => Promise<Outcome>;

const TARGETS = { top1: 0.85, top3: 0.95, noMatch: 0.9, p95Ms: 50 };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The whole answer path when the lead's ask() exists; retrieval only otherwise. */
async function pickRunner(retrievalOnly: boolean): Promise<{ runner: Runner; path: string }> {
  try {
    if (retrievalOnly) throw new Error('--retrieval');
    const mod = (await import('../src/assistant/ask.js' as string)) as Record<string, unknown>;
    if (typeof mod.ask === 'function') {
      // ask(ctx, actor, input, client): an anonymous citizen; one client key per question so
      // that the per-client rate limit (a conversation's pace) does not refuse the 200+ questions.
      const ask = mod.ask as (ctx: AppContext, actor: null, input: { question: string }, client: string) => Promise<{ procedures?: Array<{ code: string }>; kind?: string }>;
      let n = 0;
      return {
        path: 'ask (whole answer path)',
        runner: async (ctx, q) => {
          const r = await ask(ctx, null, { question: q }, `eval-${n++}`);
          const codes = (r.procedures ?? []).map((p) => p.code);
          return { codes, noMatch: codes.length === 0 || r.kind === 'no_match' };
        },
      };
    }
  } catch {
    // no ask.ts yet, or it does not load: retrieval alone
  }
  return {
    path: 'retrieveProcedures (retrieval only)',
    runner: async (ctx, q) => {
      const r = await retrieveProcedures(ctx, q, { limit: 3 });
      return { codes: r.procedures.map((p) => p.code), noMatch: r.noMatch };
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const argv = process.argv.slice(2);
  const setPath = argv.includes('--set') ? path.resolve(argv[argv.indexOf('--set') + 1]!) : path.join(root, 'test/assistant/eval-set.json');
  const items = JSON.parse(await readFile(setPath, 'utf8')) as EvalItem[];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-eval-'));
  const database = await openDatabase({ databaseUrl: null, dataDir: dir });
  try {
    await migrate(database.pool);
    const config = loadConfig({ LOG_LEVEL: 'silent', MOTCUA_DEMO: 'false' });
    const ctx: AppContext = { database, db: database.db, config, now: () => new Date(), calendars: new CalendarStore(database.db) };
    await seedReferenceData(ctx);
    const { runner, path: used } = await pickRunner(args.has('--retrieval'));

    // Warm-up (statement caches, JIT) on a few questions, not counted.
    for (const it of items.slice(0, 10)) await runner(ctx, it.q);

    const latencies: number[] = [];
    const failures: Array<{ q: string; expect: string | null; got: string[]; noMatch: boolean; tags: string[] }> = [];
    let withProc = 0;
    let top1 = 0;
    let top3 = 0;
    let falseNoMatch = 0;
    let noMatchItems = 0;
    let noMatchOk = 0;
    const byTag = new Map<string, { n: number; ok: number }>();
    for (const it of items) {
      const t0 = process.hrtime.bigint();
      const out = await runner(ctx, it.q);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      let ok: boolean;
      if (it.expect === null) {
        noMatchItems++;
        ok = out.noMatch;
        if (ok) noMatchOk++;
      } else {
        withProc++;
        const first = !out.noMatch && out.codes[0] === it.expect;
        const inTop3 = !out.noMatch && out.codes.slice(0, 3).includes(it.expect);
        if (first) top1++;
        if (inTop3) top3++;
        if (out.noMatch) falseNoMatch++;
        ok = first;
      }
      for (const tag of it.tags) {
        const s = byTag.get(tag) ?? { n: 0, ok: 0 };
        s.n++;
        if (ok) s.ok++;
        byTag.set(tag, s);
      }
      if (!ok) failures.push({ q: it.q, expect: it.expect, got: out.codes.slice(0, 3), noMatch: out.noMatch, tags: it.tags });
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      path: used,
      database: 'pglite',
      questions: items.length,
      withProcedure: withProc,
      noMatchQuestions: noMatchItems,
      top1: top1 / withProc,
      top3: top3 / withProc,
      noMatchHandled: noMatchItems ? noMatchOk / noMatchItems : 1,
      falseNoMatch,
      p50Ms: Math.round(percentile(sorted, 50) * 100) / 100,
      p95Ms: Math.round(percentile(sorted, 95) * 100) / 100,
      byTag: Object.fromEntries([...byTag].sort().map(([k, v]) => [k, { n: v.n, correct: v.ok }])),
      targets: TARGETS,
      failures,
    };
    const missed: string[] = [];
    if (result.top1 < TARGETS.top1) missed.push('top-1');
    if (result.top3 < TARGETS.top3) missed.push('top-3');
    if (result.noMatchHandled < TARGETS.noMatch) missed.push('no-match');
    if (result.p95Ms > TARGETS.p95Ms) missed.push('p95');

    console.log(`assistant evaluation — ${path.relative(root, setPath)}: ${items.length} questions, ${used}, embedded PGlite`);
    console.log(`  top-1 accuracy      ${pct(result.top1)}  (${top1}/${withProc})   target ≥ ${pct(TARGETS.top1)}`);
    console.log(`  top-3 accuracy      ${pct(result.top3)}  (${top3}/${withProc})   target ≥ ${pct(TARGETS.top3)}`);
    console.log(`  no match handled    ${pct(result.noMatchHandled)}  (${noMatchOk}/${noMatchItems})   target ≥ ${pct(TARGETS.noMatch)} (ours)`);
    console.log(`  false "no match"    ${falseNoMatch}`);
    console.log(`  latency             p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms   target p95 ≤ ${TARGETS.p95Ms} ms`);
    console.log('  by tag (top-1 or no-match correct):');
    for (const [tag, s] of Object.entries(result.byTag)) console.log(`    ${tag.padEnd(16)} ${s.correct}/${s.n}`);
    if (failures.length) {
      console.log(`  failures (${failures.length}):`);
      for (const f of failures) {
        console.log(`    - "${f.q}"  expected ${f.expect ?? 'no match'}, got ${f.noMatch ? 'no match' : ''}${f.noMatch && f.got.length ? ' ' : ''}${f.got.length ? `[${f.got.join(', ')}]` : ''}`);
      }
    }
    if (args.has('--json') && setPath === path.join(root, 'test/assistant/eval-set.json')) {
      const out = path.join(root, 'bench/results/assistant-eval.json');
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
      console.log(`  written ${path.relative(root, out)}`);
    }
    console.log(missed.length ? `TARGETS MISSED: ${missed.join(', ')}` : 'all targets met');
    return missed.length ? 1 : 0;
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
