/**
 * Timing helpers for the benchmark: wall-clock samples, nearest-rank percentiles, and a
 * fixed-concurrency runner. Deliberately tiny — no statistics beyond what the table prints.
 */
import { performance } from 'node:perf_hooks';

/** Runs fn and returns how long it took, in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; no interpolation, so p99 is a real sample. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export type Latency = { n: number; p50: number; p99: number };

/**
 * Latencies of two ways to do the same thing, sampled in alternating blocks of `block` calls (a's
 * block, b's block, …). Blocks rather than single calls: a GC pause, an autovacuum or another process
 * hitting the machine then hits both series alike, yet b's calls do not run in the tail of a's
 * (the HTTP server finishing a response in this same process) except at block edges. `warmup` calls
 * of each run first and are not recorded: they pay for JIT, schema compilation and cold caches once,
 * which a long-running server has already paid.
 */
export async function pairedLatencies(
  n: number,
  warmup: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  block = 25,
): Promise<[Latency, Latency]> {
  for (let i = 0; i < warmup; i++) await a(n + i);
  for (let i = 0; i < warmup; i++) await b(n + i);
  const sa: number[] = [];
  const sb: number[] = [];
  for (let start = 0; start < n; start += block) {
    for (let i = start; i < Math.min(n, start + block); i++) sa.push((await timed(() => a(i))).ms);
    for (let i = start; i < Math.min(n, start + block); i++) sb.push((await timed(() => b(i))).ms);
  }
  const stats = (xs: number[]): Latency => ({ n, p50: percentile(xs, 50), p99: percentile(xs, 99) });
  return [stats(sa), stats(sb)];
}

export type Throughput = { n: number; concurrency: number; seconds: number; perSecond: number };

/**
 * Runs fn(0..n-1) with at most `concurrency` calls in flight and reports completed calls per second.
 * Workers pull the next index from a shared counter, so a slow call never leaves a slot idle.
 */
export async function throughput(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<Throughput> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  const { ms } = await timed(() => Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker)));
  return { n, concurrency, seconds: ms / 1000, perSecond: n / (ms / 1000) };
}

/** Milliseconds for a table cell: more digits when small, so 0.31 ms and 12.4 ms both read well. */
export function fmtMs(ms: number): string {
  return ms < 1 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const fmtRate = (perSecond: number, unit: string) =>
  `${perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1)} ${unit}/s`;

/** "How many times the bare SQL's cost": time ours / time bare, or rate bare / rate ours. */
export const fmtRatio = (r: number) => `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
