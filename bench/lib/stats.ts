// Small statistics over repeated measurements.
import { Bench } from 'tinybench';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Latency percentiles (ms) of an async function, run by tinybench for `iterations` runs or `timeMs`, whichever is more. */
export async function latency(fn: () => Promise<unknown>, options: { iterations: number; timeMs: number }): Promise<{ p50: number; p99: number; samples: number }> {
  const bench = new Bench({ iterations: options.iterations, time: options.timeMs, warmup: true, warmupIterations: 3, throws: true });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`benchmark task ended ${result.state}`);
  return { p50: result.latency.p50, p99: result.latency.p99, samples: result.latency.samplesCount };
}

export const round = (value: number, digits = 3) => Number(value.toPrecision(digits));

export function ratio(name: string, value: number, target: `<= ${number}` | `>= ${number}`) {
  const limit = Number(target.slice(3));
  return { name, value: round(value), target, met: target.startsWith('<=') ? value <= limit : value >= limit };
}
