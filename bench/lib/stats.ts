/** Latency summaries: nearest-rank percentiles over raw samples (milliseconds). */

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.length ? sum / sorted.length : NaN),
  };
}

/** Samples per label (request type). */
export class Recorder {
  readonly samples = new Map<string, number[]>();

  add(label: string, ms: number): void {
    let list = this.samples.get(label);
    if (!list) this.samples.set(label, (list = []));
    list.push(ms);
  }

  summary(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.samples.entries()].map(([k, v]) => [k, summarize(v)]));
  }

  clear(): void {
    this.samples.clear();
  }
}

export const ms = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e6;
