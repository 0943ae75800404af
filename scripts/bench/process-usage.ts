// Memory (VmRSS from /proc/<pid>/status) and CPU time (/proc/<pid>/stat) of the processes the bench started. The
// product runs under `npx tsx`, so the pid we spawned is a wrapper: the figures are those of the process doing the
// work, the largest one in the tree (the npx and tsx wrappers hold some tens of MB each, tsx's esbuild service a
// few: none is counted).
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  pid: number;
  ppid: number;
  rssKb: number;
}

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux the bench runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1];
    // Kernel threads and zombies have no VmRSS: they count as zero.
    return { pid, ppid: Number(field('PPid') ?? 0), rssKb: Number(field('VmRSS') ?? 0) };
  } catch {
    return undefined; // gone between listing and reading
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcess(Number(entry)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

function treeOf(root: number, processes: ProcessInfo[]): ProcessInfo[] {
  const tree = processes.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]?.pid;
    tree.push(...processes.filter((p) => p.ppid === parent));
  }
  return tree;
}

/** The processes that count for `root`: the largest of its tree (`main`) or all of it (`tree`). */
function counted(root: number, count: 'main' | 'tree'): ProcessInfo[] {
  const tree = treeOf(root, allProcesses());
  if (count === 'tree' || tree.length === 0) return tree;
  return [tree.reduce((largest, p) => (p.rssKb > largest.rssKb ? p : largest))];
}

/** MB of the work process under `root` (`main`) or of the whole tree (`tree`); undefined when it is gone. */
export function rssMb(root: number, count: 'main' | 'tree'): number | undefined {
  const processes = counted(root, count);
  return processes.length === 0 ? undefined : processes.reduce((sum, p) => sum + p.rssKb, 0) / 1024;
}

/** CPU ticks (user + system, threads included) used so far by each counted process, by pid. */
export function cpuTicks(root: number, count: 'main' | 'tree'): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const { pid } of counted(root, count)) {
    try {
      // Fields after the command name, which is in parentheses and may itself hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11] ?? 0) + Number(fields[12] ?? 0)); // utime, stime: fields 14, 15 of proc(5)
    } catch {
      // gone since the listing
    }
  }
  return ticks;
}

/**
 * CPU seconds used between two cpuTicks readings. Per pid, so a PostgreSQL backend that connected in between counts
 * from zero and one that exited is left out (its time is lost, never negative).
 */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks / TICKS_PER_SECOND;
}

/** PostgreSQL's server process listening on `port` (its command line carries `-p <port>`). */
export function findPostmaster(port: number): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const isPostgres = (args[0] ?? '').endsWith('/postgres') || args[0] === 'postgres';
      const portAt = args.indexOf('-p');
      if (isPostgres && portAt >= 0 && args[portAt + 1] === String(port)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}
