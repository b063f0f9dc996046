/**
 * Summary of a V8 CPU profile of the server child (--cpu-prof): self time by package / source
 * file and the hottest functions, to show where the server's time goes.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time (ms), idle excluded. */
  busyMs: number;
  idleMs: number;
  byPackage: Array<{ name: string; ms: number; pct: number }>;
  topFunctions: Array<{ name: string; ms: number; pct: number }>;
}

function where(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('wasm://')) return 'PGlite (WebAssembly)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const m = url.match(/\/(src|bench)\/(.+)$/);
  if (m) return `${m[1]}/${m[2]}`;
  return url;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  let idle = 0;
  let busy = 0;
  const pkg = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += t;
      continue;
    }
    busy += t;
    const w = where(url, functionName);
    pkg.set(w, (pkg.get(w) ?? 0) + t);
    const name = `${functionName || '(anonymous)'} ${w}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(name, (fns.get(name) ?? 0) + t);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((ms / busy) * 1000) / 10 }));
  return { busyMs: Math.round(busy), idleMs: Math.round(idle), byPackage: rank(pkg), topFunctions: rank(fns) };
}

/**
 * The busiest .cpuprofile in `dir`, summarized, or null. Node writes one per thread (tsx's module
 * loader runs on its own thread); the main thread, where the server runs, is the busiest.
 */
export function summarizeBusiestProfile(dir: string): ProfileSummary | null {
  if (!fs.existsSync(dir)) return null;
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarizeProfile(path.join(dir, f)))
    .sort((a, b) => b.busyMs - a.busyMs);
  return all[0] ?? null;
}
