/**
 * Safety net for bench/run.ts: a detached helper that knows what the run created (server child
 * pids, throwaway databases, temporary folders) and releases whatever is left when the run's
 * process disappears without doing it itself — e.g. when `tsx` escalates Ctrl-C to SIGKILL
 * because the run was inside a long synchronous PGlite call. On a normal exit nothing is left and
 * it just exits.
 */
import fs from 'node:fs';
import pg from 'pg';
import type { JanitorMessage, JanitorTask } from './lib/cleanup.js';

const tasks = new Map<number, JanitorTask>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.on('message', (raw) => {
  const m = raw as JanitorMessage;
  if (m.op === 'add') tasks.set(m.task.id, m.task);
  else tasks.delete(m.id);
});

// Ctrl-C is for the run; this helper finishes its clean-up regardless.
process.on('SIGINT', () => {});

process.send?.({ ready: true });

process.on('disconnect', () => {
  void (async () => {
    const left = [...tasks.values()];
    for (const t of left) {
      if (t.kind !== 'pid' || !alive(t.pid)) continue;
      try {
        process.kill(t.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && alive(t.pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    for (const t of left) {
      try {
        if (t.kind === 'db') {
          const c = new pg.Client({ connectionString: t.adminUrl });
          c.on('error', () => {});
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${t.name} WITH (FORCE)`);
          await c.end();
        } else if (t.kind === 'dir') {
          fs.rmSync(t.path, { recursive: true, force: true });
        }
      } catch {
        // nothing more to do from here
      }
    }
    process.exit(0);
  })();
});
