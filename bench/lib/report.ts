/** bench/results/<name>-<db>.json and the README table regenerated from all of them. */
import fs from 'node:fs';
import path from 'node:path';
import type { HeatmapResult } from '../heatmap.js';
import type { IntakeResult } from '../intake.js';
import { PAGE_SCENARIOS, type QueueResult, type ScenarioName } from '../queue.js';
import { BENCH_DIR } from './child.js';
import type { MachineInfo } from './machine.js';

export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export type Stored = (IntakeResult | QueueResult | HeatmapResult) & { machine: MachineInfo };

export function writeResult(r: Stored): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${r.benchmark}-${r.db}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

function readResults(prefix = ''): Stored[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => new RegExp(`^${prefix}(intake|queue|heatmap)-(postgres|pglite)\\.json$`).test(f))
    .sort((a, b) => (a.includes('postgres') === b.includes('postgres') ? a.localeCompare(b) : a.includes('postgres') ? -1 : 1))
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as Stored);
}

const yes = (b: boolean) => (b ? 'yes' : '**no**');

const SCENARIO_LABELS: Record<ScenarioName, string> = {
  first: 'first page',
  next: 'next pages',
  overdue: 'overdue',
  atMyStep: 'at my step',
  field: 'field',
  applicantId: 'applicant ID number',
  applicantName: 'applicant name',
  counts: 'tab counts',
  countsApplicantName: 'tab counts, applicant name',
  openPage: 'open the queue page',
};
const n0 = (x: number) => Math.round(x).toLocaleString('en');
const pp = (s: { p50: number; p99: number }) => `${s.p50} / ${s.p99}`;
const dbName = (r: Stored) =>
  r.db === 'postgres'
    ? `PostgreSQL ${String(r.database.version ?? '').match(/PostgreSQL ([\d.]+)/)?.[1] ?? ''}`
    : `PGlite ${String(r.database.pglite ?? '')}`;

