/** Starting, talking to and stopping the server child (bench/server-child.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watch } from './cleanup.js';
import type { ChildRequest, ChildResponse } from './protocol.js';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(BENCH_DIR, '..');

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The Node flags `npm start` and `npm run start:prod` give the server (package.json; a unit test
 * keeps them equal), so the server under test runs as deployed: a 64 MB young generation, where
 * V8's default of 16 MB had the heatmap's requests (a quarter-megabyte body each) collect garbage
 * every few requests and stretched its slowest ones.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

export class ServerChild {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
    exited: Promise<number | null>,
  ) {
    this.exited = exited;
    proc.on('message', (raw) => {
      const msg = raw as ChildResponse;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`server child: ${msg.error}`));
    });
    void exited.then((code) => {
      for (const p of this.pending.values()) p.reject(new Error(`server child exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerChild> {
    const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', path.join(BENCH_DIR, 'server-child.ts')], {
      cwd: REPO_DIR,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const unwatch = proc.pid ? watch({ kind: 'pid', pid: proc.pid }) : () => {};
    const exited = new Promise<number | null>((resolve) =>
      proc.once('exit', (code) => {
        unwatch();
        resolve(code);
      }),
    );
    const ready = await new Promise<{ port: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server child did not start within 120 s')), 120_000);
      proc.once('message', (raw) => {
        clearTimeout(timer);
        const msg = raw as ChildResponse;
        if (msg.ok) resolve(msg.result as { port: number });
        else reject(new Error(msg.error));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server child exited with code ${code} before it was ready`));
      });
    }).catch(async (err: unknown) => {
      proc.kill('SIGKILL');
      throw err;
    });
    return new ServerChild(proc, ready.port, exited);
  }

  call<T>(req: DistributiveOmit<ChildRequest, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ ...req, id });
    });
  }

  /** Graceful stop (closes the app and the database), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    try {
      this.proc.send({ cmd: 'stop', id: this.nextId++ });
    } catch {
      this.proc.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
