/**
 * Clean-up that runs even on failure or Ctrl-C: each benchmark registers what it created (the
 * child server, the throwaway database, the temporary folder) and releases it in `finally`; on
 * SIGINT/SIGTERM everything still registered is released before exiting. A detached janitor
 * (bench/janitor.ts) also knows the server pids, databases and folders, and releases them if this
 * process dies without doing so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Task = { name: string; run: () => Promise<void> };

export type JanitorTask =
  | { id: number; kind: 'pid'; pid: number }
  | { id: number; kind: 'db'; adminUrl: string; name: string }
  | { id: number; kind: 'dir'; path: string };
export type JanitorMessage = { op: 'add'; task: JanitorTask } | { op: 'remove'; id: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const tasks: Task[] = [];
let janitor: ChildProcess | null = null;
let nextJanitorId = 1;

async function startJanitor(): Promise<void> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'janitor.ts');
  const j = spawn(process.execPath, ['--import', 'tsx', file], { detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  j.on('error', () => {});
  // Wait until it listens, so no message is lost (at most 30 s; without it the run goes on).
  const ok = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    j.once('message', () => {
      clearTimeout(timer);
      resolve(true);
    });
    j.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ok) {
    console.error('bench: the clean-up janitor did not start; clean-up relies on this process alone');
    return;
  }
  // Neither the process nor its channel keeps this process alive.
  j.unref();
  j.channel?.unref();
  janitor = j;
}

/** Tells the janitor about a resource; returns how to tell it the resource is gone. */
export function watch(task: DistributiveOmit<JanitorTask, 'id'>): () => void {
  if (!janitor?.connected) return () => {};
  const id = nextJanitorId++;
  janitor.send({ op: 'add', task: { ...task, id } } as JanitorMessage);
  return () => {
    if (janitor?.connected) janitor.send({ op: 'remove', id } satisfies JanitorMessage);
  };
}

export interface Registered {
  /** Runs the clean-up now (once) and unregisters it. */
  release(): Promise<void>;
}

export function register(name: string, run: () => Promise<void>, janitorTask?: DistributiveOmit<JanitorTask, 'id'>): Registered {
  const unwatch = janitorTask ? watch(janitorTask) : () => {};
  const task: Task = {
    name,
    run: async () => {
      await run();
      unwatch();
    },
  };
  tasks.push(task);
  let done = false;
  return {
    release: async () => {
      if (done) return;
      done = true;
      const i = tasks.indexOf(task);
      if (i >= 0) tasks.splice(i, 1);
      try {
        await task.run();
      } catch (err) {
        console.error(`clean-up "${name}" failed:`, err instanceof Error ? err.message : err);
      }
    },
  };
}

export async function releaseAll(): Promise<void> {
  while (tasks.length) {
    const t = tasks.pop()!;
    try {
      await t.run();
    } catch (err) {
      console.error(`clean-up "${t.name}" failed:`, err instanceof Error ? err.message : err);
    }
  }
  janitor?.disconnect();
}

let installed = false;
export async function installCleanup(): Promise<void> {
  if (installed) return;
  installed = true;
  await startJanitor();
  let cleaning = false;
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
  // and a signal without a listener would end the process before the clean-up is done.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (cleaning) return;
      cleaning = true;
      console.error(`\n${sig}: cleaning up…`);
      void releaseAll().finally(() => process.exit(130));
    });
  }
}