export function tables(results = readResults()): string {
  const intake = results.filter((r): r is IntakeResult & { machine: MachineInfo } => r.benchmark === 'intake');
  const queue = results.filter((r): r is QueueResult & { machine: MachineInfo } => r.benchmark === 'queue');
  const heatmap = results.filter((r): r is HeatmapResult & { machine: MachineInfo } => r.benchmark === 'heatmap');
  const out: string[] = [];
  if (intake.length) {
    out.push(
      '### Intake over HTTP (walk-in submit + receive, then forward; 3 dossier actions per loop)',
      '',
      '| Database | Clients × s | Dossier actions/s | HTTP req/s | Submit p50 / p99 ms | Forward p50 / p99 ms | Errors | Ceiling rows/s | Actions ÷ ceiling | CPU cores used: load gen / server / PostgreSQL / others | ≥ 1,000/s | ≥ 50% | p99 ≤ 50 ms |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|',
    );
    for (const r of intake) {
      const m = r.measured;
      const cpu = `${m.cpu.loadGenerator} / ${m.server.cpuCores} / ${r.db === 'pglite' ? '(in server)' : (m.cpu.postgres ?? 'n/a')} / ${m.otherProcessesCores ?? 'n/a'}`;
      out.push(
        `| ${dbName(r)} | ${r.options.clients} × ${r.options.durationS} | ${n0(m.dossierActionsPerS)} | ${n0(m.httpRequestsPerS)} | ${pp(m.latencyMs.submit)} | ${pp(m.latencyMs.forward)} | ${m.errors} | ${n0(r.ceiling.rowsPerS)} | ${(r.ratio * 100).toFixed(1)}% | ${cpu} | ${yes(r.targets.met.actionsPerS)} | ${yes(r.targets.met.ratio)} | ${yes(r.targets.met.p99)} |`,
      );
    }
    out.push(
      '',
      'Server-side (inside the server child, per request): p50 / p99 ms, database round trips and time awaiting them, time waiting for a pool connection.',
      '',
      '| Database | Request | Server p50 / p99 ms | DB round trips | ms awaiting DB | ms waiting for a connection |',
      '|---|---|---:|---:|---:|---:|',
    );
    for (const r of intake) {
      for (const [name, s] of Object.entries(r.measured.serverSideMs)) {
        out.push(`| ${dbName(r)} | ${name} | ${pp(s.latency)} | ${s.dbRoundTripsPerRequest} | ${s.dbMsPerRequest} | ${s.poolWaitMsPerRequest} |`);
      }
    }
    out.push('');
  }
  if (queue.length) {
    out.push(
      '### Work queue (GET /api/work/dossiers?limit=50 as the desk officer of H15.001, one request at a time)',
      '',
      '| Database | Dossiers N | H15.001: received / open / overdue / at the desk’s steps / returned | First page p50 / p99 ms | Next pages p50 / p99 ms | Overdue p50 / p99 ms | Server-side p50 (first / next / overdue) | Queue indexes used | Every list p50 ≤ 10 ms | Every list p99 ≤ 30 ms | Open the queue page (counts + first page) p50 / p99 ms | Opens < 200 ms (p99) |',
      '|---|---:|---|---:|---:|---:|---|---|---|---|---:|---|',
    );
    for (const r of queue) {
      const s = r.scenarios;
      const unit = [r.data.unitTotal, r.data.unitOpen, r.data.unitOverdue, r.data.unitAtDeskSteps, r.data.unitReturned].map((x) => (x === undefined ? '–' : n0(x))).join(' / ');
      const open = s.openPage ? pp(s.openPage.latencyMs) : 'not measured';
      const openMet = r.targets.met.openPage === undefined ? '–' : yes(r.targets.met.openPage);
      out.push(
        `| ${dbName(r)} | ${n0(r.data.total)}${r.data.generated < r.options.requested ? ` (asked ${n0(r.options.requested)})` : ''} | ${unit} | ${pp(s.first.latencyMs)} | ${pp(s.next.latencyMs)} | ${pp(s.overdue.latencyMs)} | ${s.first.serverSideMs.p50} / ${s.next.serverSideMs.p50} / ${s.overdue.serverSideMs.p50} | ${yes(Object.entries(s).every(([k, x]) => k === 'openPage' || x.explain.usesQueueIndex))} | ${yes(r.targets.met.p50)} | ${yes(r.targets.met.p99)} | ${open} | ${openMet} |`,
      );
    }
    out.push(
      '',
      'Every request measured (client-side over loopback; server-side inside the server child; "open the queue page" is the counts, then the first page, one after the other: the browser sends both at once, so it waits less).',
      '',
      '| Database | Request | Client p50 / p99 ms | Server p50 / p99 ms | DB round trips | ms awaiting DB | Items (tabs for counts) | Indexes only, no table scan |',
      '|---|---|---:|---:|---:|---:|---:|---|',
    );
    for (const r of queue) {
      for (const [name, s] of Object.entries(r.scenarios) as Array<[ScenarioName, NonNullable<QueueResult['scenarios'][ScenarioName]>]>) {
        const label = `${SCENARIO_LABELS[name] ?? name}: \`${s.path.replace(/\|/g, '\\|')}\``;
        out.push(
          `| ${dbName(r)} | ${label} | ${pp(s.latencyMs)} | ${pp(s.serverSideMs)} | ${s.dbRoundTripsPerRequest} | ${s.dbMsPerRequest} | ${s.itemsPerPage} | ${name === 'openPage' ? '(as above)' : yes(s.explain.usesQueueIndex)} |`,
        );
      }
    }
    const f = queue.find((r) => r.data.filters)?.data.filters;
    if (f) {
      out.push(
        '',
        `Filters: field \`${f.field}\` (${n0(f.fieldOpen)} of H15.001's open dossiers), an open dossier's applicant ID number (1), applicant \`${f.applicantName}\` (${n0(f.applicantNameOpen)} open dossiers). Targets p50 ≤ 10 ms and p99 ≤ 30 ms apply to each list request (${PAGE_SCENARIOS.join(', ')}); the issue's target is the page opening in under 200 ms.`,
      );
    }
    out.push('');
  }
  if (heatmap.length) {
    out.push(
      '### Leaders\' heatmap (GET /api/monitoring/heatmap as the province leader, all units of H15, one request at a time) against a raw GROUP BY',
      '',
      '| Database | Dossiers N | Request | Units (rows) | Server p50 / p95 / p99 ms | Client p50 / p95 ms | DB round trips | ms awaiting DB | Response bytes |',
      '|---|---:|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of heatmap) {
      for (const [name, s] of Object.entries(r.scenarios)) {
        out.push(
          `| ${dbName(r)} | ${n0(r.data.total)} | ${name}: \`${s.path}\` | ${s.rows} | ${s.serverSideMs.p50} / ${s.serverSideMs.p95} / ${s.serverSideMs.p99} | ${s.latencyMs.p50} / ${s.latencyMs.p95} | ${s.dbRoundTripsPerRequest} | ${s.dbMsPerRequest} | ${n0(s.responseBytes)} |`,
        );
      }
    }
    out.push(
      '',
      '| Database | Dossiers N | Quarter | Raw GROUP BY p50 / p95 ms (runs) | Heatmap server p50 / p95 ms | GROUP BY ÷ heatmap p50 / p95 | Aggregates = dossiers | p95 ≤ 100 ms | ≥ 100× |',
      '|---|---:|---|---:|---:|---:|---|---|---|',
    );
    for (const r of heatmap) {
      const q = r.scenarios.quarter!;
      out.push(
        `| ${dbName(r)} | ${n0(r.data.total)} | ${r.data.quarter.from} – ${r.data.quarter.to} | ${r.baseline.ms.p50} / ${r.baseline.ms.p95} (${r.options.baselineRuns}) | ${q.serverSideMs.p50} / ${q.serverSideMs.p95} | ${r.ratio.p50}× / ${r.ratio.p95}× | ${yes(r.data.check.equal)} (${r.data.check.units} units) | ${yes(r.targets.met.p95)} | ${yes(r.targets.met.ratio)} |`,
      );
    }
    out.push(
      '',
      'Dossiers generated as for the queue (bench/lib/generate.ts), the aggregate tables filled from them in SQL with what the action path would have written (bench/heatmap.ts fillAggregates); "Aggregates = dossiers": the quarter\'s per-unit figures (received, online, settled early / on time / late, carried over, overdue and due soon now) counted both ways are equal. The raw GROUP BY computes those figures per deciding unit over the whole dossiers table, on the same database in the same run, after the server has stopped.',
      '',
    );
  }
  return out.join('\n');
}

