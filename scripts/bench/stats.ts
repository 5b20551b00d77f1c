/** Latency and throughput figures shared by every benchmark. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ThroughputSummary {
  calls: number;
  seconds: number;
  perSecond: number;
}

/** Nearest-rank percentile of sorted samples (ms). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Awaits `call` and pushes how long it took (ms) onto `samples`; returns its result. */
export async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await call();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  return result;
}

/** Runs `call` one after another: `warmup` unmeasured calls, then `count` timed ones. */
export async function sequential(count: number, warmup: number, call: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) await timed(samples, () => call(i));
  return summarize(samples);
}

/** Keeps `inFlight` calls running until `total` have completed; `call(i)` gets the lane number. */
export async function pipelined(total: number, inFlight: number, call: (lane: number) => Promise<unknown>): Promise<ThroughputSummary> {
  let started = 0;
  const begin = process.hrtime.bigint();
  async function lane(id: number): Promise<void> {
    while (started < total) {
      started++;
      await call(id);
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, (_, id) => lane(id)));
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  return { calls: total, seconds, perSecond: total / seconds };
}

export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
