// CPU time each process of the stack spends during one measurement: where a create's cost goes (server, worker,
// API, database), which latency alone cannot tell on a machine shared with other work.
import { cpuSecondsBetween, cpuTicks } from './process-usage';
import type { MeasuredProcess } from './stack';

/** Starts counting now; the returned function gives each role's CPU ms since, divided by `per` (e.g. creates). */
export function startCpuWindow(processes: readonly MeasuredProcess[]): (per: number) => Record<string, number> {
  const before = new Map(processes.map((p) => [p.role, cpuTicks(p.pid, p.count)]));
  return (per) => {
    const used: Record<string, number> = {};
    if (per <= 0) return used;
    for (const p of processes) {
      const seconds = cpuSecondsBetween(before.get(p.role) ?? new Map<number, number>(), cpuTicks(p.pid, p.count));
      used[p.role] = Math.round((seconds * 1000 * 10) / per) / 10;
    }
    return used;
  };
}
