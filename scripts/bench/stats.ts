// Percentiles and counts over measured samples, and the machine's load beside every figure.
import os from 'node:os';

/** Nearest-rank percentile (p in 0..100); undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface Distribution {
  count: number;
  p50?: number;
  p99?: number;
  max?: number;
}

export function distribution(samples: readonly number[]): Distribution {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.length > 0 ? Math.max(...samples) : undefined,
  };
}

/** `{ "409": 3, "error": 1 }` for the outcomes that were not a success. */
export function failuresByStatus(outcomes: readonly { ok: boolean; status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) if (!outcome.ok) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}

/** The 1-minute load average now: on a shared two-core machine, the context every figure needs. */
export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}

/** a / b, or undefined when either is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}
