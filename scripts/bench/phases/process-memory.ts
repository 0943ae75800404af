// RSS of every process of the stack at a point of the run (idle, N open cases), with the load at that moment.
import { rssMb } from '../process-usage';
import type { MeasuredProcess } from '../stack';
import { loadAverage } from '../stats';

export interface MemoryReading {
  label: string;
  /** Cases the API created that are still open (the bench closes none). */
  openCases: number;
  /** Raw baseline runs also open on the server (no worker ever runs them). */
  rawRuns: number;
  rssMb: Record<string, number | undefined>;
  load1: number;
}

export function readMemory(
  label: string,
  processes: readonly MeasuredProcess[],
  counts: { openCases: number; rawRuns: number },
): MemoryReading {
  const rss: Record<string, number | undefined> = {};
  for (const process of processes) {
    const mb = rssMb(process.pid, process.count);
    rss[process.role] = mb === undefined ? undefined : Math.round(mb);
  }
  return { label, ...counts, rssMb: rss, load1: loadAverage() };
}