export function writeReadme(): string {
  const results = readResults();
  const table = tables(results);
  const lines: string[] = [
    '# Benchmarks',
    '',
    '_Generated by `npm run bench` (bench/run.ts) from the JSON files in this folder; do not edit by hand._',
    '',
    table,
  ];
  lines.push(
    '_This machine is shared (2 vCPUs: load generator, server, PostgreSQL and other people\'s work); the "others" column and the load average show how busy it was. Expect run-to-run variation of tens of percent in the intake figures._',
    '',
    '### Runs',
    '',
  );
  for (const r of results) {
    lines.push(
      `- **${r.benchmark} / ${dbName(r)}** — ${r.machine.date}, \`${r.machine.command}\`, commit ${r.machine.gitCommit}; ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.os}; load average before: ${r.loadAverageBefore.join(' ')}` +
        (r.benchmark === 'queue' && r.loadAverageAfter ? `, after: ${r.loadAverageAfter.join(' ')}` : '') +
        (r.db === 'postgres'
          ? `; shared_buffers ${String(r.database.shared_buffers)}, synchronous_commit ${String(r.database.synchronous_commit)}, fsync ${String(r.database.fsync)}`
          : ''),
    );
    if (r.benchmark === 'intake') {
      const c = r.ceiling;
      const srv = r.measured.server;
      lines.push(
        `  - ceiling: ${n0(c.rowsPerS)} rows/s, insert latency p50 / p99 ${pp(c.latencyMs)} ms; CPU cores: bench process ${c.cpu.loadGenerator}${r.db === 'postgres' ? `, PostgreSQL ${c.cpu.postgres ?? 'n/a'}` : ' (PGlite inside it)'}, others ${c.otherProcessesCores ?? 'n/a'}.`,
        `  - server child during the intake: event-loop utilisation ${srv.eventLoopUtilization}; its main thread was runnable but waiting for a CPU ${srv.mainThreadWaitingForCpuShare === null ? 'n/a' : `${Math.round(srv.mainThreadWaitingForCpuShare * 100)}%`} of the time.`,
      );
      if (r.measured.postgresActivity) {
        const a = Object.entries(r.measured.postgresActivity.perSample)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        lines.push(`  - the server's ${r.options.serverPoolSize} PostgreSQL connections, on average (pg_stat_activity every 20 ms): ${a}`);
      }
    }
    for (const note of r.notes) lines.push(`  - ${note}`);
  }
  lines.push(
    '',
    '### How it is measured',
    '',
    '- **Intake**: a fresh throwaway database (PostgreSQL: `motcua_bench_<random>`, dropped afterwards; PGlite: a temporary folder, removed afterwards), migrated, reference data seeded, one desk officer per commune (H15.015…). The server runs `buildApp` in a child process (`bench/server-child.ts`, pool of `--clients` connections on PostgreSQL, PGlite\'s single connection otherwise); the load generator runs in the parent with one keep-alive connection per officer. Each officer loops: `POST /api/dossiers` (walk-in: submit + receive = 2 actions) then `POST /api/dossiers/:code/actions {type: forward}` (1 action). 2 s warm-up, not counted. Latencies are client-side over loopback.',
    '- **Ceiling**: on the same database after the server has stopped, as many connections doing single-row autocommit `INSERT`s (bigint, text, timestamptz, jsonb) for as long. On PGlite: through its one connection, in-process.',
    '- **Queue**: N dossiers generated in SQL (`INSERT … SELECT … FROM generate_series`, chunks of 100,000; 103 receiving units, ≈12% open, appointments over now ± 60 days), then `ANALYZE` (no `VACUUM`: counts cannot skip the table rows, the worst case). One client, sequential requests after a warm-up; latency measured client-side over loopback and, separately, server-side inside the child (HTTP `request` event to response `finish`). The scenarios: the first page, the next pages (cursor), overdue, the desk officer\'s "at my step" tab, a field, an applicant\'s ID number, part of a name; the tab counts (all ten queues), unfiltered and with the name; and opening the queue page (counts, then the first page). The plans below are `EXPLAIN (ANALYZE, BUFFERS)` of the exact SQL and parameters the server ran (for the counts, one plan per tab).',
    '- CPU cores used: average cores busy during the measured window (1.0 = one core), from /proc: the load generator (the bench process), the server child, PostgreSQL (this database\'s backends and the server\'s background processes) and everything else on the machine ("others": other people\'s tests, builds…). All share the same cores.',
    '',
  );
  const profiles = readResults('profile-').filter((r) => r.serverProfile);
  if (profiles.length) {
    lines.push(
      '### Where the server child spends its CPU (diagnosis runs with `--cpu-prof`; self time, whole life of the child)',
      '',
    );
    for (const r of profiles) {
      const p = r.serverProfile!;
      lines.push(
        `**${r.benchmark} / ${dbName(r)}** (${r.machine.date}, \`${r.machine.command}\`): ${n0(p.busyMs)} ms busy, ${n0(p.idleMs)} ms idle.` +
          (r.benchmark === 'intake' && r.measured.server.mainThreadWaitingForCpuShare !== null
            ? ` During the measured window the main thread was runnable but waiting for a CPU ${Math.round(r.measured.server.mainThreadWaitingForCpuShare * 100)}% of the time; the profiler charges such waiting to the function it interrupted — typically \`writev\`, the socket write that wakes a PostgreSQL backend, which then takes the core.`
            : ''),
        '',
        '| Package / file | ms | % of busy |',
        '|---|---:|---:|',
        ...p.byPackage.slice(0, 15).map((x) => `| ${x.name} | ${n0(x.ms)} | ${x.pct}% |`),
        '',
        '<details><summary>Hottest functions</summary>',
        '',
        '| Function | ms | % |',
        '|---|---:|---:|',
        ...p.topFunctions.map((x) => `| \`${x.name.replace(/\|/g, '\\|')}\` | ${n0(x.ms)} | ${x.pct}% |`),
        '',
        '</details>',
        '',
      );
    }
  }
  for (const r of results) {
    if (r.benchmark === 'heatmap') {
      lines.push(`<details><summary>Plan: ${dbName(r)}, raw GROUP BY over ${n0(r.data.total)} dossiers</summary>`, '', '```', r.baseline.plan, '```', '', '</details>', '');
      continue;
    }
    if (r.benchmark !== 'queue') continue;
    for (const [name, s] of Object.entries(r.scenarios)) {
      if (name === 'openPage') continue; // the counts' and the first page's plans
      lines.push(`<details><summary>Plan: ${dbName(r)}, ${name} (${s.path})</summary>`, '', '```', s.explain.plan, '```', '', '</details>', '');
    }
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'README.md'), lines.join('\n'));
  return table;
}
