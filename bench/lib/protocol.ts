/** Messages between bench/run.ts and the server child (Node IPC). */

export type ChildRequest =
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'query'; sql: string; params?: unknown[] }
  | { id: number; cmd: 'explain'; label: string }
  | { id: number; cmd: 'stop' };

export type ChildResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface LabelStats {
  /** Server-side time of each request (ms), HTTP 'request' event to response 'finish'. */
  durations: number[];
  /** Database round trips (pg Client.query calls) made while serving these requests. */
  dbQueries: number;
  /** Sum of the time spent awaiting those round trips (ms). */
  dbMs: number;
  poolAcquires: number;
  /** Sum of the time spent waiting for a pool connection (ms). */
  poolWaitMs: number;
}

export interface ServerStats {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  /** Main thread time on a CPU, and runnable but waiting for one (run-queue delay), from /proc. */
  mainThreadOnCpuMs: number | null;
  mainThreadWaitingForCpuMs: number | null;
  labels: Record<string, LabelStats>;
  poolSize: number;
}

export interface ExplainResult {
  sql: string;
  params: unknown[];
  plan: string;
}
