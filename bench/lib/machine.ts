/** Machine description and CPU accounting (who used the cores during a measurement). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  command: string;
  gitCommit: string;
}

export function machineInfo(command: string): MachineInfo {
  let gitCommit = 'unknown';
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty) gitCommit += ' (+ uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    command,
    gitCommit,
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU time (ms) of local processes named `postgres`, by pid, from /proc (Linux only); only the
 * given pids when a set is given (this database's backends and the shared background processes).
 */
function postgresCpu(only?: ReadonlySet<number>): Map<number, number> | null {
  const out = new Map<number, number>();
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      if (only && !only.has(Number(entry))) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        if (comm !== 'postgres') continue;
        const fields = stat.slice(close + 2).split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        out.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
      } catch {
        // the process exited meanwhile
      }
    }
  } catch {
    return null;
  }
  return out;
}

/** Busy and total CPU time of the whole machine (ms, all cores), from /proc/stat. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  at: number;
  self: NodeJS.CpuUsage;
  postgresPids: ReadonlySet<number> | undefined;
  postgres: Map<number, number> | null;
  machine: { busy: number; total: number } | null;
}

export function cpuSnapshot(postgresPids?: ReadonlySet<number>): CpuSnapshot {
  return { at: performance.now(), self: process.cpuUsage(), postgresPids, postgres: postgresCpu(postgresPids), machine: machineCpu() };
}

/** Cores busy on the whole machine over `ms`. */
export async function machineBusyOver(ms: number): Promise<number | null> {
  const a = machineCpu();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpu();
  return a && b ? (b.busy - a.busy) / ms : null;
}

/**
 * Others may share this machine (tests, builds): wait until it is quiet (< `threshold` cores
 * busy over 2 s), at most `maxS` seconds. Returns what was seen last.
 */
export async function waitForQuiet(maxS: number, threshold: number, log: (s: string) => void): Promise<{ busyCores: number | null; waitedS: number }> {
  const t0 = performance.now();
  let said = false;
  for (;;) {
    const busy = await machineBusyOver(2000);
    const waitedS = Math.round((performance.now() - t0) / 1000);
    if (busy === null || busy < threshold || waitedS >= maxS) {
      if (busy !== null && busy >= threshold) log(`machine still busy (${busy.toFixed(2)} cores used by others) after ${waitedS} s; measuring anyway`);
      return { busyCores: busy === null ? null : Math.round(busy * 100) / 100, waitedS };
    }
    if (!said) log(`machine busy (${busy.toFixed(2)} cores used by other processes); waiting up to ${maxS} s for it to be quiet`);
    said = true;
  }
}

export interface CpuSplit {
  /** Cores used on average during the window (1.0 = one core fully busy). */
  loadGenerator: number;
  postgres: number | null;
  machineBusy: number | null;
  cores: number;
}

/** Pids of this database's backends and of the server's background processes (walwriter…). */
export const POSTGRES_PIDS_SQL = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR backend_type <> 'client backend'`;

export function cpuSince(s: CpuSnapshot): CpuSplit {
  const wall = performance.now() - s.at;
  const self = process.cpuUsage(s.self);
  let pgMs: number | null = null;
  const now = postgresCpu(s.postgresPids);
  if (now && s.postgres) {
    pgMs = 0;
    for (const [pid, t] of now) pgMs += t - (s.postgres.get(pid) ?? 0);
  }
  const m = machineCpu();
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    loadGenerator: r((self.user + self.system) / 1000 / wall),
    postgres: pgMs === null ? null : r(pgMs / wall),
    machineBusy: m && s.machine ? r((m.busy - s.machine.busy) / wall) : null,
    cores: os.cpus().length,
  };
}
